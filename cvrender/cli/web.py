"""``cvrender web``: the CV as a web page (index.html) with the PDF beside it."""

from __future__ import annotations

import datetime as _dt
from pathlib import Path

import click

from cvrender.cli.common import (
    ENGINE_HELP,
    ENGINES,
    FORMATS,
    err,
    out,
    parse_sets,
    report_errors,
    split_list,
)


def register(main: click.Group) -> None:
    """Attach the ``web`` command to the command group."""
    main.add_command(web)


@click.command()
@click.argument("profile", type=click.Path(path_type=Path))
@click.option("--output", "-o", type=click.Path(path_type=Path), default=Path("site"), show_default=True,
              help="Folder to write index.html (and the PDF, stylesheets, photo) into.")
@click.option("--theme", "-t", help="Theme name or folder (default: the profile's, else academic).")
@click.option("--backend", "-b", type=FORMATS,
              help="Output format of the PDF built beside the page (default: html, or typst where "
                   "WeasyPrint cannot start).")
@click.option("--engine", type=ENGINES, help=ENGINE_HELP)
@click.option("--set", "sets", multiple=True, metavar="KEY=VALUE", help="Theme option, e.g. --set accent=#7a1f1f.")
@click.option("--sections", help="Comma-separated sections, in this order.")
@click.option("--exclude", help="Comma-separated sections to leave out.")
@click.option("--variant", help="A variant defined in the profile.")
@click.option("--locale", help="Language of the CV (en, zh, zh-Hant, ja, de, fr, es).")
@click.option("--bib", multiple=True, type=click.Path(path_type=Path), help="Extra .bib file(s) to merge.")
@click.option("--today", type=click.DateTime(["%Y-%m-%d"]), help="Date to use as today (reproducible output).")
@click.option("--url", "page_url", help="Address the page will have online (for og:url and absolute links).")
@click.option("--no-pdf", is_flag=True, help="Write the page only, without the PDF beside it.")
@click.option("--no-local-themes", is_flag=True,
              help="Ignore a themes/ folder beside the profile (its templates are code; use for untrusted profiles).")
@click.option("--quiet", "-q", is_flag=True, help="Print only errors.")
@report_errors
def web(profile: Path, output: Path, theme: str | None, backend: str | None, engine: str | None, sets: tuple[str, ...],
        sections: str | None, exclude: str | None, variant: str | None, locale: str | None,
        bib: tuple[Path, ...], today: _dt.datetime | None, page_url: str | None, no_pdf: bool,
        no_local_themes: bool, quiet: bool) -> None:
    """Write PROFILE as a web page, OUTPUT/index.html, with the PDF of the same CV beside it."""
    from cvrender.api import options_for
    from cvrender.arguments import CLI_NAMES
    from cvrender.web import write_site

    options = options_for(theme=theme, backend=backend, engine=engine, design=parse_sets(sets),
                          sections=split_list(sections), exclude=split_list(exclude) or (), variant=variant,
                          locale=locale, bib=tuple(str(b) for b in bib), local_themes=not no_local_themes,
                          today=today.date() if today else None, names=CLI_NAMES)
    result = write_site(profile, options, output, with_pdf=not no_pdf, page_url=page_url or "")
    for warning in result.warnings:
        err.print("warning: " + warning, style="yellow", markup=False)
    if not quiet:
        if result.pdf:
            pages = f"{result.pages} page{'s' if result.pages != 1 else ''}"
            out.print(f"wrote {result.pdf} ({pages})", markup=False)
        out.print(f"wrote {result.index}", markup=False)
