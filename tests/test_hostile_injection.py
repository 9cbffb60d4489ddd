"""Injection corpus: LaTeX, HTML/CSS and Markdown that try to read files, write files, start
programs or fetch URLs. Each prints literally or is refused with a clear error, in every backend,
and a trace of the build proves that no file outside the build folder was read or written and no
process but the engine was started.

The corpus is ``tests/data/hostile/injection.yaml``. The trace is ``strace`` when it is installed
(both backends, through the command line) and a Python audit hook otherwise (HTML, in process).
"""

from __future__ import annotations

import io
import os
import re
import shutil
import subprocess
import sys
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
import yaml
from conftest import TODAY
from pypdf import PdfReader
from test_hostile_support import (
    DATA,
    MAX_PIECES,
    assert_one_line_error,
    cli,
    ordered_parts,
    page_key,
    pieces,
    raw_text,
    require_tex,
    run_cli,
    tally,
    text_key,
)

import cvrender
import cvrender.api
from cvrender.context.markup import parse
from cvrender.errors import ProfileError, ThemeError

CANARY = "CANARY-7d1f-SECRET"
TINY_PNG = bytes.fromhex(
    "89504e470d0a1a0a0000000d49484452000000010000000108060000001f15c489"
    "0000000d4944415478da63f8cfc0f01f0005000201a5d8c1b50000000049454e44ae426082")
SAFE_SCHEMES = ("http", "https", "mailto", "tel")


@dataclass
class Jail:
    """A profile folder, a secret folder beside it, an output folder and a marker path."""

    root: Path
    profile_dir: Path
    secret_dir: Path
    secret: Path
    marker: Path
    out: Path

    def fill(self, text: str) -> str:
        """A corpus string with the real secret and marker paths."""
        return text.replace("@SECRET@", str(self.secret)).replace("@MARKER@", str(self.marker))


@pytest.fixture
def jail(tmp_path: Path) -> Jail:
    """Files a hostile profile would like to reach, outside the folder it lives in."""
    secret_dir = tmp_path / "secret"
    secret_dir.mkdir()
    secret = secret_dir / "secret.tex"
    secret.write_text(CANARY + "\n", encoding="utf-8")
    (secret_dir / "photo.png").write_bytes(TINY_PNG)
    (secret_dir / "style.css").write_text("body { display: none }\n", encoding="utf-8")
    profile_dir = tmp_path / "profile"
    profile_dir.mkdir()
    (profile_dir / "me.png").write_bytes(TINY_PNG)
    (profile_dir / "escape.png").symlink_to(secret_dir / "photo.png")
    out = tmp_path / "out"
    out.mkdir()
    return Jail(tmp_path, profile_dir, secret_dir, secret, tmp_path / "pwned", out)


def corpus(jail: Jail) -> dict[str, list[str]]:
    """The injection corpus with the jail's paths filled in."""
    data = yaml.safe_load((DATA / "injection.yaml").read_text(encoding="utf-8"))
    return {family: [jail.fill(str(item)) for item in items] for family, items in data.items()}


def hostile_profile(jail: Jail) -> tuple[Path, list[tuple[str, str]]]:
    """A profile with every corpus string in plain and Markdown fields; (field, expected text) pairs."""
    strings = [s for items in corpus(jail).values() for s in items]
    expected: list[tuple[str, str]] = []
    entries = []
    for index, text in enumerate(strings):
        entries.append({"title": text, "location": text, "summary": f"summary {index}: {text}"})
        expected += [(f"sections.entries[{index}].title", parse(text).plain), (f"location {index}", text),
                     (f"summary {index}", parse(f"summary {index}: {text}").plain)]
    data: dict[str, Any] = {
        "name": "Mallory \\input{" + str(jail.secret) + "}",
        "headline": strings[0], "location": "<img src=file:///etc/passwd>",
        "summary": " ".join(corpus(jail)["markdown"]),
        "publications": [{"title": text, "venue": text, "year": 2024,
                          "authors": [{"name": "Mallory \\input{" + str(jail.secret) + "}"}, {"name": text}]}
                         for text in strings[:12]],
        "skills": [{"category": text, "items": [text]} for text in strings[12:20]],
        "sections": [{"title": "Corpus \\input{/etc/passwd}", "entries": entries}],
    }
    expected.append(("summary", parse(data["summary"]).plain))
    path = jail.profile_dir / "cv.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False, width=10_000), encoding="utf-8")
    return path, expected


