"""Needs: checks on a trigger's arguments that must hold for it to be an event (named by
the trigger's ``needs`` in ``data/triggers.json``; ``NEEDS`` lists them, and the lexicon
check at load rejects any other name). "céder" delivers only equipment, "recevoir" a
person is a visit, "former" needs trainees, "retrait" needs a mover..."""

from __future__ import annotations

from pipeline.events.attach import equipment_mentions, is_carrier
from pipeline.events.data import words
from pipeline.events.framing import (
    acts,
    agents_of,
    benefits,
    is_light,
    is_organisation,
    is_person,
    sending_noun,
    theme_of,
)
from pipeline.events.roles import (
    SentenceIndex,
    by_case,
    case_of,
    clause_verb,
    is_reflexive,
    is_state_id,
    subject_of,
)
from pipeline.events.triggers import Frame

NEEDS = (
    "equipment",
    "not_troops",
    "not_person",
    "person",
    "trainees",
    "arrival",
    "cargo",
    "happened",
    "agreement",
    "signed",
    "ended",
    "broken",
    "reflexive",
    "talks",
    "person_or_actor",
    "call",
    "partners",
    "mover",
    "evacuated",
    "organisation_left",
    "base",
    "actor",
    "person_subject",
    "place",
    "completed",
    "power",
    "envoy",
    "anchored",
    "single",
    "both",
)  # the names a trigger's "needs" may take (checked at load)


