"""PDF pages as PNG images: for READMEs and web pages (``--png``) and the live preview.

Pages are rasterised with ``pdftoppm`` (poppler-utils) when it is installed, else with
``pypdfium2`` when that is importable; without either the error says what to install.
"""

from __future__ import annotations

import io
import os
import re
import shutil
import subprocess
import tempfile
from pathlib import Path

from cvrender.errors import EngineError, EngineMissingError
from cvrender.files import atomic_write

DEFAULT_DPI = 150
_TIMEOUT = 120


def png_renderer() -> str | None:
    """``pdftoppm``, ``pypdfium2``, or None when this machine cannot rasterise PDFs."""
    if shutil.which("pdftoppm"):
        return "pdftoppm"
    try:
        import pypdfium2  # noqa: F401
    except ImportError:
        return None
    return "pypdfium2"


def render_pngs(pdf: bytes, dpi: int = DEFAULT_DPI) -> list[bytes]:
    """Every page of a PDF (given as bytes) as PNG bytes, in page order."""
    renderer = png_renderer()
    if renderer == "pdftoppm":
        return _with_pdftoppm(pdf, dpi)
    if renderer == "pypdfium2":
        return _with_pdfium(pdf, dpi)
    raise EngineMissingError(
        "cannot write PNG pages: neither pdftoppm nor pypdfium2 is available; install poppler-utils "
        "(Debian/Ubuntu: apt install poppler-utils; macOS: brew install poppler) or run 'pip install pypdfium2'")


def _with_pdftoppm(pdf: bytes, dpi: int) -> list[bytes]:
    with tempfile.TemporaryDirectory(prefix="cvrender-png-") as tmp:
        source = Path(tmp) / "in.pdf"
        source.write_bytes(pdf)
        try:
            done = subprocess.run(["pdftoppm", "-png", "-r", str(dpi), str(source), str(Path(tmp) / "page")],
                                  capture_output=True, text=True, timeout=_TIMEOUT, check=False)
        except subprocess.TimeoutExpired:
            raise EngineError(f"pdftoppm took more than {_TIMEOUT} s to draw the pages") from None
        if done.returncode != 0:
            detail = (done.stderr.strip().splitlines() or ["no message"])[-1]
            raise EngineError(f"pdftoppm failed (exit {done.returncode}): {detail}")
        pages = sorted(Path(tmp).glob("page-*.png"), key=lambda p: int(re.findall(r"\d+", p.stem)[-1]))
        return [p.read_bytes() for p in pages]


def _with_pdfium(pdf: bytes, dpi: int) -> list[bytes]:
    import pypdfium2

    document = pypdfium2.PdfDocument(pdf)
    out: list[bytes] = []
    try:
        for index in range(len(document)):
            image = document[index].render(scale=dpi / 72).to_pil()
            buffer = io.BytesIO()
            image.save(buffer, format="PNG")
            out.append(buffer.getvalue())
    finally:
        document.close()
    return out


def png_paths(pdf_path: Path, pages: int) -> list[Path]:
    """``Name_CV.pdf`` -> ``Name_CV-1.png``, ``Name_CV-2.png``... beside the PDF."""
    return [pdf_path.with_name(f"{pdf_path.stem}-{n}.png") for n in range(1, pages + 1)]


def write_pngs(pdf_path: str | Path, dpi: int = DEFAULT_DPI, images: list[bytes] | None = None) -> list[Path]:
    """Write a PNG of each page beside the PDF (``images`` when the engine rendered them itself);
    returns the paths written.

    Page images left by an earlier, longer version of the same PDF are removed, so the folder
    never shows a stale last page.
    """
    pdf_path = Path(pdf_path)
    if images is None:
        try:
            data = pdf_path.read_bytes()
        except OSError as exc:
            raise EngineError(f"cannot read {pdf_path}: {exc.strerror or exc}") from None
        images = render_pngs(data, dpi)
    written = [atomic_write(path, image) for path, image in zip(png_paths(pdf_path, len(images)), images, strict=True)]
    stale = len(images) + 1
    while True:
        old = pdf_path.with_name(f"{pdf_path.stem}-{stale}.png")
        if not old.is_file():
            break
        try:
            os.unlink(old)
        except OSError:
            break
        stale += 1
    return written


__all__ = ["png_paths", "png_renderer", "render_pngs", "write_pngs"]
