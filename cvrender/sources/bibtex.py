r"""Publications from BibTeX, biblatex and al-folio files (bibtexparser 2), merged with the profile's own.

Lenient by default: an entry or field that cannot be used is left out with one warning line
``file:line: key: what happened`` (``BibOptions.strict`` makes those errors). Text fields are
decoded once, here: LaTeX to Unicode (``{\"u}`` -> ü, ``$O(n^2)$`` -> O(n²), ``\mkbibquote``,
``\hyphen``; ``\emph``/``\textbf`` as inline Markdown in titles and notes) and al-folio's HTML
(entities, ``<b>``; ``<b>Name</b>`` in an author list is the owner). Verbatim fields (url, doi,
eprint, link fields) are never decoded. biblatex's ``crossref``/``xdata`` are resolved with biber's
inheritance rules, ``@set``/``@xdata`` are not printed. docs/bibtex.md is the user's account.

How fields map to a publication:

====================================  ===========================================================
BibTeX                                publication
====================================  ===========================================================
entry type                            ``type``: article -> journal (an arXiv/CoRR/bioRxiv journal
                                      -> preprint); inproceedings, conference -> conference (a
                                      booktitle with "Workshop" -> workshop); incollection, inbook
                                      -> chapter; book; phdthesis, mastersthesis, thesis -> thesis;
                                      patent; techreport, report -> report; misc, unpublished,
                                      online, preprint -> preprint with an arXiv id, else other.
                                      A ``pubtype`` field overrides (``pubtype = {workshop}``).
``author``                            authors, "Last, First" or "First Last"; ``and others`` ->
                                      "et al."; printed "First von Last Jr."
``journal`` / ``booktitle``           venue (theses: school; reports: institution; misc:
                                      howpublished)
``abbr``, ``shortvenue``,             short venue (``ACL``); a trailing ``(ACL)`` in the
``venue_short``, ``shortjournal``,    booktitle gives it too
``shortbooktitle``
``year``, ``month``, ``date``         year and date (months: jan, 6, June); ``year = {to appear}``
                                      becomes a note
``volume``, ``number``, ``pages``,    printed with the long venue form
``publisher``
``doi``, ``url``                      DOI link, title link
``eprint`` (+ ``archiveprefix`` /     arXiv link (also an ``arxiv`` field, an arxiv.org URL, or
``eprinttype``)                       "arXiv:2101.00001" in the journal)
``pdf``, ``code``, ``slides``,        labelled links [PDF] [Code] ... (a value that is not a web
``video``, ``poster``, ``project``,   link is left out with a warning)
``website``, ``blog``, ``data``,
``demo``, ``supp``
``note``, ``award``                   notes: Oral, Spotlight, Best Paper (split at ``;``)
``selected``                          ``selected = {true}`` puts it in "Selected publications"
====================================  ===========================================================

Author roles, by 1-based author position (lists ``{1,2}`` or ranges ``{1-3}``)::

    equal = {1,2}   corresponding = {3}   cofirst = {1,2}   student = {2}   advisee = {4}
    me = {2}        # this author is the profile owner, whatever the spelling

or as biblatex data annotations, ``author+an = {1=equal; 2=equal,corresponding; 3=highlight}``
(``highlight`` or ``me`` names the owner). Naming the owner turns name matching off for that
entry. Marks written after a name also work: ``Runxin Xu*``, ``Xu$^\dagger$, Runxin``
(* equal contribution, † corresponding, ‡ co-first).

A publication in the profile whose ``id`` is a BibTeX key replaces that entry.
"""

from __future__ import annotations

import dataclasses
import logging
import re
import unicodedata
from functools import lru_cache
from html.parser import HTMLParser
from pathlib import Path
from typing import Any
from urllib.parse import quote, urljoin

import bibtexparser
from bibtexparser import model as bm
from bibtexparser.exceptions import BlockAbortedException
from bibtexparser.library import Library
from bibtexparser.middlewares.names import (
    InvalidNameError,
    parse_single_name_into_parts,
    split_multiple_persons_names,
)
from pydantic import ValidationError
from pydantic_core import PydanticCustomError

from cvrender.context.words import bib_word
from cvrender.errors import Problem, ProfileError, Warnings
from cvrender.model.base import _check_url
from cvrender.model.publications import Publication
from cvrender.sources.validation import explain

MAX_BYTES = 20 * 1024 * 1024

# bibtexparser logs each broken block, pylatexenc each macro it cannot expand; we report them
# ourselves, with file and line
logging.getLogger("bibtexparser").setLevel(logging.CRITICAL)
logging.getLogger("pylatexenc").setLevel(logging.CRITICAL)

_MONTHS = {
    "jan": 1, "feb": 2, "mar": 3, "apr": 4, "may": 5, "jun": 6, "jul": 7, "aug": 8, "sep": 9,
    "oct": 10, "nov": 11, "dec": 12,
}
_MONTH_NAMES = {
    "january": 1, "february": 2, "march": 3, "april": 4, "june": 6, "july": 7, "august": 8,
    "september": 9, "sept": 9, "october": 10, "november": 11, "december": 12,
}
LINK_FIELDS = {
    "pdf": "PDF", "code": "Code", "slides": "Slides", "video": "Video", "poster": "Poster",
    "project": "Project", "website": "Website", "blog": "Blog", "data": "Data", "demo": "Demo",
    "supp": "Supplement", "html": "HTML", "codeurl": "Code",
}
SHORT_VENUE_FIELDS = ("abbr", "shortvenue", "venue_short", "_venue", "shortjournal", "shortbooktitle")
ROLE_FIELDS = {
    "equal": "equal", "corresponding": "corresponding", "cofirst": "co_first", "co_first": "co_first",
    "student": "student", "advisee": "advisee",
}
_ANNOTATION_ROLES = {**ROLE_FIELDS, "highlight": "me", "me": "me"}
_NAME_MARKS = {"*": "equal", "†": "corresponding", "‡": "co_first"}
_ARXIV_ID = re.compile(r"(?:arxiv[:\s]*|abs/|arxiv\.org/(?:abs|pdf)/)?((?:\d{4}\.\d{4,5}|[a-z\-]+(?:\.[A-Z]{2})?/\d{7})(?:v\d+)?)",
                       re.I)
_PREPRINT_SERVERS = re.compile(r"\b(arxiv|corr|biorxiv|medrxiv|chemrxiv|ssrn|psyarxiv|preprints?)\b", re.I)
_SHORT_IN_PARENS = re.compile(r"\s*\(\s*([A-Z][\w&+\-/' ]{0,30}?)\s*\)\s*$")
_NOT_YET = {"to appear", "in press", "forthcoming", "accepted", "submitted", "under review", "in preparation"}


# ----- LaTeX to Unicode ---------------------------------------------------------------------------

