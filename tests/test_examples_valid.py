"""The example profiles: valid, editor-ready, faithful to the CVs they transcribe, and (full.yaml)
a tour of every field of the model."""

from __future__ import annotations

import re
from collections import defaultdict
from pathlib import Path
from typing import Any

import pytest
from conftest import EXAMPLES, example_profiles
from pydantic import BaseModel

from cvrender.model import Profile
from cvrender.model.publications import Publication
from cvrender.sources.loading import load_profile
from cvrender.tools.schema import _all_models

SEEDS = Path("/work/shared/seeds")
SCHEMA_LINE = "# yaml-language-server: $schema=../schema/profile.schema.json"
TRANSCRIBED = ["runxin_xu.yaml", "xinxin_liu.yaml", "fuzhao_xue.yaml"]


def seed(name: str) -> str:
    path = SEEDS / name
    if not path.exists():
        pytest.skip(f"the seed CVs are not on this machine ({SEEDS})")
    return path.read_text(encoding="utf-8")


def profile(name: str) -> Profile:
    return load_profile(EXAMPLES / name).profile


@pytest.mark.parametrize("path", example_profiles(), ids=lambda p: p.name)
def test_examples_load_and_point_editors_at_the_schema(path: Path) -> None:
    assert path.read_text(encoding="utf-8").splitlines()[0] == SCHEMA_LINE
    load_profile(path)


@pytest.mark.parametrize("name", TRANSCRIBED)
def test_real_people_have_no_phone_numbers(name: str) -> None:
    text = (EXAMPLES / name).read_text(encoding="utf-8")
    assert profile(name).phone is None
    assert not re.search(r"\+?\d[\d ()-]{8,}\d", re.sub(r"https?://\S+|\d{4}\.\d{5}", "", text))


def test_runxin_xu_header_awards_and_teaching() -> None:
    p = profile("runxin_xu.yaml")
    assert (p.name, p.native_name) == ("Runxin Xu", "许润昕")
    awards = {a.title: (a.years, a.native_title) for a in p.awards}
    assert awards["National scholarship"] == ([2018, 2019, 2021], None)
    assert awards["Cyrus Tang Scholarship"] == ([2018, 2019], "唐仲英德育奖学金")
    assert awards["Arawana scholarship"] == ([2017], "金龙鱼奖学金")
    assert awards["华泰证券科技奖学金"] == ([2022], None)
    assert awards["B-class scholarship in Shanghai Jiao Tong University"][0] == [2017, 2019]
    (course,) = p.teaching
    assert (course.course, course.role, str(course.date)) == (
        "Introduction to Computing (Category C)", "Teaching Assistant", "Fall 2020")
    ms = p.experience[-1]
    assert [(a.name, a.url) for a in ms.advisors] == [
        ("Rome Li", "https://github.com/akaroml"), ("Jinbo Wang", "https://github.com/testforstephen"),
        ("Yan Zhang", "https://github.com/Eskibear")]


def test_runxin_xu_awards_match_the_seed() -> None:
    text = seed("000_798aa8203ab655b8.txt")
    shown = text.split("# Hornors & Awards", 1)[1].split("-->", 1)[1].split("---", 1)[0]
    years_in_seed = [sorted(int(y) for y in re.findall(r"\*(\d{4})\*", line))
                     for line in shown.splitlines() if line.startswith("- ")]
    assert [a.years for a in profile("runxin_xu.yaml").awards] == years_in_seed


def _seed_runxin_publications() -> list[dict[str, Any]]:
    text = seed("000_798aa8203ab655b8.txt")
    block = text.split("# Publications and Manuscripts", 1)[1].split("# Hornors", 1)[0]
    entries = []
    for chunk in re.split(r"\n\s*\n", block):
        lines = [line.rstrip(" \\").strip() for line in chunk.strip().splitlines()]
        if len(lines) < 3 or "means equal contribution" in chunk:
            continue
        links = re.findall(r"\\\[\[([^\]]+)\]\(([^)]+)\)\\\]", lines[0])
        title = re.sub(r"\\\[\[[^\]]+\]\([^)]+\)\\\]", "", lines[0]).strip().rstrip(".")
        title = title.replace("S<sup>4</sup>", "S⁴")
        authors = []
        for author in lines[1].rstrip(".").split(", "):
            equal = author.endswith("<sup>*</sup>")
            authors.append((author.replace("<sup>*</sup>", "").replace("**", "").strip(), equal))
        entries.append({"title": title, "authors": authors, "links": links, "venue": lines[2],
                        "notes": "\n".join(lines[3:])})
    return entries


def test_runxin_xu_publications_lose_nothing() -> None:
    expected = _seed_runxin_publications()
    pubs = profile("runxin_xu.yaml").publications.items
    assert len(expected) == len(pubs) == 19
    for want, pub in zip(expected, pubs, strict=True):
        assert pub.title == want["title"]
        assert [(a.name, "equal" in a.roles) for a in pub.authors] == want["authors"], pub.title
        assert [(link.label, link.url) for link in pub.links] == want["links"], pub.title
        venue = pub.venue_short or pub.venue or ""
        assert re.sub(r"\W", "", want["venue"]).startswith(re.sub(r"\W", "", f"{venue}{pub.year or ''}")[:8])
        if "(Oral)" in want["venue"]:
            assert "Oral" in pub.notes, pub.title
        if want["notes"]:
            assert "first place" in pub.notes[0] and "2020.wmt-1.78.pdf" in pub.notes[0]


