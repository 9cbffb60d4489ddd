"""One publication list when sources meet: a profile's entries, .bib files (named in the profile or
given with --bib) and a lab's shared .bib are merged so each work appears once, with its authors, the
published venue, and the profile's own notes, links, 'selected' and short venue."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from click.testing import CliRunner
from conftest import TODAY, pdf_text, require_tex, require_tool

import cvrender
from cvrender.api import with_bibliographies
from cvrender.cli import main
from cvrender.context.publications import PubSource, merge_sources
from cvrender.errors import Warnings
from cvrender.lab import MemberSelection, apply_member
from cvrender.model.publications import Publication
from cvrender.sources.loading import load_profile

KNOW = "Can AI Assistants Know What They Don't Know?"
KNOW_BIB = """@inproceedings{cheng2024know,
  title={Can {AI} Assistants Know What They Don't Know?},
  author={Cheng, Qinyuan and Sun, Tianxiang and Jiang, Zhengbao and Qiu, Xipeng},
  booktitle={Proceedings of the 41st International Conference on Machine Learning},
  doi={10.5555/know.2024},
  year={2024}
}
"""
PREPRINT_BIB = """@article{jiang2023active_arxiv,
  title={Active Retrieval Augmented Generation},
  author={Jiang, Zhengbao and Xu, Frank F. and Gao, Luyu},
  journal={arXiv preprint arXiv:2305.06983},
  eprint={2305.06983}, archivePrefix={arXiv},
  year={2023}
}
"""
PUBLISHED_BIB = """@inproceedings{jiang2023active,
  title={Active Retrieval Augmented Generation},
  author={Jiang, Zhengbao and Xu, Frank F. and Gao, Luyu and Sun, Zhiqing},
  booktitle={Proceedings of the 2023 Conference on Empirical Methods in Natural Language Processing},
  year={2023}
}
"""


def pdf(source: Path, tmp_path: Path, backend: str = "html", bib: tuple[str, ...] = ()) -> tuple[str, list[str]]:
    require_tool("pdftotext")
    if backend == "latex":
        require_tex()
    result = cvrender.build(source, output=tmp_path / f"cv-{backend}.pdf", today=TODAY, backend=backend, bib=bib)
    assert result.pdf_path is not None
    return " ".join(pdf_text(result.pdf_path).split()), result.warnings


def resume_without_authors(tmp_path: Path) -> Path:
    path = tmp_path / "resume.json"
    path.write_text(json.dumps({"basics": {"name": "Zhengbao Jiang"}, "publications": [
        {"name": KNOW, "publisher": "ICML", "releaseDate": "2024"}]}), encoding="utf-8")
    (tmp_path / "refs.bib").write_text(KNOW_BIB, encoding="utf-8")
    return path


@pytest.mark.parametrize("backend", ["html", pytest.param("latex", marks=[pytest.mark.tex, pytest.mark.slow])])
def test_an_authorless_json_resume_entry_and_the_bib_print_once_with_authors(tmp_path: Path, backend: str) -> None:
    source = resume_without_authors(tmp_path)
    text, warnings = pdf(source, tmp_path, backend, bib=(str(tmp_path / "refs.bib"),))
    assert text.count("Know What They") == 1
    assert "Qinyuan Cheng, Tianxiang Sun, Zhengbao Jiang, Xipeng Qiu" in text
    merged = [w for w in warnings if "merged into one entry" in w]
    assert len(merged) == 1 and "the profile" in merged[0] and "refs.bib" in merged[0]


def test_the_cli_with_bib_merges_the_same_way(tmp_path: Path) -> None:
    source = resume_without_authors(tmp_path)
    out = tmp_path / "cli.pdf"
    result = CliRunner().invoke(main, ["build", str(source), "--bib", str(tmp_path / "refs.bib"), "-o", str(out),
                                       "--today", TODAY.isoformat()])
    assert result.exit_code == 0, result.output
    text = " ".join(pdf_text(out).split())
    assert text.count("Know What They") == 1 and "Qinyuan Cheng" in text


def test_the_profiles_short_venue_notes_and_selection_survive_the_bibs_fuller_copy(tmp_path: Path) -> None:
    (tmp_path / "refs.bib").write_text(KNOW_BIB, encoding="utf-8")
    source = tmp_path / "cv.yaml"
    source.write_text(f"""name: Zhengbao Jiang
publications:
  bibtex: refs.bib
  items:
    - title: "{KNOW}"
      venue_short: ICML
      year: 2024
      note: Oral
      selected: true
      links:
        - {{label: code, url: "https://example.org/code"}}
""", encoding="utf-8")
    loaded = with_bibliographies(load_profile(source), (), Warnings())
    [pub] = loaded.profile.publications.items
    assert [a.name for a in pub.authors] == ["Qinyuan Cheng", "Tianxiang Sun", "Zhengbao Jiang", "Xipeng Qiu"]
    assert (pub.venue_short, pub.notes, pub.selected, pub.doi) == ("ICML", ["Oral"], True, "10.5555/know.2024")
    assert pub.venue == "Proceedings of the 41st International Conference on Machine Learning"
    assert [link.label for link in pub.links] == ["code"]
    text, _ = pdf(source, tmp_path)
    assert text.count("Know What They") == 1
    assert "ICML 2024" in text and "Oral" in text and "Qinyuan Cheng" in text


@pytest.mark.parametrize("backend", ["html", pytest.param("latex", marks=[pytest.mark.tex, pytest.mark.slow])])
def test_a_preprint_in_one_bib_and_the_published_paper_in_another_print_once(tmp_path: Path, backend: str) -> None:
    (tmp_path / "a.bib").write_text(PREPRINT_BIB, encoding="utf-8")
    (tmp_path / "b.bib").write_text(PUBLISHED_BIB, encoding="utf-8")
    source = tmp_path / "cv.yaml"
    source.write_text("name: Zhengbao Jiang\npublications:\n  bibtex: [a.bib, b.bib]\n", encoding="utf-8")
    text, warnings = pdf(source, tmp_path, backend)
    assert text.count("Active Retrieval Augmented Generation") == 1
    assert "Zhengbao Jiang, Frank F. Xu, Luyu Gao, Zhiqing Sun" in text  # the fuller author list
    assert "Empirical Methods" in text and "arXiv preprint" not in text
    assert "arXiv" in text  # the preprint's link is kept
    [merged] = [w for w in warnings if "merged into one entry" in w]
    assert "'jiang2023active_arxiv'" in merged and "a.bib" in merged and "b.bib" in merged


def test_deduplicate_false_keeps_every_copy(tmp_path: Path) -> None:
    (tmp_path / "refs.bib").write_text(KNOW_BIB, encoding="utf-8")
    profile = tmp_path / "cv.yaml"
    profile.write_text(f'name: Zhengbao Jiang\npublications:\n  bibtex: refs.bib\n  deduplicate: false\n'
                       f'  items:\n    - title: "{KNOW}"\n      venue: ICML\n      year: 2024\n', encoding="utf-8")
    text, warnings = pdf(profile, tmp_path)
    assert text.count("Know What They") == 2
    assert not [w for w in warnings if "merged" in w]


def test_same_doi_is_the_same_work_whatever_the_title_and_different_years_stay_apart() -> None:
    def pub(title: str, **extra: object) -> Publication:
        return Publication.model_validate({"title": title, **extra})

    warnings = Warnings()
    items = merge_sources([
        PubSource("the profile", [pub("Tone without tears", doi="10.1/t", year=2021, authors=["A B*"]),
                                  pub("Same Title", venue="Workshop on X", type="workshop", year=2020)],
                  explicit=True),
        PubSource("x.bib", [pub("Tone Without Tears: Segmenting Speech", doi="https://doi.org/10.1/T", year=2021,
                                venue="Interspeech", authors=["A B", "C D"]),
                            pub("Same title", venue="ACL", type="conference", year=2021, authors=["A B"])]),
    ], warnings)
    assert [p.title for p in items] == ["Tone without tears", "Same Title", "Same title"]
    tone = items[0]
    assert [(a.name, a.roles) for a in tone.authors] == [("A B", ["equal"]), ("C D", [])]  # the profile's mark kept
    assert tone.venue == "Interspeech"
    assert len(warnings.items) == 1 and "x.bib" in warnings.items[0]


def test_the_labs_shared_bib_goes_through_the_same_rule(tmp_path: Path) -> None:
    (tmp_path / "lab.bib").write_text(KNOW_BIB, encoding="utf-8")
    source = tmp_path / "cv.yaml"
    source.write_text(f'name: Zhengbao Jiang\npublications:\n  - title: "{KNOW}"\n    venue_short: ICML\n'
                      "    year: 2024\n", encoding="utf-8")
    warnings = Warnings()
    selection = MemberSelection("Lab", (tmp_path / "lab.bib",), (), None, None)
    member = apply_member(load_profile(source), selection, warnings)
    [pub] = member.profile.publications.items
    assert len(pub.authors) == 4 and pub.venue_short == "ICML"
    assert any(re.search(r"merged into one entry.*the lab's \.bib", w) for w in warnings.items)


def test_a_workshop_paper_and_its_conference_version_of_one_year_stay_two_and_cjk_titles_never_collide() -> None:
    def pub(title: str, **extra: object) -> Publication:
        return Publication.model_validate({"title": title, "year": 2022, **extra})

    warnings = Warnings()
    items = merge_sources([PubSource("a.bib", [
        pub("Same Title", venue="Workshop on Tones", type="workshop"),
        pub("Same Title", venue="ACL", type="conference"),
        pub("基于图网络的事件抽取", venue="中文信息学报"),
        pub("面向低资源语言的形态分析", venue="中文信息学报")])], warnings)
    assert len(items) == 4 and warnings.items == []
    again = merge_sources([PubSource("the profile", [pub("基于图网络的事件抽取")], explicit=True),
                           PubSource("b.bib", [pub("基于图网络的事件抽取。", venue="中文信息学报", authors=["许润昕"])])],
                          warnings)
    assert len(again) == 1 and again[0].venue == "中文信息学报" and len(again[0].authors) == 1
