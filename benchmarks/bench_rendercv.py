"""cvrender's Typst format beside RenderCV, on the same CV, in one run.

The example (default: fuzhao_xue, the 4-page CV of seed 004) is written as a RenderCV input file
by :func:`to_rendercv` (its sections as RenderCV's entry types), and both tools build it:

- cold: the command line, a new process per build (median of ``--runs``);
- warm: one process, the input edited before every build (as a watch mode sees it): cvrender's
  ``Builder``; RenderCV's own steps (validate the YAML, write the Typst file, compile the PDF),
  which its ``--watch`` runs on each change.

RenderCV is not a dependency of cvrender. Give the Python that has it (RenderCV 2 needs Python
3.12 or newer) with ``--rendercv-python``. RenderCV's templates import two Typst packages
(``@preview/rendercv``, ``@preview/fontawesome``) that Typst downloads on first use; offline,
they must already be in Typst's package cache (``~/.cache/typst/packages/preview``).

Run: ``python benchmarks/bench_rendercv.py --rendercv-python /path/to/python3.12 [--runs N] [example]``
(``nox -s bench`` runs it when ``$RENDERCV_PYTHON`` names that Python, and says it skipped it otherwise).
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import yaml
from _common import TODAY, machine

ROOT = Path(__file__).resolve().parent.parent


def _text(value: Any) -> str:
    """A value of our profile as one line of RenderCV text."""
    if isinstance(value, list):
        return ", ".join(_text(v) for v in value)
    return " ".join(str(value).split())


def _date(entry: dict[str, Any]) -> dict[str, Any]:
    return {"date": _text(entry["date"])} if entry.get("date") else {}


def to_rendercv(profile: dict[str, Any]) -> dict[str, Any]:
    """Our example profile as a RenderCV input with the same text, section by section."""
    sections: dict[str, list[Any]] = {}
    if profile.get("education"):
        sections["Education"] = [
            {"institution": e["institution"], "area": e.get("field", ""), "degree": e.get("degree"),
             "location": e.get("location"), **_date(e),
             "highlights": [*(f"Advisor: {_text(e['advisors'])}" for _ in [0] if e.get("advisors")),
                            *(f"Thesis: {_text(e['thesis'])}" for _ in [0] if e.get("thesis")),
                            *(f"GPA: {_text(e['gpa'])}" for _ in [0] if e.get("gpa")),
                            *(_text(h) for h in e.get("highlights", []))]}
            for e in profile["education"]]
    if profile.get("interests"):
        sections["Research Interests"] = [{"label": i["label"], "details": _text(i["items"])}
                                          for i in profile["interests"]]
    if profile.get("experience"):
        sections["Industrial Research Experience"] = [
            {"company": e["organization"], "position": e.get("role", ""), "location": e.get("location"),
             **_date(e), "summary": _text(e.get("summary", "")) or None,
             "highlights": [_text(h) for h in e.get("highlights", [])]}
            for e in profile["experience"]]
    for section in profile.get("sections", []):
        sections[section["title"]] = [
            {"name": _text(e.get("title", "")) + (f", {_text(e['subtitle'])}" if e.get("subtitle") else ""),
             "location": e.get("location"), **_date(e), "summary": _text(e.get("summary", "")) or None,
             "highlights": [_text(h) for h in e.get("highlights", [])]}
            for e in section.get("entries", [])]
    if profile.get("skills"):
        sections["Skills"] = [{"label": s["category"], "details": _text(s["items"])} for s in profile["skills"]]
    if profile.get("service"):
        sections["Academic Service"] = [
            {"bullet": f"{s['role']}, {s['venue']}" + (f" {s['year']}" if s.get("year") else "")}
            for s in profile["service"]]
    publications = profile.get("publications") or {}
    items = publications.get("items", []) if isinstance(publications, dict) else publications
    if items:
        sections["Publications"] = [
            {"title": p["title"], "authors": [f"*{a.rstrip('*')}*" if a.rstrip("*") == profile["name"] else a
                                              for a in p.get("authors", [])],
             "journal": _text(p.get("venue", "")) + (f" ({_text(p['note'])})" if p.get("note") else ""),
             "date": str(p.get("year", ""))}
            for p in items]
    cv = {"name": profile["name"], "location": profile.get("location"), "email": profile.get("email"),
          "website": profile.get("website"), "sections": sections}
    return {"cv": {k: v for k, v in cv.items() if v},
            "settings": {"current_date": TODAY.isoformat()}}


RENDERCV_WARM = r"""
import json, pathlib, sys, time
from rendercv.schema.rendercv_model_builder import build_rendercv_dictionary_and_model
from rendercv.renderer.typst import generate_typst
from rendercv.renderer.pdf_png import generate_pdf

