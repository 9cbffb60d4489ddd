"""Loading YAML and JSON: every problem points at the right line and column, and every bad file
gets one line of explanation and exit code 2, never a traceback."""

from __future__ import annotations

import json
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest
from click.testing import CliRunner

from cvrender.cli import main
from cvrender.errors import ProfileError
from cvrender.sources.loading import load_profile, load_text
from cvrender.sources.yamlfile import MAX_BYTES, load_located


def problems(text: str, file: str = "cv.yaml") -> list[str]:
    with pytest.raises(ProfileError) as info:
        load_text(textwrap.dedent(text), file)
    return [str(p) for p in info.value.problems]


# ----- locations of model errors ---------------------------------------------------------------

def test_a_single_string_where_a_list_is_allowed_points_at_the_string() -> None:
    assert problems("""\
        name: A
        education:
          - institution: X
            advisors: {name: B, link: https://b.org}
            highlights: 5
        """) == [
        "cv.yaml:4:25: education[0].advisors.link: unknown key 'link'; use 'url'",
        "cv.yaml:5:17: education[0].highlights: expected text, but YAML read a number; put the value in quotes "
        "(got 5)",
    ]


@pytest.mark.parametrize("form", ["list", "mapping"])
def test_publications_as_a_list_or_a_mapping_point_at_the_same_place(form: str) -> None:
    items = "  - title: T\n    yeer: 2020\n    authors: [A, {name: B, roles: [eq]}]\n"
    if form == "list":
        text, indent, path = "name: A\npublications:\n" + items, 0, "publications[0]"
    else:
        text = "name: A\npublications:\n  items:\n" + textwrap.indent(items, "  ")
        indent, path = 2, "publications.items[0]"
    line = 4 if form == "list" else 5
    assert problems(text) == [
        f"cv.yaml:{line}:{5 + indent}: {path}.yeer: unknown key 'yeer'; did you mean 'year'?",
        f"cv.yaml:{line + 1}:{36 + indent}: {path}.authors[1].roles[0]: must be one of 'equal', 'corresponding', "
        f"'co_first', 'student' or 'advisee' (got 'eq')",
    ]


def test_links_written_as_a_mapping_point_at_the_link() -> None:
    assert problems("""\
        name: A
        publications:
          - title: T
            links:
              PDF: https://a.org/p.pdf
              code: ftp://a.org/code
        """) == [
        "cv.yaml:6:13: publications[0].links.code: not a web link; use an http://, https:// or mailto: address "
        "(got 'ftp://a.org/code')"
    ]


@pytest.mark.parametrize(("key", "years_key"), [("organisation", "year"), ("organization", "years")])
def test_aliases_point_at_what_was_written(key: str, years_key: str) -> None:
    text = f"""\
        name: A
        experience:
          - {key}: 5
        awards:
          - title: T
            {years_key}: 20x
        """
    assert problems(text) == [
        f"cv.yaml:3:{7 + len(key)}: experience[0].{key}: expected text, but YAML read a number; put the value in "
        "quotes (got 5)",
        f"cv.yaml:6:{7 + len(years_key)}: awards[0].{years_key}: not a list of years; write 2019, [2018, 2019] or "
        "2021-2023 (got '20x')",
    ]


def test_a_missing_key_points_at_its_entry_and_names_both_spellings() -> None:
    assert problems("name: A\nexperience:\n  - role: Intern\n") == [
        "cv.yaml:3:5: experience[0].organisation: the required key 'organization' (or 'organisation') is missing"
    ]


def test_every_problem_at_once_in_file_order() -> None:
    found = problems("""\
        name: A
        education:
          - institution: X
            date: Sep 2020 - Jun 2019
        emial: a@b.org
        links:
          github: [x]
        """)
    assert [p.split(": ")[0] for p in found] == ["cv.yaml:4:11", "cv.yaml:5:1", "cv.yaml:7:11"]


def test_a_profile_that_is_not_a_mapping() -> None:
    assert problems("- name: A\n") == [
        "cv.yaml:1:1: a profile must be a mapping of keys (name:, education:, ...), not list"]


# ----- JSON ---------------------------------------------------------------------------------------

def test_json_problems_have_exact_positions(tmp_path: Path) -> None:
    path = tmp_path / "cv.json"
    path.write_text(textwrap.dedent("""\
        {
          "name": "A",
          "emial": "a@b.org",
          "education": [
            {"institution": "X", "date": "Foo 2020"},
            {"institution": "Y", "gpa": [1]}
          ]
        }
        """), encoding="utf-8")
    with pytest.raises(ProfileError) as info:
        load_profile(path)
    assert [str(p) for p in info.value.problems] == [
        f"{path}:3:3: emial: unknown key 'emial'; did you mean 'email'?",
        f"{path}:5:34: education[0].date: 'Foo' is not a month name; write a date like 2020, 2020-09, Sep 2020, "
        "Fall 2020 or expected Jul 2025 (got 'Foo 2020')",
        f"{path}:6:33: education[1].gpa: expected text (got [1])",
    ]


