"""RenderCV input files (``cv:`` with ``sections:``, ``design:``, ``locale:``) as cvrender profiles.

RenderCV keeps a CV as arbitrary section titles, each a list of entries of one of nine kinds,
recognised by their keys: education (``institution``, ``area``, ``degree``), experience
(``company``, ``position``), normal (``name``), one-line (``label``, ``details``), bullet
(``bullet``), numbered (``number``), reversed-numbered (``reversed_number``), publication
(``title``, ``authors``, ``journal``, ``doi``) and text (a plain string). This reader puts the
first education, experience, publication and one-line (skills) section where cvrender has a
section of that kind (keeping RenderCV's title), everything else in custom sections, and keeps
RenderCV's section order. ``design`` picks the nearest cvrender theme and carries over colours,
page size, margins, font size and header alignment; ``locale.language`` becomes the CV's
language. Every value keeps its ``file:line:col``; what has no place in a profile (``settings``,
``!include``, fonts, icons, RenderCV-only design keys) is listed as a located warning.
"""

from __future__ import annotations

import datetime as _dt
import re
from typing import Any

from pydantic_core import PydanticCustomError

from cvrender.context.markup import parse
from cvrender.errors import ProfileError
from cvrender.model.dates import PRESENT, PRESENT_WORDS, parse_range
from cvrender.model.profile import SECTION_KEYS
from cvrender.sources.mapping import Conversion, LocatedMapper, kind_of, present, tidy
from cvrender.sources.validation import format_path
from cvrender.sources.yamlfile import Located, Path_

# RenderCV theme -> the cvrender theme that looks most like it.
THEMES = {
    "classic": "modern",            # sans-serif, blue accent, ruled titles
    "sb2nov": "academic",           # Computer Modern serif, black
    "harvard": "academic",          # serif, centred header
    "ink": "academic",              # Garamond serif
    "moderncv": "modern",           # coloured sans-serif
    "opal": "modern",               # Lato, teal accent
    "ember": "modern",              # Ubuntu sans, red accent
    "engineeringresumes": "compact",  # dense one-page layout
    "engineeringclassic": "compact",
}
DEFAULT_THEME = "academic"

# locale.language (RenderCV's names, or a language code) -> cvrender locale
LANGUAGES = {
    "english": "en", "en": "en", "german": "de", "de": "de", "french": "fr", "fr": "fr",
    "spanish": "es", "es": "es", "mandarin_chinese": "zh", "chinese": "zh", "zh": "zh",
    "japanese": "ja", "ja": "ja",
}

# social_networks[].network -> profile link field (others become labelled links)
NETWORKS = {"linkedin": "linkedin", "github": "github", "orcid": "orcid", "google scholar": "scholar",
            "x": "x", "twitter": "x"}
NETWORK_URLS = {
    "gitlab": "https://gitlab.com/{}", "imdb": "https://imdb.com/name/{}", "instagram": "https://instagram.com/{}",
    "stackoverflow": "https://stackoverflow.com/users/{}", "researchgate": "https://researchgate.net/profile/{}",
    "youtube": "https://youtube.com/@{}", "telegram": "https://t.me/{}", "whatsapp": "https://wa.me/{}",
    "leetcode": "https://leetcode.com/u/{}", "bluesky": "https://bsky.app/profile/{}",
    "reddit": "https://reddit.com/user/{}",
}

# The keys that tell RenderCV's entry kinds apart.
_KINDS = (
    ("bullet", {"bullet"}), ("numbered", {"number"}), ("reversed_numbered", {"reversed_number"}),
    ("one_line", {"label", "details"}), ("experience", {"company", "position"}),
    ("education", {"institution", "area", "degree"}), ("publication", {"title", "authors", "journal", "doi"}),
    ("normal", {"name"}),
)
_FIELDS = {
    "education": ("institution", "area", "degree", "date", "start_date", "end_date", "location", "summary",
                  "highlights", "url"),
    "experience": ("company", "position", "date", "start_date", "end_date", "location", "summary", "highlights",
                   "url"),
    "normal": ("name", "date", "start_date", "end_date", "location", "summary", "highlights", "url"),
    "publication": ("title", "authors", "doi", "url", "journal", "date", "summary"),
    "one_line": ("label", "details"), "bullet": ("bullet",), "numbered": ("number",),
    "reversed_numbered": ("reversed_number",),
}
_NOT_CAPITALISED = frozenset({
    "a", "an", "and", "as", "at", "but", "by", "for", "from", "if", "in", "into", "like", "near", "nor", "of",
    "off", "on", "onto", "or", "over", "so", "than", "that", "the", "to", "upon", "when", "with", "yet"})
