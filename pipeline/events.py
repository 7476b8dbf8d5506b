"""Events: the six SPEC event types (section 3) from the dependency parse of candidate
sentences and the trigger lexicon in ``data/triggers.json``.

How it works, per candidate sentence:

1. triggers: tokens whose lemma (and part of speech) or lemma sequence is in the lexicon;
2. modality: a trigger is dropped when the happening is planned, promised, wished,
   threatened, denied or negated (a governing "devoir", "aller", "prévoir", "menacer",
   "démentir"...; a negation; future or conditional mood; "prochaine livraison"), or an
   ongoing situation (imperfect tense of the trigger verb);
   Rule for obligations with a deadline: "devoir" + a TERMINATION trigger + a deadline
   ("d'ici (à) fin août", "avant le", "au plus tard") is an event dated at the deadline:
   the withdrawal is decided and under way, the date is when it will be complete;
3. roles: a frame per trigger (give, receive, train, sign, visit, leave, seize...) maps
   subject, object, agent ("par"), and prepositional phrases to source and target; the
   actors of phrases come from `pipeline.event_roles`; instructors sent or arriving
   ("X a dépêché des instructeurs au Mali", "l'arrivée de conseillers russes") train the
   host, the trainer being their demonym or the sender;
4. same-type triggers nested in one clause ("a reçu des drones livrés par la Turquie")
   are one happening; coordinated actors give one event each;
5. date, location and equipment from the trigger's clause: a date inside "après/avant X"
   dates another happening and is skipped; a place after "par", "avec", "entre" is a
   partner, not the place; transport aircraft that only carried the cargo ("à bord d'un
   Il-76", its apposition "un gros-porteur") are not equipment; an elided verb ("a fourni
   X en mars, puis Y en août") gives one delivery per dated stretch; "respectivement"
   followed by one date per coordinated actor (or place) gives each its own date;
6. "le matériel est arrivé mercredi" (arrival verb with cargo as subject) is a delivery
   report without actors of its own: it restates a nearby delivery and gives its date.

Then per document (``pipeline.event_merge``): an event missing an actor borrows it from
the nearest event of the same type, events still missing an actor are dropped (see
``complete``), and restatements are merged.

COUP target: the state whose government falls, as SPEC section 3 says (the contract wins
over the annotation notes, which propose the deposed leader); ``COUP_TARGET = "leader"``
switches to the notes' reading (the deposed leader's canonical name, else None).
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field, replace
from functools import cache
from importlib import resources

from pipeline.event_merge import fill_roles, merge
from pipeline.event_roles import (
    SentenceIndex,
    actor_of_phrase,
    actors_of,
    by_case,
    case_of,
    clause_verb,
    demonym,
    gazetteers,
    is_passive,
    is_reflexive,
    is_state_body,
    mention_actor,
    subject_of,
    title_state,
)
from pipeline.types import Event, Mention, Sentence

PLOVER = {
    "DELIVERY": "AID",
    "TRAINING": "AID",
    "AGREEMENT": "CONSULT",
    "TERMINATION": "SANCTION",
    "COUP": "COERCE",
    "ATTACK": "ASSAULT",
}
COUP_TARGET = "state"  # SPEC section 3; "leader" follows the annotation notes instead
BASE_WORDS = ("base", "camp", "aéroport", "emprise", "caserne", "port ")
# verbs that only carry a noun trigger's roles ("faire don", "effectuer une livraison");
# "annoncer la livraison" is not one: who announces may be the one who receives
PARTNER_CASES = ("par", "avec", "entre")  # a place after these is an actor, not where
CLAUSE_BREAKS = ("advcl", "ccomp", "parataxis", "conj")


@cache
def lexicon() -> dict:
    """The trigger lexicon (``data/triggers.json``)."""
    text = resources.files("pipeline").joinpath("data/triggers.json").read_text(encoding="utf-8")
    return json.loads(text)


@cache
def words(name: str) -> frozenset[str]:
    return frozenset(lexicon()["words"][name])


@cache
def modality(name: str) -> tuple[str, ...]:
    return tuple(lexicon()["modality"][name])


@cache
def candidate_pattern() -> re.Pattern:
    stems = sorted(lexicon()["candidate_stems"], key=len, reverse=True)
    words = sorted(lexicon().get("candidate_words", []), key=len, reverse=True)
    alternatives = [re.escape(s) for s in stems] + [re.escape(w) + r"\b" for w in words]
    return re.compile(r"\b(?:" + "|".join(alternatives) + ")", re.IGNORECASE)


def is_candidate(sentence_text: str) -> bool:
    """Could this sentence hold an event? A cheap test on the raw text: does any word
    start like a trigger form. High recall; only candidates get a full parse."""
    return candidate_pattern().search(sentence_text.replace("’", "'")) is not None


def plover(event: Event) -> str:
    """The PLOVER type of an event (AGREEMENT: AGREE for signed or concluded agreements,
    CONSULT for calls, talks and visits)."""
    if event.type == "AGREEMENT":
        evidence = event.evidence.lower()
        if any(cue in evidence for cue in lexicon()["words"]["agree_cues"]):
            return "AGREE"
    return PLOVER[event.type]


# ---------------------------------------------------------------- triggers


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


def key_of(token) -> str:
    lower = token.lower_.replace("’", "'")
    return {"au": "à", "aux": "à", "du": "de", "des": "de", "d'": "de", "s'": "se"}.get(
        lower, token.lemma_.lower()
    )


@cache
def trigger_index() -> tuple[dict[str, list[dict]], dict[str, list[dict]]]:
    """Single-word trigger entries by lemma, multi-word entries by their first lemma."""
    single: dict[str, list[dict]] = {}
    sequences: dict[str, list[dict]] = {}
    for entry in lexicon()["triggers"]:
        if "lemmas" in entry:
            sequences.setdefault(entry["lemmas"][0], []).append(entry)
        elif "lemma" in entry:
            single.setdefault(entry["lemma"], []).append(entry)
    return single, sequences


def find_triggers(doc) -> list[tuple[dict, object, list]]:
    """(entry, head token, tokens) for every trigger in a Doc: multi-word expressions first
    (in lexicon order), then single words on tokens no expression took. Each token's key
    is computed once."""
    single, sequences = trigger_index()
    keys = [key_of(token) for token in doc]
    found = []
    used: set[int] = set()
    order = {id(entry): n for n, entry in enumerate(lexicon()["triggers"])}
    multi = []
    for token in doc:
        for entry in sequences.get(keys[token.i], ()):
            match = match_sequence(doc, keys, token.i, entry["lemmas"])
            if match is not None:
                multi.append((order[id(entry)], token.i, entry, match))
    for _, _, entry, match in sorted(multi, key=lambda m: (m[0], m[1])):
        if any(t.i in used for t in match):
            continue  # a longer or earlier expression took these words ("emparer du pouvoir")
        head = next((t for t in match if t.pos_ in ("VERB", "NOUN")), match[0])
        found.append((entry, head, match))
        used.update(t.i for t in match)
    for token in doc:
        if token.i in used:
            continue
        entries = single.get(keys[token.i], [])
        if token.lower_ != keys[token.i]:
            entries = entries + single.get(token.lower_, [])
        for entry in sorted(entries, key=lambda e: order[id(e)]):
            if entry["pos"] == "VERB" and token.pos_ not in ("VERB", "ADJ"):
                continue
            if entry["pos"] == "NOUN" and token.pos_ not in ("NOUN", "PROPN"):
                continue
            found.append((entry, token, [token]))
    return found


def match_sequence(doc, keys: list[str], start: int, lemmas: list[str]) -> list | None:
    """The token run from ``start`` whose keys are ``lemmas`` in order, or None; up to three
    determiners, auxiliaries, adverbs or pronouns may stand between two words."""
    run, position = [doc[start]], start
    for lemma in lemmas[1:]:
        nxt = None
        for j in range(position + 1, min(position + 5, len(doc))):
            if keys[j] == lemma:
                nxt = doc[j]
                break
            if doc[j].pos_ not in ("DET", "AUX", "ADV", "PRON"):
                break
        if nxt is None:
            return None
        run.append(nxt)
        position = nxt.i
    return run


# ---------------------------------------------------------------- modality


def blocked(frame: Frame, index: SentenceIndex) -> bool:
    """Is the happening planned, promised, negated, denied, threatened or ongoing?"""
    token = frame.token
    verb = token if token.pos_ in ("VERB", "ADJ") else clause_verb(token)
    if token.pos_ in ("NOUN", "PROPN"):
        for child in token.children:
            if child.lower_ in modality("planned_modifiers") or child.lemma_ in modality(
                "planned_modifiers"
            ):
                return True
    if verb is None:
        return False
    if (
        token.pos_ in ("VERB", "ADJ")
        and token.dep_ not in ("acl", "amod")
        and "Imp" in token.morph.get("Tense")
        and "Fin" in token.morph.get("VerbForm")
    ):
        return True  # ongoing or habitual: "l'accord qui le liait"
    current, hops = verb, 0
    while current is not None and hops < 4:
        if negated(current) or future_or_conditional(current):
            return True
        lemma = current.lemma_.lower()
        if current.i != verb.i and lemma in modality("planned_heads"):
            if lemma == "devoir" and frame.type == "TERMINATION" and has_deadline(current):
                frame.deadline = True
                return False
            return True
        if current.dep_ not in ("xcomp", "ccomp", "obj", "obl:arg", "acl", "nmod", "advcl"):
            break
        if current.dep_ in ("acl", "nmod", "advcl") and current.pos_ not in ("VERB",):
            break
        current, hops = current.head, hops + 1
    return False


def negated(verb) -> bool:
    children = list(verb.children)
    has_ne = any(c.lower_ in ("ne", "n'", "n’") for c in children)
    return has_ne and any(
        c.lemma_.lower() in modality("negators") or c.lower_ in modality("negators")
        for c in children
    )


def future_or_conditional(verb) -> bool:
    for token in [verb, *[c for c in verb.children if c.dep_.startswith("aux")]]:
        if "Cnd" in token.morph.get("Mood") or "Fut" in token.morph.get("Tense"):
            return True
    return False


def has_deadline(verb) -> bool:
    text = " ".join(t.text for t in verb.subtree).lower().replace("’", "'").replace(" '", "'")
    text = text.replace("' ", "'")
    return any(cue.replace("’", "'") in text for cue in modality("deadline_cues"))


# ---------------------------------------------------------------- roles


def theme_of(token) -> list:
    """What a trigger acts on: the object, the passive subject, the noun a participle
    modifies, or for a noun the "de" complement."""
    if token.pos_ in ("NOUN", "PROPN"):
        return [c for c in token.children if c.dep_ == "nmod" and case_of(c) == "de"]
    if token.dep_ in ("acl", "amod") and is_passive(token):
        return [token.head]
    found = [c for c in token.children if c.dep_ in ("obj", "nsubj:pass")]
    if not found and is_passive(token):
        subject = subject_of(token)
        found = [subject] if subject is not None else []
    return found


def agents_of(token) -> list:
    """The doer: the active subject, or the "par" phrase of a passive or a noun."""
    if token.pos_ in ("NOUN", "PROPN") or is_passive(token):
        found = [c for c in token.children if case_of(c) == "par" and c.dep_ != "case"]
        if not found and is_passive(token):
            # the parser often hangs the agent on the phrase before it ("livrés au Niger
            # par la Russie": "par la Russie" under "Niger"); one level down is still
            # the verb's agent
            found = [
                g
                for c in token.children
                if c.dep_.startswith("obl")
                for g in c.children
                if g.dep_ == "nmod" and case_of(g) == "par"
            ]
        return found
    subject = subject_of(token)
    if subject is None:
        return []
    # the parser sometimes gives two subjects where it missed a coordination ("Le
    # Kremlin et le Mali ont signé": both nsubj); each is a doer
    more = [c for c in token.children if c.dep_ == "nsubj" and c.i != subject.i]
    return [subject, *more] if subject.head.i == token.i else [subject]


def acts(tokens, index, **kwargs) -> list[str]:
    found = []
    for token in tokens:
        for actor in actors_of(token, index, **kwargs):
            if actor not in found:
                found.append(actor)
    return found


def split_pair(actors: list[str]) -> tuple[list[str], list[str]]:
    return (actors[:1], actors[1:]) if len(actors) > 1 else (actors, [])


def read_roles(frame: Frame, index: SentenceIndex) -> None:
    """Fill a frame's sources and targets from the syntax around its trigger."""
    t, name = frame.token, frame.entry["frame"]
    noun = t.pos_ in ("NOUN", "PROPN")
    verb = clause_verb(t) if noun else None
    verb_subject = subject_of(verb) if verb is not None else None
    if verb_subject is not None and verb_subject.i == t.i:
        verb_subject = None
    agents, themes = agents_of(t), theme_of(t)
    keep = name == "seize"
    source, target = [], []
    if name == "give":
        source = acts(agents, index)
        light = noun and is_light(t, verb)
        if light and not source and verb_subject is not None:
            source = acts([verb_subject], index)  # "X a fait don de ... à Y"
        if noun and not source:
            source = [a for a in acts(themes, index) if a]
        target = acts(
            by_case(t, ("à", "pour", "auprès")) + [c for c in t.children if c.dep_ == "iobj"],
            index,
        )
        if not target and "target_case" in frame.entry:  # "mettre à la disposition de X"
            target = acts(by_case(frame.tokens[-1], (frame.entry["target_case"],)), index)
        if not target:
            target = acts(by_case(t, ("à",), deep=True), index)
        if light and not target:
            target = [a for a in acts(by_case(verb, ("à", "auprès")), index) if a not in source]
    elif name == "receive":
        target = acts(agents if not noun else by_case(t, ("par", "de")), index)
        source = acts(by_case(t, ("de", "auprès", "chez")), index) or acts(
            [x for theme in themes for x in by_case(theme, ("de", "auprès", "chez"), deep=True)],
            index,
        )
        if not source and t.lemma_ in ("acheter", "acquérir", "acquisition", "achat"):
            source = acts(by_case(t, ("à",), deep=True), index)
        if not source:  # "a reçu des canons commandés à X", "des drones fabriqués par X"
            ordered = [
                x
                for theme in themes
                for x in theme.subtree
                if x.dep_ in ("acl", "amod") and x.lemma_.lower() in words("order_verbs")
            ]
            source = acts([y for x in ordered for y in by_case(x, ("à", "auprès", "par"))], index)
        if not source:  # "a reçu un lot de drones turcs": the makers' state supplied them
            source = maker_states(themes, index)
    elif name == "equip":
        if is_reflexive(t) or is_passive(t):
            target = acts([subject_of(t)] if subject_of(t) is not None else [], index)
            source = acts(by_case(t, ("par", "de"), deep=True), index)
        else:
            source, target = acts(agents, index), acts(themes, index)
    elif name == "train":
        if noun and benefits(t, verb):  # "les soldats X ont bénéficié d'une formation"
            target = acts([verb_subject], index) if verb_subject is not None else []
            given = [c for c in t.children if c.dep_ in ("acl", "amod") and c.pos_ == "VERB"]
            source = acts([x for c in given for x in by_case(c, ("par",))], index)
            source = source or acts([c for c in t.children if c.dep_ == "amod"], index)
        elif noun:
            target = acts(themes + by_case(t, ("à",)), index)
            source = acts(by_case(t, ("par",)), index) or (
                acts([verb_subject], index) if verb_subject is not None else []
            )
        else:
            source, target = acts(agents, index), acts(themes, index)
            subject = subject_of(t)
            if (
                not source
                and subject is not None
                and subject.lemma_.lower() in words("sending_nouns")
            ):  # "l'envoi de forces spéciales en vue de former X": who sends trains
                sender = clause_verb(subject)
                source = acts(by_case(subject, ("par",)), index) or (
                    acts([subject_of(sender)], index)
                    if sender is not None and subject_of(sender) is not None
                    else []
                )
    elif name == "trainer":
        source, target = read_trainer(t, index, verb, verb_subject)
    elif name in ("sign", "meet"):
        base = agents if not noun else by_case(t, ("par", "de"))
        if noun and not base and verb_subject is not None:
            base = [verb_subject]
        source, target = split_pair(acts(base, index))
        between = acts(by_case(t, ("entre",), deep=True), index)
        if between and not source:
            source, target = split_pair(between)
        target = target or acts(by_case(t, ("avec",), deep=True), index)
        if name == "meet" and not target and not noun:
            target = acts(themes, index)
    elif name == "visit":
        if noun:
            source = acts(by_case(t, ("de",), deep=True), index) or (
                acts([verb_subject], index) if verb_subject is not None else []
            )
            target = acts(by_case(t, ("à", "en", "au")), index)
        else:
            source = acts(agents, index)
            target = acts(themes + by_case(t, ("à", "en")), index)
    elif name == "host":
        target = acts(agents, index)
        source = acts(themes, index)
        if not target:  # "X a été reçu à Paris": the host is the state of the place
            target = [s for s in [place_state(frame, index)] if s and s not in source]
    elif name == "end":
        source = (
            acts(agents, index)
            if not noun
            else (
                acts(by_case(t, ("par",)), index)
                or (acts([verb_subject], index) if verb_subject is not None else [])
            )
        )
        target = acts(by_case(t, ("avec",), deep=True), index)
        if (
            not target
        ):  # the partner named in the agreement's phrase ("l'accord ... aux États-Unis")
            target = [a for a in acts(mention_heads(themes, index), index) if a not in source]
        if not target and noun and verb is not None:  # "avec X" hung on the governing verb
            target = [a for a in acts(by_case(verb, ("avec",)), index) if a not in source]
        source, target = own_presence(frame, index, source, target)
    elif name == "expel":
        source = acts(agents, index)
        target = acts(themes + by_case(t, ("à",)), index, nmod_states=False)
        if not target:  # the object hung on the expression's last word ("vers la sortie X")
            stray = [c for c in frame.tokens[-1].children if c.dep_ in ("obj", "nmod")]
            stray = [c for c in stray if case_of(c) is None] + by_case(frame.tokens[-1], ("à",))
            target = acts(stray, index, nmod_states=False)
        target = [a for a in target if not is_armed_group(a)]
    elif name == "leave":
        read_leave(frame, index, agents, themes, verb, verb_subject)
        return
    elif name == "hand_back":
        target = acts(agents, index)
        source = [a for a in acts(by_case(t, ("à",)), index) if a not in target] or [
            a for a in acts(by_case(t, ("à",), deep=True), index) if a not in target
        ]
    elif name == "seize":
        source, target = read_coup(frame, index, agents, themes, verb, verb_subject)
    elif name == "attack":
        source, target = read_attack(frame, index, agents, themes, verb, verb_subject)
    elif name == "capture":
        source, target = read_capture(frame, index, agents, themes)
    frame.sources = source if not keep else source
    frame.targets = [a for a in target if a not in source]


