"""Themes: the manifest and its options, discovery order, entry points, inheritance and
overriding one template, and the ``themes`` / ``theme new`` / ``theme show`` commands."""

from __future__ import annotations

import os
import subprocess
import sys
from importlib import metadata
from pathlib import Path

import pytest
from click.testing import CliRunner
from conftest import BUILTIN_THEMES, ROOT, TODAY, pdf_text, require_tex, squash

import cvrender
from cvrender import theming
from cvrender.api import BuildOptions, default_builder
from cvrender.cli import main
from cvrender.errors import ThemeError
from cvrender.theming import check_option, find_theme, list_themes

BUILTINS = BUILTIN_THEMES  # from the registry; test_builtins_are_registered_through_entry_points checks it
THEME_FOLDERS = sorted(p.name for p in (ROOT / "themes").iterdir() if (p / "theme.yaml").is_file())
ISSUE_OPTIONS = ("paper", "margin", "font_size", "font", "latex_font", "accent", "section_title_style",
                 "date_placement", "page_numbers", "header_layout")

PROFILE = """\
name: Ada Lovelace
headline: Analyst of engines
email: ada@example.org
education:
  - institution: University of London
    degree: Mathematics
    date: 2015 -- 2019
awards:
  - title: Royal Medal of Engines
    year: 2021
"""


def write_profile(folder: Path, text: str = PROFILE) -> Path:
    """A small profile file in ``folder``."""
    path = folder / "cv.yaml"
    path.write_text(text, encoding="utf-8")
    return path


def run(*args: str, cwd: Path | None = None) -> subprocess.CompletedProcess[str]:
    """Run the real ``cvrender`` command line."""
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    return subprocess.run([sys.executable, "-m", "cvrender", *args], capture_output=True, text=True,
                          cwd=cwd, env=env, timeout=120)


def make_theme(folder: Path, name: str, manifest: str = "", templates: dict[str, str] | None = None) -> Path:
    """A theme folder with a manifest and some templates."""
    path = folder / name
    path.mkdir(parents=True)
    (path / "theme.yaml").write_text(f"name: {name}\n{manifest}", encoding="utf-8")
    for rel, text in (templates or {}).items():
        (path / rel).parent.mkdir(parents=True, exist_ok=True)
        (path / rel).write_text(text, encoding="utf-8")
    return path


# ----- the manifest and options ------------------------------------------------------------

@pytest.mark.parametrize("name", BUILTINS)
def test_every_builtin_theme_declares_the_options_of_the_issue(name: str) -> None:
    theme = find_theme(name)
    specs = theme.option_specs
    assert set(ISSUE_OPTIONS) <= set(specs)
    assert specs["paper"].choices == ["a4", "letter"]
    assert theme.description
    assert theme.backends() == ["html", "latex", "typst"]
    for option, spec in specs.items():
        assert spec.description, f"{name}: option {option} has no description"
        assert check_option(option, spec, spec.default) == spec.default


def test_builtin_themes_differ_in_their_defaults() -> None:
    looks = {name: tuple(find_theme(name).resolve_options().get(k) for k in ("font", "accent", "font_size"))
             for name in BUILTINS}
    assert len(set(looks.values())) == len(BUILTINS), looks


@pytest.mark.parametrize(("option", "value", "allowed"), [
    ("paper", "a5", "use one of a4, letter"),
    ("accent", "red", "a colour like #1f3a5f"),
    ("margin", "12", "a length like 18mm"),
    ("page_numbers", "maybe", "true or false"),
    ("section_title_style", "shouting", "use one of rule, smallcaps, plain"),
    ("font", "Evil}Font", "a font family name"),
])
def test_a_bad_option_value_names_the_option_and_the_allowed_values(option: str, value: str, allowed: str,
                                                                      tmp_path: Path) -> None:
    profile = write_profile(tmp_path)
    result = run("build", str(profile), "--set", f"{option}={value}", "-o", str(tmp_path / "out.pdf"))
    assert result.returncode == 2
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert f"--set {option}" in lines[0] and repr(value) in lines[0] and allowed in lines[0]
    assert "Traceback" not in result.stderr
    assert not (tmp_path / "out.pdf").exists()


