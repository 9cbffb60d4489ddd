"""The CV as a web page (``cvrender web``): what a visitor reads, what a search engine reads,
what a browser does with it (real headless Chromium), and hostile strings staying literal."""

from __future__ import annotations

import json
import re
import subprocess
import sys
import unicodedata
from collections.abc import Iterator
from html.parser import HTMLParser
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlsplit

import pytest
import yaml
from conftest import BUILTIN_THEMES, EXAMPLES, TODAY, example_profiles, pdf_text

from cvrender.api import BuildOptions
from cvrender.context.markup import parse
from cvrender.web import script_json, write_site

THEMES = BUILTIN_THEMES


# ----- reading a page -------------------------------------------------------------------------

class Page(HTMLParser):
    """A parsed page: its visible text, its elements with attributes, its JSON-LD and metadata."""

    def __init__(self, html: str):
        super().__init__(convert_charrefs=True)
        self.text_parts: list[str] = []
        self.elements: list[tuple[str, dict[str, str | None]]] = []
        self.scripts: list[tuple[dict[str, str | None], str]] = []
        self._hidden = 0
        self._script: tuple[dict[str, str | None], list[str]] | None = None
        self.feed(html)
        self.close()

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.elements.append((tag, dict(attrs)))
        if tag in ("script", "style", "head", "title"):
            self._hidden += 1
        if tag == "script":
            self._script = (dict(attrs), [])

    def handle_endtag(self, tag: str) -> None:
        if tag in ("script", "style", "head", "title"):
            self._hidden -= 1
        if tag == "script" and self._script is not None:
            self.scripts.append((self._script[0], "".join(self._script[1])))
            self._script = None

    def handle_data(self, data: str) -> None:
        if self._script is not None:
            self._script[1].append(data)
        elif not self._hidden:
            self.text_parts.append(data)

    @property
    def text(self) -> str:
        """What a reader sees (the body's text)."""
        return "".join(self.text_parts)

    def attrs(self, tag: str) -> list[dict[str, str | None]]:
        """Attributes of every ``tag`` element."""
        return [a for t, a in self.elements if t == tag]

    def meta(self, key: str) -> str | None:
        """The content of ``<meta name=key>`` or ``<meta property=key>``."""
        for a in self.attrs("meta"):
            if key in (a.get("name"), a.get("property")):
                return a.get("content")
        return None

    def json_ld(self) -> list[Any]:
        """Every JSON-LD block, parsed."""
        return [json.loads(body) for a, body in self.scripts if a.get("type") == "application/ld+json"]

    def urls(self) -> list[str]:
        """Every href and src on the page."""
        return [v for _, a in self.elements for k, v in a.items() if k in ("href", "src") and v]


def key(text: str) -> str:
    """Text compared without case, width forms or white space."""
    return re.sub(r"\s+", "", unicodedata.normalize("NFKC", text).casefold())


def json_strings(value: Any) -> Iterator[str]:
    """Every string in parsed JSON."""
    if isinstance(value, dict):
        for item in value.values():
            yield from json_strings(item)
    elif isinstance(value, list):
        for item in value:
            yield from json_strings(item)
    elif isinstance(value, str):
        yield value


def site(profile: Path, out: Path, with_pdf: bool = False, **options: Any) -> tuple[Path, Page]:
    """Write the page for ``profile`` into ``out``; the index file and the parsed page."""
    result = write_site(profile, BuildOptions(today=TODAY, **options), out, with_pdf=with_pdf)
    return result.index, Page(result.index.read_text(encoding="utf-8"))


# ----- every string of every example ----------------------------------------------------------

# Keys whose values are settings, not text (a theme, a locale, how to sort), or are printed
# reformatted (dates); everything else in an example must reach the page.
NOT_TEXT = {"$schema", "design", "theme", "locale", "section_order", "variants", "bibtex", "id", "date", "start",
            "end", "year", "years", "type", "kind", "group_by", "numbering", "sort", "venue_style", "marks", "me",
            "roles", "selected", "prefixes", "max_authors", "legend", "deduplicate", "selected_only", "since", "max",
            "types", "photo", "titles", "files_url"}  # files_url: where .bib file links are looked up
# printed by neither the PDF nor the page (kept for the record; the PDF's tests leave them out too)
NOT_PRINTED = {"pages", "volume", "number", "issue", "publisher"}
# a talk's labelled links are accepted but printed by neither the PDF nor the page (the context's
# one-line items carry no links): a known gap of the context, not of the page
KNOWN_GAPS = re.compile(r"^talks\.\d+\.links\.")


