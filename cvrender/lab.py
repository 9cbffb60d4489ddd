"""A lab file (``lab.yaml``): the members' profiles, lab-wide defaults, a shared .bib, and for each
member the aliases and the membership window that pick their papers from the shared .bib.

Loading reports every problem with ``file:line:col``, like profiles. The selection of a member's
papers and the lab's combined publication list are decided here, once, for both backends.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Annotated, Any

from pydantic import (
    BeforeValidator,
    Field,
    ValidationError,
    ValidationInfo,
    field_validator,
    model_validator,
)
from pydantic_core import PydanticCustomError

from cvrender.context.authors import AuthorMatcher
from cvrender.errors import Problem, ProfileError, Warnings
from cvrender.formats.registry import EngineName, FormatName
from cvrender.model.base import EndDate, Inline, StartDate, Strict, Url, _listify
from cvrender.model.dates import PartialDate
from cvrender.model.publications import GroupBy, Publication, PublicationList
from cvrender.sources.loading import LoadedProfile
from cvrender.sources.yamlfile import Located, load_file


class Member(Strict):
    """One member of the lab: their profile, their other spellings, when they were a member."""

    profile: str = Field(min_length=1, description="The member's profile file, relative to lab.yaml")
    aliases: Annotated[list[str], BeforeValidator(_listify)] = Field(
        default_factory=list, description="Spellings of the member's name in the shared .bib")
    joined: StartDate | None = Field(None, description="When they joined (a year or a date); papers before are not theirs here")
    left: EndDate | None = Field(None, description="When they left, or 'present' (the default)")
    output: str | None = Field(None, description="Their PDF file or folder, relative to lab.yaml")
    theme: str | None = None
    backend: FormatName | None = None
    design: dict[str, Any] = Field(default_factory=dict, description="Theme options for this member only")

    @field_validator("left", mode="after")
    @classmethod
    def _window_order(cls, left: Any, info: ValidationInfo) -> Any:
        joined = info.data.get("joined")
        if isinstance(joined, PartialDate) and isinstance(left, PartialDate) and _before(left, joined):
            raise PydanticCustomError("cv_window", "'left' ({left}) is before 'joined' ({joined})",
                                      {"left": str(left), "joined": str(joined)})
        return left


class LabPublicationOptions(PublicationList):
    """How ``cvrender lab-publications`` lists the lab's papers (the options of a publication list)."""

    group_by: GroupBy = Field("year", description="Sub-headings by year (newest first) or by type")
    title: str | None = Field(None, description="Section title (default: Publications, translated)")

    @model_validator(mode="after")
    def _papers_come_from_members(self) -> LabPublicationOptions:
        if self.items or self.bibtex:
            raise PydanticCustomError(
                "cv_lab_papers", "the lab's papers come from the lab's 'bibtex' and the members' profiles; "
                "list options only here (group_by, numbering, since, ...)", {})
        return self


class Lab(Strict):
    """The lab file."""

    schema_url: str | None = Field(None, alias="$schema", description="JSON Schema for editors; ignored.")
    name: str = Field(min_length=1, description="The lab's name, printed on the publication list")
    headline: Inline | None = Field(None, description="A line under the name, e.g. the department")
    website: Url | None = None
    email: Annotated[list[str], BeforeValidator(_listify)] = Field(default_factory=list)
    location: str | None = None
    locale: str | None = Field(None, description="Language of the lab publication list")
    theme: str | None = Field(None, description="Theme for every member (a member may override it)")
    backend: FormatName | None = None
    engine: EngineName | None = None
    design: dict[str, Any] = Field(default_factory=dict, description="Theme options for every member")
    bibtex: Annotated[list[str], BeforeValidator(_listify)] = Field(
        default_factory=list, description="Shared .bib file(s), relative to lab.yaml")
    output: str | None = Field(None, description="Folder for the PDFs, relative to lab.yaml")
    web: str | None = Field(None, description="Folder for the web pages (a page per member and the lab's "
                                              "index page), relative to lab.yaml; `cvrender batch` writes them")
    publications: LabPublicationOptions = Field(default_factory=lambda: LabPublicationOptions.model_validate({}))
    members: list[Member] = Field(min_length=1)


@dataclass(frozen=True)
class MemberSelection:
    """What a lab adds to one member's profile (travels to worker processes, so plain data only)."""

    lab_name: str
    bib_files: tuple[Path, ...]
    aliases: tuple[str, ...]
    joined: PartialDate | None
    left: PartialDate | None

    def describe(self) -> dict[str, Any]:
        """A JSON-able summary (part of the incremental-build key)."""
        return {"lab": self.lab_name, "bib": [str(p) for p in self.bib_files], "aliases": list(self.aliases),
                "joined": str(self.joined) if self.joined else None, "left": str(self.left) if self.left else None}


