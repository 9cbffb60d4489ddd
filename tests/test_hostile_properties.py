"""Property-based tests: profiles full of hostile Unicode build in every theme and backend, and the PDF
text holds what was typed.

Each generated profile carries dozens of hostile strings (TeX specials, ``^^`` escapes,
``\\csname``, HTML and Jinja delimiters, right-to-left text, combining marks, emoji, 500-character
words and URLs) in every text field, so one slow PDF build checks many inputs.

"Holds" means: for a plain-text field, the NFKC form of the value appears in the NFKC form of the
PDF text, compared without whitespace, hyphens and invisible format characters (line breaks and
hyphenation add the first two; PDF text extraction drops the last). For a field that accepts
inline Markdown, the expected text is ``markup.parse(value).plain``. A character that no
installed font can show may be missing, but only when the build warned about it.

Control characters are refused by the model with a located error (tested here too).

The number of examples is ``CVRENDER_FUZZ_EXAMPLES`` (default 6; ``nox -s fuzz`` runs many).
"""

from __future__ import annotations

import io
import json
import os
import re
import unicodedata
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
import yaml
from conftest import TODAY, uri_annotations
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st
from pypdf import PdfReader
from test_hostile_support import (
    MAX_PIECES,
    RANDOM_EXAMPLES,
    ordered_parts,
    page_key,
    pieces,
    raw_text,
    require_tex,
    tally,
    text_key,
)

from cvrender.api import BuildOptions, default_builder
from cvrender.context.markup import parse
from cvrender.errors import ProfileError, Warnings
from cvrender.sources.loading import load_profile

EXAMPLES = int(os.environ.get("CVRENDER_FUZZ_EXAMPLES", "6"))

DERANDOMIZE = not RANDOM_EXAMPLES  # a fixed sample, everywhere, unless new examples are asked for

SETTINGS = settings(
    max_examples=EXAMPLES, deadline=None, database=None, print_blob=True,
    derandomize=DERANDOMIZE,
    phases=[Phase.explicit, Phase.generate],  # a PDF build per example: shrinking would take minutes
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large, HealthCheck.large_base_example,
                           HealthCheck.function_scoped_fixture],
)

# ----- hostile pieces ------------------------------------------------------------------------

TEX_PIECES = [
    "\\input{/etc/passwd}", "\\include{/etc/shadow}", "\\immediate\\write18{touch /tmp/pwned}",
    "\\openin5=/etc/passwd", "\\read5 to\\x", "\\csname relax\\endcsname", "\\csname", "\\endcsname",
    "^^5c", "^^5cinput{/etc/passwd}", "^^^^005c", "^^M", "^^I", "^^?", "^^", "^",
    "\\catcode`\\^^5c=0", "\\catcode`\\@=11", "\\makeatletter\\@@end", "\\end{document}",
    "\\def\\x{\\x}\\x", "\\loop\\iftrue\\repeat", "\\expandafter", "\\string\\input", "\\par",
    "\\\\", "\\", "{", "}", "{}", "}{", "#", "##1", "$", "$$", "$x^2$", "%", "% comment", "&", "~",
    "_", "__", "--", "---", "``", "''", "<<", ">>", "!`", "?`", "\\verb|x|", "\\begin{verbatim}",
    "\\url{file:///etc/passwd}", "\\href{javascript:x}{y}", "\\includegraphics{/etc/passwd}",
    "\\directlua{os.execute('touch /tmp/pwned')}", "\\special{sh: touch /tmp/pwned}",
    "\\outer\\def", "\\jobname", "\\detokenize{\\input}", "\\textbackslash", "\\$", "\\%",
]
HTML_PIECES = [
    "<script>alert(1)</script>", "<img src=file:///etc/passwd>", "<style>@import url(file:///etc/passwd)</style>",
    "url(file:///etc/passwd)", "@import 'https://example.com/x.css';", "</p></body>", "<!--", "-->",
    "]]>", "<![CDATA[", "&amp;", "&lt;", "&#x5c;", "&", "<", ">", "\"", "'", "`",
    "{{ cv }}", "{% raw %}", "{# x #}", "<< cv >>", "<% x %>", "<# x #>", "${x}", "javascript:alert(1)",
]
MARKDOWN_PIECES = [
    "*", "**", "_", "`", "[x](javascript:alert(1))", "[y](file:///etc/passwd)", "<javascript:alert(1)>",
    "[z](https://example.org/a_(b)?c=1&d=%7B)", "**bold**", "*it*", "`code \\input`", "\\*", "[", "](",
]
RTL_WORDS = ["مرحبا", "بالعالم", "שלום", "עולם", "سلام", "ایران", "ܫܠܡܐ"]
EMOJI = ["👩‍🔬", "🧪", "🇨🇳", "👍🏽", "🏳️‍🌈", "❤️", "😀", "🤖", "👨‍👩‍👧‍👦"]
# Characters that decompose: their NFD form (a base and combining marks) must come out whole.
COMPOSABLE = [ch for ch in map(chr, range(0xC0, 0x1FFF)) if unicodedata.normalize("NFD", ch) != ch
              and unicodedata.category(ch).startswith("L")]


