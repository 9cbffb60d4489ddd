"""``cvrender watch``: rebuild on every change and show the CV in a browser that reloads itself.

A :class:`Watcher` rebuilds when the profile, one of its .bib files or the theme changes
(``watchfiles``); a :class:`PreviewServer` (``http.server`` in a thread, bound to localhost)
serves a page with the PDF's pages as PNG images. The page polls ``/version`` and reloads when
a build finishes. A build that fails (an invalid profile, a broken template) shows its errors on
the page and in the terminal, and the watcher keeps going; the page keeps the last good pages.
"""

from __future__ import annotations

import datetime as _dt
import hashlib
import json
import os
import queue
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import jinja2

from cvrender.api import Builder, BuildOptions, Prepared
from cvrender.errors import CvrenderError, UsageError, Warnings
from cvrender.files import atomic_write

PREVIEW_DPI = 110
POLL_MS = 400

Reporter = Callable[[str, str], None]


@dataclass(frozen=True)
class Snapshot:
    """What the preview shows: the last build's outcome and the last good pages."""

    version: int = 0
    ok: bool = False
    building: bool = True
    title: str = ""
    errors: tuple[str, ...] = ()
    warnings: tuple[str, ...] = ()
    pages: tuple[bytes, ...] = ()
    pdf: bytes | None = None
    built_at: str = ""
    seconds: float = 0.0
    page_count: int = 0
    png_note: str = ""
    web: dict[str, bytes] = field(default_factory=dict)  # the web page's files, by name (under /web/)
    pdf_name: str = "cv.pdf"


