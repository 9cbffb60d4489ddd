"""The ``cvrender`` command line (``cvrender.cli:main``); the commands live in the modules of this package."""

from cvrender.cli.main import main

__all__ = ["main"]
