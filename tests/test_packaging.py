"""The built wheel carries the themes: a CV builds from the wheel alone, not from the checkout."""

from __future__ import annotations

import os
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest
from conftest import ROOT, pdf_text

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def wheel(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("wheel")
    subprocess.run([sys.executable, "-m", "build", "--wheel", "--no-isolation", "--outdir", str(out), str(ROOT)],
                   check=True, capture_output=True)
    (path,) = out.glob("cvrender-*.whl")
    return path


def test_wheel_contains_themes_and_entry_points(wheel: Path) -> None:
    names = zipfile.ZipFile(wheel).namelist()
    entry_points = next(n for n in names if n.endswith("entry_points.txt"))
    text = zipfile.ZipFile(wheel).read(entry_points).decode()
    assert "[cvrender.themes]" in text
    themes = sorted(p.name for p in (ROOT / "themes").iterdir() if (p / "theme.yaml").is_file())
    assert themes, "no themes found in themes/"
    for theme in themes:
        assert f"cvrender/_themes/{theme}/theme.yaml" in names
        assert any(n.startswith(f"cvrender/_themes/{theme}/html/") for n in names), theme
        assert any(n.startswith(f"cvrender/_themes/{theme}/latex/") for n in names), theme
        assert f"{theme} = " in text, f"{theme} is not registered as an entry point"
    assert "cvrender = cvrender.cli:main" in text


def test_cv_builds_from_the_unpacked_wheel(wheel: Path, tmp_path: Path) -> None:
    site = tmp_path / "site"
    zipfile.ZipFile(wheel).extractall(site)
    profile = tmp_path / "p.yaml"
    profile.write_text("name: Wheel Test\nabout: Built from the wheel.\n", encoding="utf-8")
    script = (
        "import cvrender, cvrender.theming as t, sys;"
        "print(cvrender.__file__); print(t.builtin_themes_dir());"
        f"r = cvrender.build({str(profile)!r}, output={str(tmp_path)!r}); print(r.pdf_path)"
    )
    env = {**os.environ, "PYTHONPATH": str(site)}
    run = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, cwd=tmp_path, env=env,
                         check=True)
    module_file, themes_dir, pdf = run.stdout.split()
    assert module_file.startswith(str(site))
    assert themes_dir == str(site / "cvrender" / "_themes")
    assert "Built from the wheel." in pdf_text(Path(pdf))