def is_light(noun, verb) -> bool:
    """Is the noun trigger carried by a support verb ("faire don de", "procéder à la
    livraison", "assurer la formation") whose subject is the noun's doer?"""
    return (
        verb is not None
        and noun.head.i == verb.i
        and noun.dep_ in ("obj", "obl:arg", "obl")
        and verb.lemma_.lower() in words("support_verbs")
        and (noun.dep_ == "obj" or case_of(noun) == "à")
    )


def read_attack(frame, index, agents, themes, verb, verb_subject) -> tuple[list, list]:
    """Attacker and attacked. The attacker: the subject (a passive's "par" phrase); for a
    noun, its "par" phrase, its demonym ("une frappe française"), its "de" phrase when that
    names an armed group or an army ("l'attaque du JNIM", "les frappes de l'armée
    malienne"), or the claimant ("X a revendiqué l'attaque", "une attaque revendiquée par
    X", "attribuée à X"). The attacked: the object, "contre" phrases, what the noun's verb
    aims at ("l'attaque a visé un camp de l'armée"), the victims of a verb of dying whose
    cause it is ("dix soldats ont péri dans une attaque"), the two sides of "opposer";
    else the state where the attack took place."""
    t = frame.token
    noun = t.pos_ in ("NOUN", "PROPN")
    source = acts(agents, index)
    target = acts(themes if not noun else [], index)
    if noun and not source:
        own = [c for c in t.children if c.dep_ == "amod" and demonym(c.text)]
        source = acts(own, index)
    if noun and not source:
        phrases = by_case(t, ("de",))
        phrases += [g for c in phrases if is_equipment(c, index) for g in by_case(c, ("de",))]
        source = acts([c for c in phrases if is_attacker(c, index)], index)
    support = verb is not None and verb.lemma_.lower() in words("support_verbs")
    if noun and not source and t.dep_ == "obj" and support and verb_subject is not None:
        source = acts([verb_subject], index)  # "X a lancé une offensive contre Y"
    claims = words("claim_verbs")
    if noun and not source and verb is not None and verb.lemma_.lower() in claims:
        if t.dep_ in ("obj", "nsubj:pass") and verb_subject is not None and verb_subject.i != t.i:
            source = acts([verb_subject], index) if t.dep_ == "obj" else []
        if t.dep_ == "nsubj:pass" or (t.dep_ == "nsubj" and is_passive(verb)):
            source = acts(by_case(verb, ("par", "à")), index)
    for child in t.children:
        if child.dep_ in ("acl", "acl:relcl", "amod") and child.lemma_.lower() in claims:
            source = source or acts(by_case(child, ("par", "à")), index)
        if child.dep_ == "acl:relcl" and child.lemma_.lower() in words("victim_verbs"):
            target += acts(by_case(child, ("à",)), index)  # "l'assaut qui coûta la vie à X"
    target += [a for a in acts(by_case(t, ("contre",), deep=True), index) if a not in target]
    if noun and verb is not None and t.dep_ in ("nsubj", "nsubj:pass"):
        lemma = verb.lemma_.lower()
        if lemma in words("aim_verbs"):
            target += acts([c for c in verb.children if c.dep_ == "obj"], index)
        if lemma in words("oppose_verbs"):
            sides = [c for c in verb.children if c.dep_ == "obj"]
            source = source or acts(sides, index)
            others = by_case(verb, ("à",)) + [g for c in sides for g in by_case(c, ("à",))]
            target += acts(others, index)
    dying = verb is not None and verb.lemma_.lower() in words("victim_verbs")
    if noun and dying and t.dep_.startswith("obl") and verb_subject is not None:
        target += acts([verb_subject], index)
    if noun and verb is not None and verb.lemma_.lower() in words("victim_verbs"):
        target += acts(by_case(verb, ("à",)), index)  # "a coûté la vie à dix soldats"
    between = acts(by_case(t, ("entre",), deep=True), index)
    if between and not source:
        source, rest = split_pair(between)
        target += rest
    victims = civilians(frame, index)
    target = [a for a in dict.fromkeys(target) if a not in source and a not in victims]
    if not target:
        target = [s for s in [place_state(frame, index)] if s and s not in source]
    return source, target


