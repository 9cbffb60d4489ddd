"""Building PDFs with the default HTML backend: what a user sees in the PDF."""

from __future__ import annotations

import hashlib
import os
import re
import subprocess
import sys
import unicodedata
from pathlib import Path

import pytest
from conftest import (
    BUILTIN_THEMES,
    TODAY,
    assert_in_order,
    example_profiles,
    pdf_text,
    squash,
    uri_annotations,
    word_boxes,
)
from pypdf import PdfReader

import cvrender
from cvrender.context.builder import build_context
from cvrender.context.markup import parse
from cvrender.sources.loading import load_profile

PROFILE = """\
name: Runxin Xu
native_name: 许润昕
headline: Master student at **Peking University**
email: [runxin@example.org, rx@example.com]
website: https://runxinxu.github.io
location: Beijing, China
links: {github: RunxinXu, orcid: 0000-0002-1825-0097}
interests: [Large language models, Information extraction]
education:
  - institution: Peking University
    url: https://www.pku.edu.cn/
    degree: M.S.
    field: Computer Science
    date: Sep. 2020 - Jun. 2023
    location: Beijing
    advisors: [{name: Baobao Chang, url: "https://icl.pku.edu.cn/"}, Zhifang Sui]
publications:
  - title: "From Dense to Sparse: Contrastive Pruning for Better Pre-trained Language Model Compression"
    authors: [Runxin Xu*, Fuli Luo*, Chengyu Wang]
    venue: AAAI
    year: 2022
    note: Oral
    links: {PDF: "https://arxiv.org/abs/2112.07198", code: "https://github.com/RunxinXu/ContrastivePruning"}
  - title: "S4-Tuning: A Simple Cross-lingual Sub-network Tuning Method"
    authors: [Runxin Xu, Fuli Luo, Baobao Chang]
    venue: ACL
    year: 2022
awards:
  - {title: National scholarship, years: [2018, 2019, 2021]}
"""


# What PROFILE prints, in the order a reader meets it.
READING_ORDER = ["Runxin Xu", "Research Interests", "Education", "Peking University", "Sep 2020", "Advisors",
                 "Publications", "From Dense to Sparse", "S4-Tuning", "Honors & Awards"]


@pytest.fixture
def profile_file(tmp_path: Path) -> Path:
    path = tmp_path / "profile.yaml"
    path.write_text(PROFILE, encoding="utf-8")
    return path


def _expected_strings(path: Path) -> list[str]:
    """Every publication title, author and section title of a profile."""
    loaded = load_profile(path)
    ctx = build_context(loaded.profile, today=TODAY)
    strings = [s.title for s in ctx.sections]
    for pub in loaded.profile.publications.items:
        strings.append(parse(pub.title).plain)
        strings.extend(a.name for a in pub.authors)
    return strings


@pytest.mark.parametrize("example", example_profiles(), ids=lambda p: p.stem)
def test_every_example_builds_and_shows_its_content(example: Path, tmp_path: Path) -> None:
    result = cvrender.build(example, output=tmp_path, today=TODAY)
    assert result.pdf_path is not None and result.pdf_path.is_file()
    assert result.pages == len(PdfReader(result.pdf_path).pages) >= 1
    text = squash(pdf_text(result.pdf_path))
    missing = [s for s in _expected_strings(example) if squash(unicodedata.normalize("NFKC", s)) not in text]
    assert not missing, f"not in the PDF text: {missing}"


def test_contents_owner_bold_marks_legend_and_chinese(profile_file: Path, tmp_path: Path) -> None:
    result = cvrender.build(profile_file, output=tmp_path, today=TODAY)
    assert result.pdf_path == tmp_path / "Runxin_Xu_CV.pdf"
    text = pdf_text(result.pdf_path)
    assert "许润昕" in text
    assert "Runxin Xu*" in text and "Fuli Luo*" in text
    assert "* equal contribution" in squash(text)
    for title in ("Education", "Publications", "Honors & Awards", "Research Interests"):
        assert title in text
    assert "Sep 2020 – Jun 2023" in text
    assert "2018, 2019, 2021" in text
    assert "AAAI 2022" in text and "Oral" in text
    assert "Page 1 of 1" in text
    html = cvrender.render_source(profile_file, today=TODAY)
    assert "<strong class=\"me\">Runxin Xu</strong>" in html
    assert "Fuli Luo</strong>" not in html


def test_reading_order_follows_the_page(profile_file: Path, tmp_path: Path) -> None:
    assert_in_order(pdf_text(cvrender.build(profile_file, output=tmp_path, today=TODAY).pdf_path), READING_ORDER)


