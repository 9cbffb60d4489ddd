r"""BibTeX as people keep it: lenient reading with located warnings (strict on request), verbatim
link fields, al-folio's conventions, biblatex's data model, LaTeX and HTML to Unicode, name marks."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import TODAY, pdf_text, squash, uri_annotations

from cvrender.api import render_pdf, render_source
from cvrender.errors import ProfileError, Warnings
from cvrender.sources.bibtex import BibOptions, parse_bibtex


def read(text: str, **options: object) -> tuple[dict[str, object], list[str]]:
    """Publications by key, and the warnings."""
    warnings = Warnings()
    pubs = parse_bibtex(text, "refs.bib", warnings, BibOptions(**options))  # type: ignore[arg-type]
    return {p.id: p for p in pubs}, warnings.items


def one(text: str, **options: object):
    pubs, _ = read(text, **options)
    assert len(pubs) == 1
    return next(iter(pubs.values()))


# ----- one bad entry never costs the whole list ------------------------------------------------------

BROKEN = """@article{good, title = {Kept}, journal = {J}, year = 2020}

@misc{notitle, author = {A B}}

@article{bad, title = {Also kept}, year = {2O2O}, month = {Smarch}}

@article{good, title = {Same key}, year = 2021}
"""


def test_each_problem_is_one_located_warning_and_the_rest_builds() -> None:
    pubs, warnings = read(BROKEN)
    assert sorted(pubs) == ["bad", "good"]
    assert pubs["bad"].year is None
    assert warnings == [
        "refs.bib:3: notitle: it has no title; the entry is left out",
        "refs.bib:5: bad: year: '2O2O' is not a year; left out",
        "refs.bib:7: good: the key is used by the entry at line 1 too; this entry is left out",
    ]


def test_strict_mode_turns_the_same_lines_into_errors() -> None:
    _, warnings = read(BROKEN)
    with pytest.raises(ProfileError) as info:
        read(BROKEN, strict=True)
    assert [str(p) for p in info.value.problems] == warnings


def test_strict_in_the_profile_and_on_the_command_line_exit_2(tmp_path: Path) -> None:
    (tmp_path / "refs.bib").write_text(BROKEN)
    (tmp_path / "cv.yaml").write_text("name: A B\npublications:\n  bibtex: refs.bib\n")
    (tmp_path / "strict.yaml").write_text("name: A B\nstrict: true\npublications:\n  bibtex: refs.bib\n")
    assert "Also kept" in render_source(tmp_path / "cv.yaml")
    with pytest.raises(ProfileError) as info:
        render_source(tmp_path / "strict.yaml")
    assert str(info.value).splitlines()[0] == f"{tmp_path / 'refs.bib'}:3: notitle: it has no title; the entry is left out"
    run = subprocess.run([sys.executable, "-m", "cvrender", "validate", "--strict", str(tmp_path / "cv.yaml")],
                         capture_output=True, text=True, check=False)
    assert run.returncode == 2 and f"{tmp_path / 'refs.bib'}:5: bad: year:" in run.stderr
    assert "Traceback" not in run.stderr
    lenient = subprocess.run([sys.executable, "-m", "cvrender", "validate", str(tmp_path / "cv.yaml")],
                             capture_output=True, text=True, check=False)
    assert lenient.returncode == 0 and f"warning: {tmp_path / 'cv.yaml'}: {tmp_path / 'refs.bib'}:5: bad: year:" in lenient.stderr


def test_an_unclosed_entry_is_skipped_and_the_next_one_read() -> None:
    pubs, warnings = read("@article{open, title = {Never closed,\n year = 2020\n\n@article{next, title={Next}}\n")
    assert list(pubs) == ["next"]
    assert len(warnings) == 1 and warnings[0].startswith("refs.bib:1: open: this entry is not closed")


# ----- verbatim fields ---------------------------------------------------------------------------

def test_link_fields_are_never_decoded_as_latex() -> None:
    pub = one(r"""@misc{k, title = {T},
        url = {http://www.cs.example.edu/~user/papers/a--b_c.pdf?x=1&y=2},
        code = {https://github.com/o/my\_repo},
        slides = {\url{https://example.org/50\%25/talk~1.pdf}},
        doi = {10.1002/(SICI)1097-0258(19980815/30)17:15/16<1661::AID-SIM968>3.0.CO;2-2}}""")
    assert pub.url == "http://www.cs.example.edu/~user/papers/a--b_c.pdf?x=1&y=2"
    assert [(link.label, link.url) for link in pub.links] == [
        ("Code", "https://github.com/o/my_repo"), ("Slides", "https://example.org/50%25/talk~1.pdf")]
    assert pub.doi == "10.1002/(SICI)1097-0258(19980815/30)17:15/16<1661::AID-SIM968>3.0.CO;2-2"


def test_a_doi_is_linked_only_when_it_looks_like_one() -> None:
    pubs, warnings = read("@misc{a, title={A}, doi={https://doi.org/10.1000/xyz}}\n"
                          "@misc{b, title={B}, doi={not-a-doi}}")
    assert pubs["a"].doi == "10.1000/xyz" and pubs["b"].doi is None
    assert warnings == ["refs.bib:2: b: doi: 'not-a-doi' is not a DOI (they look like 10.1234/abc); left out"]


def test_eprint_with_its_type_becomes_an_arxiv_link_or_another_archive() -> None:
    pubs, _ = read("@online{new, title={N}, eprint={2101.00001}, eprinttype={arxiv}}\n"
                   "@article{old, title={O}, journal={J}, eprint={hep-th/9603067}, archivePrefix={arXiv}}\n"
                   "@book{j, title={B}, eprint={123_4}, eprinttype={jstor}}")
    assert pubs["new"].arxiv == "2101.00001" and pubs["new"].type == "preprint"
    assert pubs["old"].arxiv == "hep-th/9603067"
    assert [(lk.label, lk.url) for lk in pubs["j"].links] == [("JSTOR", "https://www.jstor.org/stable/123_4")]


# ----- al-folio ----------------------------------------------------------------------------------

ALFOLIO = """---
---

@inproceedings{p1,
  title = {Seeing &amp; Acting&#58; A <i>Study</i>},
  author = {<b>Ada Lovelace</b> and Charles Babbage},
  booktitle = {Proc.},
  year = {2023},
  abbr = {ICX},
  pdf = {p1.pdf},
  supp = {https://example.org/supp.zip},
  poster = {posters/p1-poster.pdf},
  html = {https://example.org/p1.html},
  preview = {p1.png},
  bibtex_show = {true},
  selected = {true}
}

@article{p2, title = {Second}, author = {Babbage, Charles and <strong>Lovelace, Ada</strong>}, journal = {J},
  year = 2021, slides = {p2-slides.pdf}}
"""


def test_alfolio_front_matter_html_and_the_owner_in_bold() -> None:
    pubs, _ = read(ALFOLIO, files_url="https://ada.example.io/assets/pdf/")
    p1, p2 = pubs["p1"], pubs["p2"]
    assert p1.title == "Seeing & Acting: A *Study*"
    assert [(a.name, a.me) for a in p1.authors] == [("Ada Lovelace", True), ("Charles Babbage", False)]
    assert [(a.name, a.me) for a in p2.authors] == [("Charles Babbage", False), ("Ada Lovelace", True)]
    assert (p1.venue_short, p1.selected, p1.year) == ("ICX", True, 2023)
    assert [(lk.label, lk.url) for lk in p1.links] == [
        ("PDF", "https://ada.example.io/assets/pdf/p1.pdf"),
        ("Poster", "https://ada.example.io/assets/pdf/posters/p1-poster.pdf"),
        ("Supplement", "https://example.org/supp.zip"), ("HTML", "https://example.org/p1.html")]
    assert [(lk.label, lk.url) for lk in p2.links] == [("Slides", "https://ada.example.io/assets/pdf/p2-slides.pdf")]


def test_an_alfolio_path_from_the_site_root_is_read_from_the_host() -> None:
    pub = one("@misc{k, title={T}, pdf={/assets/pdf/k.pdf}, slides={https://other.org/s.pdf}}",
              files_url="https://ada.example.io/assets/pdf/")
    assert [lk.url for lk in pub.links] == ["https://ada.example.io/assets/pdf/k.pdf", "https://other.org/s.pdf"]


def test_alfolio_file_links_without_a_base_are_left_out_with_one_warning() -> None:
    pubs, warnings = read(ALFOLIO)
    assert [lk.label for lk in pubs["p1"].links] == ["Supplement", "HTML"]
    assert len(warnings) == 1
    assert warnings[0].startswith("refs.bib:10: files: 3 link(s) name a file of a web site")
    assert "publications.files_url" in warnings[0]
    for named in ("p1.pdf=p1.pdf", "p1.poster=posters/p1-poster.pdf", "p2.slides=p2-slides.pdf"):
        assert named in warnings[0]


@pytest.mark.parametrize(("written", "title"), [
    ("<b>Bold</b> and <em>italic</em> &lt;tags&gt;", "**Bold** and *italic* <tags>"),
    ("<b>Never closed", "**Never closed**"),
    ("Stray</i> end <b><i>crossed</b> tags", "Stray end ***crossed*** tags"),
])
def test_html_in_a_title_is_balanced_markup(written: str, title: str) -> None:
    assert one(f"@misc{{k, title = {{{written}}}}}").title == title


def test_the_owner_marked_in_html_wins_over_name_matching(tmp_path: Path) -> None:
    (tmp_path / "refs.bib").write_text(ALFOLIO)
    (tmp_path / "cv.yaml").write_text("name: Someone Else\npublications:\n  bibtex: refs.bib\n"
                                      "  files_url: https://ada.example.io/assets/pdf/\n")
    html = render_source(tmp_path / "cv.yaml", today=TODAY)
    assert html.count('<strong class="me">Ada Lovelace</strong>') == 2
    assert "&lt;b&gt;" not in html and "&amp;#58;" not in html and "<b>" not in html


# ----- biblatex ----------------------------------------------------------------------------------

BIBLATEX = r"""@string{pub = "Example Press"}
@string{city = {Springfield}}

@proceedings{conf, title = {Proceedings of the Tenth Workshop}, subtitle = {Theory and Practice},
  titleaddon = {Held Online}, year = 2019, publisher = pub, editor = {Ed, Itor}, shorttitle = {TW}}

@inproceedings{paper, author = {Doe, Jane}, title = {A Paper}, crossref = {conf}, pages = {1--10}}

@inproceedings{own, author = {Doe, Jane}, title = {Own Venue}, booktitle = {Kept}, year = 2020,
  crossref = {conf}}

@xdata{jcommon, journaltitle = {Journal of Shared Data}, publisher = pub # { and } # city}

@article{art, author = {Doe, Jane}, title = {Data}, xdata = {jcommon}, date = {2015-03}}

@set{bundle, entryset = {paper,own}}

@book{old, author = {Smith, Adam}, title = {An Inquiry}, subtitle = {Into the Nature},
  date = {1885/2019}, origdate = {1776}}

@mvbook{works, author = {Knuth, Donald}, title = {Collected Works}, date = {1984/1986}}

@thesis{ma, author = {Doe, Jane}, title = {M}, type = {mathesis}, institution = {Uni}, year = 2010}
@thesis{phd, author = {Doe, Jane}, title = {P}, type = {phdthesis}, institution = {Uni}, year = 2014}
@mastersthesis{classic, author = {Doe, Jane}, title = {C}, school = {Uni}, year = 2009}
@report{tr, author = {Doe, Jane}, title = {R}, type = {techreport}, institution = {Lab}, number = {7}, year = 2011}
@thesis{other, author = {Doe, Jane}, title = {D}, type = {Diplomarbeit}, institution = {Uni}, year = 2008}
@misc{medieval, author = {Anon}, title = {Chronicle}, year = {1066}}
"""


def test_crossref_inherits_as_biber_does() -> None:
    pubs, warnings = read(BIBLATEX)
    paper, own = pubs["paper"], pubs["own"]
    assert paper.venue == "Proceedings of the Tenth Workshop: Theory and Practice. Held Online"
    assert (paper.year, paper.pages, paper.type) == (2019, "1–10", "workshop")
    assert [a.name for a in paper.authors] == ["Jane Doe"]  # its own author, not the editor
    assert paper.title == "A Paper"  # the parent's title becomes the booktitle, never the title
    # the child's own fields win; field by field, as biber does (so the parent's subtitle still joins)
    assert (own.venue, own.year) == ("Kept: Theory and Practice. Held Online", 2020)
    assert warnings == []


def test_xdata_strings_concatenation_and_sets() -> None:
    pubs, _ = read(BIBLATEX)
    art = pubs["art"]
    assert (art.venue, art.type, str(art.date)) == ("Journal of Shared Data", "journal", "2015-03")
    assert "bundle" not in pubs and "jcommon" not in pubs
    assert pubs["conf"].title == "Proceedings of the Tenth Workshop: Theory and Practice. Held Online"


def test_date_ranges_old_years_and_origdate() -> None:
    pubs, _ = read(BIBLATEX)
    old, works, medieval = pubs["old"], pubs["works"], pubs["medieval"]
    assert old.title == "An Inquiry: Into the Nature"
    assert (old.year, old.date.end.year, old.notes) == (1885, 2019, ["first published 1776"])
    assert (works.year, works.date.end.year) == (1984, 1986)
    assert medieval.year == 1066


def test_year_ranges_print_as_a_range(tmp_path: Path) -> None:
    (tmp_path / "refs.bib").write_text(BIBLATEX)
    (tmp_path / "cv.yaml").write_text("name: Donald Knuth\npublications:\n  bibtex: refs.bib\n")
    assert "1984–1986" in render_source(tmp_path / "cv.yaml", today=TODAY)


@pytest.mark.parametrize(("locale", "words"), [
    ("en", ["Master's thesis, Uni", "PhD thesis, Uni", "Master's thesis, Uni", "Lab, Technical report 7",
            "Diplomarbeit, Uni", "first published 1776"]),
    ("zh", ["硕士学位论文, Uni", "博士学位论文, Uni", "硕士学位论文, Uni", "Lab, 技术报告 7", "Diplomarbeit, Uni",
            "初版于1776年"]),
])
def test_type_keys_are_localised(locale: str, words: list[str]) -> None:
    pubs, _ = read(BIBLATEX, locale=locale)
    assert [pubs[k].venue for k in ("ma", "phd", "classic", "tr", "other")] + pubs["old"].notes == words


# ----- LaTeX to Unicode, once, in the reader ----------------------------------------------------------

@pytest.mark.parametrize(("title", "expected"), [
    (r"Methodology\hyphen independent", "Methodology-independent"),
    (r"\mkbibquote{Intention} und \enquote{Sinn}", "“Intention” und “Sinn”"),
    (r"Sorting in $O(n^2)$ and $O(n \log n)$ time", "Sorting in O(n²) and O(n log n) time"),
    (r"The $\alpha$-$\beta$ pruning$^{\dagger}$", "The α-β pruning†"),
    (r"H$_2$O and $x_{ij}$", "H₂O and xᵢⱼ"),
    (r"\emph{Deep} \textbf{Nets} and \textit{more}", "*Deep* **Nets** and *more*"),
    (r"See \href{https://example.org/a~b}{the site}", "See [the site](https://example.org/a~b)"),
    (r"At \url{https://example.org/x_y}", "At https://example.org/x_y"),
])
def test_latex_in_titles(title: str, expected: str) -> None:
    pubs, warnings = read(f"@misc{{k, title = {{{title}}}}}")
    assert pubs["k"].title == expected
    assert warnings == []


def test_math_that_is_not_text_prints_its_source_without_markup_and_warns() -> None:
    pubs, warnings = read(r"@misc{k, title = {Bounds of $\frac{a}{b}^{k+q}$ and $\widehat{\Theta}$}}")
    title = pubs["k"].title
    assert not re.search(r"[\\{}$]", title)
    assert "a/b" in title and "^(k+q)" in title
    assert len(warnings) >= 1 and all(w.startswith("refs.bib:1: k: title: the math ") for w in warnings)


# ----- name marks ----------------------------------------------------------------------------------

def test_marks_in_names_become_roles() -> None:
    pub = one(r"""@article{k, title = {T}, journal = {J}, year = 2020,
        author = {Wen*, Zehao and Fu*†, Rao and Ann Lee\textsuperscript{*} and Bo Chen$^*$ and
                  Cy Dee$^{\dagger}$ and Eve Fox$^\ddagger$ and Plain, Name}}""")
    assert [(a.name, a.roles) for a in pub.authors] == [
        ("Zehao Wen", ["equal"]), ("Rao Fu", ["equal", "corresponding"]), ("Ann Lee", ["equal"]),
        ("Bo Chen", ["equal"]), ("Cy Dee", ["corresponding"]), ("Eve Fox", ["co_first"]), ("Name Plain", [])]


# ----- nothing raw reaches the PDF -----------------------------------------------------------------

HOSTILE = r"""---
---
@inproceedings{a, title = {{GPU} Kernels in $O(n^2)$: the \mkbibquote{Fast} \emph{Path}},
  author = {<b>Ada Lovelace</b>* and Babbage$^{\dagger}$, Charles}, booktitle = {Proc.\ of {ACM} \& Co},
  year = {2024}, url = {https://example.org/~ada/a--b.pdf}, note = {Best Paper &#58; <i>Oral</i>}}
@article{b, title = {Methodology\hyphen independent ionic solvation}, author = {Lovelace, Ada},
  journaltitle = {J. Chem. Phys.}, crossref = {missing}, date = {1885/2019}, doi = {10.1063/1.2172593}}
@article{c, title = {Broken $\frac{a}{b}^{k+q}$}, author = {Ada Lovelace}, journal = {J}, year = 2020,
  year = 2021, eprint = {2101.00001}, eprinttype = {arxiv}}
"""


def test_nothing_raw_reaches_the_pdf(tmp_path: Path) -> None:
    (tmp_path / "refs.bib").write_text(HOSTILE)
    pdf = render_pdf({"name": "Ada Lovelace"}, bib=[str(tmp_path / "refs.bib")], today=TODAY)
    text = squash(pdf_text(pdf))
    for raw in ("\\", "{", "}", "$", "<b>", "<i>", "&#58;", "&amp;"):
        assert raw not in text, raw
    for printed in ("GPU Kernels in O(n2): the “Fast” Path",  # pdf_text is NFKC: ² reads 2 "Proc. of ACM & Co", "Methodology-independent",
                    "1885–2019", "Best Paper : Oral", "equal contribution", "corresponding author"):
        assert printed in text, printed
    uris = uri_annotations(pdf)
    assert "https://example.org/~ada/a--b.pdf" in uris
    assert "https://doi.org/10.1063/1.2172593" in uris
    assert "https://arxiv.org/abs/2101.00001" in uris
