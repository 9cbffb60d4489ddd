"""Inline Markdown (bold, italic, code, links) parsed once into a small intermediate form.

Backslashes are kept as typed (no Markdown escapes), so TeX-like text prints literally.

Backends turn the intermediate form into HTML or LaTeX with their own escaping; neither ever
sees raw Markdown. Links with schemes other than http, https and mailto are kept as text.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from urllib.parse import urlsplit

from markdown_it import MarkdownIt

SAFE_SCHEMES = frozenset({"http", "https", "mailto"})


@dataclass(frozen=True)
class Text:
    """Plain text."""

    text: str


@dataclass(frozen=True)
class Span:
    """Styled children: ``kind`` is ``strong``, ``em`` or ``code``."""

    kind: str
    children: tuple[Node, ...]


@dataclass(frozen=True)
class Link:
    """A hyperlink around children."""

    url: str
    children: tuple[Node, ...]


Node = Text | Span | Link


@dataclass(frozen=True)
class Inline:
    """A piece of inline text: a tuple of nodes. Backends render it; templates print it."""

    nodes: tuple[Node, ...]

    @property
    def plain(self) -> str:
        """The text without any styling."""
        return "".join(_plain(n) for n in self.nodes)

    def __str__(self) -> str:
        return self.plain

    def __bool__(self) -> bool:
        return bool(self.nodes)


def _plain(node: Node) -> str:
    if isinstance(node, Text):
        return node.text
    return "".join(_plain(c) for c in node.children)


def is_safe_url(url: str) -> bool:
    """True for http(s) and mailto links."""
    return urlsplit(url.strip()).scheme.lower() in SAFE_SCHEMES


@lru_cache(maxsize=1)
def _parser() -> MarkdownIt:
    md = MarkdownIt("zero").enable(["emphasis", "link", "backticks", "autolink"])
    md.validateLink = lambda url: True  # type: ignore[method-assign]  # schemes are checked below
    return md


# Characters that can start or end inline Markdown (or that the parser normalises); text
# without any of them is one text node, and most CV fields are such text.
_MARKDOWN_CHARS = re.compile(r"[*_\[\]`<>!\\&\r\x00]")


def parse(text: str | None) -> Inline:
    """Parse inline Markdown into an :class:`Inline`."""
    if not text:
        return Inline(())
    if not _MARKDOWN_CHARS.search(text):
        return Inline((Text(text),))
    return parse_markdown(text)


def parse_markdown(text: str) -> Inline:
    """:func:`parse` without the plain-text shortcut (the shortcut is tested against it)."""
    tokens = _parser().parseInline(text)
    children = tokens[0].children or [] if tokens else []
    stack: list[tuple[str, str, list[Node]]] = [("root", "", [])]
    for token in children:
        kind = token.type
        if kind == "text" and not token.content:
            continue
        if kind in ("text", "softbreak", "hardbreak"):
            stack[-1][2].append(Text(token.content if kind == "text" else " "))
        elif kind == "code_inline":
            stack[-1][2].append(Span("code", (Text(token.content),)))
        elif kind in ("strong_open", "em_open"):
            stack.append((kind[:-5] if kind == "strong_open" else "em", "", []))
        elif kind == "link_open":
            stack.append(("link", str(token.attrs.get("href", "")), []))
        elif kind in ("strong_close", "em_close", "link_close") and len(stack) > 1:
            name, href, nodes = stack.pop()
            if name == "link":
                node: Node | None = Link(href, tuple(nodes)) if is_safe_url(href) else None
                if node is None:
                    stack[-1][2].extend(nodes)
                    continue
            else:
                node = Span(name, tuple(nodes))
            stack[-1][2].append(node)
        elif token.content:
            stack[-1][2].append(Text(token.content))
    while len(stack) > 1:
        _, _, nodes = stack.pop()
        stack[-1][2].extend(nodes)
    return Inline(tuple(_merge(stack[0][2])))


def _merge(nodes: list[Node]) -> list[Node]:
    out: list[Node] = []
    for node in nodes:
        if isinstance(node, Text) and out and isinstance(out[-1], Text):
            out[-1] = Text(out[-1].text + node.text)
        else:
            out.append(node)
    return out


def plain(text: str) -> Inline:
    """Text that is never parsed as Markdown."""
    return Inline((Text(text),)) if text else Inline(())


def link(text: str, url: str | None) -> Inline:
    """Plain text, linked when a safe URL is given."""
    if url and is_safe_url(url):
        return Inline((Link(url, (Text(text),)),))
    return plain(text)


def strong(inline: Inline) -> Inline:
    """The same text in bold."""
    return Inline((Span("strong", inline.nodes),)) if inline else inline


def concat(*parts: Inline | str) -> Inline:
    """Join inlines (strings are plain text)."""
    nodes: list[Node] = []
    for part in parts:
        nodes.extend(part.nodes if isinstance(part, Inline) else plain(part).nodes)
    return Inline(tuple(_merge(nodes)))


def titled(text: str, url: str | None) -> Inline:
    """Inline Markdown text, linked as a whole when a URL is given and it has no links inside."""
    inline = parse(text)
    if url and not any(isinstance(n, Link) for n in inline.nodes):
        return Inline((Link(url, inline.nodes),))
    return inline


def join(parts: list[Inline], sep: str) -> Inline:
    """The parts with ``sep`` between them, as one Inline."""
    out: list[Inline | str] = []
    for i, part in enumerate(parts):
        if i:
            out.append(sep)
        out.append(part)
    return concat(*out)
