"""The library API: load and validate profiles, build PDFs, render sources.

The pipeline is: load -> validate -> select -> render context -> backend -> engine -> PDF.
"""

from __future__ import annotations

import dataclasses
import datetime as _dt
import os
import time
from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import TYPE_CHECKING, Any

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
from cvrender.context.builder import build_context
from cvrender.context.types import RenderContext, Selection
from cvrender.errors import PageLimitError, Problem, ProfileError, UsageError, Warnings
from cvrender.files import atomic_write, output_path
from cvrender.formats.base import CompiledPdf, Engine, Source
from cvrender.formats.format import OutputFormat
from cvrender.formats.registry import engine_names, format_names, get_format
from cvrender.model import Profile
from cvrender.sources.loading import LoadedProfile, load_profile
from cvrender.theming import Theme, command_line_layer, find_theme, located_layer, looks_like_path

if TYPE_CHECKING:  # the LaTeX backend (and Jinja) is imported when a fragment is asked for
    from cvrender.formats.latex.backend import Fragment

DEFAULT_THEME = "academic"
DEFAULT_BACKEND = "html"
FALLBACK_BACKEND = "typst"  # pip-installed: the default when WeasyPrint cannot start


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
    png_paths: list[Path] = field(default_factory=list)
    prepared: Prepared | None = field(default=None, repr=False, compare=False)  # what the build read


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
    strict: bool = False  # a .bib entry or field that cannot be used is an error, not a warning
    local_themes: bool = True  # a themes/ folder beside the profile is code: turn off for strangers' files
    names: Names = API_NAMES  # how errors name what the caller gave: API parameters, or CLI flags


@dataclass(frozen=True)
class Prepared:
    """What the first stages decided: the profile as loaded, the theme, the output format (with the
    engine fixed) and the render context. :meth:`inputs` lists every file the build reads."""

    loaded: LoadedProfile
    theme: Theme
    format: OutputFormat
    ctx: RenderContext
    bib: tuple[Path, ...] = ()  # .bib files given besides the profile's own

    def inputs(self) -> list[Path]:
        """The profile, its .bib files, its photo and the theme files this format uses (resolved)."""
        loaded = self.loaded
        files = [loaded.path] if loaded.path else []
        files += [loaded.base_dir / b for b in loaded.profile.publications.bibtex]
        files += list(self.bib)
        photo = loaded.profile.photo
        if photo and "://" not in photo and not photo.startswith("data:"):
            files.append(loaded.base_dir / photo)
        others = [t.path / name for t in self.theme.chain for name in format_names() if name != self.format.name]
        files += [p for p in self.theme.files() if not any(p.is_relative_to(o) for o in others)]
        return sorted({p.resolve() for p in files})

    def template_dirs(self) -> list[Path]:
        """The folders of this format's templates in the theme and its parents (present or not)."""
        return [(t.path / self.format.name).resolve() for t in self.theme.chain]


def default_backend(warnings: Warnings | None = None) -> str:
    """The format used where none is named (build, batch, lab, web): HTML, unless WeasyPrint cannot
    start here; then Typst, and a note naming what the HTML backend needs joins ``warnings``."""
    from cvrender.formats.html.engine import weasyprint_problem

    problem = weasyprint_problem()
    if problem is None:
        return DEFAULT_BACKEND
    if warnings is not None:
        warnings.add(f"{problem}; built with Typst instead")
    return FALLBACK_BACKEND


def fastest_backend() -> str | None:
    """The quickest format installed here (Typst, a pip package); None: the default one."""
    import importlib.util

    return FALLBACK_BACKEND if importlib.util.find_spec("typst") is not None else None


