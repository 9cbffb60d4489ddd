"""Convert between cvrender profiles (YAML/JSON) and JSON Resume, and from RenderCV, listing what does
not carry over."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

import yaml

from cvrender.errors import UsageError, Warnings
from cvrender.sources import jsonresume, rendercv
from cvrender.sources.loading import LoadedProfile, load_profile
from cvrender.sources.localize import localize
from cvrender.sources.yamlfile import load_file, refuse_tags

Format = Literal["jsonresume", "yaml", "json"]
FORMATS: tuple[str, ...] = ("jsonresume", "yaml", "json")
INPUT_FORMATS: tuple[str, ...] = ("cvrender", "jsonresume", "rendercv")


@dataclass
class Converted:
    """The converted document as text, and every field that could not be carried over."""

    text: str
    format: str
    lost: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)


def _merged(loaded: LoadedProfile, notes: list[str]) -> LoadedProfile:
    """Publications from the profile's .bib files, merged with its own as a build merges them."""
    if not loaded.profile.publications.bibtex:
        return loaded
    from cvrender.api import with_bibliographies

    warnings = Warnings()
    merged = with_bibliographies(loaded, (), warnings)
    notes.extend(warnings.items)
    return merged


def input_format(data: Any) -> str:
    """Which input format plain data is written in: ``rendercv``, ``jsonresume`` or ``cvrender``."""
    if rendercv.looks_like_rendercv(data):
        return "rendercv"
    if jsonresume.looks_like_jsonresume(data):
        return "jsonresume"
    return "cvrender"


def profile_data(source: str | Path, locale: str | None = None,
                 source_format: str = "auto") -> tuple[dict[str, Any], list[str], list[str]]:
    """The validated profile data of a cvrender, JSON Resume or RenderCV file in ``locale``; what was
    lost; notes. ``source_format`` (default: recognised from the content) says which format it is."""
    path = Path(source)
    raw = load_file(path, keep_tags=True)
    found = input_format(raw.data)
    wanted = found if source_format == "auto" else source_format
    if wanted != found:
        names = {"rendercv": "a RenderCV file (cv: with sections:)", "jsonresume": "a JSON Resume (basics:)",
                 "cvrender": "a cvrender profile (name:)"}
        raise UsageError(f"{path} is not {names.get(wanted, wanted)}; it reads as {names[found]}")
    if found == "rendercv":
        conversion = rendercv.convert(raw, locale)
        return conversion.data, conversion.warnings, []
    refuse_tags(raw)
    located, notes = localize(raw, locale)
    if found == "jsonresume":
        conversion = jsonresume.convert(located, locale)
        return conversion.data, conversion.warnings, notes
    load_profile(path, locale)  # validates, with every problem located
    return located.data, [], notes


def dump_yaml(data: dict[str, Any]) -> str:
    """Readable YAML: block style, keys in their order, Unicode kept."""
    return yaml.safe_dump(data, sort_keys=False, allow_unicode=True, default_flow_style=False, width=100)


def convert(source: str | Path, to: str, locale: str | None = None, source_format: str = "auto") -> Converted:
    """Convert the profile, JSON Resume or RenderCV file ``source`` to ``jsonresume``, ``yaml`` or ``json``.

    ``yaml``/``json`` write a cvrender profile (from any input); ``jsonresume`` writes a
    JSON Resume 1.0 document from a cvrender profile or a RenderCV file. ``locale`` picks one
    language of multi-language fields; ``source_format`` (``auto``, ``cvrender``, ``jsonresume``,
    ``rendercv``) insists on one input format.
    """
    if to not in FORMATS:
        raise UsageError(f"cannot convert to '{to}'; choose one of {', '.join(FORMATS)}")
    if source_format not in ("auto", *INPUT_FORMATS):
        raise UsageError(f"cannot convert from '{source_format}'; choose one of {', '.join(INPUT_FORMATS)}")
    path = Path(source)
    if to == "jsonresume":
        located = load_file(path, keep_tags=True)
        if source_format not in ("auto", input_format(located.data)):
            profile_data(path, locale, source_format)  # says what the file is instead
        if jsonresume.looks_like_jsonresume(located.data):
            raise UsageError(f"{path} is already a JSON Resume document")
        notes: list[str] = []
        loaded = _merged(load_profile(path, locale), notes)
        notes = list(loaded.warnings) + notes
        document, lost = jsonresume.from_profile(loaded.profile)
        return Converted(json.dumps(document, indent=2, ensure_ascii=False) + "\n", to, lost, notes)
    data, lost, notes = profile_data(path, locale, source_format)
    if locale:
        data = {**data, "locale": locale}  # the profile now holds that one language: build in it
    if to == "yaml":
        return Converted(dump_yaml(data), to, lost, notes)
    return Converted(json.dumps(data, indent=2, ensure_ascii=False) + "\n", to, lost, notes)


__all__ = ["Converted", "convert", "dump_yaml", "profile_data"]
