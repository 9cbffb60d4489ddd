"""``python -m cvrender``: the command line."""

from cvrender.cli import main

main()