def example_strings(node: Any, path: tuple[Any, ...] = ()) -> Iterator[tuple[str, str]]:
    """(where, text) for every string of a profile a reader should find."""
    if isinstance(node, dict):
        for name, value in node.items():
            if name not in NOT_TEXT and name not in NOT_PRINTED:
                yield from example_strings(value, (*path, name))
    elif isinstance(node, list):
        for index, value in enumerate(node):
            yield from example_strings(value, (*path, index))
    elif isinstance(node, str):
        where = ".".join(map(str, path))
        if path and path[-1] == "authors":  # "A; B and C": one string, several names
            for name in re.split(r"\s*;\s*|\s+and\s+", node):
                yield where, name
        elif path and path[-1] == "items":  # skills written as "Python, C++, JAX": a list
            for item in node.split(","):
                yield where, item.strip()
        else:
            yield where, parse(node).plain


def locales_of(data: dict[str, Any]) -> list[str]:
    """The languages a profile is written in (a multilingual field is a {locale: text} mapping)."""
    found: set[str] = set()

    def walk(node: Any) -> None:
        if isinstance(node, dict):
            if node and set(node) <= {"en", "zh", "zh-Hant", "ja", "de", "fr", "es"}:
                found.update(node)
            for value in node.values():
                walk(value)
        elif isinstance(node, list):
            for value in node:
                walk(value)

    walk(data)
    return sorted(found) or [data.get("locale", "en")]


def _without_locales(node: Any, keep: str) -> Any:
    if isinstance(node, dict):
        if node and set(node) <= {"en", "zh", "zh-Hant", "ja", "de", "fr", "es"}:
            return node.get(keep, "")
        return {k: _without_locales(v, keep) for k, v in node.items()}
    if isinstance(node, list):
        return [_without_locales(v, keep) for v in node]
    return node


@pytest.mark.parametrize("example", example_profiles(), ids=lambda p: p.stem)
def test_every_string_of_every_example_is_on_its_page(example: Path, tmp_path: Path) -> None:
    data = yaml.safe_load(example.read_text(encoding="utf-8"))
    checked = 0
    for locale in locales_of(data):
        _, page = site(example, tmp_path / locale, locale=locale)
        text = key(page.text)
        urls = " ".join(page.urls())
        machine = {key(s) for block in page.json_ld() for s in json_strings(block)}
        missing = []
        for where, value in example_strings(_without_locales(data, locale)):
            if not value.strip() or KNOWN_GAPS.match(where):
                continue
            checked += 1
            found = (key(value) in text or value in urls or key(value) in machine
                     or any(key(value) in m for m in machine))
            if not found:
                missing.append((locale, where, value))
        assert not missing, f"not on the page of {example.name}: {missing[:5]}"
    assert checked >= 10


def test_aliases_and_long_venues_are_machine_readable(tmp_path: Path) -> None:
    """What the page does not print (aliases, the long form of a venue) is in its JSON-LD."""
    _, page = site(EXAMPLES / "full.yaml", tmp_path)
    person, works = page.json_ld()
    assert "J.-W. Han" in person["alternateName"]
    venues = [w["isPartOf"]["name"] for w in works["@graph"] if "isPartOf" in w]
    assert "Proceedings of the International Conference on Learning Representations" in " ".join(venues)
    assert "J.-W. Han" not in page.text


# ----- schema.org -------------------------------------------------------------------------------

# The schema.org types the page uses: each property with the types its value may have ("Text",
# "URL", "Date", or another type here), following schema.org's definitions (Thing's properties
# are on every type). A property not listed here is not a property of that type.
THING = {"@id": {"URL"}, "@type": {"Text"}, "@context": {"URL"}, "name": {"Text"}, "alternateName": {"Text"},
         "description": {"Text"}, "url": {"URL"}, "sameAs": {"URL"}, "image": {"URL"},
         "identifier": {"Text", "URL", "PropertyValue"}}
CREATIVE_WORK = {**THING, "author": {"Person", "Organization"}, "datePublished": {"Date"},
                 "headline": {"Text"}, "isPartOf": {"CreativeWork", "URL", "Periodical", "Book"},
                 "publisher": {"Organization", "Person"}, "abstract": {"Text"}}
SCHEMA: dict[str, dict[str, set[str]]] = {
    "Person": {**THING, "jobTitle": {"Text"}, "affiliation": {"Organization", "EducationalOrganization"},
               "alumniOf": {"Organization", "EducationalOrganization"}, "email": {"Text"},
               "knowsAbout": {"Text", "URL"}},
    "Organization": {**THING, "email": {"Text"}, "member": {"Person", "Organization"}},
    "EducationalOrganization": {**THING, "email": {"Text"}},
    "ScholarlyArticle": CREATIVE_WORK, "CreativeWork": CREATIVE_WORK, "Periodical": CREATIVE_WORK,
    "Book": CREATIVE_WORK,
    "PropertyValue": {**THING, "propertyID": {"Text", "URL"}, "value": {"Text"}},
}
# what each type needs to be useful (a forthcoming paper has no date yet: checked where one is known)
REQUIRED = {"Person": {"name"}, "ScholarlyArticle": {"name", "headline", "author"},
            "Organization": {"name"}, "EducationalOrganization": {"name"}, "Periodical": {"name"},
            "Book": {"name"}, "PropertyValue": {"propertyID", "value"}}
