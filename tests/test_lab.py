"""Lab files: five members share one .bib; each CV lists only that member's papers within their
membership window; the lab's publication list; lab-file errors with their line and column."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import EXAMPLES, ROOT, pdf_text, squash
from pypdf import PdfReader

from cvrender.batch import is_lab_file
from cvrender.lab import in_window, load_lab
from cvrender.model.dates import PartialDate
from cvrender.model.publications import Publication

LAB = EXAMPLES / "lab"

TITLES = {
    "lin2016sparse": "Sparse Attention for Long Legal Documents",
    "lin2018morph": "Morphology-Aware Tokenization for Agglutinative Languages",
    "raman2019dialect": "Dialect Identification with Few Labelled Speakers",
    "rivera2019graph": "Graph Rewriting for Semantic Parsing",
    "raman2020code": "Code-Switching Benchmarks for South Asian Languages",
    "okafor2021yoruba": "Tone-Aware Speech Recognition for Yorùbá",
    "raman2021thesis": "Learning from Dialects: Low-Resource Methods for Regional Language Varieties",
    "rivera2022probing": "Probing Compositional Generalisation in Instruction-Tuned Models",
    "okafor2022transfer": "Cross-Lingual Transfer Without Parallel Data",
    "weber2023retrieval": "Retrieval-Augmented Decoding for Historical German",
    "raman2023industry": "Serving Dialect Models at Scale",
    "rivera2024planning": "Planning Tokens for Long-Form Generation",
    "okafor2024survey": "A Survey of Speech Technology for Tonal Languages",
    "weber2024ocr": "Post-OCR Correction with Character-Level Language Models",
    "lin2025scaling": "Scaling Laws for Low-Resource Speech Translation",
    "kim2025unrelated": "Efficient Beam Search on Mobile Devices",
}

# Who wrote what while in the lab (see examples/lab/lab.yaml for the windows).
EXPECTED = {
    "Mei_Lin_CV.pdf": {  # 2015 - present
        "lin2016sparse", "lin2018morph", "raman2019dialect", "raman2020code", "okafor2021yoruba",
        "rivera2022probing", "okafor2022transfer", "weber2023retrieval", "okafor2024survey", "weber2024ocr",
        "lin2025scaling"},
    "Tomas_Rivera_CV.pdf": {  # Sep 2021 - Aug 2023: not his 2019 or 2024 papers
        "rivera2022probing", "okafor2022transfer", "weber2023retrieval"},
    "Aisha_Okafor_CV.pdf": {  # 2020 - present
        "raman2020code", "okafor2021yoruba", "okafor2022transfer", "okafor2024survey", "lin2025scaling"},
    "Jonas_Weber_CV.pdf": {  # 2022 - present
        "rivera2022probing", "weber2023retrieval", "rivera2024planning", "okafor2024survey", "weber2024ocr",
        "lin2025scaling"},
    "Priya_Raman_CV.pdf": {  # 2017 - 2021: not her 2023 paper
        "lin2018morph", "raman2019dialect", "raman2020code", "okafor2021yoruba", "raman2021thesis"},
}
LAB_PAPERS = set(TITLES) - {"rivera2019graph", "raman2023industry", "kim2025unrelated"}


def run_cli(*args: str, cwd: Path | None = None) -> subprocess.CompletedProcess[str]:
    """Run ``cvrender`` as a user would, in a fresh process."""
    env = {**os.environ, "COLUMNS": "200"}
    return subprocess.run([sys.executable, "-c", "from cvrender.cli import main; main()", *args],
                          capture_output=True, text=True, cwd=cwd, env=env, timeout=300)


def copy_lab(target: Path) -> Path:
    """A copy of the example lab (without built PDFs); returns its lab.yaml."""
    shutil.copytree(LAB, target, ignore=shutil.ignore_patterns("out"))
    return target / "lab.yaml"


def bold_texts(pdf: Path) -> list[str]:
    """The text of every run set in a bold font, in page order."""
    runs: list[str] = []

    def visit(text: str, cm: object, tm: object, font: dict | None, size: object) -> None:
        if text.strip() and font and "Bold" in str(font.get("/BaseFont", "")):
            runs.append(" ".join(text.split()))

    for page in PdfReader(pdf).pages:
        page.extract_text(visitor_text=visit)
    return runs


@pytest.fixture(scope="module")
def built_lab(tmp_path_factory: pytest.TempPathFactory) -> tuple[subprocess.CompletedProcess[str], Path]:
    """The example lab built once with `cvrender batch lab.yaml`."""
    lab_file = copy_lab(tmp_path_factory.mktemp("lab") / "lab")
    out = lab_file.parent / "pdfs"
    result = run_cli("batch", str(lab_file), "-o", str(out), "-j", "2", "--today", "2026-01-15",
                     "--report", str(out / "report.json"))
    return result, out


def test_lab_builds_one_pdf_per_member(built_lab: tuple[subprocess.CompletedProcess[str], Path]) -> None:
    result, out = built_lab
    assert result.returncode == 0, result.stderr
    assert sorted(p.name for p in out.glob("*.pdf")) == sorted(EXPECTED)
    assert "5 built, 0 up to date, 0 failed" in result.stdout
    report = json.loads((out / "report.json").read_text(encoding="utf-8"))
    assert report["summary"]["built"] == 5 and report["summary"]["failed"] == 0
    assert all(row["pages"] >= 1 and row["output"].endswith(".pdf") for row in report["profiles"])


@pytest.mark.parametrize("pdf_name", sorted(EXPECTED))
def test_each_member_lists_only_their_papers_in_their_window(
        built_lab: tuple[subprocess.CompletedProcess[str], Path], pdf_name: str) -> None:
    _, out = built_lab
    text = squash(pdf_text(out / pdf_name))
    listed = {key for key, title in TITLES.items() if squash(title) in text}
    if pdf_name == "Priya_Raman_CV.pdf":
        assert "raman2021thesis" in listed  # also her thesis title under education
    assert listed == EXPECTED[pdf_name]


def test_lab_aliases_make_the_member_bold(built_lab: tuple[subprocess.CompletedProcess[str], Path]) -> None:
    _, out = built_lab
    jonas = bold_texts(out / "Jonas_Weber_CV.pdf")
    assert "J. Weber" in jonas  # the spelling in lab.bib, known only from lab.yaml's aliases
    assert "Jonas Weber" in jonas
    assert not any("Mei Lin" in run or "M. Lin" in run for run in jonas if run != "Jonas Weber")
    tomas = bold_texts(out / "Tomas_Rivera_CV.pdf")
    assert "Tomas Rivera" in tomas and "Tomás Rivera" in tomas  # with and without the accent


def _width_mm(pdf: Path) -> float:
    return float(PdfReader(pdf).pages[0].mediabox.width) / 72 * 25.4


def test_lab_defaults_apply_and_a_member_may_override_them(tmp_path: Path) -> None:
    lab_file = copy_lab(tmp_path / "lab")
    text = lab_file.read_text(encoding="utf-8").replace("  paper: a4\n", "  paper: letter\n")
    text = text.replace("    aliases: [M. Lin, \"Lin, Mei\"]\n", "    aliases: [M. Lin, \"Lin, Mei\"]\n    design: {paper: a4}\n")
    lab_file.write_text(text, encoding="utf-8")
    for member in (lab_file.parent / "members").glob("*.yaml"):
        if member.name not in ("mei_lin.yaml", "jonas_weber.yaml"):
            member.unlink()
    result = run_cli("batch", str(lab_file), "-o", str(tmp_path / "out"))
    assert "2 built, 0 up to date, 3 failed" in result.stderr  # the three deleted members
    assert abs(_width_mm(tmp_path / "out" / "Jonas_Weber_CV.pdf") - 215.9) < 1  # the lab's letter
    assert abs(_width_mm(tmp_path / "out" / "Mei_Lin_CV.pdf") - 210) < 1  # her own a4


def test_lab_publications_lists_each_paper_once_with_members_in_bold(tmp_path: Path) -> None:
    lab_file = copy_lab(tmp_path / "lab")
    result = run_cli("lab-publications", str(lab_file), "-o", str(tmp_path), "--today", "2026-01-15")
    assert result.returncode == 0, result.stderr
    pdf = tmp_path / "Computational_Language_Lab_Publications.pdf"
    assert pdf.is_file() and str(pdf) in result.stdout
    text = squash(pdf_text(pdf))
    for key, title in TITLES.items():
        assert text.count(squash(title)) == (1 if key in LAB_PAPERS else 0), key
    assert "[13]" in text and "[14]" not in text  # numbering: reverse, 13 papers
    bold = bold_texts(pdf)
    for name in ("Mei Lin", "M. Lin", "Aisha Okafor", "A. Okafor", "Jonas Weber", "J. Weber", "Priya Raman",
                 "P. Raman", "Tomás Rivera", "Tomas Rivera"):
        assert name in bold, name
    assert not any("Hana Kim" in run for run in bold)
    meta = PdfReader(pdf).metadata
    assert meta is not None and meta.title == "Computational Language Lab – Publications"
    assert "warning" not in result.stderr  # several owners per paper is normal here


def test_lab_publications_in_another_theme(tmp_path: Path) -> None:
    lab_file = copy_lab(tmp_path / "lab")
    result = run_cli("lab-publications", str(lab_file), "-o", str(tmp_path / "list.pdf"), "--theme", "modern")
    assert result.returncode == 0, result.stderr
    assert squash(TITLES["weber2024ocr"]) in squash(pdf_text(tmp_path / "list.pdf"))


def test_incremental_lab_rebuilds_on_bib_and_profile_changes(tmp_path: Path) -> None:
    lab_file = copy_lab(tmp_path / "lab")
    out = tmp_path / "out"
    theme = tmp_path / "academic-copy"  # private, so that only this test's changes count
    shutil.copytree(ROOT / "themes" / "academic", theme)
    first = run_cli("batch", str(lab_file), "-o", str(out), "-t", str(theme))
    assert first.returncode == 0, first.stderr
    stamps = {p.name: p.stat().st_mtime_ns for p in out.glob("*.pdf")}

    again = run_cli("batch", str(lab_file), "-o", str(out), "-t", str(theme))
    assert again.returncode == 0, again.stderr
    assert "nothing to do: all 5 CVs are up to date" in again.stdout
    assert {p.name: p.stat().st_mtime_ns for p in out.glob("*.pdf")} == stamps

    bib = lab_file.parent / "lab.bib"
    os.utime(bib, ns=(bib.stat().st_atime_ns, bib.stat().st_mtime_ns + 5_000_000_000))  # touch
    touched = run_cli("batch", str(lab_file), "-o", str(out), "-t", str(theme))
    assert "5 built, 0 up to date, 0 failed" in touched.stdout, touched.stdout

    profile = lab_file.parent / "members" / "jonas_weber.yaml"
    profile.write_text(profile.read_text(encoding="utf-8").replace("Rust", "Haskell"), encoding="utf-8")
    edited = run_cli("batch", str(lab_file), "-o", str(out), "-t", str(theme))
    assert "1 built, 4 up to date, 0 failed" in edited.stdout, edited.stdout
    assert "Haskell" in pdf_text(out / "Jonas_Weber_CV.pdf")

    window = lab_file.read_text(encoding="utf-8").replace("    joined: 2022\n", "    joined: 2024\n")
    lab_file.write_text(window, encoding="utf-8")
    narrowed = run_cli("batch", str(lab_file), "-o", str(out), "-t", str(theme))
    assert "1 built, 4 up to date, 0 failed" in narrowed.stdout, narrowed.stdout
    assert squash(TITLES["rivera2022probing"]) not in squash(pdf_text(out / "Jonas_Weber_CV.pdf"))


def test_missing_member_profile_fails_alone_with_its_line(tmp_path: Path) -> None:
    lab_file = copy_lab(tmp_path / "lab")
    (lab_file.parent / "members" / "priya_raman.yaml").unlink()
    out = tmp_path / "out"
    result = run_cli("batch", str(lab_file), "-o", str(out), "-j", "1")
    assert result.returncode == 1
    line = lab_file.read_text(encoding="utf-8").splitlines().index("  - profile: members/priya_raman.yaml") + 1
    assert f"{lab_file}:{line}:14: members[4].profile: no profile file" in result.stderr
    assert len(list(out.glob("*.pdf"))) == 4
    assert "4 built, 0 up to date, 1 failed" in result.stderr


def test_invalid_lab_file_reports_every_problem_with_location(tmp_path: Path) -> None:
    lab_file = copy_lab(tmp_path / "lab")
    text = lab_file.read_text(encoding="utf-8")
    text = text.replace("    joined: Sep 2021\n    left: Aug 2023\n", "    joined: Sep 2021\n    left: 2020\n")
    text = text.replace("    aliases: [J. Weber]\n", "    alias: [J. Weber]\n")
    lab_file.write_text(text, encoding="utf-8")
    lines = text.splitlines()
    result = run_cli("batch", str(lab_file))
    assert result.returncode == 2
    left_line = lines.index("    left: 2020") + 1
    alias_line = lines.index("    alias: [J. Weber]") + 1
    assert f"{lab_file}:{alias_line}:5: members[3].alias: unknown key 'alias'; did you mean 'aliases'?" in result.stderr
    assert f"{lab_file}:{left_line}:11: members[1].left: 'left' (2020) is before 'joined' (2021-09)" in result.stderr
    assert "Traceback" not in result.stderr


def test_missing_shared_bib_is_an_error_at_its_line(tmp_path: Path) -> None:
    lab_file = copy_lab(tmp_path / "lab")
    (lab_file.parent / "lab.bib").unlink()
    result = run_cli("lab-publications", str(lab_file))
    line = lab_file.read_text(encoding="utf-8").splitlines().index("bibtex: lab.bib") + 1
    assert result.returncode == 2
    assert f"{lab_file}:{line}:9: bibtex: no .bib file" in result.stderr


def _pub(year: int | None, month: int | None = None) -> Publication:
    data: dict[str, object] = {"title": "A paper", "authors": ["Mei Lin"]}
    if year:
        data["date"] = f"{year}-{month:02d}" if month else str(year)
    return Publication.model_validate(data)


@pytest.mark.parametrize(("year", "month", "inside"), [
    (2021, 8, False),   # a month before joining
    (2021, None, True),  # the year of joining, month unknown: counted
    (2021, 9, True),
    (2023, 8, True),    # the month of leaving
    (2023, 9, False),
    (2024, None, False),
    (None, None, False),  # no year (forthcoming) and the member has left
])
def test_membership_window_at_the_precision_known(year: int | None, month: int | None, inside: bool) -> None:
    assert in_window(_pub(year, month), PartialDate(2021, 9), PartialDate(2023, 8)) is inside


def test_open_window_takes_forthcoming_papers() -> None:
    assert in_window(_pub(None), PartialDate(2020), None)
    assert not in_window(_pub(2019), PartialDate(2020), None)


def test_lab_files_are_told_from_profiles(tmp_path: Path) -> None:
    assert is_lab_file(LAB / "lab.yaml")
    assert not is_lab_file(LAB / "members" / "mei_lin.yaml")
    lab = load_lab(LAB / "lab.yaml")
    assert [m.profile for m in lab.lab.members][0] == "members/mei_lin.yaml"
    assert lab.selection(1).joined == PartialDate(2021, 9) and lab.selection(0).left is None
