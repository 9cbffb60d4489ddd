"""Typst engine: Typst source -> PDF (or PNG pages) with typst-py, offline, in this process.

One ``typst.Compiler`` and one font book per process and font set (:func:`shared_compiler`),
reused by every build: the Builder, batch workers and ``watch`` all come here. A build's font set
is the extra folders (pip-installed fonts, TeX Gyre) and only the system font folders its text
needs (:mod:`.fontindex`), with the same fonts chosen as with every system font. Typst reads files
only from a build folder that holds the files the backend names (the profile's photo, a theme's
assets); it never downloads packages (``@preview`` imports fail: the package path is empty).
"""

from __future__ import annotations

import datetime as _dt
import importlib.util
import re
import shutil
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from functools import lru_cache
from pathlib import Path
from typing import Any

from cvrender.errors import EngineError
from cvrender.formats.base import CompiledPdf, Source
from cvrender.formats.typst.fontindex import Face, FontIndex, system_index

# Python packages that ship fonts (the ``cjk`` extra) and the folders where TeX Live and Debian
# keep the TeX Gyre faces that fontconfig (and so Typst) may not list.
FONT_PACKAGES = ("pylopdf_fonts_zh_cn",)
TEX_FONT_GLOBS = (
    "/usr/share/texlive/texmf-dist/fonts/opentype/public/tex-gyre",
    "/usr/share/texmf/fonts/opentype/public/tex-gyre",
    "/usr/local/texlive/*/texmf-dist/fonts/opentype/public/tex-gyre",
    "/opt/homebrew/share/texlive/texmf-dist/fonts/opentype/public/tex-gyre",
    "/Library/TeX/Root/texmf-dist/fonts/opentype/public/tex-gyre",
)
NO_CJK_FONT = ("no font covers the Chinese/Japanese/Korean text; install one with "
               "pip install 'cvrender[cjk]' (or your system's Noto CJK fonts)")


def package_font_dirs() -> tuple[str, ...]:
    """Folders of installed Python packages that ship fonts (found without importing them)."""
    found = []
    for name in FONT_PACKAGES:
        spec = importlib.util.find_spec(name)
        for location in (spec.submodule_search_locations or []) if spec else []:
            found.append(str(location))
    return tuple(found)


def tex_font_dirs() -> tuple[str, ...]:
    """TeX Gyre folders of a TeX installation, when there is one."""
    import glob

    return tuple(sorted({path for pattern in TEX_FONT_GLOBS for path in glob.glob(pattern)}))


def default_font_dirs() -> tuple[str, ...]:
    """The font folders Typst searches besides the system's: pip-installed fonts, TeX Gyre."""
    return package_font_dirs() + tex_font_dirs()


@lru_cache(maxsize=16)
def shared_fonts(font_dirs: tuple[str, ...], ignore_system_fonts: bool) -> Any:
    """One typst-py font book per process and font set (scanning the system's fonts takes 0.1-0.2 s)."""
    import typst

    return typst.Fonts(include_system_fonts=not ignore_system_fonts, include_embedded_fonts=True,
                       font_paths=list(font_dirs))


@lru_cache(maxsize=16)
def shared_compiler(font_dirs: tuple[str, ...], ignore_system_fonts: bool) -> Any:
    """One ``typst.Compiler`` per process and font set, reused by every build."""
    import typst

    return typst.Compiler(font_paths=shared_fonts(font_dirs, ignore_system_fonts), root=_empty_root())


@lru_cache(maxsize=1)
def _empty_root() -> str:
    """A build folder with nothing in it, for CVs that read no file (removed at exit)."""
    import atexit

    path = tempfile.mkdtemp(prefix="cvrender-typst-")
    atexit.register(shutil.rmtree, path, True)
    return path


def font_families(font_dirs: tuple[str, ...] | None = None, ignore_system_fonts: bool = False) -> set[str]:
    """The families Typst can use, lower-cased."""
    dirs = default_font_dirs() if font_dirs is None else font_dirs
    return {f.lower() for f in shared_fonts(dirs, ignore_system_fonts).families()}


def chosen_fonts(wanted: tuple[str, ...], families: set[str]) -> list[str]:
    """The families of ``wanted`` that Typst has, in order (what a build will use)."""
    return [family for family in wanted if family.lower() in families]


_UNKNOWN_FONT = re.compile(r"unknown font family", re.IGNORECASE)


@lru_cache(maxsize=1)
def embedded_families() -> frozenset[str]:
    """The families built into Typst, lower-cased (always in the font book)."""
    import typst

    return frozenset(f.lower() for f in typst.Fonts(include_system_fonts=False, include_embedded_fonts=True,
                                                     font_paths=[]).families())


@lru_cache(maxsize=4)
def _folder_index(font_dirs: tuple[str, ...]) -> FontIndex:
    """The index of the fonts in ``font_dirs`` only (system fonts ignored), once per process."""
    book = shared_fonts(font_dirs, True)
    return FontIndex(tuple(Face(str(f.path), int(f.index), str(f.family)) for f in book.fonts() if f.path))


