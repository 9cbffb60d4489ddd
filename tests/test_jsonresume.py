"""JSON Resume: the schema project's sample builds; errors point into resume.json; conversion
both ways keeps what JSON Resume can hold and lists what it cannot."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import jsonschema
import pytest
import yaml
from click.testing import CliRunner
from conftest import EXAMPLES, TODAY, pdf_text, squash

import cvrender
from cvrender.cli import main
from cvrender.errors import ProfileError
from cvrender.sources.jsonresume import from_profile
from cvrender.sources.loading import load_profile

SAMPLE = EXAMPLES / "jsonresume" / "resume.json"


def line_of(path: Path, needle: str, after: int = 0) -> int:
    """1-based line of the first line after line ``after`` containing ``needle``."""
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        if number > after and needle in line:
            return number
    raise AssertionError(f"{needle!r} not in {path}")


@pytest.fixture(scope="module")
def sample_build(tmp_path_factory: pytest.TempPathFactory) -> cvrender.BuildResult:
    return cvrender.build(SAMPLE, output=tmp_path_factory.mktemp("jr") / "cv.pdf", today=TODAY)


def test_sample_builds_with_name_every_work_and_education_entry(sample_build: cvrender.BuildResult) -> None:
    document = json.loads(SAMPLE.read_text(encoding="utf-8"))
    text = squash(pdf_text(sample_build.pdf_path))
    assert document["basics"]["name"] in text
    assert document["work"] and document["education"]
    for work in document["work"]:
        assert work["name"] in text
        assert work["position"] in text
    for school in document["education"]:
        assert school["institution"] in text
        assert f"{school['studyType']}, {school['area']}" in text
        for course in school["courses"]:
            assert course in text
    # JSON Resume writes the first of the month for a month: Dec 2013, not Dec 1, 2013
    assert "Dec 2013 – Dec 2014" in text
    for other in ("CoderDojo", "Digital Compression Pioneer Award", "Video compression for 3d media",
                  "Wildlife", "Erlich Bachman", "Miss Direction", "Team lead, Designer", "Native speaker"):
        assert other in text
    for title in ("Experience", "Volunteering", "Education", "Publications", "References", "Projects"):
        assert title in text


def test_sample_sections_keep_the_documents_order(sample_build: cvrender.BuildResult) -> None:
    text = squash(pdf_text(sample_build.pdf_path))
    positions = [text.index(t) for t in ("Experience", "Volunteering", "Education", "Honors & Awards",
                                         "Publications", "Skills", "Languages", "References", "Projects")]
    assert positions == sorted(positions)


def test_sample_lists_what_cannot_be_carried_over_with_locations(sample_build: cvrender.BuildResult) -> None:
    warnings = sample_build.warnings
    expected = {
        "work[0].description": '"description": "Awesome compression company"',
        "skills[0].level": '"level": "Master"',
        "projects[0].keywords": '"keywords": [',
        "projects[0].entity": '"entity": "Smoogle"',
        "projects[0].type": '"type": "application"',
        "meta": '"meta": {',
    }
    for path, needle in expected.items():
        found = [w for w in warnings if f": {path}" in w]
        assert found, f"no warning for {path}: {warnings}"
        line = line_of(SAMPLE, needle, after=line_of(SAMPLE, f'"{path.split("[")[0]}"') - 1)
        assert found[0].startswith(f"{SAMPLE}:{line}:"), found[0]
        assert "not carried over" in found[0]
    # nothing that has a place in a profile is reported as lost
    for kept in ("basics", "volunteer", "education", "awards", "publications", "references", "languages"):
        assert not any(f": {kept}" in w for w in warnings), warnings


def test_cli_build_accepts_a_json_resume_and_prints_the_losses(tmp_path: Path) -> None:
    result = CliRunner().invoke(main, ["build", str(SAMPLE), "-o", str(tmp_path / "cv.pdf"),
                                       "--today", "2026-01-15"])
    assert result.exit_code == 0, result.output
    assert (tmp_path / "cv.pdf").is_file()
    assert "warning:" in result.output and "work[0].description" in result.output


BAD = """{
  "basics": {"name": "Ann Example", "email": "not-an-email",
             "profiles": [{"network": "Mastodon", "username": "ann"}]},
  "work": [
    {"name": "Acme", "startDate": "2013-13-01"},
    {"position": "Developer"},
    "oops"
  ],
  "education": {"institution": "Somewhere"},
  "skills": [{"name": "Python", "keywords": 3}],
  "publications": [{"name": "A Paper", "url": "javascript:alert(1)"}]
}
"""


def test_errors_carry_file_line_column_and_the_json_resume_key(tmp_path: Path) -> None:
    path = tmp_path / "resume.json"
    path.write_text(BAD, encoding="utf-8")
    with pytest.raises(ProfileError) as caught:
        load_profile(path)
    problems = {p.key_path: p for p in caught.value.problems}
    expected = {  # key path -> the text its problem points at
        "basics.email": '"not-an-email"',
        "work[0].startDate": '"2013-13-01"',
        "work[1]": '{"position"',
        "work[2]": '"oops"',
        "education": '{"institution"',
        "skills[0].keywords": "3}",
        "publications[0].url": '"javascript:',
    }
    assert set(problems) == set(expected), [str(p) for p in caught.value.problems]
    lines = BAD.splitlines()
    for key, needle in expected.items():
        line = next(i for i, text in enumerate(lines, 1) if needle in text)
        column = lines[line - 1].index(needle) + 1
        problem = problems[key]
        assert (problem.file, problem.line, problem.column) == (str(path), line, column), str(problem)
    assert "name" in problems["work[1]"].message
    assert "2013-13-01" in str(problems["work[0].startDate"])


def test_cli_reports_each_json_resume_problem_on_one_line(tmp_path: Path) -> None:
    path = tmp_path / "resume.json"
    path.write_text(BAD, encoding="utf-8")
    result = CliRunner().invoke(main, ["build", str(path), "-o", str(tmp_path)])
    assert result.exit_code == 2
    errors = [line for line in result.output.splitlines() if line.startswith("error:")]
    assert len(errors) == 7
    assert all(line.startswith(f"error: {path}:") for line in errors)
    assert "Traceback" not in result.output


def test_missing_name_is_an_error_at_basics(tmp_path: Path) -> None:
    path = tmp_path / "resume.json"
    path.write_text('{\n  "basics": {\n    "label": "Engineer"\n  }\n}\n', encoding="utf-8")
    with pytest.raises(ProfileError) as caught:
        load_profile(path)
    (problem,) = caught.value.problems
    assert (problem.line, problem.column, problem.key_path) == (2, 13, "basics.name")


def test_profiles_become_links_and_unusable_ones_are_reported(tmp_path: Path) -> None:
    path = tmp_path / "resume.json"
    path.write_text(json.dumps({"basics": {"name": "Ann Example", "profiles": [
        {"network": "GitHub", "username": "ann", "url": "https://github.com/ann"},
        {"network": "LinkedIn", "url": "https://www.linkedin.com/in/ann-example"},
        {"network": "Twitter", "username": "ann_x"},
        {"network": "Mastodon", "username": "ann@example.social"},
        {"network": "Blog", "url": "https://ann.example.org"},
    ]}}, indent=1), encoding="utf-8")
    loaded = load_profile(path)
    links = loaded.profile.links
    assert (links.github, links.linkedin, links.x) == ("ann", "https://www.linkedin.com/in/ann-example", "ann_x")
    assert [(c.label, c.url) for c in links.custom] == [("Blog", "https://ann.example.org")]
    assert len(loaded.warnings) == 1 and "Mastodon" in loaded.warnings[0]


def test_missing_end_date_means_ongoing_and_equal_dates_one_date(tmp_path: Path) -> None:
    path = tmp_path / "resume.json"
    path.write_text(json.dumps({"basics": {"name": "Ann Example"}, "work": [
        {"name": "Now Inc", "startDate": "2021-03"},
        {"name": "Day Corp", "startDate": "2019-05-17", "endDate": "2019-05-17"},
    ]}), encoding="utf-8")
    work = load_profile(path).profile.experience
    assert work[0].date is not None and work[0].date.is_ongoing
    assert work[1].date is not None and work[1].date.is_single and str(work[1].date) == "2019-05-17"


# ----- profile -> JSON Resume -> profile -----------------------------------------------------

RICH_PROFILE = """\
name: Mei Lin
headline: Assistant Professor of Computer Science
email: mei.lin@example.edu
phone: "+1 555 0100"
website: https://meilin.example.edu
location: Pittsburgh, PA
photo: photo.jpg
links:
  github: meilin
  orcid: 0000-0002-1825-0097
  scholar: https://scholar.google.com/citations?user=abc123
  linkedin: mei-lin
  custom:
    - {label: Blog, url: https://blog.example.org}
summary: I study **robust** machine learning.
education:
  - institution: Carnegie Mellon University
    url: https://www.cmu.edu
    degree: Ph.D.
    field: Computer Science
    date: Sep 2015 - May 2020
    gpa: "4.0"
    highlights: [Machine Learning, Convex Optimization]
experience:
  - organization: Example University
    role: Assistant Professor
    url: https://example.edu
    location: Pittsburgh, PA
    date: Aug 2020 - present
    summary: Leading the Robust Learning Lab.
    highlights: [Started a lab of 8 students, Won an NSF grant]
  - organization: Big Lab
    role: Intern
    date: 2018-06
publications:
  - title: Robust Learning at Scale
    venue: NeurIPS
    year: 2021
    url: https://example.org/paper.pdf
    note: Oral
  - title: A Second Paper
    venue: ICML
    date: 2019-07
awards:
  - title: Best Paper Award
    issuer: NeurIPS
    year: [2019, 2021]
    note: top 0.1%
  - title: Dean's Fellowship
    date: 2016-05-03
projects:
  - name: robustlib
    role: Lead, Maintainer
    url: https://github.com/meilin/robustlib
    date: 2019 - present
    summary: A library for robust training.
    highlights: [1k stars]
skills:
  - category: Programming
    items: [Python, C++]
languages:
  - language: English
    level: Fluent
  - language: Mandarin
interests:
  - items: [Robustness, Optimization]
  - label: Hobbies
    items: [Climbing]
sections:
  - id: volunteer
    title: Volunteering
    entries:
      - title: Code Club
        subtitle: Mentor
        date: 2017 - 2019
        summary: Taught kids Python.
        highlights: [Ran 30 sessions]
  - id: certificates
    title: Certificates
    entries:
      - title: AWS Certified
        subtitle: Amazon
        date: 2020-03
        url: https://aws.example.com
  - id: references
    title: References
    entries:
      - title: Prof. Ada Example
        summary: Mei is the best student I have advised.
"""

# The structure of JSON Resume 1.0 (resume-schema v1.0.0): every section and field it defines.
_TEXT = {"type": "string"}
_TEXTS = {"type": "array", "items": _TEXT}
_DATE = {"type": "string", "pattern": r"^([1-2][0-9]{3}-[0-1][0-9]-[0-3][0-9]|[1-2][0-9]{3}-[0-1][0-9]|[1-2][0-9]{3})$"}


def _entries(**fields: Any) -> dict[str, Any]:
    return {"type": "array", "items": {"type": "object", "additionalProperties": False, "properties": fields}}


JSON_RESUME_1_0 = {
    "type": "object", "additionalProperties": False,
    "properties": {
        "$schema": _TEXT,
        "basics": {"type": "object", "additionalProperties": False, "properties": {
            "name": _TEXT, "label": _TEXT, "image": _TEXT, "email": _TEXT, "phone": _TEXT, "url": _TEXT,
            "summary": _TEXT,
            "location": {"type": "object", "additionalProperties": False, "properties": {
                "address": _TEXT, "postalCode": _TEXT, "city": _TEXT, "countryCode": _TEXT, "region": _TEXT}},
            "profiles": _entries(network=_TEXT, username=_TEXT, url=_TEXT)}},
        "work": _entries(name=_TEXT, location=_TEXT, description=_TEXT, position=_TEXT, url=_TEXT,
                         startDate=_DATE, endDate=_DATE, summary=_TEXT, highlights=_TEXTS),
        "volunteer": _entries(organization=_TEXT, position=_TEXT, url=_TEXT, startDate=_DATE, endDate=_DATE,
                              summary=_TEXT, highlights=_TEXTS),
        "education": _entries(institution=_TEXT, url=_TEXT, area=_TEXT, studyType=_TEXT, startDate=_DATE,
                              endDate=_DATE, score=_TEXT, courses=_TEXTS),
        "awards": _entries(title=_TEXT, date=_DATE, awarder=_TEXT, summary=_TEXT),
        "certificates": _entries(name=_TEXT, date=_DATE, url=_TEXT, issuer=_TEXT),
        "publications": _entries(name=_TEXT, publisher=_TEXT, releaseDate=_DATE, url=_TEXT, summary=_TEXT),
        "skills": _entries(name=_TEXT, level=_TEXT, keywords=_TEXTS),
        "languages": _entries(language=_TEXT, fluency=_TEXT),
        "interests": _entries(name=_TEXT, keywords=_TEXTS),
        "references": _entries(name=_TEXT, reference=_TEXT),
        "projects": _entries(name=_TEXT, description=_TEXT, highlights=_TEXTS, keywords=_TEXTS, startDate=_DATE,
                             endDate=_DATE, url=_TEXT, roles=_TEXTS, entity=_TEXT, type=_TEXT),
        "meta": {"type": "object"},
    },
}


def comparable(profile: cvrender.Profile) -> dict[str, Any]:
    """The profile's data; ``start``/``end`` are only another way to write ``date``."""
    def strip(value: Any) -> Any:
        if isinstance(value, dict):
            return {k: strip(v) for k, v in value.items() if k not in ("start", "end")}
        if isinstance(value, list):
            return [strip(v) for v in value]
        return value
    data = strip(profile.model_dump(mode="json"))
    data["_order"] = profile.default_section_order()
    return data


def convert_cli(*args: str) -> Any:
    result = CliRunner().invoke(main, ["convert", *args])
    return result


def test_round_trip_yaml_to_json_resume_to_yaml_keeps_everything_json_resume_holds(tmp_path: Path) -> None:
    source = tmp_path / "profile.yaml"
    source.write_text(RICH_PROFILE, encoding="utf-8")
    resume = tmp_path / "resume.json"
    back = tmp_path / "back.yaml"
    first = convert_cli(str(source), "--to", "jsonresume", "-o", str(resume))
    assert first.exit_code == 0, first.output
    assert "lost:" not in first.output  # this profile only uses what JSON Resume can hold
    document = json.loads(resume.read_text(encoding="utf-8"))
    jsonschema.validate(document, JSON_RESUME_1_0)
    assert [a["date"] for a in document["awards"]] == ["2019", "2021", "2016-05-03"]
    second = convert_cli(str(resume), "--to", "yaml", "-o", str(back))
    assert second.exit_code == 0, second.output
    assert comparable(cvrender.load(back)) == comparable(cvrender.load(source))


def test_json_resume_to_yaml_builds_the_same_profile(tmp_path: Path) -> None:
    out = tmp_path / "resume.yaml"
    result = convert_cli(str(SAMPLE), "--to", "yaml", "-o", str(out))
    assert result.exit_code == 0, result.output
    assert result.output.count("lost:") == 7
    data = yaml.safe_load(out.read_text(encoding="utf-8"))
    assert data["name"] == "Richard Hendriks" and data["experience"][0]["organization"] == "Pied Piper"
    assert comparable(cvrender.load(out)) == comparable(load_profile(SAMPLE).profile)
    # and back to JSON Resume: the sample's own structure
    again = from_profile(cvrender.load(out))[0]
    jsonschema.validate(again, JSON_RESUME_1_0)
    original = json.loads(SAMPLE.read_text(encoding="utf-8"))
    assert [w["name"] for w in again["work"]] == [w["name"] for w in original["work"]]
    assert again["volunteer"][0]["organization"] == "CoderDojo"
    assert again["references"][0]["name"] == "Erlich Bachman"


LOSSY = """\
name: Runxin Xu
native_name: 许润昕
aliases: [R. Xu]
email: [a@example.org, b@example.org]
education:
  - institution: Peking University
    degree: Ph.D.
    advisors: [Baobao Chang]
    thesis: Efficient Models
    date: Fall 2019 - expected Jul 2024
publications:
  - title: Paper One
    authors: [Runxin Xu, Somebody Else]
    venue: ACL
    year: 2022
  - title: Paper Two
    authors: [Runxin Xu]
    venue: EMNLP
    year: 2021
    doi: 10.18653/v1/2021.emnlp-main.1
teaching:
  - course: Machine Learning
    date: Spring 2021
talks:
  - title: On Efficiency
    date: 2022-05
design: {accent: "#aa0000"}
"""


def test_converting_to_json_resume_lists_what_is_lost(tmp_path: Path) -> None:
    source = tmp_path / "profile.yaml"
    source.write_text(LOSSY, encoding="utf-8")
    result = convert_cli(str(source), "--to", "jsonresume")
    assert result.exit_code == 0
    lost = [line.split("lost: ", 1)[1] for line in result.output.splitlines() if "lost: " in line]
    joined = "\n".join(lost)
    for expected in ("native_name:", "aliases:", "email: JSON Resume holds one email address; b@example.org",
                     "education[0].advisors", "education[0].thesis", "publications[*].authors (2 entries)",
                     "teaching: JSON Resume has no teaching section (1 entry left out)", "talks:",
                     "design:", "education[0].date: JSON Resume dates have no seasons",
                     "education[0].date: JSON Resume dates cannot say 'expected'"):
        assert expected in joined, f"{expected!r} not in\n{joined}"
    document = json.loads(result.output[: result.output.rindex("}") + 1])
    jsonschema.validate(document, JSON_RESUME_1_0)
    assert document["publications"][1]["url"] == "https://doi.org/10.18653/v1/2021.emnlp-main.1"
    strict = convert_cli(str(source), "--to", "jsonresume", "--strict", "-q")
    assert strict.exit_code == 1


def test_convert_refuses_nonsense(tmp_path: Path) -> None:
    again = convert_cli(str(SAMPLE), "--to", "jsonresume")
    assert again.exit_code == 2 and "already a JSON Resume document" in again.output
    copy = tmp_path / "resume.json"
    copy.write_text(SAMPLE.read_text(encoding="utf-8"), encoding="utf-8")
    clobber = convert_cli(str(copy), "--to", "json", "-o", str(copy))
    assert clobber.exit_code != 0 and "refusing to overwrite" in clobber.output
    assert json.loads(copy.read_text(encoding="utf-8"))["basics"]["name"] == "Richard Hendriks"


def test_wrong_types_are_named_at_their_key(tmp_path: Path) -> None:
    path = tmp_path / "resume.json"
    path.write_text('{"basics": {"name": {"first": "Ann"}},\n "work": [{"name": ["Acme"]}]}\n', encoding="utf-8")
    with pytest.raises(ProfileError) as caught:
        load_profile(path)
    shown = [(p.line, p.column, p.key_path, p.message) for p in caught.value.problems]
    assert shown == [(1, 21, "basics.name", "must be text, not an object"),
                     (2, 20, "work[0].name", "must be text, not a list")]


def test_a_blank_required_name_is_reported_as_missing_not_as_wrong_text(tmp_path: Path) -> None:
    path = tmp_path / "resume.json"
    path.write_text('{"basics": {"name": "Ann"},\n "work": [{"name": "   ", "position": "Engineer"}]}\n',
                    encoding="utf-8")
    with pytest.raises(ProfileError) as caught:
        load_profile(path)
    assert [(p.key_path, p.message) for p in caught.value.problems] == [
        ("work[0]", "this work entry has no 'name'; cvrender needs one to print it")]
