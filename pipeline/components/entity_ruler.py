"""`extract_entity_ruler`: names and rule patterns, spaCy's SpanRuler with norms.

Patterns are entity-ruler JSONL, one object per line:

    {"label": "ORG", "pattern": "Société Kinétique du Sahel", "id": "SKS"}
    {"label": "ORG", "pattern": [{"LOWER": "brigade"}, {"IS_TITLE": true}], "id": "brigade"}

- ``label``: one of the SPEC labels (GPE, LOC, ORG, PER, DATE, EQUIPMENT);
- ``pattern``: a phrase (matched as written, token by token) or spaCy token patterns;
- ``id``: the norm of every span the pattern finds (for EQUIPMENT the norm is the
  category); without it the normaliser gives the norm, as for a model span;
- optional ``kind`` and ``country`` (organisations), ``category`` (required for
  EQUIPMENT, one of `pipeline.types.EQUIPMENT_CATEGORIES`) and ``model``;
- ``attr``: ``"LOWER"`` matches the phrase in any case, provided the text has a capital
  letter in it (*tout le monde* is not the newspaper *Le Monde*); ``method``: the name the
  ``mentions`` table gives the finder (default ``gazetteer``).

`initialize` builds the patterns from the package's gazetteers (`pipeline.gazetteers`:
states, places and capitals, organisations, people) and ``data/entity_patterns.jsonl``
(named bases, airports, ministries); `add_patterns` adds more (``extract --patterns
FILE``); ``to_disk`` writes them all with the pipeline. Every pattern proposes candidate
spans of the same rank; the `extract_entities` component chooses among them.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from importlib import resources
from pathlib import Path

from spacy.language import Language
from spacy.matcher import Matcher, PhraseMatcher
from spacy.pipeline import SpanRuler

from pipeline import gazetteers, names
from pipeline.components.extensions import add_error, set_candidates
from pipeline.datafile import json_lines
from pipeline.tag import RULE_RANK, Candidate, spelling_variants
from pipeline.types import EQUIPMENT_CATEGORIES, LABELS

NAME = "extract_entity_ruler"
KEYS = frozenset({"label", "pattern", "id", "kind", "country", "category", "model", "attr"})
INTERNAL_KEYS = frozenset({"method", "lowercase"})  # lowercase: an army name in lower case
GAZETTEER = "gazetteer"


class PatternError(ValueError):
    """A pattern that cannot be used; the message names the file and line."""


@Language.factory(NAME, default_config={"validate": True})
def make_entity_ruler(nlp: Language, name: str, validate: bool) -> NameRuler:
    return NameRuler(nlp, name, validate=validate)


class NameRuler(SpanRuler):
    """A SpanRuler whose matches become candidate entities with their norm (the pattern
    ``id``) and method. Phrases match on ORTH, or on LOWER with ``"attr": "LOWER"``."""

    def __init__(self, nlp: Language, name: str = NAME, *, validate: bool = True):
        super().__init__(
            nlp, name, spans_key=None, annotate_ents=False, validate=validate, overwrite=False
        )

    def clear(self) -> None:
        super().clear()
        self.caseless_matcher = PhraseMatcher(self.nlp.vocab, attr="LOWER")
        self.meanings: dict[int, tuple] = {}  # match key -> (label, norm, method, cat, model)
        self.lowercase_ok: set[int] = set()  # caseless keys that need no capital letter

    def initialize(self, get_examples=None, *, nlp=None, patterns=None) -> None:
        """The package's gazetteers and rule patterns, or ``patterns`` when given."""
        self.clear()
        with gazetteers.using_vocab(self.nlp.vocab):
            self.add_patterns(builtin_patterns() if patterns is None else patterns)

    def add_patterns(self, patterns: Iterable[dict]) -> None:
        """Add patterns (see the module docstring). Phrases are tokenised with the
        tokenizer only, as the PhraseMatcher on ORTH and LOWER needs nothing more."""
        by_key: dict[tuple[str, str], list] = {}
        for entry in patterns:
            check_pattern(entry)
            meaning = meaning_of(entry)
            key = "|".join(str(part) for part in meaning)
            if isinstance(entry["pattern"], str):
                attr = entry.get("attr", "ORTH")
                by_key.setdefault((attr, key), []).append(self.nlp.make_doc(entry["pattern"]))
            else:  # each token pattern keeps its own longest match
                key = f"{key}|{len(self._patterns)}"
                self.matcher.add(key, [entry["pattern"]], greedy="LONGEST")
            self.meanings[self.nlp.vocab.strings.add(key)] = meaning
            if entry.get("lowercase"):
                self.lowercase_ok.add(self.nlp.vocab.strings[key])
            self._patterns.append(entry)
        for (attr, key), docs in by_key.items():
            matcher = self.caseless_matcher if attr == "LOWER" else self.phrase_matcher
            matcher.add(key, docs)

    def __call__(self, doc):
        try:
            with gazetteers.using_vocab(doc.vocab):
                found = self.candidates(doc)
        except Exception as exc:  # one bad document must not stop the run
            add_error(doc, exc)
            found = []
        set_candidates(doc, "names", found)
        return doc

    def candidates(self, doc) -> list[Candidate]:
        """Exact phrases, then phrases in any case (with a capital in the text), then
        token patterns."""
        found = []
        for matcher in (self.phrase_matcher, self.caseless_matcher, self.matcher):
            for match_id, start, end in matcher(doc):
                if start == end:
                    continue
                if (
                    matcher is self.caseless_matcher
                    and match_id not in self.lowercase_ok
                    and not any(c.isupper() for c in doc[start:end].text)
                ):
                    continue  # "tout le monde" is not the newspaper Le Monde
                label, norm, method, category, model = self.meanings[match_id]
                found.append(Candidate(start, end, label, norm, method, RULE_RANK, category, model))
        # names completed by their state, and names found by their written form or by
        # their place on the page (pipeline.names)
        found = names.extend_official_names(doc, found)
        return found + names.dotted_acronyms(doc) + names.page_names(doc)

    def match(self, doc):
        """Spans for spaCy's own SpanRuler API (label, id = norm)."""
        from spacy.tokens import Span

        return [
            Span(doc, c.start, c.end, label=c.label, span_id=c.norm or "")
            for c in self.candidates(doc)
        ]


