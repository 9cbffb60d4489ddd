"""TeX engines (xelatex, lualatex, pdflatex): a sandboxed run with as few passes as needed.

Each build runs in a private temporary folder with shell escape off, ``openin_any`` and
``openout_any`` paranoid (TeX reads and writes nothing outside that folder except its own
installation), ``-halt-on-error`` and a time limit that kills the whole process group.

Passes: the engine runs again only while the ``.aux`` or ``.out`` file changes (or the log asks
for a rerun), at most :data:`MAX_PASSES` times; a first pass without an ``.aux`` is the last when
TeX neither asks for a rerun nor finds references undefined (the themes' "Page X of Y" and
bookmarks need no second pass with xelatex). The ``.aux``/``.out`` of the last build of the
same profile are kept under ``$XDG_CACHE_HOME/cvrender/latex`` and seeded into the next build, so
rebuilding an unchanged profile takes one pass. xelatex passes write only ``.xdv``; the PDF is
made once at the end with ``xdvipdfmx``. A PDF is returned only when the run succeeded; on
failure the full log is kept under the cache folder and :class:`EngineError` quotes the first
TeX error, with the source line and the section it belongs to.

Preloaded preamble: with xelatex, the part of the source above :data:`FORMAT_MARKER` (class and
packages) is dumped once into a format file under the cache folder, keyed by its text and the
installed TeX (whole-line comments aside), and each pass starts from it with ``-fmt`` (in the
same sandbox) instead of loading the packages again. The backend keeps the profile's design and
the theme below the marker, so one format serves them all.
"""

from __future__ import annotations

import contextlib
import datetime as _dt
import hashlib
import os
import re
import shutil
import signal
import subprocess
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

from cvrender.errors import EngineError, EngineMissingError, OutputError
from cvrender.files import atomic_write
from cvrender.formats.base import CompiledPdf, Source

try:
    import fcntl
except ImportError:  # not POSIX: processes may dump the same format at once (each file is replaced atomically)
    fcntl = None  # type: ignore[assignment]

ENGINES = ("xelatex", "lualatex", "pdflatex")
MAX_PASSES = 4
DEFAULT_TIMEOUT = 90.0  # seconds for all passes together; $CVRENDER_TEX_TIMEOUT overrides it
MAX_LOG_BYTES = 32 * 1024 * 1024
JOB = "cv"
KEEP_FAILED = 20
# Everything above this line of the source is loaded from a format file, dumped once per preamble
# text and kept in the cache (XeTeX cannot dump native fonts, so fonts are chosen after it).
FORMAT_MARKER = "% cvrender: end of the preloaded preamble"
FORMAT_ENGINES = {"xelatex": "xetex"}  # engine -> the kpathsea engine its base format belongs to
FORMAT_VERSION = "1"
KEEP_FORMATS = 8

DEBIAN_PACKAGES = {
    "xelatex": "texlive-xetex",
    "lualatex": "texlive-luatex",
    "pdflatex": "texlive-latex-base",
    "xdvipdfmx": "texlive-xetex",
}
# Packages a template loads -> the Debian package that has them.
_STY_PACKAGES = {
    "xeCJK.sty": "texlive-lang-chinese", "ctex.sty": "texlive-lang-chinese",
    "luatexja-fontspec.sty": "texlive-lang-japanese", "fontspec.sty": "texlive-latex-recommended",
    "scrartcl.cls": "texlive-latex-recommended", "scrlayer-scrpage.sty": "texlive-latex-recommended",
    "lastpage.sty": "texlive-latex-extra", "needspace.sty": "texlive-latex-extra",
    "enumitem.sty": "texlive-latex-extra", "microtype.sty": "texlive-latex-recommended",
    "lmodern.sty": "lmodern", "mathpazo.sty": "texlive-fonts-recommended",
    "xcolor.sty": "texlive-latex-recommended", "hyperref.sty": "texlive-latex-base",
}
_ERROR_LINE = re.compile(r"^! (.*)$")
_CONTEXT_LINE = re.compile(r"^l\.(\d+) ?(.*)$")
_WARNING = re.compile(r"^(?:LaTeX|Package [\w.-]+|Class [\w.-]+) Warning:")
_CONTINUATION = re.compile(r"^\([\w.-]+\) ")
_RERUN_WORD = re.compile(r"\b[Rr]erun\b")
_UNDEFINED = re.compile(r"^LaTeX Warning: (?:There were undefined (?:references|citations)|"
                        r"(?:Reference|Citation) .* undefined)", re.MULTILINE)
