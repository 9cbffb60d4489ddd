"""Bad input through the command line: one line of error with a location and the right exit code,
never a traceback. Empty, binary, wrongly encoded, huge, deeply nested and alias-bomb profiles;
duplicate keys; .bib files that are not BibTeX; themes whose templates or manifest are broken.

(The loader's own tests check many of these messages in process; here each goes end to end.)
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from test_hostile_support import DATA, assert_one_line_error, cli, require_tex, run_cli, tally

THEMES = DATA / "themes"
PNG = bytes.fromhex("89504e470d0a1a0a0000000d494844520000000100000001")


def _alias_bomb() -> str:
    lines = ["name: Ada Lovelace", "a: &a [lol, lol, lol, lol, lol, lol, lol, lol, lol]"]
    for level in range(1, 9):
        previous, name = chr(ord("a") + level - 1), chr(ord("a") + level)
        lines.append(f"{name}: &{name} [" + ", ".join([f"*{previous}"] * 9) + "]")
    return "\n".join(lines) + "\n"


def _write(text: str | bytes) -> Callable[[Path], None]:
    def write(path: Path) -> None:
        if isinstance(text, bytes):
            path.write_bytes(text)
        else:
            path.write_text(text, encoding="utf-8")
    return write


def _huge(path: Path) -> None:
    with path.open("wb") as handle:  # a sparse 50 MB file: the size is refused before reading
        handle.truncate(50 * 1024 * 1024)


# (id, how to write cv.yaml (or cv.json), extra arguments, exit code, what the error line must say)
BAD_PROFILES = [
    ("empty", _write(""), 2, ["cv.yaml:1:1:", "the file is empty"]),
    ("only-a-comment", _write("# name: Ada\n"), 2, ["cv.yaml:1:1:", "the file is empty"]),
    ("binary", _write(PNG), 2, ["cv.yaml:", "binary file"]),
    ("latin-1", _write("name: Ada\nlocation: Zürich\n".encode("latin-1")), 2,
     ["cv.yaml:2:", "not UTF-8", "0xfc", "save it as UTF-8"]),
    ("windows-1252 quote", _write(b"name: Ada\nheadline: \x93quoted\x94\n"), 2, ["cv.yaml:2:", "not UTF-8"]),
    ("control character", _write("name: Ada\nlocation: \"Paris\\x07\"\n"), 2,
     ["cv.yaml:2:", "location", "U+0007"]),
    ("raw control character", _write("name: Ada\nlocation: Par\x01is\n"), 2, ["cv.yaml:2:14:", "U+0001"]),
    ("alias bomb", _write(_alias_bomb()), 2, ["cv.yaml:", "alias"]),
    ("recursive alias", _write("name: Ada\nloop: &a [*a]\n"), 2, ["cv.yaml:2:", "alias"]),
    ("50 MB", _huge, 2, ["cv.yaml:", "50 MB", "10 MB"]),
    ("deep nesting", _write("name: Ada\nsummary: " + "[" * 5000 + "]" * 5000 + "\n"), 2,
     ["cv.yaml:2:", "nested more than"]),
    ("deep mappings", _write("name: Ada\ndesign: " + "{a: " * 100 + "1" + "}" * 100 + "\n"), 2,
     ["cv.yaml:2:", "nested more than"]),
    ("duplicate key", _write("name: Ada\nemail: ada@example.org\nname: Eve\n"), 2,
     ["cv.yaml:3:1:", "duplicate key 'name'"]),
    ("duplicate nested key", _write("name: Ada\neducation:\n  - institution: A\n    degree: BSc\n    degree: MSc\n"),
     2, ["cv.yaml:5:5:", "duplicate key 'degree'"]),
    ("not a mapping", _write("- name: Ada\n"), 2, ["cv.yaml:1:1:", "must be a mapping"]),
    ("yaml syntax", _write("name: Ada\neducation: [unclosed\n"), 2, ["cv.yaml:", "YAML"]),
    ("tab indentation", _write("name: Ada\neducation:\n\t- institution: A\n"), 2, ["cv.yaml:3:", "tab"]),
    ("python tag", _write("name: !!python/object/apply:os.system ['touch /tmp/pwned']\n"), 2, ["cv.yaml:1:"]),
]


@pytest.mark.parametrize(("write", "code", "needles"), [pytest.param(*case[1:], id=case[0]) for case in BAD_PROFILES])
def test_bad_profile_gets_one_line_error(write: Callable[[Path], None], code: int, needles: list[str],
                                         tmp_path: Path, request: pytest.FixtureRequest) -> None:
    profile = tmp_path / "cv.yaml"
    write(profile)
    tally(request, "bad inputs (command line)")
    run = cli("build", str(profile), "-o", str(tmp_path / "out") + "/")
    assert_one_line_error(run, code, *needles)
    assert not (tmp_path / "out").exists() or not list((tmp_path / "out").iterdir())
    assert not Path("/tmp/pwned").exists()
    validated = cli("validate", str(profile))  # validate says the same, with the same exit code
    assert_one_line_error(validated, code, *needles)


@pytest.mark.parametrize("case", ["binary", "alias bomb", "50 MB", "deep nesting", "duplicate key"])
def test_bad_profile_in_a_real_process_prints_no_traceback(case: str, tmp_path: Path) -> None:
    _, write, code, needles = next(c for c in BAD_PROFILES if c[0] == case)
    profile = tmp_path / "cv.yaml"
    write(profile)
    assert_one_line_error(run_cli("build", str(profile), "-o", str(tmp_path) + "/"), code, *needles)


def test_json_syntax_error_names_line_and_column(tmp_path: Path, request: pytest.FixtureRequest) -> None:
    profile = tmp_path / "cv.json"
    profile.write_text('{"name": "Ada",\n "email": }\n', encoding="utf-8")
    tally(request, "bad inputs (command line)")
    assert_one_line_error(cli("build", str(profile), "-o", str(tmp_path)), 2, "cv.json:2:11:")


def test_missing_file_and_folder(tmp_path: Path, request: pytest.FixtureRequest) -> None:
    tally(request, "bad inputs (command line)", 2)
    assert_one_line_error(cli("build", str(tmp_path / "nope.yaml")), 2, "nope.yaml", "not found")
    assert_one_line_error(cli("build", str(tmp_path)), 2, "folder")


def test_unwritable_output_is_one_line(tmp_path: Path, request: pytest.FixtureRequest) -> None:
    profile = tmp_path / "cv.yaml"
    profile.write_text("name: Ada\n", encoding="utf-8")
    tally(request, "bad inputs (command line)")
    assert_one_line_error(cli("build", str(profile), "-o", "/proc/cvrender/cv.pdf"), 1, "cannot write /proc/cvrender")


BAD_BIBS = [
    ("prose", "This is not BibTeX at all.\nJust words { and an unbalanced brace\n", ["notbib.bib:1:", "not a BibTeX file"]),
    ("binary", PNG, ["notbib.bib", "binary file"]),
    ("yaml", "name: Ada\npublications: []\n", ["notbib.bib", "not a BibTeX file"]),
]


@pytest.mark.parametrize(("content", "needles"), [pytest.param(*case[1:], id=case[0]) for case in BAD_BIBS])
def test_bib_that_is_not_bibtex_gets_one_line_error(content: str | bytes, needles: list[str], tmp_path: Path,
                                                    request: pytest.FixtureRequest) -> None:
    profile = tmp_path / "cv.yaml"
    profile.write_text("name: Ada Lovelace\n", encoding="utf-8")
    _write(content)(tmp_path / "notbib.bib")
    tally(request, "bad inputs (command line)", 2)
    assert_one_line_error(cli("build", str(profile), "--bib", str(tmp_path / "notbib.bib"), "-o", str(tmp_path)),
                          2, *needles)
    profile.write_text("name: Ada Lovelace\npublications:\n  bibtex: notbib.bib\n", encoding="utf-8")
    assert_one_line_error(run_cli("build", str(profile), "-o", str(tmp_path)), 2, *needles)
    assert not list(tmp_path.glob("*.pdf"))


def test_missing_bib_names_the_file(tmp_path: Path, request: pytest.FixtureRequest) -> None:
    profile = tmp_path / "cv.yaml"
    profile.write_text("name: Ada Lovelace\n", encoding="utf-8")
    tally(request, "bad inputs (command line)")
    assert_one_line_error(cli("build", str(profile), "--bib", str(tmp_path / "gone.bib")), 2, "gone.bib", "not found")


BROKEN_THEMES = [
    ("syntax", "html", ["theme 'syntax'", "syntax/html/cv.html.j2:5:", "endblock"]),
    ("runtime", "html", ["theme 'runtime'", "runtime/html/cv.html.j2:3:", "ZeroDivisionError"]),
    ("macro", "html", ["theme 'macro'", "macro/html/macros.html.j2:2:", "frobnicate"]),
    ("manifest", "html", ["manifest/theme.yaml:", "theme.yaml:"]),
    ("texsyntax", "latex", ["theme 'texsyntax'", "texsyntax/latex/cv.tex.j2:4:", "unexpected"]),
]


@pytest.mark.parametrize(("theme", "backend", "needles"), [pytest.param(*case, id=case[0]) for case in BROKEN_THEMES])
def test_broken_theme_names_the_file_and_line(theme: str, backend: str, needles: list[str], tmp_path: Path,
                                              request: pytest.FixtureRequest) -> None:
    if backend == "latex":
        require_tex()
    profile = tmp_path / "cv.yaml"
    profile.write_text("name: Ada Lovelace\nabout: Mathematician.\n", encoding="utf-8")
    tally(request, "bad inputs (command line)")
    run = cli("build", str(profile), "-t", str(THEMES / theme), "-b", backend, "-o", str(tmp_path))
    assert_one_line_error(run, 2, *needles)
    assert not list(tmp_path.glob("*.pdf"))


def test_a_very_long_name_still_gets_a_file_name_the_file_system_takes(tmp_path: Path) -> None:
    """The PDF and the emitted source are named after the profile's name, cut to a length every
    file system accepts (one long word used to give 'File name too long')."""
    name = "Ada" + "Ci" * 400 + " Lovelace"
    (tmp_path / "p.yaml").write_text(f"name: {name}\n", encoding="utf-8")
    run = run_cli("build", str(tmp_path / "p.yaml"), "-b", "typst", "--emit-source", "-o", str(tmp_path / "out") + "/")
    assert run.returncode == 0, run.stderr
    written = sorted(p.name for p in (tmp_path / "out").iterdir())
    assert [Path(n).suffix for n in written] == [".pdf", ".typ"], written
    assert all(n.startswith("AdaCiCi") and n.endswith(("_CV.pdf", "_CV.typ")) and len(n) <= 90 for n in written), written