def meaning_of(entry: dict) -> tuple:
    """(label, norm, method, category, model) of a pattern."""
    label = entry["label"]
    category = entry.get("category")
    norm = category if label == "EQUIPMENT" else (entry.get("id") or None)
    return (label, norm, entry.get("method", GAZETTEER), category, entry.get("model"))


def check_pattern(entry, where: str = "pattern") -> None:
    """Raise PatternError naming ``where`` when ``entry`` is not a usable pattern."""
    if not isinstance(entry, dict):
        raise PatternError(f"{where}: a pattern is a JSON object, not {type(entry).__name__}")
    unknown = set(entry) - KEYS - INTERNAL_KEYS
    if unknown:
        raise PatternError(
            f"{where}: unknown key(s) {', '.join(sorted(unknown))} "
            f"(known: {', '.join(sorted(KEYS))})"
        )
    if entry.get("label") not in LABELS:
        raise PatternError(
            f"{where}: label {entry.get('label')!r} is not one of {', '.join(LABELS)}"
        )
    pattern = entry.get("pattern")
    if isinstance(pattern, str):
        if not pattern.strip():
            raise PatternError(f"{where}: empty pattern")
    elif not (isinstance(pattern, list) and pattern and all(isinstance(t, dict) for t in pattern)):
        raise PatternError(f"{where}: 'pattern' must be a string or a list of token patterns")
    for key in ("id", "kind", "country", "category", "model", "method"):
        if key in entry and entry[key] is not None and not isinstance(entry[key], str):
            raise PatternError(f"{where}: {key!r} must be a string")
    if entry.get("attr", "ORTH") not in ("ORTH", "LOWER"):
        raise PatternError(f"{where}: 'attr' is ORTH or LOWER")
    if entry["label"] == "EQUIPMENT" and entry.get("category") not in EQUIPMENT_CATEGORIES:
        raise PatternError(
            f"{where}: an EQUIPMENT pattern needs a 'category' among "
            f"{', '.join(EQUIPMENT_CATEGORIES)}"
        )


