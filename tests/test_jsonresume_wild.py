"""JSON Resume as people write it: the older schema's names, academicpages' talks/teaching/portfolio,
publications with authors and DOI, hobbies titled "Interests"; and the real files of the shared corpus
(../shared/corpus/jsonresume) built in both backends with every string of their sections printed or
reported as not carried over."""

from __future__ import annotations

import json
import re
import unicodedata
from pathlib import Path
from typing import Any

import pytest
from conftest import IN_CI, ROOT, TODAY, pdf_text, require_tex, require_tool

import cvrender
from cvrender.sources.jsonresume import html_text
from cvrender.sources.loading import load_profile

CORPUS = ROOT.parent / "shared" / "corpus" / "jsonresume"
NOT_PRINTED_AS_WRITTEN = {"startDate", "endDate", "date", "releaseDate", "url", "website", "image", "picture",
                          "$schema", "countryCode", "postalCode"}


def comparable(text: str) -> str:
    text = unicodedata.normalize("NFKC", text).replace("’", "'").replace("‘", "'").replace("“", '"').replace("”", '"')
    return re.sub(r"[\s\u00ad\u2010\u2011-]+", "", text).casefold()


def section_strings(document: dict[str, Any]) -> list[tuple[str, str]]:
    """(JSON Resume path, text) of every text in the sections (everything but ``basics``/``meta``)."""
    found: list[tuple[str, str]] = []

    def walk(value: Any, path: str, key: str) -> None:
        if key in NOT_PRINTED_AS_WRITTEN:
            return
        if isinstance(value, dict):
            for k, v in value.items():
                walk(v, f"{path}.{k}", k)
        elif isinstance(value, list):
            for i, item in enumerate(value):
                walk(item, f"{path}[{i}]", key)
        elif isinstance(value, str) and value.strip():
            found.append((path, html_text(value.strip())[0]))

    for key, value in document.items():
        if key not in ("basics", "meta", "$schema"):
            walk(value, key, key)
    return found


def unaccounted(document: dict[str, Any], pdf: Path, warnings: list[str]) -> list[tuple[str, str]]:
    """Texts neither in the PDF nor named by a warning (dropped silently)."""
    text = comparable(pdf_text(pdf))
    return [(path, s) for path, s in section_strings(document)
            if comparable(s) not in text and not any(path.startswith(_named(w)) for w in warnings)]


def _named(warning: str) -> str:
    match = re.match(r"^.*?:\d+:\d+: ([^ :(]+)", warning)
    return match.group(1) if match else "\0"


BACKENDS = ["html", pytest.param("latex", marks=[pytest.mark.tex, pytest.mark.slow])]


def build(path: Path, out: Path, backend: str) -> cvrender.BuildResult:
    require_tool("pdftotext")
    if backend == "latex":
        require_tex()
    return cvrender.build(path, output=out, today=TODAY, backend=backend)


# ----- the shared corpus ------------------------------------------------------------------------------

@pytest.fixture
def corpus() -> None:
    if IN_CI or not CORPUS.is_dir():
        pytest.skip("the shared corpus is not here (or this is CI)")


def corpus_names() -> list[str]:
    return sorted(p.name for p in CORPUS.glob("*.json")) if CORPUS.is_dir() else ["(none)"]


@pytest.mark.slow
@pytest.mark.parametrize("backend", BACKENDS)
@pytest.mark.parametrize("name", corpus_names())
def test_corpus_resumes_build_with_every_string_printed_or_reported(corpus: None, tmp_path: Path, backend: str,
                                                                     name: str) -> None:
    path = CORPUS / name
    document = json.loads(path.read_text(encoding="utf-8"))
    result = build(path, tmp_path / "cv.pdf", backend)
    assert result.pdf_path is not None
    assert unaccounted(document, result.pdf_path, result.warnings) == []
    text = " ".join(pdf_text(result.pdf_path).split())
    basics = document["basics"]
    website = basics.get("website") or basics.get("url")
    if website:
        assert re.sub(r"^https?://|/$", "", website) in text


def test_academicpages_talks_teaching_and_portfolio_go_where_a_reader_looks(corpus: None) -> None:
    loaded = load_profile(CORPUS / "academicpages-template.cv.json")
    p = loaded.profile
    assert p.website == "https://academicpages.github.io"
    assert [t.title for t in p.talks][:2] == ["Talk 1 on Relevant Topic in Your Field",
                                             "Tutorial 1 on Relevant Topic in Your Field"]
    assert p.talks[0].event == "UC San Francisco, Department of Testing"
    assert str(p.talks[0].date) == "2012-03"
    assert [(t.course, t.role) for t in p.teaching] == [("Teaching experience 1", "Undergraduate course"),
                                                       ("Teaching experience 2", "Workshop")]
    assert [(x.name, x.summary) for x in p.projects] == [
        ("Project item number 1", "Short description of project item number 1")]
    # the picture in the portfolio's HTML is reported where it is written
    assert any(re.match(r".*academicpages-template\.cv\.json:\d+:\d+: portfolio\[0\]\.description .*<img>", w)
               for w in loaded.warnings)