DATE = re.compile(r"^\d{4}(-\d{2}(-\d{2})?)?$")


def schema_problems(node: Any, expected: set[str], where: str = "$") -> list[str]:
    """Why ``node`` is not a valid value of one of the ``expected`` types (empty if it is)."""
    values = node if isinstance(node, list) else [node]
    problems = []
    for i, value in enumerate(values):
        at = f"{where}[{i}]" if isinstance(node, list) else where
        if isinstance(value, dict):
            kind = value.get("@type")
            if kind not in SCHEMA or kind not in expected | ({"ScholarlyArticle"} if "CreativeWork" in expected else set()):
                problems.append(f"{at}: @type {kind!r}, expected one of {sorted(expected)}")
                continue
            missing = REQUIRED.get(kind, set()) - set(value)
            if missing:
                problems.append(f"{at}: {kind} without {sorted(missing)}")
            for prop, item in value.items():
                if prop not in SCHEMA[kind]:
                    problems.append(f"{at}.{prop}: not a property of {kind}")
                elif prop != "@type":
                    problems.extend(schema_problems(item, SCHEMA[kind][prop], f"{at}.{prop}"))
        elif isinstance(value, str):
            if not value.strip():
                problems.append(f"{at}: empty text")
            elif expected == {"URL"} and not (urlsplit(value).scheme in ("http", "https") or value.startswith("#")
                                              or not urlsplit(value).scheme):
                problems.append(f"{at}: {value!r} is not a URL")
            elif expected == {"Date"} and not DATE.match(value):
                problems.append(f"{at}: {value!r} is not an ISO 8601 date")
            elif not expected & {"Text", "URL", "Date"}:
                problems.append(f"{at}: text where {sorted(expected)} is expected")
        else:
            problems.append(f"{at}: {type(value).__name__} value")
    return problems


@pytest.mark.parametrize("example", example_profiles(), ids=lambda p: p.stem)
def test_json_ld_is_valid_schema_org(example: Path, tmp_path: Path) -> None:
    _, page = site(example, tmp_path)
    blocks = page.json_ld()
    assert blocks and blocks[0]["@context"] == "https://schema.org"
    person = blocks[0]
    assert schema_problems(person, {"Person"}) == []
    profile = yaml.safe_load(example.read_text(encoding="utf-8"))
    assert person["name"] == profile["name"]
    if len(blocks) > 1:
        graph = blocks[1]["@graph"]
        assert blocks[1]["@context"] == "https://schema.org"
        problems = [p for i, work in enumerate(graph) for p in schema_problems(work, {"ScholarlyArticle"}, f"@graph[{i}]")]
        assert problems == []
        # every article points at its anchor on this page
        ids = {a.get("id") for a in page.attrs("li")}
        assert all(w["@id"].lstrip("#") in ids for w in graph)


def test_person_names_contacts_and_profiles(tmp_path: Path) -> None:
    _, page = site(EXAMPLES / "runxin_xu.yaml", tmp_path)
    person, works = page.json_ld()
    assert person["alternateName"][0] == "许润昕"
    assert person["email"] == "runxinxu@gmail.com"
    assert person["sameAs"] == ["https://github.com/RunxinXu"]
    assert person["jobTitle"] == "Master student"
    assert person["affiliation"]["name"] == "Peking University"
    _, page = site(EXAMPLES / "full.yaml", tmp_path / "full")
    person, works = page.json_ld()
    assert {"https://orcid.org/0000-0002-1825-0097", "https://scholar.google.com/citations?user=AbCdEfGhIjKL",
            "https://github.com/jiwoo-han-example", "https://dblp.org/pid/123/4567.html"} <= set(person["sameAs"])
    assert person["image"] == "photo.jpg"
    doi = [w for w in works["@graph"] if "identifier" in w]
    assert doi and doi[0]["identifier"] == {"@type": "PropertyValue", "propertyID": "DOI",
                                            "value": "10.1029/2024WR038812"}
    article = works["@graph"][0]
    assert article["author"][0]["@type"] == "Person" and article["datePublished"].isdigit()
    _, page = site(EXAMPLES / "runxin_xu.yaml", tmp_path / "runxin")
    graph = page.json_ld()[1]["@graph"]
    items = yaml.safe_load((EXAMPLES / "runxin_xu.yaml").read_text(encoding="utf-8"))["publications"]["items"]
    assert len(graph) == len(items)
    dated = [w["datePublished"] for w in graph if "datePublished" in w]
    assert len(dated) == len([p for p in items if p.get("year")]) and all(re.fullmatch(r"20\d\d", d) for d in dated)


