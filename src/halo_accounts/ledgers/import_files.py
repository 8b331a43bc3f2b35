"""What every package's import files share: text in the package's Windows code page (characters it cannot hold
folded deterministically, e.g. "ő" -> "o", else "?"), and files written owner-only."""

from __future__ import annotations

import os
import unicodedata
from dataclasses import dataclass
from pathlib import Path


def _fold(char: str, encoding: str) -> str:
    try:
        char.encode(encoding)
        return char
    except UnicodeEncodeError:
        folded = "".join(c for c in unicodedata.normalize("NFKD", char) if not unicodedata.combining(c))
        try:
            folded.encode(encoding)
            return folded or "?"
        except UnicodeEncodeError:
            return "?"


def encode(text: str, encoding: str) -> bytes:
    return "".join(_fold(ch, encoding) for ch in text).encode(encoding)


def write_private(path: Path, data: bytes) -> None:
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)  # owner-only (TEAM rules)
    with os.fdopen(fd, "wb") as fh:
        fh.write(data)
    os.chmod(path, 0o600)


@dataclass(frozen=True)
class Held:
    """A record the file rules refused: it is not in the files (``kind`` the file, ``key`` the record)."""

    kind: str
    key: str
    code: str
    message: str
    fix: str


@dataclass(frozen=True)
class Cut:
    """Free text shortened to fit a column (written, and listed in the manifest)."""

    kind: str
    key: str
    field: str
    length: int
    limit: int
