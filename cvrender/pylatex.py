"""CVs and CV sections as PyLaTeX objects (the ``cvrender[pylatex]`` extra).

:func:`document` gives a whole CV as a :class:`pylatex.Document`; :func:`sections` gives some of its
sections as an object to append to a document of your own (a lab's annual report, a grant
proposal), which brings the packages and commands it needs into that document's preamble through
PyLaTeX's ``packages`` mechanism. The LaTeX is cvrender's own: rendered by the LaTeX backend,
escaped for the engine by cvrender, never by :func:`pylatex.utils.escape_latex` (which turns
``--`` into ``{-}{-}`` and does not know the engines)::

    from pylatex import Document, Section
    import cvrender.pylatex

    doc = Document()
    with doc.create(Section("Publications of the group")):
        doc.append(cvrender.pylatex.sections("ada.yaml", ["publications"]))
    doc.generate_pdf("report", compiler="xelatex")
"""

from __future__ import annotations

import re
import shutil
from collections.abc import Sequence
from pathlib import Path
from typing import Any

try:
    import pylatex
    from pylatex.base_classes import LatexObject
    from pylatex.utils import NoEscape
except ImportError as exc:  # pragma: no cover - depends on the installation
    raise ImportError("cvrender.pylatex needs PyLaTeX: pip install 'cvrender[pylatex]'") from exc

from cvrender.api import default_builder, options_for

__all__ = ["CvDocument", "CvSections", "PreambleBlock", "document", "sections"]

_DOCUMENTCLASS = re.compile(r"^\\documentclass(?:\[([^\]]*)\])?\{([^}]*)\}[^\n]*\n", re.M)
_BEGIN, _END = "\\begin{document}\n", "\\end{document}"


class PreambleBlock(LatexObject):
    """Preamble lines (macros, colours) carried in an object's ``packages``, so that PyLaTeX puts
    them into the host preamble once, after the packages, however many objects need them."""

    def __init__(self, text: str) -> None:
        super().__init__()
        self.text = text

    def dumps(self) -> str:
        """The lines, as they are."""
        return self.text

    def __eq__(self, other: object) -> bool:
        return isinstance(other, PreambleBlock) and other.text == self.text

    def __hash__(self) -> int:
        return hash(self.text)


class CvSections(LatexObject):
    """Sections of a CV, ready to append to any :class:`pylatex.Document`.

    Its ``packages`` hold a :class:`pylatex.Package` (without options, so a host that loads the
    same package with options of its own gets no clash) for each package the sections need, then a
    :class:`PreambleBlock` with cvrender's colours and commands (all named ``cv...``, plus the
    colour ``accent``). Two objects made with the same theme and design share that block.
    """

    def __init__(self, body: str, packages: Sequence[str], macros: str, package_name: str) -> None:
        super().__init__()
        self.body = body
        self.package_name = package_name
        for name in packages:
            self.packages.add(pylatex.Package(name))
        self.packages.add(PreambleBlock(macros))

    def dumps(self) -> str:
        """The sections' LaTeX."""
        return self.body


class CvDocument(pylatex.Document):
    """A :class:`pylatex.Document` holding a whole CV; it copies the files the CV reads (its
    photo) beside the .tex it writes, so ``generate_pdf`` finds them."""

    def __init__(self, *args: Any, files: dict[str, Path] | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.files = dict(files or {})

    def generate_tex(self, filepath: str | None = None) -> None:
        """Write the .tex file (and the files it reads beside it)."""
        super().generate_tex(filepath)
        folder = Path(self._select_filepath(filepath)).resolve().parent
        for name, path in self.files.items():
            shutil.copyfile(path, folder / name)


def document(profile: Any, *, theme: str | None = None, engine: str | None = None, **design: Any) -> CvDocument:
    """The whole CV as a PyLaTeX document; ``doc.generate_pdf("cv", compiler="xelatex")`` compiles it.

    ``profile`` is what :func:`cvrender.build` takes (a path, a dict, a :class:`~cvrender.Profile`);
    keyword arguments other than ``theme`` and ``engine`` are theme options (``paper="letter"``).
    Pass the same ``compiler`` as ``engine`` (default: the theme's, xelatex for the built-in themes).
    """
    options = options_for(theme=theme, backend="latex", engine=engine, design=design)
    source = default_builder().render_source(profile, options)
    text = source.text
    found = _DOCUMENTCLASS.search(text)
    begin, end = text.find(_BEGIN), text.rfind(_END)
    if not found or begin < 0 or end < 0:
        raise ValueError(f"theme '{options.theme or 'default'}' did not render a whole LaTeX document")
    class_options = [o.strip() for o in (found.group(1) or "").split(",") if o.strip()]
    doc = CvDocument(documentclass=found.group(2), document_options=class_options or None,
                     fontenc=None, inputenc=None, lmodern=False, textcomp=False, microtype=False,
                     page_numbers=True, indent=True, font_size="normalsize",
                     files=dict(source.options.files))
    doc.packages.clear()  # the preamble below loads what the CV needs, in its own order
    doc.data.clear()  # no \normalsize of PyLaTeX's own: the CV's preamble sets the sizes
    doc.preamble.append(NoEscape(text[found.end():begin]))
    doc.append(NoEscape(text[begin + len(_BEGIN):end]))
    return doc


def sections(profile: Any, names: Sequence[str], *, theme: str | None = None, engine: str | None = None,
             titles: bool = True, **options: Any) -> CvSections:
    """Some sections of a CV (``["publications", "awards"]``, in this order) to append to a
    :class:`pylatex.Document` of your own; see :class:`CvSections` for what it adds to the preamble.

    ``titles=False`` leaves out cvrender's section titles (when the host gives its own, with
    :class:`pylatex.Section`). ``engine`` is the host's compiler (escaping differs for pdflatex).
    Other keyword arguments are those of :func:`cvrender.build` (``design``, ``today``, ``locale``...).
    With xelatex or lualatex, make the host document with ``fontenc=None, inputenc=None`` (PyLaTeX's
    defaults are for pdflatex and lose characters such as † or §).
    """
    built = options_for(theme=theme, backend="latex", engine=engine, sections=names, **options)
    fragment = default_builder().render_fragment(profile, built, titles=titles)
    return CvSections(fragment.body, fragment.packages, fragment.macros, fragment.package_name)

