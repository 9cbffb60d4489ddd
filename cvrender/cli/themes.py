"""The theme commands: ``cvrender themes`` (list), ``cvrender theme show NAME`` (options) and
``cvrender theme new NAME --from academic`` (scaffold a theme that extends another)."""

from __future__ import annotations

from pathlib import Path

import click

from cvrender.cli.common import err, out, report_errors


@click.command("themes")
@click.option("--dir", "dirs", multiple=True, type=click.Path(path_type=Path),
              help="Also list the theme folders inside DIR (default: ./themes, if it exists).")
@report_errors
def themes_cmd(dirs: tuple[Path, ...]) -> None:
    """List the available themes: built-in, from packages, and local folders."""
    from rich.table import Table

    from cvrender.theming import list_themes

    problems: list[str] = []
    themes = list_themes(list(dirs) or [Path("themes")], problems)
    table = Table(box=None, show_header=True, header_style="bold")
    for column in ("theme", "backends", "from", "description"):
        table.add_column(column)
    for theme in themes:
        origin = theme.origin if theme.origin != "folder" else str(theme.path)
        table.add_row(theme.name, ", ".join(theme.backends()), origin, theme.description)
    out.print(table)
    for problem in problems:
        err.print("warning: " + problem, style="yellow", markup=False)


@click.group("theme")
def theme_group() -> None:
    """Inspect or create themes."""


@theme_group.command("show")
@click.argument("name")
@report_errors
def show(name: str) -> None:
    """Show a theme's options (set them in the profile's design: block or with --set)."""
    from rich.table import Table

    from cvrender.theming import describe_options, find_theme

    theme = find_theme(name, [Path("themes")])
    chain = " -> ".join(t.name for t in theme.chain)
    out.print(f"{theme.name}: {theme.description}", markup=False)
    out.print(f"backends: {', '.join(theme.backends())}; from: {theme.origin}; extends: {chain}", markup=False)
    table = Table(box=None, show_header=True, header_style="bold")
    table.add_column("option", no_wrap=True)
    for column in ("type", "default", "allowed", "description"):
        table.add_column(column)
    for row in describe_options(theme):
        table.add_row(*row)
    out.print(table)


@theme_group.command("new")
@click.argument("name")
@click.option("--from", "parent", default="academic", show_default=True, help="Theme to extend.")
@click.option("--dir", "directory", type=click.Path(path_type=Path), default=Path("themes"), show_default=True,
              help="Folder to create the theme in (themes/ next to a profile is searched by name).")
@click.option("--force", is_flag=True, help="Write into an existing folder, replacing its files.")
@report_errors
def new(name: str, parent: str, directory: Path, force: bool) -> None:
    """Create theme NAME that extends another; it builds as is, then override what you like."""
    from cvrender.theming import find_theme, scaffold_theme

    base = find_theme(parent, [directory])
    written = scaffold_theme(name, base, directory / name, force=force)
    for path in written:
        out.print(f"wrote {path}", markup=False)
    out.print(f"use it with: cvrender build PROFILE --theme {directory / name}"
              f"  (or --theme {name} for a profile next to {directory}/)", markup=False)


def register(main: click.Group) -> None:
    """Add (or replace) the theme commands on the ``cvrender`` group."""
    main.add_command(themes_cmd)
    main.add_command(theme_group)