path, runs = pathlib.Path(sys.argv[1]), int(sys.argv[2])
text = path.read_text(encoding="utf-8")
flags = dict(dont_generate_png=True, dont_generate_markdown=True, dont_generate_html=True)

def build(source):
    _, model = build_rendercv_dictionary_and_model(source, input_file_path=path, **flags)
    return generate_pdf(model, generate_typst(model))

build(text)  # warm-up: imports, fonts, packages
times = []
for run in range(runs):
    edited = text.replace("name: ", f"name: E{run} ", 1)  # the input changed, as in watch mode
    start = time.perf_counter()
    pdf = build(edited)
    times.append(time.perf_counter() - start)
print(json.dumps({"times": times, "pdf": str(pdf)}))
"""


def pages(pdf: Path) -> int:
    from pypdf import PdfReader

    return len(PdfReader(pdf).pages)


def cold(command: list[str], runs: int, cwd: Path) -> list[float]:
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        subprocess.run(command, cwd=cwd, check=True, capture_output=True)
        times.append(time.perf_counter() - start)
    return times


def cvrender_warm(profile: Path, runs: int) -> list[float]:
    from cvrender.api import Builder, BuildOptions

    builder, options = Builder(), BuildOptions(backend="typst", today=TODAY)
    text = profile.read_text(encoding="utf-8")
    with tempfile.TemporaryDirectory() as tmp:
        target = Path(tmp) / profile.name
        target.write_text(text, encoding="utf-8")
        builder.compile(target, options)
        times = []
        for run in range(runs):
            target.write_text(text.replace("\nname: ", f"\nname: E{run} ", 1), encoding="utf-8")
            start = time.perf_counter()
            builder.compile(target, options)
            times.append(time.perf_counter() - start)
    return times


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("example", nargs="?", default="fuzhao_xue")
    parser.add_argument("--runs", type=int, default=10)
    parser.add_argument("--rendercv-python", default=os.environ.get("RENDERCV_PYTHON"),
                        help="a Python with RenderCV installed (default: $RENDERCV_PYTHON)")
    args = parser.parse_args()
    if not args.rendercv_python:
        print("bench_rendercv: skipped (give --rendercv-python or set RENDERCV_PYTHON to a Python with RenderCV)")
        return
    profile = ROOT / "examples" / f"{args.example}.yaml"
    data = yaml.safe_load(profile.read_text(encoding="utf-8"))
    rendercv = [args.rendercv_python, "-m", "rendercv"]
    version = subprocess.run([*rendercv, "--version"], capture_output=True, text=True, check=True).stdout.split()[-1]
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        source = folder / f"{args.example}_rendercv.yaml"
        source.write_text(yaml.safe_dump(to_rendercv(data), allow_unicode=True, sort_keys=False), encoding="utf-8")
        render = [*rendercv, "render", str(source), "-nopng", "-nomd", "-nohtml", "-o", str(folder / "out")]
        subprocess.run(render, cwd=folder, check=True, capture_output=True)  # packages and fonts, once
        rendercv_pdf = next((folder / "out").glob("*.pdf"))
        ours = [sys.executable, "-m", "cvrender", "build", str(profile), "-b", "typst", "-o", str(folder / "ours.pdf"),
                "--today", TODAY.isoformat()]
        subprocess.run(ours, cwd=folder, check=True, capture_output=True)
        figures = {
            ("cold CLI build", "RenderCV"): cold(render, args.runs, folder),
            ("cold CLI build", "cvrender"): cold(ours, args.runs, folder),
        }
        warm = subprocess.run([args.rendercv_python, "-c", RENDERCV_WARM, str(source), str(args.runs)],
                              cwd=folder, check=True, capture_output=True, text=True)
        figures[("warm rebuild, edited input", "RenderCV")] = json.loads(warm.stdout.splitlines()[-1])["times"]
        figures[("warm rebuild, edited input", "cvrender")] = cvrender_warm(profile, args.runs)
        page_counts = {"RenderCV": pages(rendercv_pdf), "cvrender": pages(folder / "ours.pdf")}
    print(f"machine: {machine()}; RenderCV {version}; load {os.getloadavg()[0]:.2f}")
    print(f"example: {args.example} (RenderCV {page_counts['RenderCV']} pages, cvrender Typst "
          f"{page_counts['cvrender']} pages), median of {args.runs} runs\n")
    print("| measure | RenderCV | cvrender (Typst) | cvrender / RenderCV |")
    print("|---|---|---|---|")
    for measure in ("cold CLI build", "warm rebuild, edited input"):
        theirs = statistics.median(figures[(measure, "RenderCV")])
        mine = statistics.median(figures[(measure, "cvrender")])
        print(f"| {measure} | {theirs:.3f} s | {mine:.3f} s | {mine / theirs:.2f}x |")


if __name__ == "__main__":
    main()