class PreviewState:
    """The current :class:`Snapshot`, shared between the watcher and the server threads."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._snapshot = Snapshot()

    def get(self) -> Snapshot:
        """The current snapshot."""
        with self._lock:
            return self._snapshot

    def publish(self, **changes: Any) -> Snapshot:
        """Replace fields of the snapshot and bump its version."""
        with self._lock:
            self._snapshot = replace(self._snapshot, version=self._snapshot.version + 1, **changes)
            return self._snapshot


@dataclass
class Watched:
    """Files whose change triggers a rebuild, and folders watched as a whole (themes)."""

    files: frozenset[Path] = frozenset()
    folders: frozenset[Path] = frozenset()


def _real(path: Path | str) -> Path:
    return Path(os.path.realpath(path))


@dataclass
class Watcher:
    """Builds a profile again whenever something it depends on changes."""

    profile: Path
    options: BuildOptions = field(default_factory=BuildOptions)
    output: Path | None = None
    dpi: int = PREVIEW_DPI
    report: Reporter = lambda kind, message: None
    state: PreviewState = field(default_factory=PreviewState)

    def __post_init__(self) -> None:
        self.builder = Builder()
        self.watched = Watched(frozenset({_real(self.profile)}))
        self.built_from: tuple[tuple[str, str], ...] = ()

    # ----- building ----------------------------------------------------------------------------
    def build_once(self) -> bool:
        """Build now; publish the pages or the errors. Never raises for a bad profile or theme."""
        started = time.perf_counter()
        warnings = Warnings()
        self.built_from = fingerprint(self.watched)
        try:
            prepared, _source, pdf, _timings = self.builder.compile(str(self.profile), self.options, warnings)
        except CvrenderError as exc:
            lines = tuple(str(exc).splitlines() or [type(exc).__name__])
            self.state.publish(ok=False, building=False, errors=lines, warnings=tuple(warnings.items),
                               built_at=_now())
            for line in lines:
                self.report("error", line)
            self.report("info", "waiting for changes...")
            return False
        except Exception as exc:  # a bug must not stop the watcher; show it like any failure
            line = f"internal error: {type(exc).__name__}: {exc}"
            self.state.publish(ok=False, building=False, errors=(line,), built_at=_now())
            self.report("error", line)
            return False
        loaded = prepared.loaded
        self.watched = self._dependencies(prepared)
        self.built_from = _extend(self.built_from, fingerprint(self.watched))
        pages: tuple[bytes, ...] = ()
        note = ""
        try:
            from cvrender.tools.preview import render_pngs

            pages = tuple(render_pngs(pdf.data, self.dpi))
        except CvrenderError as exc:
            note = str(exc)
        if self.output is not None:
            try:
                atomic_write(self.output, pdf.data)
            except CvrenderError as exc:
                warnings.add(str(exc))
        web, pdf_name = self._web_page(prepared, warnings)
        seconds = time.perf_counter() - started
        self.state.publish(ok=True, building=False, title=loaded.profile.name, errors=(),
                           warnings=tuple(warnings.items), pages=pages, pdf=pdf.data, built_at=_now(),
                           seconds=seconds, page_count=pdf.pages, png_note=note, web=web, pdf_name=pdf_name)
        for warning in warnings.items:
            self.report("warning", warning)
        plural = "s" if pdf.pages != 1 else ""
        self.report("ok", f"built {loaded.profile.name}: {pdf.pages} page{plural} in {seconds:.2f} s")
        return True

    def _web_page(self, prepared: Prepared, warnings: Warnings) -> tuple[dict[str, bytes], str]:
        """The web page of the same CV (served under /web/), if the theme has one."""
        from cvrender.files import safe_stem
        from cvrender.web import has_web_templates, page_files

        profile = prepared.loaded.profile
        pdf_name = safe_stem(profile.name) + ".pdf"
        if not has_web_templates(prepared.theme):
            return {}, pdf_name
        try:
            return page_files(profile, prepared.ctx, prepared.theme, pdf_name), pdf_name
        except CvrenderError as exc:
            warnings.add(f"web page: {exc}")
            return {}, pdf_name

    def _dependencies(self, prepared: Prepared) -> Watched:
        """The files the build read except the theme's (the profile, its .bib files, the photo), and
        the folders of the theme and its parents, watched as a whole."""
        folders = {_real(t.path) for t in prepared.theme.chain}
        files = {_real(self.profile)}
        files.update(f for f in map(_real, prepared.inputs()) if not any(f.is_relative_to(d) for d in folders))
        return Watched(frozenset(files), frozenset(folders))

    # ----- watching ----------------------------------------------------------------------------
    def run(self, stop: threading.Event) -> None:
        """Build, then rebuild on every change until ``stop`` is set."""
        self.build_once()
        while not stop.is_set():
            watched = self.watched
            restart = threading.Event()
            changes: queue.Queue[set[tuple[Any, str]]] = queue.Queue()
            threads = _watch_threads(watched, changes, _Either(stop, restart))
            self.report("info", f"watching {len(watched.files)} file(s) and {len(watched.folders)} theme folder(s)")
            try:
                while not stop.is_set():
                    try:
                        changes.get(timeout=0.2)
                    except queue.Empty:
                        continue
                    time.sleep(0.05)  # let an editor finish writing related files
                    while not changes.empty():
                        changes.get_nowait()
                    current = fingerprint(self.watched)
                    if current == self.built_from:
                        continue  # nothing changed since the last build began (a late event)
                    if _theme_changed(self.built_from, current, self.watched.folders):
                        self.builder.forget_templates()  # template environments do not reload by themselves
                        from cvrender.web import forget_templates

                        forget_templates()
                    self.state.publish(building=True)
                    self.build_once()
                    if self.watched != watched:
                        break
            finally:
                restart.set()
                for thread in threads:
                    thread.join(timeout=5)


def fingerprint(watched: Watched) -> tuple[tuple[str, str], ...]:
    """A digest of every watched file (and every file in the watched folders): saving a file
    without changing it, or touching it, does not rebuild."""
    paths = set(watched.files)
    for folder in watched.folders:
        paths.update(p for p in folder.rglob("*") if p.is_file())
    out = []
    for path in sorted(paths):
        try:
            digest = hashlib.blake2b(path.read_bytes(), digest_size=16).hexdigest()
        except OSError:
            digest = "missing"
        out.append((str(path), digest))
    return tuple(out)


def _extend(before: tuple[tuple[str, str], ...], after: tuple[tuple[str, str], ...]) -> tuple[tuple[str, str], ...]:
    """The fingerprint a build used, once it has learnt of more files (a .bib, the theme).

    Files known before the build must be unchanged since it began; otherwise the old
    fingerprint is kept, so the next event rebuilds.
    """
    known = {path for path, _ in before}
    return after if tuple(item for item in after if item[0] in known) == before else before


def _theme_changed(before: tuple[tuple[str, str], ...], after: tuple[tuple[str, str], ...],
                   folders: frozenset[Path]) -> bool:
    """True when a file inside one of the theme folders differs between two fingerprints."""
    def inside(items: tuple[tuple[str, str], ...]) -> set[tuple[str, str]]:
        return {item for item in items if any(Path(item[0]).is_relative_to(f) for f in folders)}
    return inside(before) != inside(after)


class _Either:
    """An event that is set when either of two events is (for ``watchfiles``' stop_event)."""

    def __init__(self, first: threading.Event, second: threading.Event):
        self.first, self.second = first, second

    def is_set(self) -> bool:
        return self.first.is_set() or self.second.is_set()


def _watch_threads(watched: Watched, changes: queue.Queue[Any], stop: _Either) -> list[threading.Thread]:
    """One thread for the folders of the watched files (not recursive), one for the theme folders."""
    files = watched.files
    file_dirs = sorted({f.parent for f in files if f.parent.is_dir()})

    def only_files(_change: Any, path: str) -> bool:
        return _real(path) in files

    def theme_files(_change: Any, path: str) -> bool:
        name = Path(path).name
        return not (name.startswith(".") or name.endswith(("~", ".swp", ".tmp", ".part")))

    jobs = []
    if file_dirs:
        jobs.append((file_dirs, False, only_files))
    if watched.folders:
        jobs.append((sorted(watched.folders), True, theme_files))
    threads = []
    for paths, recursive, keep in jobs:
        thread = threading.Thread(target=_watch, args=(paths, recursive, keep, changes, stop), daemon=True,
                                  name="cvrender-watch")
        thread.start()
        threads.append(thread)
    return threads


def _watch(paths: list[Path], recursive: bool, keep: Callable[[Any, str], bool],
           changes: queue.Queue[Any], stop: _Either) -> None:
    from watchfiles import watch

    try:
        for batch in watch(*paths, watch_filter=keep, recursive=recursive, stop_event=stop,
                           debounce=400, step=50, raise_interrupt=False, rust_timeout=500,
                           yield_on_timeout=False):
            if batch:
                changes.put(batch)
    except (OSError, RuntimeError):
        # A watched folder vanished; the next build picks the folders again.
        changes.put(set())


def _now() -> str:
    return _dt.datetime.now().strftime("%H:%M:%S")


# ----- the preview page -------------------------------------------------------------------------

_PAGE = jinja2.Environment(autoescape=True, undefined=jinja2.StrictUndefined).from_string("""<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{% if s.title %}{{ s.title }} – {% endif %}cvrender preview</title>
<style>
  body { margin: 0; background: #e9ebee; font: 14px/1.45 system-ui, sans-serif; color: #1d2733; }
  header { position: sticky; top: 0; display: flex; gap: 1em; align-items: baseline; padding: .6em 1.2em;
           background: #fff; border-bottom: 1px solid #cfd4da; z-index: 1; }
  header h1 { font-size: 1.05em; margin: 0; }
  #status { color: #4a5968; }
  #status.error { color: #b3261e; font-weight: 600; }
  header a { color: #1f3a5f; }
  header a:first-of-type { margin-left: auto; }
  .problems { margin: 1em auto; max-width: 60em; background: #fff4f2; border: 1px solid #e8b4ad;
              border-left: 5px solid #b3261e; padding: .6em 1em; }
  .problems h2 { font-size: 1em; margin: .2em 0 .5em; color: #b3261e; }
  .problems pre { white-space: pre-wrap; margin: 0; font: 13px/1.5 ui-monospace, monospace; }
  .warnings { margin: 1em auto; max-width: 60em; background: #fffbea; border: 1px solid #e6d48a; padding: .5em 1em; }
  .warnings ul { margin: .3em 0; padding-left: 1.2em; }
  main { display: flex; flex-direction: column; align-items: center; gap: 1.2em; padding: 1.2em; }
  main.stale img { opacity: .45; }
  img.page { max-width: min(100%, 900px); background: #fff; box-shadow: 0 1px 4px rgba(0,0,0,.25); }
  iframe.pdf { width: min(100%, 900px); height: 90vh; border: 0; background: #fff; }
</style>
</head>
<body data-version="{{ s.version }}">
<header>
  <h1 id="name">{{ s.title or "cvrender" }}</h1>
  {% if s.ok %}
  <span id="status" class="ok">built {{ s.built_at }} · {{ s.page_count }} page{{ "s" if s.page_count != 1 }} · {{ "%.2f"|format(s.seconds) }} s</span>
  {% elif s.errors %}
  <span id="status" class="error">build failed {{ s.built_at }}; watching for changes</span>
  {% else %}
  <span id="status">building…</span>
  {% endif %}
  {% if s.web %}<a href="/web/" id="web-link">Web page</a>{% endif %}
  {% if s.pdf %}<a href="/cv.pdf?v={{ s.version }}">PDF</a>{% endif %}
</header>
{% if s.errors %}
<section class="problems" id="errors">
  <h2>{{ s.errors|length }} problem{{ "s" if s.errors|length != 1 }}{% if s.pages %}; showing the last good build{% endif %}</h2>
  <pre>{% for line in s.errors %}{{ line }}
{% endfor %}</pre>
</section>
{% endif %}
{% if s.warnings %}
<section class="warnings" id="warnings"><ul>{% for w in s.warnings %}<li>{{ w }}</li>{% endfor %}</ul></section>
{% endif %}
<main{% if s.errors %} class="stale"{% endif %}>
{% for page in s.pages %}
  <img class="page" src="/page/{{ loop.index }}.png?v={{ s.version }}" alt="Page {{ loop.index }}">
{% endfor %}
{% if s.pdf and not s.pages %}
  <p>{{ s.png_note }}</p>
  <iframe class="pdf" src="/cv.pdf?v={{ s.version }}" title="PDF"></iframe>
{% endif %}
</main>
<script>
(function () {
  var shown = {{ s.version }};
  function poll() {
    fetch("/version", {cache: "no-store"}).then(function (r) { return r.json(); }).then(function (v) {
      if (v.version !== shown && !v.building) { location.reload(); } else { setTimeout(poll, {{ poll_ms }}); }
    }).catch(function () { setTimeout(poll, {{ poll_ms * 3 }}); });
  }
  setTimeout(poll, {{ poll_ms }});
})();
</script>
</body>
</html>
""")


def preview_page(snapshot: Snapshot) -> str:
    """The HTML of the preview page for a snapshot."""
    return _PAGE.render(s=snapshot, poll_ms=POLL_MS)


_WEB_TYPES = {".html": "text/html; charset=utf-8", ".css": "text/css; charset=utf-8", ".jpg": "image/jpeg",
              ".jpeg": "image/jpeg", ".png": "image/png"}


class _Handler(BaseHTTPRequestHandler):
    state: PreviewState

    def do_GET(self) -> None:  # noqa: N802 (http.server's naming)
        snapshot = self.state.get()
        path = self.path.split("?", 1)[0]
        if path in ("/", "/index.html"):
            self._send(200, "text/html; charset=utf-8", preview_page(snapshot).encode("utf-8"))
        elif path == "/version":
            body = json.dumps({"version": snapshot.version, "ok": snapshot.ok, "building": snapshot.building})
            self._send(200, "application/json", body.encode())
        elif (path == "/cv.pdf" or path == f"/web/{snapshot.pdf_name}") and snapshot.pdf:
            self._send(200, "application/pdf", snapshot.pdf)
        elif path == "/web":
            self._redirect("/web/")
        elif path.startswith("/web/") and snapshot.web:
            name = path[len("/web/"):] or "index.html"
            if name in snapshot.web:
                self._send(200, _WEB_TYPES.get(Path(name).suffix, "application/octet-stream"), snapshot.web[name])
            else:
                self._send(404, "text/plain", b"not found")
        elif path.startswith("/page/") and path.endswith(".png"):
            number = path[len("/page/"):-len(".png")]
            if number.isdigit() and 1 <= int(number) <= len(snapshot.pages):
                self._send(200, "image/png", snapshot.pages[int(number) - 1])
            else:
                self._send(404, "text/plain", b"no such page")
        else:
            self._send(404, "text/plain", b"not found")

    def _redirect(self, location: str) -> None:
        self.send_response(301)
        self.send_header("Location", location)
        self.send_header("Content-Length", "0")
        self.end_headers()

    def _send(self, code: int, kind: str, body: bytes) -> None:
        self.send_response(code)
        self.send_header("Content-Type", kind)
        self.send_header("Content-Length", str(len(body)))
        self.send_header("Cache-Control", "no-store")
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, format: str, *args: Any) -> None:  # noqa: A002
        """Requests are not logged; the terminal shows builds only."""


