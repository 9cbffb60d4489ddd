"""What every format shares, and what engines see: the Source a backend renders, the CompiledPdf an
engine returns, and rendering a template through a cached environment.

Engines import only this module, never a backend."""

from __future__ import annotations

import dataclasses
import datetime as _dt
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, Protocol

from cvrender.context.markup import Inline
from cvrender.errors import ThemeError

if TYPE_CHECKING:
    import jinja2

    from cvrender.theming import Theme


@dataclass(frozen=True)
class SourceOptions:
    """What an engine needs to know besides the text (all optional; an engine uses what it knows)."""

    engine: str | None = None  # the engine the source was written for (LaTeX escaping and preamble differ)
    design: Mapping[str, Any] = field(default_factory=dict)  # the resolved theme options (for error hints)
    warnings: tuple[str, ...] = ()  # found while rendering; the engine reports them with its own
    today: _dt.date | None = None  # the build's date (reproducible PDF metadata)
    cache_key: str = "default"  # which earlier build of the same document an engine may reuse files of
    files: Mapping[str, Path] = field(default_factory=dict)  # copied beside the source (name -> file)


@dataclass(frozen=True)
class Source:
    """Rendered source text for an engine, plus what it may read."""

    text: str
    kind: str  # the name of the format that rendered it
    stylesheets: tuple[str, ...] = ()
    base_dir: Path | None = None
    allowed_dirs: tuple[Path, ...] = ()
    options: SourceOptions = field(default_factory=SourceOptions)


class Backend(Protocol):
    """Turns a context into source with a theme."""

    name: str

    def render(self, ctx: Any, theme: Theme, base_dir: Path | None = None) -> Source:
        """Render the theme's main template with the context."""
        ...


def markup_environment(loader: jinja2.BaseLoader, finalize: Any) -> jinja2.Environment:
    """A Jinja environment for a markup in which ``{`` and ``%`` mean something (LaTeX, Typst):
    ``<< value >>``, ``<% statement %>`` and ``<# comment #>``; ``finalize`` escapes every printed
    value for the format (its one home for escaping); no automatic reload (themes do not change
    under a build, and watch makes a new builder)."""
    import jinja2

    return jinja2.Environment(
        loader=loader, autoescape=False, undefined=jinja2.StrictUndefined, finalize=finalize,
        block_start_string="<%", block_end_string="%>", variable_start_string="<<", variable_end_string=">>",
        comment_start_string="<#", comment_end_string="#>", trim_blocks=True, lstrip_blocks=True,
        keep_trailing_newline=True, auto_reload=False,
    )


def render_template(env: jinja2.Environment, template: str, theme: Theme, **values: Any) -> str:
    """Render one template; template errors become a ThemeError naming the file and line."""
    import jinja2  # here, not at the top: engines import this module and need no Jinja

    try:
        return env.get_template(template).render(**values)
    except jinja2.TemplateSyntaxError as exc:
        raise ThemeError(f"theme '{theme.name}': {exc.filename or exc.name}:{exc.lineno}: {exc.message}") from None
    except jinja2.TemplateNotFound as exc:
        raise ThemeError(f"theme '{theme.name}' has no template '{exc.name}' for this backend") from None
    except jinja2.UndefinedError as exc:
        raise ThemeError(f"theme '{theme.name}': {_template_location(exc)}{exc.message}") from None
    except (jinja2.TemplateError, ArithmeticError, LookupError, TypeError, ValueError, AttributeError) as exc:
        # a template that fails while it runs ({{ 1 / 0 }}, a filter given the wrong value)
        detail = " ".join(str(exc).split())
        raise ThemeError(f"theme '{theme.name}': {_template_location(exc)}{type(exc).__name__}: {detail}") from None


def _template_location(exc: BaseException) -> str:
    """``file:line: `` of the innermost template frame in a traceback, if any."""
    tb = exc.__traceback__
    where = ""
    while tb is not None:
        filename = tb.tb_frame.f_code.co_filename
        if filename.endswith(".j2"):
            where = f"{filename}:{tb.tb_lineno}: "
        tb = tb.tb_next
    return where


@dataclass(frozen=True)
class CompiledPdf:
    """A compiled PDF in memory, its page count and anything the engine warned about."""

    data: bytes
    pages: int
    warnings: tuple[str, ...] = ()
    info: dict[str, object] = field(default_factory=dict)


class Engine(Protocol):
    """Turns source into a PDF."""

    name: str

    def compile(self, source: Source) -> CompiledPdf:
        """Compile ``source`` to PDF bytes."""
        ...


# ----- helpers every format may use -------------------------------------------------------------

def context_texts(value: Any) -> Iterator[str]:
    """Every string in a render context (dataclasses, tuples, dicts, inline markup)."""
    if isinstance(value, str):
        yield value
    elif isinstance(value, Inline):
        yield value.plain
    elif dataclasses.is_dataclass(value) and not isinstance(value, type):
        for item in dataclasses.fields(value):
            yield from context_texts(getattr(value, item.name))
    elif isinstance(value, (tuple, list)):
        for item in value:
            yield from context_texts(item)
    elif isinstance(value, dict):
        for item in value.values():
            yield from context_texts(item)


def photo_file(ctx: Any) -> tuple[str, Path] | None:
    """``("photo.jpg", path)`` for the header's photo (a checked ``file:`` URI), if there is one."""
    uri = getattr(ctx.header, "photo", None)
    if not uri or not str(uri).startswith("file:"):
        return None
    from urllib.parse import urlsplit
    from urllib.request import url2pathname

    path = Path(url2pathname(urlsplit(str(uri)).path))
    suffix = path.suffix.lower()
    if suffix not in (".jpg", ".jpeg", ".png") or not path.is_file():
        return None
    return ("photo.png" if suffix == ".png" else "photo.jpg"), path