def _arbitrary_chars() -> st.SearchStrategy[str]:
    """Any visible character: no control or surrogate characters (the model refuses those), and
    no combining marks on their own (they come in COMPOSABLE sequences)."""
    return st.characters(blacklist_categories=("Cc", "Cs", "Mn", "Mc", "Me", "Zl", "Zp"))


# Long words stand apart: WeasyPrint cannot break a word that runs across two inline elements
# (``x**y**<500 letters>``), a limit of its line breaking that no stylesheet can lift.
LONG_WORD = st.builds(lambda chunk, n: " " + (chunk * n)[:500] + " ",
                      st.text(st.characters(whitelist_categories=("Ll", "Lu", "Nd", "Lo")), min_size=1, max_size=12),
                      st.just(500))
LONG_URL = st.builds(lambda path: " https://example.org/" + (path * 60)[:480] + " ",
                     st.text(st.characters(whitelist_categories=("Ll", "Nd"), whitelist_characters="-._~%/?#=&+"),
                             min_size=1, max_size=8))

PIECE = st.one_of(
    st.sampled_from(TEX_PIECES), st.sampled_from(HTML_PIECES), st.sampled_from(RTL_WORDS),
    st.sampled_from(EMOJI), st.sampled_from(COMPOSABLE).map(lambda ch: unicodedata.normalize("NFD", ch)),
    st.text(_arbitrary_chars(), min_size=1, max_size=8),
)
MD_PIECE = st.one_of(PIECE, st.sampled_from(MARKDOWN_PIECES))
# At most one long word per field: a table row cannot run over a page break, so a label of many
# 500-character words could be taller than a page.
LONG = st.one_of(st.none(), st.none(), st.none(), LONG_WORD, LONG_URL)


def _joined(piece: st.SearchStrategy[str]) -> st.SearchStrategy[str]:
    def combine(parts: list[tuple[str, str]], long: str | None, where: int) -> str:
        texts = [p + s for p, s in parts]
        if long is not None:
            texts.insert(where % (len(texts) + 1), long)
        return "".join(texts).strip()

    return (st.builds(combine, st.lists(st.tuples(piece, st.sampled_from([" ", "", " ", "\t"])), min_size=1, max_size=4),
                      LONG, st.integers(0, 4))
            .filter(lambda s: bool(s) and not s.startswith(("-", "?", ":"))))


PLAIN = _joined(PIECE)
MARKDOWN = _joined(MD_PIECE)


# ----- a profile that records what each field should show ------------------------------------

