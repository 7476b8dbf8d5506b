"""Behavioural tests of the events stage, in the spirit of CheckList (Ribeiro et al. 2020).

The cases live in ``tests/behaviour/*.jsonl``, one JSON object a line, written for the
suite (never taken from the development or gold texts)::

    {"id": "delivery-passive-1", "type": "DELIVERY", "capability": "passive", "test": "MFT",
     "items": [{"text": "Des blindés ont été livrés au Mali par la Chine.",
                "expect": [{"type": "DELIVERY", "source": "CHN", "target": "MLI"}]}]}

- ``test``: ``MFT`` (minimum functionality: one phrasing, its known events), ``INV``
  (variants that must not change the answer: names, dates, word order; each variant says
  its own expected events) or ``DIR`` (a change that must change the answer: negation,
  modality, role swap; the twin says the new answer, often no event);
- ``items``: one or more texts; a case passes when every item gives exactly its
  ``expect`` (the multiset of (type, source, target)), and the fields an expectation
  names besides those (``date``, ``location``, ``equipment``) agree;
- ``date`` (optional, on the case or on an item): the document date, default 2024-06-10;
- ``known_failure`` (optional): why the pipeline fails the case today. The test suite
  requires every other case to pass; known failures are still run and counted.

``python -m pipeline.behaviour`` prints the pass rate per capability, per type and per
test kind (``make eval`` calls it); ``--failures`` lists each failing case.
"""

from __future__ import annotations

import json
import sys
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from pathlib import Path

CASES_DIR = Path(__file__).resolve().parent.parent / "tests" / "behaviour"
DEFAULT_DATE = "2024-06-10"
TESTS = ("MFT", "INV", "DIR")
TYPES = ("DELIVERY", "TRAINING", "AGREEMENT", "TERMINATION", "COUP", "ATTACK")
EXPECT_KEYS = {"type", "source", "target", "date", "location", "equipment"}


class CaseError(ValueError):
    """A malformed case file: the message names the file and line."""


@dataclass
class Case:
    id: str
    type: str
    capability: str
    test: str
    items: list[dict]
    where: str  # file:line
    known_failure: str | None = None
    failures: list[str] = field(default_factory=list)

    @property
    def passed(self) -> bool:
        return not self.failures


def load_cases(folder: Path = CASES_DIR) -> list[Case]:
    """Every case of ``folder/*.jsonl``, checked: a missing key, an unknown type or test
    kind, a duplicate id or an expectation with unknown fields is a CaseError naming the
    file and line."""
    cases, seen = [], {}
    files = sorted(folder.glob("*.jsonl"))
    if not files:
        raise CaseError(f"no behaviour cases (*.jsonl) in {folder}")
    for path in files:
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            if not line.strip() or line.lstrip().startswith("//"):
                continue
            where = f"{path.name}:{number}"
            cases.append(parse_case(line, where, seen))
    return cases


def parse_case(line: str, where: str, seen: dict) -> Case:
    try:
        raw = json.loads(line)
    except json.JSONDecodeError as exc:
        raise CaseError(f"{where}: not JSON ({exc.msg})") from None
    for key in ("id", "type", "capability", "test", "items"):
        if key not in raw:
            raise CaseError(f"{where}: missing key {key!r}")
    if raw["type"] not in TYPES:
        raise CaseError(f"{where}: unknown event type {raw['type']!r}")
    if raw["test"] not in TESTS:
        raise CaseError(f"{where}: unknown test kind {raw['test']!r} (one of {TESTS})")
    if raw["id"] in seen:
        raise CaseError(f"{where}: id {raw['id']!r} already used at {seen[raw['id']]}")
    seen[raw["id"]] = where
    if not raw["items"]:
        raise CaseError(f"{where}: no items")
    items = []
    for item in raw["items"]:
        if "text" not in item or "expect" not in item:
            raise CaseError(f"{where}: an item needs 'text' and 'expect'")
        for expected in item["expect"]:
            unknown = set(expected) - EXPECT_KEYS
            if unknown or "type" not in expected or expected["type"] not in TYPES:
                raise CaseError(f"{where}: bad expectation {expected}")
        items.append({"date": raw.get("date", DEFAULT_DATE), **item})
    return Case(
        raw["id"],
        raw["type"],
        raw["capability"],
        raw["test"],
        items,
        where,
        raw.get("known_failure"),
    )