def test_json_positions_count_characters_not_bytes() -> None:
    located = load_located('{"name": "许润昕", "x": {"y": true}}', "cv.json")
    assert located.values[("x", "y")] == (1, 28)  # in bytes it would be column 34
    assert located.keys[("x",)] == (1, 17)


@pytest.mark.parametrize(("text", "message"), [
    ('{"name": "A",}', "cv.json:1:14: JSON syntax error: a comma before '}' (trailing commas are not JSON)"),
    ('{"name": "A"\n "x": 1}', "cv.json:2:2: JSON syntax error: expected ',' or '}' after a value"),
    ("{'name': 'A'}", "cv.json:1:2: JSON syntax error: expected a key in double quotes"),
    ('{"name": "A", "name": "B"}', "cv.json:1:15: duplicate key 'name' (already set on line 1); keep one"),
    ('{"name": "A\n"}', "cv.json:1:12: JSON syntax error: invalid control character at"),
    ('{"name": "A"} x', "cv.json:1:15: JSON syntax error: extra text after the end of the data"),
    ("", "cv.json:1:1: the file is empty; a profile needs at least a name"),
    ("[" * 100 + "]" * 100, "cv.json:1:66: the data is nested more than 64 levels deep"),
])
def test_json_syntax_errors(text: str, message: str) -> None:
    with pytest.raises(ProfileError) as info:
        load_located(text, "cv.json")
    assert str(info.value).startswith(message)


def test_json_values_are_json() -> None:
    data = load_located('{"a": [1, 2.5, -3e2, true, false, null, "\\u00e9\\ud83d\\ude00"]}', "cv.json").data
    assert data == {"a": [1, 2.5, -300.0, True, False, None, "é😀"]}


# ----- YAML ---------------------------------------------------------------------------------------

@pytest.mark.parametrize(("text", "message"), [
    ("name: A\neducation: [x\n", "cv.yaml:3:1: YAML syntax error: expected ',' or ']', but got '<stream end>'"),
    ("name: A\n\tfoo: 1\n", "cv.yaml:2:1: YAML syntax error: found character '\\t' that cannot start any token"),
    ("name: A\n---\nname: B\n", "cv.yaml:2:1: YAML syntax error: but found another document"),
    ("name: A\nname: B\n", "cv.yaml:2:1: duplicate key 'name' (already set on line 1); keep one"),
    ("name: A\nx: !!python/object:os.system {}\n", "cv.yaml:2:4: the tag tag:yaml.org,2002:python/object:os.system "
                                                    "is not allowed"),
    ("name: !!python/name:os.system\n", "cv.yaml:1:7: YAML syntax error: could not determine a constructor for "
                                         "the tag"),
    ("a: &a [*a]\n", "cv.yaml:1:4: an alias (*name) refers to the value that contains it"),
    ("? [a, b]\n: 1\n", "cv.yaml:1:3: a key must be plain text, not a list or a mapping"),
    ("# only a comment\n", "cv.yaml:1:1: the file is empty; a profile needs at least a name"),
])
def test_yaml_errors(text: str, message: str) -> None:
    with pytest.raises(ProfileError) as info:
        load_located(text, "cv.yaml")
    assert str(info.value).startswith(message)


def test_yaml_hints_for_tabs_and_second_documents() -> None:
    with pytest.raises(ProfileError) as tabs:
        load_located("name: A\n\tfoo: 1\n", "cv.yaml")
    assert "YAML does not allow tabs for indentation, use spaces" in str(tabs.value)
    with pytest.raises(ProfileError) as docs:
        load_located("name: A\n---\nname: B\n", "cv.yaml")
    assert "a profile is one document, remove the second '---'" in str(docs.value)


def test_yaml_keys_stay_as_written() -> None:
    data = load_located("no: 1\n2020: x\nnull: y\n", "cv.yaml").data
    assert data == {"no": 1, "2020": "x", "null": "y"}


def test_merge_keys_may_be_overridden() -> None:
    data = load_located("base: &b {x: 1, y: 2}\nother:\n  <<: *b\n  y: 3\n", "cv.yaml").data
    assert data["other"] == {"x": 1, "y": 3}


def test_surrogate_pairs_in_double_quotes_are_one_character() -> None:
    assert load_located('name: "\\ud83d\\ude00"\n', "cv.yaml").data == {"name": "😀"}


# ----- bad files through the command line -----------------------------------------------------------

def _nested_yaml(depth: int) -> str:
    return "name: A\nx: " + "[" * depth + "]" * depth + "\n"


