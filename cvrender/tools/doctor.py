"""``cvrender doctor``: what this machine can build, and what to install for the rest.

Checks TeX engines and latexmk, WeasyPrint and the libraries under it (Pango, HarfBuzz and
HarfBuzz-subset), typst-py and the fonts Typst will use for each theme, fonts that cover Chinese/Japanese/Korean, the fonts themes ask for, PNG
rendering, the themes found and the cache folder.
"""

from __future__ import annotations

import contextlib
import ctypes.util
import os
import platform
import shutil
import subprocess
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

Status = Literal["ok", "warn", "missing", "error", "info"]
_TIMEOUT = 15

# LaTeX packages the built-in themes load, and what breaks without each.
LATEX_PACKAGES = {
    "fontspec.sty": "fonts with xelatex and lualatex", "xeCJK.sty": "Chinese/Japanese/Korean with xelatex",
    "luatexja-fontspec.sty": "Chinese/Japanese/Korean with lualatex", "hyperref.sty": "links",
    "xcolor.sty": "colours", "enumitem.sty": "lists", "tabularx.sty": "tables", "lastpage.sty": "page X of Y",
    "microtype.sty": "typography", "needspace.sty": "keeping titles with their entries",
    "ragged2e.sty": "ragged text", "scrlayer-scrpage.sty": "page footers",
}


@dataclass(frozen=True)
class Check:
    """One finding: its area, what was checked, how it went, and what to do about it."""

    area: str
    name: str
    status: Status
    detail: str = ""
    hint: str = ""

    @property
    def loud(self) -> bool:
        """True for findings a user should act on."""
        return self.status in ("warn", "missing", "error")


def _run(args: list[str]) -> str | None:
    """First non-empty line of a command's output, or None when it cannot run."""
    try:
        done = subprocess.run(args, capture_output=True, text=True, timeout=_TIMEOUT, check=False)
    except (OSError, subprocess.TimeoutExpired):
        return None
    for line in (done.stdout + "\n" + done.stderr).splitlines():
        if line.strip():
            return line.strip()
    return ""


def _tex_engines() -> tuple[str, ...]:
    """The TeX engines, as the LaTeX format lists them."""
    from cvrender.formats.registry import get_format

    return get_format("latex").engines


def check_tex() -> list[Check]:
    """TeX engines, latexmk, and the LaTeX packages the themes use."""
    checks: list[Check] = []
    for engine in _tex_engines():
        path = shutil.which(engine)
        if path is None:
            checks.append(Check("TeX", engine, "missing", "not on PATH",
                                "install TeX Live (Debian/Ubuntu: apt install texlive-xetex texlive-luatex) "
                                "for the LaTeX backend"))
            continue
        version = _run([engine, "--version"]) or "version unknown"
        checks.append(Check("TeX", engine, "ok", version))
    latexmk = shutil.which("latexmk")
    if latexmk is None:
        checks.append(Check("TeX", "latexmk", "missing", "not on PATH",
                            "install latexmk; cvrender then runs the engine itself"))
    else:
        checks.append(Check("TeX", "latexmk", "ok", _run(["latexmk", "-v"]) or "version unknown"))
    if shutil.which("kpsewhich"):
        try:
            done = subprocess.run(["kpsewhich", *LATEX_PACKAGES], capture_output=True, text=True,
                                  timeout=_TIMEOUT, check=False)
            found = {Path(line.strip()).name: line.strip() for line in done.stdout.splitlines() if line.strip()}
        except (OSError, subprocess.TimeoutExpired):
            found = {}
        missing = [name for name in LATEX_PACKAGES if name not in found]
        if not missing:
            checks.append(Check("TeX", "packages", "ok", f"all {len(LATEX_PACKAGES)} packages the themes load"))
        for name in missing:
            why = LATEX_PACKAGES[name]
            checks.append(Check("TeX", name, "warn", f"not found ({why})",
                                f"find its TeX Live package with 'tlmgr search --global --file /{name}' "
                                "(Debian/Ubuntu: texlive-latex-extra, texlive-lang-chinese, texlive-lang-japanese)"))
    return checks


