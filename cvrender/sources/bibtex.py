r"""Publications from BibTeX files, parsed with bibtexparser 2 and merged with the profile's own.

LaTeX in fields becomes Unicode (``{\"u}`` -> ü, ``\&`` -> &, ``{\'e}`` -> é, braces dropped,
``$\alpha$`` -> α); ``\emph``/``\textit`` become italic and ``\textbf`` bold; ``@string``
abbreviations and ``#`` concatenation are resolved.

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
from pathlib import Path
from typing import Any

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

from cvrender.errors import Problem, ProfileError, Warnings
from cvrender.model.base import _check_url
from cvrender.model.publications import Publication
from cvrender.sources.loading import LoadedProfile
from cvrender.sources.validation import explain

MAX_BYTES = 20 * 1024 * 1024

# bibtexparser logs each broken block; we report them ourselves, with file and line
logging.getLogger("bibtexparser").setLevel(logging.CRITICAL)

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
    "supp": "Supplement",
}
SHORT_VENUE_FIELDS = ("abbr", "shortvenue", "venue_short", "shortjournal", "shortbooktitle")
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

@lru_cache(maxsize=1)
def _converter() -> tuple[Any, Any]:
    """A pylatexenc walker context and text converter that know links, emphasis and citations."""
    from pylatexenc import latex2text, macrospec
    from pylatexenc.latexwalker import get_default_latex_context_db

    walker_db = get_default_latex_context_db()
    walker_db.add_context_category("cvrender", prepend=True, macros=[
        macrospec.MacroSpec("href", "{{"), macrospec.MacroSpec("url", "{"),
        macrospec.MacroSpec("textsuperscript", "{"),
    ])

    def arg(node: Any, index: int, l2t: Any) -> str:
        args = node.nodeargd.argnlist if node.nodeargd else []
        value = args[index] if index < len(args) else None
        return l2t.nodelist_to_text([value]) if value is not None else ""

    def verbatim(node: Any, index: int) -> str:
        args = node.nodeargd.argnlist if node.nodeargd else []
        value = args[index] if index < len(args) else None
        return value.latex_verbatim().strip("{}") if value is not None else ""

    text_db = latex2text.get_default_latex_context_db()
    spec = latex2text.MacroTextSpec
    text_db.add_context_category("cvrender", prepend=True, macros=[
        spec("emph", simplify_repl=lambda n, l2tobj: f"*{arg(n, 0, l2tobj)}*"),
        spec("textit", simplify_repl=lambda n, l2tobj: f"*{arg(n, 0, l2tobj)}*"),
        spec("textbf", simplify_repl=lambda n, l2tobj: f"**{arg(n, 0, l2tobj)}**"),
        spec("url", simplify_repl=lambda n, l2tobj: verbatim(n, 0)),
        spec("href", simplify_repl=lambda n, l2tobj: f"[{arg(n, 1, l2tobj)}]({verbatim(n, 0)})"),
        spec("textsuperscript", simplify_repl=lambda n, l2tobj: arg(n, 0, l2tobj)),
        spec("cite", discard=True), spec("citep", discard=True), spec("citet", discard=True),
        spec("LaTeX", "LaTeX"), spec("TeX", "TeX"), spec("BibTeX", "BibTeX"),
    ])
    return walker_db, latex2text.LatexNodes2Text(latex_context=text_db, math_mode="text")


_NEEDS_LATEX = re.compile(r"[\\{}$~]|--|``|''")


@lru_cache(maxsize=16384)
def latex_to_text(value: str) -> str:
    """BibTeX field text (LaTeX) as Unicode, whitespace collapsed."""
    if not _NEEDS_LATEX.search(value):
        return " ".join(value.split())
    from pylatexenc.latexwalker import LatexWalker, LatexWalkerError

    walker_db, converter = _converter()
    try:
        nodes, _, _ = LatexWalker(value, latex_context=walker_db, tolerant_parsing=True).get_latex_nodes()
        text = converter.nodelist_to_text(nodes)
    except (LatexWalkerError, IndexError, KeyError, ValueError):
        text = re.sub(r"\\[a-zA-Z]+\s*|[{}\\$]", "", value)
    text = text.replace("\u00a0", " ")
    return unicodedata.normalize("NFC", " ".join(text.split()))


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


def _block_problems(library: Library, text: str, file: str) -> list[Problem]:
    problems = []
    for block in library.failed_blocks:
        start = (block.start_line or 0) + 1
        error = block.error
        if isinstance(block, bm.DuplicateBlockKeyBlock):
            problems.append(Problem(f"the key '{block.key}' is used by an earlier entry too", file, start))
        elif isinstance(block, bm.DuplicateFieldKeyBlock):
            entry = block.ignore_error_block
            seen: set[str] = set()
            line, name = start, "?"
            for fld in getattr(entry, "fields", []):
                if fld.key.lower() in seen:
                    line, name = (fld.start_line or 0) + 1, fld.key
                    break
                seen.add(fld.key.lower())
            key = getattr(entry, "key", "?")
            problems.append(Problem(f"the field '{name}' appears twice in the entry '{key}'", file, line))
        elif isinstance(error, BlockAbortedException):
            reason = error.abort_reason.rstrip(".")
            end = _line_at(text, error.end_index) if error.end_index is not None else None
            if end is None or reason.startswith(("Unexpected block start", "Unexpectedly reached end")):
                end = None if reason.startswith("Unexpectedly reached end") else end
                where = f"the next entry begins at line {end}" if end else "the file ends first"
                problems.append(Problem(
                    f"this entry is not closed: {where} (a missing }} or \" ?)", file, start))
            else:
                problems.append(Problem(
                    f"BibTeX syntax error in the entry starting at line {start}: {reason}", file, end))
        else:
            problems.append(Problem(f"BibTeX syntax error: {str(error).splitlines()[0] if str(error) else type(error).__name__}",
                                    file, start))
    return problems


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


def parse_bibtex(text: str, file: str, warnings: Warnings) -> list[Publication]:
    """Publications from BibTeX text; every problem is reported at once with ``file:line``."""
    library = bibtexparser.parse_string(text, parse_stack=[])
    problems = _block_problems(library, text, file)
    if not library.entries and not problems:
        stray = _looks_like_text(library)
        if stray is not None:
            line, content = stray
            raise ProfileError(Problem(
                f"this is not a BibTeX file: no @entry{{...}} found (the file starts with "
                f"'{content[:40]}')", file, line))
        warnings.add(f"{file}: no BibTeX entries")
    undefined: list[str] = []
    strings = _strings(library, undefined)
    pubs: list[Publication] = []
    for entry in library.entries:
        pub = _entry(entry, strings, file, problems, warnings)
        if pub is not None:
            pubs.append(pub)
    if problems:
        raise ProfileError(sorted(problems, key=lambda p: p.line or 0))
    return pubs


# ----- one entry ----------------------------------------------------------------------------------

@dataclasses.dataclass
class _EntryReader:
    """Reads one entry's fields, remembering the line of each for error messages."""

    entry: bm.Entry
    strings: dict[str, str]
    file: str
    problems: list[Problem]
    warnings: Warnings

    def __post_init__(self) -> None:
        self.fields = {f.key.lower(): f for f in self.entry.fields}
        self.origin: dict[str, str] = {}
        self.reported: set[str] = set()

    @property
    def line(self) -> int:
        """The line the entry starts on."""
        return (self.entry.start_line or 0) + 1

    def field_line(self, name: str) -> int:
        """The line of a field (the entry's line if it is absent)."""
        fld = self.fields.get(name)
        return (fld.start_line or 0) + 1 if fld is not None and fld.start_line is not None else self.line

    def raw(self, name: str) -> str | None:
        """A field's LaTeX value, delimiters and @strings resolved."""
        fld = self.fields.get(name)
        if fld is None:
            return None
        undefined: list[str] = []
        malformed: list[str] = []
        value = resolve(str(fld.value), self.strings, undefined, malformed)
        if malformed and name not in self.reported:
            self.reported.add(name)
            shown = " ".join(malformed[0].split())[:50]
            self.problem(name, f"cannot read the value '{shown}': put it in {{braces}} or \"quotes\" "
                         "(or is a comma missing after it?)")
        for word in undefined:
            self.warnings.add(f"{self.file}:{self.field_line(name)}: entry '{self.entry.key}': "
                              f"'{word}' is not a defined @string; printed as written")
        return value.strip()

    def text(self, *names: str) -> str | None:
        """The first present field among ``names``, as Unicode text."""
        for name in names:
            value = self.raw(name)
            if value:
                return latex_to_text(value)
        return None

    def problem(self, name: str | None, message: str) -> None:
        """Record a problem with a field (or the entry)."""
        line = self.field_line(name) if name else self.line
        where = f"{self.entry.key}.{name}" if name else self.entry.key
        self.problems.append(Problem(message, self.file, line, None, where))

    def warn(self, name: str, message: str) -> None:
        """Record a warning about a field."""
        self.warnings.add(f"{self.file}:{self.field_line(name)}: entry '{self.entry.key}', {name}: {message}")