_NO_FILE = re.compile(r"^No file ([\w.-]+)\.$", re.MULTILINE)
_PAGES = re.compile(r"^Output written on .*?\((\d+) pages?")
_MISSING_CHAR = re.compile(r"^Missing character: There is no (.+?) \((U\+[0-9A-F]+)\) in font (.*?)!?$")
_FONT_NOT_FOUND = re.compile(r'The font "([^"]+)" cannot be found')


def cache_dir() -> Path:
    """Where cvrender keeps ``.aux`` files and failed logs: ``$XDG_CACHE_HOME/cvrender/latex``."""
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "cvrender" / "latex"


@dataclass
class RunStats:
    """What one compilation did (kept in ``CompiledPdf.info``)."""

    passes: int = 0
    seeded: bool = False
    format: Path | None = None
    seconds: list[float] = field(default_factory=list)


class LatexEngine:
    """Compiles LaTeX with xelatex, lualatex or pdflatex in a sandbox."""

    def __init__(self, name: str = "xelatex", timeout: float | None = None, use_cache: bool = True):
        if name not in ENGINES:
            raise EngineError(f"unknown TeX engine '{name}' (use {', '.join(ENGINES)})")
        self.name = name
        self.timeout = timeout if timeout is not None else _env_timeout()
        self.use_cache = use_cache
        self._tex_identity: str | None = None

    # ----- the run ------------------------------------------------------------------------
    def compile(self, source: Source) -> CompiledPdf:
        """Compile LaTeX source to PDF bytes; raise :class:`EngineError` with the TeX error."""
        expected = source.options.engine
        if expected and expected != self.name:
            raise EngineError(f"this LaTeX was written for {expected}, not {self.name}; render it again "
                              f"with engine={self.name}")
        self._require(self.name)
        if self.name == "xelatex":
            self._require("xdvipdfmx")
        key = source.options.cache_key or "default"
        stats = RunStats()
        deadline = time.monotonic() + self.timeout
        with tempfile.TemporaryDirectory(prefix="cvrender-tex-") as tmp:
            build = Path(tmp)
            os.chmod(build, 0o700)
            env = self._environment(source)
            stats.format, text = self._preloaded(source, env, deadline)
            (build / f"{JOB}.tex").write_text(text, encoding="utf-8")
            _copy_files(source, build)
            stats.seeded = self._seed(build, key)
            log = ""
            previous = self._state(build)
            while True:
                # Without a seeded .aux the first pass cannot be the last (page count, bookmarks).
                draft = stats.passes == 0 and not stats.seeded and self.name != "xelatex"
                log = self._pass(build, env, deadline, draft, stats, source)
                current = self._state(build)
                changed = current != previous
                if changed and stats.passes == 1 and not stats.seeded and not draft:
                    # Nothing was read from an .aux (there was none): another pass is needed only if
                    # TeX asked for one, found references undefined or missed another auxiliary file.
                    changed = _first_pass_incomplete(log, build)
                previous = current
                again = changed or _asks_rerun(log)
                if draft or (again and stats.passes < MAX_PASSES):
                    continue
                break
            warnings = list(source.options.warnings)
            if again:
                warnings.append(f"{self.name}: cross-references still changed after {stats.passes} passes")
            if self.name == "xelatex":
                self._run(["xdvipdfmx", "-q", "-o", f"{JOB}.pdf", f"{JOB}.xdv"], build, env, deadline, source,
                          "xdvipdfmx")
            pdf_path = build / f"{JOB}.pdf"
            if not pdf_path.is_file():
                raise self._failure(build, source, log, f"{self.name} wrote no PDF")
            data = pdf_path.read_bytes()
            self._keep(build, key)
        warnings.extend(_log_warnings(log))
        pages = _page_count(log) or _count_pdf_pages(data)
        return CompiledPdf(data, pages, tuple(warnings),
                           {"passes": stats.passes, "seeded": stats.seeded, "pass_seconds": stats.seconds,
                            "format": stats.format is not None,
                            "missing_glyphs": _missing_glyphs(log)})

    def _require(self, program: str) -> None:
        if shutil.which(program) is None:
            raise EngineMissingError(
                f"{program} is not installed; install TeX Live (Debian/Ubuntu: apt install "
                f"{DEBIAN_PACKAGES.get(program, 'texlive-full')}) or build with --backend html")

    def _environment(self, source: Source) -> dict[str, str]:
        env = dict(os.environ)
        for name in ("TEXINPUTS", "TEXMFOUTPUT", "TEXMFCNF_EXTRA", "shell_escape", "shell_escape_commands"):
            env.pop(name, None)
        env.update({
            "openin_any": "p", "openout_any": "p", "shell_escape": "f",
            "max_print_line": "1000", "error_line": "254", "half_error_line": "238",
            "LC_ALL": "C.UTF-8", "LANG": "C.UTF-8",
        })
        today = source.options.today
        if isinstance(today, _dt.date):  # reproducible PDF dates and IDs
            epoch = int(_dt.datetime(today.year, today.month, today.day, tzinfo=_dt.UTC).timestamp())
            env.update({"SOURCE_DATE_EPOCH": str(epoch), "FORCE_SOURCE_DATE": "1"})
        return env

    def _pass(self, build: Path, env: dict[str, str], deadline: float, draft: bool, stats: RunStats,
              source: Source) -> str:
        command = [self.name, "-no-shell-escape", "-interaction=nonstopmode", "-halt-on-error",
                   f"-jobname={JOB}"]
        if stats.format is not None:
            command.append(f"-fmt={stats.format.with_suffix('')}")
        if self.name == "xelatex":
            command.append("-no-pdf")
        elif draft:
            command.append("-draftmode")
        command.append(f"{JOB}.tex")
        start = time.perf_counter()
        code = self._run(command, build, env, deadline, source, self.name)
        stats.seconds.append(time.perf_counter() - start)
        stats.passes += 1
        log_path = build / f"{JOB}.log"
        log = log_path.read_text(encoding="utf-8", errors="replace") if log_path.is_file() else ""
        if code != 0 or _first_error(log) is not None:
            raise self._failure(build, source, log, f"{self.name} stopped")
        return log

    def _run(self, command: list[str], build: Path, env: dict[str, str], deadline: float, source: Source,
             label: str) -> int:
        """Run a program in its own process group; kill the group on timeout or a runaway log."""
        process = subprocess.Popen(command, cwd=build, env=env, stdin=subprocess.DEVNULL,
                                   stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True)
        log_path = build / f"{JOB}.log"
        try:
            while True:
                try:
                    return process.wait(timeout=0.2)
                except subprocess.TimeoutExpired:
                    pass
                if time.monotonic() > deadline:
                    _kill_group(process)
                    log = log_path.read_text(encoding="utf-8", errors="replace") if log_path.is_file() else ""
                    raise self._failure(build, source, log,
                                        f"{label} did not finish within {self.timeout:g} s and was stopped "
                                        f"(does the document loop?)", quote_error=False)
                if log_path.is_file() and log_path.stat().st_size > MAX_LOG_BYTES:
                    _kill_group(process)
                    raise self._failure(build, source, "", f"{label} wrote more than "
                                        f"{MAX_LOG_BYTES // 2**20} MB of log and was stopped", quote_error=False)
        except BaseException:
            if process.poll() is None:
                _kill_group(process)
            raise

    # ----- the preloaded preamble (a format file) ------------------------------------------
    def _preloaded(self, source: Source, env: dict[str, str], deadline: float) -> tuple[Path | None, str]:
        """The format holding the source's preamble up to :data:`FORMAT_MARKER` (dumped on first
        use), and the text to compile with it: the rest, after as many empty lines as it replaces,
        so that TeX's line numbers still match the source. ``(None, source.text)`` without one."""
        text = source.text
        if not self.use_cache or self.name not in FORMAT_ENGINES:
            return None, text
        lines = text.split("\n")
        try:
            index = lines.index(FORMAT_MARKER)
        except ValueError:
            return None, text
        identity = self._identity()
        if not identity:
            return None, text
        head = "\n".join(lines[:index]) + "\n"
        # Whole-line comments (the theme's name, notes) change nothing in a format: one format
        # serves every theme and design whose preamble differs only in them.
        tex = "\n".join(line for line in lines[:index] if not line.lstrip().startswith("%"))
        digest = hashlib.sha256("\0".join((FORMAT_VERSION, identity, tex)).encode("utf-8")).hexdigest()[:32]
        folder = cache_dir() / "formats"
        path = folder / f"{self.name}-{digest}.fmt"
        try:
            if path.is_file():
                os.utime(path)  # recently used: kept longest
            elif not self._dump(head, path, env, deadline):
                return None, text
        except (OSError, OutputError):
            return None, text  # the format only saves time
        return path, "\n" * (index + 1) + "\n".join(lines[index + 1:])

    def _identity(self) -> str:
        """The installed TeX this engine's formats depend on: its base format and file databases
        (a TeX Live update changes them, and so every key)."""
        if self._tex_identity is None:
            try:
                base = _kpsewhich(f"-engine={FORMAT_ENGINES[self.name]}", f"{self.name}.fmt")
                files = base[:1] + _kpsewhich("-all", "ls-R") if base else []
                parts = []
                for name in files:
                    info = os.stat(name)
                    parts.append(f"{name}:{info.st_mtime_ns}:{info.st_size}")
                self._tex_identity = "|".join(parts)
            except (OSError, subprocess.SubprocessError):
                self._tex_identity = ""
        return self._tex_identity

    def _dump(self, head: str, path: Path, env: dict[str, str], deadline: float) -> bool:
        """Dump ``head`` (a preamble) into the format file ``path``, in the sandbox; False if TeX
        cannot (the build then reads the whole preamble). One process dumps, others wait for it."""
        failed = path.with_suffix(".failed")
        if failed.exists():
            return False
        path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
        with open(path.with_suffix(".lock"), "w") as lock:
            if fcntl is not None:
                fcntl.flock(lock, fcntl.LOCK_EX)
            if path.is_file():
                return True
            with tempfile.TemporaryDirectory(prefix="cvrender-fmt-") as tmp:
                folder = Path(tmp)
                (folder / "preamble.tex").write_text(_FORMAT_START + head + _FORMAT_END, encoding="utf-8")
                command = [self.name, "-ini", "-no-shell-escape", "-interaction=nonstopmode", "-halt-on-error",
                           f"-jobname={JOB}", f"&{self.name}", "preamble.tex"]
                try:
                    code = self._spawn(command, folder, env, deadline)
                except subprocess.TimeoutExpired:
                    return False
                dumped = folder / f"{JOB}.fmt"
                if code != 0 or not dumped.is_file():
                    failed.touch()
                    return False
                atomic_write(path, dumped.read_bytes())
        _evict(path.parent, KEEP_FORMATS)
        return True

    def _spawn(self, command: list[str], cwd: Path, env: dict[str, str], deadline: float) -> int:
        """Run a program in its own process group until it ends; kill the group at the deadline
        (raising :class:`subprocess.TimeoutExpired`) or when interrupted."""
        process = subprocess.Popen(command, cwd=cwd, env=env, stdin=subprocess.DEVNULL,
                                   stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True)
        try:
            return process.wait(timeout=max(deadline - time.monotonic(), 0.1))
        finally:
            if process.poll() is None:
                _kill_group(process)

    # ----- passes and the .aux cache ------------------------------------------------------
    def _state(self, build: Path) -> tuple[bytes, ...]:
        return tuple((build / f"{JOB}.{ext}").read_bytes() if (build / f"{JOB}.{ext}").is_file() else b""
                     for ext in ("aux", "out"))

    def _seed(self, build: Path, key: str) -> bool:
        if not self.use_cache:
            return False
        folder = cache_dir() / "aux" / f"{key}-{self.name}"
        seeded = False
        for ext in ("aux", "out"):
            cached = folder / f"{JOB}.{ext}"
            if cached.is_file():
                shutil.copyfile(cached, build / f"{JOB}.{ext}")
                seeded = seeded or ext == "aux"
        return seeded

    def _keep(self, build: Path, key: str) -> None:
        if not self.use_cache:
            return
        folder = cache_dir() / "aux" / f"{key}-{self.name}"
        try:
            folder.mkdir(parents=True, exist_ok=True)
            for ext in ("aux", "out"):
                produced = build / f"{JOB}.{ext}"
                if produced.is_file():
                    fd, tmp = tempfile.mkstemp(dir=folder, prefix=f".{ext}.")
                    with os.fdopen(fd, "wb") as handle:
                        handle.write(produced.read_bytes())
                    os.replace(tmp, folder / f"{JOB}.{ext}")
        except OSError:
            pass  # the cache only saves time

    # ----- failures -----------------------------------------------------------------------
    def _failure(self, build: Path, source: Source, log: str, headline: str,
                 quote_error: bool = True) -> EngineError:
        saved = _save_failure(build, source, log)
        error = _first_error(log) if quote_error else None
        if error is None:
            message = headline
            excerpt = ""
        else:
            line, number, context = error
            message = f"{headline}: {line}"
            where = _where(source.text, number, context) if number else ""
            if where:
                message += f" ({where})"
            hint = _hint(line, log, source)
            if hint:
                message += f"; {hint}"
            excerpt = "\n".join(x for x in (line, f"l.{number} {context}" if number else "") if x)
        missing = _missing_file(error[0] if error else "")
        if missing and missing in _STY_PACKAGES:
            return EngineMissingError(message + f" (Debian/Ubuntu: apt install {_STY_PACKAGES[missing]})",
                                      excerpt, saved)
        return EngineError(message, excerpt, saved)