def civilians(frame, index) -> set[str]:
    """States named only as the nationality of civilian victims ("deux touristes
    britanniques"): an attack on civilians is an attack on the state where it happens."""
    found = set()
    for token in index.doc:
        if token.i in frame.scope and token.lemma_.lower() in words("civilian_nouns"):
            found.update(acts([token], index))
            for child in token.children:
                if child.dep_ in ("appos", "conj"):
                    found.update(acts([child], index))
    return found


def is_attacker(token, index) -> bool:
    """A "de" phrase of an attack noun that names who attacks: an armed group or other
    organisation, or an army or forces ("les frappes de l'armée malienne"), not the place
    or the thing attacked ("l'attaque de la prison")."""
    m = index.mention_of(token)
    if m is not None:
        return m.label in ("ORG", "PER") or (m.label == "GPE")
    return token.lemma_.lower() in words("troop_nouns") and bool(acts([token], index))


def is_equipment(token, index) -> bool:
    m = index.mention_of(token)
    return m is not None and m.label == "EQUIPMENT"


def place_state(frame, index) -> str | None:
    """The state where the happening took place: the state of its place (a gazetteer
    place's country, a capital's state), else the one state the clause names."""
    place = location_of(frame, index)
    if place:
        found = gazetteers().place_by_alias(place)
        state = (found.country if found is not None else None) or gazetteers().capital_iso3(place)
        if state:
            return state
    states = {
        m.norm
        for m in index.mentions
        if m.label == "GPE" and m.norm and set(index.mention_tokens[m]) & frame.scope
    }
    return states.pop() if len(states) == 1 else None