def _alias_bomb() -> str:
    lines = ["name: A", 'a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]']
    for level in range(1, 10):
        prev = chr(ord("a") + level - 1)
        cur = chr(ord("a") + level)
        lines.append(f"{cur}: &{cur} [{', '.join(['*' + prev] * 9)}]")
    return "\n".join(lines) + "\n"


BAD_FILES: list[tuple[str, bytes, str]] = [
    ("empty.yaml", b"", "empty.yaml:1:1: the file is empty; a profile needs at least a name"),
    ("blank.yaml", b"\n\n   \n", "blank.yaml:1:1: the file is empty; a profile needs at least a name"),
    ("photo.yaml", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "photo.yaml: this is a binary file, not a YAML or JSON "
                                                              "profile"),
    ("latin1.yaml", "name: A\nlocation: Zürich\n".encode("latin-1"),
     "latin1.yaml:2:12: the file is not UTF-8 text (byte 0xfc); save it as UTF-8"),
    ("bomb.yaml", _alias_bomb().encode(), "the file expands to more than 200,000 values; an alias (*name) is "
                                          "probably repeated too often"),
    ("deep.yaml", _nested_yaml(100).encode(), "deep.yaml:2:68: the data is nested more than 64 levels deep"),
    # (with libyaml the place is known too: deeper.yaml:2:68)
    ("deeper.yaml", _nested_yaml(20_000).encode(), "the data is nested more than 64 levels deep"),
    ("deep.json", ("{\"name\": \"A\", \"x\": " + "[" * 5000 + "]" * 5000 + "}").encode(),
     "deep.json:1:84: the data is nested more than 64 levels deep"),
    ("dupes.yaml", b"name: A\nemail: a@b.org\nname: B\n", "dupes.yaml:3:1: duplicate key 'name' (already set on "
                                                          "line 1); keep one"),
    ("syntax.yaml", b"name: A\neducation:\n  - institution: X\n   degree: Y\n", "syntax.yaml:4:4: YAML syntax error"),
    ("list.yaml", b"- a\n- b\n", "list.yaml:1:1: a profile must be a mapping of keys"),
]