class Builder:
    """Runs the pipeline in stages (:meth:`prepare`, :meth:`render`, :meth:`compile_source`);
    keeps formats (their Jinja environments) and engines (fonts, stylesheets) between builds."""

    def __init__(self) -> None:
        self._formats: dict[tuple[str, str, tuple[str, ...]], OutputFormat] = {}
        self._engines: dict[tuple[str, str], Engine] = {}

    def forget_templates(self) -> None:
        """Drop the compiled templates (after a theme's files changed); fonts, parsed stylesheets and
        TeX formats stay, since they are keyed by content."""
        self._formats.clear()

    def output_format(self, theme: Theme, name: str, engine: str | None = None) -> OutputFormat:
        """The (cached) format called ``name`` for ``theme``, its engine fixed from the theme and ``engine``."""
        cls = get_format(name)
        if engine and engine not in engine_names():
            raise UsageError(f"unknown engine '{engine}' (use {', '.join(engine_names())})")
        if name not in theme.backends():
            raise UsageError(f"theme '{theme.name}' has no {name} backend "
                             f"(it supports {', '.join(theme.backends())})")
        chosen = cls.choose_engine(theme, engine)
        key = (name, chosen, tuple(str(t.path) for t in theme.chain))
        if key not in self._formats:
            self._formats[key] = cls(theme, chosen)
        return self._formats[key]

    def engine(self, fmt: OutputFormat) -> Engine:
        """The (cached) engine a format compiles with."""
        key = (fmt.name, fmt.engine)
        if key not in self._engines:
            self._engines[key] = fmt.new_engine()
        return self._engines[key]

    def load(self, source: str | Path | dict[str, Any] | Profile | LoadedProfile, options: BuildOptions,
             warnings: Warnings) -> LoadedProfile:
        """Stage 1: the profile, validated, with the publications of its .bib files merged in."""
        loaded = source if isinstance(source, LoadedProfile) else load_profile(source, options.locale)
        for note in loaded.warnings:
            warnings.add(note)
        return with_bibliographies(loaded, options.bib, warnings, options.strict)

    def resolve_backend(self, options: BuildOptions, warnings: Warnings) -> BuildOptions:
        """``options`` with a backend: :func:`default_backend` when they name none."""
        if options.backend is not None:
            return options
        return dataclasses.replace(options, backend=default_backend(warnings))

    def prepare(self, source: str | Path | dict[str, Any] | Profile | LoadedProfile,
                options: BuildOptions, warnings: Warnings) -> Prepared:
        """Stages 1 and 2: load, choose the theme and format, select and build the render context."""
        options = self.resolve_backend(options, warnings)
        loaded = self.load(source, options, warnings)
        profile = loaded.profile
        variant = profile.variants.get(options.variant) if options.variant else None
        if options.variant and variant is None:
            raise UsageError(
                f"profile has no variant '{options.variant}'"
                + (f" (variants: {', '.join(profile.variants)})" if profile.variants else ""))
        theme_name = options.theme or (variant.theme if variant else None) or profile.theme or DEFAULT_THEME
        search = [loaded.base_dir / "themes"] if options.local_themes else []
        if not options.local_themes and not options.theme and looks_like_path(theme_name):
            raise UsageError(f"the profile names the theme folder '{theme_name}'; only installed themes "
                             f"are used with local themes turned off ({options.names.local_themes})")
        theme = find_theme(theme_name, search)
        fmt = self.output_format(theme, options.backend or DEFAULT_BACKEND, options.engine)
        design = theme.resolve_options(
            located_layer(profile.design, loaded.located, ("design",)),
            located_layer(variant.design if variant else {}, loaded.located, ("variants", options.variant or "", "design")),
            command_line_layer(options.design, options.names.design))
        selection = Selection(options.sections, options.exclude, options.variant, options.locale,
                              options.names.sections, options.names.exclude)
        ctx = build_context(profile, selection, design, options.today or _dt.date.today(), warnings,
                            resolve_photo(loaded))
        for note in missing_glyph_warnings(loaded, design, fmt, self._engines.get((fmt.name, fmt.engine))):
            warnings.add(note)
        return Prepared(loaded, theme, fmt, ctx, tuple(Path(b) for b in options.bib))

    def render(self, fmt: OutputFormat, ctx: RenderContext, base_dir: Path | None) -> Source:
        """Stage 3: the format's source for a context."""
        return fmt.render(ctx, base_dir)

    def compile_source(self, fmt: OutputFormat, rendered: Source, warnings: Warnings) -> CompiledPdf:
        """Stage 4: the PDF, compiled by the format's engine; its warnings join ``warnings``."""
        announce_stage("compile")
        pdf = self.engine(fmt).compile(rendered)
        for message in pdf.warnings:
            warnings.add(message)
        return pdf

    def render_source(self, source: Any, options: BuildOptions, warnings: Warnings | None = None) -> Source:
        """The source a build would compile."""
        warnings = warnings if warnings is not None else Warnings()
        prepared = self.prepare(source, options, warnings)
        return self.render(prepared.format, prepared.ctx, prepared.loaded.base_dir)

    def render_fragment(self, source: Any, options: BuildOptions, warnings: Warnings | None = None,
                        titles: bool = True) -> Fragment:
        """The selected sections as LaTeX for a host document, with the package they need."""
        from cvrender.formats.latex import LatexFormat

        warnings = warnings if warnings is not None else Warnings()
        prepared = self.prepare(source, dataclasses.replace(options, backend="latex"), warnings)
        if not isinstance(prepared.format, LatexFormat):  # pragma: no cover - backend="latex" above
            raise UsageError("fragments are LaTeX: use the latex backend")
        return prepared.format.render_fragment(prepared.ctx, titles)

    def write_fragment(self, source: Any, options: BuildOptions, output: str | Path | None = None) -> tuple[Path, Path]:
        """Write the selected sections as ``<output>.tex`` (to ``\\input``) and the package they
        need beside it (``cvrender-<theme>.sty``); returns both paths."""
        loaded = source if isinstance(source, LoadedProfile) else load_profile(source, options.locale)
        fragment = self.render_fragment(loaded, options)
        target = output_path(output, loaded.profile.name, ".tex").with_suffix(".tex")
        package = target.with_name(fragment.package_name + ".sty")
        return atomic_write(target, fragment.body), atomic_write(package, fragment.package)

    def compile(self, source: Any, options: BuildOptions,
                warnings: Warnings | None = None) -> tuple[Prepared, Source, CompiledPdf, dict[str, float]]:
        """Run the whole pipeline in memory."""
        warnings = warnings if warnings is not None else Warnings()
        timings: dict[str, float] = {}
        start = time.perf_counter()
        prepared = self.prepare(source, options, warnings)
        timings["prepare"] = time.perf_counter() - start
        mark = time.perf_counter()
        rendered = self.render(prepared.format, prepared.ctx, prepared.loaded.base_dir)
        timings["render"] = time.perf_counter() - mark
        mark = time.perf_counter()
        pdf = self.compile_source(prepared.format, rendered, warnings)
        timings["compile"] = time.perf_counter() - mark
        variant = prepared.loaded.profile.variants.get(options.variant) if options.variant else None
        if variant and variant.max_pages and pdf.pages > variant.max_pages:
            raise PageLimitError(
                f"variant '{options.variant}' allows {variant.max_pages} page(s) but the CV has {pdf.pages}")
        return prepared, rendered, pdf, timings

    def build(self, source: Any, options: BuildOptions, output: str | Path | None = None,
              emit_source: bool = False, return_bytes: bool = False, png: bool = False) -> BuildResult:
        """Build and write the PDF (atomically); optionally write the source and PNG pages beside it,
        and keep the PDF's bytes in the result."""
        warnings = Warnings()
        start = time.perf_counter()
        prepared, rendered, pdf, timings = self.compile(source, options, warnings)
        target = output_path(output, prepared.loaded.profile.name)
        html_source = emit_source and prepared.format.name == "html"  # with its stylesheet: cvrender.web
        result = self.write(prepared.format, rendered, pdf, target, emit_source and not html_source, warnings,
                            timings)
        if html_source:
            from cvrender.web import write_html_source

            result.source_path = write_html_source(prepared, rendered, target.with_suffix(".html"))
        if png:
            result.png_paths = self.write_pngs(prepared.format, rendered, target)
        timings["total"] = time.perf_counter() - start
        result.prepared = prepared
        if return_bytes:
            result.pdf_bytes = pdf.data
        return result

    def write(self, fmt: OutputFormat, rendered: Source, pdf: CompiledPdf, target: Path, emit_source: bool,
              warnings: Warnings, timings: dict[str, float]) -> BuildResult:
        """Stage 5: write the PDF (and the source, with the format's suffix) atomically."""
        announce_stage("write")
        source_path = atomic_write(target.with_suffix(fmt.suffix), rendered.text) if emit_source else None
        if source_path is not None:
            emit_source_files(rendered, source_path.parent, warnings)
        mark = time.perf_counter()
        atomic_write(target, pdf.data)
        timings["write"] = time.perf_counter() - mark
        return BuildResult(target, pdf.pages, list(warnings.items), timings, source_path,
                           theme=fmt.theme.name, backend=fmt.name, engine=fmt.engine)

    def write_pngs(self, fmt: OutputFormat, rendered: Source, target: Path) -> list[Path]:
        """PNG pages beside ``target``: rendered by the engine when it can (Typst), else rasterised
        from the PDF."""
        from cvrender.tools.preview import DEFAULT_DPI, write_pngs

        engine = self.engine(fmt)
        pngs = getattr(engine, "pngs", None)
        images = pngs(rendered, ppi=float(DEFAULT_DPI)) if pngs is not None else None
        return write_pngs(target, DEFAULT_DPI, images)