def read_capture(frame, index, agents, themes) -> tuple[list, list]:
    """Taking a place by force ("X s'est emparé de la ville de Y", "a pris le contrôle de
    Y"): an ATTACK by the taker on the state the place belongs to."""
    source = acts(agents, index)
    return source, [s for s in [place_state(frame, index)] if s and s not in source]


def own_presence(frame, index, source, target) -> tuple[list, list]:
    """Ending a foreign presence ("a mis fin à sa mission de formation au Mali", "la fin
    des opérations Sabre au Burkina Faso"): the party whose mission or operation ends is
    the target (the ender itself for "sa mission"), the host state the source when the
    text names it, else the ender."""
    ended = [
        c
        for token in frame.tokens
        for c in token.children
        if c.dep_ in ("obj", "obl", "obl:arg", "nmod") and c not in frame.tokens
    ]
    ended = [c for c in ended if c.lemma_.lower() in words("presence_nouns")]
    if not ended:
        return source, target
    phrase = ended[0]
    own = any(c.dep_ == "det" and c.lemma_.lower() in ("son", "leur") for c in phrase.children)
    named = [c for c in phrase.children if c.dep_ in ("nmod", "appos", "flat:name", "amod")]
    owners = source if own else acts(named, index, nmod_states=False)
    if not owners:
        return source, target
    inside = [x for x in phrase.subtree if x.dep_ == "nmod" and x.i != phrase.i]
    hosts = [a for a in acts(mention_heads([phrase], index) + inside, index) if a not in owners]
    hosts = hosts or [s for s in [place_state(frame, index)] if s and s not in owners]
    return (hosts or [a for a in source if a not in owners]), owners[:1]


def read_trainer(t, index, verb, verb_subject) -> tuple[list, list]:
    """Instructors sent or arriving: the trainer is the state the instructors come from
    (a demonym, "l'envoi d'instructeurs par X", or the subject of a sending verb: "X a
    dépêché des instructeurs au Mali"); the trainee is the host ("au Mali", or the
    subject of "recevoir", "accueillir")."""
    carrier = sending_noun(t)  # "l'arrivée de conseillers russes au Mali"
    source = acts([t], index)
    if not source and carrier is not None:
        source = acts(by_case(carrier, ("par",)), index)
    sender = verb if carrier is None and t.dep_ == "obj" else None
    if carrier is not None and carrier.lemma_.lower() in words("sending_nouns"):
        sender = verb
    group = "Plur" in t.morph.get("Number")  # instructors, not "son conseiller spécial"
    sends = sender is not None and sender.lemma_.lower() in words("sending_verbs")
    if not source and group and sends and verb_subject is not None:
        source = acts([verb_subject], index)
    places = by_case(t, ("à", "en")) + (by_case(verb, ("à", "en")) if verb is not None else [])
    if carrier is not None:
        places += by_case(carrier, ("à", "en"))
    target = [a for a in acts(places, index) if a not in source]
    if not target and verb is not None and verb.lemma_ in ("recevoir", "accueillir"):
        target = acts([verb_subject] if verb_subject is not None else [], index)
    return source, target