def check_weasyprint() -> list[Check]:
    """WeasyPrint, Pango, HarfBuzz and HarfBuzz-subset; and a real one-page render."""
    checks: list[Check] = []
    subset = ctypes.util.find_library("harfbuzz-subset")
    if subset:
        checks.append(Check("WeasyPrint", "libharfbuzz-subset", "ok", subset))
    else:
        checks.append(Check(
            "WeasyPrint", "libharfbuzz-subset", "warn",
            "MISSING: WeasyPrint falls back to fontTools to subset fonts; builds are slower and every "
            "font logs a warning (future WeasyPrint versions will refuse to run)",
            "install it: Debian/Ubuntu apt install libharfbuzz-subset0; Fedora dnf install harfbuzz; "
            "macOS brew install harfbuzz"))
    for lib, package in (("pango-1.0", "libpango-1.0-0"), ("harfbuzz", "libharfbuzz0b"),
                         ("fontconfig", "libfontconfig1")):
        found = ctypes.util.find_library(lib)
        if found:
            checks.append(Check("WeasyPrint", f"lib{lib}", "ok", found))
        else:
            checks.append(Check("WeasyPrint", f"lib{lib}", "missing", "not found",
                                f"install {package} (Debian/Ubuntu) or its equivalent"))
    try:
        import weasyprint
        from weasyprint.text.ffi import pango
    except (ImportError, OSError) as exc:
        checks.append(Check("WeasyPrint", "weasyprint", "error", f"cannot start: {exc}",
                            "pip install weasyprint, and install Pango (apt install libpango-1.0-0)"))
        return checks
    code = pango.pango_version()
    pango_version = f"{code // 10000}.{code // 100 % 100}.{code % 100}"
    checks.append(Check("WeasyPrint", "weasyprint", "ok", f"{weasyprint.__version__} (Pango {pango_version})"))
    try:
        pdf = weasyprint.HTML(string="<p>cvrender</p>").write_pdf()
    except Exception as exc:  # any failure here means the HTML backend cannot work
        checks.append(Check("WeasyPrint", "render test", "error", f"{type(exc).__name__}: {exc}"))
    else:
        ok = bool(pdf and pdf.startswith(b"%PDF"))
        checks.append(Check("WeasyPrint", "render test", "ok" if ok else "error",
                            f"a test page rendered ({len(pdf or b'')} bytes)" if ok else "no PDF came out"))
    return checks


def _families(pattern: str) -> list[str]:
    try:
        done = subprocess.run(["fc-list", pattern, "family"], capture_output=True, text=True,
                              timeout=_TIMEOUT, check=False)
    except (OSError, subprocess.TimeoutExpired):
        return []
    names = {line.split(",")[0].strip() for line in done.stdout.splitlines() if line.strip()}
    return sorted(names)


def check_fonts() -> list[Check]:
    """Fonts that cover Chinese, Japanese and Korean, and the fonts the themes ask for."""
    if shutil.which("fc-list") is None:
        return [Check("fonts", "fontconfig", "missing", "fc-list is not on PATH", "install fontconfig")]
    checks: list[Check] = []
    for lang, label in (("zh", "Chinese"), ("ja", "Japanese"), ("ko", "Korean")):
        families = _families(f":lang={lang}")
        if families:
            shown = ", ".join(families[:3]) + (f" and {len(families) - 3} more" if len(families) > 3 else "")
            checks.append(Check("fonts", f"{label} ({lang})", "ok", shown))
        else:
            checks.append(Check("fonts", f"{label} ({lang})", "warn", "no font covers it",
                                "install fonts-noto-cjk (Debian/Ubuntu) to print names and titles in "
                                f"{label}"))
    installed = {name.lower() for name in _families(":")}
    wanted: dict[str, list[str]] = {}
    try:
        from cvrender.theming import list_themes

        for theme in list_themes():
            for option, spec in theme.option_specs.items():
                if spec.type == "font" and isinstance(spec.default, str):
                    wanted.setdefault(spec.default, []).append(f"{theme.name}.{option}")
    except Exception:  # themes are checked on their own below
        pass
    for family, users in sorted(wanted.items()):
        if family.lower() in installed:
            checks.append(Check("fonts", family, "ok", f"used by {', '.join(users)}"))
        else:
            checks.append(Check("fonts", family, "warn", f"not installed (used by {', '.join(users)})",
                                "install it, or choose another with --set font=..."))
    return checks


def check_tools() -> list[Check]:
    """PNG rendering for --png and the live preview."""
    from cvrender.tools.preview import png_renderer

    renderer = png_renderer()
    if renderer == "pdftoppm":
        return [Check("tools", "PNG pages", "ok", f"pdftoppm ({_run(['pdftoppm', '-v']) or 'version unknown'})")]
    if renderer == "pypdfium2":
        return [Check("tools", "PNG pages", "ok", "pypdfium2")]
    return [Check("tools", "PNG pages", "warn", "neither pdftoppm nor pypdfium2 is available",
                  "install poppler-utils or pip install pypdfium2 for --png and the watch preview")]


