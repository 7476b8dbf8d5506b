"""Modality: a trigger is no happening when it is planned, promised, wished, threatened,
denied, negated or hypothetical (a governing "devoir", "prévoir", "menacer",
"démentir"...; a negation; future or conditional; "prochaine livraison"), or an ongoing
situation (imperfect: "l'accord qui le liait"). The cues are data
(``data/triggers.json``, ``modality``).

Obligations with a deadline: "devoir" + a TERMINATION trigger + a deadline ("d'ici (à) fin
août", "avant le", "au plus tard") is an event dated at the deadline: the withdrawal is
decided and under way, the date is when it will be complete."""

from __future__ import annotations

from pipeline.events.data import modality, words
from pipeline.events.roles import SentenceIndex, clause_verb
from pipeline.events.triggers import Frame


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
    if token.pos_ in ("NOUN", "PROPN") and token.dep_.startswith("nsubj"):
        predicate = token.head  # "le retrait n'est pas à l'ordre du jour / pas effectif"
        if any(c.dep_ == "cop" for c in predicate.children) and negated_predicate(predicate):
            return True
    if verb is None:
        return False
    if (
        token.pos_ in ("VERB", "ADJ")
        and token.dep_ not in ("acl", "amod")
        and "Imp" in token.morph.get("Tense")
        and "Fin" in token.morph.get("VerbForm")
        and not narrative(token, index)
    ):
        return True  # ongoing or habitual: "l'accord qui le liait"
    if failed(token, verb):
        return True  # "l'armée a déjoué un coup d'État", "le putsch a échoué": no happening
    if ongoing_clause(token, verb):
        return True  # "ils menaient des assauts", "des combats opposent depuis mai X à Y"
    current, hops = verb, 0
    while current is not None and hops < 4:
        if negated(current) or future_or_conditional(current):
            return True
        lemma = current.lemma_.lower()
        if current.i != verb.i and frame.type == "TERMINATION" and lemma in words("demand_verbs"):
            return False  # "X a demandé aux soldats de partir": told to leave (SPEC)
        if current.i != verb.i and lemma in modality("planned_heads"):
            if lemma == "devoir" and frame.type == "TERMINATION" and has_deadline(current):
                frame.deadline = True
                return False
            # "ce contingent doit former les soldats X": a deployed force's mission
            return not (lemma == "devoir" and frame.type == "TRAINING" and deployed(current))
        if current.dep_ not in ("xcomp", "ccomp", "obj", "obl:arg", "acl", "nmod", "advcl"):
            break
        if current.dep_ in ("acl", "nmod", "advcl") and current.pos_ not in ("VERB",):
            break
        if current.dep_ == "advcl" and accomplished(current):
            break  # "Hissé à la tête de l'État en 2021, X a juré de ...": done, not promised
        current, hops = current.head, hops + 1
    return False


def narrative(verb, index: SentenceIndex) -> bool:
    """The press's narrative imperfect: an imperfect dated to the month or the day by a
    phrase of its own ("Le 14 novembre, le Kenya réceptionnait trois hélicoptères"; not
    "depuis 2012")
    tells one happening, not an ongoing situation."""
    for child in verb.children:
        m = index.mention_of(child)
        if m is None or m.label != "DATE" or not m.norm or len(m.norm) < len("2012-10"):
            continue
        head = index.head_of(m)
        if not any(c.dep_ == "case" and c.lower_ in words("since_cases") for c in head.children):
            return True
    return False


def negated_predicate(predicate) -> bool:
    """A copular predicate negated, "pas" hung on it, on its copula or on an adverb of it
    ("n'est pas encore effectif", "n'est pas à l'ordre du jour")."""
    children = list(predicate.children)
    if not any(c.lower_ in ("ne", "n'", "n’") for c in children):
        return False
    near = children + [g for c in children if c.dep_ in ("cop", "advmod") for g in c.children]
    return any(
        c.lemma_.lower() in modality("negators") or c.lower_ in modality("negators") for c in near
    )


