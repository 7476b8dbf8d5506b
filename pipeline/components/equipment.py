"""`extract_equipment`: named models and generic classes of military materiel.

The rules are `pipeline.equipment`; its data (``data/equipment.jsonl``,
``data/equipment_classes.jsonl``) is read at `initialize`, its spellings cut by this
pipeline's own tokenizer, and written with the pipeline by ``to_disk``.
"""

from __future__ import annotations

import json
from pathlib import Path

from spacy.language import Language

from pipeline import equipment, gazetteers
from pipeline.components.extensions import add_error, set_candidates
from pipeline.tag import RULE_RANK, Candidate

NAME = "extract_equipment"
FILES = {"models": "equipment.jsonl", "classes": "equipment_classes.jsonl"}


@Language.factory(NAME)
def make_equipment(nlp: Language, name: str) -> EquipmentFinder:
    return EquipmentFinder(nlp, name)


class EquipmentFinder:
    def __init__(self, nlp: Language, name: str = NAME):
        self.nlp = nlp
        self.name = name
        self.entries: dict[str, list[dict]] | None = None
        self.matcher: equipment.EquipmentMatcher | None = None

    def initialize(self, get_examples=None, *, nlp=None, directory: Path | None = None) -> None:
        paths = (
            {key: Path(directory) / file for key, file in FILES.items()}
            if directory
            else {"models": equipment.MODELS_FILE, "classes": equipment.CLASSES_FILE}
        )
        self.entries = {key: equipment._read_jsonl(path) for key, path in paths.items()}
        models = [e for e in self.entries["models"] if "model" in e]
        makers = {e["maker"]: e for e in self.entries["models"] if "model" not in e}
        tokenizer = self.nlp.tokenizer
        self.matcher = equipment.EquipmentMatcher.from_data(
            models, makers, self.entries["classes"], lambda text: [t.text for t in tokenizer(text)]
        )

    def __call__(self, doc):
        if self.matcher is None:
            self.initialize()
        try:
            with gazetteers.using_vocab(doc.vocab):
                spans = equipment.find_equipment_spans(doc, self.matcher)
            found = [
                Candidate(
                    f.start,
                    f.end,
                    equipment.LABEL,
                    f.category,
                    equipment.METHOD,
                    RULE_RANK,
                    f.category,
                    f.model,
                    f.quantity,
                )
                for f in spans
            ]
        except Exception as exc:  # one bad document must not stop the run
            add_error(doc, exc)
            found = []
        set_candidates(doc, "equipment", found)
        return doc

    def to_disk(self, path, *, exclude=()) -> None:
        if self.entries is None:
            self.initialize()
        path = Path(path)
        path.mkdir(parents=True, exist_ok=True)
        for key, file in FILES.items():
            lines = (json.dumps(entry, ensure_ascii=False) for entry in self.entries[key])
            (path / file).write_text("\n".join(lines) + "\n", encoding="utf-8")

    def from_disk(self, path, *, exclude=()) -> EquipmentFinder:
        self.initialize(directory=Path(path))
        return self