def _kind(entry_type: str, venue: str, has_arxiv: bool) -> str:
    if entry_type == "article":
        return "preprint" if _PREPRINT_SERVERS.search(venue) else "journal"
    if entry_type in ("inproceedings", "conference"):
        return "workshop" if re.search(r"\bworkshops?\b", venue, re.I) else "conference"
    if entry_type in ("incollection", "inbook", "bookinbook", "suppbook"):
        return "chapter"
    if entry_type in ("book", "mvbook", "proceedings", "collection"):
        return "book"
    if entry_type in ("phdthesis", "mastersthesis", "thesis"):
        return "thesis"
    if entry_type == "patent":
        return "patent"
    if entry_type in ("techreport", "report"):
        return "report"
    if has_arxiv or _PREPRINT_SERVERS.search(venue):
        return "preprint"
    return "other"


def _arxiv_id(reader: _EntryReader) -> str | None:
    prefix = (reader.text("archiveprefix", "eprinttype") or "").lower()
    eprint = reader.text("eprint")
    if eprint and (prefix in ("arxiv", "") and _ARXIV_ID.fullmatch(eprint.strip())):
        return _ARXIV_ID.fullmatch(eprint.strip()).group(1)  # type: ignore[union-attr]
    for name in ("arxiv", "journal", "volume", "howpublished", "url", "note"):
        value = reader.text(name)
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
    """``{1,2}`` or ``{1-3}`` -> 0-based author indexes; problems for numbers out of range."""
    out: list[int] = []
    for part in re.split(r"[,;\s]+", value.strip()):
        if not part:
            continue
        span = re.fullmatch(r"(\d+)\s*(?:-|–|--)\s*(\d+)", part)
        numbers = list(range(int(span.group(1)), int(span.group(2)) + 1)) if span else None
        if numbers is None and part.isdigit():
            numbers = [int(part)]
        if numbers is None:
            reader.problem(name, f"'{part}' is not an author position; write positions like {{1,2}} or {{1-3}}")
            continue
        for n in numbers:
            if not 1 <= n <= count:
                reader.problem(name, f"there is no author {n} (the entry has {count} author(s))")
            else:
                out.append(n - 1)
    return out


