"""The render contract: nothing the user wrote is lost, nothing overlaps, nothing leaves the page.

A profile fills every field of the model with a distinct marker (``contract_profile.py`` walks the
pydantic model, so a new field is covered without editing this file). It is built with every
theme and backend of the registries, with values of every layout option (the theme's ``choice``
options: paper, date placement, header layout, section title style; and the publication list's
``venue_style``), in English and in Chinese. For each build:

* every marker of a shown field is in the text pypdf extracts and in the text pdftotext extracts
  (a field that becomes a link target, an account name say, is in a link annotation instead);
* a field the build does not show is named by exactly one warning, unless an option the user set
  hides it (``venue_style: short`` hides the long venue name);
* every link of the profile is a link annotation;
* no two glyphs overlap and no glyph leaves the page (glyph boxes from pdfplumber);
* the build ends in a PDF (the profile is valid; errors for bad input, and their locations, are
  the hostile-profile tests' business).

The normal run samples the option product with Hypothesis (``CVRENDER_CONTRACT_EXAMPLES`` per
theme and backend, default 2); ``nox -s fuzz`` sets ``CVRENDER_CONTRACT_FULL=1`` and builds the
whole product. The run reports how many combinations and fields it checked.
"""

from __future__ import annotations

import itertools
import os
import re
import subprocess
import tempfile
import typing
import unicodedata
from collections import Counter
from pathlib import Path
from typing import Any
from urllib.parse import unquote

import pdfplumber
import pytest
from conftest import TODAY, require_tex, uri_annotations
from contract_profile import HIDDEN, contract_profile
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st
from pypdf import PdfReader
from test_hostile_support import RANDOM_EXAMPLES

from cvrender.api import Builder, BuildOptions
from cvrender.errors import CvrenderError, Warnings
from cvrender.formats.registry import builtin_format_names, format_names
from cvrender.model.publications import PublicationList
from cvrender.theming import Theme, list_themes

FULL = os.environ.get("CVRENDER_CONTRACT_FULL", "") == "1"
EXAMPLES = int(os.environ.get("CVRENDER_CONTRACT_EXAMPLES", "2"))
LOCALES = ("en", "zh")
VENUE_STYLES = tuple(typing.get_args(PublicationList.model_fields["venue_style"].annotation))
REPORT: Counter[str] = Counter()
builder = Builder()


def themes() -> list[Theme]:
    """Every registered theme (the registry decides, not this file)."""
    return list_themes()


def layout_options(theme: Theme) -> dict[str, list[Any]]:
    """The options that change layout: every ``choice`` option of the theme, and the venue style."""
    options = {name: list(spec.choices or []) for name, spec in theme.option_specs.items()
               if spec.type == "choice" and spec.choices}
    options["venue_style"] = list(VENUE_STYLES)
    return options


def formats_of(theme: Theme) -> list[str]:
    """The registered output formats (the format registry decides) that the theme has templates for."""
    return [name for name in format_names() if name in theme.backends()]


def theme_backends() -> list[tuple[str, str]]:
    """(theme, format) for every registered theme and each registered format it has."""
    return [(theme.name, fmt) for theme in themes() for fmt in formats_of(theme)]


def every_combination() -> list[tuple[str, str, tuple[tuple[str, Any], ...], str]]:
    """The whole product: theme x backend x every layout option value x locale."""
    combos = []
    for theme in themes():
        options = layout_options(theme)
        names = sorted(options)
        for backend in formats_of(theme):
            for values in itertools.product(*(options[n] for n in names)):
                for locale in LOCALES:
                    combos.append((theme.name, backend, tuple(zip(names, values, strict=True)), locale))
    return combos


def _key(text: str) -> str:
    """Text compared without case, whitespace, hyphenation or invisible characters."""
    text = unicodedata.normalize("NFKC", text).casefold()
    return re.sub(r"[\s\u00ad\u200b-\u200d\u2060\ufeff-]+", "", text)


def _pypdf_text(pdf: Path) -> str:
    return "\n".join(page.extract_text() for page in PdfReader(pdf).pages)


