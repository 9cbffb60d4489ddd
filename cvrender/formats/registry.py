"""Backends turn a RenderContext and a theme into source text (HTML or LaTeX)."""

from __future__ import annotations

from cvrender.formats.base import Backend, Source


def get_backend(name: str) -> Backend:
    """The backend called ``name`` (``html`` or ``latex``)."""
    from cvrender.errors import CvrenderError

    if name == "html":
        from cvrender.formats.html.backend import HtmlBackend

        return HtmlBackend()
    if name == "latex":
        from cvrender.formats.latex.backend import LatexBackend

        return LatexBackend()
    error = CvrenderError(f"unknown backend '{name}' (use html or latex)")
    error.exit_code = 2
    raise error


__all__ = ["Backend", "Source", "get_backend"]
