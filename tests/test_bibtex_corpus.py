"""Real .bib files people keep (../shared/corpus/bib) build in both backends with nothing lost or mangled.

Never run in CI (the corpus is not part of the project): skipped when CI=true or the folder is absent.
What a file should print is worked out here from the raw file, with bibtexparser and plain string
handling only, so the reader's own decoding is not its own judge.
"""

from __future__ import annotations

import html
import re
import unicodedata
from pathlib import Path
from urllib.parse import unquote

import bibtexparser
import pytest
from conftest import IN_CI, ROOT, TODAY, pdf_text, require_tex, squash, uri_annotations
from pypdf import PdfReader

from cvrender.api import Builder, BuildOptions

CORPUS = ROOT.parent / "shared" / "corpus" / "bib"

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(IN_CI, reason="the corpus is not part of the project; never run in CI"),
    pytest.mark.skipif(not CORPUS.is_dir(), reason=f"no corpus at {CORPUS}"),
]

# file -> (owner as written in the profile, extra profile lines)
OWNERS = {
    "594zyc-papers.bib": ("Yichi Zhang", "  files_url: https://594zyc.github.io/assets/pdf/\n"),
    "bamos-all.bib": ("Brandon Amos", ""),
    "biblatex-examples.bib": ("Donald E. Knuth", ""),
    "thuthesis-refs.bib": ("郑开青", ""),
}
LOCALES = {"thuthesis-refs.bib": "zh"}
BACKENDS = ("html", "latex")
CONTAINERS = {"set", "xdata"}
LINK_FIELDS = ("url", "pdf", "code", "codeurl", "slides", "html", "supp", "poster", "video", "project",
               "website", "blog", "data", "demo")


class Built:
    """One corpus file built in one backend: its PDF text, bold spans, links and warnings."""

    def __init__(self, pdf: Path, warnings: list[str]):
        self.pdf = pdf
        self.warnings = warnings
        self.text = pdf_text(pdf)
        self.links = uri_annotations(pdf)
        self.chars, self.bold = _text_and_bold(pdf)


def _cjk(text: str) -> bool:
    return any("\u3000" <= c <= "\u9fff" or "\uff00" <= c <= "\uffef" for c in text)


def _text_and_bold(pdf: Path) -> tuple[str, list[bool]]:
    """All text of the PDF, whitespace collapsed, and for each character whether its font is bold."""
    chars: list[str] = []
    bold: list[bool] = []

    def visit(text: str, cm: object, tm: object, font: dict | None, size: float) -> None:
        if not text:
            return
        is_bold = "bold" in str((font or {}).get("/BaseFont", "")).lower()
        if chars and not chars[-1].isspace() and not text[0].isspace() and not _cjk(chars[-1] + text[0]):
            chars.append(" ")
            bold.append(False)
        for ch in text:
            if ch.isspace() and chars and chars[-1] == " ":
                continue
            chars.append(" " if ch.isspace() else ch)
            bold.append(is_bold)

    for page in PdfReader(pdf).pages:
        page.extract_text(visitor_text=visit)
    return "".join(chars), bold


_BUILT: dict[tuple[str, str], Built] = {}


def built(tmp_path_factory: pytest.TempPathFactory, name: str, backend: str) -> Built:
    """Build ``name`` in ``backend`` once per test session."""
    if (name, backend) not in _BUILT:
        if backend == "latex":
            require_tex("xelatex")
        owner, extra = OWNERS[name]
        folder = tmp_path_factory.mktemp(f"corpus-{backend}")
        profile = folder / "cv.yaml"
        locale = f"locale: {LOCALES[name]}\n" if name in LOCALES else ""
        profile.write_text(f"name: {owner}\n{locale}publications:\n  bibtex: ['{CORPUS / name}']\n{extra}",
                           encoding="utf-8")
        result = Builder().build(profile, BuildOptions(backend=backend, today=TODAY), folder / "cv.pdf")
        assert result.pdf_path is not None
        _BUILT[(name, backend)] = Built(result.pdf_path, result.warnings)
    return _BUILT[(name, backend)]


# ----- what the raw file says ----------------------------------------------------------------------

