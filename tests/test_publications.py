"""Publication lists as a reader sees them: order, numbering, groups, the owner in bold, marks and
their legend, de-duplication; awards and service lists; and the example .bib built to PDF."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path
from typing import Any

import pytest
from conftest import pdf_text, require_tex, require_tool, squash

from cvrender.api import build, render_source
from cvrender.context.builder import build_context
from cvrender.context.types import Section, Selection
from cvrender.errors import Warnings
from cvrender.sources.loading import load_profile

ROOT = Path(__file__).resolve().parent.parent
DEMO = ROOT / "examples" / "bibtex_demo.yaml"
TODAY = dt.date(2025, 3, 1)


def context(data: dict[str, Any], **selection: Any) -> tuple[dict[str, Section], Warnings]:
    warnings = Warnings()
    ctx = build_context(load_profile(data).profile, Selection(**selection), {}, TODAY, warnings)
    return {s.key: s for s in ctx.sections}, warnings


def pubs(*items: dict[str, Any], **options: Any) -> dict[str, Any]:
    return {"name": "Runxin Xu", "aliases": ["R. Xu"], "publications": {"items": list(items), **options}}


def paper(title: str, year: int | None, **extra: Any) -> dict[str, Any]:
    data: dict[str, Any] = {"title": title, "authors": extra.pop("authors", ["Runxin Xu", "Lei Li"])}
    if year is not None:
        data["year"] = year
    return {**data, **extra}


def listed(section: Section) -> list[tuple[str, str, str]]:
    """(group title, number, title) of every item, in order."""
    return [(g.title, p.number, p.title.plain) for g in section.groups for p in g.items]


MIXED = [
    paper("Conf 2021", 2021, venue="Proceedings of ACL", venue_short="ACL"),
    paper("Journal 2022", 2022, venue="TACL", type="journal"),
    paper("Preprint 2023", 2023, arxiv="2301.00001"),
    paper("Conf 2023", 2023, venue="EMNLP", type="conference"),
    paper("Journal 2020", 2020, venue="Journal of Machine Learning Research"),
]


# ----- order, grouping, numbering ----------------------------------------------------------------

def test_newest_first_and_numbered_continuously() -> None:
    sections, _ = context(pubs(*MIXED, numbering="continuous"))
    assert listed(sections["publications"]) == [
        ("", "[1]", "Preprint 2023"), ("", "[2]", "Conf 2023"), ("", "[3]", "Journal 2022"),
        ("", "[4]", "Conf 2021"), ("", "[5]", "Journal 2020")]


def test_reverse_numbering_counts_down_across_year_groups() -> None:
    sections, _ = context(pubs(*MIXED, paper("Under review", None), numbering="reverse", group_by="year"))
    assert listed(sections["publications"]) == [
        ("Forthcoming", "[6]", "Under review"),
        ("2023", "[5]", "Preprint 2023"), ("2023", "[4]", "Conf 2023"), ("2022", "[3]", "Journal 2022"),
        ("2021", "[2]", "Conf 2021"), ("2020", "[1]", "Journal 2020")]
    assert [g.key for g in sections["publications"].groups] == ["forthcoming", "2023", "2022", "2021", "2020"]


def test_group_by_type_with_per_type_numbers_and_prefixes() -> None:
    sections, _ = context(pubs(*MIXED, group_by="type", numbering="per_type"))
    assert listed(sections["publications"]) == [
        ("Journal Articles", "[J1]", "Journal 2022"), ("Journal Articles", "[J2]", "Journal 2020"),
        ("Conference Papers", "[C1]", "Conf 2023"), ("Conference Papers", "[C2]", "Conf 2021"),
        ("Preprints", "[P1]", "Preprint 2023")]
    sections, _ = context(pubs(*MIXED, group_by="type", numbering="per_type_reverse",
                               prefixes={"conference": "K"}, titles={"journal": "Refereed Journals"},
                               types=["conference", "journal"]))
    assert listed(sections["publications"]) == [
        ("Conference Papers", "[K2]", "Conf 2023"), ("Conference Papers", "[K1]", "Conf 2021"),
        ("Refereed Journals", "[J2]", "Journal 2022"), ("Refereed Journals", "[J1]", "Journal 2020")]


def test_group_titles_follow_the_locale() -> None:
    sections, _ = context({**pubs(*MIXED, group_by="type"), "locale": "zh"})
    assert [g.title for g in sections["publications"].groups] == ["期刊论文", "会议论文", "预印本"]


def test_oldest_first_and_as_written() -> None:
    sections, _ = context(pubs(*MIXED, sort="oldest"))
    assert [t for _, _, t in listed(sections["publications"])][:2] == ["Journal 2020", "Conf 2021"]
    sections, _ = context(pubs(*MIXED, sort="none"))
    assert [t for _, _, t in listed(sections["publications"])] == [p["title"] for p in MIXED]


def test_since_max_and_a_variant_that_overrides_them() -> None:
    data = pubs(*MIXED, since=2021, max=3, numbering="continuous")
    sections, _ = context(data)
    assert [t for _, _, t in listed(sections["publications"])] == ["Preprint 2023", "Conf 2023", "Journal 2022"]
    data["variants"] = {"short": {"publications": {"since": 2023}}}
    sections, _ = context(data, variant="short")
    assert [t for _, _, t in listed(sections["publications"])] == ["Preprint 2023", "Conf 2023"]


def test_selected_publications_form_their_own_ungrouped_list() -> None:
    items = [paper("A", 2021, selected=True), paper("B", 2022), paper("C", 2023, selected=True)]
    data = {**pubs(*items, group_by="year", numbering="continuous"),
            "section_order": ["selected_publications", "publications"]}
    sections, _ = context(data)
    assert listed(sections["selected_publications"]) == [("", "[1]", "C"), ("", "[2]", "A")]
    assert [g.title for g in sections["publications"].groups] == ["2023", "2022", "2021"]


# ----- venues ------------------------------------------------------------------------------------

@pytest.mark.parametrize(("style", "venue"), [
    ("short", "ACL 2022"),
    ("long", "Proceedings of the 60th Annual Meeting of the ACL, 2022"),
    ("both", "Proceedings of the 60th Annual Meeting of the ACL (ACL 2022)"),
])
def test_venue_short_and_long_forms(style: str, venue: str) -> None:
    item = paper("P", 2022, venue="Proceedings of the 60th Annual Meeting of the ACL", venue_short="ACL")
    sections, _ = context(pubs(item, venue_style=style))
    assert sections["publications"].groups[0].items[0].venue == venue


def test_a_journal_long_form_has_volume_issue_and_pages() -> None:
    item = paper("P", 2022, venue="Computational Linguistics", venue_short="CL", volume=48, number=2,
                 pages="101--130")
    sections, _ = context(pubs(item, venue_style="long"))
    assert sections["publications"].groups[0].items[0].venue == "Computational Linguistics, 48(2):101–130, 2022"


# ----- authors, marks, legend --------------------------------------------------------------------

def authors_of(section: Section, index: int = 0) -> list[tuple[str, bool, str]]:
    item = [p for g in section.groups for p in g.items][index]
    return [(a.name, a.is_me, a.marks) for a in item.authors]


def test_the_owner_is_bold_under_any_spelling_but_a_namesake_is_not() -> None:
    item = paper("P", 2022, authors=["Rui Xu", "Xu, Runxin", "Ziyun Xu", "R. Xu"])
    sections, warnings = context(pubs(item))
    assert authors_of(sections["publications"]) == [
        ("Rui Xu", False, ""), ("Xu, Runxin", True, ""), ("Ziyun Xu", False, ""), ("R. Xu", True, "")]
    assert any("2 authors match your name" in w for w in warnings.items)


def test_me_on_an_author_overrides_name_matching() -> None:
    item = paper("P", 2022, authors=[{"name": "R. Xu", "me": False}, {"name": "Runxin Xu"},
                                     {"name": "X. Runxin", "me": True}])
    sections, _ = context(pubs(item))
    assert [a[1] for a in authors_of(sections["publications"])] == [False, False, True]


def test_a_publication_without_the_owner_is_a_warning() -> None:
    _, warnings = context(pubs(paper("Not mine", 2022, authors=["Rui Xu", "Lei Li"])))
    assert any("'Not mine'" in w and "Runxin Xu is not among its authors" in w for w in warnings.items)
    _, warnings = context(pubs(paper("Mine", 2022, authors=["R. Xu", "Lei Li"])))
    assert warnings.items == []


def test_marks_follow_roles_and_the_legend_lists_only_the_marks_used() -> None:
    item = paper("P", 2022, authors=["Runxin Xu*", "Lei Li*", {"name": "Baobao Chang", "roles": ["corresponding"]}])
    sections, _ = context(pubs(item))
    assert authors_of(sections["publications"]) == [
        ("Runxin Xu", True, "*"), ("Lei Li", False, "*"), ("Baobao Chang", False, "†")]
    assert sections["publications"].legend == (("*", "equal contribution"), ("†", "corresponding author"))


def test_no_marks_no_legend() -> None:
    sections, _ = context(pubs(paper("P", 2022)))
    assert sections["publications"].legend == ()


def test_marks_are_configurable_and_the_legend_can_be_turned_off() -> None:
    item = paper("P", 2022, authors=["Runxin Xu*", "Lei Li*"])
    sections, _ = context(pubs(item, marks={"equal": "#"}))
    assert authors_of(sections["publications"])[0] == ("Runxin Xu", True, "#")
    assert sections["publications"].legend == (("#", "equal contribution"),)
    sections, _ = context(pubs(item, legend=False))
    assert sections["publications"].legend == ()


def test_the_legend_appears_once_and_only_when_a_mark_is_used_in_html() -> None:
    marked = pubs(paper("P", 2022, authors=["Runxin Xu*", "Lei Li*"]), paper("Q", 2021, authors=["Runxin Xu*", "Lei Li*"]),
                  group_by="year")
    html = render_source(marked, today=TODAY)
    assert html.count('class="legend"') == 1
    assert "equal contribution" in html
    html = render_source(pubs(paper("P", 2022), paper("Q", 2021), group_by="year"), today=TODAY)
    assert 'class="legend"' not in html and "equal contribution" not in html


def test_long_author_lists_are_shortened_but_keep_the_owner() -> None:
    names = [f"Author{i} Person" for i in range(1, 9)]
    item = paper("P", 2022, authors=[*names[:6], "Runxin Xu", *names[6:]])
    sections, _ = context(pubs(item, max_authors=3))
    assert [a[0] for a in authors_of(sections["publications"])] == [
        "Author1 Person", "Author2 Person", "Author3 Person", "…", "Runxin Xu", "et al."]


def test_others_prints_as_et_al() -> None:
    sections, _ = context(pubs(paper("P", 2022, authors=["Runxin Xu", "others"])))
    item = sections["publications"].groups[0].items[0]
    assert [(a.name, a.is_others) for a in item.authors] == [("Runxin Xu", False), ("et al.", True)]


# ----- de-duplication ----------------------------------------------------------------------------

def test_a_preprint_and_its_published_version_keep_the_published_one() -> None:
    preprint = paper("Graph Networks for Events", 2021, id="xu2021arxiv", arxiv="2101.00001", selected=True)
    published = paper("Graph  networks for events.", 2022, id="xu2022acl", venue="ACL", type="conference")
    sections, warnings = context(pubs(preprint, published))
    items = [p for g in sections["publications"].groups for p in g.items]
    assert [(p.id, p.venue) for p in items] == [("xu2022acl", "ACL 2022")]
    assert [link.label for link in items[0].links] == ["arXiv"]  # taken over from the preprint
    assert items[0].selected
    merged = [w for w in warnings.items if "merged into one entry" in w]
    assert len(merged) == 1 and "'xu2022acl'" in merged[0] and "'xu2021arxiv'" in merged[0]


def test_same_arxiv_id_is_the_same_paper_and_deduplication_can_be_turned_off() -> None:
    preprint = paper("Old Title", 2021, arxiv="2101.00001v2")
    published = paper("New Title", 2022, arxiv="2101.00001", venue="EMNLP", type="conference")
    sections, _ = context(pubs(preprint, published))
    assert [t for _, _, t in listed(sections["publications"])] == ["New Title"]
    sections, warnings = context(pubs(preprint, published, deduplicate=False))
    assert len(listed(sections["publications"])) == 2
    assert warnings.items == []


def test_two_published_versions_at_different_venues_both_stay() -> None:
    workshop = paper("Same Title", 2021, venue="Workshop on X", type="workshop")
    conference = paper("Same Title", 2022, venue="ACL", type="conference")
    sections, warnings = context(pubs(workshop, conference))
    assert len(listed(sections["publications"])) == 2
    assert warnings.items == []


# ----- awards and service ------------------------------------------------------------------------

def test_an_award_won_in_several_years_prints_once_with_the_years() -> None:
    data = {"name": "A B", "awards": [
        {"title": "National Scholarship", "year": 2019}, {"title": "Best Paper", "year": 2020},
        {"title": "national scholarship", "year": 2018}, {"title": "National Scholarship", "year": 2021},
        {"title": "Fellowship", "date": "2021 - 2023"}]}
    sections, _ = context(data)
    lines = [(line.text.plain, line.date) for line in sections["awards"].lines]
    assert lines == [("National Scholarship", "2018, 2019, 2021"), ("Best Paper", "2020"),
                     ("Fellowship", "2021 – 2023")]


def test_service_groups_by_role_with_year_ranges() -> None:
    data = {"name": "A B", "service": [
        {"role": "Reviewer", "venue": "ACL", "year": "2021-2023"},
        {"role": "Reviewer", "venue": "EMNLP", "year": [2021, 2022]},
        {"role": "reviewer", "venue": "EMNLP", "year": 2023},
        {"role": "Reviewer", "venue": "ICML", "year": 2022},
        {"role": "Area Chair", "venue": "NeurIPS", "year": 2024}]}
    sections, _ = context(data)
    rows = [(row.label, row.text.plain) for row in sections["service"].rows]
    assert rows == [("Reviewer", "ACL 2021–2023, EMNLP 2021–2023, ICML 2022"), ("Area Chair", "NeurIPS 2024")]


# ----- the example .bib, built with both backends ----------------------------------------------------

@pytest.fixture(scope="module", params=["html", pytest.param("latex", marks=pytest.mark.tex)])
def demo_pdf(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Path:
    if request.param == "latex":
        require_tex()
    require_tool("pdftotext")
    out = tmp_path_factory.mktemp(f"demo-{request.param}") / "demo.pdf"
    result = build(DEMO, output=out, today=TODAY, backend=request.param)
    # the only warning is the merged preprint
    assert [w for w in result.warnings if "merged into one entry" not in w] == []
    assert any("'zhao2023calibration_arxiv'" in w for w in result.warnings)
    return out


@pytest.mark.slow
def test_the_demo_lists_every_paper_once_numbered_in_reverse(demo_pdf: Path) -> None:
    text = pdf_text(demo_pdf)
    start = text.index("Publications", text.lower().index("selected publications") + 30)
    selected, full = text[:start], text[start:]
    assert [int(n) for n in re.findall(r"\[(\d+)\]", selected)] == [5, 4, 3, 2, 1]
    # 33 .bib entries, one preprint dropped, one publication from the YAML
    assert [int(n) for n in re.findall(r"\[(\d+)\]", full)] == list(range(33, 0, -1))
    squashed = squash(full)
    # newest first; year headings in order; forthcoming on top
    order = ["Forthcoming", "Reasoning about Counterfactual Events", "2025", "Counting Events", "2024",
             "2023", "Calibrating Large Language Models", "2022", "2021", "2020", "2019", "Joint Event Extraction"]
    positions = [squashed.index(s) for s in order]
    assert positions == sorted(positions)
    assert squashed.count("Calibrating Large Language Models with Self-Consistency") == 1
    # LaTeX accents became letters, marks follow names, the legend is there once per list
    flat = squashed.replace(" *", "*").replace(" §", "§").replace(" †", "†")
    assert "Zoë Lefèvre*" in flat and "José García-Márquez*" in flat and "Ayşe Öztürk§" in flat
    assert "Zhifang Sui†" in flat
    assert text.count("equal contribution") == 2  # the selected list and the full list
    assert "Haoran Xu, et al." in squashed
    assert "赵明宇, 李一文, 常宝宝" in squashed


@pytest.mark.slow
def test_the_owner_is_set_in_bold_and_namesakes_are_not(demo_pdf: Path) -> None:
    from pypdf import PdfReader

    runs: list[list[str]] = []  # [font, text] of consecutive chunks set in one font

    def visit(text: str, cm: Any, tm: Any, font: Any, size: Any) -> None:
        name = str(font.get("/BaseFont", "")) if font else ""
        if size > 15 or not text:  # the name in the header
            return
        if runs and runs[-1][0] == name:
            runs[-1][1] += text
        else:
            runs.append([name, text])

    for page in PdfReader(demo_pdf).pages:
        page.extract_text(visitor_text=visit)
    fonts: dict[str, set[str]] = {}
    for font, text in runs:
        for person in ("Mingyu Zhao", "Rui Zhao", "Mengqi Zhao", "M. Zhao"):
            if person in " ".join(text.split()):
                fonts.setdefault(person, set()).add(font)
    assert fonts["Mingyu Zhao"] and all("Bold" in f for f in fonts["Mingyu Zhao"]), fonts["Mingyu Zhao"]
    assert fonts["M. Zhao"] and all("Bold" in f for f in fonts["M. Zhao"])
    assert fonts["Rui Zhao"] and not any("Bold" in f for f in fonts["Rui Zhao"])
    assert fonts["Mengqi Zhao"] and not any("Bold" in f for f in fonts["Mengqi Zhao"])


def test_the_html_source_marks_the_owner_strong_and_only_the_owner() -> None:
    html = render_source(DEMO, today=TODAY)
    strong = set(re.findall(r'<strong class="me">([^<]+)</strong>', html))
    assert strong == {"Mingyu Zhao", "M. Zhao", "M.-Y. Zhao", "Ming-Yu Zhao", "ZHAO Mingyu", "赵明宇"}
    assert "Rui Zhao</strong>" not in html and "Mengqi Zhao</strong>" not in html
