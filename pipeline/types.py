"""Plain data passed between stages.

Every stage takes and returns these records, never spaCy objects, so that the
tables, the evaluation and the engines depend on nothing heavier than this module.
Offsets are character offsets into the decoded document text (the whole file,
``date`` prefix included), end exclusive.
"""

from __future__ import annotations

from dataclasses import dataclass, field

LABELS = ("GPE", "LOC", "ORG", "PER", "DATE", "EQUIPMENT")

EQUIPMENT_CATEGORIES = (
    "aircraft",
    "helicopter",
    "uav",
    "armoured_vehicle",
    "artillery",
    "air_defence",
    "missile",
    "ship",
    "sensor",
    "communications",
    "small_arms",
    "ammunition",
    "other",
)

EVENT_TYPES = ("DELIVERY", "TRAINING", "AGREEMENT", "TERMINATION", "COUP", "ATTACK")

DOCUMENT_STATUSES = ("ok", "empty", "not_french", "undecodable", "error")


@dataclass(frozen=True, slots=True)
class Mention:
    """One entity span found in a document."""

    start: int
    end: int
    text: str
    label: str
    norm: str | None = None
    category: str | None = None  # EQUIPMENT only
    model: str | None = None  # EQUIPMENT only: canonical designation, None for a class
    method: str = "model"  # which stage found it: model, gazetteer, date_rules, equipment_rules
    sent_id: int = -1
    quantity: int | None = None  # EQUIPMENT only: number stated in the text


@dataclass(frozen=True, slots=True)
class Sentence:
    sent_id: int
    start: int
    end: int
    text: str


@dataclass(frozen=True, slots=True)
class Event:
    """One reported happening (SPEC section 3)."""

    type: str
    source: str | None
    target: str | None
    date: str | None
    location: str | None
    equipment: tuple[str, ...]
    evidence: str  # trigger words as they stand in the text
    sent_id: int
    sentence: str
    start: int  # trigger offsets in the document text
    end: int
    equipment_spans: tuple[
        tuple[int, int], ...
    ] = ()  # (start, end) of EQUIPMENT mentions tied to it

    @property
    def plover(self) -> str:
        """The PLOVER type (SPEC section 4), as in the ``events`` table."""
        from pipeline.events import plover

        return plover(self)


@dataclass(slots=True)
class Document:
    """One article as ingested, before any language processing."""

    doc_id: str
    source: str
    text: str
    encoding: str | None = "utf-8"
    # ISO date (year, month or day) from the prefix or metadata; a metadata value that is
    # not a date is kept as given, and `message` says so (`pipeline.ingest.metadata_date`)
    doc_date: str | None = None
    body_start: int = 0  # offset where article text begins (after a ``date`` prefix)
    status: str = "ok"
    message: str | None = None  # why the status is not ok, or what ingest repaired
    sha256: str = ""
    metadata: dict = field(default_factory=dict)


@dataclass(slots=True)
class Extraction:
    """Everything found in one document."""

    document: Document
    sentences: list[Sentence] = field(default_factory=list)
    mentions: list[Mention] = field(default_factory=list)
    events: list[Event] = field(default_factory=list)
    errors: list[tuple[str, str]] = field(default_factory=list)  # (stage, message)
