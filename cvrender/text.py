"""Small text helpers shared by the stages (no I/O, no formats)."""

from __future__ import annotations

import re
from bisect import bisect_right

# Chinese, Japanese and Korean script: ideographs (with every extension), kana, hangul, bopomofo.
_CJK_SCRIPT = (
    (0x1100, 0x11FF),  # Hangul Jamo
    (0x2E80, 0x2FDF),  # CJK Radicals Supplement, Kangxi Radicals
    (0x2FF0, 0x2FFF),  # Ideographic Description Characters
    (0x3040, 0x30FF),  # Hiragana, Katakana
    (0x3100, 0x31FF),  # Bopomofo, Hangul Compatibility Jamo, Kanbun, CJK Strokes, Katakana Phonetic Extensions
    (0x3400, 0x4DBF),  # CJK Unified Ideographs Extension A
    (0x4E00, 0x9FFF),  # CJK Unified Ideographs
    (0xA960, 0xA97F),  # Hangul Jamo Extended-A
    (0xAC00, 0xD7FF),  # Hangul Syllables, Hangul Jamo Extended-B
    (0xF900, 0xFAFF),  # CJK Compatibility Ideographs
    (0x1AFF0, 0x1B16F),  # Kana Extended-B, Kana Supplement, Kana Extended-A, Small Kana Extension
    (0x20000, 0x2FA1F),  # Extensions B to F, I, CJK Compatibility Ideographs Supplement
    (0x30000, 0x323AF),  # Extensions G and H
)
# CJK punctuation and symbols, and the fullwidth forms CJK text uses ("，", "（", "Ａ").
_CJK_PUNCTUATION = (
    (0x3000, 0x303F),  # CJK Symbols and Punctuation (、。「」々〇)
    (0x3200, 0x33FF),  # Enclosed CJK Letters and Months, CJK Compatibility
    (0xFE30, 0xFE4F),  # CJK Compatibility Forms (vertical punctuation)
    (0xFF00, 0xFFEF),  # Halfwidth and Fullwidth Forms
)


def _table(ranges: tuple[tuple[int, int], ...]) -> tuple[list[int], list[int]]:
    ordered = sorted(ranges)
    return [lo for lo, _ in ordered], [hi for _, hi in ordered]


_SCRIPT = _table(_CJK_SCRIPT)
_ALL = _table(_CJK_SCRIPT + _CJK_PUNCTUATION)


def _in(table: tuple[list[int], list[int]], code: int) -> bool:
    index = bisect_right(table[0], code) - 1
    return index >= 0 and code <= table[1][index]


def is_cjk(text: str, *, punctuation: bool = True) -> bool:
    """True when ``text`` holds a Chinese, Japanese or Korean character: an ideograph (any
    extension), kana, hangul or bopomofo, and unless ``punctuation=False`` also CJK punctuation and
    fullwidth forms (which need a CJK font, and which CJK line breaking handles, but which do not
    make a name CJK)."""
    table = _ALL if punctuation else _SCRIPT
    return any(_in(table, ord(ch)) for ch in text if ord(ch) >= 0x1100)


__all__ = ["is_cjk"]


_PAGE_FIELDS = re.compile(r"(\{page\}|\{pages\})")


def page_template_parts(template: str) -> list[str]:
    """``"Page {page} of {pages}"`` -> ``["Page ", "{page}", " of ", "{pages}"]``: the text pieces and
    the two fields each format replaces with its own counters (empty pieces dropped)."""
    return [piece for piece in _PAGE_FIELDS.split(template) if piece]
