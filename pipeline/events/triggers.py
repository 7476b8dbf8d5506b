"""Event triggers: the cheap candidate test on raw sentence text, and the tokens of a
parsed sentence whose lemma (and part of speech) or lemma sequence is in the lexicon."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from pipeline.events.data import lexicon, per_data
from pipeline.text import fold


@per_data
def candidate_pattern() -> re.Pattern:
    stems = sorted(lexicon()["candidate_stems"], key=len, reverse=True)
    words = sorted(lexicon().get("candidate_words", []), key=len, reverse=True)
    alternatives = [re.escape(s) for s in stems] + [re.escape(w) + r"\b" for w in words]
    return re.compile(r"\b(?:" + "|".join(alternatives) + ")", re.IGNORECASE)


def is_candidate(sentence_text: str) -> bool:
    """Could this sentence hold an event? A cheap test on the raw text: does any word
    start like a trigger form. High recall; only candidates get a full parse."""
    return candidate_pattern().search(sentence_text.replace("’", "'")) is not None


@dataclass
class Frame:
    """One trigger with the roles read from its clause."""

    type: str
    token: object  # the head token of the trigger
    entry: dict
    tokens: list  # the trigger's own tokens (multi-word expressions: all of them)
    sources: list[str] = field(default_factory=list)
    targets: list[str] = field(default_factory=list)
    scope: set[int] = field(default_factory=set)
    deadline: bool = False
    earlier: bool = False  # told as anterior to the story ("un précédent envoi", pluperfect)
    visit: tuple | None = None  # (visitor, host) of a visit framing it (events.visits)


def key_of(token) -> str:
    lower = token.lower_.replace("’", "'")
    return {"au": "à", "aux": "à", "du": "de", "des": "de", "d'": "de", "s'": "se"}.get(
        lower, token.lemma_.lower()
    )


@per_data
def trigger_index() -> tuple[dict[str, list[dict]], dict[str, list[dict]]]:
    """Single-word trigger entries by lemma, multi-word entries by their first lemma
    (folded: capitals often lose their accents, "coup d'Etat")."""
    single: dict[str, list[dict]] = {}
    sequences: dict[str, list[dict]] = {}
    for entry in lexicon()["triggers"]:
        if "lemmas" in entry:
            sequences.setdefault(fold(entry["lemmas"][0]), []).append(entry)
        elif "lemma" in entry:
            single.setdefault(entry["lemma"], []).append(entry)
    return single, sequences


def find_triggers(sentence) -> list[tuple[dict, object, list]]:
    """(entry, head token, tokens) for every trigger in a parsed sentence (a Span):
    multi-word expressions first (in lexicon order), then single words on tokens no
    expression took. Each token's key is computed once."""
    single, sequences = trigger_index()
    keys = {token.i: key_of(token) for token in sentence}
    found = []
    used: set[int] = set()
    order = {id(entry): n for n, entry in enumerate(lexicon()["triggers"])}
    multi = []
    for token in sentence:
        for entry in sequences.get(fold(keys[token.i]), ()):
            match = match_sequence(sentence, keys, token.i, entry["lemmas"])
            if match is not None:
                multi.append((order[id(entry)], token.i, entry, match))
    for _, _, entry, match in sorted(multi, key=lambda m: (m[0], m[1])):
        if any(t.i in used for t in match):
            continue  # a longer or earlier expression took these words ("emparer du pouvoir")
        head = next((t for t in match if t.pos_ in ("VERB", "NOUN")), match[0])
        found.append((entry, head, match))
        used.update(t.i for t in match)
    fixes = lexicon()["words"]["participle_lemmas"]
    for token in sentence:
        if token.i in used:
            continue
        key = keys[token.i]
        entries = single.get(key, [])
        if token.lower_ != key:
            entries = entries + single.get(token.lower_, [])
        fixed = fixes.get(key)
        if not entries and fixed is None:
            continue  # no trigger can stand here: spare the verb test
        verbal = is_verbal(token)
        if verbal and fixed is not None and token.pos_ not in ("VERB", "ADJ"):
            entries = entries + single.get(fixed, [])  # "sont partis" tagged NOUN "parti"
        for entry in sorted(entries, key=lambda e: order[id(e)]):
            if entry["pos"] == "VERB" and token.pos_ not in ("VERB", "ADJ") and not verbal:
                continue
            if entry["pos"] == "NOUN" and (token.pos_ not in ("NOUN", "PROPN") or verbal):
                continue
            found.append((entry, token, [token]))
    return found


def is_verbal(token) -> bool:
    """A word with an auxiliary of its own is a verb, whatever its tag ("sont partis"); so
    is a participle the parser gave a copula ("les soldats sont partis")."""
    if any(c.dep_ in ("aux", "aux:pass", "aux:tense") for c in token.children):
        return True
    participle = "Part" in token.morph.get("VerbForm") or (
        token.lemma_.lower() in lexicon()["words"]["participle_lemmas"]
    )
    return participle and any(c.dep_ == "cop" for c in token.children)


def match_sequence(sentence, keys: dict[int, str], start: int, lemmas: list[str]) -> list | None:
    """The token run from ``start`` (a token index in the sentence's Doc) whose keys are
    ``lemmas`` in order (compared folded: "coup d'Etat" is "coup d'État"), or None; up to
    three determiners, auxiliaries, adverbs or pronouns may stand between two words."""
    doc = sentence.doc
    run, position = [doc[start]], start
    for lemma in lemmas[1:]:
        nxt = None
        for j in range(position + 1, min(position + 5, sentence.end)):
            if fold(keys[j]) == fold(lemma):
                nxt = doc[j]
                break
            if doc[j].pos_ not in ("DET", "AUX", "ADV", "PRON"):
                break
        if nxt is None:
            return None
        run.append(nxt)
        position = nxt.i
    return run
