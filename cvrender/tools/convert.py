"""Convert between cvrender profiles (YAML/JSON) and JSON Resume, listing what does not carry over."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

import yaml

from cvrender.errors import UsageError, Warnings
from cvrender.sources import jsonresume
from cvrender.sources.loading import LoadedProfile, load_profile
from cvrender.sources.localize import localize
from cvrender.sources.yamlfile import load_file

Format = Literal["jsonresume", "yaml", "json"]
FORMATS: tuple[str, ...] = ("jsonresume", "yaml", "json")


@dataclass
class Converted:
    """The converted document as text, and every field that could not be carried over."""

    text: str
    format: str
    lost: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)


def _merged(loaded: LoadedProfile, notes: list[str]) -> LoadedProfile:
    """Publications from the profile's .bib files, when the BibTeX reader is available."""
    files = [loaded.base_dir / b for b in loaded.profile.publications.bibtex]
    if not files:
        return loaded
    try:
        from cvrender.sources.bibtex import merge_bibtex
    except ImportError:
        return loaded
    warnings = Warnings()
    merged = merge_bibtex(loaded, files, warnings)
    notes.extend(warnings.items)
    return merged


def profile_data(source: str | Path, locale: str | None = None) -> tuple[dict[str, Any], list[str], list[str]]:
    """The validated profile data of a cvrender or JSON Resume file in ``locale``; what was lost; notes."""
    path = Path(source)
    located, notes = localize(load_file(path), locale)
    if jsonresume.looks_like_jsonresume(located.data):
        conversion = jsonresume.convert(located, locale)
        return conversion.data, conversion.warnings, notes
    load_profile(path, locale)  # validates, with every problem located
    return located.data, [], notes


def dump_yaml(data: dict[str, Any]) -> str:
    """Readable YAML: block style, keys in their order, Unicode kept."""
    return yaml.safe_dump(data, sort_keys=False, allow_unicode=True, default_flow_style=False, width=100)


def convert(source: str | Path, to: str, locale: str | None = None) -> Converted:
    """Convert the profile or JSON Resume file ``source`` to ``jsonresume``, ``yaml`` or ``json``.

    ``yaml``/``json`` write a cvrender profile (from either input); ``jsonresume`` writes a
    JSON Resume 1.0 document from a cvrender profile. ``locale`` picks one language of
    multi-language fields.
    """
    if to not in FORMATS:
        raise UsageError(f"cannot convert to '{to}'; choose one of {', '.join(FORMATS)}")
    path = Path(source)
    if to == "jsonresume":
        located = load_file(path)
        if jsonresume.looks_like_jsonresume(located.data):
            raise UsageError(f"{path} is already a JSON Resume document")
        notes: list[str] = []
        loaded = _merged(load_profile(path, locale), notes)
        notes = list(loaded.warnings) + notes
        document, lost = jsonresume.from_profile(loaded.profile)
        return Converted(json.dumps(document, indent=2, ensure_ascii=False) + "\n", to, lost, notes)
    data, lost, notes = profile_data(path, locale)
    if locale:
        data = {**data, "locale": locale}  # the profile now holds that one language: build in it
    if to == "yaml":
        return Converted(dump_yaml(data), to, lost, notes)
    return Converted(json.dumps(data, indent=2, ensure_ascii=False) + "\n", to, lost, notes)


__all__ = ["Converted", "convert", "dump_yaml", "profile_data"]