def _copy_files(source: Source, build: Path) -> None:
    """Copy the files the source names (the photo) into the build folder, if they are where they
    may be: inside the theme's or the profile's folder."""
    roots = [Path(p).resolve() for p in source.allowed_dirs]
    for name, path in dict(source.options.files).items():
        real = Path(path).resolve()
        if not re.fullmatch(r"[a-z]+\.(?:jpg|png)", name) or not real.is_file():
            raise EngineError(f"cannot use '{path}' in a LaTeX build")
        if not any(real.is_relative_to(root) for root in roots):
            raise EngineError(f"refused to copy '{path}': outside the theme and profile folders")
        shutil.copyfile(real, build / name)


# Around the preamble when dumping it. LaTeX and fontspec select the default font while they load
# (\normalsize, \normalfont), and XeTeX cannot dump a native font once loaded. Meanwhile, a font
# of the TU (Unicode) encoding is not loaded: its name stands for \nullfont, and is undefined again
# before the dump, so the document loads it (or the fonts it chooses after the format) as usual.
_FORMAT_START = r"""\catcode`\@=11
\let\cvr@definenewfont\define@newfont \def\cvr@native{TU}\def\cvr@fonts{}
\def\define@newfont{\ifx\f@encoding\cvr@native
    \global\expandafter\font\font@name=ec-lmr10 at \f@size pt\relax \xdef\cvr@fonts{\cvr@fonts\font@name}%
  \else\expandafter\cvr@definenewfont\fi}
\catcode`\@=12
"""
_FORMAT_END = r"""
\catcode`\@=11
\let\define@newfont\cvr@definenewfont
\def\cvr@undefine#1{\global\let#1\relax\cvr@undefine}\expandafter\cvr@undefine\cvr@fonts\cvr@undefine
\catcode`\@=12
\dump
"""


