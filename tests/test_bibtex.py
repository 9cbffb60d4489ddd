"""BibTeX input: LaTeX to Unicode, name orders, field mapping, author roles, errors with line numbers."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from cvrender.api import render_source, with_bibliographies
from cvrender.errors import ProfileError, Warnings
from cvrender.sources.bibtex import BibOptions, latex_to_text, parse_bibtex
from cvrender.sources.loading import load_profile

ROOT = Path(__file__).resolve().parent.parent
EXAMPLE_BIB = ROOT / "examples" / "bib" / "publications.bib"


def parse(text: str, warnings: Warnings | None = None) -> list:
    return parse_bibtex(text, "pubs.bib", warnings if warnings is not None else Warnings())


def one(text: str, warnings: Warnings | None = None):
    pubs = parse(text, warnings)
    assert len(pubs) == 1
    return pubs[0]


def error_of(text: str) -> ProfileError:
    """The error strict mode gives (what the default mode turns into warnings)."""
    with pytest.raises(ProfileError) as info:
        parse_bibtex(text, "pubs.bib", Warnings(), BibOptions(strict=True))
    return info.value


def warned(text: str) -> tuple[list, list[str]]:
    """The publications and warnings of the default (lenient) mode."""
    warnings = Warnings()
    return parse(text, warnings), warnings.items


# ----- LaTeX to Unicode --------------------------------------------------------------------------

@pytest.mark.parametrize(("latex", "text"), [
    (r"M{\"u}ller", "Müller"),
    (r"M\"{u}ller", "Müller"),
    (r"{\'e}tude \& caf{\'e}", "étude & café"),
    (r"Garc\'{\i}a-M\'{a}rquez", "García-Márquez"),
    (r"{\O}stergaard, S{\o}ren", "Østergaard, Søren"),
    (r"Ay{\c{s}}e {\v{S}}imi\'{c} Nguy{\~{\^e}}n", "Ayşe Šimić Nguyễn"),
    (r"A {BERT}-based {{GPT}-4} Study", "A BERT-based GPT-4 Study"),
    (r"50\% of $\alpha$ and $O(n^2)$", "50% of α and O(n²)"),
    (r"Learning with \emph{Few} \textbf{Labels}", "Learning with *Few* **Labels**"),
    (r"see \url{https://example.org/a_b}", "see https://example.org/a_b"),
    ("pre--post---end ``quoted''", "pre–post—end “quoted”"),
    ("plain   text\n  over lines", "plain text over lines"),
])
def test_latex_in_fields_becomes_unicode(latex: str, text: str) -> None:
    assert latex_to_text(latex, markup=True) == text


# ----- names -------------------------------------------------------------------------------------

def test_both_name_orders_accents_braces_and_others() -> None:
    pub = one(r"""@article{k, title = {T}, journal = {J}, year = 2020,
        author = {Xu, Runxin and Hans M{\"u}ller and de la Fontaine, Jean and {Google DeepMind}
                  and King, Jr., Martin Luther and others}}""")
    assert [a.name for a in pub.authors] == [
        "Runxin Xu", "Hans Müller", "Jean de la Fontaine", "Google DeepMind", "Martin Luther King Jr.", "others"]


def test_an_and_inside_braces_does_not_split_a_name() -> None:
    pub = one("@misc{k, title={T}, author = {{Barnes and Noble} and Lei Li}}")
    assert [a.name for a in pub.authors] == ["Barnes and Noble", "Lei Li"]


def test_marks_written_after_a_name_become_roles() -> None:
    pub = one(r"@misc{k, title={T}, author = {Runxin Xu* and Lei Li$^*$ and Chang$^\dagger$, Baobao}}")
    assert [(a.name, a.roles) for a in pub.authors] == [
        ("Runxin Xu", ["equal"]), ("Lei Li", ["equal"]), ("Baobao Chang", ["corresponding"])]


# ----- author roles ------------------------------------------------------------------------------

def test_role_fields_by_position_and_ranges() -> None:
    pub = one("""@inproceedings{k, title={T}, booktitle={B}, year=2021,
        author = {A One and B Two and C Three and D Four},
        equal = {1-3}, corresponding = {4}, student = {2}, cofirst = {1,2}}""")
    assert [sorted(a.roles) for a in pub.authors] == [
        ["co_first", "equal"], ["co_first", "equal", "student"], ["equal"], ["corresponding"]]


def test_biblatex_annotations_and_an_explicit_owner() -> None:
    pub = one("""@article{k, title={T}, journal={J}, year=2022,
        author = {Rui Xu and Runxin Xu and Lei Li},
        author+an = {1=equal; 2=equal,corresponding; 3=highlight}}""")
    assert [a.roles for a in pub.authors] == [["equal"], ["equal", "corresponding"], []]
    # naming the owner explicitly turns name matching off for the entry
    assert [a.me for a in pub.authors] == [False, False, True]


def test_me_field_names_the_owner() -> None:
    pub = one("@misc{k, title={T}, author = {M. Zhao and Mingyu Zhao}, me = {1}}")
    assert [a.me for a in pub.authors] == [True, False]


# ----- field mapping -----------------------------------------------------------------------------

@pytest.mark.parametrize(("entry", "kind"), [
    ("@article{k, title={T}, journal={Computational Linguistics}}", "journal"),
    ("@article{k, title={T}, journal={arXiv preprint arXiv:2101.00001}}", "preprint"),
    ("@article{k, title={T}, journal={CoRR}, volume={abs/2101.00001}}", "preprint"),
    ("@inproceedings{k, title={T}, booktitle={Proceedings of ACL}}", "conference"),
    ("@conference{k, title={T}, booktitle={Proceedings of ACL}}", "conference"),
    ("@inproceedings{k, title={T}, booktitle={Proceedings of the Workshop on X}}", "workshop"),
    ("@incollection{k, title={T}, booktitle={Handbook}}", "chapter"),
    ("@inbook{k, title={T}, booktitle={Handbook}}", "chapter"),
    ("@book{k, title={T}, publisher={Springer}}", "book"),
    ("@phdthesis{k, title={T}, school={PKU}}", "thesis"),
    ("@mastersthesis{k, title={T}, school={PKU}}", "thesis"),
    ("@patent{k, title={T}, number={US123}}", "patent"),
    ("@techreport{k, title={T}, institution={PKU}}", "report"),
    ("@misc{k, title={T}, eprint={2101.00001}, archiveprefix={arXiv}}", "preprint"),
    ("@unpublished{k, title={T}, note={Under review}}", "other"),
    ("@inproceedings{k, title={T}, booktitle={ACL Demos}, pubtype={demo}}", "demo"),
])
def test_entry_types_map_to_publication_types(entry: str, kind: str) -> None:
    assert one(entry).type == kind


def test_a_conference_entry_maps_every_field() -> None:
    pub = one(r"""
@string{acl = "Proceedings of the 60th Annual Meeting of the Association for Computational Linguistics"}
@inproceedings{xu2022,
  title     = {A {BERT}-based Parser},
  author    = {Xu, Runxin and Lei Li},
  booktitle = acl # " (Volume 1: Long Papers)",
  abbr      = {ACL},
  year      = {2022}, month = may, pages = {10--20},
  doi       = {https://doi.org/10.18653/v1/2022.acl-long.1},
  url       = {https://aclanthology.org/2022.acl-long.1},
  pdf = {https://aclanthology.org/2022.acl-long.1.pdf}, code = {https://github.com/x/y},
  slides = {https://e.org/s.pdf}, video = {https://e.org/v.mp4}, poster = {https://e.org/p.pdf},
  project = {https://e.org/p},
  note = {Oral; Best Paper Award}, selected = {true},
}""")
    assert pub.id == "xu2022"
    assert pub.title == "A BERT-based Parser"
    assert pub.venue == ("Proceedings of the 60th Annual Meeting of the Association for Computational "
                         "Linguistics (Volume 1: Long Papers)")
    assert pub.venue_short == "ACL"
    assert (pub.year, str(pub.date), pub.pages) == (2022, "2022-05", "10–20")
    assert pub.doi == "10.18653/v1/2022.acl-long.1"
    assert pub.url == "https://aclanthology.org/2022.acl-long.1"
    assert [link.label for link in pub.links] == ["PDF", "Code", "Slides", "Video", "Poster", "Project"]
    assert pub.notes == ["Oral", "Best Paper Award"]
    assert pub.selected is True


def test_the_short_venue_comes_from_a_trailing_acronym() -> None:
    pub = one("""@inproceedings{k, title={T}, year=2020, booktitle={Proceedings of the 2020 Conference
        on Empirical Methods in Natural Language Processing (EMNLP 2020)}}""")
    assert pub.venue_short == "EMNLP"
    assert pub.venue.endswith("Natural Language Processing")


@pytest.mark.parametrize("fields", [
    "eprint = {2305.10234}, archiveprefix = {arXiv}",
    "eprint = {2305.10234}, eprinttype = {arxiv}",
    "journal = {arXiv preprint arXiv:2305.10234}",
    "journal = {CoRR}, volume = {abs/2305.10234}",
    "url = {https://arxiv.org/abs/2305.10234}",
    "arxiv = {2305.10234}",
])
def test_arxiv_only_entries_get_an_arxiv_link(fields: str) -> None:
    pub = one(f"@misc{{k, title={{T}}, author={{A B}}, year=2023, {fields}}}")
    assert pub.arxiv == "2305.10234"
    assert pub.type == "preprint"
    assert pub.venue == "arXiv preprint arXiv:2305.10234"


def test_an_unfinished_year_becomes_a_note() -> None:
    pub = one("@article{k, title={T}, journal={J}, year={to appear}}")
    assert pub.year is None
    assert pub.notes == ["To appear"]


def test_a_link_that_is_not_a_web_address_is_left_out_with_a_warning() -> None:
    warnings = Warnings()
    pub = one("@misc{k,\n title={T},\n pdf={papers/k.pdf},\n code={https://github.com/x/y}}", warnings)
    assert [link.label for link in pub.links] == ["Code"]
    assert any("pubs.bib:3" in w and "pdf" in w for w in warnings.items)


def test_an_undefined_string_is_printed_as_written_with_a_warning() -> None:
    warnings = Warnings()
    pub = one("@article{k,\n title={T},\n journal = jmlr}", warnings)
    assert pub.venue == "jmlr"
    assert any("pubs.bib:3" in w and "'jmlr'" in w for w in warnings.items)


# ----- errors ------------------------------------------------------------------------------------

def test_a_syntax_error_names_its_line() -> None:
    text = "@article{a, title={ok}, year=2020}\n\n@article{b\n  title = {T},\n}\n"
    error = error_of(text)
    assert str(error).startswith("pubs.bib:3: b:")
    assert "line 4" in str(error)
    pubs, warnings = warned(text)
    assert [p.id for p in pubs] == ["a"] and warnings == [str(error)]


def test_an_unclosed_entry_points_at_where_it_starts() -> None:
    error = error_of("@article{a, title={ok}}\n@article{d, title = {unclosed,\n  year = 2020}\n\n@article{e, title={ok}}\n")
    assert str(error).startswith("pubs.bib:2:")
    assert "not closed" in str(error)


def test_duplicate_keys_and_fields_keep_the_first_with_a_warning() -> None:
    assert str(error_of("@article{a, title={ok}}\n@article{a, title={again}}")).startswith("pubs.bib:2: a:")
    pubs, warnings = warned("@article{a, title={ok}}\n@article{a, title={again}}")
    assert [p.title for p in pubs] == ["ok"] and len(warnings) == 1 and "left out" in warnings[0]
    error = error_of("@article{a,\n title={ok},\n title={again}}")
    assert str(error).startswith("pubs.bib:3: a:") and "'title' is given twice" in str(error)
    pubs, warnings = warned("@article{a,\n title={ok},\n Title={again}, year = 2001, year = 2002}")
    assert [(p.title, p.year) for p in pubs] == [("ok", 2001)]
    assert [w.split(":")[1] for w in warnings] == ["3", "3"]


def test_every_bad_field_is_reported_at_once_with_its_line() -> None:
    error = error_of("@article{a,\n  title = {ok},\n  year = {2O22},\n  equal = {1,5},\n"
                     "  author = {A B and C D},\n  selected = {maybe},\n}")
    lines = str(error).splitlines()
    assert lines[0].startswith("pubs.bib:3: a: year:") and "'2O22' is not a year" in lines[0]
    assert lines[1].startswith("pubs.bib:4: a: equal:") and "no author 5" in lines[1]
    assert lines[2].startswith("pubs.bib:6: a: selected:") and "true or false" in lines[2]
    pub = one("@article{a,\n  title = {ok},\n  year = {2O22},\n  equal = {1,5},\n"
              "  author = {A B and C D},\n  selected = {maybe},\n}")
    assert (pub.title, pub.year, pub.selected, pub.authors[0].roles) == ("ok", None, False, ["equal"])


def test_an_entry_without_a_title_is_left_out_with_a_warning() -> None:
    assert str(error_of("\n\n@misc{k, author={X Y}}")).startswith("pubs.bib:3: k:")
    pubs, warnings = warned("\n\n@misc{k, author={X Y}}\n@misc{t, title={T}}")
    assert [p.id for p in pubs] == ["t"]
    assert warnings == ["pubs.bib:3: k: it has no title; the entry is left out"]


def test_a_file_that_is_not_bibtex_is_an_error() -> None:
    error = error_of("name: Runxin Xu\npublications:\n  - title: x\n")
    assert str(error).startswith("pubs.bib:1:")
    assert "not a BibTeX file" in str(error)


def test_an_empty_bib_is_only_a_warning() -> None:
    warnings = Warnings()
    assert parse("% nothing yet\n", warnings) == []
    assert warnings.items == ["pubs.bib: no BibTeX entries"]


def test_a_file_not_in_utf8_is_an_error_with_its_line(tmp_path: Path) -> None:
    bib = tmp_path / "latin1.bib"
    bib.write_bytes("@misc{k,\n title={Caf\u00e9}}\n".encode("latin-1"))
    profile = tmp_path / "cv.yaml"
    profile.write_text("name: A B\npublications:\n  bibtex: latin1.bib\n")
    with pytest.raises(ProfileError) as info:
        render_source(profile)
    assert str(info.value).startswith(f"{bib}:2:")


# ----- merging with the profile ------------------------------------------------------------------

def test_a_missing_bib_is_reported_where_the_profile_names_it(tmp_path: Path) -> None:
    profile = tmp_path / "cv.yaml"
    profile.write_text("name: A B\npublications:\n  bibtex: missing.bib\n")
    with pytest.raises(ProfileError) as info:
        render_source(profile)
    assert str(info.value).startswith(f"{profile}:3:")
    assert "missing.bib" in str(info.value)


def test_profile_items_and_bib_entries_merge_and_the_profile_wins_on_a_key(tmp_path: Path) -> None:
    (tmp_path / "a.bib").write_text("@misc{one, title={From bib}, author={A B}}\n@misc{two, title={Two}, author={A B}}")
    (tmp_path / "b.bib").write_text("@misc{two, title={Again}, author={A B}}\n@misc{three, title={Three}, author={A B}}")
    loaded = load_profile({"name": "A B", "publications": [{"id": "one", "title": "From YAML", "authors": ["A B"]}]})
    warnings = Warnings()
    merged = with_bibliographies(loaded, [str(tmp_path / "a.bib"), str(tmp_path / "b.bib")], warnings)
    assert [(p.id, p.title) for p in merged.profile.publications.items] == [
        ("one", "From YAML"), ("two", "Two"), ("three", "Three")]
    assert any("'two' from 'two' in a.bib and 'two' in b.bib" in w for w in warnings.items), warnings.items


def test_the_example_bib_reads_cleanly() -> None:
    warnings = Warnings()
    pubs = parse_bibtex(EXAMPLE_BIB.read_text(encoding="utf-8"), str(EXAMPLE_BIB), warnings)
    assert len(pubs) >= 30
    assert warnings.items == []
    kinds = {p.type for p in pubs}
    assert {"journal", "conference", "workshop", "preprint", "thesis", "chapter", "patent", "report"} <= kinds


def _cli(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "cvrender", *args], capture_output=True, text=True,
                          check=False)


def test_bib_on_the_command_line(tmp_path: Path) -> None:
    (tmp_path / "cv.yaml").write_text("name: Grace Hopper\n")
    (tmp_path / "extra.bib").write_text("@article{k, title={The Education of a Computer}, author={Hopper, Grace},"
                                        " journal={Proceedings of the ACM}, year=1952}")
    source = render_source(tmp_path / "cv.yaml", bib=[str(tmp_path / "extra.bib")])
    assert "The Education of a Computer" in source
    assert "<strong class=\"me\">Grace Hopper</strong>" in source
    (tmp_path / "bad.bib").write_text("@article{k,\n  title = {T}\n  year = 2020\n}\n")
    result = _cli("build", str(tmp_path / "cv.yaml"), "--bib", str(tmp_path / "bad.bib"), "-o", str(tmp_path),
                  "--strict")
    assert result.returncode == 2
    assert f"error: {tmp_path / 'bad.bib'}:2: k: title: cannot read" in result.stderr
    assert "comma missing" in result.stderr
    assert "Traceback" not in result.stderr
    lenient = _cli("build", str(tmp_path / "cv.yaml"), "--bib", str(tmp_path / "bad.bib"), "-o", str(tmp_path))
    assert lenient.returncode == 0, lenient.stderr
    assert f"warning: {tmp_path / 'bad.bib'}:2: k: title: cannot read" in lenient.stderr
