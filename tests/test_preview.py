"""``--png``: one PNG per page beside the PDF, a clear error when nothing can draw PDFs."""

from __future__ import annotations

import builtins
import struct
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner
from conftest import require_tool

from cvrender.cli import main
from cvrender.errors import EngineMissingError
from cvrender.tools import preview

PROFILE = """\
name: Ada Lovelace
education:
  - institution: University of London
    date: 1833 - 1843
experience:
""" + "".join(f"  - organization: Analytical Engine Project {i}\n    date: {1830 + i}\n"
              f"    highlights: [Wrote the first published algorithm for a machine, Translated Menabrea]\n"
              for i in range(14))


def png_size(data: bytes) -> tuple[int, int]:
    """Width and height from a PNG header."""
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    width, height = struct.unpack(">II", data[16:24])
    return width, height


@pytest.fixture(scope="module")
def two_page_pdf(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("png")
    profile = folder / "ada.yaml"
    profile.write_text(PROFILE, encoding="utf-8")
    result = CliRunner().invoke(main, ["build", str(profile), "-o", str(folder / "Ada_CV.pdf"), "--today", "2026-01-15"])
    assert result.exit_code == 0, result.output
    return folder / "Ada_CV.pdf"


def test_build_png_writes_each_page_beside_the_pdf(tmp_path: Path) -> None:
    require_tool("pdftoppm")
    profile = tmp_path / "ada.yaml"
    profile.write_text(PROFILE, encoding="utf-8")
    result = CliRunner().invoke(main, ["build", str(profile), "-o", str(tmp_path), "--png", "--today", "2026-01-15"])
    assert result.exit_code == 0, result.output
    pngs = sorted(tmp_path.glob("Ada_Lovelace_CV-*.png"))
    assert [p.name for p in pngs] == ["Ada_Lovelace_CV-1.png", "Ada_Lovelace_CV-2.png"]
    assert f"wrote {pngs[0]}" in result.output
    width, height = png_size(pngs[0].read_bytes())
    assert abs(width - 1240) <= 2 and abs(height - 1754) <= 2  # A4 at 150 dpi


def test_write_pngs_removes_pages_left_from_a_longer_version(two_page_pdf: Path) -> None:
    require_tool("pdftoppm")
    stale = two_page_pdf.with_name("Ada_CV-3.png")
    stale.write_bytes(b"old page")
    unrelated = two_page_pdf.with_name("Ada_CV-cover.png")
    unrelated.write_bytes(b"keep me")
    written = preview.write_pngs(two_page_pdf, dpi=40)
    assert [p.name for p in written] == ["Ada_CV-1.png", "Ada_CV-2.png"]
    assert not stale.exists() and unrelated.read_bytes() == b"keep me"
    assert abs(png_size(written[1].read_bytes())[0] - 210 / 25.4 * 40) <= 2  # A4 at 40 dpi


def test_pypdfium2_is_used_without_pdftoppm(two_page_pdf: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    pytest.importorskip("pypdfium2")
    monkeypatch.setattr(preview.shutil, "which", lambda name: None)
    assert preview.png_renderer() == "pypdfium2"
    pages = preview.render_pngs(two_page_pdf.read_bytes(), dpi=30)
    assert len(pages) == 2 and all(p.startswith(b"\x89PNG") for p in pages)


def test_without_any_renderer_the_error_says_what_to_install(two_page_pdf: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(preview.shutil, "which", lambda name: None)
    real_import = builtins.__import__

    def no_pdfium(name: str, *args: Any, **kwargs: Any) -> Any:
        if name == "pypdfium2":
            raise ImportError(name)
        return real_import(name, *args, **kwargs)

    monkeypatch.setattr(builtins, "__import__", no_pdfium)
    assert preview.png_renderer() is None
    with pytest.raises(EngineMissingError) as caught:
        preview.write_pngs(two_page_pdf)
    message = str(caught.value)
    assert "poppler-utils" in message and "pypdfium2" in message and "\n" not in message
    assert not list(two_page_pdf.parent.glob("*-9.png"))


def test_cli_png_error_is_one_line_and_keeps_the_pdf(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    profile = tmp_path / "ada.yaml"
    profile.write_text("name: Ada Lovelace\n", encoding="utf-8")
    monkeypatch.setattr(preview, "png_renderer", lambda: None)
    result = CliRunner().invoke(main, ["build", str(profile), "-o", str(tmp_path), "--png"])
    assert result.exit_code == 1
    errors = [line for line in result.output.splitlines() if line.startswith("error:")]
    assert len(errors) == 1 and "pdftoppm" in errors[0]
    assert (tmp_path / "Ada_Lovelace_CV.pdf").is_file()
    assert "Traceback" not in result.output