_SUPERSCRIPTS = dict(zip("0123456789+-−=()niabcdefghjklmoprstuvwxyzT", "⁰¹²³⁴⁵⁶⁷⁸⁹⁺⁻⁻⁼⁽⁾ⁿⁱᵃᵇᶜᵈᵉᶠᵍʰʲᵏˡᵐᵒᵖʳˢᵗᵘᵛʷˣʸᶻᵀ", strict=True))
_SUBSCRIPTS = dict(zip("0123456789+-−=()aehijklmnoprstuvx", "₀₁₂₃₄₅₆₇₈₉₊₋₋₌₍₎ₐₑₕᵢⱼₖₗₘₙₒₚᵣₛₜᵤᵥₓ", strict=True))
# marks a superscript keeps as they are (author marks, primes)
_SUPERSCRIPT_MARKS = {"*": "*", "∗": "*", "⋆": "*", "†": "†", "‡": "‡", "§": "§", "¶": "¶", "′": "′", "'": "′"}
_PLAIN_MATH_FONTS = ("mathcal", "mathbf", "mathit", "mathsf", "mathrm", "mathtt", "boldsymbol", "bm",
                     "operatorname", "text", "textrm", "mathscr", "mathfrak")


@lru_cache(maxsize=2)
def _converter_dbs(markup: bool) -> tuple[Any, Any]:
    r"""pylatexenc's parser and text tables, taught the macros .bib files use (biblatex's too).

    With ``markup`` emphasis becomes inline Markdown (``*x*``, ``**x**``) and ``\href`` a link, for
    fields printed as rich text; without it they are plain text.
    """
    from pylatexenc import latex2text, macrospec
    from pylatexenc.latexwalker import get_default_latex_context_db

    one_arg = ("url", "textsuperscript", "mkbibquote", "enquote", "mkbibemph", "mkbibitalic", "mkbibbold",
               "textsc", "texttt", "mkbibacro", "mkbibsuperscript", "textnormal", *_PLAIN_MATH_FONTS)
    walker_db = get_default_latex_context_db()
    walker_db.add_context_category("cvrender", prepend=True, macros=[
        macrospec.MacroSpec("href", "{{"), macrospec.MacroSpec("hyphen", ""),
        *(macrospec.MacroSpec(name, "{") for name in one_arg),
    ])

    def arg(node: Any, index: int, l2t: Any) -> str:
        args = node.nodeargd.argnlist if node.nodeargd else []
        value = args[index] if index < len(args) else None
        return l2t.nodelist_to_text([value]) if value is not None else ""

    def verbatim(node: Any, index: int) -> str:
        args = node.nodeargd.argnlist if node.nodeargd else []
        value = args[index] if index < len(args) else None
        return clean_verbatim(value.latex_verbatim()) if value is not None else ""

    def styled(mark: str) -> Any:
        def repl(n: Any, l2tobj: Any) -> str:
            inner = arg(n, 0, l2tobj)
            return f"{mark}{inner}{mark}" if markup and inner.strip() else inner
        return repl

    def href(n: Any, l2tobj: Any) -> str:
        text, url = arg(n, 1, l2tobj), verbatim(n, 0)
        return f"[{text}]({url})" if markup and text and url else text or url

    text_db = latex2text.get_default_latex_context_db()
    spec = latex2text.MacroTextSpec
    text_db.add_context_category("cvrender", prepend=True, macros=[
        *(spec(name, simplify_repl=styled("*")) for name in ("emph", "textit", "textsl", "mkbibemph",
                                                             "mkbibitalic")),
        *(spec(name, simplify_repl=styled("**")) for name in ("textbf", "mkbibbold")),
        *(spec(name, simplify_repl=lambda n, l2tobj: arg(n, 0, l2tobj))
          for name in ("textsuperscript", "mkbibsuperscript", "textsc", "texttt", "mkbibacro", "textnormal",
                       *_PLAIN_MATH_FONTS)),
        spec("mkbibquote", simplify_repl=lambda n, l2tobj: f"“{arg(n, 0, l2tobj)}”"),
        spec("enquote", simplify_repl=lambda n, l2tobj: f"“{arg(n, 0, l2tobj)}”"),
        spec("hyphen", "-"), spec("ddagger", "‡"), spec("ddag", "‡"), spec("dag", "†"),
        spec("url", simplify_repl=lambda n, l2tobj: verbatim(n, 0)),
        spec("href", simplify_repl=href),
        spec("cite", discard=True), spec("citep", discard=True), spec("citet", discard=True),
        spec("LaTeX", "LaTeX"), spec("TeX", "TeX"), spec("BibTeX", "BibTeX"),
    ])
    return walker_db, text_db


def _script_argument(latex: str, i: int) -> tuple[str, int]:
    """The argument of ``^``/``_`` starting at ``i``: a braced group, a macro or one character."""
    while i < len(latex) and latex[i] == " ":
        i += 1
    if i >= len(latex):
        return "", i
    if latex[i] == "{":
        depth = 0
        for j in range(i, len(latex)):
            depth += {"{": 1, "}": -1}.get(latex[j], 0)
            if depth == 0:
                return latex[i + 1: j], j + 1
        return latex[i + 1:], len(latex)
    macro = re.match(r"\\(?:[A-Za-z]+|.)", latex[i:])
    if macro:
        return macro.group(0), i + len(macro.group(0))
    return latex[i], i + 1


def _math_to_text(latex: str, markup: bool) -> tuple[str, bool]:
    r"""Inline math as text: macros to Unicode (``\alpha`` -> α), scripts to Unicode super- and
    subscripts (``n^2`` -> n², ``^{\dagger}`` -> †). False when something could not be converted
    (then scripts read ``^(...)``)."""
    ok = True
    buffer: list[str] = []
    i = 0
    while i < len(latex):
        ch = latex[i]
        if ch == "\\":
            macro = re.match(r"\\(?:[A-Za-z]+|.)", latex[i:])
            assert macro is not None
            i += len(macro.group(0))
            # a space after a macro name separates words in math (\log n); keep it as TeX would print it
            spaced = macro.group(0)[1:].isalpha() and i < len(latex) and latex[i] == " "
            buffer.append(macro.group(0) + ("{}" if spaced else ""))
            continue
        if ch in "^_":
            argument, i = _script_argument(latex, i + 1)
            inner, inner_ok = _math_to_text(argument, markup)
            ok = ok and inner_ok
            inner = inner.strip()
            table = _SUPERSCRIPTS if ch == "^" else _SUBSCRIPTS
            if ch == "^" and inner and all(c in _SUPERSCRIPT_MARKS for c in inner):
                buffer.append("".join(_SUPERSCRIPT_MARKS[c] for c in inner))
            elif inner and all(c in table for c in inner):
                buffer.append("".join(table[c] for c in inner))
            else:
                ok = False
                buffer.append(ch + (inner if len(inner) == 1 else f"({inner})"))
            continue
        buffer.append(ch)
        i += 1
    source = "".join(buffer)
    _, text_db = _converter_dbs(markup)
    for name in re.findall(r"\\([A-Za-z]+)", source):
        if text_db.get_macro_spec(name) is None:
            ok = False
    text, _ = _convert(source, markup, in_math=True)
    if "%s" in text:  # a macro missing its arguments (\frac alone)
        ok, text = False, text.replace("%s", "")
    return text, ok