def check_pdf(pdf: bytes, expected: list[tuple[str, str]], warned: set[str] = frozenset()) -> None:  # type: ignore[assignment]
    """Every string prints literally; nothing secret leaked in; links go only to web and mail addresses."""
    text = raw_text(pdf)
    assert CANARY not in text and "root:x:0:0" not in text
    drop = {c for ch in warned for c in text_key(ch)}
    page = "".join(c for c in page_key(text) if c not in drop)
    missing = [(where, value) for where, value in expected
               if any(pieces("".join(c for c in part if c not in drop), page) > MAX_PIECES
                      for part in ordered_parts(text_key(value)))]
    assert not missing, f"not printed literally: {missing[:5]}"
    reader = PdfReader(io.BytesIO(pdf))
    for page_obj in reader.pages:
        for annot in page_obj.get("/Annots") or []:
            action = annot.get_object().get("/A")
            if action is not None and "/URI" in action:
                assert str(action["/URI"]).split(":", 1)[0].lower() in SAFE_SCHEMES, action["/URI"]
            if action is not None:
                assert action.get("/S") in ("/URI", "/GoTo", None), action  # no /Launch, /JavaScript
    assert b"/JavaScript" not in pdf and b"/Launch" not in pdf and b"/EmbeddedFile" not in pdf


# ----- in-process trace (HTML) -----------------------------------------------------------------

_events: list[tuple[str, tuple[Any, ...]]] | None = None
_lock = threading.Lock()
_WATCHED = ("open", "os.open", "subprocess.Popen", "os.system", "os.exec", "os.posix_spawn", "os.fork",
            "os.forkpty", "os.spawn", "socket.connect", "socket.getaddrinfo", "urllib.Request", "ctypes.dlopen")


def _audit(event: str, args: tuple[Any, ...]) -> None:
    if _events is not None and event.startswith(_WATCHED):
        with _lock:
            _events.append((event, args))


sys.addaudithook(_audit)  # hooks cannot be removed; it records only inside traced()


@contextmanager
def traced() -> Iterator[list[tuple[str, tuple[Any, ...]]]]:
    """Record file opens, processes and network use (Python audit events) inside the block."""
    global _events
    recorded: list[tuple[str, tuple[Any, ...]]] = []
    _events = recorded
    try:
        yield recorded
    finally:
        _events = None


def _opened(events: list[tuple[str, tuple[Any, ...]]]) -> list[tuple[str, bool]]:
    """(path, for writing) of every file opened."""
    out = []
    for event, args in events:
        if event == "open" and args and isinstance(args[0], str | bytes | os.PathLike):
            path, mode, flags = os.fsdecode(args[0]), args[1] or "r", args[2] if len(args) > 2 else 0
            writes = any(ch in str(mode) for ch in "wax+") or bool(flags & (os.O_WRONLY | os.O_RDWR | os.O_CREAT))
            out.append((path, writes))
    return out