def _authors(reader: _EntryReader) -> list[dict[str, Any]]:
    raw = reader.raw("author")
    if raw is None:
        raw = reader.raw("editor")
    if not raw:
        return []
    authors: list[dict[str, Any]] = []
    for written in split_multiple_persons_names(raw):
        if written.strip().lower() == "others":
            authors.append({"name": "others", "roles": []})
            continue
        try:
            parts = parse_single_name_into_parts(written)
        except InvalidNameError as exc:
            reader.problem("author", f"cannot read the name '{written}': {exc}")
            continue
        roles: list[str] = []
        words = []
        for part in (*parts.first, *parts.von, *parts.last, *parts.jr):
            word = latex_to_text(part).replace("^", "")
            while word and word[-1] in _NAME_MARKS:
                roles.insert(0, _NAME_MARKS[word[-1]])
                word = word[:-1]
            if word:
                words.append(word)
        name = " ".join(words)
        if not name:
            reader.problem("author", f"the name '{written}' is empty")
            continue
        authors.append({"name": name, "roles": list(dict.fromkeys(roles))})
    count = len(authors)
    me: list[int] = []
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
                        reader.problem("author+an", f"unknown annotation '{label}'; use "
                                       f"{', '.join(sorted(_ANNOTATION_ROLES))}")
                    elif annotated == "me":
                        me.append(i)
                    elif annotated not in authors[i]["roles"]:
                        authors[i]["roles"].append(annotated)
    if me:
        for i, author in enumerate(authors):
            author["me"] = i in me
    return authors