def _node_converter(markup: bool, issues: list[str]) -> Any:
    """A pylatexenc text converter whose inline math goes through :func:`_math_to_text`."""
    from pylatexenc import latex2text

    _, text_db = _converter_dbs(markup)

    class Converter(latex2text.LatexNodes2Text):
        def math_node_to_text(self, node: Any) -> str:
            source = node.latex_verbatim()
            opening, closing = getattr(node, "delimiters", ("$", "$"))
            inner = source[len(opening): len(source) - len(closing)] if source.endswith(closing) else source
            text, ok = _math_to_text(inner, markup)
            if not ok:
                issues.append(f"the math '{source[:60]}' cannot be written as text; printed as '{text[:60]}'")
            return text

    return Converter(latex_context=text_db, math_mode="text")


_NEEDS_LATEX = re.compile(r"[\\{}$~^]|--|``|''")


@lru_cache(maxsize=16384)
def _convert(value: str, markup: bool, in_math: bool = False) -> tuple[str, tuple[str, ...]]:
    """``value`` (LaTeX) as Unicode text, and what could not be converted."""
    if not _NEEDS_LATEX.search(value):
        return unicodedata.normalize("NFC", " ".join(value.split())), ()
    from pylatexenc.latexwalker import LatexWalker, LatexWalkerError

    walker_db, _ = _converter_dbs(markup)
    issues: list[str] = []
    try:
        nodes, _, _ = LatexWalker(value, latex_context=walker_db, tolerant_parsing=True).get_latex_nodes()
        text = _node_converter(markup, issues).nodelist_to_text(nodes)
    except (LatexWalkerError, IndexError, KeyError, ValueError, RecursionError):
        text = re.sub(r"\\[a-zA-Z]+\s*|[{}\\$]", "", value)
        issues.append("the LaTeX could not be read; printed without its commands")
    if not in_math and re.search(r"[\\{}$]", text):
        issues.append(f"left-over LaTeX '{text[:60]}' removed")
        text = re.sub(r"\\[a-zA-Z]*|[{}$]", "", text)
    text = text.replace("\u00a0", " ")
    return unicodedata.normalize("NFC", " ".join(text.split())), tuple(issues)


def latex_to_text(value: str, markup: bool = False) -> str:
    """BibTeX field text (LaTeX) as Unicode, whitespace collapsed; with ``markup``, emphasis as
    inline Markdown."""
    return _convert(value, markup)[0]


def clean_verbatim(value: str) -> str:
    r"""A verbatim field (url, doi, eprint, file...) as written, without BibTeX's wrapping: ``\url{}``,
    braces, the escapes ``\_ \% \& \# \~`` that some styles need, and line breaks inside it."""
    text = value.strip()
    wrapped = re.fullmatch(r"\\(?:url|href)\s*\{([^{}]*)\}(?:\s*\{.*\})?", text, re.S)
    if wrapped:
        text = wrapped.group(1)
    text = re.sub(r"\$\\sim\$|\\textasciitilde\s*(?:\{\})?|\{\\~\}|\\~\{\}", "~", text)
    text = re.sub(r"\\([_%&#$~/])", r"\1", text)
    text = text.replace("{", "").replace("}", "").replace("&amp;", "&")
    return re.sub(r"\s*\n\s*", "", text).strip()


# ----- HTML in fields (al-folio) ------------------------------------------------------------------

_HTML = re.compile(r"<\s*/?\s*(?:b|strong|i|em|u|a|br|sup|sub|span|p|div|small|font|mark|code)\b[^>]*>"
                   r"|&(?:#\d+|#x[0-9a-f]+|[a-z][a-z0-9]{1,7});", re.I)
OWNER_OPEN, OWNER_CLOSE = "\ue000", "\ue001"


class _HtmlText(HTMLParser):
    """HTML markup in a field as text: bold/italic as inline Markdown (or owner marks in names)."""

    STRONG = ("b", "strong")
    EMPH = ("i", "em", "u")

    def __init__(self, markup: bool, names: bool):
        super().__init__(convert_charrefs=True)
        self.markup, self.names = markup, names
        self.out: list[str] = []
        self.open: list[str] = []

    def _mark(self, tag: str) -> str:
        if self.names and tag in ("b", "strong", "u"):
            return "owner"
        if not self.markup:
            return ""
        return "**" if tag in self.STRONG else "*" if tag in self.EMPH else ""

    def handle_starttag(self, tag: str, attrs: Any) -> None:
        """Open emphasis, or mark a name."""
        mark = self._mark(tag)
        self.out.append(OWNER_OPEN if mark == "owner" else mark)
        if mark:
            self.open.append(tag)
        if tag == "br":
            self.out.append(" ")

    def handle_endtag(self, tag: str) -> None:
        """Close what the start tag opened (a stray end tag is dropped)."""
        if tag not in self.open:
            return
        while self.open:
            opened = self.open.pop()
            mark = self._mark(opened)
            self.out.append(OWNER_CLOSE if mark == "owner" else mark)
            if opened == tag:
                break

    def close(self) -> None:
        """Close what was left open."""
        super().close()
        while self.open:
            mark = self._mark(self.open.pop())
            self.out.append(OWNER_CLOSE if mark == "owner" else mark)

    def handle_data(self, data: str) -> None:
        """Text (entities already decoded)."""
        self.out.append(data)


def html_to_text(value: str, markup: bool = False, names: bool = False) -> str:
    """Decode HTML tags and entities in a field (al-folio writes ``<b>Me</b>`` and ``&#58;``).

    Text without HTML comes back unchanged. With ``names``, ``<b>``/``<strong>``/``<u>`` around a
    name are kept as :data:`OWNER_OPEN`/:data:`OWNER_CLOSE` marks.
    """
    if not _HTML.search(value):
        return value
    parser = _HtmlText(markup, names)
    parser.feed(value)
    parser.close()
    return "".join(parser.out)


# ----- values: delimiters, @string, # ------------------------------------------------------------

def _split_concatenation(raw: str) -> list[str]:
    """``"a" # name # {b}`` -> the three pieces, respecting braces and quotes."""
    pieces, depth, quoted, start = [], 0, False, 0
    for i, ch in enumerate(raw):
        if ch == "{":
            depth += 1
        elif ch == "}":
            depth -= 1
        elif ch == '"' and depth == 0:
            quoted = not quoted
        elif ch == "#" and depth == 0 and not quoted:
            pieces.append(raw[start:i])
            start = i + 1
    pieces.append(raw[start:])
    return [p.strip() for p in pieces]


_STRING_NAME = re.compile(r"[A-Za-z_][\w\-:.+/']*")


