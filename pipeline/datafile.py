"""Reading the package's JSON data files: one error shape for all of them."""

from __future__ import annotations

import json
from pathlib import Path


def read_json(path: str | Path, what: str):
    """The JSON content of ``path``; an unreadable or malformed file is a ValueError that
    names the file and what it holds (``what``: "the PLOVER spec", "the happening rules")."""
    path = Path(path)
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise ValueError(f"{path}: cannot read {what}: {exc}") from None
