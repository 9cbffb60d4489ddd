"""The library API: load and validate profiles, build PDFs, render sources.

The pipeline is: load -> validate -> select -> render context -> backend -> engine -> PDF.
"""

from __future__ import annotations

import dataclasses
import datetime as _dt
import os
import time
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from cvrender.arguments import (
    API_NAMES,
    Names,
    check_profile,
    date_value,
    design_value,
    file_names,
    section_names,
    theme_value,
)
from cvrender.backends import Backend, Source, get_backend
from cvrender.backends.latex import Fragment
from cvrender.context import RenderContext, Selection, build_context
from cvrender.engines import CompiledPdf, Engine
from cvrender.errors import CvrenderError, PageLimitError, Problem, ProfileError, Warnings
from cvrender.loading import LoadedProfile, load_profile
from cvrender.model import Profile
from cvrender.output import atomic_write, output_path
from cvrender.theming import Theme, command_line_layer, find_theme, located_layer, looks_like_path

DEFAULT_THEME = "academic"
DEFAULT_BACKEND = "html"


@dataclass
class BuildResult:
    """What a build produced, and what it used.

    Attributes:
        pdf_path: where the PDF was written.
        pages: its page count.
        warnings: what the build noticed but did not stop for (one line each).
        timings: seconds per stage (``prepare``, ``render``, ``compile``, ``write``) and ``total``.
        source_path: the .html/.tex source, when asked for with ``emit_source=True``.
        theme: the theme used (chosen by the caller, the variant, the profile, or the default).
        backend: the output format, ``html`` or ``latex``.
        engine: what compiled the PDF: ``weasyprint``, ``xelatex``, ``lualatex`` or ``pdflatex``.
        pdf_bytes: the PDF itself, when asked for with ``return_bytes=True``.
    """

    pdf_path: Path | None
    pages: int
    warnings: list[str] = field(default_factory=list)
    timings: dict[str, float] = field(default_factory=dict)
    source_path: Path | None = None
    theme: str = ""
    backend: str = ""
    pdf_bytes: bytes | None = None
    engine: str = ""


@dataclass(frozen=True)
class BuildOptions:
    """Everything a build needs besides the profile."""

    theme: str | None = None
    backend: str = DEFAULT_BACKEND
    engine: str | None = None
    design: dict[str, Any] = field(default_factory=dict)
    sections: tuple[str, ...] | None = None
    exclude: tuple[str, ...] = ()
    variant: str | None = None
    locale: str | None = None
    today: _dt.date | None = None
    bib: tuple[str, ...] = ()
    local_themes: bool = True  # a themes/ folder beside the profile is code: turn off for strangers' files
    names: Names = API_NAMES  # how errors name what the caller gave: API parameters, or CLI flags