def test_injection_corpus_prints_literally_with_html_and_touches_nothing_outside(
        jail: Jail, request: pytest.FixtureRequest) -> None:
    path, expected = hostile_profile(jail)
    import weasyprint  # noqa: F401  # importing it looks libraries up (ldconfig, gcc): before the trace

    from cvrender.formats.html.engine import cjk_font_available

    cjk_font_available()  # cached: runs fc-list once, before the trace
    from cvrender.glyphs import installed_families

    installed_families()  # the fonts' coverage, also asked of fc-list once per process
    with traced() as events:
        result = cvrender.build(path, output=jail.out / "cv.pdf", today=TODAY)
    tally(request, "injection strings (html)", len(expected))
    assert result.pdf_path == jail.out / "cv.pdf"
    check_pdf(result.pdf_path.read_bytes(), expected)
    assert not jail.marker.exists()
    opened = _opened(events)
    assert opened, "the trace saw no file at all"
    for name, writes in opened:
        resolved = Path(name).resolve()
        assert not resolved.is_relative_to(jail.secret_dir), f"read {name}"
        assert name not in ("/etc/passwd", "/etc/shadow"), f"read {name}"
        if writes and name != os.devnull:
            assert resolved.is_relative_to(jail.out), f"wrote {name}"
    programs = [(e, a) for e, a in events if not e.startswith(("open", "os.open", "ctypes"))]
    assert not programs, f"started a process or used the network: {programs[:3]}"


@pytest.mark.tex
@pytest.mark.slow
def test_injection_corpus_prints_literally_with_latex(jail: Jail, request: pytest.FixtureRequest) -> None:
    require_tex()
    path, expected = hostile_profile(jail)
    warnings = cvrender.api.Warnings()
    _, _, compiled, _ = cvrender.api.default_builder().compile(
        path, cvrender.api.BuildOptions(backend="latex", today=TODAY), warnings)
    tally(request, "injection strings (latex)", len(expected))
    check_pdf(compiled.data, expected, set(compiled.info.get("missing_glyphs", ())))  # type: ignore[arg-type]
    assert not jail.marker.exists()


def test_injection_corpus_prints_literally_with_typst(jail: Jail, request: pytest.FixtureRequest) -> None:
    path, expected = hostile_profile(jail)
    warnings = cvrender.api.Warnings()
    _, source, compiled, _ = cvrender.api.default_builder().compile(
        path, cvrender.api.BuildOptions(backend="typst", today=TODAY), warnings)
    tally(request, "injection strings (typst)", len(expected))
    check_pdf(compiled.data, expected)
    assert not jail.marker.exists()
    assert not [w for w in warnings.items if "Typst" in w], warnings.items  # no code ran to warn about
    # the only files the source names are those the engine puts in its build folder
    assert re.findall(r'#(?:read|include|import|image)\(?"', source.text) == []


# ----- strace: every backend through the command line ------------------------------------------

_SYSCALL = re.compile(r'^(\d+)\s+(\w+)\((.*)$')
_STRING = re.compile(r'"((?:[^"\\]|\\.)*)"')
# kpsewhich: fixed arguments, finds the TeX files a cached preamble format depends on.
ENGINE_PROGRAMS = {"html": set(), "latex": {"xelatex", "xdvipdfmx", "kpsewhich"}, "typst": set()}
# Started when WeasyPrint is imported (ctypes.util.find_library looks for Pango with ldconfig and
# gcc) and by the CJK font check: fixed commands that no profile can change.
LIBRARY_LOOKUP = {"ldconfig", "ldconfig.real", "gcc", "cc", "collect2", "ld", "ld.bfd", "ld.gold", "cc1", "fc-list",
                  "x86_64-linux-gnu-gcc", "x86_64-linux-gnu-gcc-12", "gcc-12", "sh", "uname"}


