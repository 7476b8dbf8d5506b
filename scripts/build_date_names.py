"""Write the month and weekday names of ``pipeline/data/dates_fr.json`` from Babel (CLDR).

French months and weekdays (with their unaccented spellings, which news text uses on
capitals) and English months (photo captions, embedded posts) come from Babel's locale data,
so the word lists have a source and are not typed by hand. The rest of the file (qualifiers,
tense words, context words) is the project's own and is left as it is.

Run from the repository root, with the dev extras installed:

    python scripts/build_date_names.py          # rewrite the names in place
    python scripts/build_date_names.py --check  # exit 1 if the file differs from Babel
"""

from __future__ import annotations

import json
import sys
import unicodedata
from pathlib import Path

PATH = Path(__file__).resolve().parent.parent / "pipeline" / "data" / "dates_fr.json"


def _bare(word: str) -> str:
    return "".join(c for c in unicodedata.normalize("NFD", word) if not unicodedata.combining(c))


def names_from_babel() -> dict[str, dict[str, int]]:
    from babel.dates import get_day_names, get_month_names

    months: dict[str, int] = {}
    for number, name in get_month_names("wide", locale="fr").items():
        months[name.lower()] = number
        months[_bare(name.lower())] = number
    for number, name in get_month_names("abbreviated", locale="fr").items():
        name = name.lower()
        if name.endswith("."):  # "janv.", "févr."; "mai", "juin" have no abbreviation
            months[name] = number
            months[_bare(name)] = number
    weekdays = {name.lower(): number for number, name in get_day_names("wide", locale="fr").items()}
    english = {}
    for width in ("wide", "abbreviated"):
        for number, name in get_month_names(width, locale="en").items():
            english[name.lower()] = number
    return {"months": months, "weekdays": weekdays, "months_en": english}


def main(argv: list[str]) -> int:
    data = json.loads(PATH.read_text(encoding="utf-8"))
    built = names_from_babel()
    # hand-kept abbreviations that CLDR does not list (jan., fév., sept., déc., dec.)
    kept = {k: v for k, v in data["months"].items() if k.endswith(".") and k not in built["months"]}
    built["months"].update(kept)
    if "--check" in argv:
        differs = [key for key, value in built.items() if data.get(key) != value]
        if differs:
            print(f"{PATH.name}: {', '.join(differs)} differ from Babel", file=sys.stderr)
            return 1
        return 0
    data.update(built)
    PATH.write_text(dump(data), encoding="utf-8")
    return 0


def dump(data: dict) -> str:
    """One top-level key per line (nested objects inline), so diffs stay readable."""
    lines = [
        f"  {json.dumps(key)}: {json.dumps(value, ensure_ascii=False)}"
        for key, value in data.items()
    ]
    return "{\n" + ",\n".join(lines) + "\n}\n"


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