class Builder:
    """Runs the pipeline; keeps Jinja environments, fonts and stylesheets between builds."""

    def __init__(self) -> None:
        self._backends: dict[str, Backend] = {}
        self._engines: dict[str, Engine] = {}

    def forget_templates(self) -> None:
        """Drop the compiled templates (after a theme's files changed); fonts, parsed stylesheets and
        TeX formats stay, since they are keyed by content."""
        self._backends.clear()

    def backend(self, name: str) -> Backend:
        """The (cached) backend called ``name``."""
        if name not in self._backends:
            self._backends[name] = get_backend(name)
        return self._backends[name]

    def engine(self, backend: str, engine: str | None, theme: Theme) -> Engine:
        """The (cached) engine for a backend."""
        key = "weasyprint" if backend == "html" else engine or theme.manifest.latex_engine
        if key not in self._engines:
            if key == "weasyprint":
                from cvrender.engines.weasy import WeasyPrintEngine

                self._engines[key] = WeasyPrintEngine()
            else:
                from cvrender.engines.latex import LatexEngine

                self._engines[key] = LatexEngine(key)
        return self._engines[key]

    def prepare(self, source: str | Path | dict[str, Any] | Profile | LoadedProfile,
                options: BuildOptions, warnings: Warnings) -> tuple[LoadedProfile, Theme, RenderContext]:
        """Load, select and build the render context."""
        loaded = source if isinstance(source, LoadedProfile) else load_profile(source, options.locale)
        for note in loaded.warnings:
            warnings.add(note)
        loaded = with_bibliographies(loaded, options.bib, warnings)
        profile = loaded.profile
        variant = profile.variants.get(options.variant) if options.variant else None
        if options.variant and variant is None:
            error = CvrenderError(
                f"profile has no variant '{options.variant}'"
                + (f" (variants: {', '.join(profile.variants)})" if profile.variants else ""))
            error.exit_code = 2
            raise error
        theme_name = options.theme or (variant.theme if variant else None) or profile.theme or DEFAULT_THEME
        search = [loaded.base_dir / "themes"] if options.local_themes else []
        if not options.local_themes and not options.theme and looks_like_path(theme_name):
            error = CvrenderError(f"the profile names the theme folder '{theme_name}'; only installed themes "
                                  f"are used with local themes turned off ({options.names.local_themes})")
            error.exit_code = 2
            raise error
        theme = find_theme(theme_name, search)
        if options.backend not in theme.backends():
            error = CvrenderError(f"theme '{theme.name}' has no {options.backend} backend "
                                  f"(it supports {', '.join(theme.backends())})")
            error.exit_code = 2
            raise error
        design = theme.resolve_options(
            located_layer(profile.design, loaded.located, ("design",)),
            located_layer(variant.design if variant else {}, loaded.located, ("variants", options.variant or "", "design")),
            command_line_layer(options.design, options.names.design))
        selection = Selection(options.sections, options.exclude, options.variant, options.locale,
                              options.names.sections, options.names.exclude)
        ctx = build_context(profile, selection, design, options.today or _dt.date.today(), warnings,
                            resolve_photo(loaded))
        return loaded, theme, ctx

    def render_source(self, source: Any, options: BuildOptions, warnings: Warnings | None = None) -> Source:
        """The HTML or LaTeX source a build would compile."""
        warnings = warnings if warnings is not None else Warnings()
        loaded, theme, ctx = self.prepare(source, options, warnings)
        return self.render(options, theme, ctx, loaded.base_dir)

    def render_fragment(self, source: Any, options: BuildOptions, warnings: Warnings | None = None,
                        titles: bool = True) -> Fragment:
        """The selected sections as LaTeX for a host document, with the package they need."""
        warnings = warnings if warnings is not None else Warnings()
        _, theme, ctx = self.prepare(source, options, warnings)
        latex = self.backend("latex")
        engine = options.engine or theme.manifest.latex_engine
        return latex.render_fragment(ctx, theme, engine, titles)  # type: ignore[attr-defined]

    def write_fragment(self, source: Any, options: BuildOptions, output: str | Path | None = None) -> tuple[Path, Path]:
        """Write the selected sections as ``<output>.tex`` (to ``\\input``) and the package they
        need beside it (``cvrender-<theme>.sty``); returns both paths."""
        loaded = source if isinstance(source, LoadedProfile) else load_profile(source, options.locale)
        fragment = self.render_fragment(loaded, options)
        target = output_path(output, loaded.profile.name, ".tex").with_suffix(".tex")
        package = target.with_name(fragment.package_name + ".sty")
        return atomic_write(target, fragment.body), atomic_write(package, fragment.package)

    def render(self, options: BuildOptions, theme: Theme, ctx: RenderContext, base_dir: Path) -> Source:
        """Backend source; LaTeX also depends on the engine (its escaping and preamble differ)."""
        if options.backend == "latex":
            engine = options.engine or theme.manifest.latex_engine
            return self.backend("latex").render(ctx, theme, base_dir, engine=engine)  # type: ignore[call-arg]
        return self.backend(options.backend).render(ctx, theme, base_dir)

    def compile(self, source: Any, options: BuildOptions,
                warnings: Warnings | None = None) -> tuple[LoadedProfile, Source, CompiledPdf, dict[str, float]]:
        """Run the whole pipeline in memory."""
        loaded, _, rendered, pdf, timings = self._compile(source, options, warnings)
        return loaded, rendered, pdf, timings

    def _compile(self, source: Any, options: BuildOptions, warnings: Warnings | None = None
                 ) -> tuple[LoadedProfile, Theme, Source, CompiledPdf, dict[str, float]]:
        warnings = warnings if warnings is not None else Warnings()
        timings: dict[str, float] = {}
        start = time.perf_counter()
        loaded, theme, ctx = self.prepare(source, options, warnings)
        timings["prepare"] = time.perf_counter() - start
        mark = time.perf_counter()
        rendered = self.render(options, theme, ctx, loaded.base_dir)
        timings["render"] = time.perf_counter() - mark
        mark = time.perf_counter()
        pdf = self.engine(options.backend, options.engine, theme).compile(rendered)
        timings["compile"] = time.perf_counter() - mark
        for message in pdf.warnings:
            warnings.add(message)
        variant = loaded.profile.variants.get(options.variant) if options.variant else None
        if variant and variant.max_pages and pdf.pages > variant.max_pages:
            raise PageLimitError(
                f"variant '{options.variant}' allows {variant.max_pages} page(s) but the CV has {pdf.pages}")
        return loaded, theme, rendered, pdf, timings

    def build(self, source: Any, options: BuildOptions, output: str | Path | None = None,
              emit_source: bool = False, return_bytes: bool = False) -> BuildResult:
        """Build and write the PDF (atomically); optionally write the source beside it, and keep the
        PDF's bytes in the result."""
        warnings = Warnings()
        start = time.perf_counter()
        loaded, theme, rendered, pdf, timings = self._compile(source, options, warnings)
        target = output_path(output, loaded.profile.name)
        source_path = None
        if emit_source:
            suffix = ".html" if rendered.kind == "html" else ".tex"
            source_path = atomic_write(target.with_suffix(suffix), rendered.text)
        mark = time.perf_counter()
        atomic_write(target, pdf.data)
        timings["write"] = time.perf_counter() - mark
        timings["total"] = time.perf_counter() - start
        engine = "weasyprint" if options.backend == "html" else options.engine or theme.manifest.latex_engine
        return BuildResult(target, pdf.pages, list(warnings.items), timings, source_path, theme=theme.name,
                           backend=options.backend, pdf_bytes=pdf.data if return_bytes else None, engine=engine)


