"""Words a CV prints that are not the user's: section titles, "present", "Page X of Y", legends.

Dates are formatted with Babel; everything else comes from the tables below.
"""

from __future__ import annotations

import datetime as _dt
from functools import lru_cache

from babel import Locale, UnknownLocaleError
from babel.dates import format_skeleton

from cvrender.errors import ProfileError
from cvrender.model.dates import PRESENT, DateRange, PartialDate
from cvrender.text import is_cjk

SECTION_TITLES: dict[str, dict[str, str]] = {
    "en": {
        "about": "About", "interests": "Research Interests", "education": "Education",
        "experience": "Experience", "publications": "Publications", "selected_publications": "Selected Publications",
        "awards": "Honors & Awards", "service": "Academic Service", "teaching": "Teaching",
        "talks": "Talks", "news": "News", "projects": "Projects", "skills": "Skills", "languages": "Languages",
        "volunteer": "Volunteering", "certificates": "Certificates", "references": "References", "hobbies": "Interests",
    },
    "zh": {
        "about": "简介", "interests": "研究兴趣", "education": "教育经历", "experience": "工作经历",
        "publications": "发表论文", "selected_publications": "代表性论文", "awards": "荣誉奖项",
        "service": "学术服务", "teaching": "教学经历", "talks": "学术报告", "news": "动态",
        "projects": "项目经历", "skills": "技能", "languages": "语言",
        "volunteer": "志愿服务", "certificates": "证书", "references": "推荐人", "hobbies": "兴趣爱好",
    },
    "zh_Hant": {
        "about": "簡介", "interests": "研究興趣", "education": "教育經歷", "experience": "工作經歷",
        "publications": "發表論文", "selected_publications": "代表性論文", "awards": "榮譽獎項",
        "service": "學術服務", "teaching": "教學經歷", "talks": "學術報告", "news": "動態",
        "projects": "專案經歷", "skills": "技能", "languages": "語言",
        "volunteer": "志願服務", "certificates": "證照", "references": "推薦人", "hobbies": "興趣愛好",
    },
    "ja": {
        "about": "概要", "interests": "研究分野", "education": "学歴", "experience": "職歴",
        "publications": "業績", "selected_publications": "主要業績", "awards": "受賞歴",
        "service": "学会活動", "teaching": "教育歴", "talks": "講演", "news": "ニュース",
        "projects": "プロジェクト", "skills": "スキル", "languages": "語学",
        "volunteer": "ボランティア活動", "certificates": "資格", "references": "推薦者", "hobbies": "趣味",
    },
    "de": {
        "about": "Profil", "interests": "Forschungsinteressen", "education": "Ausbildung",
        "experience": "Berufserfahrung", "publications": "Publikationen",
        "selected_publications": "Ausgewählte Publikationen", "awards": "Auszeichnungen",
        "service": "Akademische Dienste", "teaching": "Lehre", "talks": "Vorträge", "news": "Neuigkeiten",
        "projects": "Projekte", "skills": "Kenntnisse", "languages": "Sprachen",
        "volunteer": "Ehrenamt", "certificates": "Zertifikate", "references": "Referenzen", "hobbies": "Interessen",
    },
    "fr": {
        "about": "Profil", "interests": "Thèmes de recherche", "education": "Formation",
        "experience": "Expérience", "publications": "Publications",
        "selected_publications": "Publications choisies", "awards": "Prix et distinctions",
        "service": "Responsabilités scientifiques", "teaching": "Enseignement", "talks": "Exposés",
        "news": "Actualités", "projects": "Projets", "skills": "Compétences", "languages": "Langues",
        "volunteer": "Bénévolat", "certificates": "Certifications", "references": "Références", "hobbies": "Centres d’intérêt",
    },
    "es": {
        "about": "Perfil", "interests": "Intereses de investigación", "education": "Formación",
        "experience": "Experiencia", "publications": "Publicaciones",
        "selected_publications": "Publicaciones seleccionadas", "awards": "Premios y distinciones",
        "service": "Servicio académico", "teaching": "Docencia", "talks": "Charlas", "news": "Noticias",
        "projects": "Proyectos", "skills": "Habilidades", "languages": "Idiomas",
        "volunteer": "Voluntariado", "certificates": "Certificados", "references": "Referencias", "hobbies": "Intereses",
    },
}