@dataclass
class Expectation:
    """What the PDF should show: (field path, typed value, expected text)."""

    items: list[tuple[str, str, str]] = field(default_factory=list)

    def plain(self, where: str, value: str) -> str:
        """A plain-text field: shown as typed."""
        self.items.append((where, value, value))
        return value

    def markdown(self, where: str, value: str) -> str:
        """A Markdown field: shown as its parsed plain text."""
        self.items.append((where, value, parse(value).plain))
        return value


@st.composite
def hostile_profiles(draw: Any) -> tuple[dict[str, Any], Expectation]:
    """A profile with a hostile string in every text field, and what each must show."""
    ex = Expectation()
    p, m = (lambda where: ex.plain(where, draw(PLAIN))), (lambda where: ex.markdown(where, draw(MARKDOWN)))
    url = draw(LONG_URL).strip()
    profile: dict[str, Any] = {
        "name": p("name"), "native_name": p("native_name"), "headline": m("headline"),
        "location": p("location"), "website": url, "summary": m("about"),
        "links": {"custom": [{"label": p("links.custom.label"), "url": draw(LONG_URL).strip()}]},
        "interests": [{"label": p("interests.label"), "items": [m("interests.item"), m("interests.item")]}],
        "education": [{
            "institution": m("education.institution"), "degree": p("education.degree"),
            "field": p("education.field"), "date": "2019 - 2023", "location": p("education.location"),
            "department": m("education.department"), "lab": m("education.lab"), "advisors": [{"name": p("education.advisor")}],
            "thesis": m("education.thesis"), "highlights": [m("education.highlight")],
        }],
        "experience": [{
            "organization": m("experience.organization"), "role": p("experience.role"),
            "team": p("experience.team"), "date": "2023 - present", "location": p("experience.location"),
            "summary": m("experience.summary"), "highlights": [m("experience.highlight")],
            "collaborators": [{"name": p("experience.collaborator")}],
        }],
        "publications": [{
            "title": m("publications.title"), "venue": p("publications.venue"), "year": 2024,
            "authors": [{"name": p("publications.author")}, {"name": p("publications.author")}],
            "note": [m("publications.note")], "links": [{"label": p("publications.link"), "url": draw(LONG_URL).strip()}],
        }],
        "awards": [{"title": m("awards.title"), "issuer": p("awards.issuer"), "note": m("awards.note"), "years": 2020}],
        "service": [{"role": p("service.role"), "venue": p("service.venue"), "years": 2021}],
        "teaching": [{"course": m("teaching.course"), "role": p("teaching.role"), "date": 2022,
                      "institution": p("teaching.institution")}],
        "talks": [{"title": m("talks.title"), "event": p("talks.event"), "date": "2023-05"}],
        "news": [{"text": m("news.text"), "date": "2024-01"}],
        "projects": [{"name": m("projects.name"), "role": p("projects.role"), "summary": m("projects.summary")}],
        "skills": [{"category": p("skills.category"), "items": [p("skills.item")]}],
        "languages": [{"language": p("languages.language"), "level": p("languages.level")}],
        "sections": [{"title": p("sections.title"), "entries": [{
            "title": m("sections.entry.title"), "subtitle": m("sections.entry.subtitle"),
            "location": p("sections.entry.location"), "summary": m("sections.entry.summary")}]}],
    }
    profile["aliases"] = [profile["publications"][0]["authors"][0]["name"]]
    return profile, ex


# ----- checking the PDF ------------------------------------------------------------------------

_WARNED_CHAR = re.compile(r"U\+([0-9A-Fa-f]{4,6})")


def unshowable(warnings: list[str]) -> set[str]:
    """Characters the build warned no font could show."""
    return {chr(int(code, 16)) for w in warnings for code in _WARNED_CHAR.findall(w)}


def _fold_mirrored(text: str) -> str:
    """Brackets and other mirrored characters as one: in right-to-left text ``>`` is drawn with the
    glyph of ``<``, and text extraction reads the glyph back."""
    return "".join("\u21c4" if unicodedata.mirrored(ch) else ch for ch in text)


