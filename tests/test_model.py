"""The profile model: what it accepts, how it normalises, and how it refuses what it cannot hold."""

from __future__ import annotations

import textwrap

import pytest
from pydantic import ValidationError

from cvrender.errors import ProfileError
from cvrender.model import Profile
from cvrender.model.dates import PRESENT, PartialDate
from cvrender.sources.loading import load_text


def load(text: str) -> Profile:
    return load_text(textwrap.dedent(text), "cv.yaml").profile


def problems(text: str) -> list[str]:
    """Every problem reported for the profile, as the CLI prints them."""
    with pytest.raises(ProfileError) as info:
        load_text(textwrap.dedent(text), "cv.yaml")
    return [str(p) for p in info.value.problems]


# ----- unknown keys, at every depth ----------------------------------------------------------

@pytest.mark.parametrize(("text", "expected"), [
    ("name: A\nemial: a@b.org\n", "cv.yaml:2:1: emial: unknown key 'emial'; did you mean 'email'?"),
    ("name: A\nlinks:\n  githb: x\n", "cv.yaml:3:3: links.githb: unknown key 'githb'; did you mean 'github'?"),
    ("name: A\neducation:\n  - institution: X\n    degre: PhD\n",
     "cv.yaml:4:5: education[0].degre: unknown key 'degre'; did you mean 'degree'?"),
    ("name: A\neducation:\n  - institution: X\n    advisors:\n      - name: B\n        ulr: https://b.org\n",
     "cv.yaml:6:9: education[0].advisors[0].ulr: unknown key 'ulr'; did you mean 'url'?"),
    ("name: A\npublications:\n  - title: T\n    authors:\n      - name: A\n        rols: [equal]\n",
     "cv.yaml:6:9: publications[0].authors[0].rols: unknown key 'rols'; did you mean 'roles'?"),
    ("name: A\nsections:\n  - title: Grants\n    entries:\n      - titel: G\n",
     "cv.yaml:5:9: sections[0].entries[0].titel: unknown key 'titel'; did you mean 'title'?"),
    ("name: A\nvariants:\n  short:\n    publications:\n      selectd_only: true\n",
     "cv.yaml:5:7: variants.short.publications.selectd_only: unknown key 'selectd_only'; did you mean "
     "'selected_only'?"),
])
def test_unknown_keys_suggest_the_right_one_at_every_depth(text: str, expected: str) -> None:
    assert problems(text) == [expected]


@pytest.mark.parametrize(("text", "hint"), [
    ("name: A\neducation:\n  - university: MIT\n", "unknown key 'university'; use 'institution'"),
    ("name: A\nexperience:\n  - company: ACME\n", "unknown key 'company'; use 'organization'"),
    ("name: A\nexperience:\n  - organization: ACME\n    position: Intern\n", "unknown key 'position'; use 'role'"),
    ("name: A\nexperience:\n  - organization: ACME\n    dates: 2020\n", "unknown key 'dates'; use 'date'"),
    ("name: A\nhonors: []\n", "unknown key 'honors'; use 'awards'"),
    ("name: A\nthesis:\n  x: 1\n", "allowed keys: $schema, about, aliases"),
])
def test_unknown_keys_name_the_key_people_meant(text: str, hint: str) -> None:
    assert any(hint in message for message in problems(text)), problems(text)


@pytest.mark.parametrize(("text", "message"), [
    ("name: A\nawards:\n  - title: T\n    year: 2019\n    years: [2020]\n",
     "cv.yaml:5:5: awards[0].years: 'years' and 'year' are the same key; keep one"),
    ("name: A\nexperience:\n  - organization: X\n    organisation: Y\n",
     "cv.yaml:3:5: experience[0].organization: 'organization' and 'organisation' are the same key; keep one"),
])
def test_two_spellings_of_one_key(text: str, message: str) -> None:
    assert problems(text) == [message]