_ABOUT = frozenset({"summary", "about", "about_me", "profile", "introduction", "bio", "biography", "overview"})
_CV_KEYS = ("name", "headline", "label", "location", "email", "phone", "website", "photo", "social_networks",
            "custom_connections", "sections")
_RGB = re.compile(r"^\s*rgb\(\s*(\d{1,3})\s*,\s*(\d{1,3})\s*,\s*(\d{1,3})\s*\)\s*$", re.I)
_HEX = re.compile(r"^\s*#?([0-9a-f]{6})\s*$", re.I)
_LENGTH = re.compile(r"^\s*\d+(\.\d+)?\s*(mm|cm|in|pt)\s*$")
_MARKED_OWNER = re.compile(r"^\s*(\*\*|\*|_)(?P<name>[^*_].*?)\1\s*$")


def looks_like_rendercv(data: Any) -> bool:
    """A RenderCV file has a ``cv`` mapping (with ``sections``, or beside ``design``/``locale``/settings)."""
    if not isinstance(data, dict) or "name" in data or "cv" not in data:
        return False
    return (isinstance(data["cv"], dict) and "sections" in data["cv"]) or any(
        key in data for key in ("design", "locale", "locale_catalog", "settings", "rendercv_settings"))


def section_title(key: str) -> str:
    """The heading RenderCV prints for a section key: ``selected_honors`` -> ``Selected Honors``;
    a key with a space or a capital letter is printed as written."""
    if " " in key or key != key.lower():
        return key
    words = key.replace("_", " ").split(" ")
    return " ".join(w if w in _NOT_CAPITALISED and i else w.capitalize() for i, w in enumerate(words))


def plain_text(value: Any) -> Any:
    """Markdown as plain text, for profile fields printed as written (a role, a degree, a place)."""
    return parse(value).plain if isinstance(value, str) else value


def _date_text(value: Any) -> Any:
    """A date as RenderCV reads it: a YAML date or a year number is text here."""
    if isinstance(value, _dt.date):
        return value.isoformat()[:10]
    if isinstance(value, int) and not isinstance(value, bool):
        return str(value)
    return value


def _mapping(value: Any) -> dict[str, Any]:
    """``value`` if it is a mapping, else an empty one."""
    return value if isinstance(value, dict) else {}


def _colour(value: Any) -> str | None:
    """``rgb(0, 79, 144)`` or ``#004f90`` -> ``#004f90``; None for anything else."""
    if not isinstance(value, str):
        return None
    match = _RGB.match(value)
    if match:
        parts = [int(x) for x in match.groups()]
        return "#" + "".join(f"{min(p, 255):02x}" for p in parts)
    match = _HEX.match(value)
    return "#" + match.group(1).lower() if match else None