def _kpsewhich(*args: str) -> list[str]:
    """The files ``kpsewhich`` finds (one a line)."""
    run = subprocess.run(["kpsewhich", *args], capture_output=True, text=True, timeout=10, check=False)
    return [line for line in run.stdout.splitlines() if line]


def _evict(folder: Path, keep: int) -> None:
    """Remove all but the ``keep`` most recently used format files (and failure marks) of ``folder``."""
    with contextlib.suppress(OSError):
        files = sorted((p for p in folder.iterdir() if p.suffix in (".fmt", ".failed")),
                       key=lambda p: p.stat().st_mtime, reverse=True)
        for old in files[keep:]:
            old.unlink(missing_ok=True)
            old.with_suffix(".lock").unlink(missing_ok=True)


def _env_timeout() -> float:
    """The time limit: ``$CVRENDER_TEX_TIMEOUT`` seconds, else :data:`DEFAULT_TIMEOUT`."""
    try:
        value = float(os.environ.get("CVRENDER_TEX_TIMEOUT", DEFAULT_TIMEOUT))
    except ValueError:
        return DEFAULT_TIMEOUT
    return value if value > 0 else DEFAULT_TIMEOUT


def _kill_group(process: subprocess.Popen[bytes]) -> None:
    with contextlib.suppress(ProcessLookupError, PermissionError):
        os.killpg(process.pid, signal.SIGKILL)
    with contextlib.suppress(subprocess.TimeoutExpired):
        process.wait(timeout=5)


