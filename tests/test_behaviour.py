"""The behavioural suite of the events stage (``tests/behaviour/*.jsonl``, run by
``pipeline.behaviour``): every case not marked as a known failure must pass, through the
whole pipeline (tagging, parse, events), with the session's model."""

from __future__ import annotations

import json
from collections import Counter

import pytest

from pipeline import behaviour

CASES = behaviour.load_cases()


@pytest.fixture(scope="module")
def results(nlp):
    return {case.id: case for case in behaviour.run_cases(behaviour.load_cases(), nlp)}


def test_the_suite_covers_every_type_capability_and_test_kind():
    assert len(CASES) >= 150
    by_type = Counter(case.type for case in CASES)
    assert set(by_type) == set(behaviour.TYPES)
    assert min(by_type.values()) >= 15
    kinds = {(case.type, case.test) for case in CASES}
    assert {(t, k) for t in behaviour.TYPES for k in behaviour.TESTS} <= kinds
    capabilities = {case.capability for case in CASES}
    assert {
        "active",
        "passive",
        "pronominal",
        "participial",
        "nominal",
        "light_verb",
        "relative_clause",
        "coordination",
        "claim",
        "name_swap",
        "date_swap",
        "negation",
        "modality",
        "role_swap",
        "two_events",
    } <= capabilities


@pytest.mark.parametrize("case_id", [c.id for c in CASES if not c.known_failure])
def test_case_passes(results, case_id):
    case = results[case_id]
    assert case.passed, "\n".join(case.failures)


def test_known_failures_say_why():
    for case in CASES:
        if case.known_failure is not None:
            assert len(case.known_failure) > 20, case.id


def test_the_report_gives_a_pass_rate_per_capability(results):
    text = behaviour.report(list(results.values()))
    assert "pass rate per capability" in text
    for line in ("negation", "claim", "two_events", "all"):
        assert any(row.split()[0] == line for row in text.splitlines() if row.strip()), line


def write_case(tmp_path, line: str):
    (tmp_path / "cases.jsonl").write_text(line + "\n", encoding="utf-8")
    return tmp_path


@pytest.mark.parametrize(
    ("case", "message"),
    [
        ({"id": "x", "type": "DELIVERY", "capability": "a", "test": "MFT"}, "missing key 'items'"),
        (
            {"id": "x", "type": "DELIVERIES", "capability": "a", "test": "MFT", "items": []},
            "unknown event type 'DELIVERIES'",
        ),
        (
            {"id": "x", "type": "DELIVERY", "capability": "a", "test": "XYZ", "items": []},
            "unknown test kind 'XYZ'",
        ),
        (
            {
                "id": "x",
                "type": "DELIVERY",
                "capability": "a",
                "test": "MFT",
                "items": [{"text": "t", "expect": [{"type": "DELIVERY", "who": "x"}]}],
            },
            "bad expectation",
        ),
    ],
)
def test_a_malformed_case_is_rejected_naming_file_and_line(tmp_path, case, message):
    folder = write_case(tmp_path, json.dumps(case))
    with pytest.raises(behaviour.CaseError) as caught:
        behaviour.load_cases(folder)
    assert "cases.jsonl:1" in str(caught.value)
    assert message in str(caught.value)


def test_compare_checks_the_fields_an_expectation_names():
    from pipeline.types import Event

    event = Event("DELIVERY", "RUS", "MLI", "2024-03", None, ("uav",), "a livré", 0, "", 0, 1)
    assert (
        behaviour.compare([{"type": "DELIVERY", "source": "RUS", "target": "MLI"}], [event]) is None
    )
    assert behaviour.compare([{"type": "DELIVERY", "source": "TUR", "target": "MLI"}], [event])
    wrong_date = {"type": "DELIVERY", "source": "RUS", "target": "MLI", "date": "2024-04"}
    assert "date" in behaviour.compare([wrong_date], [event])
    wrong_kit = {"type": "DELIVERY", "source": "RUS", "target": "MLI", "equipment": ["ship"]}
    assert "equipment" in behaviour.compare([wrong_kit], [event])
    assert behaviour.compare([], [event])  # an event where none is expected fails
