"""``cvrender watch``: rebuilds on changes to the profile, its .bib and the theme; the preview page
reloads itself in a real headless Chromium; a broken profile shows on the page and in the
terminal while the watcher keeps going."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from browser import Chromium, started_chromium
from conftest import pdf_text

from cvrender.api import BuildOptions
from cvrender.watch import PreviewServer, PreviewState, Watcher, preview_page

PROFILE = """\
name: Ada Lovelace
education:
  - institution: University of London
    date: 1833 - 1843
"""

BROKEN = """\
name: Ada Lovelace
education:
  - institution: University of London
    date: Smarch 1833
"""


def wait_for(condition: Callable[[], Any], timeout: float = 20, what: str = "condition") -> Any:
    """Poll until ``condition()`` is truthy; fail with ``what`` after ``timeout`` seconds."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = condition()
        if value:
            return value
        time.sleep(0.1)
    raise AssertionError(f"timed out after {timeout} s waiting for {what}")


def fetch(url: str) -> tuple[int, str, bytes]:
    """Status, content type and body of a GET."""
    try:
        with urllib.request.urlopen(url, timeout=10) as response:
            return response.status, response.headers["Content-Type"], response.read()
    except urllib.error.HTTPError as exc:
        return exc.code, exc.headers["Content-Type"], exc.read()


# ----- in-process: the watcher and the server -------------------------------------------------


@pytest.fixture
def served(tmp_path: Path) -> Iterator[tuple[Path, Watcher, str, list[tuple[str, str]]]]:
    """A profile, a watcher running in a thread, and the preview URL; stopped afterwards."""
    profile = tmp_path / "profile.yaml"
    profile.write_text(PROFILE, encoding="utf-8")
    messages: list[tuple[str, str]] = []
    state = PreviewState()
    watcher = Watcher(profile, BuildOptions(), dpi=40, report=lambda kind, text: messages.append((kind, text)),
                      state=state)
    server = PreviewServer(state, "127.0.0.1", 0)
    url = server.start()
    stop = threading.Event()
    thread = threading.Thread(target=watcher.run, args=(stop,), daemon=True)
    thread.start()
    try:
        wait_for(lambda: state.get().ok, what="the first build")
        yield profile, watcher, url, messages
    finally:
        stop.set()
        thread.join(timeout=10)
        server.stop()
    assert not thread.is_alive()


def test_server_serves_page_version_pages_and_pdf(served: tuple[Path, Watcher, str, list[Any]]) -> None:
    _profile, watcher, url, _messages = served
    status, kind, body = fetch(url)
    assert status == 200 and kind.startswith("text/html")
    assert "Ada Lovelace" in body.decode() and 'src="/page/1.png?v=' in body.decode()
    version = json.loads(fetch(url + "version")[2])
    assert version == {"version": watcher.state.get().version, "ok": True, "building": False}
    status, kind, png = fetch(url + "page/1.png")
    assert (status, kind) == (200, "image/png") and png.startswith(b"\x89PNG")
    status, kind, pdf = fetch(url + "cv.pdf")
    assert kind == "application/pdf" and "University of London" in pdf_text(pdf)
    assert fetch(url + "page/2.png")[0] == 404
    assert fetch(url + "../../etc/passwd")[0] == 404


def test_edit_rebuilds_and_a_broken_profile_keeps_the_watcher_going(
        served: tuple[Path, Watcher, str, list[tuple[str, str]]]) -> None:
    profile, watcher, url, messages = served
    state = watcher.state
    first = state.get()
    profile.write_text(PROFILE.replace("Ada Lovelace", "Grace Hopper"), encoding="utf-8")
    wait_for(lambda: state.get().ok and state.get().title == "Grace Hopper", what="the rebuild")
    assert "Grace Hopper" in pdf_text(state.get().pdf or b"")
    assert state.get().version > first.version

    profile.write_text(BROKEN, encoding="utf-8")
    broken = wait_for(lambda: state.get() if state.get().errors else None, what="the error")
    assert broken.errors[0].startswith(f"{profile}:4:11: education[0].date")
    assert broken.pages, "the last good pages stay on the page"
    page = fetch(url)[2].decode()
    assert "profile.yaml:4:11" in page and "showing the last good build" in page
    assert any(kind == "error" and f"{profile}:4:11" in text for kind, text in messages)

    profile.write_text(PROFILE.replace("Ada Lovelace", "Fixed Again"), encoding="utf-8")
    wait_for(lambda: state.get().ok and state.get().title == "Fixed Again", what="recovery")
    assert 'id="errors"' not in fetch(url)[2].decode()


def test_saving_without_a_change_does_not_rebuild(served: tuple[Path, Watcher, str, list[Any]]) -> None:
    profile, watcher, _url, messages = served
    builds = sum(1 for kind, _ in messages if kind == "ok")
    handled, text = watcher.changes_handled, profile.read_text(encoding="utf-8")

    def save_and_see() -> bool:  # saved again until the watcher has looked (it may still be starting)
        profile.write_text(text, encoding="utf-8")
        os.utime(profile)
        return watcher.changes_handled > handled

    wait_for(save_and_see, what="the watcher to look at the saved file")
    assert sum(1 for kind, _ in messages if kind == "ok") == builds


