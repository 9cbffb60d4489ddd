"""Who is "me" in an author list: match the owner's name and aliases against author names,
robust to initials, middle names, "Last, First" order, case, diacritics and hyphens."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache


def _fold(text: str) -> str:
    text = unicodedata.normalize("NFKD", text)
    text = "".join(c for c in text if not unicodedata.combining(c))
    return text.casefold()


_CJK = re.compile(r"[\u3040-\u30ff\u3400-\u9fff\uf900-\ufaff\uac00-\ud7af]")


@dataclass(frozen=True)
class NameKey:
    """A name split into given-name parts and a family name, folded for comparison."""

    given: tuple[str, ...]
    family: str
    raw: str

    @property
    def is_cjk(self) -> bool:
        """Names written in CJK characters compare as whole strings."""
        return bool(_CJK.search(self.raw))


@lru_cache(maxsize=4096)
def name_key(name: str) -> NameKey:
    """Parse ``Runxin Xu``, ``R. Xu``, ``Xu, Runxin`` or ``许润昕``."""
    raw = " ".join(name.replace("{", "").replace("}", "").split())
    if _CJK.search(raw):
        return NameKey((), _fold(raw.replace(" ", "")), raw)
    if "," in raw:
        family, _, given = raw.partition(",")
    else:
        parts = raw.split(" ")
        family, given = parts[-1], " ".join(parts[:-1])
        # particles such as "van der" belong to the family name
        while len(parts) > 2 and parts[-2].lower() in {"van", "von", "der", "de", "den", "da", "del", "la", "le", "di"}:
            parts = parts[:-2] + [parts[-2] + " " + parts[-1]]
            family, given = parts[-1], " ".join(parts[:-1])
    given_parts = tuple(
        p for p in re.split(r"[\s.\-]+", _fold(given)) if p
    )
    family_key = re.sub(r"[\s\-.']+", "", _fold(family))
    return NameKey(given_parts, family_key, raw)


def _given_compatible(a: tuple[str, ...], b: tuple[str, ...]) -> bool:
    if not a or not b:
        return True
    joined_a, joined_b = "".join(a), "".join(b)
    if joined_a == joined_b:  # "Run-xin" vs "Runxin"
        return True
    first_a, first_b = a[0], b[0]
    if len(first_a) == 1 or len(first_b) == 1:
        return first_a[0] == first_b[0]
    return first_a == first_b


def same_person(a: str, b: str) -> bool:
    """True when two written names plausibly denote the same person."""
    ka, kb = name_key(a), name_key(b)
    if ka.is_cjk or kb.is_cjk:
        return ka.is_cjk and kb.is_cjk and ka.family == kb.family
    if ka.family != kb.family:
        # "Xu Runxin" (family name first, no comma) against "Runxin Xu"
        swapped = name_key(" ".join(reversed(ka.raw.split(" ")))) if " " in ka.raw and "," not in ka.raw else None
        return bool(swapped and swapped.family == kb.family and _full_given(swapped, kb))
    return _given_compatible(ka.given, kb.given)


def _full_given(a: NameKey, b: NameKey) -> bool:
    return "".join(a.given) == "".join(b.given) and bool(a.given)


class AuthorMatcher:
    """Matches author names against the owner's name and aliases."""

    def __init__(self, names: list[str]):
        self.names = [n for n in names if n and n.strip()]

    def is_me(self, author: str) -> bool:
        """True when ``author`` is the profile owner."""
        return any(same_person(author, name) for name in self.names)
