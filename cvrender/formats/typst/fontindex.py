"""Which of the system's font folders a Typst build needs, from an index kept between processes.

Scanning every system font for Typst's font book is most of a cold Typst build's font cost
(0.06-0.1 s, most of it the large CJK collections), and a CV in one script needs few of them. The
first build scans them all once and writes an index (folder, file, face, family of each face) to
``$XDG_CACHE_HOME/cvrender/typst-fonts.json``; later builds give Typst only the folders they need.

What a build needs is decided so that Typst picks the same font for every character as it would
with every system font: Typst takes, for each character, the first family of the theme's font
list that has it, and only when none does, any font that has it. So a folder is given when

- it holds a family of the font list that is the first of the list to have some character of the
  text (a family is counted as having a character only if every face of it has it), or
- it holds any font that has a character no family of the list has.

Typst's own embedded fonts are always in the book; their coverage is not read, so they never
stand in for a system family (which can only add folders), and a font whose ``cmap`` this reader
cannot read is always given. The index is rebuilt when a folder that
held fonts, one above it, a usual font root, or the fontconfig configuration changes (their
modification times are kept in it), and when the typst package or the extra folders change.
"""

from __future__ import annotations

import contextlib
import json
import os
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import lru_cache
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path
from typing import Any

from cvrender.formats.typst.fontcoverage import covers, font_ranges

INDEX_FORMAT = 1
ROOTS = ("/usr/share/fonts", "/usr/local/share/fonts", "/usr/share/texmf/fonts", "~/.fonts", "~/.local/share/fonts",
         "/etc/fonts", "/etc/fonts/conf.d", "/Library/Fonts", "~/Library/Fonts", "/System/Library/Fonts")
_INVISIBLE = {"Cc", "Cf", "Zs", "Zl", "Zp", "Mn", "Me"}  # no glyph of their own is needed


@dataclass(frozen=True)
class Face:
    """One face of a font file."""

    path: str
    index: int
    family: str

    @property
    def folder(self) -> str:
        return os.path.dirname(self.path)


@dataclass
class FontIndex:
    """The faces Typst finds on this system (and in the extra folders), by family."""

    faces: tuple[Face, ...]
    families: dict[str, tuple[Face, ...]] = field(default_factory=dict)

    def __post_init__(self) -> None:
        grouped: dict[str, list[Face]] = {}
        for face in self.faces:
            grouped.setdefault(face.family.lower(), []).append(face)
        self.families = {name: tuple(faces) for name, faces in grouped.items()}

    def folders_for(self, text: str, wanted: Iterable[str]) -> tuple[str, ...]:
        """The folders Typst needs to set ``text`` with the font list ``wanted`` (see the module)."""
        chars = {ch for ch in text if unicodedata.category(ch) not in _INVISIBLE}
        needed: set[str] = set()
        remaining = set(chars)
        for family in wanted:
            faces = self.families.get(family.lower())
            if not faces or not remaining:
                continue
            family_ranges = [font_ranges(face.path, face.index) for face in faces]
            if not all(starts for starts, _ in family_ranges):  # a cmap this reader cannot read: keep it
                needed.update(face.folder for face in faces)
                continue
            has = {ch for ch in remaining if all(covers(r, ord(ch)) for r in family_ranges)}
            if has:
                needed.update(face.folder for face in faces)
                remaining -= has
        for face in self.faces if remaining else ():
            face_ranges = font_ranges(face.path, face.index)
            if not face_ranges[0] or any(covers(face_ranges, ord(ch)) for ch in remaining):
                needed.add(face.folder)
        return tuple(sorted(needed))

    def uncovered(self, text: str, wanted: Iterable[str] = ()) -> list[str]:
        """The characters of ``text`` no indexed font has, each once, in order (ASCII, spaces,
        controls and marks need no glyph of their own); ``wanted`` families are read first."""
        chars = dict.fromkeys(ch for ch in text if ord(ch) > 0x7F and unicodedata.category(ch) not in _INVISIBLE)
        todo = set(chars)
        order = [face for family in wanted for face in self.families.get(family.lower(), ())]
        for face in [*order, *self.faces] if todo else ():
            ranges = font_ranges(face.path, face.index)
            todo = {ch for ch in todo if not covers(ranges, ord(ch))}
            if not todo:
                break
        return [ch for ch in chars if ch in todo]


def cache_file() -> Path:
    """Where the index is kept."""
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return Path(base, "cvrender", "typst-fonts.json")


def _mtime(path: str) -> int | None:
    try:
        return os.stat(os.path.expanduser(path)).st_mtime_ns
    except OSError:
        return None


def _watched(folders: Iterable[str]) -> list[str]:
    """The folders whose change means the index is stale: the extra folders, each that held fonts,
    the ones above them (a new folder appears in its parent) up to two levels below the file
    system's root, and the usual roots."""
    watched = set(ROOTS)
    for folder in folders:
        path = Path(folder)
        while len(path.parts) > 3:
            watched.add(str(path))
            path = path.parent
    return sorted(watched)


def _signature(extra: tuple[str, ...], folders: Iterable[str]) -> dict[str, Any]:
    try:
        typst_version = version("typst")
    except PackageNotFoundError:  # pragma: no cover - the engine imports typst before this
        typst_version = "?"
    return {"format": INDEX_FORMAT, "typst": typst_version, "extra": list(extra),
            "mtimes": {folder: _mtime(folder) for folder in _watched([*extra, *folders])}}


def _scan(extra: tuple[str, ...]) -> FontIndex:
    import typst

    book = typst.Fonts(include_system_fonts=True, include_embedded_fonts=False, font_paths=list(extra))
    return FontIndex(tuple(Face(str(f.path), int(f.index), str(f.family)) for f in book.fonts() if f.path))


def _load(extra: tuple[str, ...]) -> FontIndex | None:
    try:
        data = json.loads(cache_file().read_text(encoding="utf-8"))
        faces = tuple(Face(str(p), int(i), str(f)) for p, i, f in data["faces"])
        if data["signature"] != _signature(extra, {face.folder for face in faces}):
            return None
        return FontIndex(faces)
    except (OSError, ValueError, KeyError, TypeError):
        return None


def _save(index: FontIndex, extra: tuple[str, ...]) -> None:
    data = {"signature": _signature(extra, {face.folder for face in index.faces}),
            "faces": [[face.path, face.index, face.family] for face in index.faces]}
    target = cache_file()
    with contextlib.suppress(OSError):  # a read-only home: the next process scans again
        target.parent.mkdir(parents=True, exist_ok=True)
        part = target.with_name(f".{target.name}.{os.getpid()}.part")
        part.write_text(json.dumps(data), encoding="utf-8")
        os.replace(part, target)


@lru_cache(maxsize=4)
def system_index(extra: tuple[str, ...]) -> tuple[FontIndex, bool]:
    """The index of the system's fonts and ``extra`` folders, and whether it was read from the
    cache (False: this process scanned every font, and wrote the cache)."""
    index = _load(extra)
    if index is not None:
        return index, True
    index = _scan(extra)
    _save(index, extra)
    return index, False


__all__ = ["Face", "FontIndex", "cache_file", "system_index"]
