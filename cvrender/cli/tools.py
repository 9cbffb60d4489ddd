"""Everyday commands: ``convert`` (JSON Resume <-> YAML), ``watch`` (live preview), ``doctor``."""

from __future__ import annotations

import sys
import threading
from pathlib import Path

import click

from cvrender.cli.common import ENGINE_HELP, ENGINES, FORMATS, err, out, report_errors


@click.command()
@click.argument("source", type=click.Path(path_type=Path))
@click.option("--to", "to", type=click.Choice(["jsonresume", "yaml", "json"]), required=True,
              help="jsonresume: a JSON Resume 1.0 document; yaml/json: a cvrender profile.")
@click.option("--from", "source_format", type=click.Choice(["auto", "cvrender", "jsonresume", "rendercv"]),
              default="auto", show_default=True, help="The format of SOURCE (auto: recognised from its content).")
@click.option("--output", "-o", type=click.Path(path_type=Path), help="File to write (default: standard output).")
@click.option("--locale", help="Language to pick from multi-language fields ({en: ..., zh: ...}).")
@click.option("--strict", is_flag=True, help="Exit with status 1 when anything could not be carried over.")
@click.option("--quiet", "-q", is_flag=True, help="Do not list what could not be carried over.")
@report_errors
def convert(source: Path, to: str, source_format: str, output: Path | None, locale: str | None, strict: bool,
            quiet: bool) -> None:
    """Convert SOURCE (a cvrender profile, JSON Resume or RenderCV file); list what cannot be carried over."""
    from cvrender.errors import OutputError
    from cvrender.files import atomic_write
    from cvrender.tools.convert import convert as run

    result = run(source, to, locale, source_format)
    if output is not None:
        if output.exists() and output.resolve() == source.resolve():
            raise OutputError(f"refusing to overwrite the input file {source}; choose another --output")
        atomic_write(output, result.text)
    else:
        click.echo(result.text, nl=False)
    if not quiet:
        for note in result.notes:
            err.print("note: " + note, style="yellow", markup=False)
        if result.lost:
            err.print(f"{len(result.lost)} field(s) could not be carried over:", style="yellow", markup=False)
            for line in result.lost:
                err.print("  lost: " + line, style="yellow", markup=False)
        if output is not None:
            err.print(f"wrote {output}", markup=False)
    if strict and result.lost:
        sys.exit(1)


@click.command()
@click.argument("profile", type=click.Path(path_type=Path))
@click.option("--theme", "-t", help="Theme name or folder (default: the profile's, else academic).")
@click.option("--backend", "-b", type=FORMATS, help="Output format (default: the fastest installed, typst).")
@click.option("--engine", type=ENGINES, help=ENGINE_HELP)
@click.option("--port", "-p", type=click.IntRange(0, 65535),
              help="Port of the preview (default: 8000 or the next free one; 0: any free port).")
@click.option("--host", default="127.0.0.1", show_default=True, help="Address to serve the preview on.")
@click.option("--locale", help="Language of the CV (en, zh, zh-Hant, ja, de, fr, es).")
@click.option("--variant", help="A variant defined in the profile.")
@click.option("--output", "-o", type=click.Path(path_type=Path), help="Also write the PDF here after each build.")
@click.option("--open", "open_browser", is_flag=True, help="Open the preview in the default browser.")
@report_errors
def watch(profile: Path, theme: str | None, backend: str | None, engine: str | None, port: int | None, host: str,
          locale: str | None, variant: str | None, output: Path | None, open_browser: bool) -> None:
    """Rebuild PROFILE on every change and show it in a browser page that reloads itself."""
    from cvrender.api import BuildOptions, fastest_backend
    from cvrender.arguments import CLI_NAMES
    from cvrender.errors import ProfileError
    from cvrender.watch import PreviewState, Watcher, open_server

    if not profile.is_file():
        raise ProfileError(f"file not found: {profile}")
    options = BuildOptions(theme=theme, backend=backend or fastest_backend(), engine=engine, locale=locale, variant=variant,
                           names=CLI_NAMES)
    state = PreviewState()

    def report(kind: str, message: str) -> None:
        style = {"error": "red", "warning": "yellow", "ok": "green"}.get(kind, "")
        console = err if kind in ("error", "warning") else out
        prefix = f"{kind}: " if kind in ("error", "warning") else ""
        console.print(prefix + message, style=style, markup=False)
        console.file.flush()

    server = open_server(state, host, port)
    url = server.start()
    out.print(f"preview at {url} (Ctrl+C to stop)", markup=False)
    out.print(f"web page at {url}web/", markup=False)
    out.file.flush()
    if open_browser:
        import webbrowser

        webbrowser.open(url)
    stop = threading.Event()
    watcher = Watcher(profile, options, output=output, report=report, state=state)
    try:
        watcher.run(stop)
    except KeyboardInterrupt:
        stop.set()
        out.print("stopped", markup=False)
    finally:
        server.stop()


@click.command()
@click.option("--json", "as_json", is_flag=True, help="Print the findings as JSON.")
@report_errors
def doctor(as_json: bool) -> None:
    """Check what this machine can build: TeX, WeasyPrint and its libraries, fonts, themes, cache."""
    from cvrender.tools.doctor import html_backend_works, run_checks, summary

    checks = run_checks()
    if as_json:
        import dataclasses
        import json

        click.echo(json.dumps([dataclasses.asdict(c) for c in checks], indent=2, ensure_ascii=False))
    else:
        from rich.text import Text

        marks = {"ok": ("ok", "green"), "info": ("", ""), "warn": ("WARN", "bold yellow"),
                 "missing": ("missing", "yellow"), "error": ("ERROR", "bold red")}
        width = max(len(c.name) for c in checks)
        area = ""
        for check in checks:
            if check.area != area:
                area = check.area
                out.print(Text(area, style="bold"))
            label, style = marks[check.status]
            line = Text(f"  {label:>7}  ", style=style)
            line.append(f"{check.name:<{width}}  {check.detail}")
            out.print(line)
            if check.hint:
                out.print(Text(f"{'':>11}→ {check.hint}", style="dim"))
        loud = [c for c in checks if c.status in ("warn", "error")]
        for check in loud:
            err.print(f"{check.status}: {check.area} {check.name}: {check.detail}", style="yellow", markup=False)
        out.print(summary(checks), markup=False)
    if not html_backend_works(checks):
        sys.exit(1)


def register(group: click.Group) -> None:
    """Add ``convert``, ``watch`` and ``doctor`` to the ``cvrender`` command group."""
    for command in (convert, watch, doctor):
        group.add_command(command)


__all__ = ["convert", "doctor", "register", "watch"]
