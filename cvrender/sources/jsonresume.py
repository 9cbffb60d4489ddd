"""JSON Resume (schema 1.x) documents as cvrender profiles, and profiles as JSON Resume.

Reading maps every JSON Resume section onto the profile (``work`` -> experience, ``volunteer``,
``certificates`` and ``references`` -> custom sections...) and keeps the line and column of every
value, so a bad date in ``resume.json`` is reported at ``resume.json:42:20`` under its JSON Resume
name (``work[1].startDate``). What has no place in a profile is listed in
:attr:`Conversion.warnings`, never dropped silently. Writing (:func:`from_profile`) does the
reverse and lists what JSON Resume cannot hold.
"""

from __future__ import annotations

import calendar
import re
from collections.abc import Mapping
from html.parser import HTMLParser
from typing import Any

from cvrender.errors import ProfileError
from cvrender.model import Profile
from cvrender.model.dates import PRESENT, DateRange, PartialDate
from cvrender.model.profile import PROFILE_LINK_PATTERNS
from cvrender.sources.mapping import Conversion, LocatedMapper, kind_of, tidy
from cvrender.sources.yamlfile import Located, Path_

SCHEMA_URL = "https://raw.githubusercontent.com/jsonresume/resume-schema/v1.0.0/schema.json"

# cvrender link field -> (JSON Resume network name, URL pattern for a user name)
NETWORKS = PROFILE_LINK_PATTERNS
_NETWORK_ALIASES = {
    "github": "github", "googlescholar": "scholar", "scholar": "scholar", "orcid": "orcid",
    "dblp": "dblp", "semanticscholar": "semantic_scholar", "linkedin": "linkedin", "twitter": "x", "x": "x",
}

# Custom sections that stand for JSON Resume sections (by section key).
CUSTOM_SECTIONS = {"volunteer": "volunteer", "volunteering": "volunteer", "certificates": "certificates",
                   "certifications": "certificates", "references": "references"}

_YEAR_ONLY = re.compile(r"^\d{4}$")


def looks_like_jsonresume(data: Any) -> bool:
    """A JSON Resume document has a ``basics`` object and no cvrender ``name``."""
    return isinstance(data, dict) and isinstance(data.get("basics"), dict) and "name" not in data


# ----------------------------------------------------------------------------------------------
# JSON Resume -> profile
# ----------------------------------------------------------------------------------------------

# For each list section: JSON Resume key -> profile key. ``None`` marks keys handled by code.
_WORK = {"name": "organization", "company": "organization", "position": "role", "url": "url",
         "website": "url", "location": "location", "summary": "summary", "highlights": "highlights",
         "startDate": None, "endDate": None, "description": None}
_VOLUNTEER = {"organization": "title", "position": "subtitle", "url": "url", "website": "url",
              "summary": "summary", "highlights": "highlights", "startDate": None, "endDate": None}
_EDUCATION = {"institution": "institution", "url": "url", "area": "field", "studyType": "degree",
              "score": "gpa", "gpa": "gpa", "courses": "highlights", "startDate": None, "endDate": None}
_AWARDS = {"title": "title", "awarder": "issuer", "summary": "note", "date": None, "awardDate": None,
           # a fellowship held for years, as al-folio's resume.json writes it
           "startDate": None, "endDate": None, "startdate": None, "enddate": None}
_CERTIFICATES = {"name": "title", "issuer": "subtitle", "url": "url", "date": None}
_PUBLICATIONS = {"name": "title", "title": "title", "publisher": "venue", "url": "url", "website": "url",
                 "authors": "authors", "doi": "doi", "summary": None, "releaseDate": None}
_SKILLS = {"name": "category", "keywords": None, "level": None}
_LANGUAGES = {"language": "language", "fluency": "level"}
_INTERESTS = {"name": None, "keywords": None}
_REFERENCES = {"name": "title", "reference": "summary"}
# academicpages' cv.json: talks, teaching and portfolio items beside the JSON Resume sections.
_PRESENTATIONS = {"name": "title", "title": "title", "event": "event", "location": "location", "url": "url",
                  "date": None, "description": None}
_TEACHING = {"course": "course", "name": "course", "role": "role", "institution": "institution",
             "location": "location", "url": "url", "date": None, "startDate": None, "endDate": None,
             "description": None}
_PORTFOLIO = {"name": "name", "url": "url", "description": None, "summary": "summary",
              "date": None, "category": None}
_PROJECTS = {"name": "name", "description": "summary", "highlights": "highlights", "url": "url",
             "roles": None, "startDate": None, "endDate": None, "keywords": None, "entity": None,
             "type": None}

# Keys a section needs, with the JSON Resume name to report.
_REQUIRED = {"work": ("name", "company"), "volunteer": ("organization",), "education": ("institution",),
             "awards": ("title",), "certificates": ("name",), "publications": ("name",),
             "skills": ("name",), "languages": ("language",), "references": ("name",),
             "projects": ("name",), "interests": ("name",), "presentations": ("name", "title"),
             "teaching": ("course", "name"), "portfolio": ("name",)}

