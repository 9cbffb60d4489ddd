"""The ``cvrender`` command line: parse arguments, call the API, print results. No logic here."""

from __future__ import annotations

import dataclasses
import datetime as _dt
import json
from pathlib import Path
from typing import Any

import click

from cvrender import __version__
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
from cvrender.errors import ProfileError


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, "--version", prog_name="cvrender")
def main() -> None:
    """Turn a researcher's profile (YAML/JSON) into a publication-ready PDF CV."""


@main.command()
@click.argument("profile", type=click.Path(path_type=Path))
@click.option("--theme", "-t", help="Theme name or folder (default: the profile's, else academic).")
@click.option("--backend", "-b", type=FORMATS,
              help="Output format (default: html, or typst where WeasyPrint cannot start).")
@click.option("--engine", type=ENGINES, help=ENGINE_HELP)
@click.option("--output", "-o", type=str, help="PDF file or folder (default: current folder).")
@click.option("--emit-source", is_flag=True, help="Also write the .html, .tex or .typ source beside the PDF.")
@click.option("--fragment", "fragments", multiple=True, metavar="SECTION",
              help="With --backend latex --emit-source: write only these sections (repeat the flag, or "
                   "separate with commas) as a .tex to \\input in a document of your own, plus the .sty it "
                   "needs; no PDF.")
@click.option("--set", "sets", multiple=True, metavar="KEY=VALUE", help="Theme option, e.g. --set paper=letter.")
@click.option("--sections", help="Comma-separated sections, in this order.")
@click.option("--exclude", help="Comma-separated sections to leave out.")
@click.option("--variant", help="A variant defined in the profile.")
@click.option("--locale", help="Language of the CV (en, zh, zh-Hant, ja, de, fr, es).")
@click.option("--bib", multiple=True, type=click.Path(path_type=Path), help="Extra .bib file(s) to merge.")
@click.option("--today", type=click.DateTime(["%Y-%m-%d"]), help="Date to use as today (reproducible output).")
@click.option("--no-local-themes", is_flag=True,
              help="Ignore a themes/ folder beside the profile (its templates are code; use for untrusted profiles).")
@click.option("--png", is_flag=True, help="Also write a PNG of each page beside the PDF.")
@click.option("--strict", is_flag=True,
              help="A .bib entry or field that cannot be used is an error (exit 2), not a warning.")
@click.option("--quiet", "-q", is_flag=True, help="Print only errors.")
@report_errors
def build(profile: Path, theme: str | None, backend: str | None, engine: str | None, output: str | None,
          emit_source: bool, fragments: tuple[str, ...], sets: tuple[str, ...], sections: str | None, exclude: str | None,
          variant: str | None, locale: str | None, bib: tuple[Path, ...], today: _dt.datetime | None,
          no_local_themes: bool, png: bool, strict: bool, quiet: bool) -> None:
    """Build a PDF CV from PROFILE."""
    from cvrender import api
    from cvrender.arguments import CLI_NAMES

    if fragments:
        if backend != "latex" or not emit_source:
            raise click.UsageError("--fragment writes LaTeX source: use it with --backend latex --emit-source")
        if sections:
            raise click.UsageError("--fragment names the sections itself; leave out --sections")
        names = tuple(name for item in fragments for name in split_list(item) or ())
        options = api.options_for(
            theme=theme, backend="latex", engine=engine, design=parse_sets(sets), sections=names,
            exclude=split_list(exclude) or (), variant=variant, locale=locale, bib=tuple(str(b) for b in bib),
            local_themes=not no_local_themes, today=today.date() if today else None, strict=strict,
            names=dataclasses.replace(CLI_NAMES, sections="--fragment"))
        for path in api.default_builder().write_fragment(profile, options, output):
            if not quiet:
                out.print(f"wrote {path}", markup=False)
        return
    result = api.build(
        profile, theme=theme, backend=backend, output=output, emit_source=emit_source, png=png, engine=engine,
        design=parse_sets(sets), sections=split_list(sections), exclude=split_list(exclude) or (),
        variant=variant, locale=locale, bib=tuple(str(b) for b in bib), local_themes=not no_local_themes,
        today=today.date() if today else None, strict=strict, names=CLI_NAMES)
    for warning in result.warnings:
        err.print("warning: " + warning, style="yellow", markup=False)
    for path in result.png_paths:
        if not quiet:
            out.print(f"wrote {path}", markup=False)
    if not quiet:
        pages = f"{result.pages} page{'s' if result.pages != 1 else ''}"
        out.print(f"wrote {result.pdf_path} ({pages}, {result.timings.get('total', 0):.2f} s)", markup=False)
        if result.source_path:
            out.print(f"wrote {result.source_path}", markup=False)


@main.command()
@click.argument("files", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.option("--strict", is_flag=True, help="A .bib entry or field that cannot be used is an error, not a warning.")
@report_errors
def validate(files: tuple[Path, ...], strict: bool) -> None:
    """Check profiles; print every problem with file:line:column."""
    from cvrender.api import with_bibliographies
    from cvrender.errors import Warnings
    from cvrender.sources.loading import load_profile

    problems: list[Any] = []
    for file in files:
        warnings = Warnings()
        try:
            loaded = load_profile(file)
            for warning in loaded.warnings:
                warnings.add(warning)
            with_bibliographies(loaded, (), warnings, strict)
            out.print(f"{file}: valid", markup=False)
        except ProfileError as exc:
            problems.extend(exc.problems)
        for warning in warnings.items:
            err.print(f"warning: {file}: {warning}", style="yellow", markup=False)
    if problems:
        raise ProfileError(problems)


@main.command()
@click.option("--output", "-o", type=click.Path(path_type=Path), help="Write to a file instead of stdout.")
@report_errors
def schema(output: Path | None) -> None:
    """Print the JSON Schema of profiles (for editor completion)."""
    from cvrender.tools.schema import profile_schema

    text = json.dumps(profile_schema(), indent=2, ensure_ascii=False) + "\n"
    if output:
        from cvrender.files import atomic_write

        atomic_write(output, text)
    else:
        click.echo(text, nl=False)


@main.command()
@click.argument("name")
@click.option("--output", "-o", type=click.Path(path_type=Path), help="File to write (default: <Name>_CV.yaml).")
@click.option("--force", is_flag=True, help="Overwrite an existing file.")
@report_errors
def new(name: str, output: Path | None, force: bool) -> None:
    """Write a starter profile for NAME that validates and shows every section."""
    from cvrender.errors import OutputError
    from cvrender.files import atomic_write, output_path
    from cvrender.tools.starter import starter_profile

    target = output or output_path(None, name, ".yaml").with_name(output_path(None, name, ".yaml").name)
    if target.exists() and not force:
        raise OutputError(f"{target} already exists (use --force to overwrite)")
    atomic_write(target, starter_profile(name, target.name))
    out.print(f"wrote {target}", markup=False)


def _register_commands() -> None:
    """Attach the commands that live in their own modules."""
    from cvrender.cli.batch import register as register_batch
    from cvrender.cli.themes import register as register_themes
    from cvrender.cli.tools import register as register_tools
    from cvrender.cli.web import register as register_web

    register_themes(main)
    register_batch(main)
    register_tools(main)
    register_web(main)


_register_commands()

if __name__ == "__main__":  # pragma: no cover - `python -m cvrender.cli.main`
    main()