def test_a_bad_design_value_in_the_profile_points_at_its_line(tmp_path: Path) -> None:
    profile = write_profile(tmp_path, PROFILE + "design:\n  accent: '#123'\n  paper: legal\n")
    result = run("build", str(profile), "-o", str(tmp_path / "out.pdf"))
    assert result.returncode == 2
    assert result.stderr.strip() == f"error: {profile}:13:10: design.paper: 'legal' is not allowed; use one of a4, letter"


def test_an_unknown_option_suggests_the_closest(tmp_path: Path) -> None:
    profile = write_profile(tmp_path)
    result = run("build", str(profile), "--set", "acent=#aa0000", "-o", str(tmp_path / "out.pdf"))
    assert result.returncode == 2
    assert "--set acent: theme 'academic' has no such option; did you mean 'accent'?" in result.stderr


def test_options_change_the_pdf(tmp_path: Path) -> None:
    profile = write_profile(tmp_path)
    letter = cvrender.render_pdf(profile, theme="modern", design={"paper": "letter", "page_numbers": "false"},
                                 today=TODAY)
    a4 = cvrender.render_pdf(profile, theme="modern", today=TODAY)
    from io import BytesIO

    from pypdf import PdfReader

    def size(pdf: bytes) -> tuple[int, int]:
        box = PdfReader(BytesIO(pdf)).pages[0].mediabox
        return round(float(box.width)), round(float(box.height))

    assert size(letter) == (612, 792)
    assert size(a4) == (595, 842)
    assert "Page 1 of 1" in pdf_text(a4)
    assert "Page 1 of 1" not in pdf_text(letter)


def test_set_overrides_the_variant_which_overrides_the_profile(tmp_path: Path) -> None:
    profile = write_profile(tmp_path, PROFILE + "design: {paper: letter, accent: '#123456', margin: 20mm}\n"
                            "variants: {us: {design: {paper: a4, accent: '#654321'}}}\n")
    options = BuildOptions(variant="us", design={"accent": "#ABC"}, today=TODAY)
    css = default_builder().render_source(profile, options).stylesheets[0]
    assert "size: A4" in css and "margin: 20mm" in css
    assert "#aabbcc" in css and "#123456" not in css and "#654321" not in css


def test_colours_are_normalised_and_lists_parsed() -> None:
    spec = find_theme("sidebar").option_specs
    assert check_option("accent", spec["accent"], "#ABC") == "#aabbcc"
    assert check_option("sidebar_sections", spec["sidebar_sections"], "skills, awards") == ("skills", "awards")
    with pytest.raises(ThemeError, match="sidebar_sections"):
        check_option("sidebar_sections", spec["sidebar_sections"], "skills; <b>")
    with pytest.raises(ThemeError, match="a number"):
        check_option("n", theming.OptionSpec(type="number", default=1), "nan")


def test_a_child_manifest_may_change_only_a_default(tmp_path: Path) -> None:
    make_theme(tmp_path, "child", "extends: academic\noptions:\n  accent: {default: '#00aa00'}\n")
    theme = find_theme("child", [tmp_path])
    assert theme.option_specs["accent"].type == "color"
    assert theme.resolve_options()["accent"] == "#00aa00"


@pytest.mark.parametrize(("manifest", "message"), [
    ("options:\n  accent: {default: red}\n", "options.accent: a new option needs type"),
    ("extends: academic\noptions:\n  accent: {default: red}\n", "options.accent.default: 'red' is not allowed"),
    ("extends: academic\noptions:\n  paper: {choices: [a4], default: letter}\n", "options.paper.default"),
    ("options: [1, 2]\n", "options"),
    ("backends: [pdf]\n", "backends.0"),
    ("name: [\n", "theme.yaml:"),
])
def test_a_broken_manifest_is_a_theme_error_naming_the_file(manifest: str, message: str, tmp_path: Path) -> None:
    make_theme(tmp_path, "broken", manifest)
    with pytest.raises(ThemeError, match="theme.yaml") as info:
        find_theme(str(tmp_path / "broken"))
    assert message in str(info.value)


# ----- discovery ---------------------------------------------------------------------------