def _asks_rerun(log: str) -> bool:
    """Whether a warning in the log asks for another pass (its continuation lines included)."""
    lines = log.splitlines()
    for index, line in enumerate(lines):
        if not _WARNING.match(line):
            continue
        text = line
        for extra in lines[index + 1:index + 6]:
            if not _CONTINUATION.match(extra):
                break
            text += " " + extra
        if _RERUN_WORD.search(text):
            return True
    return False


def _first_pass_incomplete(log: str, build: Path) -> bool:
    """Whether a first pass without an .aux needs another one: references left undefined, or an
    auxiliary file (``.toc``, ``.out``...) it looked for and that now exists."""
    if _UNDEFINED.search(log):
        return True
    for name in _NO_FILE.findall(log):
        if name != f"{JOB}.aux" and name.startswith(f"{JOB}.") and (build / name).is_file():
            return True
    return False


def _first_error(log: str) -> tuple[str, int | None, str] | None:
    """The first error of a TeX log: its message, and the source line number and text, if given."""
    lines = log.splitlines()
    for index, line in enumerate(lines):
        match = _ERROR_LINE.match(line)
        if not match or line.startswith("! ==>"):
            continue
        message = match.group(1).strip()
        # LaTeX errors continue on the next lines until an empty line or "See the ... manual".
        for extra in lines[index + 1:index + 4]:
            if not extra.strip() or extra.startswith(("See the", "Type  H", "l.", "(")):
                break
            if extra.startswith(("(", "!")):
                break
            if message.endswith((".", ")")) and not extra.startswith(" "):
                break
            message += " " + extra.strip()
        if message.startswith("Undefined control sequence") and index + 1 < len(lines):
            # TeX breaks the context line right after the undefined command
            commands = re.findall(r"\\[A-Za-z@]+", lines[index + 1])
            if commands:
                message = f"Undefined control sequence {commands[-1]}"
        for extra in lines[index + 1:index + 40]:
            context = _CONTEXT_LINE.match(extra)
            if context:
                return message, int(context.group(1)), context.group(2).strip()
        return message, None, ""
    return None