def negated(verb) -> bool:
    children = list(verb.children)
    has_ne = any(c.lower_ in ("ne", "n'", "n’") for c in children)
    return has_ne and any(
        c.lemma_.lower() in modality("negators") or c.lower_ in modality("negators")
        for c in children
    )


def future_or_conditional(verb) -> bool:
    """Future or conditional, by the tagger's morphology or, for a finite verb it left
    without tense or tagged present, by the ending ("quitteront", "livrerait": no present
    form ends so)."""
    for token in [verb, *[c for c in verb.children if c.dep_.startswith("aux")]]:
        if "Cnd" in token.morph.get("Mood") or "Fut" in token.morph.get("Tense"):
            return True
    untensed = (
        verb.pos_ == "VERB" and not verb.morph.get("Tense") and not verb.morph.get("VerbForm")
    )
    present = verb.pos_ == "VERB" and verb.morph.get("Tense") == ["Pres"] and finite(verb)
    return (untensed or present) and verb.lower_.endswith(tuple(words("future_endings")))


def finite(verb) -> bool:
    return "Fin" in verb.morph.get("VerbForm")


def deployed(verb) -> bool:
    """Is the subject of "devoir" a deployed force (a contingent, instructors, a named
    unit or company), so that "doit former" states its mission rather than a plan?"""
    subject = next((c for c in verb.children if c.dep_ == "nsubj"), None)
    if subject is None or "Cnd" in verb.morph.get("Mood") or "Fut" in verb.morph.get("Tense"):
        return False
    if subject.lemma_.lower() in words("troop_nouns"):
        return True
    from pipeline.events.roles import gazetteers

    return subject.pos_ == "PROPN" and gazetteers().state_iso3(subject.text) is None


def has_deadline(verb) -> bool:
    text = " ".join(t.text for t in verb.subtree).lower().replace("’", "'").replace(" '", "'")
    text = text.replace("' ", "'")
    return any(cue.replace("’", "'") in text for cue in modality("deadline_cues"))


def ongoing_clause(token, verb) -> bool:
    """A happening told as habitual or still going on: a noun carried by a support verb in
    the imperfect ("les rebelles menaient des assauts"), or a trigger whose finite verb is
    in the present with a "depuis" phrase ("l'armée affronte depuis l'été les rebelles X",
    "X occupe depuis 2012 la ville"): a state of affairs, not a happening."""
    from pipeline.events.roles import case_of

    finite_verb = "Fin" in verb.morph.get("VerbForm") and verb.pos_ == "VERB"
    tense = verb.morph.get("Tense")
    carried = token.pos_ in ("NOUN", "PROPN") and token.head.i == verb.i and finite_verb
    if carried and "Imp" in tense and verb.lemma_.lower() in words("support_verbs"):
        return True
    core = token.i == verb.i or (
        token.head.i == verb.i and token.dep_ in ("nsubj", "nsubj:pass", "obj")
    )
    if core and finite_verb and "Pres" in tense and "Ind" in verb.morph.get("Mood"):
        since = words("since_cases")
        return any(  # not "... depuis le coup d'État": the happening anchors the "since"
            case_of(c) in since and token.i not in {x.i for x in c.subtree}
            for c in verb.children
            if c.dep_.startswith("obl")
        )
    return False


def accomplished(verb) -> bool:
    """A past participle clause with no auxiliary of its own ("Arrivé au pouvoir en 2022,
    X a promis ..."): a happening already done, whatever the main clause plans."""
    return (
        "Part" in verb.morph.get("VerbForm")
        and "Past" in verb.morph.get("Tense")
        and not any(c.dep_.startswith("aux") or c.dep_ == "mark" for c in verb.children)
    )


def failed(token, verb) -> bool:
    """A noun trigger its clause says was prevented (its verb's object: "a déjoué un coup
    d'État", "empêcher l'attaque") or failed (its verb's subject: "le putsch a échoué",
    "a avorté")."""
    if token.pos_ not in ("NOUN", "PROPN") or token.head.i != verb.i:
        return False
    lemma = verb.lemma_.lower()
    if token.dep_ == "obj":
        return lemma in modality("prevent_heads")
    return token.dep_ == "nsubj" and lemma in modality("fail_heads")