_SECTION_ORDER = ("work", "volunteer", "education", "awards", "certificates", "publications", "skills",
                  "languages", "interests", "references", "projects", "presentations", "teaching", "portfolio")
_BASICS = ("name", "label", "image", "picture", "email", "phone", "url", "website", "summary", "location",
           "profiles")
# Words that make "interests" research interests; otherwise they are what people do for fun.
_RESEARCH = re.compile(r"research|learning|science|theory|systems|analysis|computing|vision|language "
                       r"processing|robotics|biology|physics|chemistry|mathematics|economics", re.I)


class _Reader(LocatedMapper):
    """Converts located JSON Resume data into profile data with the same positions."""

    def __init__(self, source: Located, locale: str | None):
        super().__init__(source)
        from cvrender.context.words import Translator

        try:
            self.titles = Translator(locale or "en").titles
        except ProfileError:
            self.titles = Translator("en").titles

    # ----- values --------------------------------------------------------------------------------
    @staticmethod
    def day_one(value: Any) -> Any:
        """``2013-12-01`` -> ``2013-12``: JSON Resume writes the first of the month for a month."""
        if isinstance(value, str) and re.fullmatch(r"\d{4}-(0[1-9]|1[0-2])-01", value.strip()):
            return value.strip()[:7]
        return value

    @staticmethod
    def month_end(value: Any) -> Any:
        """``2023-09-30`` -> ``2023-09`` at the end of a range: the last day of a month stands for the
        month (al-folio's resume.json ends positions so), as the first day does at the start."""
        match = re.fullmatch(r"(\d{4})-(0[1-9]|1[0-2])-(\d\d)", value.strip()) if isinstance(value, str) else None
        if match and int(match.group(3)) == calendar.monthrange(int(match.group(1)), int(match.group(2)))[1]:
            return value.strip()[:7]
        return value

    @staticmethod
    def present(value: Any) -> bool:
        return value is not None and value != "" and value != [] and value != {}

    def text_list(self, value: Any, src: Path_) -> list[Any] | None:
        """A list of texts (highlights, keywords); reports anything else."""
        if isinstance(value, str):
            return [value]
        if not isinstance(value, list):
            self.problem(src, f"expected a list of texts, not {kind_of(value)}")
            return None
        return value

    def items(self, data: dict[str, Any], key: str) -> list[tuple[Path_, dict[str, Any]]]:
        """The objects of a list section, reporting what is not an object."""
        value = data.get(key)
        if value is None:
            return []
        if not isinstance(value, list):
            self.problem((key,), f"'{key}' must be a list of objects, not {kind_of(value)}")
            return []
        out: list[tuple[Path_, dict[str, Any]]] = []
        for index, item in enumerate(value):
            if not isinstance(item, dict):
                self.problem((key, index), f"each entry of '{key}' must be an object, not {kind_of(item)}")
                continue
            out.append(((key, index), item))
        return out

    def fields(self, item: dict[str, Any], src: Path_, dst: Path_, spec: Mapping[str, str | None],
               section: str) -> dict[str, Any] | None:
        """Copy the simply mapped keys of one entry; None (and a problem) when a required key is missing."""
        required = _REQUIRED.get(section, ())
        if required and not any(isinstance(item.get(k), str) and item[k].strip() for k in required):
            wrong = next((k for k in required if self.present(item.get(k)) and not isinstance(item[k], str)), None)
            if wrong is not None:
                self.problem(src + (wrong,), f"must be text, not {kind_of(item[wrong])}")
            else:
                self.problem(src, f"this {section} entry has no '{required[0]}'; cvrender needs one to print it")
            return None
        entry: dict[str, Any] = {}
        for key, value in item.items():
            if key not in spec:
                if self.present(value):
                    self.lost(src + (key,), value, f"'{key}' is not a JSON Resume {section} field")
                continue
            target = spec[key]
            if target is None or not self.present(value):
                continue
            if target in entry:
                if entry[target] != value:
                    self.lost(src + (key,), value, f"'{target}' is already given by another key")
                continue
            if target == "highlights":
                value = self.text_list(value, src + (key,))
                if value is None:
                    continue
            entry[target] = value
            self.link(dst + (target,), src + (key,))
        return entry

    def dates(self, item: dict[str, Any], src: Path_, dst: Path_, entry: dict[str, Any],
              start_key: str = "startDate", end_key: str = "endDate") -> None:
        """``startDate``/``endDate`` -> ``start``/``end``; no end means ongoing; equal ends mean one date."""
        start, end = self.day_one(item.get(start_key)), self.month_end(self.day_one(item.get(end_key)))
        start = start if self.present(start) else None
        end = end if self.present(end) else None
        if start is not None and (end is None or end == start):
            if end is None:
                entry["start"], entry["end"] = start, PRESENT
                self.link(dst + ("start",), src + (start_key,))
                self.link(dst + ("end",), src + (start_key,))
            else:
                entry["date"] = start
                self.link(dst + ("date",), src + (start_key,))
        elif start is not None:
            entry["start"], entry["end"] = start, end
            self.link(dst + ("start",), src + (start_key,))
            self.link(dst + ("end",), src + (end_key,))
        elif end is not None:
            entry["date"] = end
            self.link(dst + ("date",), src + (end_key,))

    def single_date(self, item: dict[str, Any], keys: tuple[str, ...], src: Path_, dst: Path_,
                    entry: dict[str, Any]) -> None:
        for key in keys:
            if self.present(item.get(key)):
                entry["date"] = self.day_one(item[key])
                self.link(dst + ("date",), src + (key,))
                return

    # ----- sections ------------------------------------------------------------------------------
    def basics(self, data: dict[str, Any], out: dict[str, Any]) -> None:
        basics = data["basics"]
        src: Path_ = ("basics",)
        name = basics.get("name")
        self.names["name"] = "basics.name"
        if self.present(name) and not isinstance(name, str):
            self.problem(src + ("name",), f"must be text, not {kind_of(name)}")
        elif not isinstance(name, str) or not name.strip():
            self.problem(src + ("name",), "the name is missing or empty; a CV needs one")
        else:
            out["name"] = name
            self.link(("name",), src + ("name",))
        for jr_key, cv_key in (("label", "headline"), ("email", "email"), ("phone", "phone"),
                               ("url", "website"), ("website", "website")):
            # the older schema's ``website`` is today's ``url``
            if self.present(basics.get(jr_key)) and cv_key not in out:
                out[cv_key] = basics[jr_key]
                self.link((cv_key,), src + (jr_key,))
        location = basics.get("location")
        if isinstance(location, dict):
            parts = [location.get(k) for k in ("address", "city", "region", "postalCode", "countryCode")]
            for key, value in location.items():
                if key not in ("address", "city", "region", "postalCode", "countryCode") and self.present(value):
                    self.lost(src + ("location", key), value, f"'{key}' is not a JSON Resume location field")
            text = ", ".join(p.strip() for p in parts if isinstance(p, str) and p.strip())
            if text:
                out["location"] = text
                self.link(("location",), src + ("location",))
        elif self.present(location):
            out["location"] = location
            self.link(("location",), src + ("location",))
        image_key = "image" if self.present(basics.get("image")) else "picture"
        image = basics.get(image_key)
        if self.present(image):
            if isinstance(image, str) and re.match(r"^(https?|data):", image.strip(), re.I):
                self.lost(src + (image_key,), image,
                          "cvrender reads a photo from a file beside the profile, not from the web")
            else:
                out["photo"] = image
                self.link(("photo",), src + (image_key,))
        links = self.profiles(basics, src)
        if links:
            out["links"] = links
        if self.present(basics.get("summary")):
            out["summary"] = basics["summary"]
            self.link(("summary",), src + ("summary",))
        for key, value in basics.items():
            if key not in _BASICS and self.present(value):
                self.lost(src + (key,), value, f"'{key}' is not a JSON Resume basics field")

    def profiles(self, basics: dict[str, Any], src: Path_) -> dict[str, Any]:
        links: dict[str, Any] = {}
        custom: list[dict[str, Any]] = []
        for psrc, entry in self.items(basics, "profiles") if "profiles" in basics else []:
            psrc = src + psrc
            network: str = entry["network"] if isinstance(entry.get("network"), str) else ""
            username = entry.get("username") if self.present(entry.get("username")) else None
            url = entry.get("url") if self.present(entry.get("url")) else None
            known = _NETWORK_ALIASES.get(re.sub(r"[\s_-]+", "", network.lower()))
            for key, value in entry.items():
                if key not in ("network", "username", "url") and self.present(value):
                    self.lost(psrc + (key,), value, f"'{key}' is not a JSON Resume profile field")
            if known and known not in links and (username or url):
                links[known] = username or url
                self.link(("links", known), psrc + ("username" if username else "url",))
            elif url:
                index = len(custom)
                custom.append({"label": network.strip() or "Link", "url": url})
                self.link(("links", "custom", index), psrc)
                self.link(("links", "custom", index, "url"), psrc + ("url",))
            elif network or username:
                self.lost(psrc, entry, f"a {network or 'profile'} link needs a url for cvrender to print it")
        if custom:
            links["custom"] = custom
        return links

    def list_section(self, data: dict[str, Any], key: str, target: Path_, spec: Mapping[str, str | None],
                     dates: str = "range", offset: int = 0) -> list[dict[str, Any]]:
        out: list[dict[str, Any]] = []
        for src, item in self.items(data, key):
            dst = target + (offset + len(out),)
            entry = self.fields(item, src, dst, spec, key)
            if entry is None:
                continue
            if dates == "range":
                self.dates(item, src, dst, entry)
            out.append(entry)
            self.link(dst, src, deep=False)
            self.finish(key, item, src, dst, entry)
        return out

    def finish(self, key: str, item: dict[str, Any], src: Path_, dst: Path_, entry: dict[str, Any]) -> None:
        """Per-section details that are more than a key rename."""
        if key == "work" and self.present(item.get("description")):
            if "summary" in entry:
                self.lost(src + ("description",), item["description"],
                          "cvrender positions have one summary and it is taken by 'summary'")
            else:
                entry["summary"] = item["description"]
                self.link(dst + ("summary",), src + ("description",))
        elif key == "projects":
            roles = item.get("roles")
            if self.present(roles):
                roles = self.text_list(roles, src + ("roles",))
                if roles is not None:
                    entry["role"] = ", ".join(str(r) for r in roles)
                    self.link(dst + ("role",), src + ("roles",))
            for lost in ("keywords", "entity", "type"):
                if self.present(item.get(lost)):
                    self.lost(src + (lost,), item[lost], f"cvrender projects have no '{lost}'")
        elif key in ("presentations", "teaching", "portfolio"):
            if "start" not in entry and "date" not in entry:
                self.single_date(item, ("date",), src, dst, entry)
            description = item.get("description")
            if self.present(description) and isinstance(description, str):
                text, dropped = html_text(description)
                if dropped:
                    self.lost(src + ("description",), description, f"{dropped} in HTML cannot be printed")
                if not text:
                    pass
                elif key == "teaching":
                    entry["highlights"] = [text]
                    self.link(dst + ("highlights", 0), src + ("description",))
                elif key == "portfolio" and "summary" not in entry:
                    entry["summary"] = text
                    self.link(dst + ("summary",), src + ("description",))
                else:
                    self.lost(src + ("description",), description, "cvrender prints a talk on one line")
            if key == "portfolio" and self.present(item.get("category")):
                self.note(src + ("category",), f"listed under Projects (category {item['category']!r})")

    def awards(self, data: dict[str, Any]) -> list[dict[str, Any]]:
        out: list[dict[str, Any]] = []
        merged: dict[tuple[Any, ...], dict[str, Any]] = {}
        for src, item in self.items(data, "awards"):
            dst: Path_ = ("awards", len(out))
            entry = self.fields(item, src, dst, _AWARDS, "awards")
            if entry is None:
                continue
            date_key = next((k for k in ("date", "awardDate") if self.present(item.get(k))), None)
            date = item.get(date_key) if date_key else None
            if isinstance(date, str | int) and _YEAR_ONLY.match(str(date)):
                # Awards won in several years come from cvrender as one entry per year.
                same = (entry.get("title"), entry.get("issuer"), entry.get("note"))
                if same in merged:
                    merged[same]["year"].append(int(date))
                    continue
                entry["year"] = [int(date)]
                merged[same] = entry
                self.link(dst + ("year",), src + (date_key,))  # type: ignore[operator]
            elif date is not None:
                entry["date"] = self.day_one(date)
                self.link(dst + ("date",), src + (date_key,))  # type: ignore[operator]
            else:
                start_key = next((k for k in ("startDate", "startdate") if self.present(item.get(k))), "startDate")
                end_key = next((k for k in ("endDate", "enddate") if self.present(item.get(k))), "endDate")
                self.dates(item, src, dst, entry, start_key, end_key)
                if "start" in entry:
                    start, end = entry.pop("start"), entry.pop("end")
                    # an award with a start only was given then; it does not run to the present
                    given_end = self.present(item.get(end_key))
                    entry["date"] = {"start": start, "end": end} if given_end else start
                    self.link(dst + ("date",), src + (start_key,))
                    self.link(dst + ("date", "start"), src + (start_key,))
                    self.link(dst + ("date", "end"), src + (end_key,))
            self.link(dst, src, deep=False)
            out.append(entry)
        return out

    def certificates(self, data: dict[str, Any], dst: Path_) -> list[dict[str, Any]]:
        out: list[dict[str, Any]] = []
        for src, item in self.items(data, "certificates"):
            edst = dst + (len(out),)
            entry = self.fields(item, src, edst, _CERTIFICATES, "certificates")
            if entry is None:
                continue
            self.single_date(item, ("date",), src, edst, entry)
            self.link(edst, src)
            out.append(entry)
        return out

    def publications(self, data: dict[str, Any]) -> list[dict[str, Any]]:
        out: list[dict[str, Any]] = []
        for src, item in self.items(data, "publications"):
            dst: Path_ = ("publications", len(out))
            entry = self.fields(item, src, dst, _PUBLICATIONS, "publications")
            if entry is None:
                continue
            released = item.get("releaseDate")
            if self.present(released):
                if isinstance(released, str | int) and _YEAR_ONLY.match(str(released)):
                    entry["year"] = int(released)
                    self.link(dst + ("year",), src + ("releaseDate",))
                else:
                    entry["date"] = self.day_one(released)
                    self.link(dst + ("date",), src + ("releaseDate",))
            if self.present(item.get("summary")):
                entry["note"] = [item["summary"]]
                self.link(dst + ("note", 0), src + ("summary",))
                self.link(dst + ("note",), src + ("summary",))
            self.link(dst, src, deep=False)
            out.append(entry)
        return out

    def skills(self, data: dict[str, Any]) -> list[dict[str, Any]]:
        out: list[dict[str, Any]] = []
        for src, item in self.items(data, "skills"):
            dst: Path_ = ("skills", len(out))
            entry = self.fields(item, src, dst, _SKILLS, "skills")
            if entry is None:
                continue
            keywords = item.get("keywords")
            level = item.get("level")
            if self.present(keywords):
                keywords = self.text_list(keywords, src + ("keywords",))
                if keywords is None:
                    continue
                entry["items"] = keywords
                self.link(dst + ("items",), src + ("keywords",))
                if self.present(level):
                    self.lost(src + ("level",), level, "cvrender skill groups list keywords without a level")
            elif self.present(level):
                entry["items"] = [level]
                self.link(dst + ("items", 0), src + ("level",))
                self.link(dst + ("items",), src + ("level",))
            else:
                entry["items"] = []
            self.link(dst, src, deep=False)
            out.append(entry)
        return out

    @staticmethod
    def about_research(items: Any) -> bool:
        """True when the interests are research topics, not hobbies: topics without keywords (as
        cvrender writes research interests), or mostly research words (al-folio sites)."""
        entries = [item for item in items if isinstance(item, dict)]
        if any(not item.get("keywords") for item in entries):
            return True
        words = [str(v) for item in entries for v in [item.get("name"), *(item.get("keywords") or [])] if v]
        return bool(words) and sum(bool(_RESEARCH.search(w)) for w in words) * 2 >= len(words)

    def interests(self, data: dict[str, Any]) -> list[dict[str, Any]]:
        out: list[dict[str, Any]] = []
        for src, item in self.items(data, "interests"):
            entry = self.fields(item, src, ("interests", len(out)), _INTERESTS, "interests")
            if entry is None:
                continue
            keywords = item.get("keywords")
            if self.present(keywords):
                keywords = self.text_list(keywords, src + ("keywords",))
                if keywords is None:
                    continue
                dst: Path_ = ("interests", len(out))
                out.append({"label": item["name"], "items": keywords})
                self.link(dst, src, deep=False)
                self.link(dst + ("label",), src + ("name",))
                self.link(dst + ("items",), src + ("keywords",))
            elif out and "label" not in out[-1]:
                # Interests without keywords read as one list, as cvrender writes them.
                dst = ("interests", len(out) - 1, "items", len(out[-1]["items"]))
                out[-1]["items"].append(item["name"])
                self.link(dst, src + ("name",))
            else:
                dst = ("interests", len(out))
                out.append({"items": [item["name"]]})
                self.link(dst, src, deep=False)
                self.link(dst + ("items", 0), src + ("name",))
        return out

    def custom(self, data: dict[str, Any], key: str, index: int) -> dict[str, Any] | None:
        dst: Path_ = ("sections", index, "entries")
        if key == "volunteer":
            entries = self.list_section(data, "volunteer", dst, _VOLUNTEER)
        elif key == "certificates":
            entries = self.certificates(data, dst)
        else:
            entries = self.list_section(data, "references", dst, _REFERENCES, dates="none")
        if not entries:
            return None
        self.link(("sections", index), (key,), deep=False)
        return {"id": key, "title": self.titles.get(key, key.title()), "entries": entries}

    # ----- whole document ------------------------------------------------------------------------
    def read(self) -> dict[str, Any]:
        data = self.src.data
        out: dict[str, Any] = {}
        self.basics(data, out)
        sections: list[dict[str, Any]] = []
        order: list[str] = ["about"] if "summary" in out else []
        simple: dict[str, tuple[str, Mapping[str, str | None]]] = {
            "work": ("experience", _WORK), "education": ("education", _EDUCATION),
            "languages": ("languages", _LANGUAGES), "projects": ("projects", _PROJECTS),
            "presentations": ("talks", _PRESENTATIONS), "teaching": ("teaching", _TEACHING),
            "portfolio": ("projects", _PORTFOLIO)}
        for key in data:
            if key in ("basics", "$schema"):
                continue
            if key == "meta":
                if self.present(data[key]):
                    self.lost((key,), data[key], "'meta' describes the document, not the CV")
                continue
            if key not in _SECTION_ORDER:
                if self.present(data[key]):
                    self.lost((key,), data[key], f"'{key}' is not a JSON Resume 1.x section")
                continue
            value: Any
            if key in simple:
                target, spec = simple[key]
                before = out.get(target, [])
                value = before + self.list_section(data, key, (target,), spec, offset=len(before),
                                                   dates="none" if key == "languages" else "range")
            elif key == "awards":
                target, value = "awards", self.awards(data)
            elif key == "publications":
                target, value = "publications", self.publications(data)
            elif key == "skills":
                target, value = "skills", self.skills(data)
            elif key == "interests":
                target, value = "interests", self.interests(data)
                if value and not self.about_research(data["interests"]):
                    # JSON Resume interests are mostly what people do besides work: "Interests"
                    out.setdefault("titles", {})["interests"] = self.titles.get("hobbies", "Interests")
            else:
                section = self.custom(data, key, len(sections))
                if section is not None:
                    sections.append(tidy(section))
                    order.append(key)
                    if "sections" not in out:
                        out["sections"] = sections
                continue
            if value:
                out[target] = tidy(value)
                if target not in order:
                    order.append(target)
                self.link((target,), (key,), deep=False)
        if sections and _custom_split(order, [s["id"] for s in sections]):
            out["section_order"] = order
        return out


