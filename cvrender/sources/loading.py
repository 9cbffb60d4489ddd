"""Load a profile file (YAML, JSON, JSON Resume or RenderCV) into a validated :class:`Profile`."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from cvrender.errors import Problem, ProfileError
from cvrender.model import Profile
from cvrender.sources.localize import localize
from cvrender.sources.validation import problems_from
from cvrender.sources.yamlfile import Located, load_file, load_located, refuse_tags


@dataclass(frozen=True)
class LoadedProfile:
    """A validated profile and where it came from (its folder anchors relative paths)."""

    profile: Profile
    path: Path | None
    located: Located | None = None
    warnings: tuple[str, ...] = ()

    @property
    def base_dir(self) -> Path:
        """The folder relative paths in the profile are read from."""
        return self.path.parent.resolve() if self.path else Path.cwd()


def validate_data(located: Located) -> Profile:
    """Validate located data as a :class:`Profile`, reporting every problem at once."""
    data = located.data
    if not isinstance(data, dict):
        line, col = located.where(())
        raise ProfileError(Problem(
            f"a profile must be a mapping of keys (name:, education:, ...), not {type(data).__name__}",
            located.file, line, col))
    try:
        return Profile.model_validate(data)
    except ValidationError as exc:
        raise ProfileError(problems_from(exc, located, Profile)) from None


def load_profile(source: str | Path | dict[str, Any] | Profile, locale: str | None = None) -> LoadedProfile:
    """Load a profile from a path, a dict, or an existing :class:`Profile`, in ``locale``."""
    if isinstance(source, Profile):
        return LoadedProfile(source, None)
    if isinstance(source, dict):
        located, notes = localize(Located(source, "<dict>"), locale)
        return LoadedProfile(validate_data(located), None, located, tuple(notes))
    path = Path(source)
    raw = load_file(path, keep_tags=True)
    from cvrender.sources import jsonresume, rendercv

    if rendercv.looks_like_rendercv(raw.data):
        converted = rendercv.convert(raw, locale)
        return LoadedProfile(converted.profile, path, converted.located, tuple(converted.warnings))
    refuse_tags(raw)
    located, notes = localize(raw, locale)
    if jsonresume.looks_like_jsonresume(located.data):
        converted = jsonresume.convert(located, locale)
        return LoadedProfile(converted.profile, path, converted.located, tuple(notes + converted.warnings))
    return LoadedProfile(validate_data(located), path, located, tuple(notes))


def load_text(text: str, file: str = "<string>") -> LoadedProfile:
    """Load a profile from YAML/JSON text."""
    located, notes = localize(load_located(text, file))
    return LoadedProfile(validate_data(located), None, located, tuple(notes))