WORDS: dict[str, dict[str, str]] = {
    "en": {"present": "present", "expected": "expected", "page": "Page {page} of {pages}",
           "equal": "equal contribution", "corresponding": "corresponding author",
           "co_first": "co-first author", "student": "student author", "advisee": "advisee",
           "advisors": "Advisors", "advisor": "Advisor", "collaborators": "Collaborators",
           "thesis": "Thesis", "gpa": "GPA", "minor": "Minor", "spring": "Spring", "summer": "Summer",
           "fall": "Fall", "winter": "Winter", "preprint": "Preprint",
           "expected_date": "expected {date}", "season_date": "{season} {year}", "colon": ": ", "courses": "Courses",
           "list_sep": ", ", "comma": ", "},
    "zh": {"present": "至今", "expected": "预计", "page": "第 {page} 页，共 {pages} 页",
           "equal": "同等贡献", "corresponding": "通讯作者", "co_first": "共同第一作者",
           "student": "学生作者", "advisee": "指导学生", "advisors": "导师", "advisor": "导师",
           "collaborators": "合作者", "thesis": "论文", "gpa": "GPA", "minor": "辅修",
           "spring": "春季", "summer": "夏季", "fall": "秋季", "winter": "冬季", "preprint": "预印本",
           "expected_date": "预计 {date}", "season_date": "{year}年{season}", "colon": "：", "courses": "课程",
           "list_sep": "、", "comma": "，"},
    "zh_Hant": {"present": "至今", "expected": "預計", "page": "第 {page} 頁，共 {pages} 頁",
                "equal": "同等貢獻", "corresponding": "通訊作者", "co_first": "共同第一作者",
                "student": "學生作者", "advisee": "指導學生", "advisors": "導師", "advisor": "導師",
                "collaborators": "合作者", "thesis": "論文", "gpa": "GPA", "minor": "輔修",
                "spring": "春季", "summer": "夏季", "fall": "秋季", "winter": "冬季", "preprint": "預印本",
                "expected_date": "預計 {date}", "season_date": "{year}年{season}", "colon": "：", "courses": "課程",
                "list_sep": "、", "comma": "，"},
    "ja": {"present": "現在", "expected": "見込み", "page": "{page} / {pages} ページ",
           "equal": "同等貢献", "corresponding": "責任著者", "co_first": "共同筆頭著者",
           "student": "学生著者", "advisee": "指導学生", "advisors": "指導教員", "advisor": "指導教員",
           "collaborators": "共同研究者", "thesis": "学位論文", "gpa": "GPA", "minor": "副専攻",
           "spring": "春", "summer": "夏", "fall": "秋", "winter": "冬", "preprint": "プレプリント",
           "expected_date": "{date}（見込み）", "season_date": "{year}年{season}", "colon": "：", "courses": "履修科目",
           "list_sep": "、", "comma": "、"},
    "de": {"present": "heute", "expected": "voraussichtlich", "page": "Seite {page} von {pages}",
           "equal": "gleicher Beitrag", "corresponding": "korrespondierender Autor",
           "co_first": "geteilte Erstautorschaft", "student": "studentischer Autor", "advisee": "betreut",
           "advisors": "Betreuer", "advisor": "Betreuer", "collaborators": "Kooperationspartner",
           "thesis": "Abschlussarbeit", "gpa": "Note", "minor": "Nebenfach", "spring": "Frühjahr",
           "summer": "Sommer", "fall": "Herbst", "winter": "Winter", "preprint": "Preprint",
           "expected_date": "voraussichtlich {date}", "season_date": "{season} {year}", "colon": ": ", "courses": "Kurse"},
    "fr": {"present": "aujourd’hui", "expected": "prévu", "page": "Page {page} sur {pages}",
           "equal": "contribution égale", "corresponding": "auteur correspondant",
           "co_first": "co-premier auteur", "student": "auteur étudiant", "advisee": "encadré",
           "advisors": "Directeurs", "advisor": "Directeur", "collaborators": "Collaborateurs",
           "thesis": "Thèse", "gpa": "Moyenne", "minor": "Mineure", "spring": "Printemps",
           "summer": "Été", "fall": "Automne", "winter": "Hiver", "preprint": "Prépublication",
           "expected_date": "{date} (prévu)", "season_date": "{season} {year}", "colon": " : ", "courses": "Cours"},
    "es": {"present": "actualidad", "expected": "previsto", "page": "Página {page} de {pages}",
           "equal": "contribución igual", "corresponding": "autor de correspondencia",
           "co_first": "coprimer autor", "student": "autor estudiante", "advisee": "dirigido",
           "advisors": "Directores", "advisor": "Director", "collaborators": "Colaboradores",
           "thesis": "Tesis", "gpa": "Nota media", "minor": "Especialidad secundaria",
           "spring": "Primavera", "summer": "Verano", "fall": "Otoño", "winter": "Invierno",
           "preprint": "Preprint",
           "expected_date": "{date} (previsto)", "season_date": "{season} {year}", "colon": ": ", "courses": "Cursos"},
}

