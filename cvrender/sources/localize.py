"""Multi-language fields: pick one language from ``{en: ..., zh: ...}`` before validation.

A profile may hold a value in several languages, as a mapping whose keys are all language codes
(``en``, ``zh``, ``zh-Hant``, ``de_AT``...). :func:`localize` replaces every such mapping with the
value for the wanted locale, keeping the line and column of what it picked, so that validation
errors still point into the file. One profile then yields an English and a Chinese CV.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from cvrender.sources.yamlfile import Located, Path_

# ISO 639-1 codes of languages a CV is plausibly written in. A closed list (rather than every
# code Babel knows) keeps ordinary keys such as ``doi`` or ``pdf`` from looking like languages.
LANGUAGES = frozenset(
    ["af", "ar", "az", "be", "bg", "bn", "bs", "ca", "cs", "cy", "da", "de", "el", "en", "eo", "es", "et", "eu", "fa", "fi", "fil", "fr", "ga", "gl", "gu", "he", "hi", "hr", "hu", "hy", "id", "is", "it", "ja", "ka", "kk", "km", "kn", "ko", "ky", "lo", "lt", "lv", "mk", "ml", "mn", "mr", "ms", "mt", "my", "nb", "ne", "nl", "nn", "no", "pa", "pl", "ps", "pt", "ro", "ru", "si", "sk", "sl", "sq", "sr", "sv", "sw", "ta", "te", "th", "tl", "tr", "uk", "ur", "uz", "vi", "yue", "zh", "zu"]
)

_CODE = re.compile(r"^([A-Za-z]{2,3})(?:[-_]([A-Za-z]{4}))?(?:[-_]([A-Za-z]{2}|\d{3}))?$")

# Mappings whose keys are names the user chose (a variant called "en" is not an English text).
_NAMED_KEYS: frozenset[Path_] = frozenset({("variants",)})

_HANT_REGIONS = {"TW", "HK", "MO"}


@dataclass(frozen=True)
class LanguageTag:
    """A parsed language code: language, script and region (script inferred for Chinese)."""

    language: str
    script: str | None
    region: str | None

    @classmethod
    def parse(cls, code: object) -> LanguageTag | None:
        """``zh-Hant-TW`` -> LanguageTag("zh", "Hant", "TW"); None when it is not a language code."""
        if not isinstance(code, str):
            return None
        match = _CODE.match(code.strip())
        if not match or match.group(1).lower() not in LANGUAGES:
            return None
        language = match.group(1).lower()
        script = match.group(2).title() if match.group(2) else None
        region = match.group(3).upper() if match.group(3) else None
        if language == "zh" and script is None:
            script = "Hant" if region in _HANT_REGIONS else "Hans"
        return cls(language, script, region)


def is_language_map(value: Any) -> bool:
    """True for a non-empty mapping whose keys are all language codes."""
    return (isinstance(value, dict) and bool(value)
            and all(LanguageTag.parse(key) is not None for key in value))


def choose_key(keys: Iterable[Any], wanted: str) -> tuple[Any, bool]:
    """The key to use for locale ``wanted``, and whether it is in the wanted language.

    Same language first (same script, then same region, then the plain code), else English,
    else the first key.
    """
    keys = list(keys)
    target = LanguageTag.parse(wanted) or LanguageTag("en", None, None)
    best: tuple[int, Any] | None = None
    for key in keys:
        tag = LanguageTag.parse(key)
        if tag is None or tag.language != target.language:
            continue
        score = 0
        if target.script and tag.script == target.script:
            score += 4
        if target.region and tag.region == target.region:
            score += 2
        if tag.region is None:
            score += 1
        if best is None or score > best[0]:
            best = (score, key)
    if best is not None:
        return best[1], True
    for key in keys:
        tag = LanguageTag.parse(key)
        if tag is not None and tag.language == "en":
            return key, False
    return keys[0], False


def wanted_locale(located: Located, locale: str | None) -> str:
    """The locale to pick: the one asked for, else the profile's ``locale:``, else English."""
    if locale:
        return locale
    data = located.data
    if isinstance(data, dict):
        value = data.get("locale")
        if isinstance(value, str) and value.strip():
            return value.strip()
        if is_language_map(value):
            # ``locale: {en: en, zh: zh}`` makes no sense; fall back quietly.
            return "en"
    return "en"


def _has_language_map(value: Any, path: Path_) -> bool:
    if isinstance(value, dict):
        if path not in _NAMED_KEYS and is_language_map(value):
            return True
        return any(_has_language_map(v, path + (k,)) for k, v in value.items())
    if isinstance(value, list):
        return any(_has_language_map(v, path + (i,)) for i, v in enumerate(value))
    return False


class _Picker:
    """Rebuilds the data with one language chosen, carrying positions to the new paths."""

    def __init__(self, source: Located, wanted: str):
        self.source = source
        self.wanted = wanted
        self.result = Located(None, source.file)
        self.notes: list[str] = []
        self.wanted_language = (LanguageTag.parse(wanted) or LanguageTag("en", None, None)).language

    def copy_position(self, src: Path_, dst: Path_) -> None:
        if src in self.source.values:
            self.result.values.setdefault(dst, self.source.values[src])

    def walk(self, value: Any, src: Path_, dst: Path_) -> Any:
        while src not in _NAMED_KEYS and is_language_map(value):
            key, same_language = choose_key(value, self.wanted)
            if not same_language:
                self.note(src, value, key)
            value = value[key]
            src = src + (key,)
        self.copy_position(src, dst)
        if isinstance(value, dict):
            out: dict[Any, Any] = {}
            for key, item in value.items():
                if src + (key,) in self.source.keys:
                    self.result.keys[dst + (key,)] = self.source.keys[src + (key,)]
                out[key] = self.walk(item, src + (key,), dst + (key,))
            return out
        if isinstance(value, list):
            return [self.walk(item, src + (i,), dst + (i,)) for i, item in enumerate(value)]
        return value

    def note(self, src: Path_, value: dict[Any, Any], key: Any) -> None:
        from cvrender.sources.validation import format_path

        line, col = self.source.where(src)
        where = ":".join(str(x) for x in (self.source.file, line, col) if x is not None)
        have = ", ".join(str(k) for k in value)
        self.notes.append(f"{where}: {format_path(src) or '(top level)'} has no '{self.wanted_language}' "
                          f"text (it has {have}); using '{key}'")


def localize(located: Located, locale: str | None = None) -> tuple[Located, list[str]]:
    """Pick the wanted language in every multi-language mapping; returns new data and notes.

    ``locale`` is the build's locale (``--locale``); without it the profile's ``locale:`` is
    used. Data without multi-language mappings is returned unchanged.
    """
    if not _has_language_map(located.data, ()):
        return located, []
    picker = _Picker(located, wanted_locale(located, locale))
    picker.result.data = picker.walk(located.data, (), ())
    if () in located.values:
        picker.result.values[()] = located.values[()]
    return picker.result, picker.notes


__all__ = ["LanguageTag", "choose_key", "is_language_map", "localize"]
