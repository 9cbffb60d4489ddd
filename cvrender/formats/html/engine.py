"""WeasyPrint engine: HTML + CSS -> PDF, reading only the theme's and the profile's folders.

Font configuration and parsed stylesheets are reused between builds in one process.
"""

from __future__ import annotations

import io
import logging
import shutil
import subprocess
from functools import lru_cache
from pathlib import Path
from urllib.parse import unquote, urlsplit

from cvrender.errors import EngineError
from cvrender.formats.base import CompiledPdf, Source
from cvrender.text import is_cjk


class _Collector(logging.Handler):
    def __init__(self) -> None:
        super().__init__(logging.WARNING)
        self.messages: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.messages.append(record.getMessage())


def _restricted_fetcher(allowed: tuple[Path, ...]):
    from weasyprint.urls import URLFetcher

    roots = tuple(p.resolve() for p in allowed)

    class RestrictedFetcher(URLFetcher):
        """Reads ``data:`` URLs and files under the allowed folders; nothing else."""

        def fetch(self, url, headers=None):
            scheme = urlsplit(url).scheme.lower()
            if scheme == "data":
                return super().fetch(url, headers)
            if scheme == "file":
                path = Path(unquote(urlsplit(url).path)).resolve()
                if any(path.is_relative_to(root) for root in roots) and path.is_file():
                    return super().fetch(url, headers)
                raise ValueError(f"refused to read {path}: outside the theme and profile folders")
            raise ValueError(f"refused to fetch {url}: cvrender does not use the network")

    return RestrictedFetcher(allowed_protocols=("file", "data"), fail_on_errors=False)


def _parse_xhtml(text: str):
    """The element tree of well-formed markup, or None.

    Built-in themes write XHTML-compatible HTML (void elements closed, explicit ``tbody``, user
    text escaped by Jinja), which the C XML parser reads in well under a millisecond where the
    pure-Python HTML5 parser takes about 20 ms. Anything that is not well-formed (a third-party
    theme written as plain HTML, a control character in the text) returns None and goes through
    the HTML5 parser as before."""
    import xml.etree.ElementTree as ET

    try:
        root = ET.fromstring(text)
    except ET.ParseError:
        return None
    # Namespaced tags would not match the user-agent stylesheet; leave those to the HTML5 parser.
    return root if root.tag == "html" and not any(el.tag.startswith("{") for el in root.iter()) else None


_TREE_ATTRIBUTES = {"base_url", "url_fetcher", "media_type", "wrapper_element", "etree_element"}


@lru_cache(maxsize=1)
def _tree_html_supported() -> bool:
    """Whether this WeasyPrint's ``HTML`` holds exactly the attributes :func:`_tree_html` sets
    (true of the versions tested; a future one that holds more gets the HTML5 parser)."""
    from weasyprint import HTML

    return set(vars(HTML(string="<html></html>"))) == _TREE_ATTRIBUTES


def _tree_html(root, base_url: str | None, url_fetcher):
    """A WeasyPrint ``HTML`` document from an already parsed tree, or None.

    WeasyPrint only accepts markup to parse; this sets the attributes its constructor sets after
    parsing. tests/test_engine_parse.py compares both paths on every example."""
    import cssselect2
    from weasyprint import HTML

    if not _tree_html_supported():
        return None
    document = HTML.__new__(HTML)
    document.base_url = base_url
    document.url_fetcher = url_fetcher
    document.media_type = "print"
    document.wrapper_element = cssselect2.ElementWrapper.from_html_root(root, content_language=None)
    document.etree_element = document.wrapper_element.etree_element
    return document


@lru_cache(maxsize=1)
def cjk_font_available() -> bool:
    """True when fontconfig knows a font that covers Chinese."""
    if shutil.which("fc-list") is None:
        return True  # cannot tell; do not warn wrongly
    out = subprocess.run(["fc-list", ":lang=zh", "family"], capture_output=True, text=True, check=False)
    return bool(out.stdout.strip())


HTML_NEEDS = ("the HTML backend needs Pango (Debian/Ubuntu: apt install libpango-1.0-0 libpangoft2-1.0-0; "
              "macOS: brew install pango; see 'cvrender doctor')")


@lru_cache(maxsize=1)
def weasyprint_problem() -> str | None:
    """None when WeasyPrint imports here; else one line saying why not and what to install."""
    try:
        import weasyprint  # noqa: F401
    except (ImportError, OSError) as exc:  # missing Pango and friends
        reason = " ".join(str(exc).split()) or type(exc).__name__
        return f"WeasyPrint cannot start ({reason}); {HTML_NEEDS}"
    return None


class WeasyPrintEngine:
    """Compiles HTML with WeasyPrint, caching fonts and stylesheets."""

    name = "weasyprint"

    def __init__(self, parse_xhtml: bool = True) -> None:
        self.parse_xhtml = parse_xhtml  # False: always use WeasyPrint's HTML5 parser
        self._font_config = None
        self._css_cache: dict[tuple[str, tuple[Path, ...]], object] = {}

    def _fonts(self):
        if self._font_config is None:
            from weasyprint.text.fonts import FontConfiguration

            self._font_config = FontConfiguration()
        return self._font_config

    def _stylesheet(self, css: str, fetcher, allowed: tuple[Path, ...], base_url: str | None):
        from weasyprint import CSS

        key = (css, allowed)
        if key not in self._css_cache:
            if len(self._css_cache) > 64:
                self._css_cache.clear()
            self._css_cache[key] = CSS(string=css, font_config=self._fonts(), url_fetcher=fetcher, base_url=base_url)
        return self._css_cache[key]

    def compile(self, source: Source) -> CompiledPdf:
        """Render and write the PDF in memory."""
        problem = weasyprint_problem()
        if problem is not None:
            raise EngineError(problem)
        from weasyprint import HTML

        warnings: list[str] = []
        if is_cjk(source.text) and not cjk_font_available():
            warnings.append("no installed font covers Chinese/Japanese/Korean text; install fonts-noto-cjk "
                            "(Debian/Ubuntu: apt install fonts-noto-cjk)")
        collector = _Collector()
        logger = logging.getLogger("weasyprint")
        logger.addHandler(collector)
        previous = logger.propagate
        logger.propagate = False
        try:
            fetcher = _restricted_fetcher(source.allowed_dirs)
            base_url = source.base_dir.as_uri() + "/" if source.base_dir else None
            sheets = [self._stylesheet(css, fetcher, source.allowed_dirs, base_url) for css in source.stylesheets]
            root = _parse_xhtml(source.text) if self.parse_xhtml else None
            html = _tree_html(root, base_url, fetcher) if root is not None else None
            if html is None:
                html = HTML(string=source.text, base_url=base_url, url_fetcher=fetcher)
            document = html.render(font_config=self._fonts(), stylesheets=sheets, optimize_images=False)
            buffer = io.BytesIO()
            # No pdf_identifier: pydyf computes the /ID hash by serialising and compressing every
            # object a second time (a tenth of a build); /ID is optional in PDF 1.7 and the bytes
            # stay reproducible without it.
            document.write_pdf(buffer, uncompressed_pdf=False)
        finally:
            logger.removeHandler(collector)
            logger.propagate = previous
        warnings.extend(f"WeasyPrint: {m}" for m in collector.messages)
        return CompiledPdf(buffer.getvalue(), len(document.pages), tuple(warnings))
