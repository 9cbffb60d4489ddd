"""Typst escaping, in one place: markup text, string literals, and the markup IR rendered to Typst.

Every character of user text that Typst markup could read as syntax is escaped with a backslash
(``#`` code, ``*`` ``_`` `````` strong/emphasis/raw, ``$`` math, ``<label>``, ``@ref``, ``=``
headings, ``-``/``+``/``1.`` lists, ``/`` term lists and ``//`` comments, ``[`` ``]`` ``(``
``)`` ``.`` that would continue a call or field access, ``~``, quotes, ``:`` of autolinks).
Text in string literals (metadata, link targets, file names) escapes ``\\`` and ``"``. Both are
``str.translate`` tables, as texescape does for LaTeX; nothing else in the code escapes Typst.
"""

from __future__ import annotations

from urllib.parse import quote

from cvrender.context.markup import Inline, Link, Node, Span, Text, is_safe_url
from cvrender.text import page_template_parts


class Typst(str):
    """A string that is Typst markup already (the backend's ``finalize`` prints it as it is)."""

    __slots__ = ()


_SYNTAX = "\\#*_`$<>@=-+/[]~'\":.(){}^"
_CONTROL = {code: None for code in range(0x20) if chr(code) not in "\t\n\r"} | {0x7F: None}

# Markup: a backslash before every syntax character; line breaks become spaces (a CV field is
# one paragraph of inline text, and a blank line would start a new paragraph).
MARKUP_TABLE: dict[int, str | None] = {
    **_CONTROL, **{ord(ch): "\\" + ch for ch in _SYNTAX}, ord("\n"): " ", ord("\r"): " ", ord("\t"): " ",
}

# String literals: ``"...\\"..."``.
STRING_TABLE: dict[int, str | None] = {
    **_CONTROL, ord("\\"): "\\\\", ord('"'): '\\"', ord("\n"): "\\n", ord("\r"): "\\r", ord("\t"): "\\t",
}


def escape(text: object) -> Typst:
    """``text`` as Typst markup that prints exactly that text."""
    return Typst(str(text).translate(MARKUP_TABLE))


def link_target(url: str) -> Typst:
    """A link target as a string literal: an IRI made a URI (non-ASCII percent-encoded, as PDF
    link annotations hold ASCII), existing escapes and reserved characters kept."""
    return string(quote(url.strip(), safe="/:?#[]@!$&'()*+,;=%~-._"))


def string(text: object) -> Typst:
    """``text`` as a Typst string literal, quotes included."""
    return Typst('"' + str(text).translate(STRING_TABLE) + '"')


_COMMANDS = {"strong": "strong", "em": "emph", "code": "raw"}


def inline_typst(inline: Inline) -> Typst:
    """An :class:`Inline` as Typst markup: bold, italic, code and links; every text escaped here."""
    return Typst("".join(_node(n) for n in inline.nodes))


def _plain(nodes: tuple[Node, ...]) -> str:
    return "".join(n.text if isinstance(n, Text) else _plain(n.children) for n in nodes)


def _node(node: Node) -> str:
    if isinstance(node, Text):
        return escape(node.text)
    if isinstance(node, Span) and node.kind == "code":
        return f"#raw({string(_plain(node.children))})"
    inner = "".join(_node(c) for c in node.children)
    if isinstance(node, Span):
        return f"#{_COMMANDS[node.kind]}[{inner}]"
    if isinstance(node, Link) and is_safe_url(node.url):
        return f"#link({link_target(node.url)})[{inner}]"
    return inner


def url(value: str | None) -> Typst:
    """A link target as a string literal; ``none`` for schemes cvrender does not link."""
    if value and (is_safe_url(value) or value.startswith("tel:")):
        return link_target(value)
    return Typst("none")


def page_label(template: str) -> Typst:
    """``Page {page} of {pages}`` -> markup with the current page and the final page count."""
    fields = {"{page}": "#counter(page).display()", "{pages}": "#counter(page).final().first()"}
    return Typst("".join(fields.get(piece) or escape(piece) for piece in page_template_parts(template)))


__all__ = ["MARKUP_TABLE", "STRING_TABLE", "Typst", "escape", "inline_typst", "link_target", "page_label", "string", "url"]