def with_bibliographies(loaded: LoadedProfile, extra_bib: Iterable[str], warnings: Warnings) -> LoadedProfile:
    """Merge publications from .bib files named in the profile or passed on the command line."""
    files = [loaded.base_dir / b for b in loaded.profile.publications.bibtex]
    files += [Path(b) for b in extra_bib]
    if not files:
        return loaded
    from cvrender.sources.bibtex import merge_bibtex

    return merge_bibtex(loaded, files, warnings)


def resolve_photo(loaded: LoadedProfile) -> str | None:
    """The profile photo as a file URI, checked to be a file inside the profile's folder."""
    photo = loaded.profile.photo
    if not photo:
        return None
    base = loaded.base_dir.resolve()
    path = (base / photo).resolve()
    problem = None
    if not path.is_relative_to(base):
        problem = f"photo '{photo}' leads outside the profile's folder"
    elif not path.is_file():
        problem = f"photo '{photo}' not found (looked for {path})"
    elif path.suffix.lower() not in (".jpg", ".jpeg", ".png"):
        problem = f"photo '{photo}' must be a .jpg or .png file"
    if problem:
        line, column = loaded.located.where(("photo",)) if loaded.located else (None, None)
        file = loaded.located.file if loaded.located else None
        raise ProfileError(Problem(problem, file, line, column, "photo"))
    return path.as_uri()


_default_builder: Builder | None = None


def default_builder() -> Builder:
    """The process-wide builder (created on first use)."""
    global _default_builder
    if _default_builder is None:
        _default_builder = Builder()
    return _default_builder


_OPTIONS = tuple(f.name for f in dataclasses.fields(BuildOptions) if f.name not in ("theme", "backend", "names"))


def options_for(*, theme: str | os.PathLike[str] | None = None, backend: str = DEFAULT_BACKEND,
                names: Names = API_NAMES, **options: Any) -> BuildOptions:
    """:class:`BuildOptions` from what a caller passes (see :mod:`cvrender.arguments`): section
    names as a list or as text with commas, .bib files as one path or several, ``today`` as a date or
    ISO text. A value of the wrong type is a TypeError naming its parameter."""
    unknown = sorted(set(options) - set(_OPTIONS))
    if unknown:
        raise TypeError(f"unknown option{'s' if len(unknown) > 1 else ''} {', '.join(map(repr, unknown))}; "
                        f"the options are {', '.join(_OPTIONS)}")
    values = {key: value for key, value in options.items() if value is not None}
    if "sections" in values:
        values["sections"] = section_names(values["sections"], "sections")
    if "exclude" in values:
        values["exclude"] = section_names(values["exclude"], "exclude") or ()
    if "bib" in values:
        values["bib"] = file_names(values["bib"], "bib")
    if "today" in values:
        values["today"] = date_value(values["today"], "today")
    if "design" in values:
        values["design"] = design_value(values["design"], "design")
    return BuildOptions(theme=theme_value(theme), backend=backend, names=names, **values)


