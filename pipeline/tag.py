"""Tag: GPE, LOC, ORG and PER spans in a fast-pass Doc.

Three sources of candidate spans, merged so that no two overlap (SPEC: the longest name
wins, no nested spans):

1. gazetteers (`pipeline.gazetteers`): states, organisations, people, places, capitals,
   matched by the pipeline's entity ruler (`pipeline.components.entity_ruler`); they
   carry their canonical norm;
2. token patterns in `data/entity_patterns.jsonl` (named bases and airports, ministries),
   in the same ruler;
3. the statistical NER of `fr_core_news_md`, trimmed of leading determiners and titles.

Rule spans (1, 2 and the date and equipment stages) win over model spans they overlap;
between spans of the same rank the longer wins.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from importlib import resources

from pipeline import gazetteers, page, precision
from pipeline.text import strip_accents
from pipeline.types import Mention

MODEL_LABELS = {"PER": "PER", "LOC": "LOC", "ORG": "ORG"}
DETERMINERS = frozenset(
    {
        "le",
        "la",
        "les",
        "l'",
        "l’",
        "un",
        "une",
        "des",
        "du",
        "de",
        "d'",
        "d’",
        "ce",
        "cette",
        "ces",
        "son",
        "sa",
        "ses",
        "leur",
        "leurs",
    }
)
RULE_RANK, MODEL_RANK = 2, 1


@dataclass(frozen=True, slots=True)
class Candidate:
    start: int  # token offsets in the Doc
    end: int
    label: str
    norm: str | None
    method: str
    rank: int
    category: str | None = None
    model: str | None = None
    quantity: int | None = None


def spelling_variants(form: str) -> set[str]:
    """How news may write one name: both apostrophes, and without accents."""
    variants = {form, form.replace("’", "'"), form.replace("'", "’")}
    variants |= {strip_accents(v) for v in variants}
    return {v for v in variants if v.strip()}


@cache
def not_entities() -> frozenset[str]:
    text = resources.files("pipeline.data").joinpath("not_entities.txt").read_text("utf-8")
    return frozenset(line.strip() for line in text.splitlines() if line.strip() and line[0] != "#")


def model_candidates(doc) -> list[Candidate]:
    found = []
    stop = not_entities()
    evidence = precision.Evidence(doc)
    for ent in doc.ents:
        label = MODEL_LABELS.get(ent.label_)
        if label is None:
            continue
        start, end = trim(doc, ent.start, ent.end, titles=label == "PER")
        if start >= end:
            continue
        refined = precision.refine(doc, start, end, label, evidence)
        if refined is None:
            continue
        start, end, label = refined
        span = doc[start:end]
        if not any(t.text[:1].isupper() or t.text[:1].isdigit() for t in span):
            continue  # names are capitalised; "l'armée nigérienne" is a description
        if sum(c.isalpha() for c in span.text) < 2:
            continue  # a lone initial or an OCR splinter ("W", "S.") names no one
        if span.text.lower() in stop or is_description(span, label):
            continue
        found.append(Candidate(start, end, label, None, "model", MODEL_RANK))
    return found


def is_description(span, label: str) -> bool:
    """A demonym (*Burkinabè*) or a function (*ministre de la Défense*) is not a name."""
    if gazetteers.demonym_iso3(span.text) and not gazetteers.state_iso3(span.text):
        return True
    first = span[0].lower_
    return first in gazetteers.titles() and label != "PER"


def trim(doc, start: int, end: int, *, titles: bool) -> tuple[int, int]:
    """Drop leading determiners (and titles, for people) and trailing punctuation."""
    title_words = gazetteers.titles() if titles else frozenset()
    while start < end:
        word = doc[start].lower_
        if word in DETERMINERS or word in title_words or doc[start].is_punct:
            start += 1
        elif start + 1 < end and f"{word} {doc[start + 1].lower_}" in title_words:
            start += 2
        else:
            break
    while end > start and (doc[end - 1].is_punct or doc[end - 1].is_space):
        end -= 1
    return start, end


def promote_containing_names(candidates: list[Candidate]) -> list[Candidate]:
    """A model PER or ORG span that strictly contains a gazetteer place is a longer name
    (*Maurice Dupont*, *Banque centrale du Niger*): it competes as a rule span, so the
    longest name wins."""
    places = [c for c in candidates if c.method == "gazetteer" and c.label in ("GPE", "LOC")]
    names = [c for c in candidates if c.method == "gazetteer" and c.label in ("PER", "ORG")]

    def inside(c: Candidate, group: list[Candidate]) -> bool:
        return any(
            c.start <= p.start and p.end <= c.end and (p.start, p.end) != (c.start, c.end)
            for p in group
        )

    out = []
    for c in candidates:
        if (
            c.method == "model"
            and c.label in ("PER", "ORG")
            and inside(c, places)
            and not inside(c, names)  # a known name inside is the name (*Sabre au Burkina*)
        ):
            c = Candidate(c.start, c.end, c.label, c.norm, c.method, RULE_RANK)
        out.append(c)
    return out


def resolve_overlaps(candidates: list[Candidate]) -> list[Candidate]:
    """Keep the best span wherever spans overlap: higher rank, then longer, then earlier."""
    candidates = promote_containing_names(candidates)
    ordered = sorted(candidates, key=lambda c: (-c.rank, -(c.end - c.start), c.start))
    taken = bytearray()
    kept = []
    for c in ordered:
        if len(taken) < c.end:
            taken.extend(b"\0" * (c.end - len(taken)))
        if any(taken[c.start : c.end]):
            continue
        taken[c.start : c.end] = b"\1" * (c.end - c.start)
        kept.append(c)
    return sorted(kept, key=lambda c: c.start)


def outside_furniture(doc, candidates: list[Candidate]) -> list[Candidate]:
    """The candidates that are not inside a URL, address, handle or read-also line
    (`pipeline.page`)."""
    furniture = page.furniture_ranges(doc.text)
    if not furniture:
        return candidates
    kept = []
    for c in candidates:
        span = doc[c.start : c.end]
        if not page.overlaps_any(span.start_char, span.end_char, furniture):
            kept.append(c)
    return kept


def char_candidate(doc, mention: Mention, rank: int = RULE_RANK) -> Candidate | None:
    """A Candidate for a mention found by a character-offset stage (dates, equipment)."""
    span = doc.char_span(mention.start, mention.end, alignment_mode="expand")
    if span is None:
        return None
    return Candidate(
        span.start,
        span.end,
        mention.label,
        mention.norm,
        mention.method,
        rank,
        mention.category,
        mention.model,
        mention.quantity,
    )