def _raw_entries(name: str) -> list[tuple[str, str, dict[str, str]]]:
    """(key, type, fields) of every entry, first value of a field given twice, delimiters removed."""
    library = bibtexparser.parse_string((CORPUS / name).read_text(encoding="utf-8"))
    entries = list(library.entries)
    entries += [b.ignore_error_block for b in library.failed_blocks if hasattr(b, "ignore_error_block")
                and type(b).__name__ == "DuplicateFieldKeyBlock"]
    out = []
    for entry in entries:
        fields: dict[str, str] = {}
        for fld in entry.fields:
            value = str(fld.value)
            if len(value) >= 2 and value[0] in "{\"" and value[-1] in "}\"":
                value = value[1:-1]
            fields.setdefault(fld.key.lower(), value)
        out.append((entry.key, entry.entry_type.lower(), fields))
    return out


def _letters(text: str) -> str:
    """The words of ``text`` in ASCII letters, digits and CJK characters, lower case, hyphens and
    dashes dropped (a line break may hyphenate): what survives any faithful printing."""
    text = html.unescape(re.sub(r"<[^>]+>", "", text))
    text = re.sub(r"\\((?:La)?TeX)\b\s*", r"\1", text.replace("\\ ", " "))  # \TeX book is TeXbook
    text = re.sub(r"\\[A-Za-z]+|\\.", "", text)
    text = unicodedata.normalize("NFKD", unicodedata.normalize("NFKC", re.sub(r"[-–—‐]", "", text)))
    kept = "".join(c.lower() if (c.isascii() and c.isalnum()) or "\u4e00" <= c <= "\u9fff" else
                   "" if unicodedata.combining(c) else " " for c in text)
    return " ".join(kept.split())


def _named_in_warning(key: str, warnings: list[str]) -> bool:
    return any(f" {key}:" in w or f"'{key}'" in w for w in warnings)


def _left_out(key: str, warnings: list[str]) -> bool:
    """The warnings say the entry itself is not printed (not just one of its fields), or that it
    was merged into another copy of the same work (the merge warning names each one merged in as
    "and '<key>' (...) in <file>")."""
    return any((f" {key}: " in w and "the entry is left out" in w)
               or (f"publication '{key}'" in w and " left out" in w)
               or ("were merged into one entry" in w and f" and '{key}' (" in w) for w in warnings)


def _verbatim(value: str) -> str:
    value = re.sub(r"^\\url\{(.*)\}$", r"\1", value.strip())
    return re.sub(r"\\([_%&#~])", r"\1", value).replace("{", "").replace("}", "").strip()


def _expected_links(name: str) -> set[str]:
    """Every address a link annotation may point to: the link fields as written, DOIs, arXiv ids."""
    _, extra = OWNERS[name]
    base = re.search(r"files_url: (\S+)", extra)
    out: set[str] = set()
    for _, _, fields in _raw_entries(name):
        for field in LINK_FIELDS:
            if field in fields:
                value = _verbatim(fields[field])
                out.add(value)
                if base:
                    out.add(base.group(1) + value)
        if "doi" in fields:
            out.add("https://doi.org/" + re.sub(r"^https?://(dx\.)?doi\.org/", "", _verbatim(fields["doi"])))
        if "eprint" in fields:
            value = _verbatim(fields["eprint"])
            out |= {f"https://arxiv.org/abs/{value}", f"https://books.google.com/books?id={value}",
                    f"https://www.jstor.org/stable/{value}"}
        for value in fields.values():
            for arxiv in re.findall(r"(\d{4}\.\d{4,5}(?:v\d+)?)", value):
                out.add(f"https://arxiv.org/abs/{arxiv}")
    return {unquote(u) for u in out}


def _is_owner(written: str, owner: str) -> bool:
    written = html.unescape(re.sub(r"<[^>]+>|\$[^$]*\$|\\textsuperscript\{[^}]*\}|[*†‡{}]", "", written)).strip()
    if "," in written:
        last, _, first = written.partition(",")
        written = f"{first.strip()} {last.strip()}"
    words, owner_words = written.split(), owner.split()
    if len(owner_words) == 1:
        return "".join(words) == owner
    return (bool(words) and _letters(words[-1]) == _letters(owner_words[-1])
            and _letters(words[0])[:1] == _letters(owner_words[0])[:1])