def test_the_older_schema_keeps_the_website(corpus: None) -> None:
    p = load_profile(CORPUS / "0xadada.resume.json").profile
    assert p.website == "https://0xadada.pub/"
    assert p.experience[0].organization == "Cinch Financial"
    assert p.experience[0].url == "https://cinchfinancial.com/"


# ----- files written here -------------------------------------------------------------------------

def write(tmp_path: Path, document: dict[str, Any]) -> Path:
    path = tmp_path / "resume.json"
    path.write_text(json.dumps(document, indent=2), encoding="utf-8")
    return path


def test_older_names_extra_publication_fields_and_hobbies(tmp_path: Path) -> None:
    (tmp_path / "me.jpg").write_bytes(b"")
    path = write(tmp_path, {
        "basics": {"name": "Ada Quist", "website": "https://ada.example.org", "picture": "me.jpg"},
        "publications": [{"name": "Tone Without Tears", "authors": ["Jan Bakker", "Ada Quist"],
                          "doi": "10.1000/tone", "publisher": "Interspeech", "releaseDate": "2021"}],
        "interests": [{"name": "Climbing", "keywords": ["bouldering"]}, {"name": "Music", "keywords": ["cello"]}],
    })
    loaded = load_profile(path)
    p = loaded.profile
    assert (p.website, p.photo) == ("https://ada.example.org", "me.jpg")
    pub = p.publications.items[0]
    assert ([a.name for a in pub.authors], pub.doi) == (["Jan Bakker", "Ada Quist"], "10.1000/tone")
    assert p.titles == {"interests": "Interests"}
    assert loaded.warnings == ()


def test_research_interests_keep_their_title(tmp_path: Path) -> None:
    path = write(tmp_path, {"basics": {"name": "Ada Quist"}, "interests": [
        {"name": "Natural Language Processing", "keywords": ["morphology", "speech recognition"]},
        {"name": "Machine Learning", "keywords": ["unsupervised learning"]}]})
    assert load_profile(path).profile.titles == {}


@pytest.mark.parametrize("backend", BACKENDS)
def test_talks_teaching_and_portfolio_print_in_both_backends(tmp_path: Path, backend: str) -> None:
    document = {
        "basics": {"name": "Ada Quist", "website": "https://ada.example.org"},
        "presentations": [{"name": "Morphology for Everyone", "event": "Meertens Institute", "date": "2023-05-01",
                           "location": "Amsterdam"}],
        "teaching": [{"course": "Introduction to Morphology", "institution": "Radboud University",
                      "role": "Teaching assistant", "date": "2019-09-01", "description": "80 students"}],
        "portfolio": [{"name": "MorphKit", "url": "https://example.org/morphkit",
                       "description": "A toolkit<br/>for <b>morphology</b>"}],
        "interests": [{"name": "Cello", "keywords": ["chamber music"]}],
    }
    result = build(write(tmp_path, document), tmp_path / "cv.pdf", backend)
    assert result.pdf_path is not None
    text = " ".join(pdf_text(result.pdf_path).split())
    for needle in ("Talks", "Morphology for Everyone", "Meertens Institute", "May 2023", "Teaching",
                   "Introduction to Morphology", "Teaching assistant", "80 students", "Projects", "MorphKit",
                   "A toolkit for morphology", "ada.example.org", "Interests", "chamber music"):
        assert needle in text, needle
    assert "Research Interests" not in text and "<b>" not in text


def test_al_folio_awards_held_for_years_keep_their_years(tmp_path: Path) -> None:
    path = write(tmp_path, {"basics": {"name": "Kim Doe", "url": "https://kim.example.org"},
                            "work": [{"name": "Institute of Cosmology", "position": "Fellow",
                                      "startDate": "2023-10-01", "endDate": "present"},
                                     {"name": "Institute of Cosmology", "position": "Postdoc",
                                      "startDate": "2019-10-01", "endDate": "2023-09-30"}],
                            "awards": [{"title": "Research Fellowship", "startdate": "2023", "enddate": "2031",
                                        "awarder": "A Society"},
                                       {"title": "Talent Award", "startdate": "2022", "awarder": "A University"}]})
    loaded = load_profile(path)
    assert loaded.warnings == ()
    result = build(path, tmp_path / "cv.pdf", "html")
    assert result.pdf_path is not None
    text = " ".join(pdf_text(result.pdf_path).split())
    # the last day of a month ends a range as that month, as the first day starts one
    for needle in ("Oct 2023 – present", "Oct 2019 – Sep 2023", "Research Fellowship, A Society", "2023 – 2031", "Talent Award", "2022"):
        assert needle in text, needle