_JOINING = re.compile(r"[\u0600-\u08ff\ufb50-\ufdff\ufe70-\ufeff]")


def typst_fold(text: str) -> str:
    """Texts as the Typst check compares their order. Typst's PDF maps a character it draws with
    several glyphs (a base letter and marks, where the font has no precomposed glyph) to each of
    them, so text extraction repeats it: runs of one character count as one. Its extraction of
    joined Arabic and Syriac letters next to other scripts is not exact yet (a letter now and then
    is lost or doubled): those letters are left out of the comparison."""
    return re.sub(r"(.)\1+", r"\1", typst_count_fold(text))


def typst_count_fold(text: str) -> str:
    """Texts as the Typst check counts their characters: repeats only add to what is shown, so
    runs stay (folding them in the page would merge the last character of one field with the
    same first character of the next)."""
    return _JOINING.sub("", text)


def missing_texts(expectation: Expectation, text: str, warned: set[str],
                  fold: Callable[[str], str] = lambda s: s,
                  count_fold: Callable[[str], str] = lambda s: s) -> list[tuple[str, str, str]]:
    """Every expected text that the PDF text does not hold. Characters the build warned about
    may be missing; right-to-left runs may come out in visual order, so for them only the runs
    between them must appear in order; a text may come out in a few pieces when it runs over a
    page break beside another column; and every character must appear as often as typed (mirrored
    characters such as brackets counted together). ``fold`` prepares texts for the order check,
    ``count_fold`` for the count."""
    drop = {c for ch in warned for c in text_key(ch)}
    if warned:
        drop.add("\ufffd")  # a character no font has is printed as U+FFFD, as its warning says
    visible = "".join(c for c in page_key(text) if c not in drop)
    page = fold(visible)
    missing = []
    typed: Counter[str] = Counter()
    for where, value, expected in expectation.items:
        kept = "".join(c for c in text_key(expected) if c not in drop)
        key = fold(kept)
        typed.update(_fold_mirrored(count_fold(kept)))
        if any(pieces(part, page) > MAX_PIECES for part in ordered_parts(key)):
            missing.append((where, value, expected))
    shown = Counter(_fold_mirrored(count_fold(visible)))
    lost = {ch: n - shown[ch] for ch, n in typed.items() if shown[ch] < n}
    if lost:
        missing.append(("(characters)", "", "".join(lost)))
    return missing


def write_profile(folder: Path, profile: dict[str, Any]) -> Path:
    """The profile as a UTF-8 YAML file (so the located loader reads the hostile text too)."""
    path = folder / "profile.yaml"
    path.write_text(yaml.safe_dump(profile, allow_unicode=True, sort_keys=False, width=10_000), encoding="utf-8")
    return path


def check_build(theme: str, backend: str, profile: dict[str, Any], expectation: Expectation, folder: Path,
                request: pytest.FixtureRequest) -> None:
    """Build the profile and check that the PDF shows every field, that pypdf reads its text (no
    custom font encoding read back as NUL-separated garbage), and that it links only to safe URLs."""
    path = write_profile(folder, profile)
    warnings = Warnings()
    _, _, compiled, _ = default_builder().compile(
        path, BuildOptions(theme=theme, backend=backend, today=TODAY), warnings)
    tally(request, f"property strings ({theme}, {backend})", len(expectation.items))
    tally(request, f"property profiles ({theme}, {backend})")
    warned = unshowable(warnings.items) | set(compiled.info.get("missing_glyphs", ()))  # type: ignore[arg-type]
    missing = missing_texts(expectation, raw_text(compiled.data), warned,
                            *((typst_fold, typst_count_fold) if backend == "typst" else ()))
    assert not missing, f"not in the PDF text ({len(missing)} of {len(expectation.items)}): {missing[:3]}"
    if backend == "html":  # (pypdf reads characters beyond U+FFFF in xdvipdfmx's CMaps as NUL: its limit)
        extracted = "".join(page.extract_text() for page in PdfReader(io.BytesIO(compiled.data)).pages)
        assert "\x00" not in extracted, "pypdf reads NUL characters: a font was written with a custom encoding"
    for uri in uri_annotations(compiled.data):
        assert uri.split(":", 1)[0].lower() in ("http", "https", "mailto", "tel"), uri