def check_typst() -> list[Check]:
    """typst-py, a real one-page compile, and the fonts each built-in theme gets from Typst."""
    from cvrender.formats.typst.engine import (
        NO_CJK_FONT,
        chosen_fonts,
        default_font_dirs,
        font_families,
        typst_version,
    )

    version = typst_version()
    if version is None:
        return [Check("Typst", "typst", "missing", "not installed", "pip install typst")]
    checks = [Check("Typst", "typst", "ok", f"typst-py {version}")]
    try:
        from cvrender.formats.typst.engine import shared_compiler

        shared_compiler(default_font_dirs(), False).compile(b"cvrender")
        families = font_families()
    except Exception as exc:  # any failure here means the Typst backend cannot work
        checks.append(Check("Typst", "render test", "error", " ".join(str(exc).split())[:200]))
        return checks
    checks.append(Check("Typst", "render test", "ok", "one page compiled in memory"))
    from cvrender.errors import CvrenderError
    from cvrender.formats.typst.backend import cjk_list, font_list
    from cvrender.theming import list_themes

    try:
        themes = [t for t in list_themes() if "typst" in t.backends()]
    except CvrenderError:
        themes = []
    for theme in themes:
        design = theme.resolve_options()
        latin = [f for f in chosen_fonts(font_list(design), families) if f not in cjk_list(design)]
        cjk = chosen_fonts(cjk_list(design), families)
        wanted = str(design.get("font", ""))
        status: Status = "ok" if latin and latin[0].lower() == wanted.lower() else "warn"
        detail = f"text: {latin[0] if latin else 'none'}; CJK: {cjk[0] if cjk else 'none'}"
        hint = "" if status == "ok" else f"'{wanted}' is not installed; Typst uses {latin[0] if latin else 'none'}"
        if not cjk:
            status, hint = "warn", NO_CJK_FONT
        checks.append(Check("Typst", f"fonts ({theme.name})", status, detail, hint))
    return checks


def check_themes() -> list[Check]:
    """Every theme cvrender can find, with its backends."""
    from cvrender.errors import CvrenderError
    from cvrender.theming import list_themes

    try:
        themes = list_themes()
    except CvrenderError as exc:
        return [Check("themes", "themes", "error", str(exc))]
    checks = [Check("themes", theme.name, "ok", f"{', '.join(theme.backends())} — {theme.path}") for theme in themes]
    return checks or [Check("themes", "themes", "error", "no theme found; reinstall cvrender")]


def cache_root() -> Path:
    """cvrender's cache folder: ``$XDG_CACHE_HOME/cvrender`` (``~/.cache/cvrender``)."""
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "cvrender"


def _size(folder: Path) -> int:
    total = 0
    for root, _dirs, files in os.walk(folder):
        for name in files:
            with contextlib.suppress(OSError):
                total += (Path(root) / name).stat().st_size
    return total


def check_cache() -> list[Check]:
    """Where the cache lives, how big it is, and whether it can be written."""
    root = cache_root()
    if not root.exists():
        parent = next((p for p in root.parents if p.exists()), Path("/"))
        writable = os.access(parent, os.W_OK)
        return [Check("cache", "folder", "ok" if writable else "warn",
                      f"{root} (not created yet)" + ("" if writable else f"; {parent} is not writable"))]
    writable = os.access(root, os.W_OK)
    size = _size(root)
    return [Check("cache", "folder", "ok" if writable else "warn",
                  f"{root} ({size / 1e6:.1f} MB)" + ("" if writable else "; not writable"),
                  "" if writable else "set XDG_CACHE_HOME to a writable folder")]


def run_checks() -> list[Check]:
    """Every check, in the order they are shown."""
    checks = [Check("system", "python", "info", f"{platform.python_version()} on {platform.platform(terse=True)}")]
    try:
        from cvrender import __version__
    except ImportError:  # pragma: no cover
        __version__ = "unknown"
    checks.append(Check("system", "cvrender", "info", f"{__version__} ({Path(__file__).parent})"))
    for group in (check_weasyprint, check_tex, check_typst, check_fonts, check_tools, check_themes, check_cache):
        checks.extend(group())
    return checks


def html_backend_works(checks: list[Check]) -> bool:
    """True when WeasyPrint rendered a test page and at least one theme has an HTML backend."""
    rendered = any(c.area == "WeasyPrint" and c.name == "render test" and c.status == "ok" for c in checks)
    themed = any(c.area == "themes" and c.status == "ok" and "html" in c.detail.split(" — ")[0] for c in checks)
    return rendered and themed


def latex_backend_works(checks: list[Check]) -> bool:
    """True when at least one TeX engine is installed."""
    return any(c.area == "TeX" and c.name in _tex_engines() and c.status == "ok" for c in checks)


def typst_backend_works(checks: list[Check]) -> bool:
    """True when typst-py compiled a test page."""
    return any(c.area == "Typst" and c.name == "render test" and c.status == "ok" for c in checks)


def summary(checks: list[Check]) -> str:
    """One line on what can be built."""
    html = "HTML backend: ready" if html_backend_works(checks) else "HTML backend: NOT working"
    latex = "LaTeX backend: ready" if latex_backend_works(checks) else "LaTeX backend: no TeX engine"
    typst = "Typst backend: ready" if typst_backend_works(checks) else "Typst backend: NOT working"
    return f"{html}; {latex}; {typst}"