CJK_LANGS = ("zh", "ja", "ko")


# biblatex's localisation keys that a .bib ``type`` field (or an entry type) names, and the words
# the reader adds (``origdate``); other languages fall back to English.
BIB_WORDS: dict[str, dict[str, str]] = {
    "en": {"mathesis": "Master's thesis", "phdthesis": "PhD thesis", "candthesis": "Candidate thesis",
           "thesis": "Thesis", "techreport": "Technical report", "resreport": "Research report",
           "report": "Report", "software": "Computer software", "datacd": "CD-ROM", "audiocd": "Audio CD",
           "patent": "Patent", "patentus": "U.S. patent", "patenteu": "European patent",
           "patentde": "German patent", "patentfr": "French patent", "patentuk": "British patent",
           "patreq": "Patent request", "patrequs": "U.S. patent request", "patreqeu": "European patent request",
           "patreqde": "German patent request", "patreqfr": "French patent request",
           "patrequk": "British patent request", "origdate": "first published {year}"},
    "zh": {"mathesis": "硕士学位论文", "phdthesis": "博士学位论文", "candthesis": "副博士学位论文",
           "thesis": "学位论文", "techreport": "技术报告", "resreport": "研究报告", "report": "报告",
           "software": "计算机软件", "datacd": "光盘", "audiocd": "音频光盘", "patent": "专利",
           "patentus": "美国专利", "patenteu": "欧洲专利", "patentde": "德国专利", "patentfr": "法国专利",
           "patentuk": "英国专利", "patreq": "专利申请", "patrequs": "美国专利申请",
           "patreqeu": "欧洲专利申请", "patreqde": "德国专利申请", "patreqfr": "法国专利申请", "patrequk": "英国专利申请",
           "origdate": "初版于{year}年"},
}


def bib_word(key: str, code: str = "en") -> str | None:
    """The word for a biblatex localisation key (``mathesis`` -> Master's thesis) in ``code``, or None."""
    lang = "zh" if table_key(code).startswith("zh") else "en"
    return BIB_WORDS[lang].get(key.strip().lower())


@lru_cache(maxsize=32)
def babel_locale(code: str) -> Locale:
    """The Babel locale for ``en``, ``zh``, ``zh-Hant``, ``de_DE``..."""
    try:
        return Locale.parse(code.replace("-", "_"))
    except (UnknownLocaleError, ValueError):
        raise ProfileError(f"locale: '{code}' is not a known locale (try en, zh, zh-Hant, ja, de, fr, es)") from None


def table_key(code: str) -> str:
    """The key of our tables for a locale code (``zh_Hant_TW`` -> ``zh_Hant``)."""
    loc = babel_locale(code)
    if loc.language == "zh" and (loc.script == "Hant" or loc.territory in ("TW", "HK", "MO")):
        return "zh_Hant"
    return loc.language if loc.language in WORDS else "en"