@pytest.fixture
def scratch(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A fresh folder (Hypothesis calls the test many times with one fixture value)."""
    return tmp_path_factory.mktemp("hostile")


def _theme_backends() -> list[Any]:
    """Every registered theme with each registered format it has; LaTeX builds are marked ``tex`` and ``slow``."""
    from cvrender.formats.registry import format_names
    from cvrender.theming import list_themes

    return [pytest.param(theme.name, fmt, id=f"{theme.name}-{fmt}",
                         marks=([pytest.mark.tex, pytest.mark.slow] if fmt == "latex" else [])
                         + ([pytest.mark.xfail(strict=False, reason=OPEN[theme.name, fmt])]
                            if (theme.name, fmt) in OPEN else []))
            for theme in list_themes() for fmt in format_names() if fmt in theme.backends() and fmt != "typst"]


# Found when these properties were extended to every theme and format, not yet fixed (CI's fixed
# sample draws them): they stay visible as xfails in every run until they are.
OPEN: dict[tuple[str, str], str] = {}  # none at present


@pytest.mark.parametrize(("theme", "backend"), _theme_backends())
@SETTINGS
@given(case=hostile_profiles())
def test_hostile_profile_builds_and_shows_every_field(theme: str, backend: str,
                                                      case: tuple[dict[str, Any], Expectation],
                                                      scratch: Path, request: pytest.FixtureRequest) -> None:
    if backend == "latex":
        require_tex()
    profile, expectation = case
    check_build(theme, backend, profile, expectation, scratch, request)


# On the fixed sample a plain test. With new examples, about one run in six still finds a field
# that begins with brackets and dashes, between right-to-left fields on one line, which Typst lays
# out reordered; that is open (see the Typst section of docs/themes.md), so those runs mark it xfail.
@pytest.mark.xfail(RANDOM_EXAMPLES, strict=False,
                   reason="random seeds: the PDF text of neutral characters between right-to-left fields "
                          "of one line may come out reordered (open)")
@pytest.mark.parametrize("theme", ["academic", "modern", "compact", "sidebar"])
@settings(SETTINGS)
@given(case=hostile_profiles())
def test_hostile_profile_builds_with_typst_and_shows_every_field(theme: str, case: tuple[dict[str, Any], Expectation],
                                                                   scratch: Path, request: pytest.FixtureRequest) -> None:
    profile, expectation = case
    check_build(theme, "typst", profile, expectation, scratch, request)


# ----- control characters --------------------------------------------------------------------

CONTROL = st.characters(whitelist_categories=("Cc", "Cs"), blacklist_characters="\t\n\r")


VISIBLE = st.text(_arbitrary_chars(), max_size=5)


@settings(max_examples=max(50, EXAMPLES * 10), deadline=None, database=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(before=VISIBLE, control=CONTROL, after=VISIBLE,
       where=st.sampled_from(["name", "location", "headline", "summary", "interests"]))
def test_control_characters_are_refused_with_a_located_error(before: str, control: str, after: str, where: str,
                                                             scratch: Path, request: pytest.FixtureRequest) -> None:
    value = f"x{before}{control}{after}"
    data = {"name": "Ada Lovelace", where: [value] if where == "interests" else value}
    path = scratch / "control.yaml"
    path.write_text("# a profile\n" + json.dumps(data), encoding="utf-8")  # JSON escapes every character
    tally(request, "control characters")
    with pytest.raises(ProfileError) as info:
        load_profile(path)
    message = str(info.value)
    assert len(message.splitlines()) == 1, message
    line = 2
    assert f"control.yaml:{line}:" in message
    assert f"U+{ord(control):04X}" in message, message
