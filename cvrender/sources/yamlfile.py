"""Read YAML or JSON into plain data while remembering where every key and value stood.

Duplicate keys are errors, alias expansion, nesting and file size are bounded, and every syntax
error becomes a :class:`~cvrender.errors.ProfileError` with ``file:line:col`` on one line.
"""

from __future__ import annotations

import bisect
import codecs
import json
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from cvrender.errors import Problem, ProfileError

MAX_BYTES = 10 * 1024 * 1024
MAX_NODES = 200_000
MAX_DEPTH = 64

Path_ = tuple[str | int, ...]
_PLAIN_TAGS = frozenset({"tag:yaml.org,2002:map", "tag:yaml.org,2002:seq"})
_SURROGATE = re.compile("[\ud800-\udfff]")


@dataclass
class Located:
    """Plain data from a file plus the line and column (1-based) of each key and value."""

    data: Any
    file: str
    values: dict[Path_, tuple[int, int]] = field(default_factory=dict)
    keys: dict[Path_, tuple[int, int]] = field(default_factory=dict)
    # Values written with a tag of another tool (``!include file.yaml``): kept as None, tag here.
    tags: dict[Path_, str] = field(default_factory=dict)

    def where(self, path: Path_, key: bool = False) -> tuple[int | None, int | None]:
        """The position of the value (or key) at ``path``, or of its nearest parent."""
        table = self.keys if key else self.values
        probe = tuple(path)
        while probe:
            if probe in table:
                return table[probe]
            if key and probe in self.values:
                return self.values[probe]
            probe = probe[:-1]
        return self.values.get((), (1, 1))


class _Builder:
    """Turns a composed YAML node tree into plain data, recording positions and enforcing limits."""

    def __init__(self, file: str, keep_tags: bool = False):
        self.file = file
        self.keep_tags = keep_tags
        self.loader = yaml.SafeLoader("")
        self.result = Located(None, file)
        self.count = 0
        self.active: set[int] = set()

    def error(self, node: yaml.Node, message: str) -> ProfileError:
        mark = node.start_mark
        return ProfileError(Problem(message, self.file, mark.line + 1, mark.column + 1))

    def build(self, node: yaml.Node, path: Path_, depth: int) -> Any:
        self.count += 1
        if self.count > MAX_NODES:
            raise self.error(node, f"the file expands to more than {MAX_NODES:,} values; an alias (*name) "
                             "is probably repeated too often")
        if depth > MAX_DEPTH:
            raise self.error(node, f"the data is nested more than {MAX_DEPTH} levels deep")
        if id(node) in self.active:
            raise self.error(node, "an alias (*name) refers to the value that contains it")
        self.result.values.setdefault(path, (node.start_mark.line + 1, node.start_mark.column + 1))
        if self.keep_tags and node.tag.startswith("!") and not node.tag.startswith("!!"):
            # A local tag (RenderCV's ``!include``) means nothing here: the caller reports it.
            written = f" {node.value}" if isinstance(node, yaml.ScalarNode) and node.value else ""
            self.result.tags[path] = node.tag + written
            return None
        if isinstance(node, yaml.CollectionNode) and node.tag not in _PLAIN_TAGS:
            raise self.error(node, f"the tag {node.tag} is not allowed; a profile holds only text, numbers, "
                             "lists and mappings")
        if isinstance(node, yaml.MappingNode):
            self.active.add(id(node))
            try:
                return self.mapping(node, path, depth)
            finally:
                self.active.discard(id(node))
        if isinstance(node, yaml.SequenceNode):
            self.active.add(id(node))
            try:
                return [self.build(item, path + (i,), depth + 1) for i, item in enumerate(node.value)]
            finally:
                self.active.discard(id(node))
        try:
            value = self.loader.construct_object(node)
        except ValueError:
            if node.tag != "tag:yaml.org,2002:timestamp":
                raise
            # 2025-02-30 looks like a date to YAML but is none: the model's date check says why, located.
            value = node.value
        if isinstance(value, str) and _SURROGATE.search(value):
            # "\ud83d\ude00" in a double-quoted string is one character, as in JSON.
            value = value.encode("utf-16-le", "surrogatepass").decode("utf-16-le", "surrogatepass")
        return value

    def mapping(self, node: yaml.MappingNode, path: Path_, depth: int) -> dict[Any, Any]:
        written = {id(k) for k, _ in node.value if k.tag != "tag:yaml.org,2002:merge"}
        try:
            self.loader.flatten_mapping(node)
        except RecursionError:
            raise self.error(node, "merge keys (<<) refer to each other") from None
        out: dict[Any, Any] = {}
        first_seen: dict[Any, yaml.Node] = {}
        for key_node, value_node in node.value:
            if not isinstance(key_node, yaml.ScalarNode):
                raise self.error(key_node, "a key must be plain text, not a list or a mapping")
            # Keys are taken as written: ``no:`` or ``2020:`` stay text instead of becoming false or 2020.
            key = key_node.value
            earlier = first_seen.get(key)
            if earlier is not None and id(earlier) in written and id(key_node) in written:
                first = earlier.start_mark.line + 1
                raise self.error(key_node, f"duplicate key '{key}' (already set on line {first}); keep one")
            # A key written here overrides the same key merged in with ``<<``.
            first_seen[key] = key_node
            self.result.keys[path + (key,)] = (key_node.start_mark.line + 1, key_node.start_mark.column + 1)
            out[key] = self.build(value_node, path + (key,), depth + 1)
        return out