def test_both_spellings_are_accepted() -> None:
    british = load("name: A\nexperience:\n  - organisation: X\nsummary: Hi\nemails: a@b.org\n")
    american = load("name: A\nexperience:\n  - organization: X\nabout: Hi\nemail: [a@b.org]\n")
    assert british.experience[0].organization == american.experience[0].organization == "X"
    assert british.about == american.about == "Hi"
    assert british.email == american.email == ["a@b.org"]
    assert load("name: A\nawards:\n  - {title: T, year: 2019}\n").awards[0].years == [2019]
    assert load("name: A\nawards:\n  - title: T\n    years: 2018, 2019\n").awards[0].years == [2018, 2019]
    assert load("name: A\nawards:\n  - {title: T, years: 2017-2019}\n").awards[0].years == [2017, 2018, 2019]


# ----- shorthands -------------------------------------------------------------------------------

def test_single_values_where_lists_are_allowed() -> None:
    profile = load("""\
        name: A
        email: a@b.org
        aliases: A. B.
        interests: Machine learning
        education:
          - institution: X
            advisors: Prof. B
            highlights: One line
        skills:
          - category: Code
            items: Python, C++ ,  Rust
        """)
    assert profile.email == ["a@b.org"]
    assert profile.aliases == ["A. B."]
    assert profile.interests[0].items == ["Machine learning"]
    assert profile.education[0].advisors[0].name == "Prof. B"
    assert profile.education[0].highlights == ["One line"]
    assert profile.skills[0].items == ["Python", "C++", "Rust"]


def test_publications_as_a_list_or_a_mapping() -> None:
    as_list = load("name: A\npublications:\n  - title: T\n    authors: A*, B*, C\n    note: Oral\n")
    as_map = load("name: A\npublications:\n  group_by: year\n  items:\n    - {title: T, authors: [A*, B*, C], "
                  "notes: [Oral]}\n")
    for profile in (as_list, as_map):
        (pub,) = profile.publications.items
        assert [a.name for a in pub.authors] == ["A", "B", "C"]
        assert [a.roles for a in pub.authors] == [["equal"], ["equal"], []]
        assert pub.notes == ["Oral"]
    assert as_map.publications.group_by == "year"


def test_links_as_a_mapping_keep_their_order_and_labels() -> None:
    profile = load("name: A\npublications:\n  - title: T\n    links: {PDF: https://a.org/p.pdf, code: "
                   "github.com/a/b, talk: https://v.org}\n")
    links = profile.publications.items[0].links
    assert [(link.label, link.url) for link in links] == [
        ("PDF", "https://a.org/p.pdf"), ("code", "https://github.com/a/b"), ("talk", "https://v.org")]


def test_start_and_end_fold_into_a_range() -> None:
    profile = load("""\
        name: A
        education:
          - {institution: X, start: Sep 2020, end: present}
          - {institution: Y, end: 2019}
        """)
    assert profile.education[0].date.start == PartialDate(2020, 9)
    assert profile.education[0].date.end == PRESENT
    assert profile.education[1].date.is_single and profile.education[1].date.start == PartialDate(2019)


@pytest.mark.parametrize(("entry", "message"), [
    ("{institution: X, date: 2020, start: 2019}", "cv.yaml:3:34: education[0].start: give either 'date' or "
     "'start'/'end', not both (got 2019)"),
    ("{institution: X, end: present}", "cv.yaml:3:27: education[0].end: 'present' needs a 'start' date "
     "(got 'present')"),
    ("{institution: X, start: 2021, end: 2019}", "cv.yaml:3:40: education[0].end: the range ends (2019) before it "
     "starts (2021) (got 2019)"),
])
def test_start_and_end_errors_point_at_the_key(entry: str, message: str) -> None:
    assert problems(f"name: A\neducation:\n  - {entry}\n") == [message]


# ----- values -----------------------------------------------------------------------------------

