"""The documentation: the profile field reference covers the whole model, and users can find it."""

from __future__ import annotations

import importlib.util
import re
from pathlib import Path
from typing import Any

import yaml
from conftest import ROOT

from cvrender.model import Profile
from cvrender.tools.starter import starter_profile

REFERENCE_URL = "https://cvrender.org/reference/profile/"


def _hook() -> Any:
    spec = importlib.util.spec_from_file_location("profile_reference", ROOT / "docs" / "_hooks" / "profile_reference.py")
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_the_field_reference_has_every_field_of_every_model_with_type_default_and_example() -> None:
    page = _hook().reference_markdown(measure=False)
    sections = dict(re.findall(r"^## (\w+)\n(.*?)(?=^## |\Z)", page, re.S | re.M))
    defs = Profile.model_json_schema()["$defs"]
    assert set(defs) | {"Profile"} <= set(sections)
    for name, schema in [("Profile", Profile.model_json_schema()), *defs.items()]:
        if "properties" not in schema:
            continue
        rows = [line for line in sections[name].splitlines() if line.startswith("| `")]
        keys = {re.match(r"\| `([^`]+)`", row).group(1) for row in rows}  # type: ignore[union-attr]
        assert keys == set(schema["properties"]), name
        for row in rows:
            cells = [cell.strip() for cell in row.strip("|").split(" | ")]
            assert len(cells) == 6 and cells[1] and cells[2] and cells[4] != "–", row


def test_a_field_without_an_example_stops_the_docs_build(monkeypatch: Any, tmp_path: Path) -> None:
    hook = _hook()
    data = yaml.safe_load((ROOT / "examples" / "full.yaml").read_text(encoding="utf-8"))
    del data["phone"]
    example = tmp_path / "full.yaml"
    example.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    monkeypatch.setattr(hook, "EXAMPLE", example)
    try:
        hook.reference_markdown(measure=False)
    except RuntimeError as exc:
        assert "Profile.phone" in str(exc)
    else:
        raise AssertionError("a field with no example went unnoticed")


def test_readme_and_the_starter_profile_link_to_the_field_reference() -> None:
    assert REFERENCE_URL in starter_profile("Ada Lovelace", "Ada_Lovelace_CV.yaml")
    assert "profile field reference" in (ROOT / "README.md").read_text(encoding="utf-8").lower()
    nav = yaml.safe_load((ROOT / "mkdocs.yml").read_text(encoding="utf-8"))["nav"]
    assert {"Profile field reference": "reference/profile.md"} in nav


def test_every_page_in_docs_is_in_the_site_navigation() -> None:
    nav = yaml.safe_load((ROOT / "mkdocs.yml").read_text(encoding="utf-8"))["nav"]
    listed = {page for item in nav for page in item.values()}
    pages = {str(p.relative_to(ROOT / "docs")) for p in (ROOT / "docs").rglob("*.md") if "_hooks" not in p.parts}
    assert pages <= listed
