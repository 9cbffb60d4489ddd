"""Backends turn a RenderContext and a theme into source text (HTML or LaTeX)."""

from __future__ import annotations

from cvrender.backends.base import Backend, Source


def get_backend(name: str) -> Backend:
    """The backend called ``name`` (``html``, ``latex`` or ``typst``)."""
    from cvrender.errors import CvrenderError

    if name == "html":
        from cvrender.backends.html import HtmlBackend

        return HtmlBackend()
    if name == "latex":
        from cvrender.backends.latex import LatexBackend

        return LatexBackend()
    if name == "typst":
        from cvrender.formats.typst.backend import TypstBackend

        return TypstBackend()
    error = CvrenderError(f"unknown backend '{name}' (use html, latex or typst)")
    error.exit_code = 2
    raise error


__all__ = ["Backend", "Source", "get_backend"]