def decode(raw: bytes, file: str) -> str:
    """Bytes to text: UTF-8 (with or without a BOM), or UTF-16/32 with a BOM; else a one-line error."""
    for bom, codec in ((codecs.BOM_UTF32_LE, "utf-32"), (codecs.BOM_UTF32_BE, "utf-32"),
                       (codecs.BOM_UTF16_LE, "utf-16"), (codecs.BOM_UTF16_BE, "utf-16")):
        if raw.startswith(bom):
            try:
                return raw.decode(codec)
            except UnicodeDecodeError:
                raise ProfileError(Problem(f"the file starts like {codec.upper()} text but is not; "
                                           "save it as UTF-8", file)) from None
    if b"\x00" in raw[:8192]:
        raise ProfileError(Problem("this is a binary file, not a YAML or JSON profile", file))
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line_start = raw.rfind(b"\n", 0, exc.start) + 1
        line = raw[: exc.start].count(b"\n") + 1
        column = len(raw[line_start: exc.start].decode("utf-8", errors="replace")) + 1
        raise ProfileError(Problem(
            f"the file is not UTF-8 text (byte 0x{raw[exc.start]:02x}); save it as UTF-8", file, line, column)
        ) from None


def read_text(path: Path) -> str:
    """Read a text file, with one-line errors for missing, huge, binary or non-UTF-8 files."""
    try:
        if path.is_dir():
            raise ProfileError(Problem("this is a folder, not a profile file", str(path)))
        size = path.stat().st_size
    except FileNotFoundError:
        raise ProfileError(Problem("file not found", str(path))) from None
    except OSError as exc:
        raise ProfileError(Problem(f"cannot read the file: {exc.strerror or exc}", str(path))) from None
    if size > MAX_BYTES:
        raise ProfileError(Problem(
            f"the file is {size / 2**20:.0f} MB; a profile may be at most {MAX_BYTES // 2**20} MB", str(path)))
    try:
        with path.open("rb") as handle:
            raw = handle.read(MAX_BYTES + 1)
    except OSError as exc:
        raise ProfileError(Problem(f"cannot read the file: {exc.strerror or exc}", str(path))) from None
    if len(raw) > MAX_BYTES:
        raise ProfileError(Problem(f"the file is larger than {MAX_BYTES // 2**20} MB", str(path)))
    return decode(raw, str(path))


def _yaml_problem(exc: yaml.YAMLError, text: str, file: str) -> Problem:
    """A YAML error as one line, with a hint for the mistakes people make most."""
    if isinstance(exc, yaml.reader.ReaderError):  # a character YAML does not allow, such as U+0007
        before = text[: exc.position]
        code = exc.character if isinstance(exc.character, int) else ord(exc.character)
        return Problem(f"the invisible control character U+{code:04X} is not allowed; delete it", file,
                       before.count("\n") + 1, exc.position - before.rfind("\n"))
    if not isinstance(exc, yaml.MarkedYAMLError):
        return Problem(f"YAML error: {' '.join(str(exc).split())}", file)
    mark = exc.problem_mark or exc.context_mark
    message = exc.problem or exc.context or "invalid YAML"
    if exc.context and exc.problem:
        message = f"{exc.problem} ({exc.context})"
    line = mark.line + 1 if mark else None
    col = mark.column + 1 if mark else None
    hint = ""
    if mark is not None and 0 <= mark.index < len(text) and text[mark.index] == "\t":
        hint = "; YAML does not allow tabs for indentation, use spaces"
    elif isinstance(exc, yaml.composer.ComposerError) and "single document" in message:
        hint = "; a profile is one document, remove the second '---'"
    message = " ".join(message.split())
    return Problem(f"YAML syntax error: {message}{hint}", file, line, col)


