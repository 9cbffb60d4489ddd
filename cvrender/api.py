"""The library API: load and validate profiles, build PDFs, render sources.

The pipeline is: load -> validate -> select -> render context -> backend -> engine -> PDF.
"""

from __future__ import annotations

import dataclasses
import datetime as _dt
import time
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from cvrender.backends import Backend, Source, get_backend
from cvrender.context import RenderContext, Selection, build_context
from cvrender.engines import CompiledPdf, Engine
from cvrender.errors import CvrenderError, PageLimitError, Problem, ProfileError, Warnings
from cvrender.loading import LoadedProfile, load_profile
from cvrender.model import Profile
from cvrender.output import atomic_write, output_path
from cvrender.theming import Theme, command_line_layer, find_theme, located_layer, looks_like_path

DEFAULT_THEME = "academic"
DEFAULT_BACKEND = "html"
FALLBACK_BACKEND = "typst"  # pip-installed: the default when WeasyPrint cannot start


@dataclass
class BuildResult:
    """What a build produced."""

    pdf_path: Path | None
    pages: int
    warnings: list[str] = field(default_factory=list)
    timings: dict[str, float] = field(default_factory=dict)
    source_path: Path | None = None
    theme: str = ""
    backend: str = ""
    pdf_bytes: bytes | None = None
    png_paths: list[Path] = field(default_factory=list)


@dataclass(frozen=True)
class BuildOptions:
    """Everything a build needs besides the profile."""

    theme: str | None = None
    backend: str | None = DEFAULT_BACKEND  # None: HTML, or Typst where WeasyPrint cannot start
    engine: str | None = None
    design: dict[str, Any] = field(default_factory=dict)
    sections: tuple[str, ...] | None = None
    exclude: tuple[str, ...] = ()
    variant: str | None = None
    locale: str | None = None
    today: _dt.date | None = None
    bib: tuple[str, ...] = ()
    local_themes: bool = True  # a themes/ folder beside the profile is code: turn off for strangers' files


def fastest_backend() -> str | None:
    """The quickest format installed here (Typst, a pip package); None: the default one."""
    import importlib.util

    return FALLBACK_BACKEND if importlib.util.find_spec("typst") is not None else None


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
        key = {"html": "weasyprint", "typst": "typst"}.get(backend) or engine or theme.manifest.latex_engine
        if key not in self._engines:
            if key == "typst":
                from cvrender.formats.typst.engine import TypstEngine

                self._engines[key] = TypstEngine()
            elif key == "weasyprint":
                from cvrender.engines.weasy import WeasyPrintEngine

                self._engines[key] = WeasyPrintEngine()
            else:
                from cvrender.engines.latex import LatexEngine

                self._engines[key] = LatexEngine(key)
        return self._engines[key]

    def resolve_backend(self, options: BuildOptions, warnings: Warnings) -> BuildOptions:
        """``options`` with a backend: the default one (HTML) unless WeasyPrint cannot start here,
        then Typst, with a note naming what the HTML backend needs."""
        if options.backend is not None:
            return options
        from cvrender.engines.weasy import weasyprint_problem

        problem = weasyprint_problem()
        if problem is None:
            return dataclasses.replace(options, backend=DEFAULT_BACKEND)
        warnings.add(f"{problem}; built with Typst instead")
        return dataclasses.replace(options, backend=FALLBACK_BACKEND)

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
                                  "are used with local themes turned off (--no-local-themes)")
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
            command_line_layer(options.design))
        selection = Selection(options.sections, options.exclude, options.variant, options.locale)
        ctx = build_context(profile, selection, design, options.today or _dt.date.today(), warnings,
                            resolve_photo(loaded))
        return loaded, theme, ctx

    def render_source(self, source: Any, options: BuildOptions, warnings: Warnings | None = None) -> Source:
        """The HTML, LaTeX or Typst source a build would compile."""
        warnings = warnings if warnings is not None else Warnings()
        options = self.resolve_backend(options, warnings)
        loaded, theme, ctx = self.prepare(source, options, warnings)
        return self.render(options, theme, ctx, loaded.base_dir)

    def render(self, options: BuildOptions, theme: Theme, ctx: RenderContext, base_dir: Path) -> Source:
        """Backend source; LaTeX also depends on the engine (its escaping and preamble differ)."""
        if options.backend == "latex":
            engine = options.engine or theme.manifest.latex_engine
            return self.backend("latex").render(ctx, theme, base_dir, engine=engine)  # type: ignore[call-arg]
        return self.backend(options.backend).render(ctx, theme, base_dir)

    def compile(self, source: Any, options: BuildOptions,
                warnings: Warnings | None = None) -> tuple[LoadedProfile, Source, CompiledPdf, dict[str, float]]:
        """Run the whole pipeline in memory."""
        warnings = warnings if warnings is not None else Warnings()
        timings: dict[str, float] = {}
        start = time.perf_counter()
        options = self.resolve_backend(options, warnings)
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
        return loaded, rendered, pdf, timings

    def build(self, source: Any, options: BuildOptions, output: str | Path | None = None,
              emit_source: bool = False, png: bool = False) -> BuildResult:
        """Build and write the PDF (atomically); optionally write the source and PNG pages beside it."""
        warnings = Warnings()
        start = time.perf_counter()
        loaded, rendered, pdf, timings = self.compile(source, options, warnings)
        target = output_path(output, loaded.profile.name)
        source_path = None
        if emit_source:
            suffix = {"html": ".html", "typst": ".typ"}.get(rendered.kind, ".tex")
            source_path = atomic_write(target.with_suffix(suffix), rendered.text)
            if rendered.kind == "typst":
                emit_source_files(rendered, source_path.parent, warnings)
        mark = time.perf_counter()
        atomic_write(target, pdf.data)
        timings["write"] = time.perf_counter() - mark
        pngs: list[Path] = []
        if png:
            pngs = self.write_pngs(rendered, target)
        timings["total"] = time.perf_counter() - start
        backend = {"html": "html", "typst": "typst"}.get(rendered.kind, "latex")
        return BuildResult(target, pdf.pages, list(warnings.items), timings, source_path,
                           theme=options.theme or "", backend=backend, png_paths=pngs)

    def write_pngs(self, rendered: Source, target: Path) -> list[Path]:
        """PNG pages beside ``target``: Typst renders its own; other formats' PDFs are rasterised."""
        from cvrender.preview import DEFAULT_DPI, write_pngs

        images = None
        if rendered.kind == "typst":
            from cvrender.formats.typst.engine import TypstEngine

            engine = self._engines.get("typst") or TypstEngine()
            images = engine.pngs(rendered, ppi=float(DEFAULT_DPI))  # type: ignore[attr-defined]
        return write_pngs(target, DEFAULT_DPI, images)