def resolve(raw: str, strings: dict[str, str], undefined: list[str], malformed: list[str] | None = None) -> str:
    """A field's value without delimiters, with @string names and ``#`` resolved.

    Names that are not defined go to ``undefined``; pieces that are neither a delimited value, a
    number nor a name (a missing comma, usually) go to ``malformed``.
    """
    out = []
    for piece in _split_concatenation(raw.strip()):
        if len(piece) >= 2 and ((piece[0] == "{" and piece[-1] == "}") or (piece[0] == '"' and piece[-1] == '"')):
            out.append(piece[1:-1])
        elif piece.isdigit():
            out.append(piece)
        elif piece.lower() in strings:
            out.append(strings[piece.lower()])
        elif piece.lower() in _MONTHS:
            out.append(piece.lower())
        elif piece and not _STRING_NAME.fullmatch(piece):
            if malformed is not None:
                malformed.append(piece)
            out.append(piece)
        else:
            if piece:
                undefined.append(piece)
            out.append(piece)
    return "".join(out)


# ----- reading ------------------------------------------------------------------------------------

def read_bib_text(path: Path) -> str:
    """The text of a .bib file, with one-line errors for missing, huge, binary or non-UTF-8 files."""
    try:
        size = path.stat().st_size
    except FileNotFoundError:
        raise ProfileError(Problem(f"BibTeX file not found: {path}", str(path))) from None
    except OSError as exc:
        raise ProfileError(Problem(f"cannot read {path}: {exc.strerror}", str(path))) from None
    if path.is_dir():
        raise ProfileError(Problem(f"{path} is a folder, not a .bib file", str(path)))
    if size > MAX_BYTES:
        raise ProfileError(Problem(f"the file is {size / 1e6:.0f} MB; .bib files are limited to "
                                   f"{MAX_BYTES // 2**20} MB", str(path)))
    raw = path.read_bytes()
    if b"\x00" in raw[:8192]:
        raise ProfileError(Problem("this is a binary file, not a BibTeX file", str(path)))
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        raise ProfileError(Problem(
            f"the file is not UTF-8 text (byte 0x{raw[exc.start]:02x}); save it as UTF-8", str(path), line)) from None


def _line_at(text: str, index: int) -> int:
    return text.count("\n", 0, index) + 1


def _block_notes(library: Library, text: str, file: str) -> tuple[list[Problem], list[bm.Entry]]:
    """What BibTeX would warn about in the file's blocks, and the entries recovered from them.

    An entry with a field given twice keeps the first value (as BibTeX does); an entry whose key
    was used before, and a block that cannot be read, are left out.
    """
    notes: list[Problem] = []
    recovered: list[bm.Entry] = []
    for block in library.failed_blocks:
        start = (block.start_line or 0) + 1
        error = block.error
        if isinstance(block, bm.DuplicateBlockKeyBlock):
            first = library.entries_dict.get(block.key)
            where = f"the entry at line {(first.start_line or 0) + 1}" if first is not None else "an earlier entry"
            notes.append(Problem(f"the key is used by {where} too; this entry is left out",
                                 file, start, None, block.key))
        elif isinstance(block, bm.DuplicateFieldKeyBlock):
            if isinstance(block.ignore_error_block, bm.Entry):
                recovered.append(block.ignore_error_block)
        elif isinstance(error, BlockAbortedException):
            reason = error.abort_reason.rstrip(".")
            end = _line_at(text, error.end_index) if error.end_index is not None else None
            key = re.match(r"@\s*\w+\s*[{(]\s*([^,\s]*)", block.raw or "")
            name = key.group(1) if key and key.group(1) else ""
            if end is None or reason.startswith(("Unexpected block start", "Unexpectedly reached end")):
                end = None if reason.startswith("Unexpectedly reached end") else end
                where = f"the next entry begins at line {end}" if end else "the file ends first"
                notes.append(Problem(f"this entry is not closed ({where}; a missing }} or \" ?); it is left out",
                                     file, start, None, name))
            else:
                notes.append(Problem(f"BibTeX syntax error at line {end}: {reason}; the entry is left out",
                                     file, start, None, name))
        else:
            reason = str(error).splitlines()[0] if str(error) else type(error).__name__
            notes.append(Problem(f"BibTeX syntax error: {reason}; left out", file, start))
    return notes, recovered


def _strings(library: Library, undefined: list[str]) -> dict[str, str]:
    table: dict[str, str] = {}
    for block in library.strings:
        table[block.key.lower()] = resolve(str(block.value), table, undefined)
    return table


def _looks_like_text(library: Library) -> tuple[int, str] | None:
    """The first non-comment text of a file that has no entry at all (so it is not BibTeX)."""
    for block in library.blocks:
        if isinstance(block, bm.ImplicitComment):
            for offset, line in enumerate(block.comment.splitlines()):
                if line.strip() and not line.lstrip().startswith("%"):
                    return (block.start_line or 0) + 1 + offset, line.strip()
    return None


_FRONT_MATTER = re.compile(r"\A---[ \t]*\r?\n(?:.*?\r?\n)??---[ \t]*(?:\r?\n|\Z)", re.S)


def strip_front_matter(text: str) -> str:
    """A Jekyll (al-folio) ``---`` YAML front matter block blanked out, keeping line numbers."""
    match = _FRONT_MATTER.match(text)
    return "\n" * match.group(0).count("\n") + text[match.end():] if match else text


@dataclasses.dataclass(frozen=True)
class BibOptions:
    """How to read .bib files: the profile's ``publications.files_url``, its locale, and strictness."""

    files_url: str | None = None
    locale: str = "en"
    strict: bool = False


def parse_bibtex(text: str, file: str, warnings: Warnings, options: BibOptions | None = None) -> list[Publication]:
    """Publications from BibTeX text.

    Whatever cannot be used (an entry, or one field of it) is left out with a one-line warning
    ``file:line: key: what happened``; with ``options.strict`` those are errors instead.
    """
    options = options or BibOptions()
    text = strip_front_matter(text)
    library = bibtexparser.parse_string(text, parse_stack=[])
    notes, recovered = _block_notes(library, text, file)
    if not library.entries and not recovered and not notes:
        stray = _looks_like_text(library)
        if stray is not None:
            line, content = stray
            raise ProfileError(Problem(
                f"this is not a BibTeX file: no @entry{{...}} found (the file starts with "
                f"'{content[:40]}')", file, line))
        warnings.add(f"{file}: no BibTeX entries")
    undefined: list[str] = []
    strings = _strings(library, undefined)
    entries = sorted([*library.entries, *recovered], key=lambda e: e.start_line or 0)
    records = _records(entries, strings, file, notes)
    pubs: list[Publication] = []
    files_left_out: list[tuple[int, str]] = []  # (line, "key.field=value")
    for record in records.values():
        if record.entry_type in _CONTAINERS:
            continue
        reader = _EntryReader(record, records, file, notes, options, files_left_out)
        pub = _entry(reader)
        if pub is not None:
            pubs.append(pub)
    if files_left_out:
        notes.append(Problem(
            f"{len(files_left_out)} link(s) name a file of a web site, not a web address; set "
            "publications.files_url to the address of the site's folder (e.g. https://me.github.io/assets/pdf/) "
            f"to link them; left out: {', '.join(named for _, named in files_left_out)}",
            file, min(line for line, _ in files_left_out), None, "files"))
    notes.sort(key=lambda p: p.line or 0)
    if options.strict and notes:
        raise ProfileError(notes)
    for note in notes:
        warnings.add(str(note))
    return pubs