def _seed_fuzhao_publications() -> list[tuple[str, list[tuple[str, bool]]]]:
    text = seed("004_8b66471d27b0d51b.txt")
    block = text.split("PUBLICATION\n", 1)[1]
    found = []
    for line in block.splitlines():
        if not line.startswith("- "):
            continue
        head, title = re.match(r"- (.*?)\s*[“\"]\*(.+?)\*[”\"]", line).groups()  # type: ignore[union-attr]
        authors = []
        for author in re.split(r",\s*(?:and\s+)?", head.rstrip(".").replace("**", "")):
            author = author.strip()
            authors.append((author.rstrip(" *"), author.endswith("*")))
        found.append((title, authors))
    return found


def test_fuzhao_xue_publications_lose_nothing() -> None:
    expected = _seed_fuzhao_publications()
    pubs = profile("fuzhao_xue.yaml").publications.items
    assert len(pubs) == len(expected) == 20
    for (title, authors), pub in zip(expected, pubs, strict=True):
        assert pub.title == title
        assert [(a.name, "equal" in a.roles) for a in pub.authors] == authors, title
    notes = {pub.title: pub.notes for pub in pubs if pub.notes}
    assert notes == {
        "CowClip: Reducing CTR Prediction Model Training Time from 12 hours to 10 minutes on 1 GPU":
            ["Distinguished Paper Award"],
        "Hierarchical Dialogue Understanding with Special Tokens and Turn-level Attention": ["Tiny Paper"],
    }


def test_fuzhao_xue_sections_match_the_seed() -> None:
    p = profile("fuzhao_xue.yaml")
    phd, meng = p.education
    assert (phd.degree, str(phd.date), phd.advisors[0].name) == (
        "Doctor of Philosophy (Ph.D.)", "expected 2025-07", "Yang You")
    assert (meng.gpa, meng.thesis.title if meng.thesis else None) == (
        "5.0/5.0", "Refining latent multi-view graph for relation extraction")
    assert [i.label for i in p.interests] == ["Machine Learning", "Natural Language Processing",
                                              "High Performance Computing"]
    assert [(e.organization, e.role) for e in p.experience] == [
        ("NVIDIA AI", "Research Intern"), ("Google Brain", "Student Researcher")]
    (academic,) = p.sections
    assert [(e.title, e.subtitle, str(e.date)) for e in academic.entries] == [
        ("National University of Singapore", "Ph.D. Candidate", "2021-07 – present"),
        ("Nanyang Technological University", "M.Eng. Student", "2020-07 – 2021-06"),
        ("National University of Singapore", "Research Intern", "2019-10 – 2020-04")]
    service = defaultdict(list)
    for s in p.service:
        service[s.role].append((s.venue, s.years, s.kind))
    assert service["PC Member"] == [("ACL", [2023], "conference"), ("SIGIR", [2022], "conference")]
    assert ("TKDE", [], "journal") in service["Reviewer"] and len(service["Reviewer"]) == 6
    assert [s.category for s in p.skills] == ["Programming", "Frameworks", "Advanced"]


def test_xinxin_liu_publications_lose_nothing() -> None:
    text = seed("001_a8ec673d8bbc7e94.txt")
    pubs = profile("xinxin_liu.yaml").publications.items
    assert len(pubs) == 2
    for pub in pubs:
        assert pub.title in text
        assert " | ".join(a.name for a in pub.authors) in text
        assert pub.venue in text and str(pub.year) in text
        assert pub.abstract and " ".join(pub.abstract.split()) in " ".join(text.split())
        assert [link.label for link in pub.links] == ["pdf", "bib"]


# ----- full.yaml: every field ------------------------------------------------------------------------

def _owner(model: type[BaseModel], field: str) -> str:
    """The class that declares ``field`` (``start`` belongs to Dated, shared by every dated entry)."""
    for klass in reversed(model.__mro__):
        if field in getattr(klass, "__annotations__", {}):
            return klass.__name__
    return model.__name__


def _fields_used(model: BaseModel, used: set[tuple[str, str]]) -> None:
    used.update((_owner(type(model), name), name) for name in model.model_fields_set)
    for name in model.model_fields_set:
        _walk(getattr(model, name), used)


def _walk(value: Any, used: set[tuple[str, str]]) -> None:
    if isinstance(value, BaseModel):
        _fields_used(value, used)
    elif isinstance(value, list | tuple):
        for item in value:
            _walk(item, used)
    elif isinstance(value, dict):
        for item in value.values():
            _walk(item, used)


def test_full_example_uses_every_field_of_the_model() -> None:
    used: set[tuple[str, str]] = set()
    _fields_used(profile("full.yaml"), used)
    optional_here = {("Profile", "section_order")}  # the file order is the natural order
    fields = {(_owner(model, field), field) for model in _all_models(Profile).values() for field in model.model_fields}
    assert sorted(fields - used - optional_here) == []


def test_full_example_shows_both_spellings_and_shorthands() -> None:
    text = (EXAMPLES / "full.yaml").read_text(encoding="utf-8")
    for written in ("emails:", "summary:", "organisation:", "google_scholar:", "twitter:", "  year:", "  years:",
                    "notes:", "note:", "start:", "end:"):
        assert written in text
    pubs: list[Publication] = profile("full.yaml").publications.items
    assert any(a.me for p in pubs for a in p.authors)