@dataclass(frozen=True)
class LoadedLab:
    """A validated lab file and where it is."""

    lab: Lab
    path: Path
    located: Located
    missing: dict[int, Problem] = field(default_factory=dict)

    @property
    def base_dir(self) -> Path:
        """The folder paths in the lab file are relative to."""
        return self.path.parent.resolve()

    def resolve(self, relative: str) -> Path:
        """A path written in the lab file, made absolute."""
        return (self.base_dir / Path(relative).expanduser()).resolve()

    @property
    def bib_files(self) -> tuple[Path, ...]:
        """The shared .bib files."""
        return tuple(self.resolve(b) for b in self.lab.bibtex)

    def member_profile(self, index: int) -> Path:
        """The profile file of member ``index``."""
        return self.resolve(self.lab.members[index].profile)

    def selection(self, index: int) -> MemberSelection:
        """How member ``index``'s papers are picked from the shared .bib."""
        member = self.lab.members[index]
        left = member.left if isinstance(member.left, PartialDate) else None
        return MemberSelection(self.lab.name, self.bib_files, tuple(member.aliases), member.joined, left)

    def output_for(self, index: int, override: str | Path | None = None) -> str:
        """Where member ``index``'s PDF goes: ``-o`` wins, then the member's, then the lab's output
        folder, else the current folder. A folder is returned with a trailing separator."""
        if override is not None:
            return _as_output(Path(override).expanduser())
        member = self.lab.members[index]
        if member.output:
            return _as_output(self.resolve(member.output))
        return _as_output(self.resolve(self.lab.output) if self.lab.output else Path.cwd())


def _as_output(path: Path) -> str:
    """A ``.pdf`` path names the file; anything else is a folder."""
    return str(path) if path.suffix.lower() == ".pdf" else str(path) + os.sep


def load_lab(path: str | Path, require_profiles: bool = True) -> LoadedLab:
    """Read and validate a lab file, reporting every problem at its line.

    A missing shared .bib is always an error. A member whose profile file is missing is an error
    too, unless ``require_profiles`` is false: then it is listed in ``missing`` (a batch builds the
    other members and reports that one as failed).
    """
    path = Path(path)
    located = load_file(path)
    if not isinstance(located.data, dict):
        raise ProfileError(Problem("a lab file must be a mapping with name: and members:", str(path), 1, 1))
    from cvrender.sources.validation import problems_from

    try:
        lab = Lab.model_validate(located.data)
    except ValidationError as exc:
        raise ProfileError(problems_from(exc, located, Lab)) from None
    loaded = LoadedLab(lab, path, located)
    problems: list[Problem] = []
    for index, bib in enumerate(lab.bibtex):
        file = loaded.resolve(bib)
        if not file.is_file():
            key: tuple[str | int, ...] = ("bibtex", index) if isinstance(located.data.get("bibtex"), list) else ("bibtex",)
            line, col = located.where(key)
            problems.append(Problem(f"no .bib file {file}", str(path), line, col, "bibtex", bib))
    for index, member in enumerate(lab.members):
        file = loaded.member_profile(index)
        if not file.is_file():
            line, col = located.where(("members", index, "profile"))
            loaded.missing[index] = Problem(f"no profile file {file}", str(path), line, col,
                                            f"members[{index}].profile", member.profile)
    if require_profiles:
        problems.extend(loaded.missing.values())
    if problems:
        raise ProfileError(sorted(problems, key=lambda p: (p.line or 0, p.column or 0)))
    return loaded


# ----- selecting papers ---------------------------------------------------------------------------

def publication_date(pub: Publication) -> PartialDate | None:
    """When a paper appeared, as precisely as known."""
    if pub.date is not None and pub.date.start is not None:
        return pub.date.start
    return PartialDate(pub.year) if pub.year else None


def _before(a: PartialDate, b: PartialDate) -> bool:
    """``a`` is strictly before ``b`` at the precision both know (a month is compared only if both have it)."""
    if a.year != b.year:
        return a.year < b.year
    return bool(a.month and b.month and a.month < b.month)


def in_window(pub: Publication, joined: PartialDate | None, left: PartialDate | None) -> bool:
    """True when the paper appeared while the member was in the lab (inclusive at both ends).

    A paper without a year counts as forthcoming: inside an open window, outside a closed one.
    """
    when = publication_date(pub)
    if when is None:
        return left is None
    if joined is not None and _before(when, joined):
        return False
    return not (left is not None and _before(left, when))