def read_patterns(path: str | Path) -> list[dict]:
    """The patterns of a JSONL file, each checked; a bad line raises PatternError with the
    file and line number. Token patterns are validated by spaCy's Matcher."""
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise PatternError(f"{path}: cannot read the patterns file ({exc})") from None
    patterns = []
    for where, entry in json_lines(text, lambda n: f"{path}, line {n}", PatternError):
        check_pattern(entry, where)
        if isinstance(entry["pattern"], list):
            check_token_pattern(entry["pattern"], where)
        patterns.append(entry)
    if not patterns:
        raise PatternError(f"{path}: no patterns in the file")
    return patterns


def pattern_entries(items: Iterable) -> list[dict]:
    """Patterns from files (paths) and pattern objects (dicts), each checked, in order."""
    found: list[dict] = []
    for item in items:
        if isinstance(item, dict):
            check_pattern(item)
            if isinstance(item["pattern"], list):
                check_token_pattern(item["pattern"], "pattern")
            found.append(item)
        else:
            found.extend(read_patterns(item))
    return found


def check_token_pattern(pattern: list, where: str) -> None:
    import spacy

    try:
        Matcher(spacy.blank("xx").vocab, validate=True).add("check", [pattern])
    except Exception as exc:  # spaCy's own message says which token and attribute
        problems = [
            line[2:].replace("[pattern -> ", "[token ")
            for line in str(exc).splitlines()
            if line.startswith("- ")
        ]
        detail = "; ".join(problems) or str(exc).strip()
        raise PatternError(f"{where}: bad token pattern: {detail}") from None


def builtin_patterns() -> list[dict]:
    """The package's gazetteers and ``data/entity_patterns.jsonl`` as patterns."""
    return [*gazetteer_patterns(), *rule_patterns()]


def gazetteer_patterns() -> list[dict]:
    """States (GPE, id ISO3), places and capitals (LOC), organisations (ORG: names in any
    case, acronyms as written) and people (PER), each form in the spellings news use."""
    patterns: list[dict] = []

    def add(label: str, norm: str, forms: Iterable[str], **extra) -> None:
        for phrase in sorted({v for form in forms for v in spelling_variants(form)}):
            patterns.append({"label": label, "pattern": phrase, "id": norm, **extra})

    by_iso3: dict[str, list[str]] = {}
    for form, iso3 in gazetteers.state_surface_forms().items():
        by_iso3.setdefault(iso3, []).append(form)
    for iso3, forms in sorted(by_iso3.items()):
        add("GPE", iso3, forms)
        # official names are capitalised at will (République Démocratique du Congo)
        add("GPE", iso3, [f for f in forms if len(f.split()) > 2], attr="LOWER")
    for place in gazetteers.places():
        add("LOC", place.name, {names.without_article(f) for f in (place.name, *place.aliases)})
    for org in gazetteers.organisations():
        forms = org.forms()
        lower = {"lowercase": True} if org.lowercase_ok else {}
        add("ORG", org.name, [f for f, cased in forms if not cased], attr="LOWER", **lower)
        add("ORG", org.name, [f for f, cased in forms if cased])
    for person in gazetteers.people():
        add("PER", person.name, (person.name, *person.aliases))
    return patterns


def rule_patterns() -> list[dict]:
    """``data/entity_patterns.jsonl``: token patterns whose ``id`` names the pattern family
    (facility, ministry); their spans get the norm from the normaliser."""
    path = resources.files("pipeline.data").joinpath("entity_patterns.jsonl")
    found = []
    for line in path.read_text("utf-8").splitlines():
        if line.strip():
            spec = json.loads(line)
            found.append({"label": spec["label"], "pattern": spec["pattern"], "method": spec["id"]})
    return found
