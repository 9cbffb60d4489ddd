"""``cvrender doctor``: reports engines, libraries, fonts, themes and the cache; exit 0 when the
HTML backend can work; loud about a missing libharfbuzz-subset."""

from __future__ import annotations

import json
import shutil

import pytest
from click.testing import CliRunner

from cvrender.cli import main
from cvrender.tools import doctor


def test_doctor_reports_what_this_machine_has() -> None:
    result = CliRunner().invoke(main, ["doctor"])
    assert result.exit_code == 0, result.output
    out = result.output
    assert "render test" in out and "weasyprint" in out
    assert "libharfbuzz-subset" in out
    assert "academic" in out  # themes found
    assert str(doctor.cache_root()) in out
    assert "Chinese (zh)" in out
    assert "HTML backend: ready" in out
    for engine in ("xelatex", "lualatex", "pdflatex", "latexmk"):
        assert engine in out
        if shutil.which(engine):
            assert any(engine in line and " ok " in f" {line} " for line in out.splitlines())


def test_json_output_lists_every_check() -> None:
    result = CliRunner().invoke(main, ["doctor", "--json"])
    checks = json.loads(result.output)
    names = {(c["area"], c["name"]) for c in checks}
    assert {("WeasyPrint", "render test"), ("TeX", "xelatex"), ("tools", "PNG pages"), ("cache", "folder")} <= names
    assert all(c["status"] in ("ok", "warn", "missing", "error", "info") for c in checks)


def test_missing_harfbuzz_subset_is_a_loud_warning(monkeypatch: pytest.MonkeyPatch) -> None:
    real = doctor.ctypes.util.find_library
    monkeypatch.setattr(doctor.ctypes.util, "find_library",
                        lambda name: None if name == "harfbuzz-subset" else real(name))
    result = CliRunner().invoke(main, ["doctor"])
    assert result.exit_code == 0  # WeasyPrint still works, only slower
    loud = [line for line in result.output.splitlines() if line.startswith("warn: WeasyPrint libharfbuzz-subset")]
    assert loud and "MISSING" in loud[0]
    assert "libharfbuzz-subset0" in result.output  # what to install


def test_missing_tex_is_reported_with_a_hint_and_does_not_fail(monkeypatch: pytest.MonkeyPatch) -> None:
    real = shutil.which
    monkeypatch.setattr(doctor.shutil, "which", lambda name: None if name.endswith("latex") else real(name))
    checks = doctor.check_tex()
    xelatex = next(c for c in checks if c.name == "xelatex")
    assert xelatex.status == "missing" and "apt install" in xelatex.hint
    assert not doctor.latex_backend_works(checks)


def test_exit_status_1_when_the_html_backend_cannot_work(monkeypatch: pytest.MonkeyPatch) -> None:
    broken = [doctor.Check("WeasyPrint", "weasyprint", "error", "cannot start: no Pango")]
    monkeypatch.setattr(doctor, "check_weasyprint", lambda: broken)
    result = CliRunner().invoke(main, ["doctor"])
    assert result.exit_code == 1
    assert "HTML backend: NOT working" in result.output and "no Pango" in result.output


def test_fonts_without_cjk_coverage_are_flagged(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(doctor, "_families", lambda pattern: [] if pattern.startswith(":lang=") else ["DejaVu Sans"])
    checks = {c.name: c for c in doctor.check_fonts()}
    assert checks["Chinese (zh)"].status == "warn" and "fonts-noto-cjk" in checks["Chinese (zh)"].hint
    assert checks["TeX Gyre Pagella"].status == "warn"  # the academic theme's font is not installed
