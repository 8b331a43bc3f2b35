"""What every package's import files share: text in the package's Windows code page (characters it cannot hold
folded deterministically, e.g. "ő" -> "o", else "?"), and files written owner-only."""

from __future__ import annotations

import os
import unicodedata
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