class _TextOnly(HTMLParser):
    """The text of an HTML fragment; ``<br>`` is a space; what cannot be printed (images) is counted."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.dropped: list[str] = []

    def handle_starttag(self, tag: str, attrs: Any) -> None:
        if tag in ("br", "p", "li", "div"):
            self.parts.append(" ")
        elif tag in ("img", "video", "iframe", "object", "embed"):
            self.dropped.append(tag)

    def handle_data(self, data: str) -> None:
        self.parts.append(data)


def html_text(value: str) -> tuple[str, str]:
    """The text of ``value`` (HTML tags removed) and a description of what was dropped ('' if nothing)."""
    if "<" not in value:
        return value, ""
    parser = _TextOnly()
    parser.feed(value)
    parser.close()
    dropped = ", ".join(f"<{tag}>" for tag in dict.fromkeys(parser.dropped))
    return " ".join("".join(parser.parts).split()), dropped


def _custom_split(order: list[str], custom: list[str]) -> bool:
    """True when custom sections are not next to each other in ``order`` (so 'sections' cannot hold them)."""
    positions = [order.index(c) for c in custom]
    return max(positions) - min(positions) + 1 != len(custom)


def convert(located: Located, locale: str | None = None) -> Conversion:
    """Convert a located JSON Resume document into a validated profile and a list of what was lost.

    Raises :class:`ProfileError` listing every problem with ``file:line:col`` and its JSON Resume path.
    """
    reader = _Reader(located, locale)
    return reader.validate(reader.read())


def to_profile(located: Located) -> Profile:
    """Convert a JSON Resume document to a validated :class:`Profile` (warnings are discarded)."""
    return convert(located).profile


# ----------------------------------------------------------------------------------------------
# profile -> JSON Resume
# ----------------------------------------------------------------------------------------------


class _Losses:
    """What a profile holds that JSON Resume cannot, grouped by field."""

    def __init__(self) -> None:
        self.counts: dict[tuple[str, str], int] = {}
        self.first: dict[tuple[str, str], str] = {}

    def add(self, path: str, why: str) -> None:
        key = (re.sub(r"\[\d+\]", "[*]", path), why)
        self.counts[key] = self.counts.get(key, 0) + 1
        self.first.setdefault(key, path)

    def lines(self) -> list[str]:
        """One line per field and reason; a field lost in several entries is counted, not repeated."""
        out = []
        for (pattern, why), count in self.counts.items():
            if count > 1:
                out.append(f"{pattern} ({count} entries): {why}")
            else:
                out.append(f"{self.first[(pattern, why)]}: {why}")
        return out


def _iso(value: PartialDate, path: str, losses: _Losses) -> str:
    if value.season:
        losses.add(path, f"JSON Resume dates have no seasons; '{value}' is written as {value.year}")
    if value.expected:
        losses.add(path, "JSON Resume dates cannot say 'expected'")
    return value.isoformat()


def _range(value: DateRange | None, path: str, losses: _Losses) -> dict[str, str]:
    """A date range as ``startDate``/``endDate``; an ongoing range has no end; one date is start = end."""
    if value is None:
        return {}
    out: dict[str, str] = {}
    if value.start is not None:
        out["startDate"] = _iso(value.start, path, losses)
    if value.end is None:
        if value.start is not None:
            out["endDate"] = out["startDate"]
    elif isinstance(value.end, PartialDate):
        out["endDate"] = _iso(value.end, path, losses)
    return out


def _drop_empty(entry: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in entry.items() if v not in (None, "", [], {})}


def _lost_fields(obj: Any, path: str, names: tuple[str, ...], why: str, losses: _Losses) -> None:
    for name in names:
        if getattr(obj, name, None) not in (None, "", [], False):
            losses.add(f"{path}.{name}" if path else name, why)


def from_profile(profile: Profile) -> tuple[dict[str, Any], list[str]]:
    """A JSON Resume 1.0 document for ``profile``, and a list of what it could not hold."""
    losses = _Losses()
    p = profile
    basics: dict[str, Any] = {"name": p.name, "label": p.headline, "image": p.photo,
                              "email": p.email[0] if p.email else None, "phone": p.phone,
                              "url": p.website, "summary": p.about}
    if len(p.email) > 1:
        losses.add("email", f"JSON Resume holds one email address; {', '.join(p.email[1:])} left out")
    if p.location:
        basics["location"] = {"city": p.location}
    profiles = []
    for key, (network, pattern) in NETWORKS.items():
        value = getattr(p.links, key)
        if value:
            if re.match(r"^https?://", value):
                profiles.append({"network": network, "url": value})
            else:
                handle = value.lstrip("@")
                profiles.append({"network": network, "username": handle, "url": pattern.format(handle)})
    for custom in p.links.custom:
        profiles.append({"network": custom.label, "url": custom.url})
    basics["profiles"] = profiles
    _lost_fields(p, "", ("native_name",), "JSON Resume has one name", losses)
    _lost_fields(p, "", ("aliases",), "JSON Resume has no other spellings of a name", losses)

    doc: dict[str, Any] = {"$schema": SCHEMA_URL, "basics": _drop_empty(basics)}
    custom_sections = {s.key: s for s in p.sections}
    order = list(p.section_order) if p.section_order else p.default_section_order()
    for key in order:
        if key in custom_sections:
            _custom_to_jr(custom_sections[key], doc, losses)
        elif key in _WRITERS:
            _WRITERS[key](p, doc, losses)
    for key, section in custom_sections.items():
        if key not in order:
            _custom_to_jr(section, doc, losses)
    if p.publications.bibtex:
        losses.add("publications.bibtex", "entries of .bib files are only included when they are merged "
                   "(cvrender convert merges them when it can read them)")
    for name in ("titles", "design", "variants", "section_order", "theme"):
        if getattr(p, name):
            losses.add(name, "presentation settings have no place in JSON Resume")
    if p.locale != "en":
        losses.add("locale", "JSON Resume has no language setting")
    return doc, losses.lines()


def _experience(p: Profile, doc: dict[str, Any], losses: _Losses) -> None:
    work = []
    for i, e in enumerate(p.experience):
        path = f"experience[{i}]"
        work.append(_drop_empty({"name": e.organization, "position": e.role, "url": e.url,
                                 "location": e.location, **_range(e.date, f"{path}.date", losses),
                                 "summary": e.summary, "highlights": list(e.highlights)}))
        _lost_fields(e, path, ("team", "advisors", "collaborators"), "JSON Resume work entries have no such field",
                     losses)
    if work:
        doc["work"] = work


def _education(p: Profile, doc: dict[str, Any], losses: _Losses) -> None:
    items = []
    for i, e in enumerate(p.education):
        path = f"education[{i}]"
        items.append(_drop_empty({"institution": e.institution, "url": e.url, "area": e.field,
                                  "studyType": e.degree, **_range(e.date, f"{path}.date", losses),
                                  "score": e.gpa, "courses": list(e.highlights)}))
        _lost_fields(e, path, ("minor", "department", "location", "advisors", "thesis"),
                     "JSON Resume education entries have no such field", losses)
    if items:
        doc["education"] = items


def _awards(p: Profile, doc: dict[str, Any], losses: _Losses) -> None:
    items: list[dict[str, Any]] = []
    for i, a in enumerate(p.awards):
        path = f"awards[{i}]"
        if a.years:
            # JSON Resume awards carry one date: one entry per year (read back as one award).
            items.extend(_drop_empty({"title": a.title, "date": str(year), "awarder": a.issuer,
                                      "summary": a.note}) for year in a.years)
        else:
            date = _range(a.date, f"{path}.date", losses).get("startDate") if a.date else None
            items.append(_drop_empty({"title": a.title, "date": date, "awarder": a.issuer, "summary": a.note}))
        _lost_fields(a, path, ("native_title", "url"), "JSON Resume awards have no such field", losses)
    if items:
        doc["awards"] = items


def _publications(p: Profile, doc: dict[str, Any], losses: _Losses) -> None:
    items = []
    for i, pub in enumerate(p.publications.items):
        path = f"publications[{i}]"
        if pub.date is not None and pub.date.start is not None:
            released: str | None = _iso(pub.date.start, f"{path}.date", losses)
        else:
            released = str(pub.year) if pub.year else None
        url = pub.url
        if url is None and pub.doi:
            url = f"https://doi.org/{pub.doi}"
        elif url is None and pub.arxiv:
            url = f"https://arxiv.org/abs/{pub.arxiv}"
        items.append(_drop_empty({"name": pub.title, "publisher": pub.venue or pub.venue_short,
                                  "releaseDate": released, "url": url,
                                  "summary": "; ".join(pub.notes) or None}))
        _lost_fields(pub, path, ("authors",), "JSON Resume publications have no authors", losses)
        _lost_fields(pub, path, ("type", "links", "selected", "id"), "JSON Resume publications have no such field",
                     losses)
        if pub.venue and pub.venue_short:
            losses.add(f"{path}.venue_short", "JSON Resume has one publisher; the full venue is kept")
        if pub.doi and url != f"https://doi.org/{pub.doi}":
            losses.add(f"{path}.doi", "JSON Resume publications have one url, already taken")
        if pub.arxiv and url != f"https://arxiv.org/abs/{pub.arxiv}":
            losses.add(f"{path}.arxiv", "JSON Resume publications have one url, already taken")
    if items:
        doc["publications"] = items


def _skills(p: Profile, doc: dict[str, Any], losses: _Losses) -> None:
    if p.skills:
        doc["skills"] = [_drop_empty({"name": s.category, "keywords": list(s.items)}) for s in p.skills]


def _languages(p: Profile, doc: dict[str, Any], losses: _Losses) -> None:
    if p.languages:
        doc["languages"] = [_drop_empty({"language": lang.language, "fluency": lang.level}) for lang in p.languages]


def _interests(p: Profile, doc: dict[str, Any], losses: _Losses) -> None:
    items: list[dict[str, Any]] = []
    for interest in p.interests:
        if interest.label:
            items.append(_drop_empty({"name": interest.label, "keywords": list(interest.items)}))
        else:
            items.extend({"name": item} for item in interest.items)
    if items:
        doc["interests"] = items


def _projects(p: Profile, doc: dict[str, Any], losses: _Losses) -> None:
    items = []
    for i, project in enumerate(p.projects):
        path = f"projects[{i}]"
        roles = [r.strip() for r in project.role.split(",") if r.strip()] if project.role else []
        items.append(_drop_empty({"name": project.name, "description": project.summary,
                                  "highlights": list(project.highlights),
                                  **_range(project.date, f"{path}.date", losses),
                                  "url": project.url, "roles": roles}))
        _lost_fields(project, path, ("links",), "JSON Resume projects have one url", losses)
    if items:
        doc["projects"] = items


def _unsupported(name: str, why: str) -> Any:
    def write(p: Profile, doc: dict[str, Any], losses: _Losses) -> None:
        count = len(getattr(p, name))
        if count:
            losses.add(name, f"{why} ({count} entr{'ies' if count != 1 else 'y'} left out)")
    return write


def _about(p: Profile, doc: dict[str, Any], losses: _Losses) -> None:
    """The summary is written in basics."""


_WRITERS = {
    "about": _about, "experience": _experience, "education": _education, "awards": _awards,
    "publications": _publications, "skills": _skills, "languages": _languages, "interests": _interests,
    "projects": _projects,
    "service": _unsupported("service", "JSON Resume has no academic service section"),
    "teaching": _unsupported("teaching", "JSON Resume has no teaching section"),
    "talks": _unsupported("talks", "JSON Resume has no talks section"),
    "news": _unsupported("news", "JSON Resume has no news section"),
}


def _custom_to_jr(section: Any, doc: dict[str, Any], losses: _Losses) -> None:
    kind = CUSTOM_SECTIONS.get(section.key)
    path = f"sections[{section.key}]"
    if kind is None:
        losses.add(path, f"JSON Resume has no section like '{section.title}' "
                         f"({len(section.entries)} entries left out)")
        return
    items: list[dict[str, Any]] = []
    for i, e in enumerate(section.entries):
        epath = f"{path}.entries[{i}]"
        if kind == "volunteer":
            items.append(_drop_empty({"organization": e.title, "position": e.subtitle, "url": e.url,
                                      **_range(e.date, f"{epath}.date", losses), "summary": e.summary,
                                      "highlights": list(e.highlights)}))
            _lost_fields(e, epath, ("location", "links"), "JSON Resume volunteer entries have no such field", losses)
        elif kind == "certificates":
            dates = _range(e.date, f"{epath}.date", losses)
            items.append(_drop_empty({"name": e.title, "date": dates.get("startDate"), "issuer": e.subtitle,
                                      "url": e.url}))
            _lost_fields(e, epath, ("location", "summary", "highlights", "links"),
                         "JSON Resume certificates have no such field", losses)
        else:
            items.append(_drop_empty({"name": e.title, "reference": e.summary}))
            _lost_fields(e, epath, ("subtitle", "location", "url", "highlights", "links", "date"),
                         "JSON Resume references have no such field", losses)
    if items:
        doc.setdefault(kind, []).extend(items)


__all__ = ["Conversion", "convert", "from_profile", "looks_like_jsonresume", "to_profile"]
