"""Evaluate: score extraction against gold files (SPEC section 5).

Mentions are matched by exact span and label (precision, recall, F1 per label and micro),
then normalisation is scored over matched mentions (for EQUIPMENT: category and model);
events are matched on (type, source, target) as multisets, then date, location and
equipment are scored over matched events; actors are compared as the set of actor ids per
document (norms of GPE, ORG and PER mentions, plus event sources and targets).
"""

from __future__ import annotations

import json
import os
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path

from pipeline.types import LABELS

ACTOR_LABELS = ("GPE", "ORG", "PER")


@dataclass(slots=True)
class Counts:
    tp: int = 0
    pred: int = 0
    gold: int = 0

    def scores(self) -> dict:
        p = self.tp / self.pred if self.pred else 0.0
        r = self.tp / self.gold if self.gold else 0.0
        f = 2 * p * r / (p + r) if p + r else 0.0
        return {
            "tp": self.tp,
            "pred": self.pred,
            "gold": self.gold,
            "precision": round(p, 4),
            "recall": round(r, 4),
            "f1": round(f, 4),
        }


@dataclass(slots=True)
class Accuracy:
    right: int = 0
    total: int = 0

    def add(self, ok: bool) -> None:
        self.right += ok
        self.total += 1

    def value(self) -> float | None:
        return round(self.right / self.total, 4) if self.total else None


@dataclass(slots=True)
class Scorer:
    mentions: dict = field(default_factory=lambda: defaultdict(Counts))
    norms: dict = field(default_factory=lambda: defaultdict(Accuracy))
    categories: Accuracy = field(default_factory=Accuracy)
    models: Accuracy = field(default_factory=Accuracy)
    events: dict = field(default_factory=lambda: defaultdict(Counts))
    event_fields: dict = field(default_factory=lambda: defaultdict(Accuracy))
    actors: Counts = field(default_factory=Counts)
    errors: list = field(default_factory=list)

    def add_document(self, gold: dict, mentions: list[dict], events: list[dict]) -> None:
        self.add_mentions(gold["entities"], mentions, gold["doc_id"])
        self.add_events(gold.get("events", []), events, gold["doc_id"])
        self.add_actors(gold, mentions, events)

    def add_mentions(self, gold: list[dict], pred: list[dict], doc_id: str) -> None:
        by_key = {(m["start"], m["end"], m["label"]): m for m in pred}
        for m in pred:
            self.mentions[m["label"]].pred += 1
        for g in gold:
            key = (g["start"], g["end"], g["label"])
            self.mentions[g["label"]].gold += 1
            p = by_key.get(key)
            if p is None:
                self.errors.append({"doc_id": doc_id, "kind": "missed", **pick(g)})
                continue
            self.mentions[g["label"]].tp += 1
            if g["label"] == "EQUIPMENT":
                self.categories.add(p.get("category") == g.get("category"))
                self.models.add(p.get("model") == g.get("model"))
                self.norms["EQUIPMENT"].add(p.get("category") == g.get("category"))
            else:
                ok = p.get("norm") == g.get("norm")
                self.norms[g["label"]].add(ok)
                if not ok:
                    self.errors.append(
                        {"doc_id": doc_id, "kind": "norm", **pick(g), "pred_norm": p.get("norm")}
                    )
        gold_keys = {(g["start"], g["end"], g["label"]) for g in gold}
        for m in pred:
            if (m["start"], m["end"], m["label"]) not in gold_keys:
                self.errors.append({"doc_id": doc_id, "kind": "spurious", **pick(m)})

    def add_events(self, gold: list[dict], pred: list[dict], doc_id: str = "") -> None:
        """Events match on (type, source, target); a missed gold event, a spurious
        prediction and a matched one with a wrong date, place or equipment are errors
        (kinds ``event_missed``, ``event_spurious``, ``event_field``)."""
        unmatched = list(pred)
        for e in pred:
            self.events[e["type"]].pred += 1
        for g in gold:
            self.events[g["type"]].gold += 1
            key = event_key(g)
            candidates = [p for p in unmatched if event_key(p) == key]
            if not candidates:
                self.errors.append({"doc_id": doc_id, "kind": "event_missed", **pick_event(g)})
                continue
            # among same-key predictions, pair with the one that agrees most (date, then place)
            p = max(
                candidates,
                key=lambda c: (
                    c.get("date") == g.get("date"),
                    c.get("location") == g.get("location"),
                ),
            )
            unmatched.remove(p)
            self.events[g["type"]].tp += 1
            wrong = {}
            for name in ("date", "location", "equipment"):
                if name == "equipment" and g["type"] != "DELIVERY":
                    continue
                right = sorted(p.get(name) or []) == sorted(g.get(name) or [])
                if name != "equipment":
                    right = p.get(name) == g.get(name)
                self.event_fields[name].add(right)
                if not right:
                    wrong[name] = {"gold": g.get(name), "pred": p.get(name)}
            if wrong:
                self.errors.append(
                    {"doc_id": doc_id, "kind": "event_field", **pick_event(g), "wrong": wrong}
                )
        for p in unmatched:
            self.errors.append({"doc_id": doc_id, "kind": "event_spurious", **pick_event(p)})

    def add_actors(self, gold: dict, mentions: list[dict], events: list[dict]) -> None:
        gold_ids = actor_ids(gold["entities"], gold.get("events", []))
        pred_ids = actor_ids(mentions, events)
        self.actors.gold += len(gold_ids)
        self.actors.pred += len(pred_ids)
        self.actors.tp += len(gold_ids & pred_ids)

    def report(self) -> dict:
        labels = [label for label in LABELS if label in self.mentions]
        micro = Counts()
        for label in labels:
            c = self.mentions[label]
            micro.tp, micro.pred, micro.gold = (
                micro.tp + c.tp,
                micro.pred + c.pred,
                micro.gold + c.gold,
            )
        all_events = Counts()
        for c in self.events.values():
            all_events.tp += c.tp
            all_events.pred += c.pred
            all_events.gold += c.gold
        norm_total = Accuracy(
            sum(a.right for a in self.norms.values()), sum(a.total for a in self.norms.values())
        )
        return {
            "mentions": {label: self.mentions[label].scores() for label in labels}
            | {"micro": micro.scores()},
            "normalisation": {label: self.norms[label].value() for label in labels}
            | {
                "all": norm_total.value(),
                "equipment_category": self.categories.value(),
                "equipment_model": self.models.value(),
            },
            "events": {t: c.scores() for t, c in sorted(self.events.items())}
            | {"all": all_events.scores()},
            "event_fields": {name: acc.value() for name, acc in sorted(self.event_fields.items())},
            "actors": self.actors.scores(),
        }