def needs_hold(frame: Frame, index: SentenceIndex) -> bool:
    need, t = frame.entry.get("needs"), frame.token
    if need is None:
        return True
    themes = theme_of(t)
    near = themes + [c for c in t.children if c.dep_ in ("nmod", "obl", "obl:arg", "obl:mod")]
    below = descendants(t, depth=3)
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
        verb = clause_verb(t)
        if benefits(t, verb):
            return True
        if t.pos_ == "NOUN" and verb is not None and is_light(t, verb):
            near += by_case(verb, ("à",))  # "a dispensé une formation aux soldats X"
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
        if t.pos_ in ("NOUN", "PROPN"):  # "la remise des équipements" (any label on "de")
            themes = themes + [c for c in t.children if c.dep_ == "obl:arg" and case_of(c) == "de"]
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
    if need == "signed":  # an agreement, a charter or a joint declaration ("une charte signée")
        signed = words("agreement_nouns") | words("signed_nouns")
        return any(x.lemma_.lower() in signed for x in below)
    if need == "broken":  # "rompre l'accord", or "rompre avec X" (a party named)
        if any(x.lemma_.lower() in words("agreement_nouns") for x in below):
            return True
        return bool(acts(by_case(t, ("avec",)), index))
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
        if subject is not None and by_case(verb, ("avec",)):  # "X a eu une réunion avec Y"
            return True
        return any(
            c.lemma_.lower() in words("talk_adjectives") or case_of(c) in ("avec", "entre")
            for c in t.children
        )
    if need == "call":  # "un échange téléphonique", "un échange avec son homologue X"
        if any(c.lemma_.lower() in words("talk_adjectives") for c in t.children):
            return True
        verb = clause_verb(t)
        partners = by_case(t, ("avec",)) + (by_case(verb, ("avec",)) if verb is not None else [])
        return any(is_person(x, index) for x in partners)
    if need == "person_or_actor":
        return any(is_person(x, index) or acts([x], index) for x in themes)
    if need == "partners":  # "X a rencontré Y"; "X et Y se sont rencontrés"
        if any(is_person(x, index) or acts([x], index) for x in themes):
            return True
        return is_reflexive(t) and len(acts(agents_of(t), index)) >= 2
    if need == "organisation_left":  # "sortir de la CEDEAO", "leur sortie du G5 Sahel"
        left = by_case(t, ("de",), deep=t.pos_ in ("NOUN", "PROPN"))
        return any(is_organisation(a) for a in acts(left, index))
    if need == "evacuated":  # "ses soldats", not "ses ressortissants", "ses personnels civils"
        civilian = words("civilian_nouns") | words("civilian_markers")
        for x in themes:
            said = {x.lemma_.lower()} | {modifier(c) for c in x.children if c.dep_ == "amod"}
            if said & civilian:
                return False
        need = "mover"
    if need == "mover":
        movers = (agents_of(t) + themes) if t.pos_ == "VERB" else by_case(t, ("de",))
        leavers = agents_of(t) if t.pos_ == "VERB" else by_case(t, ("de",))
        if any(individual(x, index) for x in leavers):
            return False  # "le président a quitté Niamey": a person travels, no force leaves
        for x in movers:
            m = index.mention_of(x)
            if m is not None and m.label == "PER":
                continue
            if x.lemma_.lower() in words("troop_nouns") or m is not None or acts([x], index):
                return True
        return t.pos_ in ("NOUN", "PROPN") and bool(acts([t], index) or frame.sources)
    if need == "base":  # what is handed back is a base, not materiel handed over at one
        objects = [x for x in t.children if x.dep_ == "obj"]
        if any(
            (index.mention_of(x) is not None and index.mention_of(x).label == "EQUIPMENT")
            or x.lemma_.lower() in words("cargo_nouns")
            for x in objects
        ):
            return False  # "remettre des blindés ... au camp X": materiel, delivered at a base
        handed = [y for x in themes for y in x.subtree] or below
        return any(
            x.lemma_.lower() in words("base_nouns")
            or (index.mention_of(x) is not None and index.mention_of(x).label == "LOC")
            for x in handed
        )
    if need == "actor":  # "offensive", "combats": some actor; never a vague plural
        return bool(frame.sources or frame.targets) and not aggregate(frame, index)
    if need == "both":  # "neutraliser", "frapper": between two named parties, by an armed one
        verbal = t.pos_ not in ("NOUN", "PROPN")
        both = bool(frame.sources and frame.targets)
        return both and (not verbal or armed_doer(t, index, frame.targets))
    if need == "single":  # "plusieurs attaques", "de nombreux attentats": aggregate violence
        return not aggregate(frame, index) and not figurative(frame)
    if need == "person_subject":  # "le ministre X est arrivé à Bamako": a visit
        subject = subject_of(t)
        troops = subject is not None and subject.lemma_.lower() in words("troop_nouns")
        if troops and "Plur" in subject.morph.get("Number"):
            return False  # "des conseillers militaires sont arrivés": instructors, not a visit
        return subject is not None and is_person(subject, index)
    if need == "envoy":  # "X envoie son ministre à Y": an official sent is a visit
        return any(
            x.lemma_.lower() in words("person_nouns") - words("troop_nouns")
            and "Plur" not in x.morph.get("Number")
            for x in themes
        )
    if need == "power":  # "porté au pouvoir par un coup de force", "un coup de force militaire"
        doc = t.doc
        return any(doc[i].lemma_.lower() == "pouvoir" for i in frame.scope) or any(
            c.lemma_.lower() == "militaire" for c in t.children
        )
    if need == "place":  # "s'emparer de la ville de X", not "s'emparer du pouvoir"
        if taken_asset(frame):
            return False  # "prendre le contrôle de la mine, de la société": a business deal
        return any(
            x.lemma_.lower() in words("place_nouns")
            or (index.mention_of(x) is not None and index.mention_of(x).label in ("LOC", "GPE"))
            for x in below + [y for c in t.children if c.dep_ == "obj" for y in c.subtree]
        ) and not any(x.lemma_.lower() == "pouvoir" for x in below)
    if need == "anchored":
        return anchored(frame, index)
    if need == "completed":
        return any(c.dep_.startswith("aux") for c in t.children)
    return True


def modifier(adjective) -> str:
    """An adjective's lemma with its negation ("non essentiel"), so that a marker can
    name the negated adjective and not the plain one."""
    negation = any(c.lower_ in ("non", "pas") for c in adjective.children)
    return ("non " if negation else "") + adjective.lemma_.lower()


def individual(token, index: SentenceIndex) -> bool:
    """A single person who is no envoy (an official, a named person): "le président",
    "le ministre X" (an ambassador leaving is a diplomatic withdrawal; "les soldats" are
    a force)."""
    m = index.mention_of(token)
    if m is not None and m.label == "PER":
        return True
    lemma = token.lemma_.lower()
    person = lemma in words("person_nouns") - words("envoy_nouns") - words("troop_nouns")
    return person and "Plur" not in token.morph.get("Number")


def descendants(token, depth: int) -> list:
    """The words at most ``depth`` steps below a word in the parse, in text order."""
    found, level = [], [token]
    for _ in range(depth):
        level = [child for x in level for child in x.children]
        found += level
    return sorted(found, key=lambda x: x.i)