@pytest.mark.parametrize("theme", BUILTIN_THEMES)
def test_content_stream_order_keeps_each_date_with_its_line(theme: str, tmp_path: Path) -> None:
    """Tools that read text in the order it is painted (pypdf, pdftotext -raw, many applicant
    tracking systems) get each date right after the title or award it belongs to."""
    example = next(p for p in example_profiles() if p.stem == "runxin_xu")
    pdf = cvrender.build(example, output=tmp_path / "cv.pdf", theme=theme, today=TODAY).pdf_path
    text = " ".join(" ".join(page.extract_text() for page in PdfReader(pdf).pages).split())
    pairs = (("Peking University", "Sep 2020 – Jun 2023"), ("Metabit Trading", "Nov 2022 – Mar 2023"),
             ("National scholarship", "2018, 2019, 2021"), ("Arawana scholarship (金龙鱼奖学金)", "2017"))
    for title, date in pairs:
        # the date comes right after its title (compact puts the subtitle between them)
        assert re.search(re.escape(title) + r".{0,20}?" + re.escape(date), text), f"{title!r} is not followed by {date!r}"


def test_no_legend_without_marks(tmp_path: Path) -> None:
    path = tmp_path / "p.yaml"
    path.write_text("name: Ada Lovelace\npublications:\n  - {title: Notes, authors: [Ada Lovelace], year: 2020}\n")
    text = pdf_text(cvrender.build(path, output=tmp_path, today=TODAY).pdf_path)
    assert "Notes" in text and "equal contribution" not in text


def test_links_are_annotations_and_fonts_are_embedded(profile_file: Path, tmp_path: Path) -> None:
    pdf_path = cvrender.build(profile_file, output=tmp_path, today=TODAY).pdf_path
    uris = uri_annotations(pdf_path)
    for url in ("mailto:runxin@example.org", "https://github.com/RunxinXu", "https://orcid.org/0000-0002-1825-0097",
                "https://arxiv.org/abs/2112.07198", "https://www.pku.edu.cn/", "https://icl.pku.edu.cn/"):
        assert url in uris
    fonts = subprocess.run(["pdffonts", str(pdf_path)], capture_output=True, text=True, check=True).stdout
    rows = fonts.splitlines()[2:]
    assert rows and all(" yes " in row for row in rows), fonts
    assert any("CJK" in row for row in rows), "the Chinese name needs a CJK font"


def test_metadata(profile_file: Path, tmp_path: Path) -> None:
    reader = PdfReader(cvrender.build(profile_file, output=tmp_path, today=TODAY).pdf_path)
    meta = reader.metadata
    assert meta.title == "Runxin Xu – Curriculum Vitae"
    assert meta.author == "Runxin Xu"
    assert meta.subject == "Master student at Peking University"
    assert "Large language models" in meta.get("/Keywords", "")
    assert str(reader.trailer["/Root"].get("/Lang")) == "en"


def test_reproducible_for_the_same_input_and_today(profile_file: Path, tmp_path: Path) -> None:
    first = cvrender.render_pdf(profile_file, today=TODAY)
    second = cvrender.render_pdf(profile_file, today=TODAY)
    assert hashlib.sha256(first).hexdigest() == hashlib.sha256(second).hexdigest()


def test_letter_paper_option(profile_file: Path, tmp_path: Path) -> None:
    pdf = cvrender.build(profile_file, output=tmp_path / "l.pdf", design={"paper": "letter"}, today=TODAY)
    box = PdfReader(pdf.pdf_path).pages[0].mediabox
    assert (round(float(box.width)), round(float(box.height))) == (612, 792)
    pdf = cvrender.build(profile_file, output=tmp_path / "a.pdf", today=TODAY)
    box = PdfReader(pdf.pdf_path).pages[0].mediabox
    assert (round(float(box.width)), round(float(box.height))) == (595, 842)