def emit_source_files(rendered: Source, folder: Path, warnings: Warnings) -> None:
    """Copy the files an emitted source reads (the photo) beside it, so that it compiles on its
    own; a different file of the same name already there is kept, with a warning."""
    for name, path in rendered.options.files.items():
        data = Path(path).read_bytes()
        target = folder / name
        if target.exists() and target.read_bytes() != data:
            warnings.add(f"{target} exists and differs from the profile's photo; the emitted source reads it")
            continue
        atomic_write(target, data)


STAGE_FILE_VARIABLE = "CVRENDER_STAGE_FILE"


def announce_stage(stage: str) -> None:
    """Append ``stage`` (``compile``, ``write``) and a newline to the file named by
    ``$CVRENDER_STAGE_FILE`` as the stage starts, so that a test (or a curious user) can tell
    where a running build is without guessing from the time; nothing happens when it is unset."""
    path = os.environ.get(STAGE_FILE_VARIABLE)
    if path:
        with open(path, "a", encoding="utf-8") as file:
            file.write(stage + "\n")


def with_bibliographies(loaded: LoadedProfile, extra_bib: Iterable[str], warnings: Warnings,
                        strict: bool = False) -> LoadedProfile:
    """The profile with its own publications and those of its .bib files (and ``extra_bib``, from the
    command line) merged into one list, each work once (see :func:`cvrender.context.publications.merge_sources`).
    ``strict`` (or ``strict: true`` in the profile): an entry or field that cannot be used is an error."""
    files = [loaded.base_dir / b for b in loaded.profile.publications.bibtex]
    files += [Path(b) for b in extra_bib]
    files = list({path.resolve(): path for path in files}.values())  # a file named twice is read once
    if not files:
        return loaded
    from cvrender.context.publications import PubSource, merge_sources
    from cvrender.sources.bibtex import BibOptions, load_bibtex

    plist = loaded.profile.publications
    options = BibOptions(files_url=plist.files_url, locale=loaded.profile.locale,
                         strict=strict or loaded.profile.strict)
    sources = [PubSource("the profile", list(plist.items), explicit=True)]
    problems: list[Problem] = []
    for path in files:
        try:
            sources.append(PubSource(path.name, load_bibtex(path, warnings, options)))
        except ProfileError as exc:
            named = _where_bib_is_named(loaded, path)
            if named is not None and not path.exists():
                problems.append(Problem(f"BibTeX file not found: {path}", named[0], named[1], named[2],
                                        "publications.bibtex"))
            else:
                problems.extend(exc.problems)
    if problems:
        raise ProfileError(problems)
    items = merge_sources(sources, warnings, plist.deduplicate)
    profile = loaded.profile.model_copy(update={"publications": plist.model_copy(update={"items": items})})
    return replace(loaded, profile=profile)


