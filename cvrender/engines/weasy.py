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

from cvrender.backends.base import Source
from cvrender.engines import CompiledPdf
from cvrender.errors import EngineError


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


@lru_cache(maxsize=1)
def cjk_font_available() -> bool:
    """True when fontconfig knows a font that covers Chinese."""
    if shutil.which("fc-list") is None:
        return True  # cannot tell; do not warn wrongly
    out = subprocess.run(["fc-list", ":lang=zh", "family"], capture_output=True, text=True, check=False)
    return bool(out.stdout.strip())


def has_cjk(text: str) -> bool:
    """True when the text holds CJK characters."""
    return any("\u3040" <= ch <= "\u9fff" or "\uac00" <= ch <= "\ud7af" or "\uf900" <= ch <= "\ufaff" for ch in text)


class WeasyPrintEngine:
    """Compiles HTML with WeasyPrint, caching fonts and stylesheets."""

    name = "weasyprint"

    def __init__(self) -> None:
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
        try:
            from weasyprint import HTML
        except (ImportError, OSError) as exc:  # missing Pango and friends
            raise EngineError(f"WeasyPrint cannot start: {exc} (run 'cvrender doctor')") from None
        warnings: list[str] = []
        if has_cjk(source.text) and not cjk_font_available():
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
            document = HTML(string=source.text, base_url=base_url, url_fetcher=fetcher).render(
                font_config=self._fonts(), stylesheets=sheets, optimize_images=False)
            buffer = io.BytesIO()
            document.write_pdf(buffer, pdf_identifier=b"cvrender", uncompressed_pdf=False)
        finally:
            logger.removeHandler(collector)
            logger.propagate = previous
        warnings.extend(f"WeasyPrint: {m}" for m in collector.messages)
        return CompiledPdf(buffer.getvalue(), len(document.pages), tuple(warnings))