class PreviewServer:
    """Serves the preview page on localhost in a background thread."""

    def __init__(self, state: PreviewState, host: str = "127.0.0.1", port: int = 0):
        handler = type("PreviewHandler", (_Handler,), {"state": state})
        try:
            self.httpd = ThreadingHTTPServer((host, port), handler)
        except OSError as exc:
            raise UsageError(f"cannot serve the preview on {host}:{port}: {exc.strerror or exc} "
                             "(choose another --port, or --port 0 for any free one)") from None
        self.httpd.daemon_threads = True
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True, name="cvrender-preview")

    @property
    def url(self) -> str:
        """The address of the preview page."""
        host, port = self.httpd.server_address[:2]
        host = host.decode() if isinstance(host, bytes) else str(host)
        return f"http://{host}:{port}/"

    def start(self) -> str:
        """Start serving; returns the URL."""
        self.thread.start()
        return self.url

    def stop(self) -> None:
        """Stop serving (if it started) and close the socket."""
        if self.thread.is_alive():
            self.httpd.shutdown()
            self.thread.join(timeout=5)
        self.httpd.server_close()


def open_server(state: PreviewState, host: str, port: int | None) -> PreviewServer:
    """A server on ``port``; without a port, 8000 or the next free one."""
    if port is not None:
        return PreviewServer(state, host, port)
    for candidate in range(8000, 8020):
        try:
            return PreviewServer(state, host, candidate)
        except CvrenderError:
            continue
    return PreviewServer(state, host, 0)


__all__ = ["PreviewServer", "PreviewState", "Snapshot", "Watcher", "open_server", "preview_page"]