def _compose(text: str) -> yaml.Node | None:
    """The node tree of ``text``: with libyaml when it is there (fast), and always with PyYAML's own
    parser when the text is not valid, so that messages are the same everywhere."""
    fast = getattr(yaml, "CSafeLoader", None)
    if fast is not None:
        try:
            return yaml.compose(text, Loader=fast)
        except yaml.YAMLError:
            pass
    return yaml.compose(text, Loader=yaml.SafeLoader)


def _too_deep(text: str, file: str) -> Problem:
    """The problem for text nested too deeply to compose, located at the first collection that
    opens past :data:`MAX_DEPTH`. PyYAML's event parser keeps its own stack (no recursion), so this
    finds the place with or without libyaml, whichever composer ran out of stack."""
    message = f"the data is nested more than {MAX_DEPTH} levels deep"
    depth = 0
    try:
        for event in yaml.parse(text, Loader=yaml.SafeLoader):
            if isinstance(event, yaml.CollectionStartEvent):
                depth += 1
                if depth > MAX_DEPTH:
                    mark = event.start_mark
                    if mark is None:  # every parser event has one; the stubs allow None
                        return Problem(message, file)
                    return Problem(message, file, mark.line + 1, mark.column + 1)
            elif isinstance(event, yaml.CollectionEndEvent):
                depth -= 1
    except (yaml.YAMLError, RecursionError):
        pass
    return Problem(message, file)


def load_yaml(text: str, file: str, keep_tags: bool = False) -> Located:
    """Parse YAML text into :class:`Located` data; with ``keep_tags``, a value with a local tag
    (``!include x.yaml``) is read as None and listed in :attr:`Located.tags` instead of refused."""
    try:
        node = _compose(text)
    except yaml.YAMLError as exc:
        raise ProfileError(_yaml_problem(exc, text, file)) from None
    except RecursionError:
        raise ProfileError(_too_deep(text, file)) from None
    if node is None:
        raise ProfileError(Problem("the file is empty; a profile needs at least a name", file, 1, 1))
    builder = _Builder(file, keep_tags)
    try:
        data = builder.build(node, (), 0)
    except yaml.YAMLError as exc:
        raise ProfileError(_yaml_problem(exc, text, file)) from None
    except RecursionError:
        raise ProfileError(_too_deep(text, file)) from None
    builder.result.data = data
    return builder.result