def _where(text: str, number: int, context: str) -> str:
    """``cv.tex line 57, in section 'publications'``: where in the source an error happened."""
    lines = text.splitlines()
    near = context[-60:] if context else ""
    probe = context.strip()[-20:]
    if number > len(lines) or (probe and probe not in lines[number - 1]):
        return f"near '{near}'" if near else ""  # the line is in another file TeX read (.aux, .out)
    section = "the preamble (theme and design options)"
    entry = ""
    for line in lines[:number]:
        if line.startswith("% section: "):
            section = f"section '{line[len('% section: '):].strip()}'"
            entry = ""
        elif line.startswith("% entry: "):
            index, _, title = line[len("% entry: "):].partition(": ")
            entry = f", entry {index.strip()}" + (f" ('{title.strip()}')" if title.strip() else "")
        elif line.startswith("\\begin{document}"):
            section = "the start of the document"
    return f"cv.tex line {number}, in {section}{entry}" + (f", near '{near}'" if near else "")


def _hint(line: str, log: str, source: Source) -> str:
    design = source.options.design
    match = _FONT_NOT_FOUND.search(line) or _FONT_NOT_FOUND.search(log)
    if match:
        font = match.group(1)
        squeezed = font.replace(" ", "")  # lualatex drops the spaces of the name
        options = [name for name in ("latex_font", "cjk_font")
                   if str(design.get(name, "")).replace(" ", "") == squeezed]
        which = f"design option {options[0]}" if options else "a font option"
        return f"the font '{font}' is not installed; check {which} (fc-list lists installed fonts)"
    return ""