def _pdftotext(pdf: Path) -> str:
    return subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, check=True).stdout.decode()


def _glyph_problems(pdf: Path) -> list[str]:
    """Overlapping glyphs and glyphs off the page, as readable lines."""
    problems: list[str] = []
    with pdfplumber.open(pdf) as document:
        for number, page in enumerate(document.pages, 1):
            width, height = float(page.width), float(page.height)
            cells: dict[tuple[int, int], list[dict[str, Any]]] = {}
            for char in page.chars:
                if not char["text"].strip():
                    continue
                REPORT["glyphs"] += 1
                x0, x1, top, bottom = char["x0"], char["x1"], char["top"], char["bottom"]
                if x0 < -1 or top < -1 or x1 > width + 1 or bottom > height + 1:
                    problems.append(f"page {number}: '{char['text']}' at ({x0:.0f}, {top:.0f}) leaves the page")
                for cell in {(int(x0 // 20), int(top // 20)), (int(x1 // 20), int(bottom // 20))}:
                    for other in cells.get(cell, []):
                        if other is char:
                            continue
                        dx = min(x1, other["x1"]) - max(x0, other["x0"])
                        dy = min(bottom, other["bottom"]) - max(top, other["top"])
                        if dx <= 0 or dy <= 0:
                            continue
                        smaller = min((x1 - x0) * (bottom - top), (other["x1"] - other["x0"])
                                      * (other["bottom"] - other["top"]))
                        if smaller > 0 and dx * dy > 0.4 * smaller:
                            problems.append(f"page {number}: '{other['text']}' and '{char['text']}' overlap "
                                            f"at ({x0:.0f}, {top:.0f})")
                    cells.setdefault(cell, []).append(char)
    return sorted(set(problems))


def check(theme: str, backend: str, options: dict[str, Any], locale: str) -> None:
    """Build the contract profile once and check every promise of the contract."""
    if backend == "latex":
        require_tex()
    profile, filler = contract_profile()
    design = dict(options)
    venue_style = design.pop("venue_style", "short")
    profile["publications"]["venue_style"] = venue_style
    warnings = Warnings()
    try:
        _, _, pdf, _ = builder.compile(profile, BuildOptions(theme=theme, backend=backend, design=design,
                                                              locale=locale, today=TODAY), warnings)
    except CvrenderError as exc:
        # The contract profile is valid, so it must build. (Errors for bad input are located:
        # the hostile-profile tests check that.)
        pytest.fail(f"{theme}/{backend} {options} {locale}: the build failed: {exc}")
    where = f"{theme}/{backend} {options} {locale}"
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "cv.pdf"
        path.write_bytes(pdf.data)
        texts = {"pypdf": _key(_pypdf_text(path)), "pdftotext": _key(_pdftotext(path))}
        uris = [unquote(u) for u in uri_annotations(path)]
        glyphs = _glyph_problems(path)
    links = _key(" ".join(uris))
    all_options = {**options, "venue_style": venue_style}
    missing: list[str] = []
    for item in filler.fields:
        hidden = HIDDEN.get((item.model, item.name))
        if hidden and hidden[0](all_options):
            continue
        found = [name for name, text in texts.items() if _key(item.marker) in text]
        if item.kind != "text" and _key(item.marker) in links:
            continue
        if len(found) < len(texts):
            missing.append(f"{item.model}.{item.name} ({item.marker}) not in {sorted(set(texts) - set(found))}")
    problems = [f"field lost: {m}" for m in missing]
    for (model, name), (applies, word) in HIDDEN.items():
        if word and applies(all_options) and any(f.model == model and f.name == name for f in filler.fields):
            named = [w for w in warnings.items if word in w]
            if len(named) != 1:
                problems.append(f"{model}.{name} is not shown: expected one warning naming it, got {named}")
    problems += [f"link without an annotation: {url}" for url in filler.urls if url not in uris]
    problems += glyphs
    REPORT["combinations"] += 1
    REPORT["fields"] += len(filler.fields)
    REPORT["links"] += len(filler.urls)
    assert not problems, f"{where}: {len(problems)} problems:\n" + "\n".join(problems[:30])

DERANDOMIZE = not RANDOM_EXAMPLES  # a fixed sample, everywhere, unless new examples are asked for

SETTINGS = settings(max_examples=EXAMPLES, deadline=None, database=None, derandomize=DERANDOMIZE,
                    phases=[Phase.explicit, Phase.generate],
                    suppress_health_check=list(HealthCheck))


@pytest.mark.slow  # about a minute of CPU in all: in `nox -s tests` and CI, not in `nox -s fast`
@pytest.mark.parametrize(("theme", "backend"), theme_backends())
@SETTINGS
@given(data=st.data())
def test_render_contract_sampled(theme: str, backend: str, data: st.DataObject) -> None:
    """A sample of the option product for each theme and backend."""
    options = {name: data.draw(st.sampled_from(values), label=name)
               for name, values in sorted(layout_options(next(t for t in themes() if t.name == theme)).items())}
    locale = data.draw(st.sampled_from(LOCALES), label="locale")
    check(theme, backend, options, locale)


@pytest.mark.slow
def _combo_id(combo: tuple[str, str, tuple[tuple[str, Any], ...], str] | None) -> str:
    """``academic-typst-date_placement=left-...-zh``: select a part with ``-k`` (``nox -s fuzz -- -k typst``)."""
    if combo is None:
        return "skipped"
    theme, backend, options, locale = combo
    return "-".join([theme, backend, *(f"{name}={value}" for name, value in options), locale])


@pytest.mark.parametrize("combo", every_combination() if FULL else [None], ids=_combo_id)
def test_render_contract_full_product(combo: tuple[str, str, tuple[tuple[str, Any], ...], str] | None) -> None:
    """Every combination (``nox -s fuzz``; skipped otherwise)."""
    if combo is None:
        pytest.skip("the full product runs with CVRENDER_CONTRACT_FULL=1 (nox -s fuzz)")
    theme, backend, options, locale = combo
    check(theme, backend, dict(options), locale)


def test_every_built_in_theme_has_every_built_in_format() -> None:
    """The contract covers theme x format; a built-in theme that lacks a built-in format would
    leave that pair unchecked, so it is an error here rather than a silent gap."""
    for theme in themes():
        if theme.origin == "built-in":
            assert set(builtin_format_names()) <= set(theme.backends()), theme.name


def test_the_contract_profile_fills_every_field_of_the_model() -> None:
    """The generator reaches every model: a new text field gets a marker without editing it."""
    from contract_profile import ALTERNATIVES, CONFIG_FIELDS
    from pydantic import BaseModel

    from cvrender.model import Profile

    _, filler = contract_profile(entries=1)
    filled = {(f.model, f.name) for f in filler.fields}
    seen: set[type[BaseModel]] = set()

    def models(model: type[BaseModel]) -> None:
        if model in seen:
            return
        seen.add(model)
        for info in model.model_fields.values():
            for inner in _types(info.annotation):
                if isinstance(inner, type) and issubclass(inner, BaseModel):
                    models(inner)

    models(Profile)
    for model in seen:
        for name, info in model.model_fields.items():
            kinds = set(_types(info.annotation))
            if not kinds & {str} or (model.__name__, name) in CONFIG_FIELDS:
                continue
            if any((cls.__name__, name) in ALTERNATIVES for cls in model.__mro__):
                continue
            if model.__name__ in ("PublicationList", "Variant", "PublicationsOptions"):
                continue
            assert (model.__name__, name) in filled, f"{model.__name__}.{name} is not filled by the generator"


def _types(annotation: Any) -> list[Any]:
    """Every type named inside an annotation (through Optional, Annotated, list, dict)."""
    out = [annotation]
    for arg in typing.get_args(annotation):
        out.extend(_types(arg))
    if typing.get_origin(annotation) is typing.Annotated:
        out.extend(_types(annotation.__origin__))
    return out