# ----- the checks ----------------------------------------------------------------------------------

CASES = [(name, backend) for name in OWNERS for backend in BACKENDS]


@pytest.mark.parametrize(("name", "backend"), CASES)
def test_every_titled_entry_is_printed_once_or_named_in_a_warning(
        tmp_path_factory: pytest.TempPathFactory, name: str, backend: str) -> None:
    result = built(tmp_path_factory, name, backend)
    printed = _letters(result.text)
    entries = [e for e in _raw_entries(name) if e[1] not in CONTAINERS and e[2].get("title")]
    titles = [_letters(fields["title"]) for _, _, fields in entries]
    # a title may also be printed as the venue of the entries that take it over (crossref)
    venues = [_letters(" ".join(fields.get(f, "") for f in ("booktitle", "journal", "journaltitle", "maintitle")))
              for _, _, fields in _raw_entries(name)]
    parents = {key.lower(): _letters(fields.get("title", "")) for key, _, fields in _raw_entries(name)}
    venues += [parents.get(fields.get("crossref", "").lower(), "") for _, _, fields in _raw_entries(name)]
    missing, repeated = [], []
    for (key, _, _), title in zip(entries, titles, strict=True):
        if _named_in_warning(key, result.warnings):
            continue
        count = f" {printed} ".count(f" {title} ")
        allowed = titles.count(title) + sum(title in v for v in venues if v)
        if count == 0:
            missing.append(key)
        elif count > allowed:
            repeated.append((key, count, allowed))
    assert len(entries) >= 10
    assert missing == [], f"printed nowhere and not named in a warning: {missing}"
    assert repeated == [], f"printed more often than the file has it: {repeated}"


@pytest.mark.parametrize(("name", "backend"), CASES)
def test_every_link_is_the_field_it_came_from(tmp_path_factory: pytest.TempPathFactory, name: str,
                                               backend: str) -> None:
    result = built(tmp_path_factory, name, backend)
    expected = _expected_links(name)
    strangers = [u for u in result.links if unquote(u) not in expected]
    assert strangers == []
    if name != "thuthesis-refs.bib":
        assert len(result.links) >= 5


@pytest.mark.parametrize(("name", "backend"), CASES)
def test_the_owner_is_bold_in_every_entry_they_authored(tmp_path_factory: pytest.TempPathFactory, name: str,
                                                         backend: str) -> None:
    result = built(tmp_path_factory, name, backend)
    owner, _ = OWNERS[name]
    authored = 0
    for key, kind, fields in _raw_entries(name):
        names = fields.get("author") or fields.get("editor") or ""
        if kind in CONTAINERS or not fields.get("title") or _left_out(key, result.warnings):
            continue
        if any(_is_owner(n, owner) for n in re.split(r"\s+and\s+", names)):
            authored += 1
    words = owner.split()
    pattern = (re.escape(owner) if len(words) == 1 else
               rf"(?:{re.escape(words[0])}|{re.escape(words[0][0])}\.)(?:\s+\S+\.)?\s+{re.escape(words[-1])}")
    found = [m for m in re.finditer(pattern, result.chars)]
    bold = [m for m in found if all(result.bold[i] for i in range(m.start(), m.end()) if not result.chars[i].isspace())]
    # the CV's own heading prints the name once, in the display font
    assert authored >= 1
    assert len(bold) == authored, (len(bold), authored, len(found))
    assert len(found) - len(bold) <= 1


@pytest.mark.parametrize(("name", "backend"), CASES)
def test_no_raw_markup_reaches_the_pdf(tmp_path_factory: pytest.TempPathFactory, name: str, backend: str) -> None:
    text = squash(built(tmp_path_factory, name, backend).text)
    for raw in ("\\", "{", "}", "$", "<b>", "</b>", "<i>", "&#", "&amp;", "~"):
        assert raw not in text, f"{raw!r} printed: ...{text[max(0, text.find(raw) - 60): text.find(raw) + 60]}..."