class _JsonReader:
    """A small JSON parser that records the line and column of every key and value."""

    _NUMBER = re.compile(r"-?(?:0|[1-9]\d*)(\.\d+)?([eE][-+]?\d+)?")
    _SPACE = re.compile(r"[ \t\n\r]*")

    def __init__(self, text: str, file: str):
        self.text = text
        self.file = file
        self.result = Located(None, file)
        self.line_starts = [0] + [m.end() for m in re.finditer("\n", text)]
        self.count = 0

    def position(self, index: int) -> tuple[int, int]:
        line = bisect.bisect_right(self.line_starts, index)
        return line, index - self.line_starts[line - 1] + 1

    def fail(self, index: int, message: str) -> ProfileError:
        line, col = self.position(min(index, len(self.text)))
        return ProfileError(Problem(message, self.file, line, col))

    def skip(self, index: int) -> int:
        match = self._SPACE.match(self.text, index)
        return match.end() if match else index

    def parse(self) -> Located:
        index = self.skip(0)
        if index >= len(self.text):
            raise self.fail(0, "the file is empty; a profile needs at least a name")
        self.result.data, index = self.value(index, (), 0)
        index = self.skip(index)
        if index < len(self.text):
            raise self.fail(index, "JSON syntax error: extra text after the end of the data")
        return self.result

    def value(self, index: int, path: Path_, depth: int) -> tuple[Any, int]:
        self.count += 1
        if self.count > MAX_NODES:
            raise self.fail(index, f"the file holds more than {MAX_NODES:,} values")
        if depth > MAX_DEPTH:
            raise self.fail(index, f"the data is nested more than {MAX_DEPTH} levels deep")
        self.result.values.setdefault(path, self.position(index))
        char = self.text[index: index + 1]
        if char == "{":
            return self.object(index + 1, path, depth)
        if char == "[":
            return self.array(index + 1, path, depth)
        if char == '"':
            return self.string(index)
        for word, value in (("true", True), ("false", False), ("null", None)):
            if self.text.startswith(word, index):
                return value, index + len(word)
        match = self._NUMBER.match(self.text, index)
        if match and match.end() > index:
            number = match.group(0)
            return (float(number) if match.group(1) or match.group(2) else int(number)), match.end()
        if not char:
            raise self.fail(index, "JSON syntax error: the file ends where a value should be")
        raise self.fail(index, f"JSON syntax error: unexpected {char!r} where a value should be")

    def string(self, index: int) -> tuple[str, int]:
        try:
            return json.decoder.scanstring(self.text, index + 1)  # type: ignore[attr-defined]
        except json.JSONDecodeError as exc:
            raise self.fail(exc.pos, f"JSON syntax error: {exc.msg.lower()}") from None

    def object(self, index: int, path: Path_, depth: int) -> tuple[dict[str, Any], int]:
        out: dict[str, Any] = {}
        first_line: dict[str, int] = {}
        index = self.skip(index)
        if self.text.startswith("}", index):
            return out, index + 1
        while True:
            if not self.text.startswith('"', index):
                raise self.fail(index, "JSON syntax error: expected a key in double quotes")
            key_at = index
            key, index = self.string(index)
            if key in out:
                raise self.fail(key_at, f"duplicate key '{key}' (already set on line {first_line[key]}); keep one")
            first_line[key] = self.position(key_at)[0]
            self.result.keys[path + (key,)] = self.position(key_at)
            index = self.skip(index)
            if not self.text.startswith(":", index):
                raise self.fail(index, "JSON syntax error: expected ':' after the key")
            index = self.skip(index + 1)
            out[key], index = self.value(index, path + (key,), depth + 1)
            index = self.skip(index)
            if self.text.startswith(",", index):
                index = self.skip(index + 1)
                if self.text.startswith("}", index):
                    raise self.fail(index, "JSON syntax error: a comma before '}' (trailing commas are not JSON)")
                continue
            if self.text.startswith("}", index):
                return out, index + 1
            raise self.fail(index, "JSON syntax error: expected ',' or '}' after a value")

    def array(self, index: int, path: Path_, depth: int) -> tuple[list[Any], int]:
        out: list[Any] = []
        index = self.skip(index)
        if self.text.startswith("]", index):
            return out, index + 1
        while True:
            item, index = self.value(index, path + (len(out),), depth + 1)
            out.append(item)
            index = self.skip(index)
            if self.text.startswith(",", index):
                index = self.skip(index + 1)
                if self.text.startswith("]", index):
                    raise self.fail(index, "JSON syntax error: a comma before ']' (trailing commas are not JSON)")
                continue
            if self.text.startswith("]", index):
                return out, index + 1
            raise self.fail(index, "JSON syntax error: expected ',' or ']' after a value")


def load_json(text: str, file: str) -> Located:
    """Parse JSON text into :class:`Located` data (exact positions, duplicate keys refused)."""
    return _JsonReader(text, file).parse()


def load_located(text: str, file: str, fmt: str | None = None, keep_tags: bool = False) -> Located:
    """Parse text as ``fmt`` ("yaml" or "json"; by default chosen from the file name)."""
    if fmt is None:
        fmt = "json" if file.lower().endswith(".json") else "yaml"
    if fmt == "json":
        return load_json(text, file)
    return load_yaml(text, file, keep_tags)


def load_file(path: Path, keep_tags: bool = False) -> Located:
    """Read and parse a YAML or JSON file (JSON when the name ends in ``.json``)."""
    return load_located(read_text(path), str(path), keep_tags=keep_tags)


def refuse_tags(located: Located) -> None:
    """A profile holds no tagged values: the first one kept by ``keep_tags`` is an error."""
    for path, tagged in located.tags.items():
        line, col = located.where(path)
        raise ProfileError(Problem(f"the tag {tagged.split()[0]} is not allowed; a profile holds only text, "
                                   "numbers, lists and mappings", located.file, line, col))