def _year(reader: _EntryReader, data: dict[str, Any]) -> None:
    value = reader.text("year")
    date = reader.text("date")
    if value:
        match = re.search(r"\b(1[89]\d\d|2[0-2]\d\d)\b", value)
        if match:
            data["year"] = int(match.group(1))
            reader.origin["year"] = "year"
        elif value.strip().lower() in _NOT_YET:
            data.setdefault("notes", []).append(value.strip()[:1].upper() + value.strip()[1:])
        else:
            reader.problem("year", f"'{value}' is not a year")
    if date:
        data["date"] = date
        reader.origin["date"] = "date"
        return
    month = reader.text("month")
    if month and data.get("year"):
        key = month.strip().lower().rstrip(".")
        number = _MONTHS.get(key) or _MONTH_NAMES.get(key)
        if number is None and key.isdigit() and 1 <= int(key) <= 12:
            number = int(key)
        if number is None:
            reader.warn("month", f"'{month}' is not a month; left out")
        else:
            data["date"] = f"{data['year']}-{number:02d}"
            reader.origin["date"] = "month"


def _venue(reader: _EntryReader, entry_type: str) -> tuple[str | None, str | None]:
    if entry_type in ("phdthesis", "mastersthesis", "thesis"):
        kind = reader.text("type") or {"phdthesis": "PhD thesis", "mastersthesis": "Master's thesis"}.get(
            entry_type, "Thesis")
        school = reader.text("school", "institution")
        return ", ".join(x for x in (kind, school) if x), None
    if entry_type in ("techreport", "report"):
        kind = reader.text("type") or "Technical report"
        number = reader.text("number")
        parts = [reader.text("institution"), f"{kind} {number}" if number else kind]
        return ", ".join(x for x in parts if x), None
    if entry_type == "patent":
        number = reader.text("number")
        return (f"Patent {number}" if number else "Patent"), None
    venue = reader.text("journal", "journaltitle", "booktitle", "eventtitle", "howpublished")
    short = reader.text(*SHORT_VENUE_FIELDS)
    if venue and not short and entry_type not in ("article",):
        match = _SHORT_IN_PARENS.search(venue)
        if match and re.search(r"[A-Z]{2}", match.group(1)):
            short = re.sub(r"\s*'?\d{2,4}$", "", match.group(1)).strip()
            venue = venue[: match.start()].rstrip(" ,")
    return venue, short