def authored_by(pub: Publication, matcher: AuthorMatcher, trust_me: bool = False) -> bool:
    """True when one of the paper's authors is the matcher's person (``me: true`` counts when
    ``trust_me``, i.e. for papers from the person's own profile)."""
    for author in pub.authors:
        flag = getattr(author, "me", None) if trust_me else None
        if flag is True or (flag is None and matcher.is_me(author.name)):
            return True
    return False


def select_publications(pubs: list[Publication], names: list[str], joined: PartialDate | None,
                        left: PartialDate | None, trust_me: bool = False) -> list[Publication]:
    """The papers among ``pubs`` written by ``names`` within the window."""
    matcher = AuthorMatcher(names)
    return [p for p in pubs if in_window(p, joined, left) and authored_by(p, matcher, trust_me)]


def merge_publications(first: list[Publication], more: list[Publication], warnings: Warnings,
                       deduplicate: bool = True) -> list[Publication]:
    """A member's own publications (``first``, their profile's) and the lab's (``more``) as one list,
    merged by the same rule as a profile and its .bib files."""
    from cvrender.context.publications import PubSource, merge_sources

    return merge_sources([PubSource("the profile", first, explicit=True), PubSource("the lab's .bib", more)],
                         warnings, deduplicate)


_bib_cache: dict[tuple[str, int, int], list[Publication]] = {}


def read_bib(path: Path, warnings: Warnings) -> list[Publication]:
    """The publications of a .bib file (parsed once per process while the file is unchanged)."""
    from cvrender.sources.bibtex import load_bibtex

    stat = path.stat()
    key = (str(path), stat.st_size, stat.st_mtime_ns)
    if key not in _bib_cache:
        if len(_bib_cache) > 16:
            _bib_cache.clear()
        _bib_cache[key] = list(load_bibtex(path, warnings))
    return _bib_cache[key]


def apply_member(loaded: LoadedProfile, selection: MemberSelection, warnings: Warnings,
                 theme: str | None = None) -> LoadedProfile:
    """The member's profile with the lab aliases added and their papers from the shared .bib merged in.

    When the lab imposes a ``theme`` other than the profile's own, the profile's design options
    (written for its own theme) are left out; the lab's design applies.
    """
    profile = loaded.profile
    aliases = [a for a in selection.aliases if a not in profile.aliases]
    names = [*profile.all_names, *aliases]
    picked: list[Publication] = []
    for bib in selection.bib_files:
        picked.extend(select_publications(read_bib(bib, warnings), names, selection.joined, selection.left))
    if not picked and selection.bib_files:
        warnings.add(f"{profile.name}: no paper in the lab's .bib lists them as an author within their "
                     "membership window (check 'aliases', 'joined' and 'left' in the lab file)")
    publications = profile.publications.model_copy(
        update={"items": merge_publications(list(profile.publications.items), picked, warnings,
                                            profile.publications.deduplicate)})
    update: dict[str, Any] = {"aliases": [*profile.aliases, *aliases], "publications": publications}
    if theme and profile.theme and profile.theme != theme:
        update["design"] = {}
    return replace(loaded, profile=profile.model_copy(update=update))


# ----- the lab's publication list ----------------------------------------------------------------

@dataclass(frozen=True)
class LabPublications:
    """The lab's de-duplicated papers and every spelling of its members' names."""

    publications: list[Publication]
    member_names: list[str]
    members: list[str]


def lab_publications(loaded: LoadedLab, warnings: Warnings) -> LabPublications:
    """Each member's papers (from the shared .bib and their own profile) within their window, merged."""
    from cvrender.sources.loading import load_profile

    shared: list[Publication] = []
    for bib in loaded.bib_files:
        shared.extend(read_bib(bib, warnings))
    problems: list[Problem] = []
    picked: list[Publication] = []
    names: list[str] = []
    members: list[str] = []
    for index, member in enumerate(loaded.lab.members):
        try:
            profile_loaded = _with_own_bibliographies(load_profile(loaded.member_profile(index)), warnings)
        except ProfileError as exc:
            problems.extend(exc.problems)
            continue
        profile = profile_loaded.profile
        member_names = [*profile.all_names, *member.aliases]
        left = member.left if isinstance(member.left, PartialDate) else None
        mine = [*select_publications(shared, member_names, member.joined, left),
                *select_publications(list(profile.publications.items), member_names, member.joined, left, True)]
        if not mine:
            warnings.add(f"{profile.name}: no paper lists them as an author within their membership window")
        picked.extend(mine)
        names.extend(member_names)
        members.append(profile.name)
    if problems:
        raise ProfileError(problems)
    return LabPublications(merge_publications([], picked, warnings), names, members)