def sending_noun(t):
    """The noun of arrival or sending whose "de" phrase ``t`` is ("l'arrivée de
    conseillers", "l'envoi d'instructeurs"), or None."""
    head = t.head
    nouns = words("arrival_nouns") | words("sending_nouns")
    if t.dep_ == "nmod" and case_of(t) == "de" and head.lemma_.lower() in nouns:
        return head
    return None


def read_leave(frame, index, agents, themes, verb, verb_subject) -> None:
    """Foreign forces leaving: the mover is the target, the host state the source."""
    t = frame.token
    noun = t.pos_ in ("NOUN", "PROPN")
    if noun:
        movers = acts(by_case(t, ("de",)), index, nmod_states=False)
        own = actor_of_phrase(t, index, nmod_states=False)  # "le retrait américain"
        movers = movers or ([own] if own else [])
        if not movers and verb_subject is not None:
            movers = acts([verb_subject], index, nmod_states=False)
    else:
        movers = acts(agents, index, nmod_states=False) or acts(themes, index, nmod_states=False)
    if not movers and not noun and t.dep_ == "acl:relcl":
        movers = acts(
            [t.head], index, nmod_states=False
        )  # "la France, dont les soldats sont partis"
    hosts = []
    for child in t.children:  # "les départs imposés par le Mali"
        if child.dep_ in ("acl", "amod") and child.pos_ == "VERB":
            hosts += acts(by_case(child, ("par",)), index)
    if not noun and t.lemma_ in ("quitter", "évacuer"):
        hosts = acts(themes, index)
    hosts = hosts or acts(by_case(t, ("de", "depuis"), deep=True), index, nmod_states=True)
    hosts = [h for h in hosts if h not in movers]
    if not hosts and noun and verb_subject is not None:
        hosts = [h for h in acts([verb_subject], index) if h not in movers]
    if hosts and all(map(is_organisation, hosts)) and not any(map(is_organisation, movers)):
        # leaving an organisation ("le Mali a quitté la CEDEAO"): the leaver ends it
        hosts, movers = movers, hosts
    frame.sources, frame.targets = hosts, movers


def is_armed_group(actor: str) -> bool:
    org = gazetteers().organisation_by_alias(actor)
    return org is not None and org.kind == "group"


def is_organisation(actor: str) -> bool:
    """An actor id that names an international organisation, mission or alliance (not a
    state, not a person, not an armed group)."""
    org = gazetteers().organisation_by_alias(actor)
    return org is not None and org.kind != "group" and not org.country


def read_coup(frame, index, agents, themes, verb, verb_subject) -> tuple[list, list]:
    """Who seizes power (person or junta, kept as itself) and who is deposed (for
    COUP_TARGET "state": the deposed leader's state, the junta's, else where it happened)."""
    t = frame.token
    deposed_phrases = by_case(t, ("contre",), deep=True)
    if t.lemma_ in ("renverser",):
        deposed_phrases += themes
    if t.lemma_ == "renversement":
        deposed_phrases += by_case(t, ("de",))
    if (
        verb is not None
        and verb.lemma_ == "renverser"
        and is_passive(verb)
        and verb_subject is not None
    ):
        deposed_phrases.append(verb_subject)
    if verb is not None and verb.lemma_ == "renverser" and t.dep_ == "nsubj":
        # "un coup d'État a renversé le président X": X is deposed, not installed
        deposed_phrases += [c for c in verb.children if c.dep_ == "obj"]
    deposed = mentions_under(deposed_phrases, index, "PER")
    excluded = {x.i for p in deposed_phrases for x in p.subtree}
    leaders = agents if t.pos_ == "VERB" else by_case(t, ("par", "de"))
    source = acts([x for x in leaders if x.i not in excluded], index, keep_self=True)
    means = t.dep_ in ("obj", "nsubj:pass") or case_of(t) == "par"
    if not source and means and t.head.pos_ == "NOUN" and case_of(t) == "par":
        # "l'arrivée au pouvoir par un coup d'État ... du capitaine X"
        source = acts(by_case(t.head, ("de",)), index, keep_self=True)
    if not source and verb is not None and means and verb.lemma_ != "renverser":
        source = acts([x for x in agents_of(verb) if x.i not in excluded], index, keep_self=True)
    if not source and t.dep_ == "nmod" and t.head.lemma_.lower() in words("author_nouns"):
        source = acts(author_of(t.head), index, keep_self=True)  # "X, auteur du putsch"
    pool = list(t.subtree)
    if verb is not None and t.dep_ == "nsubj":  # "le putsch a porté au pouvoir le CTRI"
        pool += [x for c in verb.children if c.dep_ == "obj" for x in c.subtree]
    if not source:  # a junta or leader named in the trigger's phrase ("qui a installé le CNSP")
        for token in pool:
            m = index.mention_of(token)
            if m is not None and m.label in ("ORG", "PER") and token.i not in excluded:
                source = [m.norm or m.text]
                break
    if not source:  # the junta named elsewhere in the sentence ("..., le CNSP a pris ...")
        juntas = [
            m
            for m in index.mentions
            if m.label == "ORG" and is_junta(m) and index.head_of(m).i not in excluded
        ]
        nearest = min(juntas, key=lambda m: abs(index.head_of(m).i - t.i), default=None)
        source = [nearest.norm or nearest.text] if nearest is not None else []
    if COUP_TARGET == "state":  # the deposed leader's state, else the state the junta belongs to
        states = [mention_actor(m) for m in deposed]
        if not any(states):
            seizers = [m for m in index.mentions if (m.norm or m.text) in source]
            states = [mention_actor(m) for m in seizers]
        states = [s for s in dict.fromkeys(states) if s]
        return source, states or [s for s in [place_state(frame, index)] if s]
    return source, [m.norm or m.text for m in deposed]


def author_of(noun) -> list:
    """Who an author noun ("auteur", "cerveau", "artisan" du putsch) stands for: the name
    in apposition to it, the name it is in apposition to, or the subject it is said of."""
    found = [
        c for c in noun.children if c.dep_ in ("appos", "flat:name", "nmod") and c.pos_ == "PROPN"
    ]
    if noun.dep_ == "appos":
        found.append(noun.head)
    if any(c.dep_ == "cop" for c in noun.children):
        found += [c for c in noun.children if c.dep_ == "nsubj"]
    return found


def is_junta(m: Mention) -> bool:
    """A ruling military council: a state body whose names say council or committee."""
    org = gazetteers().organisation_by_alias(m.norm or m.text)
    if not is_state_body(org):
        return False
    names = " ".join((org.name, *org.aliases)).lower()
    return any(marker in names for marker in words("junta_markers"))


def mention_heads(tokens, index) -> list:
    """The head tokens of the actor mentions inside some phrases."""
    return [
        index.head_of(m)
        for m in mentions_under(tokens, index)
        if m.label in ("GPE", "LOC", "ORG", "PER")
    ]


# ---------------------------------------------------------------- checks ("needs")