def test_builtins_are_registered_through_entry_points() -> None:
    text = (ROOT / "pyproject.toml").read_text(encoding="utf-8")
    table = text.split('[project.entry-points."cvrender.themes"]')[1].split("[")[0]
    assert len(THEME_FOLDERS) >= 4
    for name in THEME_FOLDERS:
        assert f'{name} = "cvrender.theming:builtin_theme_path"' in table
    names = [t.name for t in list_themes()]
    assert names[:len(THEME_FOLDERS)] == THEME_FOLDERS
    assert sorted(BUILTINS) == THEME_FOLDERS


class FakeEntryPoint:
    """Just enough of importlib.metadata.EntryPoint for theme discovery; records what is loaded."""

    loaded: list[str] = []

    def __init__(self, name: str, value: str, target: object):
        self.name, self.value, self.group = name, value, theming.ENTRY_POINT_GROUP
        self._target = target
        self.dist = type("Dist", (), {"name": "cvrender-evil-themes"})()

    def load(self) -> object:
        FakeEntryPoint.loaded.append(self.name)
        if isinstance(self._target, Exception):
            raise self._target
        return self._target


def fake_entry_points(monkeypatch: pytest.MonkeyPatch, *extra: FakeEntryPoint) -> list[str]:
    """Add third-party entry points to the installed ones; returns the list of names loaded."""
    real = metadata.entry_points

    def entry_points(**kwargs: str) -> list[object]:
        found: list[object] = list(real(**kwargs))
        if kwargs.get("group") == theming.ENTRY_POINT_GROUP:
            found += extra
        return found

    monkeypatch.setattr(theming.metadata, "entry_points", entry_points)
    monkeypatch.setattr(FakeEntryPoint, "loaded", [])
    return FakeEntryPoint.loaded