def test_script_json_cannot_close_its_element() -> None:
    data = {"name": "</script><script>alert(1)</script><!-- & -->", "x": ["\u2028", "]]>"]}
    text = str(script_json(data))
    assert "<" not in text and ">" not in text and "&" not in text and "\u2028" not in text
    assert json.loads(text) == data


# ----- the page itself --------------------------------------------------------------------------

def test_page_files_head_and_pdf_link(tmp_path: Path) -> None:
    out = tmp_path / "site"
    result = write_site(EXAMPLES / "full.yaml", BuildOptions(today=TODAY), out)
    page = Page(result.index.read_text(encoding="utf-8"))
    assert result.pdf == out / "Ji_woo_Han_CV.pdf" and result.pdf.is_file()
    assert "Ji-woo Han" in pdf_text(result.pdf)
    assert {p.name for p in out.iterdir()} == {"index.html", "screen.css", "print.css", "photo.jpg", "Ji_woo_Han_CV.pdf"}
    assert (out / "photo.jpg").read_bytes() == (EXAMPLES / "photos" / "jiwoo_han.jpg").read_bytes()
    assert page.attrs("html")[0]["lang"] == "en"
    assert page.meta("og:title") == "Ji-woo Han – Curriculum Vitae"
    assert page.meta("og:description") and page.meta("viewport")
    assert [a["href"] for a in page.attrs("a") if "download" in a] == ["Ji_woo_Han_CV.pdf"]
    assert {a["href"] for a in page.attrs("link") if a.get("rel") == "stylesheet"} == {"screen.css", "print.css"}
    # self-contained: every address is a web or mail link, an anchor on the page or a file beside it
    for url in page.urls():
        parts = urlsplit(url)
        if parts.scheme in ("http", "https", "mailto", "tel"):
            continue
        assert not parts.scheme and not parts.netloc, url
        if parts.path:
            assert (out / unquote(parts.path)).is_file(), url
        else:
            assert parts.fragment in {a.get("id") for _, a in page.elements}, url
    assert not [a for a in page.elements if a[0] == "script" and a[1].get("type") != "application/ld+json"]
    ids = [a["id"] for _, a in page.elements if a.get("id")]
    assert len(ids) == len(set(ids))


def test_lang_and_words_follow_the_locale(tmp_path: Path) -> None:
    _, page = site(EXAMPLES / "bilingual.yaml", tmp_path, locale="zh")
    assert page.attrs("html")[0]["lang"] == "zh"
    assert "下载 PDF" not in page.text  # no PDF beside it: no link to one
    assert "自然语言处理方向博士研究生" in page.text and "更新于" in page.text
    assert page.meta("og:locale") == "zh_CN"
    _, page = site(EXAMPLES / "bilingual.yaml", tmp_path / "en", locale="en")
    assert page.attrs("html")[0]["lang"] == "en" and page.meta("og:locale") == "en_US"


def test_print_stylesheet_is_the_pdf_stylesheet(tmp_path: Path) -> None:
    from cvrender.api import Builder

    index, _ = site(EXAMPLES / "runxin_xu.yaml", tmp_path)
    printed = (index.parent / "print.css").read_text(encoding="utf-8")
    pdf_css = Builder().render_source(EXAMPLES / "runxin_xu.yaml", BuildOptions(today=TODAY)).stylesheets[0]
    assert printed.startswith(pdf_css.rstrip()) and ".web-only { display: none; }" in printed
    assert "@media (prefers-color-scheme: dark)" in (index.parent / "screen.css").read_text(encoding="utf-8")


@pytest.mark.parametrize("theme", THEMES)
def test_every_theme_has_a_web_look(theme: str, tmp_path: Path) -> None:
    index, page = site(EXAMPLES / "full.yaml", tmp_path, theme=theme)
    body = page.attrs("body")[0]["class"] or ""
    assert f"theme-{theme}" in body.split()
    screen = (index.parent / "screen.css").read_text(encoding="utf-8")
    assert "--accent" in screen and "@media (max-width" in screen
    assert len([a for a in page.attrs("li") if (a.get("id") or "").startswith("pub-")]) >= 4