# ----- entries, and biblatex's data inheritance ---------------------------------------------------

# entry types that hold data for others and are not publications themselves
_CONTAINERS = {"set", "xdata"}


@dataclasses.dataclass
class _Value:
    """A field's LaTeX value (delimiters and @strings resolved) and the line it is on."""

    raw: str
    line: int
    inherited_from: str = ""


@dataclasses.dataclass
class _Record:
    """One entry's own fields, then (after :func:`_inherit`) its fields with crossref/xdata data."""

    key: str
    entry_type: str
    line: int
    fields: dict[str, _Value]
    bad_values: dict[str, str] = dataclasses.field(default_factory=dict)
    resolved: bool = False


def _records(entries: list[bm.Entry], strings: dict[str, str], file: str,
             notes: list[Problem]) -> dict[str, _Record]:
    """Entries by (lower-case) key, first one kept; fields given twice keep their first value."""
    records: dict[str, _Record] = {}
    for entry in entries:
        line = (entry.start_line or 0) + 1
        if entry.key.lower() in records:
            notes.append(Problem(f"the key is used by the entry at line {records[entry.key.lower()].line} too; "
                                 "this entry is left out", file, line, None, entry.key))
            continue
        record = _Record(entry.key, entry.entry_type.lower(), line, {})
        for fld in entry.fields:
            name = fld.key.lower()
            field_line = (fld.start_line or 0) + 1 if fld.start_line is not None else line
            if name in record.fields:
                notes.append(Problem(f"the field '{fld.key}' is given twice; the first value (line "
                                     f"{record.fields[name].line}) is used, as BibTeX does", file, field_line,
                                     None, entry.key))
                continue
            undefined: list[str] = []
            malformed: list[str] = []
            value = resolve(str(fld.value), strings, undefined, malformed)
            if malformed:
                shown = " ".join(malformed[0].split())[:50]
                record.bad_values[name] = shown
                notes.append(Problem(f"{fld.key}: cannot read the value '{shown}' (put it in {{braces}} or "
                                     "\"quotes\"; is a comma missing?); the field is left out", file, field_line,
                                     None, entry.key))
                continue
            for word in undefined:
                notes.append(Problem(f"{fld.key}: '{word}' is not a defined @string; printed as written",
                                     file, field_line, None, entry.key))
            record.fields[name] = _Value(value.strip(), field_line)
        records[entry.key.lower()] = record
    for record in records.values():
        _inherit(record, records, file, notes, ())
    return records


# biber's default inheritance rules (biblatex.def, \DeclareDataInheritance) for the fields a CV
# prints: which parent title becomes which child field, per (parent types, child types).
_MAIN = {"title": "maintitle", "subtitle": "mainsubtitle", "titleaddon": "maintitleaddon"}
_BOOK = {"title": "booktitle", "subtitle": "booksubtitle", "titleaddon": "booktitleaddon"}
_INHERITANCE: tuple[tuple[frozenset[str], frozenset[str], dict[str, str]], ...] = (
    (frozenset({"mvbook"}), frozenset({"inbook", "bookinbook", "suppbook", "book"}), _MAIN),
    (frozenset({"mvcollection", "mvreference"}),
     frozenset({"collection", "reference", "incollection", "inreference", "suppcollection"}), _MAIN),
    (frozenset({"mvproceedings"}), frozenset({"proceedings", "inproceedings"}), _MAIN),
    (frozenset({"book"}), frozenset({"inbook", "bookinbook", "suppbook"}), _BOOK),
    (frozenset({"collection", "reference"}), frozenset({"incollection", "inreference", "suppcollection"}), _BOOK),
    (frozenset({"proceedings"}), frozenset({"inproceedings"}), _BOOK),
    (frozenset({"periodical"}), frozenset({"article", "suppperiodical"}),
     {"title": "journaltitle", "subtitle": "journalsubtitle"}),
)
# titles that are never inherited under their own name when a rule above maps the title
_TITLES = {"title", "subtitle", "titleaddon", "shorttitle", "sorttitle", "indextitle", "indexsorttitle"}
# never inherited (biblatex.def: \DeclareDataInheritance{*}{*} ... \noinherit)
_NO_INHERIT = {"ids", "crossref", "xref", "entryset", "entrysubtype", "execute", "label", "options", "presort",
               "related", "relatedoptions", "relatedstring", "relatedtype", "shorthand", "shorthandintro",
               "sortkey", "xdata"}


def _inherit(record: _Record, records: dict[str, _Record], file: str, notes: list[Problem],
             chain: tuple[str, ...]) -> None:
    """Fill ``record`` with the data of its ``xdata`` entries, then of its ``crossref`` parent."""
    if record.resolved:
        return
    if record.key.lower() in chain:
        notes.append(Problem(f"crossref/xdata go round in a circle ({' -> '.join([*chain, record.key.lower()])})",
                             file, record.line, None, record.key))
        record.resolved = True
        return
    chain = (*chain, record.key.lower())
    xdata = record.fields.get("xdata")
    if xdata:
        for key in (k.strip() for k in xdata.raw.split(",") if k.strip()):
            source = records.get(key.lower())
            if source is None:
                notes.append(Problem(f"xdata: there is no entry '{key}'", file, xdata.line, None, record.key))
                continue
            _inherit(source, records, file, notes, chain)
            for name, value in source.fields.items():
                if name not in record.fields and name not in _NO_INHERIT:
                    record.fields[name] = _Value(value.raw, xdata.line, source.key)
    crossref = record.fields.get("crossref")
    if crossref:
        parent = records.get(crossref.raw.strip().lower())
        if parent is None:
            notes.append(Problem(f"crossref: there is no entry '{crossref.raw.strip()}'; printed without its data",
                                 file, crossref.line, None, record.key))
        else:
            _inherit(parent, records, file, notes, chain)
            mapping: dict[str, str] | None = None
            for parents, children, rule in _INHERITANCE:
                if parent.entry_type in parents and record.entry_type in children:
                    mapping = rule
                    break
            for name, value in parent.fields.items():
                if name in _NO_INHERIT:
                    continue
                target = name
                if mapping is not None and name in _TITLES:
                    target = mapping.get(name, "")
                if target and target not in record.fields:
                    record.fields[target] = _Value(value.raw, crossref.line, parent.key)
    record.resolved = True


# ----- one entry ----------------------------------------------------------------------------------

# Fields read as written, never as LaTeX text: addresses, identifiers, file names.
VERBATIM_FIELDS = frozenset({"url", "doi", "eprint", "file", "pdf", "code", "codeurl", "slides", "html", "supp",
                             "poster", "video", "project", "website", "blog", "data", "demo", "arxiv",
                             "preview", "urldate", "eprintclass", "primaryclass", "isbn", "issn"})