def load(source: str | os.PathLike[str] | dict[str, Any]) -> Profile:
    """Load and validate a profile (a path as ``str`` or ``Path``, or a dict); raises
    :class:`~cvrender.errors.ProfileError` with every problem."""
    check_profile(source)
    return load_profile(Path(source) if isinstance(source, os.PathLike) else source).profile


ProfileSource = str | os.PathLike[str] | dict[str, Any] | Profile


def build(profile: ProfileSource, *, theme: str | os.PathLike[str] | None = None, backend: str = DEFAULT_BACKEND,
          output: str | os.PathLike[str] | None = None, emit_source: bool = False, return_bytes: bool = False,
          **options: Any) -> BuildResult:
    """Build a PDF CV and write it to ``output`` (a file or a folder; default: the current folder).

    ``profile`` is a path (``str`` or ``Path``), a dict or a :class:`~cvrender.Profile`. Options:
    ``engine``, ``design`` (theme options, a dict), ``sections`` and ``exclude`` (lists of section
    keys; a plain ``str`` is split on commas, as on the command line), ``variant``, ``locale``,
    ``today`` (a date or ISO text, for reproducible output), ``bib`` (one .bib file or a list),
    ``local_themes``. ``return_bytes=True`` keeps the PDF's bytes in the result.
    """
    check_profile(profile)
    return default_builder().build(profile, options_for(theme=theme, backend=backend, **options),
                                   os.fspath(output) if output is not None else None, emit_source, return_bytes)


def render_pdf(profile: ProfileSource, *, theme: str | os.PathLike[str] | None = None,
               backend: str = DEFAULT_BACKEND, **options: Any) -> bytes:
    """Build a PDF CV and return its bytes, without writing anything (options as for :func:`build`)."""
    check_profile(profile)
    _, _, pdf, _ = default_builder().compile(profile, options_for(theme=theme, backend=backend, **options))
    return pdf.data


def render_source(profile: ProfileSource, *, theme: str | os.PathLike[str] | None = None,
                  backend: str = DEFAULT_BACKEND, **options: Any) -> str:
    """The HTML or LaTeX source of a CV (options as for :func:`build`)."""
    check_profile(profile)
    return default_builder().render_source(profile, options_for(theme=theme, backend=backend, **options)).text


@dataclass(frozen=True)
class Job:
    """One build in a batch."""

    profile: str | Path
    output: str | Path | None = None
    theme: str | None = None
    backend: str = DEFAULT_BACKEND
    options: dict[str, Any] = field(default_factory=dict)


@dataclass
class BatchBuildResult(BuildResult):
    """What :func:`cvrender.build_many` yields for a job that worked: a :class:`BuildResult` that
    also names its ``job`` and its ``status`` (``built``, or ``up_to_date`` in incremental batches)."""

    job: Job | None = None
    status: str = "built"


def build_many(jobs: Iterable[Job], executor: Any = None) -> Iterator[BatchBuildResult | CvrenderError]:
    """Build many CVs; yields, as each job finishes, a :class:`BatchBuildResult` (a
    :class:`BuildResult` with the ``job`` and its ``status``) or the job's error (with ``.job``).

    ``executor``: any :class:`concurrent.futures.Executor`: a ``ThreadPoolExecutor``, a Dask
    client's ``get_executor()``, ... Without one, a process pool of cvrender's own is used; it works
    from a plain script, with or without ``if __name__ == "__main__":``, since its workers never
    import the script. A process pool of your own does import it in every worker: then the script
    needs that guard, and a job's error says so when it is missing."""
    from cvrender.batch import run_jobs

    yield from run_jobs(list(jobs), executor)
