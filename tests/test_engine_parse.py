"""The WeasyPrint engine reads built-in themes' HTML with the XML parser (fast) and anything else
with WeasyPrint's HTML5 parser; both must give the same PDF to a reader."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import pytest
from conftest import TODAY, example_profiles, pdf_text, uri_annotations
from hypothesis import given
from hypothesis import strategies as st

from cvrender.api import Builder, BuildOptions
from cvrender.context.markup import _MARKDOWN_CHARS, parse, parse_markdown
from cvrender.formats.html.engine import WeasyPrintEngine, _parse_xhtml, _tree_html_supported
from cvrender.theming import registered_themes

BUILTIN = ("academic", "modern", "compact", "sidebar")


def _source(profile: Path, theme: str):
    return Builder().render_source(profile, BuildOptions(theme=theme, today=TODAY))


@pytest.mark.parametrize("theme", BUILTIN)
def test_every_builtin_theme_writes_markup_the_xml_parser_reads(theme: str) -> None:
    assert theme in registered_themes()
    for profile in example_profiles():
        assert _parse_xhtml(_source(profile, theme).text) is not None, f"{theme} / {profile.name} is not well-formed"


@pytest.mark.parametrize(("profile", "theme"), [(p, "academic") for p in example_profiles()]
                         + [(p, t) for p in example_profiles() if p.stem == "full" for t in BUILTIN[1:]],
                         ids=lambda v: v.stem if isinstance(v, Path) else v)
def test_both_parsers_give_the_same_pdf_to_a_reader(profile: Path, theme: str) -> None:
    assert _tree_html_supported(), "this WeasyPrint's HTML documents hold other attributes: update _tree_html"
    source = _source(profile, theme)
    fast = WeasyPrintEngine().compile(source)
    slow = WeasyPrintEngine(parse_xhtml=False).compile(source)
    assert fast.pages == slow.pages
    assert pdf_text(fast.data) == pdf_text(slow.data)
    assert uri_annotations(fast.data) == uri_annotations(slow.data)


def test_markup_that_is_not_well_formed_goes_through_the_html5_parser() -> None:
    source = _source(example_profiles()[0], "academic")
    broken = dataclasses.replace(source, text=source.text.replace("<main>", "<main><p>one<br>two</p>", 1))
    assert _parse_xhtml(broken.text) is None
    pdf = WeasyPrintEngine().compile(broken)
    assert "one" in pdf_text(pdf.data) and pdf.pages >= 1


def test_a_namespaced_document_goes_through_the_html5_parser() -> None:
    assert _parse_xhtml('<html xmlns="http://www.w3.org/1999/xhtml"><body>x</body></html>') is None
    assert _parse_xhtml("<html><body>x</body></html>") is not None


@given(st.text(alphabet=st.characters(codec="utf-8"), max_size=40))
def test_the_plain_text_shortcut_parses_like_markdown(text: str) -> None:
    if text:
        assert parse(text) == parse_markdown(text)


@given(st.text(alphabet=st.characters(codec="utf-8", exclude_characters="*_[]`<>!\\&\r\x00"), min_size=1))
def test_text_without_markdown_characters_is_one_text_node(text: str) -> None:
    assert not _MARKDOWN_CHARS.search(text)
    assert parse(text) == parse_markdown(text)