@pytest.mark.slow
@pytest.mark.parametrize("backend", ["html", "typst", pytest.param("latex", marks=pytest.mark.tex)])
def test_strace_shows_no_read_write_or_process_outside_the_build(backend: str, jail: Jail,
                                                                  request: pytest.FixtureRequest) -> None:
    strace = shutil.which("strace")
    if strace is None:
        pytest.skip("strace is not installed (the in-process trace still checks the HTML backend)")
    if backend == "latex":
        require_tex()
    path, expected = hostile_profile(jail)
    home, tmp = jail.root / "home", jail.root / "tmp"
    home.mkdir()
    tmp.mkdir()
    log = jail.root / "strace.log"
    env = {**os.environ, "HOME": str(home), "TMPDIR": str(tmp), "XDG_CACHE_HOME": str(home / ".cache")}
    env.pop("CVRENDER_DEBUG", None)
    run = subprocess.run([strace, "-f", "-qq", "-s", "4096", "-e", "trace=open,openat,creat,execve,connect",
                          "-o", str(log), sys.executable, "-m", "cvrender", "build", str(path), "-b", backend,
                          "-o", str(jail.out / "cv.pdf"), "--today", "2026-01-15"],
                         cwd=jail.profile_dir, env=env, capture_output=True, text=True, timeout=300, check=False)
    assert run.returncode == 0, run.stderr
    tally(request, f"injection strings traced ({backend})", len(expected))
    check_pdf((jail.out / "cv.pdf").read_bytes(), expected, _warned_glyphs(run.stderr))
    assert not jail.marker.exists()
    programs: list[str] = []
    for line in log.read_text(encoding="utf-8", errors="replace").splitlines():
        match = _SYSCALL.match(line)
        if not match or "ENOENT" in line:
            continue
        call, rest = match.group(2), match.group(3)
        strings = _STRING.findall(rest)
        if call == "execve" and strings:
            programs.append(Path(strings[0]).name)
            assert str(jail.marker) not in rest and "touch" not in rest, line
        elif call in ("open", "openat", "creat") and strings:
            name = strings[0]
            assert str(jail.secret_dir) not in name and name not in ("/etc/passwd", "/etc/shadow"), line
            if re.search(r"O_WRONLY|O_RDWR|O_CREAT", rest) or call == "creat":
                absolute = Path(name) if name.startswith("/") else None
                if absolute is None:  # relative: TeX writing in its build folder (its working directory)
                    assert ".." not in Path(name).parts, line
                else:
                    assert name.startswith(("/dev/null", "/dev/tty")) or any(
                        absolute.is_relative_to(root) for root in (jail.out, tmp, home)), line
        elif call == "connect":
            assert "AF_INET" not in rest, line
    python = Path(sys.executable).name
    assert programs and programs[0] == python
    assert set(programs[1:]) <= ENGINE_PROGRAMS[backend] | LIBRARY_LOOKUP, programs


def _warned_glyphs(stderr: str) -> set[str]:
    return {chr(int(code, 16)) for code in re.findall(r"U\+([0-9A-Fa-f]{4,6})", stderr)}


# ----- refused with a clear error ----------------------------------------------------------------

@pytest.mark.parametrize("url", ["javascript:alert(1)", "file:///etc/passwd", "data:text/html,<script>x</script>",
                                 "vbscript:msgbox(1)", "  JavaScript:alert(1)"])
def test_links_with_unsafe_schemes_are_refused_with_the_line(url: str, jail: Jail, request: pytest.FixtureRequest) -> None:
    path = jail.profile_dir / "cv.yaml"
    path.write_text(f"name: Mallory\nwebsite: {yaml.safe_dump(url).splitlines()[0]}\n", encoding="utf-8")
    tally(request, "refused inputs")
    run = run_cli("build", str(path), "-o", str(jail.out / "cv.pdf"))
    assert_one_line_error(run, 2, "cv.yaml:2:", "website", "not a web link")
    assert not list(jail.out.iterdir())


@pytest.mark.parametrize("photo", ["../secret/photo.png", "/etc/passwd", "~/photo.png", "file:///etc/passwd",
                                   "https://example.org/me.png", "photos/../../secret/photo.png", "C:\\photo.png"])
def test_photo_paths_outside_the_profile_folder_are_refused(photo: str, jail: Jail,
                                                            request: pytest.FixtureRequest) -> None:
    path = jail.profile_dir / "cv.yaml"
    path.write_text(yaml.safe_dump({"name": "Mallory", "photo": photo}), encoding="utf-8")
    tally(request, "refused inputs")
    with pytest.raises(ProfileError) as info:
        cvrender.load(path)
    message = str(info.value)
    assert "cv.yaml:" in message and "photo" in message and "inside the profile's folder" in message


