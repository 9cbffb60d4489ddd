"""Which characters a font file maps, read straight from its ``cmap`` table (formats 4 and 12).

A few thousand ranges per font, read in milliseconds even from a large CJK collection, so the
Typst engine can say which characters no installed font shows without parsing whole fonts.
"""

from __future__ import annotations

import struct
from functools import lru_cache
from typing import BinaryIO

from cvrender.glyphs import Ranges, covers, merge_ranges

_PREFERRED = ((3, 10), (0, 6), (0, 4), (3, 1), (0, 3), (0, 2), (0, 1), (0, 0))


@lru_cache(maxsize=512)
def font_ranges(path: str, index: int = 0) -> Ranges:
    """(starts, ends) of the code point ranges a font maps; empty when the file cannot be read."""
    try:
        with open(path, "rb") as handle:
            return _ranges(_cmap_table(handle, index))
    except (OSError, struct.error, ValueError, IndexError):
        return (), ()


def _read(handle: BinaryIO, offset: int, size: int) -> bytes:
    handle.seek(offset)
    data = handle.read(size)
    if len(data) != size:
        raise ValueError("truncated font file")
    return data


def _cmap_table(handle: BinaryIO, index: int) -> bytes:
    """The bytes of the ``cmap`` table of font ``index`` (only the parts read, not the whole file)."""
    offset = 0
    head = _read(handle, 0, 12)
    if head[:4] == b"ttcf":
        count = struct.unpack_from(">I", head, 8)[0]
        if index >= count:
            return b""
        offset = struct.unpack(">I", _read(handle, 12 + 4 * index, 4))[0]
        head = _read(handle, offset, 12)
    tables = struct.unpack_from(">H", head, 4)[0]
    directory = _read(handle, offset + 12, 16 * tables)
    for i in range(tables):
        tag, _, table_offset, length = struct.unpack_from(">4sIII", directory, 16 * i)
        if tag == b"cmap":
            return _read(handle, table_offset, length)
    return b""


def _ranges(data: bytes) -> Ranges:
    if not data:
        return (), ()
    cmap = 0
    subtables: dict[tuple[int, int], int] = {}
    for i in range(struct.unpack_from(">H", data, cmap + 2)[0]):
        platform, encoding, sub = struct.unpack_from(">HHI", data, cmap + 4 + 8 * i)
        subtables.setdefault((platform, encoding), cmap + sub)
    for key in _PREFERRED:
        if key in subtables:
            start = subtables[key]
            kind = struct.unpack_from(">H", data, start)[0]
            if kind == 12:
                return _format12(data, start)
            if kind == 4:
                return _format4(data, start)
    return (), ()


def _format12(data: bytes, start: int) -> Ranges:
    groups = struct.unpack_from(">I", data, start + 12)[0]
    values = struct.unpack_from(f">{3 * groups}I", data, start + 16)
    return merge_ranges(zip(values[0::3], values[1::3], strict=True))


def _format4(data: bytes, start: int) -> Ranges:
    segments = struct.unpack_from(">H", data, start + 6)[0] // 2
    ends = struct.unpack_from(f">{segments}H", data, start + 14)
    starts = struct.unpack_from(f">{segments}H", data, start + 16 + 2 * segments)
    # Glyph 0 inside a range (a hole) is rare enough to ignore here; 0xFFFF closes the table.
    pairs = [(s, e) for s, e in zip(starts, ends, strict=True) if s != 0xFFFF]
    return merge_ranges(pairs)


__all__ = ["covers", "font_ranges"]