# al-folio: these may name a file of the site (``pdf = {paper.pdf}``), found under publications.files_url
FILE_FIELDS = frozenset({"pdf", "supp", "poster", "slides"})
# eprint types biblatex links, other than arXiv
_EPRINT_LINKS = {"jstor": ("JSTOR", "https://www.jstor.org/stable/{}"), "hdl": ("HDL", "https://hdl.handle.net/{}"),
                 "pubmed": ("PubMed", "https://www.ncbi.nlm.nih.gov/pubmed/{}"),
                 "googlebooks": ("Google Books", "https://books.google.com/books?id={}")}


@dataclasses.dataclass
class _EntryReader:
    """Reads one entry's fields, remembering the line of each for warnings."""

    record: _Record
    records: dict[str, _Record]
    file: str
    notes: list[Problem]
    options: BibOptions
    files_left_out: list[tuple[int, str]]

    def __post_init__(self) -> None:
        self.fields = self.record.fields
        self.origin: dict[str, str] = {}

    @property
    def key(self) -> str:
        """The entry's key."""
        return self.record.key

    @property
    def line(self) -> int:
        """The line the entry starts on."""
        return self.record.line

    def field_line(self, name: str) -> int:
        """The line of a field (the entry's line if it is absent)."""
        value = self.fields.get(name)
        return value.line if value is not None else self.line

    def raw(self, name: str) -> str | None:
        """A field's LaTeX value, delimiters and @strings resolved."""
        value = self.fields.get(name)
        return value.raw if value is not None else None

    def text(self, *names: str, markup: bool = False) -> str | None:
        """The first present field among ``names``, as Unicode text (HTML and LaTeX decoded)."""
        for name in names:
            value = self.raw(name)
            if not value:
                continue
            if name in VERBATIM_FIELDS:
                return self.verbatim(name)
            text, issues = _convert(html_to_text(value, markup), markup)
            for issue in issues:
                self.warn(name, issue)
            if text:
                return text
        return None

    def verbatim(self, name: str) -> str | None:
        """A verbatim field as written (``\\url{}``, braces and escapes removed), never LaTeX-decoded."""
        value = self.raw(name)
        return clean_verbatim(value) or None if value else None

    def skip(self, message: str) -> None:
        """The entry cannot be used: leave it out, saying why."""
        self.notes.append(Problem(f"{message}; the entry is left out", self.file, self.line, None, self.key))

    def warn(self, name: str, message: str) -> None:
        """Something about a field (usually: it is left out)."""
        self.notes.append(Problem(f"{name}: {message}", self.file, self.field_line(name), None, self.key))


_BOOKS = {"book", "mvbook", "proceedings", "mvproceedings", "collection", "mvcollection", "reference",
          "mvreference", "booklet"}
_CHAPTERS = {"incollection", "inbook", "bookinbook", "suppbook", "suppcollection", "inreference"}
_THESES = {"phdthesis": "phdthesis", "mastersthesis": "mathesis", "thesis": ""}


def _kind(entry_type: str, venue: str, has_arxiv: bool) -> str:
    if entry_type in ("article", "suppperiodical"):
        return "preprint" if _PREPRINT_SERVERS.search(venue) else "journal"
    if entry_type in ("inproceedings", "conference"):
        return "workshop" if re.search(r"\bworkshops?\b", venue, re.I) else "conference"
    if entry_type in _CHAPTERS:
        return "chapter"
    if entry_type in _BOOKS:
        return "book"
    if entry_type in _THESES:
        return "thesis"
    if entry_type == "patent":
        return "patent"
    if entry_type in ("techreport", "report"):
        return "report"
    if has_arxiv or _PREPRINT_SERVERS.search(venue):
        return "preprint"
    return "other"


def _arxiv_id(reader: _EntryReader) -> str | None:
    prefix = (reader.text("archiveprefix", "eprinttype") or "").strip().lower()
    eprint = reader.verbatim("eprint")
    if eprint and prefix in ("arxiv", "") and _ARXIV_ID.fullmatch(eprint.strip()):
        return _ARXIV_ID.fullmatch(eprint.strip()).group(1)  # type: ignore[union-attr]
    for name in ("arxiv", "journal", "journaltitle", "volume", "howpublished", "url", "note"):
        value = reader.verbatim(name) if name in VERBATIM_FIELDS else reader.text(name)
        if not value:
            continue
        if name == "arxiv":
            match = _ARXIV_ID.search(value)
        elif name == "url":
            match = re.search(r"arxiv\.org/(?:abs|pdf)/([^\s?#]+?)(?:\.pdf)?$", value)
        else:
            match = re.search(r"(?:arxiv[:\s]*|abs/)(\d{4}\.\d{4,5}(?:v\d+)?)", value, re.I)
        if match:
            return match.group(1)
    return None


def _positions(reader: _EntryReader, name: str, value: str, count: int) -> list[int]:
    """``{1,2}`` or ``{1-3}`` -> 0-based author indexes; warnings for numbers out of range."""
    out: list[int] = []
    for part in re.split(r"[,;\s]+", value.strip()):
        if not part:
            continue
        span = re.fullmatch(r"(\d+)\s*(?:-|–|--)\s*(\d+)", part)
        numbers = list(range(int(span.group(1)), int(span.group(2)) + 1)) if span else None
        if numbers is None and part.isdigit():
            numbers = [int(part)]
        if numbers is None:
            reader.warn(name, f"'{part}' is not an author position (write {{1,2}} or {{1-3}}); ignored")
            continue
        for n in numbers:
            if not 1 <= n <= count:
                reader.warn(name, f"there is no author {n} (the entry has {count} author(s)); ignored")
            else:
                out.append(n - 1)
    return out


def _author(reader: _EntryReader, field: str, written: str) -> dict[str, Any] | None:
    r"""One written name as ``{name, roles, me?}``: marks after a name (``Name*``, ``Name$^\dagger$``,
    ``Name\\textsuperscript{*}``) are roles, ``<b>Name</b>`` (al-folio) is the owner."""
    owner = OWNER_OPEN in written
    written = written.replace(OWNER_OPEN, "").replace(OWNER_CLOSE, "").strip()
    try:
        parts = parse_single_name_into_parts(written)
    except InvalidNameError as exc:
        reader.warn(field, f"cannot read the name '{written}' ({exc}); left out")
        return None
    roles: list[str] = []
    words = []
    for part in (*parts.first, *parts.von, *parts.last, *parts.jr):
        word = latex_to_text(part).replace("^", "")
        while word and word[-1] in _NAME_MARKS:
            roles.insert(0, _NAME_MARKS[word[-1]])
            word = word[:-1]
        if word:
            words.append(word)
    name = " ".join(words).strip(" ,")
    if not name:
        reader.warn(field, f"the name '{written}' is empty; left out")
        return None
    author: dict[str, Any] = {"name": name, "roles": list(dict.fromkeys(roles))}
    if owner:
        author["me"] = True
    return author


