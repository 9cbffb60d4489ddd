"""Characters that no installed font can show, found once per process from fontconfig.

A character without a glyph in any font is drawn as a blank ``.notdef`` box; WeasyPrint then
writes that font with a custom encoding that pypdf and pdfminer read as garbage, and the whole
line (a name, a headline) is lost to them. Such a character is reported where the profile has it
and printed as U+FFFD (a replacement character every font set has), so the text around it stays
readable by every extractor.
"""

from __future__ import annotations

import bisect
import shutil
import subprocess
import unicodedata
from collections.abc import Iterable, Iterator
from functools import lru_cache
from typing import Any

REPLACEMENT = "\ufffd"
# Invisible characters (joiners, spaces) need no glyph of their own.
_SKIP_CATEGORIES = frozenset({"Cc", "Cf", "Zs", "Zl", "Zp"})


Ranges = tuple[tuple[int, ...], tuple[int, ...]]  # (starts, ends) of code point ranges, sorted, disjoint


def merge_ranges(pairs: Iterable[tuple[int, int]]) -> Ranges:
    """(first, last) code point pairs, in any order and overlapping, as sorted disjoint ranges."""
    starts: list[int] = []
    ends: list[int] = []
    for first, last in sorted(pairs):
        if starts and first <= ends[-1] + 1:
            ends[-1] = max(ends[-1], last)
        else:
            starts.append(first)
            ends.append(last)
    return tuple(starts), tuple(ends)


def covers(ranges: Ranges, code: int) -> bool:
    """True when ``code`` lies in one of the ranges."""
    starts, ends = ranges
    at = bisect.bisect_right(starts, code) - 1
    return at >= 0 and code <= ends[at]


@lru_cache(maxsize=1)
def _installed() -> tuple[tuple[int, ...], tuple[int, ...], tuple[str, ...]] | None:
    """Merged code-point ranges (starts, ends) of every installed font, and the font families;
    None when fontconfig's ``fc-list`` is not there to ask."""
    if shutil.which("fc-list") is None:
        return None
    out = subprocess.run(["fc-list", "--format", "%{family[0]}\t%{charset}\n"], capture_output=True,
                         text=True, check=False)
    ranges: list[tuple[int, int]] = []
    families: set[str] = set()
    for line in out.stdout.splitlines():
        family, _, charset = line.partition("\t")
        if family:
            families.add(family)
        for token in charset.split():
            low, _, high = token.partition("-")
            try:
                ranges.append((int(low, 16), int(high or low, 16)))
            except ValueError:
                continue
    if not ranges:
        return None
    starts, ends = merge_ranges(ranges)
    return starts, ends, tuple(sorted(families))


def installed_families() -> tuple[str, ...]:
    """The families of the installed fonts (empty when fontconfig cannot be asked)."""
    installed = _installed()
    return installed[2] if installed else ()


def has_glyph(char: str) -> bool:
    """True when some installed font covers ``char`` (or when that cannot be told)."""
    installed = _installed()
    if installed is None or ord(char) < 0x80 or unicodedata.category(char) in _SKIP_CATEGORIES:
        return True
    if 0xFE00 <= ord(char) <= 0xFE0F or 0x1F3FB <= ord(char) <= 0x1F3FF or 0xE0020 <= ord(char) <= 0xE007F:
        return True  # variation selectors, skin tones and tag characters modify the character before them
    return covers(installed[:2], ord(char))


def uncovered(text: str) -> list[str]:
    """The characters of ``text`` that no installed font covers, each once, in order."""
    return [ch for ch in dict.fromkeys(text) if not has_glyph(ch)]


def replace_uncovered(text: str) -> str:
    """``text`` with every character no font covers replaced by U+FFFD."""
    missing = uncovered(text)
    return text.translate({ord(ch): REPLACEMENT for ch in missing}) if missing else text


def strings(data: Any, path: tuple[str | int, ...] = ()) -> Iterator[tuple[tuple[str | int, ...], str]]:
    """Every string in plain data (a loaded profile), with its path."""
    if isinstance(data, str):
        yield path, data
    elif isinstance(data, dict):
        for key, value in data.items():
            yield from strings(value, (*path, key))
    elif isinstance(data, list):
        for index, value in enumerate(data):
            yield from strings(value, (*path, index))


def describe(char: str) -> str:
    """``'𓀀' (U+13000 EGYPTIAN HIEROGLYPH A001)``."""
    name = unicodedata.name(char, "")
    return f"'{char}' (U+{ord(char):04X}{' ' + name if name else ''})"


__all__ = ["REPLACEMENT", "Ranges", "covers", "describe", "has_glyph", "installed_families", "merge_ranges",
           "replace_uncovered", "strings", "uncovered"]
