"""Read YAML/JSON into plain data while remembering where every key and value stood.

Duplicate keys are errors, alias expansion and nesting are bounded, and every syntax error
becomes a :class:`~cvrender.errors.ProfileError` with ``file:line:col``.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from cvrender.errors import Problem, ProfileError

MAX_BYTES = 10 * 1024 * 1024
MAX_NODES = 200_000
MAX_DEPTH = 64

Path_ = tuple[str | int, ...]


@dataclass
class Located:
    """Plain data from a file plus the line and column (1-based) of each key and value."""

    data: Any
    file: str
    values: dict[Path_, tuple[int, int]] = field(default_factory=dict)
    keys: dict[Path_, tuple[int, int]] = field(default_factory=dict)

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
    def __init__(self, file: str):
        self.file = file
        self.loader = yaml.SafeLoader("")
        self.result = Located(None, file)
        self.count = 0

    def error(self, node: yaml.Node, message: str) -> ProfileError:
        mark = node.start_mark
        return ProfileError(Problem(message, self.file, mark.line + 1, mark.column + 1))

    def build(self, node: yaml.Node, path: Path_, depth: int) -> Any:
        self.count += 1
        if self.count > MAX_NODES:
            raise self.error(node, f"the file expands to more than {MAX_NODES} values (too many aliases?)")
        if depth > MAX_DEPTH:
            raise self.error(node, f"the data is nested more than {MAX_DEPTH} levels deep")
        self.result.values.setdefault(path, (node.start_mark.line + 1, node.start_mark.column + 1))
        if isinstance(node, yaml.MappingNode):
            self.loader.flatten_mapping(node)
            out: dict[Any, Any] = {}
            for key_node, value_node in node.value:
                if not isinstance(key_node, yaml.ScalarNode):
                    raise self.error(key_node, "a key must be plain text")
                key = self.loader.construct_object(key_node)
                key = key if isinstance(key, str | int) else str(key)
                if key in out:
                    raise self.error(key_node, f"duplicate key '{key}' (it is already set above)")
                self.result.keys[path + (key,)] = (key_node.start_mark.line + 1, key_node.start_mark.column + 1)
                out[key] = self.build(value_node, path + (key,), depth + 1)
            return out
        if isinstance(node, yaml.SequenceNode):
            return [self.build(item, path + (i,), depth + 1) for i, item in enumerate(node.value)]
        return self.loader.construct_object(node)


def read_text(path: Path) -> str:
    """Read a text file as UTF-8, with one-line errors for missing, huge or binary files."""
    try:
        size = path.stat().st_size
    except FileNotFoundError:
        raise ProfileError(f"file not found: {path}") from None
    except OSError as exc:
        raise ProfileError(f"cannot read {path}: {exc.strerror}") from None
    if path.is_dir():
        raise ProfileError(f"{path} is a folder, not a profile file")
    if size > MAX_BYTES:
        raise ProfileError(
            Problem(f"the file is {size / 1e6:.0f} MB; profiles are limited to {MAX_BYTES // 2**20} MB", str(path))
        )
    raw = path.read_bytes()
    if b"\x00" in raw[:8192]:
        raise ProfileError(Problem("this is a binary file, not a YAML or JSON profile", str(path)))
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        raise ProfileError(
            Problem(f"the file is not UTF-8 text (byte 0x{raw[exc.start]:02x}); save it as UTF-8", str(path), line)
        ) from None


def load_located(text: str, file: str) -> Located:
    """Parse YAML (or JSON) text into :class:`Located` data."""
    try:
        node = yaml.compose(text, Loader=yaml.SafeLoader)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        message = exc.problem or exc.context or "invalid YAML"
        if exc.context and exc.problem:
            message = f"{exc.problem} ({exc.context})"
        line = mark.line + 1 if mark else None
        col = mark.column + 1 if mark else None
        raise ProfileError(Problem(f"YAML syntax error: {message}", file, line, col)) from None
    except yaml.YAMLError as exc:
        raise ProfileError(Problem(f"YAML error: {exc}", file)) from None
    except RecursionError:
        raise ProfileError(Problem("the data is nested too deeply", file)) from None
    if node is None:
        raise ProfileError(Problem("the file is empty; a profile needs at least a name", file, 1, 1))
    builder = _Builder(file)
    try:
        data = builder.build(node, (), 0)
    except yaml.constructor.ConstructorError as exc:
        mark = exc.problem_mark
        raise ProfileError(
            Problem(f"YAML error: {exc.problem}", file, mark.line + 1 if mark else None,
                    mark.column + 1 if mark else None)
        ) from None
    builder.result.data = data
    return builder.result


def load_file(path: Path) -> Located:
    """Read and parse a YAML or JSON file."""
    return load_located(read_text(path), str(path))
