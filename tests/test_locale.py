"""Locales: translated titles, dates and labels in seven languages; multi-language fields picked
before validation (with line numbers kept); CJK names in their native order."""

from __future__ import annotations

import unicodedata
from pathlib import Path

import pytest
from click.testing import CliRunner
from conftest import EXAMPLES, TODAY, pdf_text, squash

import cvrender
from cvrender.cli import main
from cvrender.context.words import Translator
from cvrender.errors import ProfileError
from cvrender.model.dates import parse_date, parse_range
from cvrender.sources.loading import load_profile, load_text
from cvrender.sources.localize import choose_key, localize
from cvrender.sources.yamlfile import load_located

BILINGUAL = EXAMPLES / "bilingual.yaml"

# locale -> (education title, "present", "Sep 2020" in that locale, page label for page 1 of 2)
LOCALES = {
    "en": ("Education", "present", "Sep 2020", "Page 1 of 2"),
    "zh": ("教育经历", "至今", "2020年9月", "第 1 页，共 2 页"),
    "zh-Hant": ("教育經歷", "至今", "2020年9月", "第 1 頁，共 2 頁"),
    "ja": ("学歴", "現在", "2020年9月", "1 / 2 ページ"),
    "de": ("Ausbildung", "heute", "Sept. 2020", "Seite 1 von 2"),
    "fr": ("Formation", "aujourd’hui", "sept. 2020", "Page 1 sur 2"),
    "es": ("Formación", "actualidad", "sept 2020", "Página 1 de 2"),
}


@pytest.mark.parametrize("code", list(LOCALES))
def test_translator_words_and_dates(code: str) -> None:
    title, present, month, page = LOCALES[code]
    t = Translator(code)
    assert t.titles["education"] == title
    assert t.date_range(parse_range("Sep 2020 - present")) == f"{month} – {present}"
    assert t.word("page", page=1, pages=2) == page
    assert t.date(parse_date("expected Sep 2020")) != month and month in t.date(parse_date("expected Sep 2020"))
    if code != "en":
        english = Translator("en")
        for role in ("equal", "corresponding"):
            assert t.word(role) != english.word(role)  # the publications legend is translated too


def test_expected_and_seasons_follow_each_language() -> None:
    assert Translator("en").date(parse_date("expected Jul 2025")) == "expected Jul 2025"
    assert Translator("zh").date(parse_date("expected Jul 2025")) == "预计 2025年7月"
    assert Translator("ja").date(parse_date("expected Jul 2025")) == "2025年7月（見込み）"
    assert Translator("fr").date(parse_date("expected Jul 2025")) == "juil. 2025 (prévu)"
    assert Translator("zh").date(parse_date("Fall 2019")) == "2019年秋季"
    assert Translator("de").date(parse_date("Fall 2019")) == "Herbst 2019"


def test_cjk_locales_lead_with_the_native_name() -> None:
    assert Translator("zh").display_names("Runxin Xu", "许润昕") == ("许润昕", "Runxin Xu")
    assert Translator("ja").display_names("Taro Yamada", "山田太郎") == ("山田太郎", "Taro Yamada")
    assert Translator("en").display_names("Runxin Xu", "许润昕") == ("Runxin Xu", "许润昕")
    assert Translator("zh").display_names("Runxin Xu", None) == ("Runxin Xu", "")


def test_unknown_locale_is_a_one_line_error() -> None:
    with pytest.raises(ProfileError) as caught:
        Translator("xx-nope")
    assert "xx-nope" in str(caught.value) and "\n" not in str(caught.value)


@pytest.mark.parametrize("code", list(LOCALES))
def test_every_locale_translates_section_titles_in_the_html(code: str) -> None:
    profile = {"name": "Ada Lovelace", "education": [{"institution": "University of London", "date": "Sep 2020 - present"}],
               "experience": [{"organization": "Engine Co", "date": "2021"}]}
    html = cvrender.render_source(profile, locale=code, today=TODAY)
    title, present, month, _page = LOCALES[code]
    assert title in html and Translator(code).titles["experience"] in html
    assert f"{month} – {present}" in html


# ----- multi-language fields ------------------------------------------------------------------

MULTI = """\
name: {en: Wei Lin, zh: 林伟}
headline:
  en: PhD student
  zh: 博士研究生
education:
  - institution:
      en: Peking University
      zh: 北京大学
    date:
      en: Sep 2021 - present
      zh: Smarch 2021
variants:
  en: {sections: [education]}
  zh: {sections: [education]}
links:
  custom: {pdf: "https://example.org/cv.pdf", doi: "https://doi.org/10.1/x"}
"""


def test_localize_picks_the_language_and_keeps_lines() -> None:
    located = load_located(MULTI, "multi.yaml")
    english, notes = localize(located, "en")
    assert english.data["name"] == "Wei Lin"
    assert english.data["education"][0]["institution"] == "Peking University"
    assert english.where(("education", 0, "institution")) == (7, 11)
    assert english.where(("headline",)) == (3, 7)
    assert set(english.data["variants"]) == {"en", "zh"}  # variant names are not languages
    assert set(english.data["links"]["custom"]) == {"pdf", "doi"}  # nor are link labels
    assert notes == []
    chinese, _ = localize(located, "zh")
    assert chinese.data["headline"] == "博士研究生"
    assert chinese.where(("education", 0, "date")) == (11, 11)