def maker_states(themes, index) -> list[str]:
    """The state a demonym names on received equipment ("drones turcs"): on the phrase
    that holds an EQUIPMENT mention or on the word it quantifies ("un lot de drones")."""
    states = []
    for theme in themes:
        if not mentions_under([theme], index, "EQUIPMENT"):
            continue
        phrases = [theme, *(c for c in theme.children if c.dep_ == "nmod")]
        for phrase in phrases:
            for child in phrase.children:
                state = demonym(child.text) if child.dep_ == "amod" else None
                if state and state not in states:
                    states.append(state)
    return states


def mentions_under(tokens, index, label=None) -> list[Mention]:
    found = []
    for token in tokens:
        for sub in token.subtree:
            m = index.mention_of(sub)
            if m is not None and (label is None or m.label == label) and m not in found:
                found.append(m)
    return found


def is_person(token, index) -> bool:
    m = index.mention_of(token)
    if m is not None and m.label == "PER":
        return True
    return token.lemma_.lower() in words("person_nouns")


def needs_hold(frame: Frame, index: SentenceIndex) -> bool:
    need, t = frame.entry.get("needs"), frame.token
    if need is None:
        return True
    themes = theme_of(t)
    near = themes + [c for c in t.children if c.dep_ in ("nmod", "obl", "obl:arg", "obl:mod")]
    below = [x for x in t.subtree if x.i != t.i and depth_below(x, t) <= 3]
    if t.dep_ in ("acl", "amod"):
        below.append(t.head)
    if need == "equipment":
        return bool(equipment_mentions(frame, index))
    if need == "not_troops":  # "l'envoi d'instructeurs" sends people, not materiel
        return not any(x.lemma_.lower() in words("troop_nouns") for x in themes)
    if need == "not_person":
        return not any(is_person(x, index) for x in themes)
    if need == "person":
        return any(is_person(x, index) for x in themes)
    if need == "trainees":
        if benefits(t, clause_verb(t)):
            return True
        return any(x.lemma_.lower() in words("trainee_nouns") or acts([x], index) for x in near)
    if need == "arrival":
        verb = clause_verb(t)
        lemmas = {c.lemma_.lower() for c in t.children if c.dep_ in ("acl", "acl:relcl")}
        if verb is not None:
            lemmas.add(verb.lemma_.lower())
        if sending_noun(t) is not None:
            return True
        return bool(lemmas & (words("arrival_verbs") | {"charger", "former", "entraîner"}))
    if need == "cargo":  # "le matériel est arrivé mercredi": a restatement of a delivery
        return any(
            x.lemma_.lower() in words("cargo_nouns")
            or (
                (m := index.mention_of(x)) is not None
                and m.label == "EQUIPMENT"
                and not is_carrier(m, index)
            )
            for x in [subject_of(t), *themes]
            if x is not None
        )
    if need == "happened":
        verb = clause_verb(t)
        return verb is not None and verb.lemma_.lower() in words("arrival_verbs") | words(
            "carrier_verbs"
        )
    if need == "agreement":
        return any(x.lemma_.lower() in words("agreement_nouns") for x in below)
    if need == "ended":  # an agreement, or a foreign mission or operation
        ended = words("agreement_nouns") | words("presence_nouns")
        return any(x.lemma_.lower() in ended for x in below)
    if need == "reflexive":
        return is_reflexive(t)
    if need == "talks":
        verb = clause_verb(t)
        subject = subject_of(verb) if verb is not None and is_light(t, verb) else None
        if subject is not None and subject.conjuncts:  # "X et Y ont eu un entretien"
            return True
        return any(
            c.lemma_.lower() in words("talk_adjectives") or case_of(c) in ("avec", "entre")
            for c in t.children
        )
    if need == "person_or_actor":
        return any(is_person(x, index) or acts([x], index) for x in themes)
    if need == "mover":
        movers = (agents_of(t) + themes) if t.pos_ == "VERB" else by_case(t, ("de",))
        for x in movers:
            m = index.mention_of(x)
            if m is not None and m.label == "PER":
                continue
            if x.lemma_.lower() in words("troop_nouns") or m is not None or acts([x], index):
                return True
        return t.pos_ in ("NOUN", "PROPN") and bool(acts([t], index) or frame.sources)
    if need == "base":  # what is handed back is a base, not materiel handed over at one
        handed = [y for x in themes for y in x.subtree] or below
        return any(
            x.lemma_.lower() in words("base_nouns")
            or (index.mention_of(x) is not None and index.mention_of(x).label == "LOC")
            for x in handed
        )
    if need == "actor":
        return bool(frame.sources or frame.targets)
    if need == "person_subject":  # "le ministre X est arrivé à Bamako": a visit
        subject = subject_of(t)
        return subject is not None and is_person(subject, index)
    if need == "place":  # "s'emparer de la ville de X", not "s'emparer du pouvoir"
        return any(
            x.lemma_.lower() in words("place_nouns")
            or (index.mention_of(x) is not None and index.mention_of(x).label in ("LOC", "GPE"))
            for x in below + [y for c in t.children if c.dep_ == "obj" for y in c.subtree]
        ) and not any(x.lemma_.lower() == "pouvoir" for x in below)
    if need == "completed":
        return any(c.dep_.startswith("aux") for c in t.children)
    return True


def benefits(t, verb) -> bool:
    """Is the noun trigger what its clause's subject benefits from or receives ("ont
    bénéficié d'une formation", "ont suivi une formation")?"""
    return (
        t.pos_ in ("NOUN", "PROPN")
        and verb is not None
        and verb.lemma_.lower() in words("benefit_verbs")
        and (t.dep_ in ("obj", "obl:arg", "obl") and t.head.i == verb.i)
    )


def depth_below(token, ancestor) -> int:
    depth = 0
    while token.i != ancestor.i and token.head.i != token.i:
        token, depth = token.head, depth + 1
    return depth


# ---------------------------------------------------------------- scope, date, place, equipment


def scope_of(token) -> set[int]:
    """The tokens of a trigger's clause: the clause of its verb (for a noun or a participle
    modifying a noun, the clause that holds it), minus other clauses hanging from it."""
    root = token
    if token.pos_ in ("NOUN", "PROPN") or token.dep_ in ("acl", "amod"):
        root = clause_verb(token) or token
    keep = {t.i for t in root.subtree}
    for child in root.children:
        if (
            child.dep_ in CLAUSE_BREAKS
            and token not in child.subtree
            and child.pos_ in ("VERB", "AUX")
        ):
            keep -= {t.i for t in child.subtree}
    return keep | {t.i for t in token.subtree}


def pick_mention(frame: Frame, index: SentenceIndex, label: str, skip=()) -> Mention | None:
    """The mention of ``label`` in the frame's scope nearest the trigger (those inside the
    trigger's own phrase first)."""
    own = {t.i for t in frame.token.subtree}
    best, best_key = None, None
    for m in index.mentions:
        if m.label != label or m in skip:
            continue
        tokens = index.mention_tokens[m]
        if not set(tokens) & frame.scope:
            continue
        key = (0 if set(tokens) & own else 1, min(abs(i - frame.token.i) for i in tokens))
        if best_key is None or key < best_key:
            best, best_key = m, key
    return best