def pick(m: dict) -> dict:
    return {k: m.get(k) for k in ("start", "end", "text", "label", "norm")}


def pick_event(e: dict) -> dict:
    keys = ("type", "source", "target", "date", "evidence", "sentence")
    return {k: e[k] for k in keys if e.get(k) is not None}


def event_key(e: dict) -> tuple:
    return (e.get("type"), e.get("source"), e.get("target"))


def actor_ids(mentions: list[dict], events: list[dict]) -> set[str]:
    ids = {m["norm"] for m in mentions if m.get("label") in ACTOR_LABELS and m.get("norm")}
    ids |= {a for e in events for a in (e.get("source"), e.get("target")) if a}
    return ids


def read_gold(gold_dir: str | os.PathLike) -> list[dict]:
    files = sorted(Path(gold_dir).glob("*.json"))
    if not files:
        raise FileNotFoundError(f"no gold *.json files in {gold_dir}")
    return [json.loads(f.read_text("utf-8")) for f in files]


def predictions_from_tables(frames: dict) -> dict[str, tuple[list[dict], list[dict]]]:
    """doc_id -> (mention dicts, event dicts) from the output tables."""
    out: dict[str, tuple[list, list]] = defaultdict(lambda: ([], []))
    for row in frames["mentions"].to_dict("records"):
        out[row["doc_id"]][0].append(nulls(row))
    for row in frames["events"].to_dict("records"):
        out[row["doc_id"]][1].append(nulls(row))
    return out


def nulls(row: dict) -> dict:
    """pandas' missing values as None; list cells (Python lists, or the NumPy arrays a
    Parquet list column gives, empty ones included) as lists."""
    import numpy as np
    import pandas as pd

    def plain(v):
        if isinstance(v, list | tuple | np.ndarray):
            return list(v)
        return None if pd.isna(v) else v

    return {k: plain(v) for k, v in row.items()}


def evaluate(gold_dir: str | os.PathLike, frames: dict | None = None, *, nlp=None) -> dict:
    """Scores of ``frames`` (the tables of a run) against the gold files; with no frames,
    runs the pipeline on the gold texts first."""
    from pipeline import ingest
    from pipeline.run import extract_tables

    golds = read_gold(gold_dir)
    if frames is None:
        documents = [
            ingest.from_text(
                g["text"], doc_id=g["doc_id"], source=g["doc_id"], doc_date=g.get("doc_date")
            )
            for g in golds
        ]
        frames = extract_tables(documents, nlp=nlp)
    predicted = predictions_from_tables(frames)
    scorer = Scorer()
    for gold in golds:
        mentions, events = predicted.get(gold["doc_id"], ([], []))
        scorer.add_document(gold, mentions, events)
    return scorer.report() | {"documents": len(golds), "errors": scorer.errors}
