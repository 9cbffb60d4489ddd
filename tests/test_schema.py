"""The JSON Schema of profiles: committed, current, and in agreement with the model."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import Any

import jsonschema
import pytest
from click.testing import CliRunner
from conftest import ROOT, example_profiles
from pydantic import ValidationError

from cvrender.cli import main
from cvrender.model import Profile
from cvrender.sources.yamlfile import load_file, load_located
from cvrender.tools.schema import profile_schema

COMMITTED = ROOT / "schema" / "profile.schema.json"


@pytest.fixture(scope="module")
def validator() -> jsonschema.Draft202012Validator:
    schema = profile_schema()
    jsonschema.Draft202012Validator.check_schema(schema)
    return jsonschema.Draft202012Validator(schema)


def as_editor_reads(value: Any) -> Any:
    """YAML 1.2 (what editors use) keeps ``2020-09-01`` as text; PyYAML makes it a date."""
    if isinstance(value, dict):
        return {k: as_editor_reads(v) for k, v in value.items()}
    if isinstance(value, list):
        return [as_editor_reads(v) for v in value]
    if isinstance(value, dt.date):
        return value.isoformat()
    return value


def test_the_committed_schema_is_the_generated_one() -> None:
    result = CliRunner().invoke(main, ["schema"])
    assert result.exit_code == 0
    assert json.loads(result.stdout) == profile_schema()
    assert COMMITTED.read_text(encoding="utf-8") == result.stdout, (
        "schema/profile.schema.json is stale; run: cvrender schema -o schema/profile.schema.json")


def test_schema_writes_to_a_file(tmp_path: Path) -> None:
    target = tmp_path / "s" / "profile.schema.json"
    result = CliRunner().invoke(main, ["schema", "-o", str(target)])
    assert result.exit_code == 0
    assert json.loads(target.read_text(encoding="utf-8"))["title"] == "cvrender profile"


@pytest.mark.parametrize("path", example_profiles(), ids=lambda p: p.name)
def test_every_example_validates_under_jsonschema(path: Path, validator: jsonschema.Draft202012Validator) -> None:
    data = as_editor_reads(load_file(path).data)
    errors = [f"{list(e.absolute_path)}: {e.message[:200]}" for e in validator.iter_errors(data)]
    assert errors == []


@pytest.mark.parametrize("path", example_profiles(), ids=lambda p: p.name)
def test_an_example_with_an_unknown_key_fails(path: Path, validator: jsonschema.Draft202012Validator) -> None:
    data = as_editor_reads(load_file(path).data)
    data["nmae"] = "typo"
    assert not validator.is_valid(data)


AGREE_VALID = [
    "name: A",
    "name: A\nemail: a@b.org",
    "name: A\nemails: [a@b.org, c@d.org]",
    "name: A\nsummary: Hi",
    "name: A\nabout: Hi",
    "name: A\ninterests: NLP",
    "name: A\ninterests: [NLP, {label: ML, items: [a, b]}, {label: X, items: c}]",
    "name: A\neducation: [{institution: X, advisors: B, thesis: T, gpa: 3.9, highlights: one}]",
    "name: A\neducation: [{institution: X, advisors: [{name: B, url: https://b.org}], thesis: {title: T}}]",
    "name: A\nexperience: [{organisation: X, date: 2020 - present}]",
    "name: A\nexperience: [{organization: X, start: 2020, end: present}]",
    "name: A\npublications: [{title: T, authors: 'A*, B', note: Oral, links: {PDF: https://a.org}}]",
    "name: A\npublications: {group_by: year, items: [{title: T, authors: [{name: A, roles: equal}], notes: [x]}]}",
    "name: A\npublications: {items: [{title: T, links: [{label: PDF, url: https://a.org}], volume: 3}]}",
    "name: A\nawards: [{title: T, year: 2019}, {title: U, years: [2018, 2019]}, {title: V, years: 2017-2019}]",
    "name: A\nskills: [{category: C, items: 'a, b'}, {category: D, items: [a]}]",
    "name: A\nsections: [{title: G, entries: [line, {title: T, date: 2020}]}]",
    "name: A\nlinks: {google_scholar: x, github: y2}",
    "name: A\nheadline: {en: PhD student, zh: 博士生}",
    "name: A\nvariants: {en: {sections: [education]}}",
    "name: A\neducation:",
]
AGREE_INVALID = [
    "nmae: A",
    "name: A\neducation: [{institution: X, degre: Y}]",
    "name: A\neducation: [{degree: Y}]",
    "name: A\nexperience: [{organisation: X, organization: Y}]",
    "name: A\nexperience: [{role: X}]",
    "name: A\npublications: [{title: T, yeer: 2020}]",
    "name: A\npublications: {items: [], group_by: decade}",
    "name: A\nawards: [{title: T, year: 2019, years: [2019]}]",
    "name: A\nservice: [{role: R, venue: V, kind: magazine}]",
    "name: A\nlinks: {githb: x}",
    "name: A\nlinks: {google_scholar: x, scholar: y}",
    "name: A\nvariants: {short: {sectionz: []}}",
    "name: A\neducation: MIT",
    "name: [A]",
]


@pytest.mark.parametrize("text", AGREE_VALID)
def test_schema_accepts_what_the_model_accepts(text: str, validator: jsonschema.Draft202012Validator) -> None:
    data = as_editor_reads(load_located(text + "\n", "cv.yaml").data)
    if "headline" not in data or not isinstance(data["headline"], dict):  # language maps are picked at load time
        Profile.model_validate(data)
    errors = [e.message[:200] for e in validator.iter_errors(data)]
    assert errors == []


@pytest.mark.parametrize("text", AGREE_INVALID)
def test_schema_refuses_what_the_model_refuses(text: str, validator: jsonschema.Draft202012Validator) -> None:
    data = as_editor_reads(load_located(text + "\n", "cv.yaml").data)
    with pytest.raises(ValidationError):
        Profile.model_validate(data)
    assert not validator.is_valid(data)


def test_schema_describes_fields_for_editors() -> None:
    schema = profile_schema()
    education = schema["$defs"]["Education"]["properties"]
    assert "School or department" in json.dumps(education["department"])
    assert set(schema["$defs"]["Experience"]["properties"]) >= {"organization", "organisation"}
