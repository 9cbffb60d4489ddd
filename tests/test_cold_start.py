"""Cold start: a command imports only what it uses (no PDF engine for --help, validate and schema).

Each case runs the command line in a new interpreter and reads ``sys.modules`` when it is done,
so that nothing this test process imported counts.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import EXAMPLES

# The command line run by its main function; sys.modules printed whatever the exit status.
_PROBE = """
import json, sys
from cvrender.cli import main
try:
    main(sys.argv[1:], prog_name="cvrender")
except SystemExit as exc:
    code = exc.code
else:
    code = 0
sys.__stderr__.write("\\nMODULES " + json.dumps([code, sorted(sys.modules)]) + "\\n")
"""

PDF_ENGINE = ("weasyprint", "pydyf", "fontTools", "PIL")
BIBTEX = ("bibtexparser", "pylatexenc")
BUILD_ONLY = ("babel", "markdown_it", "jinja2")  # dates and words, inline Markdown, templates
PRINTING = ("rich",)  # tables and progress bars only


def imported(*args: str, cwd: Path | None = None) -> tuple[int, set[str]]:
    """Exit status of ``cvrender ARGS`` and the top-level packages it imported."""
    done = subprocess.run([sys.executable, "-c", _PROBE, *args], capture_output=True, text=True, cwd=cwd,
                          timeout=120)
    line = next((x for x in done.stderr.splitlines() if x.startswith("MODULES ")), None)
    assert line is not None, done.stderr
    code, modules = json.loads(line.removeprefix("MODULES "))
    return code, {m.split(".")[0] for m in modules}


def check_absent(modules: set[str], names: tuple[str, ...]) -> None:
    loaded = sorted(set(names) & modules)
    assert not loaded, f"imported without being used: {', '.join(loaded)}"


def test_help_imports_no_pipeline() -> None:
    code, modules = imported("--help")
    assert code == 0
    check_absent(modules, PDF_ENGINE + BIBTEX + BUILD_ONLY + PRINTING + ("pydantic", "yaml"))


@pytest.mark.parametrize("args", [["build", "--help"], ["--version"]])
def test_command_help_and_version_import_no_pipeline(args: list[str]) -> None:
    code, modules = imported(*args)
    assert code == 0
    check_absent(modules, PDF_ENGINE + BIBTEX + BUILD_ONLY + PRINTING)


def test_validate_imports_no_pdf_engine_no_bibtex_no_babel() -> None:
    code, modules = imported("validate", str(EXAMPLES / "fuzhao_xue.yaml"))
    assert code == 0
    check_absent(modules, PDF_ENGINE + BIBTEX + BUILD_ONLY + PRINTING)
    assert "pydantic" in modules  # it did validate


def test_validate_with_an_error_imports_no_pdf_engine(tmp_path: Path) -> None:
    profile = tmp_path / "cv.yaml"
    profile.write_text("name: Ada\neducation:\n  - institution: X\n    start: 2020-13\n", encoding="utf-8")
    code, modules = imported("validate", str(profile))
    assert code == 2
    check_absent(modules, PDF_ENGINE + BIBTEX + BUILD_ONLY + PRINTING)


def test_validate_reads_bibtex_only_when_the_profile_names_a_bib_file(tmp_path: Path) -> None:
    (tmp_path / "refs.bib").write_text(
        "@article{a, title={Deep {T}hings}, author={Lovelace, Ada}, journal={J}, year={2020}}\n", encoding="utf-8")
    profile = tmp_path / "cv.yaml"
    profile.write_text("name: Ada Lovelace\npublications:\n  bibtex: [refs.bib]\n", encoding="utf-8")
    code, modules = imported("validate", str(profile))
    assert code == 0
    assert "bibtexparser" in modules  # the probe sees a package that is used
    check_absent(modules, PDF_ENGINE + BUILD_ONLY + PRINTING)


def test_schema_imports_no_pdf_engine_no_bibtex_no_babel() -> None:
    code, modules = imported("schema")
    assert code == 0
    check_absent(modules, PDF_ENGINE + BIBTEX + BUILD_ONLY + PRINTING)


def test_import_cvrender_loads_the_pipeline_on_first_use() -> None:
    probe = ("import sys, cvrender; before = 'cvrender.api' in sys.modules; cvrender.load; "
             "print(before, 'cvrender.api' in sys.modules, 'weasyprint' in sys.modules)")
    done = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True, timeout=120)
    assert done.stdout.split() == ["False", "True", "False"]