def _missing_file(line: str) -> str | None:
    match = re.search(r"File [`']([^']+)' not found", line)
    return match.group(1) if match else None


def _save_failure(build: Path, source: Source, log: str) -> Path | None:
    """Keep the log and the source of a failed run; return the log's path."""
    try:
        folder = cache_dir() / "failed"
        folder.mkdir(parents=True, exist_ok=True)
        for old in sorted(folder.iterdir())[:-KEEP_FAILED]:  # oldest first (names start with a time)
            shutil.rmtree(old, ignore_errors=True)
        stamp = time.strftime("%Y%m%d-%H%M%S")
        target = Path(tempfile.mkdtemp(prefix=f"{stamp}-", dir=folder))
        log_file = build / f"{JOB}.log"
        if log_file.is_file():
            shutil.copyfile(log_file, target / f"{JOB}.log")
        else:
            (target / f"{JOB}.log").write_text(log or "(TeX wrote no log)\n", encoding="utf-8")
        (target / f"{JOB}.tex").write_text(source.text, encoding="utf-8")
        return target / f"{JOB}.log"
    except OSError:
        return None


def _log_warnings(log: str) -> list[str]:
    """Warnings worth showing: glyphs the fonts lack."""
    missing: dict[str, str] = {}
    for line in log.splitlines():
        match = _MISSING_CHAR.match(line)
        if match:
            missing.setdefault(f"'{match.group(1)}' ({match.group(2)})", match.group(3).strip())
    if not missing:
        return []
    chars = ", ".join(list(missing)[:8]) + (" ..." if len(missing) > 8 else "")
    fonts = ", ".join(sorted(set(missing.values()))[:2])
    return [f"the font has no glyph for {chars} (font {fonts}); choose another latex_font or cjk_font"]


def _missing_glyphs(log: str) -> tuple[str, ...]:
    """Every character the fonts lacked (the warning names only the first few)."""
    found = (_MISSING_CHAR.match(line) for line in log.splitlines())
    return tuple(sorted({chr(int(m.group(2)[2:], 16)) for m in found if m}))


def _page_count(log: str) -> int:
    for line in reversed(log.splitlines()):
        match = _PAGES.match(line)
        if match:
            return int(match.group(1))
    return 0


def _count_pdf_pages(data: bytes) -> int:
    """Count pages of a PDF without a PDF library (``/Type /Page`` objects)."""
    return len(re.findall(rb"/Type\s*/Page(?![s\w])", data))


__all__ = ["LatexEngine", "cache_dir"]
