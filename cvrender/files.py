"""Output paths: predictable, safe file names and atomic writes that never leave half a file."""

from __future__ import annotations

import contextlib
import os
import re
import tempfile
import unicodedata
from pathlib import Path

from cvrender.errors import OutputError

STEM_LIMIT = 80  # characters of the name in a file name: far below every file system's 255 bytes


def safe_stem(name: str) -> str:
    """``Runxin Xu`` -> ``Runxin_Xu_CV``; non-Latin names fall back to ``CV``; at most six words
    and :data:`STEM_LIMIT` characters of the name are used."""
    ascii_name = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode()
    words = re.findall(r"[A-Za-z0-9]+", ascii_name)
    stem = "_".join(words[:6])[:STEM_LIMIT].rstrip("_")
    return f"{stem}_CV" if stem else "CV"


def output_path(output: str | Path | None, name: str, suffix: str = ".pdf") -> Path:
    """Where the PDF goes: ``output`` if it names a file, else ``<output or cwd>/<Name>_CV.pdf``."""
    filename = safe_stem(name) + suffix
    if output is None:
        return Path.cwd() / filename
    path = Path(output).expanduser()
    if path.is_dir() or str(output).endswith(("/", os.sep)):
        return path / filename
    return path


def atomic_write(path: Path, data: bytes | str) -> Path:
    """Write ``data`` to ``path`` through a temporary file in the same folder and a rename."""
    payload = data.encode("utf-8") if isinstance(data, str) else data
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".part", dir=path.parent)
    except OSError as exc:
        raise OutputError(f"cannot write {path}: {exc.strerror or exc}") from None
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(payload)
            handle.flush()
            os.fsync(handle.fileno())
        os.chmod(tmp, 0o644)
        os.replace(tmp, path)
    except BaseException as exc:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        if isinstance(exc, OSError):
            raise OutputError(f"cannot write {path}: {exc.strerror or exc}") from None
        raise
    return path