def _where_bib_is_named(loaded: LoadedProfile, path: Path) -> tuple[str, int | None, int | None] | None:
    """Where the profile names the .bib file ``path`` (for 'file not found')."""
    if loaded.located is None:
        return None
    for i, name in enumerate(loaded.profile.publications.bibtex):
        if (loaded.base_dir / name).resolve() == path.resolve():
            line, col = loaded.located.where(("publications", "bibtex", i))
            if (line, col) == loaded.located.where(("publications",)):
                line, col = loaded.located.where(("publications", "bibtex"))
            return loaded.located.file, line, col
    return None


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


def missing_glyph_warnings(loaded: LoadedProfile, design: dict[str, Any], fmt: OutputFormat,
                           engine: Engine | None = None) -> list[str]:
    """One located warning per character of the profile that no font of the format covers, naming
    the character and the fonts searched (``engine``: the one the builder keeps for ``fmt``, if any; HTML prints U+FFFD in its place, see
    :mod:`cvrender.glyphs`; TeX engines leave it out)."""
    import unicodedata

    from cvrender import glyphs
    from cvrender.errors import Problem
    from cvrender.sources.validation import format_path

    data = loaded.located.data if loaded.located else loaded.profile.model_dump(by_alias=True)
    texts = [(path, unicodedata.normalize("NFC", text)) for path, text in glyphs.strings(data)]  # as the model stores it
    missing = set(fmt.uncovered("".join(text for _, text in texts), design, engine))  # asked once, for every character
    if not missing:
        return []
    theme_fonts = list(dict.fromkeys(str(design[k]) for k in ("font", "latex_font", "cjk_font") if design.get(k)))
    others = len(set(fmt.font_families(engine)) - {f.lower() for f in theme_fonts} - set(theme_fonts))
    notes: list[str] = []
    for path, text in texts:
        for char in dict.fromkeys(ch for ch in text if ch in missing):
            missing.discard(char)  # each character once, where it first appears
            line, column = loaded.located.where(path) if loaded.located else (None, None)
            where = Problem("", loaded.located.file if loaded.located else None, line, column).location
            notes.append(f"{where}: {format_path(path)}: no installed font has the character {glyphs.describe(char)} "
                         f"(searched the theme's fonts {', '.join(theme_fonts) or 'none'} and {others} other "
                         f"installed font families), so it cannot be printed as written. Install a font "
                         "that has it, or write it another way")
    return notes