def _authors(reader: _EntryReader) -> list[dict[str, Any]]:
    field = "author" if reader.raw("author") else "editor"
    raw = reader.raw(field)
    if not raw:
        return []
    raw = html_to_text(raw, names=True)
    authors: list[dict[str, Any]] = []
    for written in split_multiple_persons_names(raw):
        if written.strip().lower() == "others":
            authors.append({"name": "others", "roles": []})
            continue
        author = _author(reader, field, written)
        if author is not None:
            authors.append(author)
    count = len(authors)
    me = [i for i, author in enumerate(authors) if author.pop("me", False)]
    for name, role in ROLE_FIELDS.items():
        value = reader.raw(name)
        if value:
            for i in _positions(reader, name, value, count):
                if role not in authors[i]["roles"]:
                    authors[i]["roles"].append(role)
    value = reader.raw("me")
    if value:
        me += _positions(reader, "me", value, count)
    annotations = reader.raw("author+an")
    if annotations:
        for item in re.split(r"\s*;\s*", annotations.strip()):
            if not item:
                continue
            where, _, what = item.partition("=")
            for i in _positions(reader, "author+an", where, count):
                for label in (w.strip().lower() for w in what.split(",") if w.strip()):
                    annotated = _ANNOTATION_ROLES.get(label)
                    if annotated is None:
                        reader.warn("author+an", f"unknown annotation '{label}' (known: "
                                    f"{', '.join(sorted(_ANNOTATION_ROLES))}); ignored")
                    elif annotated == "me":
                        me.append(i)
                    elif annotated not in authors[i]["roles"]:
                        authors[i]["roles"].append(annotated)
    if me:
        for i, author in enumerate(authors):
            author["me"] = i in me
    return authors


_ISO_DATE = re.compile(r"(\d{4})(?:-(\d{2}))?(?:-(\d{2}))?")
_YEAR = re.compile(r"(?<!\d)(\d{4})(?!\d)")


def _date_range(value: str) -> tuple[str, str | None] | None:
    """biblatex's ISO 8601 dates and ranges (``1984/1986``, ``1998-05-19/1998-05-25``, ``1988/``) and
    year ranges (``1984--1986``), as a (start, end) pair of ``YYYY[-MM[-DD]]``."""
    text = value.strip()
    if "/" in text:
        left, _, right = text.partition("/")
    else:
        span = re.fullmatch(r"(\d{4}(?:-\d{2}){0,2})\s*(?:--?|–)\s*(\d{4}(?:-\d{2}){0,2})", text)
        left, right = span.groups() if span else (text, "")
    left, right = left.strip(), right.strip()
    start = _ISO_DATE.fullmatch(left)
    end = _ISO_DATE.fullmatch(right) if right and right != ".." else None
    if start is None or (right and right != ".." and end is None):
        return None
    return start.group(0), end.group(0) if end else None


def _year(reader: _EntryReader, data: dict[str, Any]) -> None:
    year = reader.text("year")
    date = reader.text("date")
    if date:
        found = _date_range(date)
        if found is None:
            reader.warn("date", f"'{date}' is not a date (write 2020, 2020-05 or 1984/1986); left out")
        else:
            start, end = found
            data["date"] = f"{start} - {end}" if end else start
            data["year"] = int(start[:4])
            reader.origin.update(date="date", year="date")
    if year and "year" not in data:
        match = _YEAR.search(year)
        found = _date_range(year)
        if found is not None:
            start, end = found
            data["year"] = int(start[:4])
            if end:
                data["date"] = f"{start} - {end}"
                reader.origin["date"] = "year"
            reader.origin["year"] = "year"
        elif year.strip().lower() in _NOT_YET:
            data.setdefault("notes", []).append(year.strip()[:1].upper() + year.strip()[1:])
        elif match:
            data["year"] = int(match.group(1))
            reader.origin["year"] = "year"
        else:
            reader.warn("year", f"'{year}' is not a year; left out")
    origdate = reader.text("origdate", "origyear")
    if origdate:
        match = _YEAR.search(origdate)
        if match and match.group(1) != str(data.get("year")):
            word = bib_word("origdate", reader.options.locale) or "first published {year}"
            data.setdefault("notes", []).append(word.format(year=match.group(1)))
    month = reader.text("month")
    if month and data.get("year") and "date" not in data:
        key = month.strip().lower().rstrip(".")
        number = _MONTHS.get(key) or _MONTH_NAMES.get(key)
        if number is None and key.isdigit() and 1 <= int(key) <= 12:
            number = int(key)
        if number is None:
            reader.warn("month", f"'{month}' is not a month; left out")
        else:
            data["date"] = f"{data['year']}-{number:02d}"
            reader.origin["date"] = "month"


def _joined(reader: _EntryReader, main: str, sub: str, addon: str, markup: bool = False) -> str | None:
    """``title: subtitle. titleaddon`` as biblatex prints them."""
    text = reader.text(main, markup=markup)
    if not text:
        return None
    subtitle = reader.text(sub, markup=markup)
    if subtitle:
        text = f"{text}{'' if text[-1] in '?!:.' else ':'} {subtitle}"
    extra = reader.text(addon, markup=markup)
    if extra:
        text = f"{text}{'' if text[-1] in '?!.' else '.'} {extra}"
    return text


def _kind_word(reader: _EntryReader, default: str) -> str:
    """The ``type`` field localised when it is a biblatex key (``mathesis`` -> Master's thesis)."""
    written = reader.text("type")
    key = written or default
    return bib_word(key, reader.options.locale) or written or bib_word(default, reader.options.locale) or default


def _venue(reader: _EntryReader, entry_type: str) -> tuple[str | None, str | None]:
    if entry_type in _THESES:
        kind = _kind_word(reader, _THESES[entry_type] or "thesis")
        school = reader.text("school", "institution")
        return ", ".join(x for x in (kind, school) if x), None
    if entry_type in ("techreport", "report"):
        kind = _kind_word(reader, "techreport" if entry_type == "techreport" else "report")
        number = reader.text("number")
        parts = [reader.text("institution"), f"{kind} {number}" if number else kind]
        return ", ".join(x for x in parts if x), None
    if entry_type == "patent":
        number = reader.text("number")
        kind = _kind_word(reader, "patent")
        return (f"{kind} {number}" if number else kind), None
    venue = (_joined(reader, "journaltitle", "journalsubtitle", "journaltitleaddon")
             or _joined(reader, "journal", "journalsubtitle", "journaltitleaddon")
             or _joined(reader, "booktitle", "booksubtitle", "booktitleaddon")
             or (None if entry_type in _BOOKS else _joined(reader, "maintitle", "mainsubtitle", "maintitleaddon"))
             or reader.text("eventtitle", "howpublished", "organization"))
    short = reader.text(*SHORT_VENUE_FIELDS)
    if venue and not short and entry_type not in ("article",):
        match = _SHORT_IN_PARENS.search(venue)
        if match and re.search(r"[A-Z]{2}", match.group(1)):
            short = re.sub(r"\s*'?\d{2,4}$", "", match.group(1)).strip()
            venue = venue[: match.start()].rstrip(" ,")
    return venue, short


_WEB_LINK = re.compile(r"(?i)^(?:https?://|mailto:|www\.)|^[\w-]+(?:\.[\w-]+)*\.[a-z]{2,}/")
_FILE_NAME = re.compile(r"^[^\s:?#]+\.[A-Za-z0-9]{1,5}$")