def _entry(entry: bm.Entry, strings: dict[str, str], file: str, problems: list[Problem],
           warnings: Warnings) -> Publication | None:
    reader = _EntryReader(entry, strings, file, problems, warnings)
    before = len(problems)
    entry_type = entry.entry_type.lower()
    data: dict[str, Any] = {"id": entry.key}
    title = reader.text("title")
    if not title:
        reader.problem(None, f"the entry '{entry.key}' has no title")
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
            if value and not (key == "volume" and value.lower().startswith("abs/")):
                data[key] = value
                reader.origin[key] = name
    data.update(type=kind, venue=venue, venue_short=short, arxiv=arxiv)
    reader.origin.update(type="pubtype", venue="booktitle" if "booktitle" in reader.fields else "journal",
                         venue_short="abbr")
    publisher = reader.text("publisher")
    if publisher and kind in ("book", "chapter"):
        data["publisher"] = publisher
    _year(reader, data)
    doi = reader.text("doi")
    if doi:
        data["doi"] = re.sub(r"^(?:https?://(?:dx\.)?doi\.org/|doi:\s*)", "", doi.strip(), flags=re.I)
    url = reader.text("url")
    if url and arxiv and re.search(rf"(arxiv\.org/(abs|pdf)/|10\.48550/arxiv\.){re.escape(arxiv)}", url, re.I):
        url = None  # the arXiv link says it already
    if url:
        data["url"] = url
        reader.origin["url"] = "url"
    links = []
    for name, label in LINK_FIELDS.items():
        value = reader.text(name)
        if not value:
            continue
        try:
            links.append({"label": label, "url": _check_url(value)})
        except PydanticCustomError:
            reader.warn(name, f"'{value[:60]}' is not a web link (http:// or https://); left out")
    data["links"] = links
    notes = list(data.pop("notes", []))
    for name in ("note", "award"):
        value = reader.text(name)
        if value and not re.fullmatch(r"(?i)\s*arxiv[:\s]*\S+\s*", value):
            notes.extend(n.strip() for n in value.split(";") if n.strip())
    data["note"] = notes
    reader.origin["notes"] = "note"
    selected = reader.text("selected")
    if selected:
        data["selected"] = selected.strip().lower()
        reader.origin["selected"] = "selected"
    try:
        pub = Publication.model_validate({k: v for k, v in data.items() if v is not None})
    except ValidationError as exc:
        for error in exc.errors(include_url=False):
            loc = tuple(error["loc"])
            field_name = reader.origin.get(str(loc[0]), str(loc[0])) if loc else None
            message, _ = explain(dict(error), Publication)
            value = error.get("input")
            shown = f" (got {value!r})" if isinstance(value, str | int) and error["type"] != "missing" else ""
            reader.problem(field_name if field_name in reader.fields else None, message + shown)
        return None
    return pub if len(problems) == before else None


# ----- merging ------------------------------------------------------------------------------------

def load_bibtex(path: Path, warnings: Warnings) -> list[Publication]:
    """Publications from one .bib file."""
    return parse_bibtex(read_bib_text(path), str(path), warnings)


def _where_named(loaded: LoadedProfile, path: Path) -> Problem | None:
    """The place in the profile that names a .bib file, for 'file not found' errors."""
    if loaded.located is None:
        return None
    for i, name in enumerate(loaded.profile.publications.bibtex):
        if (loaded.base_dir / name).resolve() == path.resolve():
            line, col = loaded.located.where(("publications", "bibtex", i))
            if (line, col) == loaded.located.where(("publications",)):
                line, col = loaded.located.where(("publications", "bibtex"))
            return Problem("", loaded.located.file, line, col, "publications.bibtex")
    return None


def merge_bibtex(loaded: LoadedProfile, files: list[Path], warnings: Warnings) -> LoadedProfile:
    """The profile with the publications of ``files`` added after its own (its own win on equal keys)."""
    plist = loaded.profile.publications
    own_ids = {p.id for p in plist.items if p.id}
    seen: dict[str, str] = {}
    added: list[Publication] = []
    problems: list[Problem] = []
    for path in files:
        try:
            pubs = load_bibtex(path, warnings)
        except ProfileError as exc:
            where = _where_named(loaded, path)
            if where is not None and not path.exists():
                problems.append(dataclasses.replace(
                    where, message=f"BibTeX file not found: {path}"))
            else:
                problems.extend(exc.problems)
            continue
        for pub in pubs:
            if pub.id in own_ids:
                continue
            if pub.id in seen:
                warnings.add(f"{path}: entry '{pub.id}' repeats a key from {seen[pub.id]}; the first is used")
                continue
            seen[pub.id or ""] = str(path)
            added.append(pub)
    if problems:
        raise ProfileError(problems)
    profile = loaded.profile.model_copy(
        update={"publications": plist.model_copy(update={"items": [*plist.items, *added]})})
    return dataclasses.replace(loaded, profile=profile)


__all__ = ["latex_to_text", "load_bibtex", "merge_bibtex", "parse_bibtex", "read_bib_text", "resolve"]