def default_builder() -> Builder:
    """The process-wide builder (created on first use)."""
    global _default_builder
    if _default_builder is None:
        _default_builder = Builder()
    return _default_builder


_OPTIONS = tuple(f.name for f in dataclasses.fields(BuildOptions) if f.name not in ("theme", "backend", "names"))


def options_for(*, theme: str | os.PathLike[str] | None = None, backend: str | None = DEFAULT_BACKEND,
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


def build(profile: ProfileSource, *, theme: str | os.PathLike[str] | None = None,
          backend: str | None = DEFAULT_BACKEND, output: str | os.PathLike[str] | None = None,
          emit_source: bool = False, return_bytes: bool = False, png: bool = False, **options: Any) -> BuildResult:
    """Build a PDF CV and write it to ``output`` (a file or a folder; default: the current folder).

    ``profile`` is a path (``str`` or ``Path``), a dict or a :class:`~cvrender.Profile`. Options:
    ``engine``, ``design`` (theme options, a dict), ``sections`` and ``exclude`` (lists of section
    keys; a plain ``str`` is split on commas, as on the command line), ``variant``, ``locale``,
    ``today`` (a date or ISO text, for reproducible output), ``bib`` (one .bib file or a list),
    ``strict`` (a .bib entry or field that cannot be used is an error instead of a warning),
    ``local_themes``. ``return_bytes=True`` keeps the PDF's bytes in the result; ``png`` also
    writes each page as a PNG beside the PDF. ``backend=None`` builds with HTML, or with Typst
    where WeasyPrint cannot start (with a note).
    """
    check_profile(profile)
    return default_builder().build(profile, options_for(theme=theme, backend=backend, **options),
                                   os.fspath(output) if output is not None else None, emit_source, return_bytes,
                                   png)


def render_pdf(profile: ProfileSource, *, theme: str | os.PathLike[str] | None = None,
               backend: str | None = DEFAULT_BACKEND, **options: Any) -> bytes:
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
    backend: str | None = DEFAULT_BACKEND  # None: the default format, see default_backend()
    options: dict[str, Any] = field(default_factory=dict)


@dataclass
class BatchBuildResult(BuildResult):
    """What :func:`cvrender.build_many` yields for a job that worked: a :class:`BuildResult` that
    also names its ``job`` and its ``status`` (``built``, or ``up_to_date`` in incremental batches)."""

    job: Job | None = None
    status: str = "built"