ANCHORS = ("PER", "ORG", "GPE", "LOC", "DATE")


def anchored(frame: Frame, index: SentenceIndex) -> bool:
    """Is a nominal happening more than an allusion (SPEC 3: "a mere allusion with no actor,
    date or place is not an event")? Its own phrase, or the clause it is the subject of or
    that tells it ("un putsch a renversé X", "le pays a connu un coup d'État", "X a
    fomenté un putsch"; not a reaction: "X a condamné le putsch"), names an
    actor, a date or a place on the trigger's own line (a headline joined to the next line
    by the sentence splitter lends it nothing). Verbs are always anchored."""
    t = frame.token
    if t.pos_ not in ("NOUN", "PROPN") or frame.sources:
        return True
    pool = list(t.subtree)
    verb = clause_verb(t)
    core = ("nsubj", "nsubj:pass", "obl:agent")  # "le pays a été secoué par un putsch"
    told = words("undergo_verbs") | words("coup_author_verbs")  # not "X a condamné le putsch"
    tells = verb is not None and t.head.i == verb.i
    if tells and (t.dep_ in core or (t.dep_ == "obj" and verb.lemma_.lower() in told)):
        pool += [x for c in verb.children if c.i != t.i for x in c.subtree]
    for x in pool:
        m = index.mention_of(x)
        if m is not None and m.label in ANCHORS and same_line(t, x):
            return True
    return False


def same_line(a, b) -> bool:
    """No line break between two tokens of one Doc."""
    first, last = sorted((a.i, b.i))
    return not any("\n" in x.text_with_ws for x in a.doc[first:last])


def taken_asset(frame: Frame) -> bool:
    """Is what a capture verb takes a business or a medium ("la Russie a pris le contrôle
    de la mine d'or", "la junte a pris le contrôle de la télévision") rather than a
    place?"""
    assets = words("asset_nouns")
    return any(
        c.lemma_.lower() in assets
        for token in frame.tokens
        for c in token.children
        if c.dep_ in ("obj", "obl:arg", "obl", "nmod") and c not in frame.tokens
    )


def figurative(frame: Frame) -> bool:
    """An attack noun qualified as not armed ("attaques verbales", "attaque informatique",
    "une attaque en règle contre la politique de X" is still figurative when so
    qualified)."""
    unarmed = words("unarmed_modifiers")
    return any(
        c.dep_ in ("amod", "nmod") and c.lemma_.lower() in unarmed for c in frame.token.children
    )


def aggregate(frame: Frame, index: SentenceIndex) -> bool:
    """A plural happening noun counted vaguely ("plusieurs attaques", "de nombreux
    attentats", "de telles attaques") or repeated ("a multiplié les attaques") with no
    date or place of its own: violence in the
    aggregate, not one happening (SPEC 3; "trois attaques le 5 mai à X" stays)."""
    t = frame.token
    if t.pos_ not in ("NOUN", "PROPN") or "Plur" not in t.morph.get("Number"):
        return False
    vague = words("vague_quantifiers")
    counted = any(c.lemma_.lower() in vague or c.lower_ in vague for c in t.children)
    repeated = t.dep_ == "obj" and t.head.lemma_.lower() in words("aggregate_verbs")
    if not (counted or repeated):  # "a multiplié les attaques", "intensifie ses frappes"
        return False
    return not any(
        (m := index.mention_of(x)) is not None and m.label in ("DATE", "LOC") and same_line(t, x)
        for x in t.subtree
    )


def armed_doer(t, index: SentenceIndex, targets: list[str]) -> bool:
    """Is the doer of a verb that is an attack only between armed parties ("frapper",
    "neutraliser") a party or a force itself (an organisation, troops, a group, a weapon),
    not a thing that belongs to one ("les sanctions de X ont frappé Y")? A state named
    bare strikes a named group ("le pays a frappé des positions du X"), not another state:
    "le Niger a frappé fort contre le Bénin" is a figure of speech."""
    armed = words("troop_nouns") | words("armed_group_nouns") | words("armed_nouns")
    for x in agents_of(t):
        m = index.mention_of(x)
        if (m is not None and m.label in ("ORG", "EQUIPMENT")) or x.lemma_.lower() in armed:
            return True
        if m is not None and m.label == "GPE" and not all(map(is_state_id, targets)):
            return True
    return False
