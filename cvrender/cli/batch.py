"""The ``batch`` and ``lab-publications`` commands: parse arguments, show progress, print results."""

from __future__ import annotations

import datetime as _dt
import json
import os
import sys
import time
from contextlib import closing
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

from cvrender.cli.common import ENGINE_HELP, ENGINES, FORMATS, err, out, parse_sets, report_errors

if TYPE_CHECKING:  # rich is imported when a batch runs, not when the command line is read
    from rich.progress import Progress
    from rich.table import Table

_STATUS = {  # label, style, mark
    "built": ("built", "green", "✓"),
    "up_to_date": ("up to date", "dim", "="),
    "failed": ("failed", "red", "✗"),
    "cancelled": ("cancelled", "yellow", "-"),
}


def _shown(path: Any) -> str:
    """A path as short as it can be said: relative to the current folder unless that climbs far."""
    absolute = Path(path).resolve()
    try:
        relative = os.path.relpath(absolute, Path.cwd())
    except ValueError:  # another drive
        return str(absolute)
    return str(absolute) if relative.startswith(os.pardir + os.sep + os.pardir + os.sep) else relative


def _first_line(error: Exception | None) -> str:
    return (str(error).splitlines() or [type(error).__name__])[0] if error is not None else ""


class BatchView:
    """A progress bar naming the profiles being built, and one line per finished profile."""

    def __init__(self, total: int, quiet: bool):
        self.quiet = quiet
        self.building: list[str] = []
        self.progress: Progress | None = None
        if out.is_terminal and not quiet:
            from rich.progress import (
                BarColumn,
                MofNCompleteColumn,
                Progress,
                SpinnerColumn,
                TextColumn,
                TimeElapsedColumn,
            )

            self.progress = Progress(SpinnerColumn(), TextColumn("{task.description}"), BarColumn(),
                                     MofNCompleteColumn(), TimeElapsedColumn(), console=out.console, transient=True)
            self.task = self.progress.add_task("starting", total=total)

    def __enter__(self) -> BatchView:
        if self.progress:
            self.progress.start()
        return self

    def __exit__(self, *exc: object) -> None:
        if self.progress:
            self.progress.stop()

    def _describe(self) -> None:
        if self.progress:
            names = ", ".join(Path(b).name for b in self.building[:3])
            more = f" +{len(self.building) - 3}" if len(self.building) > 3 else ""
            self.progress.update(self.task, description=f"building {names}{more}" if names else "waiting")

    def started(self, job: Any) -> None:
        """A worker took a profile."""
        self.building.append(_shown(job.profile))
        self._describe()

    def finished(self, outcome: Any) -> None:
        """A profile is done: print its line (up-to-date ones only show in the summary)."""
        shown = _shown(outcome.job.profile)
        if shown in self.building:
            self.building.remove(shown)
        if self.progress:
            self.progress.advance(self.task)
            self._describe()
        if self.quiet or outcome.status == "up_to_date":
            return
        from rich.text import Text

        label, style, mark = _STATUS[outcome.status]
        line = Text(f"{mark} {label:<10} ", style=style)
        line.append(shown)
        if outcome.pdf_path:
            pages = f"{outcome.pages} page{'s' if outcome.pages != 1 else ''}"
            line.append(f" → {_shown(outcome.pdf_path)} ({pages}, {outcome.seconds:.2f} s)")
        elif outcome.error is not None:
            line.append(f": {_first_line(outcome.error)}", style=style)
        (self.progress.console if self.progress else out).print(line, soft_wrap=True)


def summary_table(data: dict[str, Any]) -> Table:
    """Profile, status, pages, seconds and PDF of each profile, with totals."""
    from rich.table import Table
    from rich.text import Text

    table = Table(box=None, header_style="bold", pad_edge=False, show_footer=True)
    totals = data["summary"]
    table.add_column("profile", footer=f"{totals['total']} profile{'s' if totals['total'] != 1 else ''}")
    table.add_column("status")
    table.add_column("pages", justify="right", footer=str(totals["pages"]))
    table.add_column("seconds", justify="right", footer=f"{data['seconds']:.2f}")
    table.add_column("PDF")
    for row in data["profiles"]:
        label, style, _ = _STATUS[row["status"]]
        table.add_row(_shown(row["profile"]), Text(label, style=style), str(row["pages"]) if row["pages"] else "",
                      f"{row['seconds']:.2f}" if row["status"] != "up_to_date" else "",
                      _shown(row["output"]) if row["output"] else "")
    return table