def test_render_pdf_writes_nothing(profile_file: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    workdir = tmp_path / "cwd"
    workdir.mkdir()
    monkeypatch.chdir(workdir)
    data = cvrender.render_pdf(profile_file, today=TODAY)
    assert data.startswith(b"%PDF-")
    assert list(workdir.iterdir()) == []
    assert "许润昕" in pdf_text(data)


def test_html_and_markup_in_fields_print_literally(tmp_path: Path) -> None:
    path = tmp_path / "p.yaml"
    path.write_text(
        "name: \"<script>alert(1)</script> Eve\"\n"
        "headline: '<img src=\"file:///etc/passwd\"> & [click](javascript:alert(1)) **bold**'\n"
        "about: 'See [home](file:///etc/passwd) and <style>@import url(http://evil.test/x.css);</style>'\n",
        encoding="utf-8")
    html = cvrender.render_source(path, today=TODAY)
    assert "<script>" not in html and "&lt;script&gt;" in html
    assert "javascript:" not in html and 'href="file:' not in html
    text = pdf_text(cvrender.build(path, output=tmp_path, today=TODAY).pdf_path)
    assert "<script>alert(1)</script> Eve" in text
    assert '<img src="file:///etc/passwd"> & click bold' in squash(text)


def test_fetcher_refuses_network_and_outside_files(tmp_path: Path) -> None:
    from cvrender.formats.html.engine import _restricted_fetcher

    allowed = tmp_path / "allowed"
    allowed.mkdir()
    (allowed / "ok.css").write_text("p{}")
    fetcher = _restricted_fetcher((allowed,))
    assert fetcher.fetch((allowed / "ok.css").as_uri()).read() == b"p{}"
    for url in ("file:///etc/passwd", "http://example.org/x.css", "https://example.org/", "ftp://x/y"):
        with pytest.raises(ValueError):
            fetcher.fetch(url)


def test_failed_build_keeps_previous_pdf(profile_file: Path, tmp_path: Path) -> None:
    target = tmp_path / "cv.pdf"
    cvrender.build(profile_file, output=target, today=TODAY)
    before = target.read_bytes()
    profile_file.write_text(PROFILE.replace("year: 2022", "year: soon", 1), encoding="utf-8")
    with pytest.raises(cvrender.ProfileError):
        cvrender.build(profile_file, output=target, today=TODAY)
    assert target.read_bytes() == before
    assert [p.name for p in tmp_path.iterdir() if p.name.endswith(".part")] == []


def _cli(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PYTHONWARNINGS": "ignore"}
    return subprocess.run([sys.executable, "-m", "cvrender", *args], capture_output=True, text=True,
                          cwd=cwd, env=env, check=False)


def test_cli_build_default_name_and_emit_source(profile_file: Path, tmp_path: Path) -> None:
    run = _cli("build", str(profile_file), "--emit-source", "--today", "2026-01-15", cwd=tmp_path)
    assert run.returncode == 0, run.stderr
    assert (tmp_path / "Runxin_Xu_CV.pdf").is_file()
    assert (tmp_path / "Runxin_Xu_CV.html").read_text(encoding="utf-8").startswith("<!DOCTYPE html>")
    assert "1 page" in run.stdout


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["build", "missing.yaml"], "missing.yaml: file not found"),
        (["build", "{profile}", "--theme", "academik"], "unknown theme 'academik'; did you mean 'academic'?"),
        (["build", "{profile}", "-o", "/proc/forbidden/cv.pdf"], "cannot write /proc/forbidden/cv.pdf"),
        (["build", "{profile}", "--set", "paper=a5"], "--set paper: 'a5' is not allowed; use one of a4, letter"),
    ],
)
def test_cli_errors_are_one_line(args: list[str], message: str, profile_file: Path, tmp_path: Path) -> None:
    run = _cli(*[a.replace("{profile}", str(profile_file)) for a in args], cwd=tmp_path)
    assert run.returncode != 0
    assert "Traceback" not in run.stderr
    lines = run.stderr.strip().splitlines()
    assert len(lines) == 1, run.stderr
    assert message in lines[0]


def test_errors_survive_pickling() -> None:
    import pickle

    error = cvrender.ProfileError([cvrender.Problem("bad date", "cv.yaml", 3, 9, "education[0].date", "'x'")])
    copy = pickle.loads(pickle.dumps(error))
    assert str(copy) == str(error) == "cv.yaml:3:9: education[0].date: bad date (got 'x')"
    engine = pickle.loads(pickle.dumps(cvrender.EngineError("TeX failed", "! Undefined control sequence.")))
    assert (str(engine), engine.log_excerpt) == ("TeX failed", "! Undefined control sequence.")


def test_contact_items_stay_whole_and_a_long_one_wraps_inside_the_page(tmp_path: Path) -> None:
    profile = tmp_path / "p.yaml"
    profile.write_text(
        "name: Long Contact\n"
        "email: a.very.long.email.address.for.testing.purposes@some-department.example-university.edu\n"
        "website: https://example.org/" + "/".join(["segment"] * 20) + "/index.html\n"
        "location: Somewhere Far Away\n"
        "links: {github: someone, google_scholar: abcdEFGhijk, semantic_scholar: '123456',"
        " linkedin: someone, orcid: 0000-0002-1825-0097}\n", encoding="utf-8")
    result = cvrender.build(profile, output=tmp_path / "out.pdf", today=TODAY)
    width, words = word_boxes(result.pdf_path, last=1)
    assert all(x_max <= width - 30 for _, _, x_max, _ in words), "text runs into the right margin"
    text = squash(pdf_text(result.pdf_path))
    assert "segment/" * 19 in text.replace(" ", "")  # the long URL is all there, wrapped
    rows = {word: y for word, _, _, y in words}
    for first, second in (("Google", "Scholar"), ("Semantic", "Scholar"), ("Far", "Away")):
        assert rows[first] == rows[second], f"'{first} {second}' was split across lines"


@pytest.mark.parametrize("theme", BUILTIN_THEMES)
def test_a_section_title_of_one_long_word_wraps_inside_the_page(theme: str, tmp_path: Path) -> None:
    long_word = "https://example.org/" + "segment" * 40
    profile = tmp_path / "p.yaml"
    profile.write_text(f'name: Long Title\nsections:\n  - title: "{long_word}"\n'
                       "    entries: [{title: Something, date: 2020}]\n", encoding="utf-8")
    result = cvrender.build(profile, output=tmp_path / "out.pdf", theme=theme, today=TODAY)
    width, words = word_boxes(result.pdf_path, last=1)
    assert all(x_max <= width for _, _, x_max, _ in words), "the title runs off the page"
    assert "segment" * 40 in "".join(squash(pdf_text(result.pdf_path)).split()).lower()
