"""`extract_dates`: French calendar expressions, normalised against ``doc._.doc_date``.

The rules are `pipeline.dates`; their vocabulary (``data/dates_fr.json``) is read at
`initialize` and written with the pipeline by ``to_disk``.
"""

from __future__ import annotations

import json
from pathlib import Path

from spacy.language import Language

from pipeline import dates
from pipeline.components.extensions import add_error, set_candidates
from pipeline.tag import char_candidate

NAME = "extract_dates"
FILE = "dates_fr.json"


@Language.factory(NAME)
def make_dates(nlp: Language, name: str) -> DateFinder:
    return DateFinder(name)


class DateFinder:
    def __init__(self, name: str = NAME):
        self.name = name
        self.lexicon: dates.Lexicon | None = None
        self.raw: dict | None = None

    def initialize(self, get_examples=None, *, nlp=None, path: Path | None = None) -> None:
        path = Path(path or dates.DATA_PATH)
        self.raw = json.loads(path.read_text(encoding="utf-8"))
        self.lexicon = dates.load_lexicon(path)

    def __call__(self, doc):
        if self.lexicon is None:
            self.initialize()
        try:
            found = [
                c
                for m in dates.find_dates(doc, doc._.doc_date, self.lexicon)
                if (c := char_candidate(doc, m)) is not None
            ]
        except Exception as exc:  # one bad document must not stop the run
            add_error(doc, exc)
            found = []
        set_candidates(doc, "dates", found)
        return doc

    def to_disk(self, path, *, exclude=()) -> None:
        if self.raw is None:
            self.initialize()
        path = Path(path)
        path.mkdir(parents=True, exist_ok=True)
        (path / FILE).write_text(json.dumps(self.raw, ensure_ascii=False), encoding="utf-8")

    def from_disk(self, path, *, exclude=()) -> DateFinder:
        self.initialize(path=Path(path) / FILE)
        return self