def test_cli_writes_the_site_and_reports_errors(tmp_path: Path) -> None:
    command = [sys.executable, "-m", "cvrender", "web", str(EXAMPLES / "runxin_xu.yaml"), "-o",
               str(tmp_path / "site"), "--today", "2026-01-15", "--sections", "about,publications"]
    done = subprocess.run(command, capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr
    assert f"wrote {tmp_path / 'site' / 'index.html'}" in done.stdout
    page = Page((tmp_path / "site" / "index.html").read_text(encoding="utf-8"))
    assert [a["href"] for a in page.attrs("a") if a.get("href", "").startswith("#")][:2] == ["#about", "#publications"]
    assert "Education" not in page.text
    bad = subprocess.run([*command[:5], "--sections", "nonsense"], capture_output=True, text=True, timeout=120)
    assert bad.returncode == 2 and "Traceback" not in bad.stderr
    assert bad.stderr.strip().startswith("error:") and "nonsense" in bad.stderr and len(bad.stderr.splitlines()) == 1


# ----- hostile strings --------------------------------------------------------------------------

ALLOWED_TAGS = {"html", "head", "meta", "title", "link", "script", "body", "nav", "ul", "ol", "li", "a", "header",
                "div", "h1", "h2", "h3", "p", "span", "strong", "em", "code", "sup", "main", "section", "footer",
                "time", "img", "aside", "details", "summary"}


def test_injection_corpus_stays_literal_on_the_page(tmp_path: Path) -> None:
    from test_hostile_injection import CANARY, Jail, hostile_profile

    jail_dir = tmp_path / "jail"
    secret_dir, profile_dir = jail_dir / "secret", jail_dir / "profile"
    secret_dir.mkdir(parents=True)
    profile_dir.mkdir()
    (secret_dir / "secret.tex").write_text(CANARY + "\n", encoding="utf-8")
    jail = Jail(jail_dir, profile_dir, secret_dir, secret_dir / "secret.tex", jail_dir / "marker", jail_dir / "out")
    path, expected = hostile_profile(jail)
    index, page = site(path, jail.out)
    html = index.read_text(encoding="utf-8")
    text = key(page.text)
    missing = [(where, value) for where, value in expected if key(value) not in text]
    assert not missing, f"not literal on the page: {missing[:5]}"
    assert CANARY not in html and "root:x:0:0" not in html
    assert {tag for tag, _ in page.elements} <= ALLOWED_TAGS
    assert not [(t, k) for t, a in page.elements for k in a if k.startswith("on") or k in ("style", "srcdoc")]
    for url in page.urls():
        scheme = urlsplit(url).scheme.lower()
        assert scheme in ("", "http", "https", "mailto", "tel"), url
    assert [a.get("src") for a in page.attrs("img")] == []  # the profile has no photo; nothing smuggled one in
    # the JSON-LD holds the same strings, as data
    machine = [s for block in page.json_ld() for s in json_strings(block)]
    assert any(s.startswith("Mallory \\input{") for s in machine)
    for _, body in page.scripts:
        assert "</" not in body and "<!--" not in body


# ----- in a real browser ------------------------------------------------------------------------

OVERLAPS = """
(() => {
  const rects = [];
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  let n = 0;
  while (walker.nextNode()) {
    const node = walker.currentNode;
    if (!node.data.trim()) continue;
    const style = getComputedStyle(node.parentElement);
    if (style.visibility !== 'visible' || node.parentElement.closest('details:not([open]) > :not(summary)')) continue;
    const range = document.createRange();
    range.selectNodeContents(node);
    for (const r of range.getClientRects()) {
      if (r.width < 1 || r.height < 1) continue;
      // glyph boxes are taller than the line: compare their middle band only
      const pad = r.height * 0.25;
      rects.push({n, l: r.left + 0.5, r: r.right - 0.5, t: r.top + pad, b: r.bottom - pad,
                  text: node.data.trim().slice(0, 40)});
    }
    n++;
  }
  const out = [];
  for (let i = 0; i < rects.length; i++) {
    for (let j = i + 1; j < rects.length; j++) {
      const a = rects[i], b = rects[j];
      if (a.n === b.n) continue;
      if (a.l < b.r && b.l < a.r && a.t < b.b && b.t < a.b) out.push([a.text, b.text]);
    }
  }
  return {count: rects.length, overlaps: out.slice(0, 10)};
})()
"""
OUT_OF_VIEW = """
[...document.querySelectorAll('body *')].filter(e => {
  if (e.closest('.web-nav')) return false;  // the section links scroll sideways inside their bar
  const r = e.getBoundingClientRect();
  return r.width > 0 && (r.right > innerWidth + 0.5 || r.left < -0.5);
}).map(e => e.tagName + '.' + e.className + ': ' + (e.textContent || '').trim().slice(0, 40)).slice(0, 5)
"""


@pytest.fixture(scope="module")
def chromium() -> Iterator[Any]:
    from browser import started_chromium

    with started_chromium() as browser:
        yield browser


@pytest.mark.browser
@pytest.mark.parametrize("theme", THEMES)
@pytest.mark.parametrize("example", ["runxin_xu", "full"])
def test_page_in_chromium_fits_phone_and_desktop_without_overlaps_or_other_hosts(
        chromium: Any, theme: str, example: str, tmp_path: Path) -> None:
    index, _ = site(EXAMPLES / f"{example}.yaml", tmp_path / "site", with_pdf=False, theme=theme)
    folder = index.parent.resolve()
    for width in (390, 1280):
        chromium.open(index.resolve().as_uri(), width=width, height=900)
        sizes = chromium.evaluate("[document.documentElement.scrollWidth, innerWidth, document.fonts.status]")
        assert sizes[0] <= sizes[1] == width, f"{width} px: the page scrolls sideways ({sizes[0]} px wide)"
        assert chromium.evaluate(OUT_OF_VIEW) == [], f"{width} px: content outside the page"
        found = chromium.evaluate(OVERLAPS)
        assert found["count"] > 200, found  # the check saw the page's text
        assert found["overlaps"] == [], f"{width} px: text overlaps: {found['overlaps']}"
        requests = chromium.requests()
        assert index.resolve().as_uri() in requests
        outside = [u for u in requests
                   if not (u.startswith("file://") and Path(unquote(urlsplit(u).path)).is_relative_to(folder))]
        assert outside == [], f"requests outside the page's folder: {outside}"
        assert chromium.evaluate("getComputedStyle(document.querySelector('.web-bar')).display") != "none"


@pytest.mark.browser
def test_dark_scheme_and_print_media_in_chromium(chromium: Any, tmp_path: Path) -> None:
    index, _ = site(EXAMPLES / "runxin_xu.yaml", tmp_path / "site")
    background = "getComputedStyle(document.documentElement).backgroundColor"
    chromium.open(index.resolve().as_uri(), width=1280, dark=False)
    light = chromium.evaluate(background)
    chromium.open(index.resolve().as_uri(), width=1280, dark=True)
    dark = chromium.evaluate(background)
    assert light != dark
    assert sum(map(int, re.findall(r"\d+", dark)[:3])) < 150 < sum(map(int, re.findall(r"\d+", light)[:3]))
    chromium.call("Emulation.setEmulatedMedia", {"media": "print"})
    assert chromium.evaluate("getComputedStyle(document.querySelector('.web-bar')).display") == "none"
    assert chromium.evaluate("getComputedStyle(document.querySelector('.web-footer')).display") == "none"
    chromium.call("Emulation.setEmulatedMedia", {"media": ""})


def test_a_scaffolded_theme_has_its_web_part_and_restyles_the_page(tmp_path: Path) -> None:
    new = subprocess.run([sys.executable, "-m", "cvrender", "theme", "new", "lab", "--from", "sidebar"],
                         cwd=tmp_path, capture_output=True, text=True, timeout=120)
    assert new.returncode == 0, new.stderr
    screen = tmp_path / "themes" / "lab" / "web" / "screen.css.j2"
    assert "sidebar" in screen.read_text(encoding="utf-8")
    screen.write_text(screen.read_text(encoding="utf-8").replace(
        "{% endblock %}", ".name { letter-spacing: 0.31em; }\n{% endblock %}"), encoding="utf-8")
    index, page = site(EXAMPLES / "full.yaml", tmp_path / "site", theme=str(tmp_path / "themes" / "lab"))
    css = (index.parent / "screen.css").read_text(encoding="utf-8")
    assert "letter-spacing: 0.31em" in css and "--side:" in css  # the rule, after the parent's
    assert "theme-sidebar" in (page.attrs("body")[0]["class"] or "")


def test_emit_source_html_links_its_stylesheet(tmp_path: Path) -> None:
    import cvrender

    result = cvrender.build(EXAMPLES / "runxin_xu.yaml", output=tmp_path / "cv.pdf", emit_source=True, today=TODAY)
    assert result.source_path == tmp_path / "cv.html"
    page = Page(result.source_path.read_text(encoding="utf-8"))
    assert [a["href"] for a in page.attrs("link") if a.get("rel") == "stylesheet"] == ["cv.css"]
    css = (tmp_path / "cv.css").read_text(encoding="utf-8")
    assert "@page" in css and "#1f3a5f" in css  # the theme's print stylesheet, options filled in
    assert "Runxin Xu" in page.text and page.json_ld() == []


@pytest.mark.browser
def test_emitted_source_shows_styled_in_chromium(chromium: Any, tmp_path: Path) -> None:
    import cvrender

    result = cvrender.build(EXAMPLES / "runxin_xu.yaml", output=tmp_path / "cv.pdf", emit_source=True, today=TODAY)
    assert result.source_path is not None
    chromium.open(result.source_path.as_uri(), width=1280)
    assert chromium.evaluate("getComputedStyle(document.querySelector('.name')).color") == "rgb(31, 58, 95)"


# ----- cvrender watch serves the page too -------------------------------------------------------

from test_watch import served  # noqa: E402,F401  (a watcher and its preview server, a fixture)


def test_watch_serves_the_web_page_and_follows_edits(served: tuple[Path, Any, str, list[Any]]) -> None:  # noqa: F811
    from test_watch import PROFILE, fetch, wait_for

    profile, watcher, url, _messages = served
    state = watcher.state
    assert 'href="/web/"' in fetch(url)[2].decode()
    status, kind, body = fetch(url + "web/")
    page = Page(body.decode())
    assert status == 200 and kind.startswith("text/html") and "Ada Lovelace" in page.text
    pdf = [a["href"] for a in page.attrs("a") if "download" in a][0]
    status, kind, data = fetch(url + "web/" + pdf)
    assert kind == "application/pdf" and "University of London" in pdf_text(data)
    assert fetch(url + "web/screen.css")[1].startswith("text/css")
    assert fetch(url + "web/nothing.css")[0] == 404
    profile.write_text(PROFILE.replace("Ada Lovelace", "Grace Hopper"), encoding="utf-8")
    wait_for(lambda: state.get().ok and state.get().title == "Grace Hopper", what="the rebuild")
    assert "Grace Hopper" in Page(fetch(url + "web/")[2].decode()).text


# ----- batch and labs -----------------------------------------------------------------------------

@pytest.fixture(scope="module")
def lab_site(tmp_path_factory: pytest.TempPathFactory) -> tuple[subprocess.CompletedProcess[str], Path]:
    """The example lab built with `cvrender batch` and `web: site` in its lab file."""
    from test_lab import copy_lab, run_cli

    root = tmp_path_factory.mktemp("labweb")
    lab_file = copy_lab(root / "lab")
    lab_file.write_text(lab_file.read_text(encoding="utf-8") + "web: site\n", encoding="utf-8")
    done = run_cli("batch", str(lab_file), "-o", str(root / "pdfs"), "-j", "1", "--today", "2026-01-15")
    return done, lab_file.parent / "site"


def test_lab_batch_writes_a_page_per_member_and_the_lab_index(
        lab_site: tuple[subprocess.CompletedProcess[str], Path]) -> None:
    from test_lab import EXPECTED, TITLES

    done, site_dir = lab_site
    assert done.returncode == 0, done.stderr
    index = Page((site_dir / "index.html").read_text(encoding="utf-8"))
    members = [a["href"] for a in index.attrs("a") if "member-name" in (a.get("class") or "")]
    assert len(members) == len(EXPECTED)
    for pdf_name, keys in EXPECTED.items():
        name = pdf_name.removesuffix("_CV.pdf").replace("_", " ")
        href = next(h for h in members if h.startswith(name.lower().replace(" ", "-").replace("á", "a")))
        page = Page((site_dir / href).read_text(encoding="utf-8"))
        assert name.replace("Tomas", "Tomás") in page.text
        linked = [a["href"] for a in page.attrs("a") if "download" in a]
        assert linked == [pdf_name] and (site_dir / href).parent.joinpath(pdf_name).is_file()
        # a member's page lists the papers of their lab window, as their PDF does
        assert {k for k in TITLES if TITLES[k] in page.text} == keys
    # the lab's page: members and every lab paper once, the list's PDF beside it
    assert "Computational Language Lab" in index.text
    titles = [t for t in TITLES.values() if t in index.text]
    assert len(titles) == len({TITLES[k] for k in set().union(*EXPECTED.values())})
    organization, works = index.json_ld()
    assert organization["@type"] == "Organization" and len(organization["member"]) == len(EXPECTED)
    assert schema_problems(organization, {"Organization"}) == []
    assert (site_dir / "Computational_Language_Lab_Publications.pdf").is_file()
    assert f"wrote {site_dir / 'index.html'}" in done.stdout or "site/index.html" in done.stdout


@pytest.mark.browser
def test_lab_page_in_chromium_fits_and_stays_in_its_folder(
        chromium: Any, lab_site: tuple[subprocess.CompletedProcess[str], Path]) -> None:
    done, site_dir = lab_site
    assert done.returncode == 0, done.stderr
    folder = site_dir.resolve()
    for width in (390, 1280):
        chromium.open((folder / "index.html").as_uri(), width=width)
        assert chromium.evaluate("document.documentElement.scrollWidth") <= width
        found = chromium.evaluate(OVERLAPS)
        assert found["count"] > 50 and found["overlaps"] == [], found
        assert all(Path(unquote(urlsplit(u).path)).is_relative_to(folder) and u.startswith("file://")
                   for u in chromium.requests())


def test_batch_web_option_for_a_folder_of_profiles(tmp_path: Path) -> None:
    folder = tmp_path / "profiles"
    folder.mkdir()
    for example in ("runxin_xu", "xinxin_liu"):
        (folder / f"{example}.yaml").write_text((EXAMPLES / f"{example}.yaml").read_text(encoding="utf-8"),
                                                encoding="utf-8")
    done = subprocess.run([sys.executable, "-m", "cvrender", "batch", str(folder), "-o", str(tmp_path / "pdf"),
                           "--web", str(tmp_path / "web"), "-j", "1", "--today", "2026-01-15"],
                          capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr
    assert sorted(p.name for p in (tmp_path / "web").iterdir()) == ["runxin-xu", "xinxin-liu"]
    page = Page((tmp_path / "web" / "runxin-xu" / "index.html").read_text(encoding="utf-8"))
    assert "Runxin Xu" in page.text and (tmp_path / "web" / "runxin-xu" / "Runxin_Xu_CV.pdf").is_file()


def test_url_makes_addresses_absolute_and_a_theme_without_a_page_is_a_clear_error(tmp_path: Path) -> None:
    result = write_site(EXAMPLES / "full.yaml", BuildOptions(today=TODAY), tmp_path / "a", with_pdf=False,
                        page_url="https://jiwoo.example.org/cv/")
    page = Page(result.index.read_text(encoding="utf-8"))
    assert page.meta("og:url") == "https://jiwoo.example.org/cv/"
    assert page.meta("og:image") == "https://jiwoo.example.org/cv/photo.jpg"
    person = page.json_ld()[0]
    assert person["@id"] == "https://jiwoo.example.org/cv/#person"
    theme = tmp_path / "printonly"
    (theme / "html").mkdir(parents=True)
    (theme / "theme.yaml").write_text("name: printonly\nbackends: [html]\n", encoding="utf-8")
    (theme / "html" / "cv.html.j2").write_text("<html><body>{{ cv.header.name }}</body></html>", encoding="utf-8")
    (theme / "html" / "style.css.j2").write_text("", encoding="utf-8")
    done = subprocess.run([sys.executable, "-m", "cvrender", "web", str(EXAMPLES / "runxin_xu.yaml"),
                           "-o", str(tmp_path / "b"), "--theme", str(theme), "--no-pdf"],
                          capture_output=True, text=True, timeout=120)
    assert done.returncode == 2, done.stderr
    assert done.stderr.strip() == "error: theme 'printonly' has no web page (web/page.html.j2 in the theme folder)"


# ----- packaging --------------------------------------------------------------------------------

from test_packaging import wheel  # noqa: E402,F401  (the built wheel, a module fixture)


def test_web_parts_ship_in_the_wheel_and_the_page_builds_from_it(wheel: Path, tmp_path: Path) -> None:  # noqa: F811
    import zipfile

    names = zipfile.ZipFile(wheel).namelist()
    for theme in THEMES:
        assert f"cvrender/_themes/{theme}/web/screen.css.j2" in names, theme
    unpacked = tmp_path / "site-packages"
    zipfile.ZipFile(wheel).extractall(unpacked)
    script = ("import cvrender.web; from cvrender.api import BuildOptions; from cvrender.web import write_site;"
              "print(cvrender.web.__file__);"
              f"r = write_site({str(EXAMPLES / 'runxin_xu.yaml')!r}, BuildOptions(), {str(tmp_path / 'out')!r},"
              " with_pdf=False); print(r.index)")
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, cwd=tmp_path, timeout=120,
                          env={"PYTHONPATH": str(unpacked), "PATH": "/usr/bin:/bin"})
    assert done.returncode == 0, done.stderr
    module, index = done.stdout.split()
    assert module.startswith(str(unpacked))
    assert "Runxin Xu" in Page(Path(index).read_text(encoding="utf-8")).text


def test_every_locale_has_every_word_of_the_page() -> None:
    from cvrender.web import WEB_WORDS

    assert all(set(words) == set(WEB_WORDS["en"]) for words in WEB_WORDS.values())
    assert {"en", "zh", "zh_Hant", "ja", "de", "fr", "es"} <= set(WEB_WORDS)


@pytest.mark.browser
def test_printing_the_page_in_chromium_gives_the_pdf_layout(chromium: Any, tmp_path: Path) -> None:
    import base64

    from pypdf import PdfReader

    result = write_site(EXAMPLES / "runxin_xu.yaml", BuildOptions(today=TODAY), tmp_path / "site")
    chromium.open(result.index.resolve().as_uri(), width=1280)
    data = base64.b64decode(chromium.call("Page.printToPDF", {"preferCSSPageSize": True}, timeout=60)["data"])
    printed = tmp_path / "printed.pdf"
    printed.write_bytes(data)
    reader = PdfReader(printed)
    width, height = (float(v) for v in reader.pages[0].mediabox.upper_right)
    assert (round(width), round(height)) == (595, 842)  # A4, from the theme's @page
    text = pdf_text(printed)
    assert "Runxin Xu" in text and "Download PDF" not in text and "Last updated" not in text
    assert abs(len(reader.pages) - result.pages) <= 1, (len(reader.pages), result.pages)