def totals_line(data: dict[str, Any]) -> str:
    """``3 built, 1 up to date, 1 failed; 12 pages; 4.20 s``."""
    s = data["summary"]
    parts = [f"{s['built']} built", f"{s['up_to_date']} up to date", f"{s['failed']} failed"]
    if s["cancelled"]:
        parts.append(f"{s['cancelled']} cancelled")
    return f"{', '.join(parts)}; {s['pages']} pages; {data['seconds']:.2f} s"


@click.command()
@click.argument("paths", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.option("--jobs", "-j", "workers", type=click.IntRange(min=1), help="Builds at a time (default: number of CPUs).")
@click.option("--theme", "-t", help="Theme for every profile (default: the lab's, the profile's, else academic).")
@click.option("--backend", "-b", type=FORMATS, help="Backend (default: the lab's, else html, or typst where WeasyPrint cannot start).")
@click.option("--engine", type=ENGINES, help=ENGINE_HELP)
@click.option("--output", "-o", type=click.Path(path_type=Path, file_okay=False),
              help="Folder for the PDFs (default: the lab's output, else the current folder).")
@click.option("--force", is_flag=True, help="Rebuild every PDF, even those that are up to date.")
@click.option("--report", "report_file", type=click.Path(path_type=Path, dir_okay=False),
              help="Also write the summary as JSON to this file.")
@click.option("--scheduler", metavar="ADDRESS", help="Run the builds on a Dask cluster (tcp://host:8786).")
@click.option("--set", "sets", multiple=True, metavar="KEY=VALUE", help="Theme option for every profile.")
@click.option("--variant", help="A variant every profile defines.")
@click.option("--today", type=click.DateTime(["%Y-%m-%d"]), help="Date to use as today (reproducible output).")
@click.option("--web", "web_dir", type=click.Path(path_type=Path, file_okay=False),
              help="Also write a web page per CV in this folder (and a lab's index page); a lab file's "
                   "'web:' folder is used without it.")
@click.option("--quiet", "-q", is_flag=True, help="Print only the summary and errors.")
@report_errors
def batch(paths: tuple[Path, ...], workers: int | None, theme: str | None, backend: str | None,
          engine: str | None, output: Path | None, force: bool, report_file: Path | None, scheduler: str | None,
          sets: tuple[str, ...], variant: str | None, today: _dt.datetime | None, web_dir: Path | None,
          quiet: bool) -> None:
    """Build many CVs in parallel: PATHS are folders of profiles, profile files, or lab files.

    Only CVs whose inputs changed are rebuilt (profile, .bib files, theme, options, cvrender
    version); the others are reported as up to date. Exits with 1 if any profile failed.
    """
    from cvrender.arguments import CLI_NAMES
    from cvrender.batch import CANCELLED, Outcome, dask_executor, plan, report, run_batch
    from cvrender.errors import Warnings

    if output is not None:
        output.mkdir(parents=True, exist_ok=True)
    notes = Warnings()
    jobs, failed = plan(paths, output=str(output) + "/" if output else None, theme=theme, backend=backend,
                        engine=engine, variant=variant, today=today.date() if today else None,
                        design=parse_sets(sets), skip=[report_file] if report_file else [], names=CLI_NAMES)
    client, executor = dask_executor(scheduler) if scheduler else (None, None)
    outcomes: list[Outcome] = []
    interrupted = False
    start = time.perf_counter()
    view = BatchView(len(jobs) + len(failed), quiet)
    try:
        with view:
            for outcome in failed:
                outcomes.append(outcome)
                view.finished(outcome)
            stream = run_batch(jobs, executor, workers=workers, incremental=True, force=force,
                               on_start=view.started, notes=notes)
            with closing(stream):
                for outcome in stream:
                    outcomes.append(outcome)
                    view.finished(outcome)
    except KeyboardInterrupt:
        interrupted = True
    finally:
        if client is not None:
            client.close()
    if interrupted:
        finished = {id(o.job) for o in outcomes}
        outcomes += [Outcome(job, CANCELLED) for job in jobs if id(job) not in finished]
    for note in notes.items:  # the default format's, once for the batch
        err.print("warning: " + note, style="yellow", markup=False)
    data = report(outcomes, time.perf_counter() - start, interrupted)
    _print_summary(outcomes, data, quiet)
    if report_file is not None:
        from cvrender.files import atomic_write

        atomic_write(report_file, json.dumps(data, indent=2, ensure_ascii=False) + "\n")
    if interrupted:
        err.print("interrupted: builds in progress were stopped; finished PDFs are kept", style="red", markup=False)
        sys.exit(130)
    _write_web_pages(paths, outcomes, web_dir, today.date() if today else None, quiet)
    if data["summary"]["failed"]:
        sys.exit(1)


def _write_web_pages(paths: tuple[Path, ...], outcomes: list[Any], web_dir: Path | None,
                     today: _dt.date | None, quiet: bool) -> None:
    """The web pages of a batch: into ``--web``, or for a lab file into its ``web:`` folder; a lab
    also gets its index page there (members and the lab's publication list)."""
    from cvrender.batch import is_lab_file
    from cvrender.errors import CvrenderError
    from cvrender.lab import load_lab
    from cvrender.web import write_batch_pages, write_lab_index

    labs = [(p, load_lab(p, require_profiles=False)) for p in paths if is_lab_file(p)]
    targets: list[tuple[Path, list[Any], Path | None]] = []  # folder, outcomes, lab file
    if web_dir is not None:
        targets.append((web_dir, outcomes, labs[0][0] if len(labs) == 1 else None))
    else:
        for path, lab in labs:
            if lab.lab.web:
                mine = [o for o in outcomes if getattr(o.job.options.get("member"), "lab_name", None) == lab.lab.name]
                targets.append((lab.resolve(lab.lab.web), mine, path))
    for folder, chosen, lab_file in targets:
        pages = write_batch_pages(chosen, folder)
        if not quiet:
            for page in pages:
                out.print(f"wrote {_shown(page.folder / 'index.html')}", markup=False)
        if lab_file is not None:
            try:
                result = write_lab_index(lab_file, pages, folder, today=today)
            except CvrenderError as exc:  # a member's profile is missing: its build failed already
                err.print(f"error: lab page not written: {_first_line(exc)}", style="red", markup=False)
                continue
            for warning in result.warnings:
                err.print(f"warning: {_shown(lab_file)}: {warning}", style="yellow", markup=False)
            if not quiet:
                out.print(f"wrote {_shown(result.index)}", markup=False)


def _print_summary(outcomes: list[Any], data: dict[str, Any], quiet: bool) -> None:
    summary = data["summary"]
    all_current = bool(summary["total"]) and summary["up_to_date"] == summary["total"]
    if not quiet and not all_current:
        out.print(summary_table(data))
    for outcome in sorted(outcomes, key=lambda o: str(o.job.profile)):
        for warning in outcome.warnings:
            err.print(f"warning: {_shown(outcome.job.profile)}: {warning}", style="yellow", markup=False)
        if outcome.status == "failed" and outcome.error is not None:
            for line in str(outcome.error).splitlines():
                err.print(f"error: {line}", style="red", markup=False)
            log_path = getattr(outcome.error, "log_path", None)
            if log_path:
                err.print(f"full log: {log_path}", markup=False)
    if all_current:
        out.print(f"nothing to do: all {summary['total']} CVs are up to date ({data['seconds']:.2f} s)",
                  markup=False)
    else:
        (err if summary["failed"] else out).print(totals_line(data), markup=False,
                                                  style="red" if summary["failed"] else None)


@click.command("lab-publications")
@click.argument("lab_file", type=click.Path(path_type=Path, dir_okay=False))
@click.option("--output", "-o", type=str, help="PDF file or folder (default: the lab's output, else here).")
@click.option("--theme", "-t", help="Theme (default: the lab's, else academic).")
@click.option("--backend", "-b", type=FORMATS, help="Backend (default: the lab's, else html, or typst where WeasyPrint cannot start).")
@click.option("--engine", type=ENGINES, help=ENGINE_HELP)
@click.option("--set", "sets", multiple=True, metavar="KEY=VALUE", help="Theme option, e.g. --set paper=letter.")
@click.option("--locale", help="Language of the list (default: the lab's, else en).")
@click.option("--today", type=click.DateTime(["%Y-%m-%d"]), help="Date to use as today (reproducible output).")
@click.option("--quiet", "-q", is_flag=True, help="Print only errors.")
@report_errors
def lab_publications(lab_file: Path, output: str | None, theme: str | None, backend: str | None,
                     engine: str | None, sets: tuple[str, ...], locale: str | None, today: _dt.datetime | None,
                     quiet: bool) -> None:
    """Build one de-duplicated list of a lab's papers, members' names in bold, from LAB_FILE."""
    from cvrender.lab import build_lab_publications

    result = build_lab_publications(lab_file, output=output, theme=theme, backend=backend, engine=engine,
                                    design=parse_sets(sets), today=today.date() if today else None, locale=locale)
    for warning in result.warnings:
        err.print("warning: " + warning, style="yellow", markup=False)
    if not quiet:
        pages = f"{result.pages} page{'s' if result.pages != 1 else ''}"
        out.print(f"wrote {result.pdf_path} ({pages}, {result.timings.get('total', 0):.2f} s)", markup=False)


def register(group: click.Group) -> None:
    """Add the batch commands to the ``cvrender`` command group."""
    group.add_command(batch)
    group.add_command(lab_publications)