def test_a_third_party_theme_is_found_by_name(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    folder = make_theme(tmp_path, "fancy", "description: A fancy theme.\nextends: modern\n")
    fake_entry_points(monkeypatch, FakeEntryPoint("fancy", "fancy_pkg:path", str(folder)))
    theme = find_theme("fancy")
    assert theme.path == folder.resolve() and theme.origin == "package cvrender-evil-themes"
    assert [t.name for t in theme.chain] == ["fancy", "modern", "academic"]
    assert "fancy" in [t.name for t in list_themes()]


def test_a_third_party_cannot_shadow_a_builtin(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    evil = make_theme(tmp_path, "academic", "description: Not the real one.\n",
                      {"html/cv.html.j2": "EVIL", "html/style.css.j2": ""})
    loaded = fake_entry_points(monkeypatch, FakeEntryPoint("academic", "evil:path", str(evil)))
    theme = find_theme("academic")
    assert theme.path == (ROOT / "themes" / "academic").resolve()
    assert theme.origin == "built-in"
    assert loaded == []  # never even imported
    assert [t.name for t in list_themes()].count("academic") == 1


def test_a_broken_third_party_theme_does_not_break_the_others(monkeypatch: pytest.MonkeyPatch) -> None:
    fake_entry_points(monkeypatch, FakeEntryPoint("broken", "broken_pkg:path", ImportError("no module broken_pkg")))
    assert find_theme("modern").name == "modern"
    problems: list[str] = []
    assert "broken" not in [t.name for t in list_themes(problems=problems)]
    assert any("no module broken_pkg" in p for p in problems)
    with pytest.raises(ThemeError, match="theme 'broken' .* failed to load: no module broken_pkg"):
        find_theme("broken")


def test_discovery_order_path_then_themes_folder_then_registered(tmp_path: Path) -> None:
    local = tmp_path / "themes"
    make_theme(local, "modern", "description: my modern\nextends: modern\n")
    elsewhere = make_theme(tmp_path / "x", "modern", "description: by path\nextends: academic\n")
    assert find_theme("modern").origin == "built-in"
    in_folder = find_theme("modern", [local])
    assert in_folder.description == "my modern"
    # a local theme may shadow a built-in and extend it under the same name
    assert [t.origin for t in in_folder.chain] == ["folder", "built-in", "built-in"]
    assert find_theme(str(elsewhere), [local]).description == "by path"
    with pytest.raises(ThemeError, match="unknown theme 'moden'; did you mean 'modern'"):
        find_theme("moden", [local])
    with pytest.raises(ThemeError, match="theme folder './nope' does not exist"):
        find_theme("./nope")


def test_a_theme_that_extends_itself_is_an_error(tmp_path: Path) -> None:
    make_theme(tmp_path, "a", "extends: b\n")
    make_theme(tmp_path, "b", "extends: a\n")
    with pytest.raises(ThemeError, match="extends itself"):
        find_theme("a", [tmp_path])


def test_themes_folder_next_to_the_profile_is_searched(tmp_path: Path) -> None:
    make_theme(tmp_path / "themes", "house", "extends: academic\n",
               {"html/style.css.j2": '{% include "!academic/style.css.j2" %}\n.name { color: #00ff00; }\n'})
    profile = write_profile(tmp_path, PROFILE + "theme: house\n")
    result = run("build", str(profile), "-o", str(tmp_path / "out.pdf"), cwd=ROOT)
    assert result.returncode == 0, result.stderr
    assert "Ada Lovelace" in pdf_text(tmp_path / "out.pdf")


# ----- overriding one template -------------------------------------------------------------

OVERRIDE_HTML = """\
{% extends "!academic/cv.html.j2" %}
{% block header %}
<p class="banner">Curriculum vitae of record</p>
{{ super() }}
{% endblock %}
"""


def test_a_user_theme_overrides_one_template_and_extends_the_parents(tmp_path: Path) -> None:
    make_theme(tmp_path, "mine", "extends: academic\ndescription: one template changed\n",
               {"html/cv.html.j2": OVERRIDE_HTML})
    profile = write_profile(tmp_path)
    out = tmp_path / "out.pdf"
    result = run("build", str(profile), "--theme", str(tmp_path / "mine"), "-o", str(out), "--today", "2026-01-15")
    assert result.returncode == 0, result.stderr
    text = squash(pdf_text(out))
    assert text.startswith("Curriculum vitae of record Ada Lovelace")
    assert "Royal Medal of Engines" in text and "Education" in text  # the rest is academic's


def test_an_overridden_macro_file_is_used_by_the_parents_document(tmp_path: Path) -> None:
    macros = (ROOT / "themes/academic/html/macros.html.j2").read_text(encoding="utf-8")
    changed = macros.replace('<span class="line-text">', '<span class="line-text">★ ')
    assert changed != macros
    make_theme(tmp_path, "stars", "extends: academic\n", {"html/macros.html.j2": changed})
    html = cvrender.render_source(write_profile(tmp_path), theme=str(tmp_path / "stars"), today=TODAY)
    assert "★ Royal Medal of Engines" in html


def test_a_template_error_names_the_theme_file_and_line(tmp_path: Path) -> None:
    make_theme(tmp_path, "typo", "extends: academic\n",
               {"html/cv.html.j2": '{% extends "!academic/cv.html.j2" %}\n{% block header %}\n{{ cv.headr }}\n{% endblock %}\n'})
    profile = write_profile(tmp_path)
    result = run("build", str(profile), "--theme", str(tmp_path / "typo"), "-o", str(tmp_path / "o.pdf"))
    assert result.returncode == 2
    assert "theme 'typo'" in result.stderr and "cv.html.j2:3" in result.stderr and "headr" in result.stderr
    assert "Traceback" not in result.stderr


# ----- commands ----------------------------------------------------------------------------

def test_themes_lists_four_themes_with_descriptions_and_backends(tmp_path: Path) -> None:
    result = CliRunner().invoke(main, ["themes", "--dir", str(tmp_path)], terminal_width=200)
    assert result.exit_code == 0, result.output
    rows: dict[str, str] = {}
    for line in result.output.splitlines()[1:]:
        if line.strip() and not line.startswith("  "):  # not a wrapped description's next line
            rows.setdefault(line.split()[0], line)
    for name in BUILTINS:
        assert "html, latex, typst" in rows[name] and "built-in" in rows[name]
        assert find_theme(name).description[:30] in rows[name]


def test_themes_lists_each_folder_once(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(ROOT)  # ./themes here is the built-in folder itself
    result = CliRunner().invoke(main, ["themes"], terminal_width=200)
    names = [line.split()[0] for line in result.output.splitlines()[1:] if line.strip() and line[1] != " "]
    assert sorted(names) == THEME_FOLDERS


def test_theme_show_lists_options_with_defaults_and_choices() -> None:
    result = CliRunner().invoke(main, ["theme", "show", "compact"], terminal_width=200)
    assert result.exit_code == 0, result.output
    assert "extends: compact -> academic" in result.output
    paper = next(line for line in result.output.splitlines() if line.strip().startswith("paper "))
    assert "a4" in paper and "a4, letter" in paper
    assert "9.5pt" in result.output


def test_theme_new_scaffolds_a_theme_that_builds(tmp_path: Path) -> None:
    result = run("theme", "new", "lab", "--from", "modern", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    folder = tmp_path / "themes" / "lab"
    assert {p.relative_to(folder).as_posix() for p in folder.rglob("*") if p.is_file()} == {
        "theme.yaml", "html/cv.html.j2", "html/style.css.j2", "latex/cv.tex.j2", "typst/cv.typ.j2",
        "web/screen.css.j2"}
    manifest = (folder / "theme.yaml").read_text(encoding="utf-8")
    assert "extends: modern" in manifest and "accent: {default: '#0b6e99'}" in manifest
    write_profile(tmp_path, PROFILE + "theme: lab\n")
    built = run("build", "cv.yaml", "-o", "out.pdf", cwd=tmp_path)
    assert built.returncode == 0, built.stderr
    assert "Ada Lovelace" in pdf_text(tmp_path / "out.pdf")
    built = run("build", "cv.yaml", "-b", "typst", "-o", "typst.pdf", cwd=tmp_path)
    assert built.returncode == 0, built.stderr
    assert "Ada Lovelace" in pdf_text(tmp_path / "typst.pdf")
    listed = run("themes", cwd=tmp_path)
    assert "lab" in listed.stdout and "A variation of modern." in listed.stdout
    again = run("theme", "new", "lab", cwd=tmp_path)
    assert again.returncode == 2 and "already exists (use --force" in again.stderr
    bad = run("theme", "new", "9lives", cwd=tmp_path)
    assert bad.returncode == 2 and "is not a theme name" in bad.stderr


def test_a_scaffolded_theme_restyles_with_one_rule(tmp_path: Path) -> None:
    assert run("theme", "new", "red", cwd=tmp_path).returncode == 0
    css = tmp_path / "themes/red/html/style.css.j2"
    css.write_text(css.read_text(encoding="utf-8") + ".section-title { text-transform: uppercase; }\n",
                   encoding="utf-8")
    write_profile(tmp_path)
    built = run("build", "cv.yaml", "--theme", "red", "-o", "out.pdf", cwd=tmp_path)
    assert built.returncode == 0, built.stderr
    assert "EDUCATION" in pdf_text(tmp_path / "out.pdf")


OVERRIDE_TEX = """\
<% extends "!academic/cv.tex.j2" %>
<% block header %>
{\\large Curriculum vitae of record\\par}
<< super()|raw >>
<% endblock %>
"""


@pytest.mark.tex
def test_a_user_theme_overrides_one_latex_template_and_extends_the_parents(tmp_path: Path) -> None:
    require_tex()
    make_theme(tmp_path, "mine", "extends: academic\n", {"latex/cv.tex.j2": OVERRIDE_TEX})
    profile = write_profile(tmp_path)
    out = tmp_path / "out.pdf"
    result = run("build", str(profile), "-b", "latex", "--theme", str(tmp_path / "mine"), "-o", str(out))
    assert result.returncode == 0, result.stderr
    text = squash(pdf_text(out))
    assert text.startswith("Curriculum vitae of record Ada Lovelace")
    assert "Royal Medal of Engines" in text


@pytest.mark.tex
@pytest.mark.parametrize("parent", BUILTINS)
def test_a_scaffolded_theme_builds_with_latex(tmp_path: Path, parent: str) -> None:
    require_tex()
    assert run("theme", "new", "mine", "--from", parent, cwd=tmp_path).returncode == 0
    tex = tmp_path / "themes/mine/latex/cv.tex.j2"
    tex.write_text(tex.read_text(encoding="utf-8").replace(
        "% Your preamble additions", "\\renewcommand{\\cvname}[1]{{\\Huge SCAFFOLDED #1}}\n%"), encoding="utf-8")
    write_profile(tmp_path, PROFILE + "theme: mine\n")
    built = run("build", "cv.yaml", "-b", "latex", "-o", "out.pdf", cwd=tmp_path)
    assert built.returncode == 0, built.stderr
    assert "SCAFFOLDED Ada Lovelace" in squash(pdf_text(tmp_path / "out.pdf"))