def _run(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(main, list(args))
    return result.exit_code, result.stdout, result.stderr


@pytest.mark.parametrize(("name", "content", "message"), BAD_FILES, ids=[b[0] for b in BAD_FILES])
def test_bad_files_get_one_line_and_exit_code_2(name: str, content: bytes, message: str, tmp_path: Path,
                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    Path(name).write_bytes(content)
    code, _, stderr = _run("validate", name)
    assert code == 2
    lines = stderr.strip().splitlines()
    assert len(lines) == 1, stderr
    assert lines[0].startswith("error: ")
    assert message in lines[0]
    assert "Traceback" not in stderr


def test_a_50_mb_file_is_refused_before_it_is_read(tmp_path: Path) -> None:
    path = tmp_path / "huge.yaml"
    with path.open("wb") as handle:
        handle.write(b"name: A\n")
        handle.truncate(50 * 2**20)
    code, _, stderr = _run("validate", str(path))
    assert code == 2
    assert stderr.strip() == f"error: {path}: the file is 50 MB; a profile may be at most {MAX_BYTES // 2**20} MB"


@pytest.mark.parametrize(("make", "message"), [
    (lambda p: None, "{path}: file not found"),
    (lambda p: p.mkdir(), "{path}: this is a folder, not a profile file"),
])
def test_missing_files_and_folders(make, message: str, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    path = tmp_path / "cv.yaml"
    make(path)
    code, _, stderr = _run("validate", str(path))
    assert code == 2
    assert stderr.strip() == "error: " + message.format(path=path)


def test_utf16_with_a_byte_order_mark_is_read(tmp_path: Path) -> None:
    path = tmp_path / "cv.yaml"
    path.write_bytes("name: Zoë Ünal\n".encode("utf-16"))
    assert load_profile(path).profile.name == "Zoë Ünal"


def test_a_json_profile_validates_and_builds_like_yaml(tmp_path: Path) -> None:
    path = tmp_path / "cv.json"
    path.write_text(json.dumps({"name": "Ada Lovelace", "education": [
        {"institution": "University of London", "date": "1840 - 1842"}]}), encoding="utf-8")
    code, stdout, stderr = _run("validate", str(path))
    assert (code, stderr) == (0, "")
    assert stdout.strip() == f"{path}: valid"


def test_no_traceback_from_a_real_process(tmp_path: Path) -> None:
    bad = tmp_path / "bad.yaml"
    bad.write_bytes(b"name: A\nname: B\n\xff")
    # What the `cvrender` console script runs.
    run = subprocess.run([sys.executable, "-c", "from cvrender.cli import main; main()", "validate", str(bad)],
                         capture_output=True, text=True, timeout=60)
    assert run.returncode == 2
    assert run.stderr.strip() == f"error: {bad}:3:1: the file is not UTF-8 text (byte 0xff); save it as UTF-8"


# ----- every location, systematically ------------------------------------------------------------------

def _full_data() -> dict:  # type: ignore[type-arg]
    root = Path(__file__).resolve().parent.parent
    return load_located((root / "examples" / "full.yaml").read_text(encoding="utf-8"), "full.yaml").data


def _paths(value: object, path: tuple = ()) -> list[tuple]:  # type: ignore[type-arg]
    """Every path in the data, parents before children."""
    found = [path]
    if isinstance(value, dict):
        for key, item in value.items():
            found += _paths(item, (*path, key))
    elif isinstance(value, list):
        for index, item in enumerate(value):
            found += _paths(item, (*path, index))
    return found


def _set(data: dict, path: tuple, value: object) -> None:  # type: ignore[type-arg]
    target = data
    for part in path[:-1]:
        target = target[part]
    target[path[-1]] = value


def _dump(data: object, fmt: str) -> str:
    import datetime as dt

    import yaml

    def plain(v: object) -> object:
        if isinstance(v, dict):
            return {k: plain(x) for k, x in v.items()}
        if isinstance(v, list):
            return [plain(x) for x in v]
        return v.isoformat() if isinstance(v, dt.date) else v

    if fmt == "json":
        return json.dumps(plain(data), indent=2, ensure_ascii=False)
    dumper = getattr(yaml, "CSafeDumper", yaml.SafeDumper)
    return yaml.dump(plain(data), Dumper=dumper, allow_unicode=True, sort_keys=False, width=1000)


FREE_FORM = ("design",)  # theme options: any value is the theme's to check


@pytest.mark.parametrize("fmt", ["yaml", "json"])
def test_every_wrong_value_is_reported_where_it_stands(fmt: str) -> None:
    """Put a value no field accepts at every place in full.yaml; the error must point at it."""
    import copy

    base = _full_data()
    leaves = [p for p in _paths(base) if p and not isinstance(_get(base, p), dict | list)
              and not any(part in FREE_FORM for part in p) and p != ("$schema",)]
    assert len(leaves) > 200
    misplaced = []
    for path in leaves:
        data = copy.deepcopy(base)
        _set(data, path, [[["x"]]])
        text = _dump(data, fmt)
        located = load_located(text, f"cv.{fmt}")
        inside = {pos for p, pos in located.values.items() if p[: len(path)] == path}
        with pytest.raises(ProfileError) as info:
            load_text(text, f"cv.{fmt}")
        spots = {(p.line, p.column) for p in info.value.problems}
        if not spots & inside:
            misplaced.append((path, sorted(spots), sorted(inside)[:1]))
    assert misplaced == []


@pytest.mark.parametrize("fmt", ["yaml", "json"])
def test_every_unknown_key_is_reported_at_the_key(fmt: str) -> None:
    import copy

    base = _full_data()
    # Mappings whose keys the user names (variants, section titles, link labels...) take any key.
    named = ("variants", "titles", "marks", "prefixes", "links")
    mappings = [p for p in _paths(base) if isinstance(_get(base, p), dict)
                and (p == ("links",) or not p or p[-1] not in named)
                and not any(part in FREE_FORM for part in p)]
    assert len(mappings) > 40
    wrong = []
    for path in mappings:
        data = copy.deepcopy(base)
        _get(data, path)["zzunknown"] = "x"
        text = _dump(data, fmt)
        key_at = load_located(text, f"cv.{fmt}").keys[(*path, "zzunknown")]
        with pytest.raises(ProfileError) as info:
            load_text(text, f"cv.{fmt}")
        found = [(p.line, p.column, p.message) for p in info.value.problems]
        if not any((line, col) == key_at and "unknown key 'zzunknown'" in msg for line, col, msg in found):
            wrong.append((path, key_at, found))
    assert wrong == []


def _get(data: object, path: tuple) -> object:  # type: ignore[type-arg]
    for part in path:
        data = data[part]  # type: ignore[index]
    return data


@pytest.mark.parametrize("name", ["full.yaml", "runxin_xu.yaml", "bilingual.yaml"])
def test_libyaml_and_pure_python_agree_on_every_position(name: str, monkeypatch: pytest.MonkeyPatch) -> None:
    import yaml

    text = (Path(__file__).resolve().parent.parent / "examples" / name).read_text(encoding="utf-8")
    fast = load_located(text, name)
    monkeypatch.delattr(yaml, "CSafeLoader", raising=False)
    slow = load_located(text, name)
    assert (fast.data, fast.values, fast.keys) == (slow.data, slow.values, slow.keys)
