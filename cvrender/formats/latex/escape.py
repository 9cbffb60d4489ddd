"""The one place where text becomes LaTeX: ``str.translate`` tables, aware of the TeX engine.

Every value a LaTeX template prints passes through :func:`escape` (the backend's ``finalize``
calls it), unless it is already a :class:`LaTeX` string, the LaTeX counterpart of
``markupsafe.Markup``. ``xelatex`` and ``lualatex`` keep Unicode as it is (fonts do the rest);
``pdflatex`` keeps what LaTeX's ``utf8`` input encoding knows with the T1/TS1 font encodings,
maps Greek letters, a few symbols and accented letters to LaTeX commands, and stops with
:class:`UnsupportedCharacterError` (naming xelatex) for anything else, such as Chinese.

URLs get their own table (:func:`escape_url`): percent-encoded, then made safe for ``\\href``.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from functools import cache
from urllib.parse import quote

from cvrender.errors import EngineError
from cvrender.formats.latex.engine import ENGINES
from cvrender.text import is_cjk

UNICODE_ENGINES = frozenset({"xelatex", "lualatex"})


class LaTeX(str):
    """A string that is already LaTeX: printed as it is, never escaped again."""

    __slots__ = ()

    def __repr__(self) -> str:
        return f"LaTeX({str.__repr__(self)})"

    @classmethod
    def join(cls, parts: Iterable[LaTeX], sep: str = "") -> LaTeX:  # type: ignore[override]
        """Join LaTeX pieces (``sep`` must be LaTeX already)."""
        return cls(sep.join(parts))


class UnsupportedCharacterError(EngineError):
    """pdflatex cannot print a character of the profile; xelatex or lualatex can."""

    exit_code = 2


# Characters that mean something to TeX, and control characters, for every engine.
_SPECIALS: dict[int, str | None] = {
    ord("\\"): r"\textbackslash{}",
    ord("{"): r"\{",
    ord("}"): r"\}",
    ord("$"): r"\$",
    ord("&"): r"\&",
    ord("#"): r"\#",
    ord("^"): r"\textasciicircum{}",
    ord("_"): r"\_",
    ord("~"): r"\textasciitilde{}",
    ord("%"): r"\%",
    ord("<"): r"\textless{}",
    ord(">"): r"\textgreater{}",
    ord("|"): r"\textbar{}",
    ord("`"): r"\textasciigrave{}",
    ord("'"): r"\textquotesingle{}",  # not a TeX ligature for a curly quote: printed as typed
    ord('"'): r"\textquotedbl{}",
    ord("["): "{[}",  # never read as the optional argument of \item or \\
    ord("]"): "{]}",
    0x00A0: "~",  # no-break space
    0x00AD: r"\-",  # soft hyphen
    0x200B: "\\hskip0pt\\relax ",  # zero-width space: a line may break here (a primitive: safe in PDF anchors)
    0x2028: " ",
    0x2029: " ",
}
_SPECIALS.update({c: " " for c in (0x09, 0x0A, 0x0B, 0x0C, 0x0D)})  # whitespace: never a paragraph break
_SPECIALS.update({c: None for c in range(0x20) if c not in _SPECIALS})
_SPECIALS[0x7F] = None
_SPECIALS.update({c: None for c in range(0x80, 0xA0)})

# Superscript and subscript characters (S⁴, CO₂): few text fonts have glyphs for them beyond ¹²³,
# so every engine sets them with \textsuperscript / \textsubscript.
_SUPERSCRIPTS = dict(zip("⁰⁴⁵⁶⁷⁸⁹⁺⁻⁼⁽⁾ⁱⁿ", "0456789+-=()in", strict=True))
_SUBSCRIPTS = dict(zip("₀₁₂₃₄₅₆₇₈₉₊₋₌₍₎ₐₑₒₓₕₖₗₘₙₚₛₜ", "0123456789+-=()aeoxhklmnpst", strict=True))
_SPECIALS.update({ord(k): "\\textsuperscript{" + v + "}" for k, v in _SUPERSCRIPTS.items()})
_SPECIALS.update({ord(k): "\\textsubscript{" + v + "}" for k, v in _SUBSCRIPTS.items()})

# TeX ligatures that would turn literal text into other characters: -- ---  ,,  and !` ?` (the
# backquote is already mapped above). A zero kern separates the characters on every engine (an empty
# group is enough for pdflatex and xelatex, but not for LuaTeX's font features).
_LIGATURES = (("--", "-\\kern0pt{}-"), (",,", ",\\kern0pt{},"))

# What LaTeX's utf8 input encoding prints with T1 + TS1 + OMS loaded (from t1enc.dfu, ts1enc.dfu,
# omsenc.dfu), as code point ranges.
_PDFLATEX_NATIVE_RANGES = (
    "00A0-00B7 00B9-0125 0128-0137 0139-013E 0141-0148 014A-0165 0168-017E 0192 01C4-01D4 "
    "01E2-01E3 01E6-01EB 01F0 01F4-01F5 0218-021B 0232-0233 0237 02C7 02D8-02D9 02DB 02DD 0E3F "
    "1E02-1E03 1E0D 1E1E-1E21 1E25 1E30-1E31 1E37 1E43 1E45 1E47 1E5B 1E63 1E6D 1E8E-1E91 1E9E "
    "1EF2-1EF3 200C 2010-2016 2018-201A 201C-201E 2020-2022 2030-2031 2039-203B 203D 2044 204E "
    "2052 20A1 20A4 20A6 20A9 20AB-20AC 20B1 2103 2116-2117 211E 2120 2122 2126-2127 212E "
    "2190-2193 2422-2423 25E6 25EF 266A 27E8-27E9 FB00-FB06"
)

# Greek letters, U+03B1 .. U+03C9 and U+0391 .. U+03A9 ("-" is unassigned); one letter = itself.
_GREEK_SMALL = ("alpha", "beta", "gamma", "delta", "epsilon", "zeta", "eta", "theta", "iota", "kappa",
                "lambda", "mu", "nu", "xi", "o", "pi", "rho", "varsigma", "sigma", "tau", "upsilon", "phi",
                "chi", "psi", "omega")
_GREEK_CAPITAL = ("A", "B", "Gamma", "Delta", "E", "Z", "H", "Theta", "I", "K", "Lambda", "M", "N", "Xi", "O",
                  "Pi", "P", "-", "Sigma", "T", "Upsilon", "Phi", "X", "Psi", "Omega")

# Characters pdflatex cannot take as they are, but LaTeX commands can print.
_PDFLATEX_MAPPED: dict[int, str] = {
    0x2002: r"\enspace{}", 0x2003: r"\quad{}", 0x2009: r"\,", 0x200A: r"\,", 0x202F: r"\,",
    0x200B: r"\hspace{0pt}", 0x2011: r"\mbox{-}", 0x2012: "-", 0x2015: "---", 0x2026: r"\ldots{}",
    0x2032: r"\ensuremath{'}", 0x2033: r"\ensuremath{''}", 0x2043: "-", 0x2212: r"\ensuremath{-}",
    0x2194: r"\ensuremath{\leftrightarrow}", 0x21D2: r"\ensuremath{\Rightarrow}",
    0x2200: r"\ensuremath{\forall}", 0x2202: r"\ensuremath{\partial}", 0x2203: r"\ensuremath{\exists}",
    0x2205: r"\ensuremath{\emptyset}", 0x2207: r"\ensuremath{\nabla}", 0x2208: r"\ensuremath{\in}",
    0x2211: r"\ensuremath{\sum}", 0x220F: r"\ensuremath{\prod}", 0x2217: r"\ensuremath{\ast}",
    0x221A: r"\ensuremath{\surd}", 0x221D: r"\ensuremath{\propto}", 0x221E: r"\ensuremath{\infty}",
    0x2227: r"\ensuremath{\wedge}", 0x2228: r"\ensuremath{\vee}", 0x2229: r"\ensuremath{\cap}",
    0x222A: r"\ensuremath{\cup}", 0x222B: r"\ensuremath{\int}", 0x223C: r"\ensuremath{\sim}",
    0x2248: r"\ensuremath{\approx}", 0x2260: r"\ensuremath{\neq}", 0x2261: r"\ensuremath{\equiv}",
    0x2264: r"\ensuremath{\leq}", 0x2265: r"\ensuremath{\geq}", 0x226A: r"\ensuremath{\ll}",
    0x226B: r"\ensuremath{\gg}", 0x2282: r"\ensuremath{\subset}", 0x2286: r"\ensuremath{\subseteq}",
    0x22C5: r"\ensuremath{\cdot}", 0x2605: r"\ensuremath{\star}",
    0x03F5: r"\ensuremath{\epsilon}", 0x03D5: r"\ensuremath{\phi}", 0x03D1: r"\ensuremath{\vartheta}",
}
for _offset, _name in enumerate(_GREEK_SMALL):
    _PDFLATEX_MAPPED[0x03B1 + _offset] = _name if len(_name) == 1 else rf"\ensuremath{{\{_name}}}"
for _offset, _name in enumerate(_GREEK_CAPITAL):
    if _name != "-":
        _PDFLATEX_MAPPED[0x0391 + _offset] = _name if len(_name) == 1 else rf"\ensuremath{{\{_name}}}"

# Combining marks that LaTeX's T1 accent commands print, for letters the tables above lack
# (pinyin tone marks such as ǔ, Vietnamese letters).
_ACCENTS = {
    0x0300: "`", 0x0301: "'", 0x0302: "^", 0x0303: "~", 0x0304: "=", 0x0306: "u", 0x0307: ".",
    0x0308: '"', 0x030A: "r", 0x030B: "H", 0x030C: "v", 0x0323: "d", 0x0327: "c", 0x0328: "k",
    0x0331: "b",
}
_DOTLESS = {"i": r"\i", "j": r"\j"}
_BELOW = {0x0323, 0x0327, 0x0328, 0x0331}


def _ranges(spec: str) -> frozenset[int]:
    codes: set[int] = set()
    for part in spec.split():
        low, _, high = part.partition("-")
        codes.update(range(int(low, 16), int(high or low, 16) + 1))
    return frozenset(codes)


_PDFLATEX_NATIVE = _ranges(_PDFLATEX_NATIVE_RANGES)


def _accented(char: str) -> str | None:
    """``ǔ`` -> ``\\v{u}``: an ASCII letter under LaTeX accent commands, if it decomposes so."""
    decomposed = unicodedata.normalize("NFD", char)
    base, marks = decomposed[0], decomposed[1:]
    if not (base.isascii() and base.isalpha()) or not marks or any(ord(m) not in _ACCENTS for m in marks):
        return None
    out = _DOTLESS.get(base, base) if not all(ord(m) in _BELOW for m in marks) else base
    for mark in marks:
        out = "\\" + _ACCENTS[ord(mark)] + "{" + out + "}"
    return out


class _PdflatexTable(dict[int, str | None]):
    """The pdflatex translate table; characters outside it are looked up once, then cached."""

    def __missing__(self, code: int) -> str | None:
        if code < 0x80 or code in _PDFLATEX_NATIVE:
            value: str | None = chr(code)
        elif code in _PDFLATEX_MAPPED:
            value = _PDFLATEX_MAPPED[code]
        else:
            value = _accented(chr(code))
            if value is None:
                raise _Unprintable(code)
        self[code] = value
        return value


class _Unprintable(Exception):  # not a LookupError: str.translate must not swallow it
    def __init__(self, code: int):
        super().__init__(code)
        self.code = code


@cache
def table(engine: str) -> dict[int, str | None]:
    """The ``str.translate`` table for an engine."""
    if engine not in ENGINES:
        raise ValueError(f"unknown TeX engine {engine!r}")
    if engine in UNICODE_ENGINES:
        return dict(_SPECIALS)
    return _PdflatexTable(_SPECIALS)


def escape(text: object, engine: str = "xelatex") -> LaTeX:
    """Text as LaTeX that prints it literally; a :class:`LaTeX` value is returned unchanged."""
    if isinstance(text, LaTeX):
        return text
    value = breakable("" if text is None else str(text))
    try:
        out = value.translate(table(engine))
    except _Unprintable as exc:
        raise unsupported(value, exc.code, engine) from None
    for before, after in _LIGATURES:
        if before in out:
            out = out.replace(before, after).replace(before, after)
    return LaTeX(out)


_LONG_WORD = re.compile(r"\S{30,}")
_NO_BREAK_AROUND = frozenset("\u200b\u200c\u200d\u2060\ufeff")


_BREAK_AFTER = frozenset("@/-_?&=#")
_BREAK_BEFORE = frozenset(".")


def breakable(text: str, every: int = 20) -> str:
    """Long words (30 characters or more: URLs, e-mail addresses, identifiers) get zero-width spaces
    where a reader expects a break (after ``@``, ``/``, ``-``..., before ``.``), and one every
    ``every`` characters of a run without those, so that TeX can break them instead of running off
    the page."""
    if len(text) < 30:
        return text
    return _LONG_WORD.sub(lambda match: _break_word(match.group(), every), text)


def _can_break_before(char: str, previous: str) -> bool:
    return (not unicodedata.category(char).startswith("M") and char not in _NO_BREAK_AROUND
            and previous not in _NO_BREAK_AROUND and not 0xFE00 <= ord(char) <= 0xFE0F
            and not 0x1F3FB <= ord(char) <= 0x1F3FF)


def _break_word(word: str, every: int) -> str:
    out, run = [], 0
    for index, char in enumerate(word):
        previous = word[index - 1] if index else ""
        if is_cjk(char) or is_cjk(previous):  # CJK text breaks on its own (xeCJK, luatexja, our Lua filter)
            run = 0
        else:
            natural = 0 < index < len(word) - 1 and (previous in _BREAK_AFTER or char in _BREAK_BEFORE) and run >= 3
            if (natural or run >= every) and _can_break_before(char, previous):
                out.append("\u200b")
                run = 0
        out.append(char)
        run += 1
    return "".join(out)


def unsupported(text: str, code: int, engine: str) -> UnsupportedCharacterError:
    """The error for a character ``engine`` cannot print, quoting the text it is in."""
    char = chr(code)
    kind = "Chinese, Japanese or Korean text" if is_cjk(char) else f"the character '{char}'"
    excerpt = text if len(text) <= 60 else text[:57] + "..."
    name = unicodedata.name(char, "")
    return UnsupportedCharacterError(
        f"{engine} cannot print {kind} (U+{code:04X}{' ' + name if name else ''}) in \"{excerpt}\"; "
        f"build with --engine xelatex (or lualatex)")


def check_printable(text: str, engine: str) -> None:
    """Raise :class:`UnsupportedCharacterError` if ``engine`` cannot print ``text``."""
    escape(text, engine)


# URLs: percent-encode what is not plainly safe, then escape what \href would still read as TeX
# (``~`` stays: hyperref prints active characters literally in URLs, even inside arguments).
_URL_SAFE = "/:@!$&'()*+,;=?-._~%#"
_URL_TABLE: dict[int, str] = {ord("%"): r"\%", ord("#"): r"\#", ord("&"): r"\&", ord("$"): r"\$"}


def escape_url(url: str) -> LaTeX:
    """A URL ready for the first argument of ``\\href`` (also inside other commands' arguments)."""
    encoded = quote(url.strip(), safe=_URL_SAFE)
    return LaTeX(encoded.translate(_URL_TABLE))


__all__ = ["LaTeX", "UnsupportedCharacterError", "check_printable", "escape", "escape_url", "table"]