def date_of(frame: Frame, index: SentenceIndex) -> str | None:
    """The nearest dated DATE of the clause, skipping the date of another happening the
    trigger is placed against ("deux semaines après l'entretien du 26 mars")."""
    skip = [
        m
        for m in index.mentions
        if m.label == "DATE" and (not m.norm or is_anchor(m, frame, index))
    ]
    m = pick_mention(frame, index, "DATE", skip)
    return m.norm if m is not None else None


def is_anchor(m: Mention, frame: Frame, index: SentenceIndex) -> bool:
    """Does the date belong to a phrase "après/avant X" (X not the date itself, not the
    trigger), i.e. date another happening used as a time reference?"""
    own = set(index.mention_tokens[m])
    token = index.head_of(m)
    for _ in range(6):
        if token.i == frame.token.i or token.head.i == token.i:
            return False
        if token.i not in own and any(
            c.dep_ == "case" and c.lower_ in words("time_anchors") for c in token.children
        ):
            return True
        token = token.head
    return False


def location_of(frame: Frame, index: SentenceIndex) -> str | None:
    """The nearest named place in the clause (a city rather than a base), skipping a
    capital that stands as the doer ("Moscou a livré") or as a partner ("la coopération
    avec Moscou")."""
    skip = partner_places(index)
    first = pick_mention(frame, index, "LOC", skip)
    if first is None:
        return None
    if (first.norm or first.text).lower().startswith(BASE_WORDS):
        others = [
            m
            for m in index.mentions
            if m.label == "LOC"
            and m not in skip
            and m is not first
            and not (m.norm or m.text).lower().startswith(BASE_WORDS)
        ]
        city = pick_mention(frame, index, "LOC", skip + [first]) if others else None
        if city is not None:
            return city.norm or city.text
    return first.norm or first.text


def partner_places(index: SentenceIndex) -> list[Mention]:
    """Places that stand as the doer or a partner: not where the happening took place."""
    skip = []
    for m in index.mentions:
        if m.label != "LOC":
            continue
        head = index.head_of(m)
        if head.dep_ in ("nsubj", "nsubj:pass", "obl:agent") or case_of(head) in PARTNER_CASES:
            skip.append(m)
    return skip


def is_carrier(m: Mention, index: SentenceIndex) -> bool:
    """Transport aircraft that only carried the cargo ("à bord d'un Il-76", "transporté
    par un avion-cargo")."""
    head = index.head_of(m)
    for _ in range(3):
        governor = head.head
        if governor.lemma_.lower() == "bord" or (
            governor.lemma_.lower() in words("carrier_verbs") and head.dep_ != "nsubj"
        ):
            return True
        if head.dep_ != "appos" or governor.i == head.i:
            break
        head = governor
    return after_bord(index.mention_tokens[m][0], index) or apposed_to_carrier(m, index)


def after_bord(first: int, index: SentenceIndex) -> bool:
    """Does the mention follow "à bord de/d'" (whatever the parse says)?"""
    doc = index.doc
    before = [t.lower_.replace("’", "'") for t in doc[max(0, first - 3) : first]]
    return "bord" in before and before[-1] in ("d'", "de", "du", "des", "l'", "un", "une")


def apposed_to_carrier(m: Mention, index: SentenceIndex) -> bool:
    """A mention set off by a comma right after a carrier ("un Il-76, un gros-porteur")."""
    first = index.mention_tokens[m][0]
    doc = index.doc
    j = first - 1
    while j >= 0 and doc[j].pos_ == "DET":
        j -= 1
    if j < 1 or doc[j].text != ",":
        return False
    for other in index.mentions:
        if other is m or other.label != "EQUIPMENT" or index.mention_tokens[other][-1] != j - 1:
            continue
        return is_carrier(other, index)
    return False


def equipment_mentions(frame: Frame, index: SentenceIndex) -> list[Mention]:
    found = []
    for m in index.mentions:
        if m.label != "EQUIPMENT" or not set(index.mention_tokens[m]) & frame.scope:
            continue
        if not is_carrier(m, index):
            found.append(m)
    return found


# ---------------------------------------------------------------- per sentence


def evidence_tokens(frame: Frame) -> list:
    tokens = list(frame.tokens)
    if frame.token.pos_ in ("VERB", "ADJ"):
        tokens += [
            c
            for c in frame.token.children
            if c.dep_.startswith("aux") or (c.lower_ in ("se", "s'", "s’") and c.i < frame.token.i)
        ]
    return sorted(tokens, key=lambda t: t.i)


def sentence_frames(
    sentence: Sentence, doc, mentions: list[Mention]
) -> tuple[list[Frame], SentenceIndex]:
    index = SentenceIndex(sentence, doc, mentions)
    frames = []
    for entry, head, tokens in find_triggers(doc):
        inside = index.mention_of(head)
        if inside is not None and inside.label == "EQUIPMENT":
            continue  # "hélicoptères de combat", "véhicules de transport": a name, not a happening
        frame = Frame(entry["type"], head, entry, tokens)
        frame.scope = scope_of(head)
        if blocked(frame, index):
            continue
        read_roles(frame, index)
        if not needs_hold(frame, index):
            continue
        frame.earlier = is_earlier(frame.token)
        frames.append(frame)
    return nest(ended_inside(frames)), index


def ended_inside(frames: list[Frame]) -> list[Frame]:
    """Drop the frames of other types inside what a termination ends ("a mis fin à sa
    mission de formation": the training is what ends, not a new happening)."""
    ended: set[int] = set()
    for frame in frames:
        if frame.type != "TERMINATION":
            continue
        for token in frame.tokens:
            for child in token.children:
                if child.dep_ in ("obj", "obl", "obl:arg", "nmod") and child not in frame.tokens:
                    ended |= {x.i for x in child.subtree}
    return [f for f in frames if f.type == "TERMINATION" or f.token.i not in ended]


def is_earlier(token) -> bool:
    """Is the happening told as anterior to the story: a noun trigger marked "précédent",
    or a verb in the pluperfect ("avait déjà fourni")? Such a report is another happening
    than the story's undated one, not a restatement of it."""
    if token.pos_ in ("NOUN", "PROPN") and any(
        c.lemma_.lower() in words("earlier_markers") for c in token.children
    ):
        return True
    verb = token if token.pos_ in ("VERB", "ADJ") else clause_verb(token)
    if verb is None or "Part" not in verb.morph.get("VerbForm"):
        return False
    return any(c.dep_ == "aux:tense" and "Imp" in c.morph.get("Tense") for c in verb.children)


def nest(frames: list[Frame]) -> list[Frame]:
    """Merge same-type frames of one clause whose roles do not clash (the happening is
    told by two triggers: "a reçu des drones livrés par la Turquie")."""
    merged: list[Frame] = []
    for frame in sorted(frames, key=lambda f: f.token.i):
        for other in merged:
            if other.type != frame.type or not related(other.token, frame.token):
                continue
            if clash(other.sources, frame.sources) or clash(other.targets, frame.targets):
                continue
            other.sources = other.sources or frame.sources
            other.targets = [t for t in (other.targets or frame.targets) if t not in other.sources]
            other.scope |= frame.scope
            other.deadline = other.deadline or frame.deadline
            break
        else:
            merged.append(frame)
    return merged


