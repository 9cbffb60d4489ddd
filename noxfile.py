"""Development sessions: tests, lint, typecheck, examples, bench, fuzz.

Python versions and dependency groups are read from pyproject.toml.
"""

from __future__ import annotations

import os
from pathlib import Path

import nox

nox.options.default_venv_backend = "venv"
nox.options.sessions = ["tests", "lint", "typecheck"]
nox.options.reuse_existing_virtualenvs = True

PYPROJECT = nox.project.load_toml("pyproject.toml")
PYTHON = ["3.11"]
ROOT = Path(__file__).parent


def _install(session: nox.Session, *groups: str, extras: str = "") -> None:
    session.install("-e", f".{extras}")
    for group in groups:
        session.install(*nox.project.dependency_groups(PYPROJECT, group))


@nox.session(python=PYTHON)
def tests(session: nox.Session) -> None:
    """Run the test suite (TeX tests skip without TeX, but fail under CI=true)."""
    _install(session, "test", extras="[dask,cjk]" if os.environ.get("CI") else "")
    session.run("pytest", *session.posargs)


@nox.session(python=PYTHON)
def fast(session: nox.Session) -> None:
    """Quick feedback: the tests that need no TeX, no browser and are not slow, on every core (xdist)."""
    _install(session, "test")
    session.run("pytest", "-m", "not tex and not browser and not slow", "-n", "auto", *session.posargs)


@nox.session(python=PYTHON)
def lint(session: nox.Session) -> None:
    """Check style with ruff."""
    session.install(*nox.project.dependency_groups(PYPROJECT, "lint"))
    session.run("ruff", "check", "cvrender", "tests", "benchmarks", "noxfile.py")


@nox.session(python=PYTHON)
def typecheck(session: nox.Session) -> None:
    """Check types with mypy."""
    _install(session, "typecheck")
    session.run("mypy")


@nox.session(python=PYTHON)
def docs(session: nox.Session) -> None:
    """Build the documentation site into site/, with every warning an error."""
    _install(session, "docs")
    session.run("mkdocs", "build", "--strict", *session.posargs, env={"NO_MKDOCS_2_WARNING": "1"})


@nox.session(python=PYTHON)
def examples(session: nox.Session) -> None:
    """Build every example with the HTML backend into build/examples/."""
    _install(session)
    for profile in sorted(ROOT.glob("examples/*.yaml")):
        session.run("cvrender", "build", str(profile), "-o", f"build/examples/{profile.stem}.pdf")


@nox.session(python=PYTHON)
def bench(session: nox.Session) -> None:
    """Run every benchmarks/bench_*.py and print the figures."""
    _install(session, "test", extras="[dask]")
    for script in sorted(ROOT.glob("benchmarks/bench_*.py")):
        session.run("python", str(script), *session.posargs)


@nox.session(python=PYTHON)
def fuzz(session: nox.Session) -> None:
    """Hostile profiles with many examples ($CVRENDER_FUZZ_EXAMPLES, default 200) and the render contract's full product."""
    _install(session, "test")
    examples = os.environ.get("CVRENDER_FUZZ_EXAMPLES", "200")
    session.run("pytest", "tests/test_hostile_properties.py", "tests/test_render_contract.py", *session.posargs,
                env={"CVRENDER_FUZZ_EXAMPLES": examples, "CVRENDER_CONTRACT_FULL": "1"})
