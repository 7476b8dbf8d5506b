"""Reading the package's JSON and JSONL data files: one error shape for all of them."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from pathlib import Path


def read_json(path: str | Path, what: str):
    """The JSON content of ``path``; an unreadable or malformed file is a ValueError that
    names the file and what it holds (``what``: "the PLOVER spec", "the happening rules")."""
    path = Path(path)
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise ValueError(f"{path}: cannot read {what}: {exc}") from None


def json_lines(
    text: str, where: Callable[[int], str], error: type[ValueError]
) -> Iterator[tuple[str, object]]:
    """(place, object) for each non-blank line of a JSONL text; ``where`` names the place
    of a line number; a line that is not JSON raises ``error`` naming it ("<place>: not
    JSON (...)")."""
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        place = where(number)
        try:
            yield place, json.loads(line)
        except json.JSONDecodeError as exc:
            raise error(f"{place}: not JSON ({exc.msg})") from None
