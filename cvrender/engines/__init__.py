"""Engines compile backend source to PDF: WeasyPrint for HTML, a TeX engine for LaTeX."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Protocol

from cvrender.backends.base import Source


@dataclass(frozen=True)
class CompiledPdf:
    """A compiled PDF in memory, its page count and anything the engine warned about."""

    data: bytes
    pages: int
    warnings: tuple[str, ...] = ()
    info: dict[str, object] = field(default_factory=dict)


class Engine(Protocol):
    """Turns source into a PDF."""

    name: str

    def compile(self, source: Source) -> CompiledPdf:
        """Compile ``source`` to PDF bytes."""
        ...
