"""The LaTeX escaping tables: what each engine receives for special, Unicode and URL text."""

from __future__ import annotations

import re

import pytest
from hypothesis import given
from hypothesis import strategies as st

from cvrender.context.markup import parse
from cvrender.formats.latex.backend import hex_color, href_target, inline_latex, page_label
from cvrender.formats.latex.escape import (
    LaTeX,
    UnsupportedCharacterError,
    escape,
    escape_url,
    table,
)
from cvrender.formats.registry import get_format
from cvrender.text import is_cjk

ENGINES = get_format("latex").engines

# Commands the escaper may emit for ASCII text; anything else after a backslash is a bug.
_ASCII_COMMANDS = {
    "kern", "textbackslash", "textasciicircum", "textasciitilde", "textless", "textgreater", "textbar",
    "textasciigrave", "textquotedbl", "textquotesingle", "hskip", "relax",  # hskip: breaks in long words
}

_SCRIPTS = {"textsuperscript", "textsubscript"}


@pytest.mark.parametrize("engine", ENGINES)
@pytest.mark.parametrize(("text", "expected"), [
    ("\\", r"\textbackslash{}"),
    ("{x}", r"\{x\}"),
    ("$5 & #1 ^ _ ~ 50%", r"\$5 \& \#1 \textasciicircum{} \_ \textasciitilde{} 50\%"),
    (r"\input{/etc/passwd}", r"\textbackslash{}input\{/etc/passwd\}"),
    ("^^5c", r"\textasciicircum{}\textasciicircum{}5c"),
    ("[Oral] x", "{[}Oral{]} x"),
    ("<a|b>", r"\textless{}a\textbar{}b\textgreater{}"),
    ('"q" `t`', r"\textquotedbl{}q\textquotedbl{} \textasciigrave{}t\textasciigrave{}"),
    ("O'Brien's", r"O\textquotesingle{}Brien\textquotesingle{}s"),
    ("a--b---c ,, d", r"a-\kern0pt{}-b-\kern0pt{}-\kern0pt{}-c ,\kern0pt{}, d"),
    ("line\nbreak\n\npara\ttab", "line break  para tab"),
    ("bell\x07 and \x1b[0m", "bell and {[}0m"),
    ("no\u00a0break", "no~break"),
    ("S⁴-Tuning, CO₂", r"S\textsuperscript{4}-Tuning, CO\textsubscript{2}"),  # few fonts have these glyphs
])
def test_specials_print_literally_on_every_engine(engine: str, text: str, expected: str) -> None:
    assert escape(text, engine) == expected


def test_unicode_engines_keep_unicode() -> None:
    text = "许润昕 Zoë Øster ǔ α ≤ – “q” …"
    assert escape(text, "xelatex") == text
    assert escape(text, "lualatex") == text


@pytest.mark.parametrize(("char", "expected"), [
    ("é", "é"), ("ß", "ß"), ("Ł", "Ł"), ("–", "–"), ("“", "“"), ("€", "€"), ("ǔ", "ǔ"),  # utf8 inputenc knows them
    ("α", r"\ensuremath{\alpha}"), ("Ω", r"\ensuremath{\Omega}"), ("Α", "A"), ("≤", r"\ensuremath{\leq}"),
    ("…", r"\ldots{}"), ("\u2009", r"\,"),
    ("ạ", r"\d{a}"), ("ế", r"\'{\^{e}}"), ("ǐ", "ǐ"), ("ǹ", r"\`{n}"), ("ḯ", r"\'{\"{\i}}"),
])
def test_pdflatex_maps_what_it_can(char: str, expected: str) -> None:
    assert escape(char, "pdflatex") == expected


def test_pdflatex_refuses_accents_it_has_no_command_for() -> None:
    with pytest.raises(UnsupportedCharacterError, match="U\\+0209"):
        escape("ȉ", "pdflatex")  # double grave: no T1 accent command; refused rather than mangled


def test_pdflatex_refuses_chinese_naming_xelatex() -> None:
    with pytest.raises(UnsupportedCharacterError) as info:
        escape("Runxin Xu 许润昕", "pdflatex")
    message = str(info.value)
    assert "xelatex" in message and "许润昕" in message and "U+8BB8" in message
    assert info.value.exit_code == 2


def test_pdflatex_refuses_emoji_with_the_character_named() -> None:
    with pytest.raises(UnsupportedCharacterError, match=r"U\+1F600 GRINNING FACE"):
        escape("hi 😀", "pdflatex")


def test_latex_strings_are_not_escaped_again() -> None:
    safe = LaTeX(r"\textbf{x}")
    assert escape(safe, "pdflatex") is safe
    assert escape(None) == ""
    assert escape(2024) == "2024"


def test_unknown_engine_is_an_error() -> None:
    with pytest.raises(ValueError, match="unknown TeX engine"):
        table("context")


@pytest.mark.parametrize(("url", "expected"), [
    ("https://example.org/a_b?x=1&y=2#top", r"https://example.org/a_b?x=1\&y=2\#top"),
    ("https://example.org/~ada/", "https://example.org/~ada/"),
    ("https://example.org/50%25", r"https://example.org/50\%25"),
    ("https://example.org/{x}\\y z", r"https://example.org/\%7Bx\%7D\%5Cy\%20z"),
    ("https://例子.org/é", r"https://\%E4\%BE\%8B\%E5\%AD\%90.org/\%C3\%A9"),
    ("mailto:ada@example.org", "mailto:ada@example.org"),
])
def test_urls_for_href(url: str, expected: str) -> None:
    assert escape_url(url) == expected