def related(a, b) -> bool:
    return a in b.subtree or b in a.subtree or a.head == b.head or clause_verb(a) == clause_verb(b)


def clash(a: list[str], b: list[str]) -> bool:
    return bool(a) and bool(b) and not set(a) & set(b)


def frame_events(frame: Frame, index: SentenceIndex) -> list[Event]:
    tokens = evidence_tokens(frame)
    start = index.doc_offset(tokens[0])
    end = index.doc_offset(tokens[-1]) + len(tokens[-1])
    equipment = equipment_mentions(frame, index) if frame.type == "DELIVERY" else []
    date = date_of(frame, index)
    location = location_of(frame, index)
    parts = elided_parts(frame, index, equipment) or [(date, equipment)]
    found = [
        event
        for date, equipment in parts
        for event in actor_events(frame, index, (start, end), date, location, equipment)
    ]
    return respective(found, frame, index)


def respective(found: list[Event], frame: Frame, index: SentenceIndex) -> list[Event]:
    """ "respectivement" followed by as many dates as the frame has targets (or sources)
    gives each coordinated actor its own date, in order ("a rompu avec X et Y,
    respectivement le 2 février et le 9 mars"); as many dates as places named before it
    gives one event per place and date ("les bases de X et de Y, rendues respectivement le
    2 et le 9 mars")."""
    marks = [t for t in index.doc if t.lower_ == "respectivement" and t.i in frame.scope]
    if not marks or not found:
        return found
    dates = sorted(
        (
            m
            for m in index.mentions
            if m.label == "DATE"
            and m.norm
            and index.mention_tokens[m][0] > marks[0].i
            and set(index.mention_tokens[m]) & frame.scope
        ),
        key=lambda m: index.mention_tokens[m][0],
    )
    for role, actors in (("target", frame.targets), ("source", frame.sources)):
        if len(actors) > 1 and len(dates) == len(actors):
            date = {actor: m.norm for actor, m in zip(actors, dates, strict=True)}
            return [replace(e, date=date.get(getattr(e, role), e.date)) for e in found]
    skip = partner_places(index)
    places = sorted(
        (
            m
            for m in index.mentions
            if m.label == "LOC"
            and m not in skip
            and index.mention_tokens[m][-1] < marks[0].i
            and set(index.mention_tokens[m]) & frame.scope
        ),
        key=lambda m: index.mention_tokens[m][0],
    )
    if len(places) > 1 and len(dates) == len(places):
        return [
            replace(e, date=m.norm, location=place.norm or place.text)
            for e in found
            for place, m in zip(places, dates, strict=True)
        ]
    return found


def elided_parts(
    frame: Frame, index: SentenceIndex, equipment: list[Mention]
) -> list[tuple[str, list[Mention]]]:
    """A verb elided in a coordination ("a fourni X en mars, puis Y en août") tells one
    delivery per date: (date, equipment) for each stretch that ends with its own date,
    when every stretch names equipment; else nothing."""
    if frame.type != "DELIVERY":
        return []
    dates = sorted(
        (m for m in index.mentions if m.label == "DATE" and m.norm),
        key=lambda m: index.mention_tokens[m][0],
    )
    dates = [
        m
        for m in dates
        if index.mention_tokens[m][0] > frame.token.i and set(index.mention_tokens[m]) & frame.scope
    ]
    if len(dates) < 2:
        return []
    parts, begin = [], -1
    for k, m in enumerate(dates):
        last = index.mention_tokens[m][-1]
        if k + 1 < len(dates):
            between = index.doc[last + 1 : index.mention_tokens[dates[k + 1]][0]]
            if not any(t.lower_ in words("elision_links") for t in between):
                return []
        items = [x for x in equipment if begin < index.mention_tokens[x][0] <= last]
        if not items:
            return []
        parts.append((m.norm, items))
        begin = last
    return parts


def actor_events(
    frame: Frame,
    index: SentenceIndex,
    span: tuple[int, int],
    date: str | None,
    location: str | None,
    equipment: list[Mention],
) -> list[Event]:
    """One event per (source, target) pair of a frame."""
    sentence = index.sentence
    start, end = span
    events = []
    for source in frame.sources or [None]:
        for target in frame.targets or [None]:
            if source is not None and source == target:
                continue
            events.append(
                Event(
                    type=frame.type,
                    source=source,
                    target=target,
                    date=date,
                    location=location,
                    equipment=tuple(sorted({m.category or m.norm for m in equipment} - {None})),
                    evidence=sentence.text[start - sentence.start : end - sentence.start],
                    sent_id=sentence.sent_id,
                    sentence=sentence.text,
                    start=start,
                    end=end,
                    equipment_spans=tuple(sorted((m.start, m.end) for m in equipment)),
                )
            )
    return events


# ---------------------------------------------------------------- per document


def find_events(
    parsed: list[tuple[Sentence, object]], mentions: list[Mention], doc_date: str | None
) -> list[Event]:
    """The events of one document (see the module docstring); ``parsed`` holds its
    candidate sentences with their parsed Docs, ``mentions`` all its mentions."""
    events: list[Event] = []
    earlier: set[tuple[int, int]] = set()
    officials: dict[str, str] = {}  # person -> the state a title gives them somewhere
    for sentence, doc in parsed:
        frames, index = sentence_frames(sentence, doc, mentions)
        for m in index.mentions:
            state = title_state(index.head_of(m), index) if m.label == "PER" else None
            if state:
                officials.setdefault(m.norm or m.text, state)
        for frame in frames:
            found = frame_events(frame, index)
            events.extend(found)
            earlier |= {(e.sent_id, e.start) for e in found if frame.earlier}
    events = [as_officials(e, officials) for e in events]
    full = frozenset((e.sent_id, e.start) for e in events if e.source and e.target)
    events = fill_roles(events, mentions)
    events = [e for e in events if complete(e)]
    return merge(events, frozenset(earlier), full)


def as_officials(event: Event, officials: dict[str, str]) -> Event:
    """An official named without title in the event's sentence acts for the state a title
    gives them elsewhere in the document ("le ministre israélien X ... X a été reçu");
    not in a COUP, where persons act for themselves."""
    if event.type == "COUP" or not officials:
        return event
    source = officials.get(event.source, event.source)
    target = officials.get(event.target, event.target)
    if source == target:
        return event
    return replace(event, source=source, target=target)


def complete(event: Event) -> bool:
    """Both actors known; a COUP may lack its target (deposed leader not named), an ATTACK
    one of its actors ("une attaque jihadiste contre l'armée")."""
    if event.type == "COUP" and COUP_TARGET == "leader":
        return event.source is not None
    if event.type == "COUP":  # authors not named ("des militaires ont renversé X"): source null
        return event.target is not None
    if event.type == "ATTACK":
        return event.source is not None or event.target is not None
    return event.source is not None and event.target is not None