def _link(reader: _EntryReader, name: str) -> str | None:
    """A link field as an address; a file name (al-folio) under ``publications.files_url``."""
    value = reader.verbatim(name)
    if not value:
        return None
    if name in FILE_FIELDS and not _WEB_LINK.search(value) and _FILE_NAME.match(value):
        base = reader.options.files_url
        if not base:
            reader.files_left_out.append((reader.field_line(name), f"{reader.key}.{name}={value}"))
            return None
        value = urljoin(base if base.endswith("/") else base + "/", quote(value, safe="/%#?&=~+-._"))
    try:
        return _check_url(value)
    except PydanticCustomError as exc:
        reader.warn(name, f"'{value[:60]}' is not a web link ({exc.message()}); left out")
        return None


def _links(reader: _EntryReader, arxiv: str | None, data: dict[str, Any]) -> None:
    doi = reader.verbatim("doi")
    if doi:
        doi = re.sub(r"^(?:https?://(?:dx\.)?doi\.org/|doi:\s*)", "", doi.strip(), flags=re.I)
        if re.match(r"10\.\d+/\S+$", doi):
            data["doi"] = doi
        else:
            reader.warn("doi", f"'{doi[:60]}' is not a DOI (they look like 10.1234/abc); left out")
    url = reader.verbatim("url")
    if url and arxiv and re.search(rf"(arxiv\.org/(abs|pdf)/|10\.48550/arxiv\.){re.escape(arxiv)}", url, re.I):
        url = None  # the arXiv link says it already
    if url:
        try:
            data["url"] = _check_url(url)
        except PydanticCustomError as exc:
            reader.warn("url", f"'{url[:60]}' is not a web link ({exc.message()}); left out")
    links: list[dict[str, str]] = []
    for name, label in LINK_FIELDS.items():
        address = _link(reader, name)
        if address and label not in {link["label"] for link in links}:
            links.append({"label": label, "url": address})
    kind = (reader.text("eprinttype", "archiveprefix") or "").strip().lower()
    eprint = reader.verbatim("eprint")
    if eprint and kind in _EPRINT_LINKS:
        label, pattern = _EPRINT_LINKS[kind]
        links.append({"label": label, "url": pattern.format(quote(eprint, safe="/.:-_"))})
    elif eprint and not arxiv:
        reader.warn("eprint", f"'{eprint[:40]}' ({kind or 'no eprinttype'}) is not an arXiv id and "
                    "cvrender cannot link it; left out")
    data["links"] = links


# al-folio and biblatex fields that are read on purpose as something else, or ignored on purpose
IGNORED_FIELDS = frozenset({"bibtex_show", "preview", "altmetric", "dimensions", "google_scholar_id",
                            "inspirehep_id", "annotation", "additional_info", "award_name", "keywords", "file",
                            "abstract"})


def _entry(reader: _EntryReader) -> Publication | None:
    entry_type = reader.record.entry_type
    data: dict[str, Any] = {"id": reader.key}
    title = _joined(reader, "title", "subtitle", "titleaddon", markup=True)
    if not title and entry_type in ("periodical",):
        title = _joined(reader, "journaltitle", "journalsubtitle", "journaltitleaddon", markup=True)
    if not title:
        reader.skip("it has no title")
        return None
    data["title"] = title
    reader.origin.update(title="title", authors="author", id="title")
    data["authors"] = _authors(reader)
    venue, short = _venue(reader, entry_type)
    arxiv = _arxiv_id(reader)
    explicit_type = reader.text("pubtype")
    kind = explicit_type.lower() if explicit_type else _kind(entry_type, venue or "", bool(arxiv))
    if kind == "preprint" and arxiv and (not venue or _PREPRINT_SERVERS.search(venue)):
        venue, short = f"arXiv preprint arXiv:{arxiv}", short or "arXiv"
    else:
        for name, key in (("volume", "volume"), ("number", "issue"), ("pages", "pages")):
            value = reader.text(name)
            if value and not (key == "volume" and value.lower().startswith("abs/")) and not (
                    key == "issue" and entry_type in ("techreport", "report", "patent")):
                data[key] = value
                reader.origin[key] = name
    data.update(type=kind, venue=venue, venue_short=short, arxiv=arxiv)
    reader.origin.update(type="pubtype", venue="booktitle" if "booktitle" in reader.fields else "journal",
                         venue_short="abbr", arxiv="eprint" if "eprint" in reader.fields else "arxiv")
    publisher = reader.text("publisher")
    if publisher and kind in ("book", "chapter"):
        data["publisher"] = publisher
    _year(reader, data)
    _links(reader, arxiv, data)
    notes = list(data.pop("notes", []))
    for name in ("note", "award", "addendum"):
        value = reader.text(name, markup=True)
        if value and not re.fullmatch(r"(?i)\s*arxiv[:\s]*\S+\s*", value):
            notes.extend(n.strip() for n in value.split(";") if n.strip())
    data["note"] = notes
    reader.origin["notes"] = "note"
    selected = reader.text("selected")
    if selected:
        data["selected"] = selected.strip().lower()
        reader.origin["selected"] = "selected"
    return _validated(reader, data)


def _validated(reader: _EntryReader, data: dict[str, Any]) -> Publication | None:
    """The publication; a field the model refuses is left out with a warning (the title cannot be)."""
    for _ in range(8):
        try:
            return Publication.model_validate({k: v for k, v in data.items() if v is not None})
        except ValidationError as exc:
            for error in exc.errors(include_url=False):
                loc = tuple(error["loc"])
                top = str(loc[0]) if loc else ""
                field_name = reader.origin.get(top, top)
                message, _ = explain(dict(error), Publication)
                value = error.get("input")
                shown = f" (got {value!r})" if isinstance(value, str | int) and error["type"] != "missing" else ""
                if top in ("title", "id", "") or top not in data:
                    reader.skip(f"{field_name or 'entry'}: {message}{shown}")
                    return None
                if top in ("links", "authors", "note") and len(loc) > 1 and isinstance(loc[1], int):
                    items = data[top]
                    if loc[1] < len(items) and items[loc[1]] is not None:
                        items[loc[1]] = None
                        data[top] = items
                    reader.warn(field_name, f"{message}{shown}; left out")
                else:
                    reader.warn(field_name, f"{message}{shown}; left out")
                    data.pop(top, None)
            for top in ("links", "authors", "note"):
                if isinstance(data.get(top), list):
                    data[top] = [x for x in data[top] if x is not None]
    reader.skip("it could not be read")
    return None


# ----- merging ------------------------------------------------------------------------------------

def load_bibtex(path: Path, warnings: Warnings, options: BibOptions | None = None) -> list[Publication]:
    """Publications from one .bib file."""
    return parse_bibtex(read_bib_text(path), str(path), warnings, options)


__all__ = ["BibOptions", "clean_verbatim", "html_to_text", "latex_to_text", "load_bibtex",
           "parse_bibtex", "read_bib_text", "resolve", "strip_front_matter"]