def test_href_target_drops_unsafe_schemes() -> None:
    assert href_target("javascript:alert(1)") == ""
    assert href_target("file:///etc/passwd") == ""
    assert href_target(None) == ""
    assert href_target("tel:+861012345") == "tel:+861012345"


def test_inline_markup_becomes_latex_with_escaped_text() -> None:
    inline = parse("**bold $x$** and *em_1* and `c\\d` and [a & b](https://e.org/a%b#c)")
    assert inline_latex(inline, "xelatex") == (
        r"\textbf{bold \$x\$} and \emph{em\_1} and \texttt{c\textbackslash{}d} and "
        r"\href{https://e.org/a\%25b\#c}{a \& b}")


def test_page_label_escapes_the_words_around_the_counters() -> None:
    assert page_label("Page {page} of {pages}") == r"Page \thepage{} of \pageref*{LastPage}"
    assert page_label("第 {page} 页，共 {pages} 页") == r"第 \thepage{} 页，共 \pageref*{LastPage} 页"
    assert page_label("100% {page}") == r"100\% \thepage{}"
    with pytest.raises(UnsupportedCharacterError):
        page_label("第 {page} 页", "pdflatex")


def test_hex_color() -> None:
    assert hex_color("#1f3a5f") == "1F3A5F"
    assert hex_color("#abc") == "AABBCC"
    with pytest.raises(ValueError):
        hex_color("red}\\input{x")


def test_is_cjk() -> None:
    assert is_cjk("许润昕") and is_cjk("ひらがな") and is_cjk("한국어") and is_cjk("，")
    assert not is_cjk("Zoë – “quoted” ǔ")


def _commands(latex: str) -> set[str]:
    return set(re.findall(r"\\([A-Za-z]+)", latex))


@given(st.text(alphabet=st.characters(max_codepoint=0x7F)))
def test_ascii_text_can_only_produce_known_commands(text: str) -> None:
    for engine in ENGINES:
        out = escape(text, engine)
        assert _commands(out) <= _ASCII_COMMANDS
        assert "^^" not in out
        # every brace the escaper emits is balanced, so text can never close a template's group
        depth = 0
        for index, char in enumerate(out):
            if char in "{}" and (index == 0 or out[index - 1] != "\\"):
                depth += 1 if char == "{" else -1
                assert depth >= 0
        assert depth == 0
        # no unescaped TeX specials remain
        assert not re.search(r"(?<!\\)[$&#%_]", out)


@given(st.text())
def test_any_text_escapes_or_is_refused_with_a_clear_error(text: str) -> None:
    out = escape(text, "xelatex")
    assert not any(ord(ch) < 0x20 or 0x7F <= ord(ch) < 0xA0 for ch in out)
    assert _commands(out) <= _ASCII_COMMANDS | _SCRIPTS
    try:
        pdf = escape(text, "pdflatex")
    except UnsupportedCharacterError as exc:
        assert "xelatex" in str(exc)
    else:
        allowed = _ASCII_COMMANDS | _SCRIPTS | {"ensuremath", "ldots", "enspace", "quad", "hspace", "mbox", "i", "j",
                                     "d", "c", "k", "b", "r", "u", "v", "H"} | {n for n in _greek()}
        assert _commands(pdf) <= allowed


def _greek() -> set[str]:
    from cvrender.formats.latex.escape import _GREEK_CAPITAL, _GREEK_SMALL, _PDFLATEX_MAPPED

    return set(_GREEK_SMALL) | set(_GREEK_CAPITAL) | {c for v in _PDFLATEX_MAPPED.values() for c in _commands(v)}


def test_long_words_get_break_opportunities_but_cjk_and_short_words_do_not() -> None:
    url = "https://example.org/" + "abcdefghij" * 5
    out = escape(url)
    assert out.count(r"\hskip0pt\relax ") >= 3 and out.replace(r"\hskip0pt\relax ", "") == url
    assert escape("short words stay as they are") == "short words stay as they are"
    chinese = "我的研究关注机器翻译系统如何在数据稀缺时学习以及如何判断译文何时出错，以及如何判断"
    assert escape(chinese) == chinese  # xeCJK and the LuaTeX filter break CJK text by its own rules
    accented = "é" * 60  # as e + combining accent: never split from its base letter
    decomposed = "e\u0301" * 60
    assert "\\relax \u0301" not in escape(decomposed) and escape(decomposed).count(r"\hskip0pt") >= 2
    assert escape(accented).count(r"\hskip0pt") >= 2


def test_long_addresses_break_where_a_reader_expects_not_inside_a_name() -> None:
    """An e-mail address or URL breaks after '@', '/' or '-' and before '.', not inside 'domain'."""
    out = escape("ada.lovelace.tester@verylongdomain-university.example.edu")
    pieces = out.split("\\hskip0pt\\relax ")
    assert "verylongdomain-" in pieces and ".example" in pieces and "ada" in pieces
    assert all(len(piece) <= 20 for piece in pieces)