def test_a_problem_in_the_chosen_language_points_at_its_line(tmp_path: Path) -> None:
    path = tmp_path / "multi.yaml"
    path.write_text(MULTI, encoding="utf-8")
    assert load_profile(path, "en").profile.education[0].institution == "Peking University"
    with pytest.raises(ProfileError) as caught:
        load_profile(path, "zh")
    (problem,) = caught.value.problems
    assert (problem.line, problem.column) == (11, 11) and problem.key_path == "education[0].date"


def test_missing_language_falls_back_to_english_with_a_warning() -> None:
    loaded = load_profile({"name": "Wei Lin", "locale": "zh", "headline": {"en": "PhD student", "de": "Doktorand"}})
    assert loaded.profile.headline == "PhD student"
    (note,) = loaded.warnings
    assert "headline" in note and "'zh'" in note and "using 'en'" in note


def test_the_profiles_own_locale_picks_the_language() -> None:
    loaded = load_text("name: Wei Lin\nlocale: zh\nheadline: {en: PhD student, zh: 博士研究生}\n", "p.yaml")
    assert loaded.profile.headline == "博士研究生"


@pytest.mark.parametrize(("wanted", "keys", "expected"), [
    ("zh-Hant", ["zh", "zh-Hant", "en"], "zh-Hant"),
    ("zh-Hant", ["zh_TW", "zh_CN"], "zh_TW"),
    ("zh", ["zh-TW", "zh-CN"], "zh-CN"),
    ("zh-Hant", ["zh", "en"], "zh"),
    ("en-GB", ["en-US", "en-GB"], "en-GB"),
    ("de", ["en", "fr"], "en"),
    ("de", ["fr", "es"], "fr"),
])
def test_choose_key(wanted: str, keys: list[str], expected: str) -> None:
    assert choose_key(keys, wanted)[0] == expected


def test_json_resume_fields_may_hold_several_languages_too(tmp_path: Path) -> None:
    path = tmp_path / "resume.json"
    path.write_text('{"basics": {"name": {"en": "Wei Lin", "zh": "林伟"}}, '
                    '"work": [{"name": {"en": "Example Lab", "zh": "示例实验室"}, "startDate": "2020-01"}]}',
                    encoding="utf-8")
    loaded = load_profile(path, "zh")
    assert (loaded.profile.name, loaded.profile.experience[0].organization) == ("林伟", "示例实验室")


# ----- one profile, two PDFs ------------------------------------------------------------------


@pytest.fixture(scope="module")
def bilingual_pdfs(tmp_path_factory: pytest.TempPathFactory) -> dict[str, str]:
    folder = tmp_path_factory.mktemp("bilingual")
    texts = {}
    for code in ("en", "zh"):
        result = cvrender.build(BILINGUAL, output=folder / f"cv-{code}.pdf", locale=code, today=TODAY)
        texts[code] = pdf_text(result.pdf_path)
    return texts


def test_bilingual_profile_builds_an_english_cv(bilingual_pdfs: dict[str, str]) -> None:
    text = squash(bilingual_pdfs["en"])
    assert text.startswith("Wei Lin 林伟")
    for expected in ("Education", "Experience", "Publications", "Honors & Awards", "Peking University",
                     "Sep 2021 – expected Jul 2026", "Jan 2024 – present", "Research Intern",
                     "equal contribution", "Page 1 of 2"):
        assert expected in text, expected
    assert "北京大学" not in text and "教育经历" not in text


def test_bilingual_profile_builds_a_chinese_cv(bilingual_pdfs: dict[str, str]) -> None:
    text = squash(bilingual_pdfs["zh"])
    assert text.startswith("林伟 Wei Lin")  # the native name leads
    for expected in ("教育经历", "工作经历", "发表论文", "荣誉奖项", "北京大学", "2021年9月 – 预计 2026年7月",
                     "2024年1月 – 至今", "研究实习生", "同等贡献", "通讯作者", "第 1 页，共 2 页",
                     "Knowing When Translation Fails with Few Examples"):
        assert unicodedata.normalize("NFKC", expected) in text, expected  # pdf_text applies NFKC
    assert "Peking University" not in text and "Education" not in text


def test_cli_locale_option_reaches_the_profile(tmp_path: Path) -> None:
    result = CliRunner().invoke(main, ["build", str(BILINGUAL), "--locale", "zh", "--sections", "education",
                                       "-o", str(tmp_path / "zh.pdf"), "--today", "2026-01-15"])
    assert result.exit_code == 0, result.output
    text = squash(pdf_text(tmp_path / "zh.pdf"))
    assert "教育经历" in text and "武汉大学" in text and "Wuhan University" not in text


def test_convert_with_a_locale_writes_a_one_language_profile(tmp_path: Path) -> None:
    out = tmp_path / "zh.yaml"
    result = CliRunner().invoke(main, ["convert", str(BILINGUAL), "--to", "yaml", "--locale", "zh", "-o", str(out)])
    assert result.exit_code == 0, result.output
    profile = load_profile(out).profile
    assert profile.locale == "zh" and profile.headline == "自然语言处理方向博士研究生"
    assert "{en:" not in out.read_text(encoding="utf-8") and "Peking University" not in out.read_text(encoding="utf-8")