class Translator:
    """Words and dates in one locale."""

    def __init__(self, code: str = "en"):
        self.code = code
        self.locale = babel_locale(code)
        self.key = table_key(code)
        self.words = {**WORDS["en"], **WORDS[self.key]}
        self.titles = {**SECTION_TITLES["en"], **SECTION_TITLES[self.key]}

    @property
    def is_cjk(self) -> bool:
        """True for Chinese, Japanese and Korean."""
        return self.locale.language in CJK_LANGS

    @property
    def html_lang(self) -> str:
        """BCP 47 language tag for HTML and PDF metadata."""
        return str(self.locale).replace("_", "-")

    def display_names(self, name: str, native_name: str | None) -> tuple[str, str]:
        """The name to print first and the one beside it.

        A Chinese, Japanese or Korean CV leads with the name in its own script and order
        (许润昕, then Runxin Xu); other locales lead with ``name``.
        """
        native = (native_name or "").strip()
        if self.is_cjk and native:
            return native, name
        return name, native

    def label(self, key: str) -> str:
        """A translated word followed by the locale's colon: ``Advisor: `` or ``导师：``."""
        return self.word(key) + self.word("colon")

    def join(self, items: list[str], kind: str = "list_sep") -> str:
        """Items joined the locale's way: ``a, b, c`` or ``甲、乙、丙`` (``kind="comma"``: ``a, b`` / ``甲，乙``).

        A full-width separator goes only between two CJK words: ``Ph.D., Computer Science`` stays
        Latin in a Chinese CV, ``博士，计算机科学`` does not."""
        out = ""
        for item in items:
            out = out + self.separator(kind, out, item) + item if out else item
        return out

    def separator(self, kind: str, left: str, right: str) -> str:
        """The locale's ``kind`` separator between ``left`` and ``right``; the English one when the
        locale's is full-width and the text on either side of it is not CJK."""
        sep = self.word(kind)
        if not is_cjk(sep) or (left and right and is_cjk(left.rstrip()[-1:]) and is_cjk(right.lstrip()[:1])):
            return sep
        return WORDS["en"].get(kind, sep)

    def line_joiner(self, text: str, detail: str) -> str:
        """What goes between a one-line item and its detail: ``Talk, Venue``; nothing but a space
        after a title that ends in its own ``?`` or ``!`` (``Abstain? Cambridge``)."""
        if text.rstrip()[-1:] in ("?", "!", "？", "！"):
            return "" if is_cjk(text.rstrip()[-1:]) else " "
        return self.separator("comma", text, detail)

    def word(self, key: str, **kwargs: object) -> str:
        """A translated word or phrase."""
        return self.words.get(key, key).format(**kwargs)

    def date(self, value: PartialDate | str | None) -> str:
        """``Sep 2020``, ``2020年9月``, ``Fall 2020``, ``present``..."""
        if value is None:
            return ""
        if value == PRESENT or isinstance(value, str):
            return self.word("present")
        if value.season:
            text = self.word("season_date", season=self.word(value.season), year=value.year)
        elif value.month and value.day:
            text = format_skeleton("yMMMd", _dt.date(value.year, value.month, value.day), locale=self.locale)
        elif value.month:
            text = format_skeleton("yMMM", _dt.date(value.year, value.month, 1), locale=self.locale)
        else:
            text = str(value.year)
        if value.expected:
            text = self.word("expected_date", date=text)
        return text

    def date_range(self, value: DateRange | None) -> str:
        """``Sep 2020 – Jun 2023``; a single date prints alone."""
        if value is None:
            return ""
        if value.end is None:
            return self.date(value.start)
        if value.start is None:
            return self.date(value.end)
        return f"{self.date(value.start)} – {self.date(value.end)}"

    def years(self, years: list[int]) -> str:
        """``2018, 2019, 2021``; consecutive runs of three or more become ``2019–2021``."""
        return format_years(years)


def format_years(years: list[int]) -> str:
    """``[2018, 2019, 2021]`` -> ``2018, 2019, 2021``; ``[2021, 2022, 2023]`` -> ``2021–2023``."""
    ordered = sorted(set(years))
    runs: list[list[int]] = []
    for year in ordered:
        if runs and year == runs[-1][-1] + 1:
            runs[-1].append(year)
        else:
            runs.append([year])
    parts: list[str] = []
    for run in runs:
        if len(run) >= 3:
            parts.append(f"{run[0]}–{run[-1]}")
        else:
            parts.extend(str(y) for y in run)
    return ", ".join(parts)