def test_the_photo_is_read_only_from_inside_the_profile_folder(jail: Jail, request: pytest.FixtureRequest) -> None:
    inside = jail.profile_dir / "inside.yaml"
    inside.write_text("name: Ada Photo\nphoto: me.png\n", encoding="utf-8")
    result = cvrender.build(inside, output=jail.out / "in.pdf", today=TODAY)
    assert not result.warnings, result.warnings
    assert b"/Subtype /Image" in result.pdf_path.read_bytes()  # type: ignore[union-attr]
    # a symbolic link inside the folder that points outside it is refused, with the line
    escape = jail.profile_dir / "escape.yaml"
    escape.write_text("name: Mallory Photo\nphoto: escape.png\n", encoding="utf-8")
    tally(request, "refused inputs")
    run = cli("build", str(escape), "-o", str(jail.out / "out.pdf"))
    assert_one_line_error(run, 2, "escape.yaml:2:", "photo 'escape.png' leads outside the profile's folder")
    assert not (jail.out / "out.pdf").exists()


SMUGGLED_OPTIONS = [
    ("accent", "red;}body{display:none"),
    ("accent", "#fff;background:url(file:///etc/passwd)"),
    ("font", 'x"; } @import url(file:///etc/passwd); a{b:"'),
    ("font", "x\\input{/etc/passwd}"),
    ("latex_font", "Pagella}\\input{/etc/passwd}{"),
    ("cjk_font", "Noto\\immediate\\write18{touch /tmp/pwned}"),
    ("margin", "10mm;}body{display:none"),
    ("margin", "1mm\\input{/etc/passwd}"),
    ("font_size", "10pt}}\\end{document}"),
    ("paper", "a4}\\input{/etc/passwd}"),
    ("page_numbers", "true;}"),
    ("section_title_style", "<script>"),
]


@pytest.mark.parametrize(("option", "value"), SMUGGLED_OPTIONS)
def test_theme_options_that_smuggle_code_are_refused(option: str, value: str, jail: Jail,
                                                     request: pytest.FixtureRequest) -> None:
    path = jail.profile_dir / "cv.yaml"
    path.write_text("name: Ada\n", encoding="utf-8")
    tally(request, "refused inputs")
    run = run_cli("build", str(path), "--set", f"{option}={value}", "-o", str(jail.out / "cv.pdf"))
    assert_one_line_error(run, 2, f"--set {option}", "is not allowed; use")
    assert not list(jail.out.iterdir())
    # the same value in the profile's design: names the file, line and key
    path.write_text(yaml.safe_dump({"name": "Ada", "design": {option: value}}, width=10_000), encoding="utf-8")
    with pytest.raises(ThemeError, match=rf"cv\.yaml:\d+:\d+: design\.{option}: .* is not allowed"):
        cvrender.build(path, output=jail.out / "cv.pdf", today=TODAY)


def test_no_local_themes_keeps_a_profile_folder_from_bringing_template_code(jail: Jail,
                                                                           request: pytest.FixtureRequest) -> None:
    """A themes/ folder beside a profile is code (templates can run Python); a service that builds
    strangers' folders turns it off, and then a profile cannot name a theme folder either."""
    shutil.copytree(DATA / "themes" / "shadow", jail.profile_dir / "themes" / "academic")
    path = jail.profile_dir / "cv.yaml"
    path.write_text(yaml.safe_dump({"name": str(jail.marker)}), encoding="utf-8")
    tally(request, "refused inputs", 2)
    run = run_cli("build", str(path), "--theme", "academic", "--no-local-themes", "-o", str(jail.out / "cv.pdf"))
    assert run.returncode == 0, run.stderr
    assert not jail.marker.exists()
    assert text_key(str(jail.marker)) in text_key(raw_text((jail.out / "cv.pdf").read_bytes()))  # academic printed it
    path.write_text(yaml.safe_dump({"name": "Ada", "theme": "./themes/academic"}), encoding="utf-8")
    run = run_cli("build", str(path), "--no-local-themes", "-o", str(jail.out / "b.pdf"))
    assert_one_line_error(run, 2, "names the theme folder './themes/academic'", "--no-local-themes")
    assert not jail.marker.exists() and not (jail.out / "b.pdf").exists()
