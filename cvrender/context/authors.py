"""Who is "me" in an author list: the owner's name and aliases matched against author names.

A written name is split into given names and a family name (``Runxin Xu``, ``Xu, Runxin``,
``R. Xu``, ``XU Runxin``, ``Xu Runxin``); comparison ignores case, diacritics, dots, hyphens and
apostrophes (``Ren-Xin`` = ``Renxin`` = ``Ren Xin``), particles (``van``, ``de la``), and
suffixes (``Jr.``). Names in CJK characters (``许润昕``) compare as whole strings.

The rule (documented for users in :class:`AuthorMatcher`):

1. The family names must be equal. A name without a comma is read given-first, and also
   family-first (``Xu Runxin``), so either order matches.
2. A *full* reference name (the owner's name or an alias with a spelled-out first name, such as
   ``Runxin Xu``) matches an author whose first given name is the same (``Runxin Xu``,
   ``Runxin J. Xu``) or is only an initial that fits (``R. Xu``, ``R.-X. Xu`` against ``Run-Xin Xu``).
   Middle names may be missing on either side, but two middle names that disagree do not match.
3. An *abbreviated* reference (an alias with initials only, such as ``R. Xu``) matches only
   authors written with initials that fit (``R. Xu``, ``Xu, R.``, ``R. J. Xu``); it never matches a
   spelled-out first name, because ``R. Xu`` says nothing about whether ``Rui Xu`` is you. Add
   ``Rui Xu`` to your aliases if it is.
4. A different spelled-out first name never matches (``Ziyun Xu`` and ``Rui Xu`` are not
   ``Runxin Xu``), and a bare family name (``Xu``) matches only a bare family name.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache

from cvrender.text import is_cjk

_PARTICLES = frozenset({
    "van", "von", "der", "den", "de", "da", "del", "della", "di", "du", "la", "le", "dos", "das",
    "ter", "ten", "zu", "af", "al", "el", "bin", "ibn",
})
_SUFFIXES = frozenset({"jr", "sr", "ii", "iii", "iv", "phd"})
_SEPARATORS = re.compile(r"[\s.\-‐‑–'’]+")


def fold(text: str) -> str:
    """Lower case without diacritics: ``Müller`` -> ``muller``, ``Łukasz`` -> ``lukasz``."""
    text = unicodedata.normalize("NFKD", text)
    text = "".join(c for c in text if not unicodedata.combining(c))
    return text.casefold().translate(_EXTRA_FOLDS)


_EXTRA_FOLDS = str.maketrans({"ł": "l", "ø": "o", "đ": "d", "ß": "ss", "æ": "ae", "œ": "oe", "ı": "i"})


@dataclass(frozen=True)
class NameKey:
    """One reading of a written name: folded given names, their initials, and the family name."""

    given: tuple[str, ...]
    initials: str
    abbreviated: bool
    family: str
    raw: str

    @property
    def is_cjk(self) -> bool:
        """Names written in CJK characters compare as whole strings."""
        return is_cjk(self.raw, punctuation=False)


def _clean(name: str) -> str:
    return " ".join(name.replace("{", "").replace("}", "").replace("~", " ").split())


def _family_key(words: list[str]) -> str:
    """The family name without particles and separators (``van der Berg`` -> ``berg``)."""
    kept = [w for w in words if fold(w).strip(".") not in _PARTICLES] or words
    return _SEPARATORS.sub("", fold(" ".join(kept)))


_DOTS_HYPHENS = re.compile(r"[.\-‐‑–]+")
_HYPHENS = re.compile(r"[\-‐‑–]+")


def _given_word(word: str) -> tuple[str, str, bool] | None:
    """``Run-Xin`` -> (``runxin``, ``rx``, False); ``R.-X.`` -> (``rx``, ``rx``, True)."""
    folded = fold(word).replace("'", "").replace("’", "")
    pieces = [p for p in _DOTS_HYPHENS.split(folded) if p]
    if not pieces or "".join(pieces) in _SUFFIXES:
        return None
    if all(len(p) == 1 for p in pieces):
        return "".join(pieces), "".join(pieces), True
    initials = "".join(p.strip(".")[:1] for p in _HYPHENS.split(folded) if p.strip("."))
    return "".join(pieces), initials, False


def _key(given: str, family: list[str], raw: str) -> NameKey:
    words = [w for w in (_given_word(x) for x in given.split()) if w]
    return NameKey(
        given=tuple(w[0] for w in words), initials="".join(w[1] for w in words),
        abbreviated=bool(words) and all(w[2] for w in words), family=_family_key(family), raw=raw)


def _is_initial(word: str) -> bool:
    pieces = [p for p in _SEPARATORS.split(word) if p]
    return bool(pieces) and all(len(p) == 1 for p in pieces)


@lru_cache(maxsize=8192)
def readings(name: str) -> tuple[NameKey, ...]:
    """Every plausible reading of a written name (given-first, and family-first without a comma)."""
    raw = _clean(name)
    if not raw:
        return ()
    if is_cjk(raw, punctuation=False):
        return (NameKey((), "", False, fold(raw.replace(" ", "")), raw),)
    if "," in raw:
        family, _, rest = raw.partition(",")
        # "King, Jr., Martin Luther": the part after the second comma holds the given names
        if "," in rest:
            first, _, second = rest.partition(",")
            rest = second if fold(first).strip(" .") in _SUFFIXES else first + " " + second
        return (_key(rest, family.split(), raw),)
    words = [w for w in raw.split(" ") if fold(w).strip(".,") not in _SUFFIXES] or raw.split(" ")
    if len(words) == 1:
        return (_key("", words, raw),)
    # "XU Runxin": a word in capitals among mixed-case words is the family name
    caps = [i for i, w in enumerate(words) if len(w) > 1 and w.isupper() and not _is_initial(w)]
    if caps and len(caps) < len(words):
        given = " ".join(w for i, w in enumerate(words) if i not in caps)
        return (_key(given, [words[i] for i in caps], raw),)
    found: list[NameKey] = []
    # given-first: the family name starts at the first particle before the last word
    start = len(words) - 1
    while start > 1 and fold(words[start - 1]) in _PARTICLES:
        start -= 1
    if not _is_initial(words[-1]):
        found.append(_key(" ".join(words[:start]), words[start:], raw))
    # family-first: "Xu Runxin", "Xu R."
    if not _is_initial(words[0]):
        found.append(_key(" ".join(words[1:]), words[:1], raw))
    return tuple(found)


def _prefix_agree(a: str, b: str) -> bool:
    """Initials agree on what both give: ``r`` and ``rx`` agree, ``rj`` and ``rx`` do not."""
    n = min(len(a), len(b))
    return n > 0 and a[:n] == b[:n]


def _givens_agree(reference: NameKey, author: NameKey) -> bool:
    ref, auth = reference.given, author.given
    if not ref or not auth:
        return not ref and not auth
    if reference.abbreviated:
        # rule 3: an alias with initials only covers names written with initials, nothing more
        return author.abbreviated and _prefix_agree(reference.initials, author.initials)
    if author.abbreviated:
        return _prefix_agree(author.initials, reference.initials)
    if "".join(ref) == "".join(auth):
        return True  # "Run-Xin", "Run Xin" and "Runxin"
    if ref[0] != auth[0]:
        return False
    # middle names: compare what both sides give; an initial agrees with a name it starts
    for a, b in zip(ref[1:], auth[1:], strict=False):
        if a != b and not ((len(a) == 1 or len(b) == 1) and a[0] == b[0]):
            return False
    return True


def _agree(reference: NameKey, author: NameKey) -> bool:
    if reference.is_cjk or author.is_cjk:
        return reference.is_cjk and author.is_cjk and reference.family == author.family
    return reference.family == author.family and _givens_agree(reference, author)


def same_person(reference: str, author: str) -> bool:
    """True when ``author`` as written plausibly is the person called ``reference``."""
    return any(_agree(r, a) for r in readings(reference) for a in readings(author))


class AuthorMatcher:
    """Decides whether an author is the profile owner, given the owner's name and aliases.

    ``Runxin Xu`` matches ``Xu, Runxin``, ``R. Xu``, ``RUNXIN XU``, ``Run-Xin Xu``, ``Xu Runxin``
    and ``Runxin J. Xu``, but not ``Rui Xu`` or ``Ziyun Xu``. An alias with initials only
    (``R. Xu``) matches names written with initials, never a spelled-out first name.
    """

    def __init__(self, names: Iterable[str]):
        self.names = [n for n in names if n and n.strip()]
        self._readings = [r for n in self.names for r in readings(n)]

    def is_me(self, author: str) -> bool:
        """True when ``author`` is the profile owner."""
        return any(_agree(r, a) for a in readings(author) for r in self._readings)


__all__ = ["AuthorMatcher", "NameKey", "fold", "readings", "same_person"]