@pytest.mark.parametrize(("line", "message"), [
    ("website: javascript:alert(1)", "website: not a web link; use an http://, https:// or mailto: address"),
    ("website: https://exa mple.org", "website: a link cannot contain spaces"),
    ("website: 'https://'", "website: the link has no host name"),
    ("email: [a@b.org, nobody]", "email[1]: not an email address, like name@example.org (got 'nobody')"),
    ("locale: klingon", "locale: 'klingon' is not a language code; write en, zh, zh-Hant, ja, de, fr or es"),
    ("name: ''", "name: must not be empty"),
    ("headline: yes", "headline: expected text, but YAML read true/false; put the value in quotes (got True)"),
    ("headline: 2020", "headline: expected text, but YAML read a number; put the value in quotes"),
    ("name:", "name: the value is empty; write text"),
    ("education: MIT", "education: expected a list, not text (got 'MIT')"),
])
def test_bad_values_are_explained(line: str, message: str) -> None:
    text = f"name: A\n{line}\n" if not line.startswith("name:") else f"{line}\n"
    (problem,) = problems(text)
    assert message in problem


def test_web_addresses_and_dois_are_completed() -> None:
    profile = load("name: A\nwebsite: www.example.org\npublications:\n  - {title: T, url: 10.1145/3459637.3482236}\n")
    assert profile.website == "https://www.example.org"
    assert profile.publications.items[0].url == "https://doi.org/10.1145/3459637.3482236"


def test_an_empty_key_means_not_given() -> None:
    profile = load("name: A\neducation:\nheadline:\nlinks:\n  github:\nawards:\n  - title: T\n    year:\n")
    assert profile.education == [] and profile.headline is None and profile.links.github is None
    assert profile.awards[0].years == []


def test_numbers_where_text_is_natural() -> None:
    profile = load("name: A\neducation:\n  - {institution: X, gpa: 3.9}\n")
    assert profile.education[0].gpa == "3.9"


# ----- sections -----------------------------------------------------------------------------------

def test_sections_print_in_file_order_with_custom_sections_where_they_stand() -> None:
    profile = load("""\
        name: A
        publications: []
        sections:
          - title: Academic Research Experience
            entries: [Something]
        education: []
        summary: Hi
        """)
    order = profile.default_section_order()
    assert order[:4] == ["publications", "academic_research_experience", "education", "about"]


def test_section_names_must_name_sections() -> None:
    found = problems("""\
        name: A
        sections:
          - title: Grants
        section_order: [education, grants, publicatons]
        titles:
          awrds: Honours
        variants:
          short:
            sections: [grant]
            exclude: [news, talk]
        """)
    assert found == [
        "cv.yaml:4:36: section_order[2]: no section is called 'publicatons'; did you mean 'publications'?",
        "cv.yaml:6:3: titles.awrds: no section is called 'awrds'; did you mean 'awards'?",
        "cv.yaml:9:16: variants.short.sections[0]: no section is called 'grant'; did you mean 'grants'?",
        "cv.yaml:10:21: variants.short.exclude[1]: no section is called 'talk'; did you mean 'talks'?",
    ]


def test_custom_sections_need_keys_of_their_own() -> None:
    found = problems("name: A\nsections:\n  - title: Education\n  - title: Grants\n  - {id: grants, title: Money}\n")
    assert found == [
        "cv.yaml:3:12: sections[0].title: the key 'education' is already used by a built-in section; give this "
        "section its own 'id'",
        "cv.yaml:5:10: sections[2].id: the key 'grants' is already used by sections[1]; give this section its own 'id'",
    ]


def test_section_key_errors_come_with_every_other_problem() -> None:
    found = problems("name: A\nsection_order: [educaton]\nemial: x\n")
    assert [p.split(": ")[1] for p in found] == ["section_order[0]", "emial"]


def test_the_model_alone_reports_every_error_with_its_path() -> None:
    with pytest.raises(ValidationError) as info:
        Profile.model_validate({"name": "A", "education": [{"institution": "X", "start": "Foo 2020"}],
                                "section_order": ["nope"]})
    locs = {tuple(e["loc"]) for e in info.value.errors()}
    assert locs == {("education", 0, "start"), ("section_order", 0)}