class TypstEngine:
    """Compiles Typst source with typst-py; ``font_dirs`` and ``ignore_system_fonts`` choose the fonts."""

    name = "typst"

    def __init__(self, font_dirs: tuple[str, ...] | None = None, ignore_system_fonts: bool = False) -> None:
        self.font_dirs = default_font_dirs() if font_dirs is None else tuple(str(d) for d in font_dirs)
        self.ignore_system_fonts = ignore_system_fonts

    @property
    def compiler(self) -> Any:
        """The process's compiler for every font of this engine (all system fonts included)."""
        return shared_compiler(self.font_dirs, self.ignore_system_fonts)

    def index(self) -> FontIndex:
        """The fonts of this engine besides Typst's own: the system's (from the index kept between
        processes) and the extra folders', or only the latter with system fonts ignored."""
        return system_index(self.font_dirs)[0] if not self.ignore_system_fonts else _folder_index(self.font_dirs)

    def compiler_for(self, text: str, wanted: tuple[str, ...]) -> Any:
        """The process's compiler for the fonts ``text`` needs with the font list ``wanted``: the
        extra folders and the system folders chosen by :meth:`FontIndex.folders_for`."""
        if self.ignore_system_fonts:
            return self.compiler
        folders = self.index().folders_for(text, wanted)
        return shared_compiler(tuple(dict.fromkeys((*self.font_dirs, *folders))), True)

    def families(self) -> set[str]:
        """Font families this engine can use, lower-cased."""
        return {family for family in self.index().families} | set(embedded_families())

    def uncovered(self, text: str, wanted: tuple[str, ...] = ()) -> list[str]:
        """The characters of ``text`` no font of this engine shows, each once, in order; ``wanted``
        (the theme's families) are searched first."""
        return self.index().uncovered(text, wanted)

    @contextmanager
    def build_folder(self, source: Source) -> Iterator[str]:
        """The folder Typst may read: the files the backend names, copied in; nothing else."""
        files = source.options.files
        if not files:
            yield _empty_root()
            return
        with tempfile.TemporaryDirectory(prefix="cvrender-typst-") as folder:
            for name, path in files.items():
                target = Path(folder, name)
                target.parent.mkdir(parents=True, exist_ok=True)
                shutil.copyfile(path, target)
            yield folder

    def _run(self, source: Source, **kwargs: Any) -> tuple[Any, list[str]]:
        today = source.options.today
        stamp = (_dt.datetime(today.year, today.month, today.day, tzinfo=_dt.UTC)
                 if isinstance(today, _dt.date) else None)
        import typst

        with self.build_folder(source) as root:
            try:
                compiler = self.compiler_for(source.text, tuple(getattr(source.options, "fonts", ())))
                data, raised = compiler.compile_with_warnings(
                    source.text.encode("utf-8"), root=root, timestamp=stamp, **kwargs)
            except typst.TypstError as exc:
                raise EngineError(f"Typst: {_one_line(exc)}") from None
        warnings = [f"Typst: {_one_line(w)}" for w in raised if not _UNKNOWN_FONT.search(str(w.message))]
        if getattr(source.options, "cjk", False) and not chosen_fonts(
                tuple(getattr(source.options, "cjk_fonts", ())), self.families()):
            warnings.append(NO_CJK_FONT)
        return data, warnings

    def compile(self, source: Source) -> CompiledPdf:
        """Compile to PDF bytes in memory."""
        data, warnings = self._run(source, format="pdf")
        return CompiledPdf(data, _page_count(data), tuple(warnings), {"fonts": self.font_dirs})

    def pngs(self, source: Source, ppi: float = 144.0) -> list[bytes]:
        """Every page as a PNG, rendered by Typst itself."""
        data, _ = self._run(source, format="png", ppi=ppi)
        return list(data) if isinstance(data, list) else [data]


def _one_line(diagnostic: Any) -> str:
    """A Typst diagnostic on one line: the message and where it is (``line:col`` in the source)."""
    message = " ".join(str(getattr(diagnostic, "message", diagnostic)).split())
    text = str(getattr(diagnostic, "diagnostic", ""))
    start = text.find("error:")  # the diagnostic lists warnings first
    where = re.search(r"\.typ:(\d+):(\d+)", text[start if start >= 0 else 0:])
    return f"{message} (line {where.group(1)}:{where.group(2)} of the Typst source)" if where else message


def _page_count(pdf: bytes) -> int:
    match = re.search(rb"/Type\s*/Pages\s*/Count\s+(\d+)", pdf)
    return int(match.group(1)) if match else len(re.findall(rb"/Type\s*/Page\b", pdf))


def typst_version() -> str | None:
    """The installed typst-py version, or None."""
    from importlib import metadata

    try:
        return metadata.version("typst")
    except metadata.PackageNotFoundError:
        return None


__all__ = ["TypstEngine", "chosen_fonts", "default_font_dirs", "font_families", "shared_compiler", "typst_version"]