def run_cases(cases: list[Case], nlp=None) -> list[Case]:
    """Run every item of every case through the whole pipeline (tagging, parse, events)
    and record each case's failures."""
    from pipeline import ingest
    from pipeline.process import Processor

    documents = [
        ingest.from_text(item["text"], doc_id=f"{c.id}#{k}", source=c.where, doc_date=item["date"])
        for c in cases
        for k, item in enumerate(c.items)
    ]
    found = {x.document.doc_id: x for x in Processor(nlp).process(documents)}
    for case in cases:
        case.failures = []
        for k, item in enumerate(case.items):
            extraction = found[f"{case.id}#{k}"]
            problem = compare(item["expect"], extraction.events)
            if extraction.document.status != "ok" or extraction.errors:
                why = "; ".join(message for _, message in extraction.errors)
                problem = f"document {extraction.document.status}: {why}"
            if problem:
                case.failures.append(f"{item['text']!r}: {problem}")
    return cases


def key(e) -> tuple:
    get = e.get if isinstance(e, dict) else lambda name: getattr(e, name)
    return (get("type"), get("source"), get("target"))


def compare(expected: list[dict], events: list) -> str | None:
    """None when the events are exactly the expected ones, else what differs."""
    want, got = Counter(key(e) for e in expected), Counter(key(e) for e in events)
    if want != got:
        return f"expected {sorted(want.elements(), key=str)}, got {sorted(got.elements(), key=str)}"
    for e in expected:
        match = [x for x in events if key(x) == key(e)]
        for name in ("date", "location", "equipment"):
            if name not in e:
                continue
            values = [getattr(x, name) for x in match]
            if name == "equipment":
                values = [sorted(v) for v in values]
            if (sorted(e[name]) if name == "equipment" else e[name]) not in values:
                return f"{key(e)}: {name} {e[name]!r} expected, got {values}"
    return None


def rates(cases: list[Case], attribute: str) -> dict[str, tuple[int, int]]:
    counts: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    for case in cases:
        value = getattr(case, attribute)
        counts[value][0] += case.passed
        counts[value][1] += 1
    return {name: (p, n) for name, (p, n) in sorted(counts.items())}


def report(cases: list[Case], *, failures: bool = False) -> str:
    lines = [f"== behavioural suite (events): {len(cases)} cases"]
    for attribute in ("capability", "type", "test"):
        lines.append(f"-- pass rate per {attribute}")
        for name, (p, n) in rates(cases, attribute).items():
            lines.append(f"{name:>24} {p:>4}/{n:<4} {p / n:6.1%}")
    total = sum(c.passed for c in cases)
    lines.append(f"{'all':>24} {total:>4}/{len(cases):<4} {total / len(cases):6.1%}")
    known = [c for c in cases if c.known_failure]
    lines.append(f"known failures: {len(known)} ({sum(c.passed for c in known)} now pass)")
    if failures:
        for c in cases:
            for problem in c.failures:
                note = f" [known: {c.known_failure}]" if c.known_failure else ""
                lines.append(f"FAIL {c.id} ({c.where}){note}: {problem}")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    if not CASES_DIR.is_dir():  # an installed package without the source tree's tests
        print(f"behaviour cases not found at {CASES_DIR}: skipped")
        return 0
    try:
        cases = load_cases()
    except CaseError as exc:
        print(f"behaviour cases: {exc}", file=sys.stderr)
        return 2
    print(report(run_cases(cases), failures="--failures" in argv))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