class _Reader(LocatedMapper):
    """RenderCV data -> profile data, positions kept."""

    def __init__(self, source: Located, locale: str | None):
        super().__init__(source)
        self.locale = locale
        data = source.data
        given = next((data[k].get("language") for k in ("locale", "locale_catalog")
                      if isinstance(data.get(k), dict)), None)
        self.language_code = locale or LANGUAGES.get(str(given or "").strip().casefold(), "en")
        from cvrender.context.words import Translator

        try:
            self.default_titles = Translator(self.language_code).titles
        except ProfileError:
            self.default_titles = Translator("en").titles
        self.order: list[str] = []
        self.custom: list[dict[str, Any]] = []
        self.taken: set[str] = set()

    # ----- the file ------------------------------------------------------------------------------
    def read(self) -> dict[str, Any]:
        data = self.src.data
        out: dict[str, Any] = {}
        for path, tag in self.src.tags.items():
            self.note(path, f"'{tag}' is not read: cvrender does not include other files; paste their "
                      "content here")
        for key, value in data.items():
            if key == "cv":
                self.cv(value, out)
            elif key == "design":
                self.design(value, out)
            elif key in ("locale", "locale_catalog"):
                self.language(value, (key,), out)
            elif key in ("settings", "rendercv_settings"):
                if present(value):
                    self.lost((key,), value, "RenderCV's settings (output files, current date, bold "
                              "keywords) do not apply to cvrender; use the cvrender build options", key=True)
            elif key == "$schema":
                continue
            elif present(value):
                self.lost((key,), value, f"'{key}' is not a RenderCV key", key=True)
        if self.custom:
            out["sections"] = self.custom
        if self.order:
            out["section_order"] = self.order
        return out

    def cv(self, cv: Any, out: dict[str, Any]) -> None:
        src: Path_ = ("cv",)
        if not isinstance(cv, dict):
            self.problem(src, f"'cv' must be a mapping of fields (name, email, sections...), not {kind_of(cv)}")
            self.link(("name",), src)
            return
        name = cv.get("name")
        if not isinstance(name, str) or not name.strip():
            where = src + ("name",) if "name" in cv else src
            self.problem(where, "the name (cv.name) is missing or empty; a CV needs one", key=where == src)
            self.link(("name",), where)
        else:
            out["name"] = plain_text(name)
            self.link(("name",), src + ("name",))
        for key in ("headline", "label", "location"):
            if present(cv.get(key)):
                target = "location" if key == "location" else "headline"
                if target in out:
                    self.lost(src + (key,), cv[key], "the headline is already given")
                    continue
                out[target] = cv[key] if target == "headline" else plain_text(cv[key])
                self.link((target,), src + (key,))
        if present(cv.get("email")):
            out["email"] = cv["email"]
            self.link(("email",), src + ("email",))
        for key, target in (("phone", "phone"), ("website", "website")):
            value = cv.get(key)
            if isinstance(value, list):
                for index, extra in enumerate(value[1:], start=1):
                    if key == "website" and isinstance(extra, str):
                        self.custom_link(out, "Website", extra, src + (key, index), src + (key, index))
                    else:
                        self.lost(src + (key, index), extra, f"cvrender prints one {key}")
                value = value[0] if value else None
                key_path: Path_ = src + (key, 0)
            else:
                key_path = src + (key,)
            if present(value):
                out[target] = str(value)
                self.link((target,), key_path)
        photo = cv.get("photo")
        if present(photo):
            if isinstance(photo, str) and re.match(r"^https?:", photo.strip(), re.I):
                self.lost(src + ("photo",), photo, "cvrender reads a photo from a file beside the profile")
            else:
                out["photo"] = photo
                self.link(("photo",), src + ("photo",))
        self.networks(cv.get("social_networks"), src + ("social_networks",), out)
        self.connections(cv.get("custom_connections"), src + ("custom_connections",), out)
        sections = cv.get("sections")
        if isinstance(sections, dict):
            for key, entries in sections.items():
                self.section(str(key), entries, src + ("sections", key), out)
        elif present(sections):
            self.problem(src + ("sections",), "'sections' must map section titles to lists of entries, "
                         f"not {kind_of(sections)}")
        for key, value in cv.items():
            if key not in _CV_KEYS and present(value):
                self.lost(src + (key,), value, f"'{key}' is not a RenderCV cv field", key=True)

    # ----- links ---------------------------------------------------------------------------------
    def custom_link(self, out: dict[str, Any], label: str, url: str, src: Path_, url_src: Path_) -> None:
        """A labelled link; ``src`` is the entry it comes from, ``url_src`` the value that gives its address."""
        links = out.setdefault("links", {}).setdefault("custom", [])
        dst: Path_ = ("links", "custom", len(links))
        links.append({"label": label, "url": url})
        self.link(dst, src, deep=False)
        self.link(dst + ("url",), url_src)

    def networks(self, items: Any, src: Path_, out: dict[str, Any]) -> None:
        if not present(items):
            return
        if not isinstance(items, list):
            self.problem(src, f"'social_networks' must be a list of {{network, username}}, not {kind_of(items)}")
            return
        for index, item in enumerate(items):
            where = src + (index,)
            if not isinstance(item, dict) or not isinstance(item.get("network"), str) or not present(
                    item.get("username")):
                self.problem(where, "each social network needs 'network' and 'username'")
                continue
            network, username = item["network"].strip(), str(item["username"]).strip()
            for key in item:
                if key not in ("network", "username") and present(item[key]):
                    self.lost(where + (key,), item[key], f"'{key}' is not a social network field", key=True)
            known = NETWORKS.get(network.casefold())
            links = out.setdefault("links", {})
            if known and known not in links:
                links[known] = username
                self.link(("links", known), where + ("username",))
                continue
            pattern = NETWORK_URLS.get(network.casefold())
            if network.casefold() == "mastodon" and re.fullmatch(r"@?[^@\s]+@[^@\s]+", username):
                user, host = username.lstrip("@").split("@", 1)
                url = f"https://{host}/@{user}"
            elif pattern:
                url = pattern.format(username)
            elif re.match(r"^https?://", username):
                url = username
            else:
                self.lost(where, item, f"cvrender does not know the address of a {network} account")
                continue
            self.custom_link(out, network, url, where, where + ("username",))

    def connections(self, items: Any, src: Path_, out: dict[str, Any]) -> None:
        if not present(items):
            return
        if not isinstance(items, list):
            self.problem(src, f"'custom_connections' must be a list of {{placeholder, url}}, not {kind_of(items)}")
            return
        for index, item in enumerate(items):
            where = src + (index,)
            if not isinstance(item, dict) or not isinstance(item.get("placeholder"), str):
                self.problem(where, "each custom connection needs a 'placeholder' (the text to print)")
                continue
            if not present(item.get("url")):
                self.lost(where, item["placeholder"], "cvrender prints contact items without an address "
                          "only for email, phone and location")
                continue
            self.custom_link(out, plain_text(item["placeholder"]), str(item["url"]), where, where + ("url",))
            if present(item.get("fontawesome_icon")):
                self.lost(where + ("fontawesome_icon",), item["fontawesome_icon"],
                          "cvrender themes print contact items without icons")

    # ----- sections ------------------------------------------------------------------------------
    def entry_kind(self, entry: Any, src: Path_) -> str | None:
        if isinstance(entry, str | int | float) and not isinstance(entry, bool):
            return "text"
        if not isinstance(entry, dict):
            self.problem(src, f"an entry is text or a mapping of fields, not {kind_of(entry)}")
            return None
        keys = set(entry)
        for kind, marks in _KINDS:
            if keys & marks:
                return kind
        self.problem(src, "cannot tell which RenderCV entry this is: give it 'name', 'company', "
                     "'institution', 'title', 'label' or 'bullet'")
        return None

    def section(self, key: str, entries: Any, src: Path_, out: dict[str, Any]) -> None:
        title = section_title(key)
        if entries is None:
            return
        if not isinstance(entries, list):
            self.problem(src, f"the section '{key}' must be a list of entries, not {kind_of(entries)}")
            return
        kinds = [self.entry_kind(entry, src + (i,)) for i, entry in enumerate(entries)]
        known = [k for k in kinds if k]
        if not known:
            return
        kind = known[0]
        if any(k != kind for k in known):
            other = next(i for i, k in enumerate(kinds) if k and k != kind)
            self.problem(src + (other,), f"this entry is a {kinds[other]} entry in a section of {kind} entries; "
                         "RenderCV allows one kind of entry per section")
            return
        slug = re.sub(r"[^\w]+", "_", key.lower()).strip("_") or "section"
        target = {"education": "education", "experience": "experience", "publication": "publications",
                  "one_line": "skills"}.get(kind)
        if kind == "one_line" and not all(self.plain(e.get("details")) and self.plain(e.get("label"))
                                          for e in entries):
            target = None  # Markdown in details: a custom section prints it
        if kind == "normal" and slug == "projects" and not any(present(e.get("location")) for e in entries):
            target = "projects"
        if kind == "text" and slug in _ABOUT and len(entries) == 1:
            target = "about"
        if target is not None and target not in self.taken:
            self.taken.add(target)
            self.order.append(target)
            if self.default_titles.get(target) != title:
                # RenderCV prints the section's own title whatever the language
                out.setdefault("titles", {})[target] = title
            self.builtin(target, kind, entries, src, out)
            return
        self.custom_section(slug, title, kind, entries, src)

    @staticmethod
    def plain(value: Any) -> bool:
        return isinstance(value, str) and parse(value).plain == value

    def builtin(self, target: str, kind: str, entries: list[Any], src: Path_, out: dict[str, Any]) -> None:
        if target == "about":
            out["about"] = str(entries[0])
            self.link(("about",), src + (0,))
            return
        if target == "skills":
            out["skills"] = []
            for i, entry in enumerate(entries):
                dst: Path_ = ("skills", i)
                out["skills"].append({"category": entry["label"], "items": entry["details"]})
                self.link(dst, src + (i,), deep=False)
                self.link(dst + ("category",), src + (i, "label"))
                self.link(dst + ("items",), src + (i, "details"))
                self.extra(entry, "one_line", src + (i,))
            self.link(("skills",), src, deep=False)
            return
        dst_root: Path_ = ("publications",) if target == "publications" else (target,)
        items = []
        for i, entry in enumerate(entries):
            dst = dst_root + (i,)
            if kind == "publication":
                items.append(self.publication(entry, src + (i,), dst))
            else:
                items.append(self.dated(entry, kind, target, src + (i,), dst))
        out[target] = tidy(items)
        self.link((target,), src, deep=False)

    def extra(self, entry: dict[str, Any], kind: str, src: Path_) -> None:
        """Report a field that is not text where text belongs, and warn about keys of an entry that its
        kind does not have (RenderCV allows any key)."""
        for key in _FIELDS[kind]:
            value = entry.get(key)
            if key in ("highlights", "authors"):
                items = value if isinstance(value, list) else [value]
                if any(isinstance(v, dict | list) for v in items):
                    self.problem(src + (key,), f"'{key}' must be a list of texts")
            elif isinstance(value, dict | list | bool):
                self.problem(src + (key,), f"'{key}' must be text, not {kind_of(value)}")
        for key, value in entry.items():
            if key not in _FIELDS[kind] and present(value):
                self.lost(src + (key,), value, f"'{key}' is not a field of RenderCV {kind.replace('_', '-')} "
                          "entries (it only shows in RenderCV templates that name it)", key=True)

    def put(self, item: dict[str, Any], dst: Path_, key: str, value: Any, src: Path_) -> None:
        item[key] = value
        self.link(dst + (key,), src)

    def dated(self, entry: dict[str, Any], kind: str, target: str, src: Path_, dst: Path_) -> dict[str, Any]:
        """An education, experience or normal entry as a profile entry of ``target``."""
        item: dict[str, Any] = {}
        self.link(dst, src, deep=False)
        names = {"education": {"institution": "institution", "area": "field", "degree": "degree"},
                 "experience": {"company": "organization", "position": "role"},
                 "normal": {"name": "name" if target == "projects" else "title"}}[kind]
        if target == "custom" and kind != "normal":
            names = {"institution": "title", "company": "title", "area": "subtitle", "position": "subtitle"}
        for rkey, pkey in names.items():
            value = entry.get(rkey)
            if present(value):
                inline = pkey in ("institution", "organization", "name", "title", "subtitle")
                self.put(item, dst, pkey, str(value) if inline else plain_text(str(value)), src + (rkey,))
        if target == "custom" and kind == "education" and present(entry.get("degree")):
            subtitle = ", ".join(plain_text(str(entry[k])) for k in ("degree", "area") if present(entry.get(k)))
            self.put(item, dst, "subtitle", subtitle, src + ("degree",))
        if present(entry.get("location")):
            if target == "projects":
                self.lost(src + ("location",), entry["location"], "cvrender projects have no location")
            else:
                self.put(item, dst, "location", plain_text(str(entry["location"])), src + ("location",))
        if present(entry.get("url")):
            self.put(item, dst, "url", entry["url"], src + ("url",))
        if present(entry.get("summary")):
            self.put(item, dst, "summary", str(entry["summary"]), src + ("summary",))
        highlights = entry.get("highlights")
        if present(highlights):
            if isinstance(highlights, list):
                self.put(item, dst, "highlights", [str(h) for h in highlights], src + ("highlights",))
            else:
                self.put(item, dst, "highlights", [str(highlights)], src + ("highlights",))
        self.dates(entry, src, dst, item)
        self.extra(entry, kind, src)
        return item

    def dates(self, entry: dict[str, Any], src: Path_, dst: Path_, item: dict[str, Any]) -> None:
        """``date`` (which wins, as in RenderCV) or ``start_date``/``end_date``; a start alone runs to present."""
        date = _date_text(entry.get("date"))
        start, end = _date_text(entry.get("start_date")), _date_text(entry.get("end_date"))
        if present(date):
            if not self.readable(date, src + ("date",)):
                return
            self.put(item, dst, "date", date, src + ("date",))
            for key in ("start_date", "end_date"):
                if present(entry.get(key)):
                    self.lost(src + (key,), entry[key], "'date' is given and RenderCV prints it instead", key=True)
            return
        if present(start):
            self.put(item, dst, "start", start, src + ("start_date",))
            if present(end):
                end_text = PRESENT if isinstance(end, str) and end.strip().casefold() in PRESENT_WORDS else end
                self.put(item, dst, "end", end_text, src + ("end_date",))
            else:
                self.put(item, dst, "end", PRESENT, src + ("start_date",))
        elif present(end):
            self.put(item, dst, "date", end, src + ("end_date",))

    def readable(self, date: Any, src: Path_) -> bool:
        """RenderCV prints any text as a date; cvrender reads it. What it cannot read is reported."""
        try:
            parse_range(date)
        except PydanticCustomError:
            self.lost(src, date, "cvrender reads dates such as 2020-09, Sep 2020, Fall 2020 or "
                      "'2019 - present', not this")
            return False
        return True

    @staticmethod
    def authors(entry: dict[str, Any]) -> list[tuple[str, bool]]:
        """The authors as (name, is it you): ``*Name*`` (or ``**Name**``) marks the CV's owner."""
        authors = entry.get("authors")
        if isinstance(authors, str):
            authors = [authors]
        out = []
        for author in authors if isinstance(authors, list) else []:
            marked = _MARKED_OWNER.match(str(author)) if len(str(author)) <= 200 else None
            out.append((plain_text(marked.group("name") if marked else str(author)), bool(marked)))
        return out

    def publication(self, entry: dict[str, Any], src: Path_, dst: Path_) -> dict[str, Any]:
        item: dict[str, Any] = {}
        self.link(dst, src, deep=False)
        if present(entry.get("title")):
            self.put(item, dst, "title", str(entry["title"]), src + ("title",))
        if "authors" in entry:
            item["authors"] = [{"name": name, "me": True} if me else name for name, me in self.authors(entry)]
            self.link(dst + ("authors",), src + ("authors",))
            for i in range(len(item["authors"])):
                self.link(dst + ("authors", i, "name"), src + ("authors", i))
        if present(entry.get("journal")):
            self.put(item, dst, "venue", plain_text(str(entry["journal"])), src + ("journal",))
        for key in ("doi", "url"):
            if present(entry.get(key)):
                self.put(item, dst, key, str(entry[key]).strip(), src + (key,))
        date = _date_text(entry.get("date"))
        if present(date) and self.readable(date, src + ("date",)):
            self.put(item, dst, "date", date, src + ("date",))
        if present(entry.get("summary")):
            self.put(item, dst, "note", [str(entry["summary"])], src + ("summary",))
        self.extra(entry, "publication", src)
        return item

    def publication_entry(self, entry: dict[str, Any], src: Path_, dst: Path_) -> dict[str, Any]:
        """A publication of a second publication section, as an entry of a custom section: the title,
        the authors (you in bold) under it, the venue, the date, a link to the paper."""
        item: dict[str, Any] = {}
        self.link(dst, src, deep=False)
        if present(entry.get("title")):
            self.put(item, dst, "title", str(entry["title"]), src + ("title",))
        authors = ", ".join(f"**{name}**" if me else name for name, me in self.authors(entry))
        if authors:
            self.put(item, dst, "subtitle", authors, src + ("authors",))
        if present(entry.get("journal")):
            self.put(item, dst, "summary", str(entry["journal"]), src + ("journal",))
        if present(entry.get("url")):
            self.put(item, dst, "url", str(entry["url"]).strip(), src + ("url",))
        elif present(entry.get("doi")):
            self.put(item, dst, "url", f"https://doi.org/{str(entry['doi']).strip()}", src + ("doi",))
        date = _date_text(entry.get("date"))
        if present(date) and self.readable(date, src + ("date",)):
            self.put(item, dst, "date", date, src + ("date",))
        if present(entry.get("summary")):
            self.put(item, dst, "highlights", [str(entry["summary"])], src + ("summary",))
        self.extra(entry, "publication", src)
        return item

    def custom_section(self, slug: str, title: str, kind: str, entries: list[Any], src: Path_) -> None:
        """A section of cvrender's own kind (``sections:``), under RenderCV's title and order."""
        key = slug
        taken = {*SECTION_KEYS, "selected_publications", *(s["id"] for s in self.custom)}
        number = 2
        while key in taken:
            key, number = f"{slug}_{number}", number + 1
        index = len(self.custom)
        dst: Path_ = ("sections", index, "entries")
        items: list[dict[str, Any]] = []
        if kind in ("bullet", "numbered", "reversed_numbered"):
            field_name = {"bullet": "bullet", "numbered": "number", "reversed_numbered": "reversed_number"}[kind]
            # one entry whose highlights are the bullets: the list RenderCV prints
            items.append({"highlights": [str(e[field_name]) for e in entries]})
            self.link(dst + (0,), src, deep=False)
            for i, entry in enumerate(entries):
                self.link(dst + (0, "highlights", i), src + (i, field_name))
                self.extra(entry, kind, src + (i,))
            if kind != "bullet":
                self.note(src, f"RenderCV numbers these entries{' downwards' if kind == 'reversed_numbered' else ''}; "
                          "cvrender lists them as bullets, in the same order")
        else:
            for i, entry in enumerate(entries):
                edst = dst + (i,)
                if kind == "text":
                    items.append({"summary": str(entry)})
                    self.link(edst, src + (i,), deep=False)
                    self.link(edst + ("summary",), src + (i,))
                elif kind == "one_line":
                    item = {"title": str(entry["label"]), "summary": str(entry["details"])}
                    self.link(edst, src + (i,), deep=False)
                    self.link(edst + ("title",), src + (i, "label"))
                    self.link(edst + ("summary",), src + (i, "details"))
                    self.extra(entry, kind, src + (i,))
                    items.append(item)
                elif kind == "publication":
                    items.append(self.publication_entry(entry, src + (i,), edst))
                else:
                    items.append(self.dated(entry, kind, "custom", src + (i,), edst))
        self.custom.append({"id": key, "title": title, "entries": tidy(items)})
        self.link(("sections", index), src, deep=False)
        self.link(("sections", index, "title"), src, deep=False)
        self.order.append(key)

    # ----- design and locale ---------------------------------------------------------------------
    def design(self, design: Any, out: dict[str, Any]) -> None:
        src: Path_ = ("design",)
        if not isinstance(design, dict):
            if present(design):
                self.problem(src, f"'design' must be a mapping (theme, page, colors...), not {kind_of(design)}")
            return
        theme = design.get("theme")
        if present(theme):
            chosen = THEMES.get(str(theme).strip().casefold())
            if chosen is None:
                chosen = DEFAULT_THEME
                self.note(src + ("theme",), f"RenderCV theme '{theme}' has no cvrender counterpart; "
                          f"using '{chosen}'")
            out["theme"] = chosen
            self.link(("theme",), src + ("theme",))
        options: dict[str, Any] = {}
        used: set[Path_] = {src + ("theme",)}

        def take(option: str, path: Path_, value: Any) -> None:
            options[option] = value
            used.add(path)
            self.link(("design", option), path)

        page = _mapping(design.get("page"))
        size = str(page.get("size", "")).strip().casefold()
        if size:
            paper = {"a4": "a4", "us-letter": "letter", "letter": "letter"}.get(size)
            if paper:
                take("paper", src + ("page", "size"), paper)
        margins = {k: page[k] for k in ("top_margin", "bottom_margin", "left_margin", "right_margin")
                   if isinstance(page.get(k), str) and _LENGTH.match(page[k])}
        if margins:
            side = margins.get("left_margin") or next(iter(margins.values()))
            take("margin", src + ("page", "left_margin" if "left_margin" in margins else next(iter(margins))),
                 side.replace(" ", ""))
            for key, value in margins.items():
                if value.replace(" ", "") == options["margin"]:
                    used.add(src + ("page", key))
        if page.get("show_footer") is False:
            take("page_numbers", src + ("page", "show_footer"), False)
        elif page.get("show_footer") is True:
            used.add(src + ("page", "show_footer"))
        colors = _mapping(design.get("colors"))
        for key in ("section_titles", "name", "links", "headline", "connections"):
            colour = _colour(colors.get(key))
            if colour and "accent" not in options:
                take("accent", src + ("colors", key), colour)
            if colour and colour == options.get("accent"):
                used.add(src + ("colors", key))
        typography = _mapping(design.get("typography"))
        font_size = typography.get("font_size")
        body = font_size.get("body") if isinstance(font_size, dict) else None
        if isinstance(body, str) and _LENGTH.match(body):
            take("font_size", src + ("typography", "font_size", "body"), body.replace(" ", ""))
        header = _mapping(design.get("header"))
        alignment = {"center": "centered", "left": "left"}.get(str(header.get("alignment", "")).casefold())
        if alignment:
            take("header_layout", src + ("header", "alignment"), alignment)
        titles = _mapping(design.get("section_titles"))
        style = {"with_partial_line": "rule", "with_full_line": "rule", "without_line": "plain",
                 "moderncv": "bar" if out.get("theme") == "modern" else "rule"}.get(
            str(titles.get("type", "")).casefold())
        if style:
            take("section_title_style", src + ("section_titles", "type"), style)
        if options:
            out["design"] = options
            self.link(("design",), src, deep=False)
        self.leftovers(design, src, used)

    def leftovers(self, value: Any, src: Path_, used: set[Path_]) -> None:
        """A located warning for every design setting that was not carried over."""
        if src in used:
            return
        if isinstance(value, dict) and value:
            for key, inner in value.items():
                self.leftovers(inner, src + (key,), used)
        elif present(value):
            why = ("cvrender themes choose their fonts; set the theme's font option to a font installed here"
                   if "font_family" in src else "no cvrender theme option does the same")
            self.lost(src, value, f"RenderCV's {format_path(src[1:])}: {why}", key=True)

    def language(self, locale: Any, src: Path_, out: dict[str, Any]) -> None:
        if not isinstance(locale, dict):
            if present(locale):
                self.problem(src, f"'{src[0]}' must be a mapping (language, month names...), not {kind_of(locale)}")
            return
        language = locale.get("language")
        if present(language):
            code = LANGUAGES.get(str(language).strip().casefold())
            if code is None:
                self.lost(src + ("language",), language, "cvrender prints its own words in English, Chinese, "
                          "Japanese, German, French or Spanish; the CV is set in English")
            elif self.locale is None or self.locale == code:
                out["locale"] = code
                self.link(("locale",), src + ("language",))
        for key, value in locale.items():
            if key != "language" and present(value):
                self.lost(src + (key,), value, "cvrender's words and date formats come with its language "
                          "setting", key=True)


def convert(located: Located, locale: str | None = None) -> Conversion:
    """Convert a located RenderCV document into a validated profile and a list of what was not carried over.

    Raises :class:`~cvrender.errors.ProfileError` listing every problem with ``file:line:col`` and its
    RenderCV key path (``cv.sections.education[0].start_date``).
    """
    if not looks_like_rendercv(located.data):
        line, col = located.where(())
        from cvrender.errors import Problem

        raise ProfileError(Problem("this is not a RenderCV file: it needs a 'cv' mapping with 'sections'",
                                   located.file, line, col))
    reader = _Reader(located, locale)
    return reader.validate(reader.read())


__all__ = ["THEMES", "convert", "looks_like_rendercv", "section_title"]