def test_bib_and_theme_changes_rebuild(tmp_path: Path) -> None:
    theme = tmp_path / "themes" / "mine"
    (theme / "html").mkdir(parents=True)
    (theme / "theme.yaml").write_text("name: mine\nextends: academic\n", encoding="utf-8")
    override = theme / "html" / "cv.html.j2"
    template = '{% extends "!academic/cv.html.j2" %}{% block header %}{{ super() }}<p>MARK-ONE</p>{% endblock %}'
    override.write_text(template, encoding="utf-8")
    bib = tmp_path / "refs.bib"
    bib.write_text("@inproceedings{a, title={First Title}, author={Lovelace, Ada}, booktitle={Notes}, year={1985}}\n",
                   encoding="utf-8")
    profile = tmp_path / "profile.yaml"
    profile.write_text(PROFILE + "theme: mine\npublications:\n  bibtex: refs.bib\n", encoding="utf-8")
    state = PreviewState()
    watcher = Watcher(profile, BuildOptions(), dpi=30, state=state)
    stop = threading.Event()
    thread = threading.Thread(target=watcher.run, args=(stop,), daemon=True)
    thread.start()
    try:
        wait_for(lambda: state.get().ok, what="the first build")
        text = pdf_text(state.get().pdf or b"")
        assert "MARK-ONE" in text and "First Title" in text
        bib.write_text(bib.read_text(encoding="utf-8").replace("First Title", "Second Title"), encoding="utf-8")
        wait_for(lambda: "Second Title" in pdf_text(state.get().pdf or b""), what="the .bib change")
        override.write_text(template.replace("MARK-ONE", "MARK-TWO"), encoding="utf-8")
        wait_for(lambda: "MARK-TWO" in pdf_text(state.get().pdf or b""), what="the theme change")
    finally:
        stop.set()
        thread.join(timeout=10)


def test_page_escapes_what_it_shows() -> None:
    from cvrender.watch import Snapshot

    html = preview_page(Snapshot(version=3, ok=False, building=False, title="<b>x</b>",
                                 errors=("p.yaml:1:1: <script>alert(1)</script>",)))
    assert "<script>alert(1)" not in html and "&lt;script&gt;alert(1)" in html
    assert "&lt;b&gt;x&lt;/b&gt;" in html


def test_busy_port_is_a_clear_error() -> None:
    state = PreviewState()
    first = PreviewServer(state, "127.0.0.1", 0)
    try:
        port = int(first.url.rsplit(":", 1)[1].strip("/"))
        with pytest.raises(Exception) as caught:
            PreviewServer(state, "127.0.0.1", port)
        assert f"127.0.0.1:{port}" in str(caught.value) and "--port" in str(caught.value)
    finally:
        first.stop()


# ----- a real browser -------------------------------------------------------------------------


@pytest.fixture
def chromium(tmp_path: Path) -> Iterator[Chromium]:
    with started_chromium() as browser:
        yield browser


@pytest.fixture
def watch_process(tmp_path: Path) -> Iterator[tuple[Path, str, subprocess.Popen[str], list[str]]]:
    """``cvrender watch`` as a user runs it, on a free port."""
    profile = tmp_path / "profile.yaml"
    profile.write_text(PROFILE, encoding="utf-8")
    env = {**os.environ, "PYTHONUNBUFFERED": "1"}
    command = [sys.executable, "-c", "from cvrender.cli import main; main()", "watch", str(profile), "--port", "0"]
    process = subprocess.Popen(command,
                               stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, env=env,
                               start_new_session=True)
    lines: list[str] = []

    def read() -> None:
        assert process.stdout is not None
        for line in process.stdout:
            lines.append(line)

    reader = threading.Thread(target=read, daemon=True)
    reader.start()
    try:
        first = wait_for(lambda: next((x for x in lines if x.startswith("preview at ")), None), what="the server")
        url = first.split()[2]
        wait_for(lambda: any(x.startswith("built ") for x in lines), what="the first build")
        yield profile, url, process, lines
    finally:
        os.killpg(process.pid, signal.SIGINT)
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait()


@pytest.mark.browser
def test_preview_page_follows_edits_in_chromium(
        chromium: Chromium, watch_process: tuple[Path, str, subprocess.Popen[str], list[str]]) -> None:
    profile, url, process, terminal = watch_process
    chromium.open(url)

    def shown() -> dict[str, Any] | None:
        value = chromium.evaluate(
            "document.readyState === 'complete' && document.querySelector('#name') ? JSON.stringify({"
            "name: document.querySelector('#name').textContent, version: document.body.dataset.version,"
            "errors: (document.querySelector('#errors') || {}).textContent || '',"
            "images: Array.from(document.images).map(i => [i.getAttribute('src'), i.naturalWidth])}) : null")
        return json.loads(value) if value else None

    before = wait_for(lambda: (s := shown()) and s["images"] and s["images"][0][1] > 0 and s, what="the page")
    assert before["name"] == "Ada Lovelace" and before["errors"] == ""
    assert chromium.evaluate("window.__marker = 'same page'; window.__marker") == "same page"

    profile.write_text(PROFILE.replace("Ada Lovelace", "Grace Hopper"), encoding="utf-8")
    after = wait_for(lambda: (s := shown()) and s["name"] == "Grace Hopper" and s, what="the page to reload")
    assert int(after["version"]) > int(before["version"])
    assert after["images"][0][0] != before["images"][0][0] and after["images"][0][1] > 0
    assert chromium.evaluate("window.__marker === undefined")  # it reloaded by itself

    profile.write_text(BROKEN, encoding="utf-8")
    failed = wait_for(lambda: (s := shown()) and s["errors"] and s, what="the error on the page")
    assert "profile.yaml:4:11" in failed["errors"] and "Smarch" in failed["errors"]
    assert failed["images"], "the last good pages stay visible"
    assert process.poll() is None, "the watcher keeps running"
    wait_for(lambda: any("profile.yaml:4:11" in x for x in terminal), what="the error in the terminal")

    profile.write_text(PROFILE.replace("Ada Lovelace", "Back Again"), encoding="utf-8")
    fixed = wait_for(lambda: (s := shown()) and s["name"] == "Back Again" and s, what="recovery")
    assert fixed["errors"] == ""