def _with_own_bibliographies(loaded: LoadedProfile, warnings: Warnings) -> LoadedProfile:
    """A member's profile with the .bib files it names merged in."""
    from cvrender.api import with_bibliographies

    return with_bibliographies(loaded, (), warnings)


def lab_context(loaded: LoadedLab, papers: LabPublications, design: dict[str, Any], today: Any,
                warnings: Warnings, locale: str | None = None) -> Any:
    """The render context of the lab's publication list: the lab in the header, one publications
    section with every member's name in bold, and PDF metadata that says what the document is.

    The header, labels and metadata come from a profile made of the lab's details; the list is
    made by the same code as a CV's (selection, de-duplication, grouping, numbering, marks), but
    with a matcher for all members, and without the CV's "is the owner among the authors" checks,
    which do not apply to a list with many owners.
    """
    from cvrender.context.builder import ContextBuilder
    from cvrender.context.publications import choose, publication_section
    from cvrender.context.types import Selection
    from cvrender.model import Profile

    lab = loaded.lab
    options = lab.publications
    data: dict[str, Any] = {"name": lab.name, "headline": lab.headline, "website": lab.website,
                            "email": lab.email, "location": lab.location, "locale": lab.locale or "en",
                            "section_order": ["publications"]}
    if options.title:
        data["titles"] = {"publications": options.title}
    profile = Profile.model_validate({k: v for k, v in data.items() if v not in (None, [])})
    builder = ContextBuilder(profile, Selection(sections=("publications",), locale=locale), design, today, warnings)
    ctx = builder.build()  # the header, labels and metadata; the profile itself lists no papers
    plist = PublicationList.model_validate(options.model_dump(exclude={"title", "items", "bibtex"}))
    plist = plist.model_copy(update={"items": papers.publications})
    title = builder.title("publications")
    section = publication_section("publications", title, choose(plist, None, False, warnings), plist,
                                  AuthorMatcher(papers.member_names), builder.t, Warnings(), lab.name)
    years = sorted({p.year for p in papers.publications if p.year})
    span = f", {years[0]}–{years[-1]}" if len(years) > 1 else (f", {years[0]}" if years else "")
    meta = replace(ctx.meta, title=f"{lab.name} – {title}", author=lab.name,
                   subject=f"{title} of {lab.name}{span} ({len(papers.members)} members)",
                   keywords=tuple(papers.members))
    return replace(ctx, sections=(section,) if section else (), meta=meta)


def publications_file_name(lab_name: str) -> str:
    """``Computational Language Lab`` -> ``Computational_Language_Lab_Publications.pdf``."""
    from cvrender.files import safe_stem

    stem = safe_stem(lab_name).removesuffix("CV").rstrip("_")
    return f"{stem}_Publications.pdf" if stem else "Publications.pdf"


def build_lab_publications(path: str | Path, *, output: str | Path | None = None, theme: str | None = None,
                           backend: str | None = None, engine: str | None = None,
                           design: dict[str, Any] | None = None, today: Any = None,
                           locale: str | None = None) -> Any:
    """Build the lab's publication list as a PDF through the builder's stages (the same format,
    engine, rendering and writing as a CV); returns a :class:`~cvrender.api.BuildResult`."""
    import datetime as _dt
    import time

    from cvrender.api import DEFAULT_THEME, default_backend, default_builder
    from cvrender.theming import find_theme

    start = time.perf_counter()
    warnings = Warnings()
    loaded = load_lab(path)
    lab = loaded.lab
    papers = lab_publications(loaded, warnings)
    builder = default_builder()
    chosen = find_theme(theme or lab.theme or DEFAULT_THEME, [loaded.base_dir / "themes"])
    fmt = builder.output_format(chosen, backend or lab.backend or default_backend(warnings), engine or lab.engine)
    options = chosen.resolve_options(lab.design, design or {})
    ctx = lab_context(loaded, papers, options, today or _dt.date.today(), warnings, locale)
    source = builder.render(fmt, ctx, loaded.base_dir)
    pdf = builder.compile_source(fmt, source, warnings)
    name = publications_file_name(lab.name)
    if output is None:
        target = (loaded.resolve(lab.output) if lab.output else Path.cwd()) / name
    else:
        out = Path(output).expanduser()
        target = out / name if out.is_dir() or str(output).endswith(("/", "\\")) else out
    timings: dict[str, float] = {}
    result = builder.write(fmt, source, pdf, target, False, warnings, timings)
    result.timings["total"] = time.perf_counter() - start
    return result


__all__ = ["Lab", "LabPublications", "LoadedLab", "Member", "MemberSelection", "apply_member",
           "build_lab_publications", "in_window", "lab_context", "lab_publications", "load_lab",
           "merge_publications", "select_publications"]