def emit_source_files(rendered: Source, folder: Path, warnings: Warnings) -> None:
    """Copy the files an emitted source reads (the photo) beside it, so that it compiles on its
    own; a different file of the same name already there is kept, with a warning."""
    for name, path in rendered.options.get("files", {}).items():
        data = Path(path).read_bytes()
        target = folder / name
        if target.exists() and target.read_bytes() != data:
            warnings.add(f"{target} exists and differs from the profile's photo; the emitted source reads it")
            continue
        atomic_write(target, data)


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


def _options(theme: str | None, backend: str | None, **kwargs: Any) -> BuildOptions:
    for key in ("sections", "exclude", "bib"):
        if kwargs.get(key) is not None:
            kwargs[key] = tuple(kwargs[key])
    clean = {k: v for k, v in kwargs.items() if v is not None}
    return BuildOptions(theme=theme, backend=backend, **clean)


def load(source: str | Path | dict[str, Any]) -> Profile:
    """Load and validate a profile; raises :class:`~cvrender.errors.ProfileError` with every problem."""
    return load_profile(source).profile


def build(profile: str | Path | dict[str, Any] | Profile, *, theme: str | None = None,
          backend: str | None = DEFAULT_BACKEND, output: str | Path | None = None, emit_source: bool = False,
          png: bool = False, **options: Any) -> BuildResult:
    """Build a PDF CV and write it to ``output`` (a file or a folder; default: the current folder).

    Options: ``engine``, ``design`` (theme options), ``sections``, ``exclude``, ``variant``,
    ``locale``, ``today`` (a date, for reproducible output), ``bib`` (extra .bib files).
    ``backend=None`` builds with HTML, or with Typst where WeasyPrint cannot start (with a note);
    ``png`` also writes each page as a PNG beside the PDF.
    """
    return default_builder().build(profile, _options(theme, backend, **options), output, emit_source, png)


def render_pdf(profile: str | Path | dict[str, Any] | Profile, *, theme: str | None = None,
               backend: str | None = DEFAULT_BACKEND, **options: Any) -> bytes:
    """Build a PDF CV and return its bytes, without writing anything."""
    _, _, pdf, _ = default_builder().compile(profile, _options(theme, backend, **options))
    return pdf.data


def render_source(profile: str | Path | dict[str, Any] | Profile, *, theme: str | None = None,
                  backend: str | None = DEFAULT_BACKEND, **options: Any) -> str:
    """The HTML, LaTeX or Typst source of a CV."""
    return default_builder().render_source(profile, _options(theme, backend, **options)).text


@dataclass(frozen=True)
class Job:
    """One build in a batch."""

    profile: str | Path
    output: str | Path | None = None
    theme: str | None = None
    backend: str = DEFAULT_BACKEND
    options: dict[str, Any] = field(default_factory=dict)


def build_many(jobs: Iterable[Job], executor: Any = None) -> Iterator[BuildResult | CvrenderError]:
    """Build many CVs; yields results (or the error of a failed job) as they finish."""
    from cvrender.batch import run_jobs

    yield from run_jobs(list(jobs), executor)
