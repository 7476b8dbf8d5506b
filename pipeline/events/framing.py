"""Event roles: who is the source and who the target of a trigger, read from its clause
according to its frame (``data/event_frames.jsonl``): for each form of the trigger (active
verb, passive verb, noun) an ordered list of argument paths per role, the first path that
names an actor winning. Frames whose reading needs more than paths (leaving, coups,
attacks, instructors, captures...) name a reader here.

COUP target: the state whose government falls, as SPEC section 3 says (the contract wins
over the annotation notes, which propose the deposed leader); ``COUP_TARGET = "leader"``
switches to the notes' reading (the deposed leader's canonical name, else None).
"""

from __future__ import annotations

from dataclasses import dataclass

from pipeline.events.attach import location_of, place_state
from pipeline.events.data import frames, lexicon, words
from pipeline.events.roles import (
    SentenceIndex,
    actor_of_phrase,
    actors_of,
    by_case,
    case_of,
    clause_verb,
    demonym,
    finite,
    gazetteers,
    is_passive,
    is_reflexive,
    is_state_body,
    is_state_id,
    joint_states,
    mention_actor,
    sentence_of,
    subject_of,
)
from pipeline.events.triggers import Frame
from pipeline.types import Mention

COUP_TARGET = "state"  # SPEC section 3; "leader" follows the annotation notes instead


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


@dataclass
class Clause:
    """What the paths of a frame read: the trigger, its clause verb (for a noun), its
    arguments."""

    frame: Frame
    index: SentenceIndex
    noun: bool
    verb: object  # the clause verb of a noun trigger, else None
    verb_subject: object
    agents: list
    themes: list

    @property
    def t(self):
        return self.frame.token


def under_place(token, top) -> bool:
    """Is the phrase inside a locative complement below ``top`` ("des hélicoptères ... à
    l'aéroport de Bamako": "de Bamako" says where, not from whom)?"""
    current = token.head
    while current.i != top.i and current.head.i != current.i:
        if case_of(current) in words("place_cases"):
            return True
        current = current.head
    return False


def holder_of(token) -> list:
    """Who holds the goods a participle trigger qualifies ("X exploite des vedettes
    achetées à Y", "X a déployé des blindés livrés par Y"): the subject of a verb of
    holding, using or handing on (``holder_verbs``) whose object they are; the one
    holding them is the one who received them."""
    if token.dep_ not in ("acl", "amod") or token.head.pos_ not in ("NOUN", "PROPN"):
        return []
    goods = token.head
    if goods.dep_ == "nmod" and goods.head.pos_ == "NOUN":  # "une douzaine de drones"
        goods = goods.head
    verb = goods.head
    if goods.dep_ not in ("obj", "obl:arg") or verb.i == goods.i:
        return []
    if verb.lemma_.lower() not in words("holder_verbs"):
        return []
    subject = subject_of(verb)
    return [subject] if subject is not None else []


def cases(arg: str) -> tuple[str, ...]:
    return tuple(arg.split("|"))


def light(c: Clause) -> bool:
    return c.noun and is_light(c.t, c.verb)


# Argument paths a frames file may name: name -> (takes an argument, reader). A reader
# returns tokens (their actors are read) or, for the last three, actor ids.
TOKEN_PATHS = {
    "agent": (False, lambda c, a: c.agents),
    "object": (False, lambda c, a: c.themes),
    "subject": (False, lambda c, a: [x for x in [subject_of(c.t)] if x is not None]),
    "iobj": (False, lambda c, a: [x for x in c.t.children if x.dep_ == "iobj"]),
    "case": (True, lambda c, a: by_case(c.t, cases(a))),
    "deep": (True, lambda c, a: by_case(c.t, cases(a), deep=True)),
    "verb_subject": (False, lambda c, a: [c.verb_subject] if c.verb_subject is not None else []),
    "light_subject": (
        False,
        lambda c, a: [c.verb_subject] if light(c) and c.verb_subject is not None else [],
    ),
    "light_case": (True, lambda c, a: by_case(c.verb, cases(a)) if light(c) else []),
    "arrival_case": (
        True,
        lambda c, a: by_case(c.verb, cases(a))
        if c.noun
        and c.verb is not None
        and c.t.dep_ == "nsubj"
        and c.verb.lemma_.lower() in words("arrival_verbs")
        else [],
    ),
    "object_case": (
        True,
        lambda c, a: [
            x
            for theme in c.themes
            for x in by_case(theme, cases(a), deep=True)
            if not under_place(x, theme)
        ],
    ),
    "last_case": (
        False,
        lambda c, a: by_case(c.frame.tokens[-1], (c.frame.entry["target_case"],))
        if "target_case" in c.frame.entry
        else [],
    ),
    "participle_agent": (
        False,
        lambda c, a: [
            x
            for child in c.t.children
            if child.dep_ in ("acl", "amod") and child.pos_ == "VERB"
            for x in by_case(child, ("par",))
        ],
    ),
    "participle_case": (
        True,
        lambda c, a: [
            x
            for child in c.t.children
            if child.dep_ in ("acl", "amod") and child.pos_ == "VERB"
            for x in by_case(child, cases(a))
        ],
    ),
    "modifier": (False, lambda c, a: [x for x in c.t.children if x.dep_ == "amod"]),
    # the "de" phrase of a signing noun when it names the signers, not what is signed
    "signers_de": (
        False,
        lambda c, a: [
            x
            for x in by_case(c.t, ("de",))
            if x.lemma_.lower() not in words("agreement_nouns") | words("signed_nouns")
        ],
    ),
    "sender": (False, lambda c, a: sender_of(c.t)),
    "holder": (False, lambda c, a: holder_of(c.t)),
}


def joint_parties(c: Clause) -> list[str]:
    """The two states a compound demonym names in the phrase of the trigger or of an
    agreement noun below it ("l'accord de défense franco-tchadien")."""
    for noun in c.t.subtree:
        if noun.i == c.t.i or noun.lemma_.lower() in words("agreement_nouns"):
            for word in noun.subtree:  # "l'accord de défense franco-tchadien"
                states = joint_states(word)
                if states:
                    return states
    return []


def located_state(c: Clause) -> list[str]:
    """The state of the happening's named place only (a gazetteer place's country, a
    capital's state), never a state the clause merely names ("la visite ... dans ce pays
    ..., avec la France")."""
    place = location_of(c.frame, c.index)
    if not place:
        return []
    found = gazetteers().place_by_alias(place)
    state = (found.country if found is not None else None) or gazetteers().capital_iso3(place)
    return [state] if state else []


ACTOR_PATHS = {
    "joint": (False, lambda c, a: joint_parties(c)),
    "located_state": (False, lambda c, a: located_state(c)),
    "ordered_from": (False, lambda c, a: ordered_from(c.themes, c.index)),
    "makers": (False, lambda c, a: maker_states(c.themes, c.index)),
    "place_state": (False, lambda c, a: [s for s in [place_state(c.frame, c.index)] if s]),
}
PATHS = {name: takes for name, (takes, _) in (TOKEN_PATHS | ACTOR_PATHS).items()}


def path_actors(path: str, c: Clause) -> list[str]:
    name, _, arg = path.partition(":")
    if name in ACTOR_PATHS:
        return ACTOR_PATHS[name][1](c, arg)
    return acts(TOKEN_PATHS[name][1](c, arg), c.index)


def form_of(c: Clause, spec: dict) -> dict:
    """The frame's paths for this trigger's form (benefit, noun, passive, pronominal,
    verb), falling back to the verb's."""
    forms = spec["forms"]
    if c.noun and "benefit" in forms and benefits(c.t, c.verb):
        return forms["benefit"]
    if c.noun and "noun" in forms:
        return forms["noun"]
    if not c.noun and "passive" in forms and is_passive(c.t):
        return forms["passive"]
    if not c.noun and "pronominal" in forms and is_reflexive(c.t):
        return forms["pronominal"]
    return forms.get("verb") or next(iter(forms.values()))


def first_actors(steps: list, c: Clause, taken: list[str]) -> list[str]:
    """The actors of the first step that names any actor not already ``taken`` (a step
    is a path, or a list of paths whose actors are joined)."""
    for step in steps:
        found = []
        for path in [step] if isinstance(step, str) else step:
            found += [a for a in path_actors(path, c) if a not in found and a not in taken]
        if found:
            return found
    return []


def read_roles(frame: Frame, index: SentenceIndex) -> None:
    """Fill a frame's sources and targets from the syntax around its trigger: by the
    paths its frame declares for the trigger's form (``data/event_frames.jsonl``), or by
    the frame's reader. A role no path fills is read again with the words that stand for
    an actor without naming it (a subject pronoun, a bare "l'armée", "le pays" on the
    trigger itself: `roles.stand_in`), which so never pre-empt a named actor."""
    source, target = frame_roles(frame, index)
    if not source or not target:
        index.stand_ins = frame.token
        try:
            again_source, again_target = frame_roles(frame, index)
        finally:
            index.stand_ins = None
        source = source or [a for a in again_source if a not in target]
        target = target or [a for a in again_target if a not in source]
    frame.sources = source
    frame.targets = [a for a in target if a not in source]


def frame_roles(frame: Frame, index: SentenceIndex) -> tuple[list[str], list[str]]:
    t = frame.token
    noun = t.pos_ in ("NOUN", "PROPN")
    verb = clause_verb(t) if noun else None
    verb_subject = subject_of(verb) if verb is not None else None
    if verb_subject is not None and verb_subject.i == t.i:
        verb_subject = None
    c = Clause(frame, index, noun, verb, verb_subject, agents_of(t), theme_of(t))
    spec = frames()[frame.entry["frame"]]
    if "reader" in spec:
        source, target = READERS[spec["reader"]](c)
    else:
        form = form_of(c, spec)
        roles = {"source": [], "target": []}
        if form.get("pair"):
            pair = first_actors(form["pair"], c, [])
            roles["source"], roles["target"] = pair[:1], pair[1:]
        for role in spec.get("order", ["source", "target"]):
            other = roles["target" if role == "source" else "source"]
            roles[role] = roles[role] or first_actors(form.get(role, []), c, other)
        source, target = roles["source"], roles["target"]
    return source, target


def sender_of(t) -> list:
    """Who sends the trainers a training verb hangs on ("le déploiement de conseillers
    afin d'entraîner X"): the sending noun's "par" phrase, else the subject of the verb
    governing it when that is a state or an army."""
    subject, hops = t.head, 0
    while subject.pos_ in ("NOUN", "PROPN") and hops < 4:  # "le déploiement de X pour six mois"
        if subject.lemma_.lower() in words("sending_nouns"):
            break
        subject, hops = subject.head, hops + 1
    if subject.pos_ == "ADV" and subject.head.i != subject.i:  # "afin d'entraîner X"
        subject = subject.head
    if subject.pos_ == "VERB":  # the phrase hangs on the verb whose object is the sending
        sent = [c for c in subject.children if c.dep_ == "obj"]
        subject = next((c for c in sent if c.lemma_.lower() in words("sending_nouns")), subject)
    if subject.lemma_.lower() not in words("sending_nouns") or t.dep_ not in (
        "acl",
        "advcl",
        "obl:arg",
        "xcomp",
    ):
        return []
    sender = clause_verb(subject)
    found = by_case(subject, ("par",))
    if not found and sender is not None and subject_of(sender) is not None:
        found = [subject_of(sender)]
    # who reports or decides a sending lends itself only when it is a state or an army
    return [x for x in found if states_or_armies(x)]


def states_or_armies(token) -> bool:
    """Is the phrase a state (a country or capital name) or an army ("l'armée X")?"""
    if token.pos_ == "PROPN":
        return True  # names: the actor reading decides (states, capitals, national bodies)
    return token.lemma_.lower() in words("troop_nouns")


def ordered_from(themes, index) -> list[str]:
    """Who the received things were ordered from or made by ("des canons commandés à X",
    "des drones fabriqués par X")."""
    ordered = [
        x
        for theme in themes
        for x in theme.subtree
        if x.dep_ in ("acl", "amod") and x.lemma_.lower() in words("order_verbs")
    ]
    return acts([y for x in ordered for y in by_case(x, ("à", "auprès", "par"))], index)


def read_trainer_frame(c: Clause) -> tuple[list, list]:
    return read_trainer(c.t, c.index, c.verb, c.verb_subject)


def read_end(c: Clause) -> tuple[list, list]:
    """X ends an agreement with Y ("avec Y", the partner named in the agreement's phrase,
    "avec Y" on the governing verb), or a foreign mission (see ``own_presence``)."""
    t, index = c.t, c.index
    if not c.noun:
        source = acts(c.agents, index)
    else:
        source = acts(by_case(t, ("par",)), index) or (
            acts([c.verb_subject], index) if c.verb_subject is not None else []
        )
    target = acts(by_case(t, ("avec",), deep=True), index)
    if not target:
        heads = [h for h in mention_heads(c.themes, index) if not signing_place(h, index)]
        target = [a for a in acts(heads, index) if a not in source]
    if not target and c.noun and c.verb is not None:
        target = [a for a in acts(by_case(c.verb, ("avec",)), index) if a not in source]
    if not target:  # "la fin de l'accord qui liait les deux pays"
        target = [a for a in acts(bound_parties(t), index) if a not in source]
    if not target:  # "la fin de l'accord de défense franco-tchadien"
        target = [a for a in joint_parties(c) if a not in source]
    return own_presence(c.frame, index, source, target)


def signing_place(token, index) -> bool:
    """A city after "de" on an agreement noun (or its complement) names where it was
    signed, not a party ("l'accord d'Alger", "l'accord de paix de Lomé")."""
    m = index.mention_of(token)
    return (
        m is not None
        and m.label == "LOC"
        and case_of(token) == "de"
        and any(a.lemma_.lower() in words("agreement_nouns") for a in list(token.ancestors)[:2])
    )


def bound_parties(t) -> list:
    """The parties an ended agreement binds, named in a relative clause on the agreement
    noun ("l'accord qui liait les deux pays", "le traité qui unit X à Y"): the binding
    verb's object and its "à" / "avec" phrases."""
    found = []
    for noun in t.subtree:  # the parser may hang the relative on the trigger ("la fin")
        if noun.i != t.i and noun.lemma_.lower() not in words("agreement_nouns"):
            continue
        for clause in noun.children:
            if clause.dep_ in ("acl:relcl", "acl") and clause.lemma_.lower() in words("bind_verbs"):
                found += [x for x in clause.children if x.dep_ == "obj"]
                found += by_case(clause, ("à", "avec"))
    return found


def read_expel(c: Clause) -> tuple[list, list]:
    """X expels Y, Y told to leave ("pousser vers la sortie Y"); an armed group driven out
    is not foreign troops leaving."""
    frame, index = c.frame, c.index
    source = acts(c.agents, index)
    target = acts(c.themes + by_case(c.t, ("à",)), index, nmod_states=False)
    target = target or acts(envoys(c.themes), index)  # "a expulsé l'ambassadeur de France"
    if not target:  # the object hung on the expression's last word ("vers la sortie X")
        stray = [x for x in frame.tokens[-1].children if x.dep_ in ("obj", "nmod")]
        stray = [x for x in stray if case_of(x) is None] + by_case(frame.tokens[-1], ("à",))
        target = acts(stray, index, nmod_states=False)
    return source, [a for a in target if not is_armed_group(a)]


def read_leave_frame(c: Clause) -> tuple[list, list]:
    read_leave(c.frame, c.index, c.agents, c.themes, c.verb, c.verb_subject)
    return c.frame.sources, c.frame.targets


def read_coup_frame(c: Clause) -> tuple[list, list]:
    return read_coup(c.frame, c.index, c.agents, c.themes, c.verb, c.verb_subject)


def read_attack_frame(c: Clause) -> tuple[list, list]:
    return read_attack(c.frame, c.index, c.agents, c.themes, c.verb, c.verb_subject)


def read_capture_frame(c: Clause) -> tuple[list, list]:
    return read_capture(c.frame, c.index, c.agents, c.themes)


READERS = {
    "trainer": read_trainer_frame,
    "end": read_end,
    "expel": read_expel,
    "leave": read_leave_frame,
    "seize": read_coup_frame,
    "attack": read_attack_frame,
    "capture": read_capture_frame,
}


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
        # "une offensive éclair | du groupe X": the parser hangs it on the adjective
        phrases += [
            g for c in t.children if c.dep_ == "amod" for g in by_case(c, ("de",)) if g.i > t.i
        ]
        attackers = [c for c in phrases if is_attacker(c, index)]
        source = acts(attackers, index)
        against = acts(by_case(t, ("contre",), deep=True), index)
        if source and set(source) <= set(against):  # "l'armée X contre le Y": the army's state
            source = [s for s in map(own_demonym, attackers) if s]
    support = verb is not None and verb.lemma_.lower() in words("support_verbs")
    if noun and not source and t.dep_ == "obj" and support and verb_subject is not None:
        source = acts([verb_subject], index)  # "X a lancé une offensive contre Y"
    if noun and takes_part(t, verb) and verb_subject is not None:
        # "X a pris part aux combats contre Y (aux côtés de Z)": X (and Z) fight Y
        source = source or acts([verb_subject], index)
        target += acts(by_case(verb, ("contre",)), index)
    if noun and source and verb is not None and verb_subject is not None and t.head.i == verb.i:
        allies = [g for c in verb.children if c.lemma_ == "côté" for g in by_case(c, ("de",))]
        source += [a for a in acts(allies, index) if a not in source]  # "aux côtés de Z"
    if noun and support and t.dep_ == "obj":  # "X a tendu une embuscade à Y", "... contre Y"
        target += acts(by_case(verb, ("contre", "à")), index)
    for child in t.children:  # "l'embuscade tendue à une patrouille X"
        if child.dep_ in ("acl", "amod") and child.lemma_.lower() in words("support_verbs"):
            target += acts(by_case(child, ("à", "contre")), index)
    if noun and support and t.dep_ == "obj":  # "... une offensive pour chasser les ADF"
        purposes = [c for c in verb.children if c.dep_ in ("advcl", "xcomp") and c.pos_ == "VERB"]
        purposes += [  # "afin de déloger X": the purpose verb hung on "afin"
            g for c in verb.children if c.pos_ == "ADV" for g in c.children if g.pos_ == "VERB"
        ]
        target += acts([o for p in purposes for o in p.children if o.dep_ == "obj"], index)
    claims = words("claim_verbs")
    if noun and verb is not None and verb.lemma_.lower() in claims:
        target += acts(by_case(verb, ("contre", "à")), index)  # "... tendue à | une patrouille X"
    if noun and not source and verb is not None and verb.lemma_.lower() in claims:
        if t.dep_ in ("obj", "nsubj:pass") and verb_subject is not None and verb_subject.i != t.i:
            source = acts([verb_subject], index) if t.dep_ == "obj" else []
        if t.dep_ == "nsubj:pass" or (t.dep_ == "nsubj" and is_passive(verb)):
            source = acts(by_case(verb, ("par", "à")), index)
    for child in t.children:
        if child.dep_ in ("acl", "acl:relcl", "amod") and child.lemma_.lower() in claims:
            source = source or acts(by_case(child, ("par", "à")), index)
        if child.dep_ == "acl:relcl" and is_victim_verb(child):
            target += acts(by_case(child, ("à",)), index)  # "le raid ayant coûté la vie à X"
    # a noun's "contre" phrase, wherever the parser hangs it in the noun's phrase; a verb's
    # own only ("tué lors d'une opération contre X": X is the operation's, not the killing's)
    target += [a for a in acts(by_case(t, ("contre",), deep=noun), index) if a not in target]
    if noun and verb is not None and t.dep_ in ("nsubj", "nsubj:pass"):
        lemma = verb.lemma_.lower()
        if lemma in words("aim_verbs") or is_victim_verb(verb):  # "la frappe a tué des X"
            target += acts([c for c in verb.children if c.dep_ == "obj"], index)
        target += acts(casualties_among(verb), index)  # "a fait dix morts parmi les X"
        if lemma in words("oppose_verbs"):
            sides = [c for c in verb.children if c.dep_ == "obj"]
            source = source or acts(sides, index)
            others = by_case(verb, ("à",)) + [g for c in sides for g in by_case(c, ("à",))]
            target += acts(others, index)
    dying = verb is not None and is_victim_verb(verb)
    killing = (
        dying
        and verb.lemma_.lower() in words("kill_verbs")
        and any(c.dep_ == "obj" for c in verb.children)
        and not is_passive(verb)
    )
    if noun and dying and t.dep_.startswith("obl") and verb_subject is not None:
        if killing:  # "X a tué dix soldats lors d'une embuscade": X the attacker
            source = source or acts([verb_subject], index)
            target += acts([c for c in verb.children if c.dep_ == "obj"], index)
        else:  # "dix soldats ont péri dans une attaque", "ont été tués lors de"
            target += acts([verb_subject], index)
    if noun and verb is not None and is_victim_verb(verb):
        target += acts(by_case(verb, ("à",)), index)  # "a coûté la vie à dix soldats"
    if noun and not source:  # "l'attaque du camp de X | par le JNIM": "par" hung lower
        source = acts(stray_agents(t), index)
    if noun and not source:  # "l'attaque menée par X", "l'embuscade tendue par X"
        source = acts(participle_doers(t), index)
    if noun and not source:  # "X est responsable de l'attaque", "X, auteur de l'embuscade"
        source = acts(responsible_for(t), index)
    accused = verb is not None and t.head.i == verb.i and t.dep_.startswith("obl")
    if noun and not source and accused and verb.lemma_.lower() in words("accuse_verbs"):
        # "X accuse Y de l'attaque": the accused (hedged attributions name the actor too)
        source = acts([c for c in verb.children if c.dep_ == "obj"], index)
    sufferer = undergoer(t, verb, verb_subject) if noun else None
    if sufferer is not None:  # "le camp a subi une attaque": who it happened to
        target += acts([sufferer], index)
        source = [a for a in source if a not in target]
    against = acts(by_case(t, ("contre",), deep=noun), index)
    source = [a for a in source if a not in against]  # "contre" names the attacked only
    between = acts(by_case(t, ("entre",), deep=True), index)
    if between and not source:
        source, rest = split_pair(between)
        target += rest
    victims = civilians(frame, index)
    target = [a for a in dict.fromkeys(target) if a not in source and a not in victims]
    if not target and not aimed_at_group(t, verb, themes):
        target = [s for s in [place_state(frame, index)] if s and s not in source]
    return source, target


def aimed_at_group(t, verb, themes) -> bool:
    """Does the text aim the attack at fighters it does not name ("une frappe contre les
    jihadistes en Somalie", "a bombardé des positions rebelles")? Then the state where
    it happened is not the attacked party (it is for a post, a camp, a convoy, a village)."""
    aimed = list(themes) + by_case(t, ("contre",))
    if verb is not None and t.dep_ in ("obj", "nsubj"):
        aimed += by_case(verb, ("contre",))
        if t.dep_ == "nsubj":
            aimed += [c for c in verb.children if c.dep_ == "obj"]
    groups = words("armed_group_nouns") - {"groupe", "homme", "élément", "coalition", "mouvement"}
    for phrase in aimed:
        if phrase.lemma_.lower() in groups:
            return True
        if any(c.dep_ == "amod" and c.lemma_.lower() in groups for c in phrase.children):
            return True
    return False


def participle_doers(t) -> list:
    """The "par" phrase of a participle that carries an attack noun ("l'attaque menée par
    X", "perpétrée par", "attribuée à X"): the noun's own participle only."""
    verbs = words("support_verbs") | words("claim_verbs")
    found = []
    for x in t.children:
        if x.pos_ != "VERB" or x.dep_ not in ("acl", "amod"):
            continue
        if x.lemma_.lower() not in verbs or "Part" not in x.morph.get("VerbForm"):
            continue
        cases = ("par", "à") if x.lemma_.lower() in words("claim_verbs") else ("par",)
        found += by_case(x, cases)
    return found


def casualties_among(verb) -> list:
    """Whom the casualties a verb counts came from ("l'attaque a fait dix morts parmi les
    soldats X", "dans les rangs de l'armée X"): the "parmi" phrase, or "dans les rangs
    de", of a verb whose object is a casualty noun ("morts", "victimes", "blessés")."""
    counted = [c for c in verb.children if c.dep_ == "obj"]
    if not any(c.lemma_.lower() in words("casualty_nouns") for c in counted):
        return []
    phrases = by_case(verb, ("parmi",)) + [g for c in counted for g in by_case(c, ("parmi",))]
    ranks = [c for x in (verb, *counted) for c in x.children if c.lemma_.lower() == "rang"]
    return phrases + [g for c in ranks for g in by_case(c, ("de",))]


def takes_part(t, verb) -> bool:
    """Is the attack noun what its clause's subject takes part in ("a participé aux
    combats", "a pris part à l'offensive")?"""
    if verb is None or t.head.i != verb.i or case_of(t) != "à":
        return False
    lemma = verb.lemma_.lower()
    objects = lexicon()["words"]["participation_phrases"].get(lemma, [])
    return lemma in words("participation_verbs") or any(
        c.dep_ == "obj" and c.lemma_.lower() in objects for c in verb.children
    )


def stray_agents(t) -> list:
    """The "par" phrase of an attack noun that the parser hung on a noun of its phrase
    ("l'attaque du camp de X par le JNIM": "par le JNIM" under "camp"): a "par" phrase in
    the noun's phrase with no verb between them (a participle's "par" is its own)."""
    found = []
    for x in t.subtree:
        if x.i == t.i or case_of(x) != "par" or x.pos_ not in ("NOUN", "PROPN"):
            continue
        current = x.head
        while current.i != t.i and current.pos_ in ("NOUN", "PROPN", "NUM", "ADJ"):
            current = current.head
        if current.i == t.i:
            found.append(x)
    return found


def own_demonym(token) -> str | None:
    """The state a demonym on the noun itself names ("l'armée tchadienne"), or None."""
    return next(
        (demonym(c.text) for c in token.children if c.dep_ == "amod" and demonym(c.text)), None
    )


def responsible_for(t) -> list:
    """Who the text holds responsible for an attack: the subject or the name of a noun
    of authorship the attack noun depends on ("X est responsable de l'attaque", "X,
    l'auteur de l'embuscade", "tenu pour responsable des frappes de mai")."""
    current = t
    for _ in range(2):
        head = current.head
        if head.i == current.i or current.dep_ not in ("nmod", "dep", "conj", "obl:arg", "obl:mod"):
            return []
        if head.lemma_.lower() in words("author_nouns"):
            return author_of(head)
        current = head
    return []


def civilians(frame, index) -> set[str]:
    """States named only as the nationality of civilian victims ("deux touristes
    britanniques"): an attack on civilians is an attack on the state where it happens."""
    found = set()
    for token in index.span:
        if token.i in frame.scope and token.lemma_.lower() in words("civilian_nouns"):
            found.update(acts([token], index))
            for child in token.children:
                if child.dep_ in ("appos", "conj"):
                    found.update(acts([child], index))
    return found


def is_victim_verb(verb) -> bool:
    """A verb whose subject (or "à" phrase) is the victims: "tuer", "périr", "blesser",
    "coûter la vie à", or a verb that says death only with its object ("perdre la vie",
    "trouver la mort")."""
    lemma = verb.lemma_.lower()
    if lemma in words("victim_verbs"):
        return True
    objects = lexicon()["words"]["victim_phrases"].get(lemma, [])
    return any(c.dep_ == "obj" and c.lemma_.lower() in objects for c in verb.children)


def is_attacker(token, index) -> bool:
    """A "de" phrase of an attack noun that names who attacks: an armed group or other
    organisation, or an army or forces ("les frappes de l'armée malienne"), not the place
    or the thing attacked ("l'attaque de la prison")."""
    m = index.mention_of(token)
    if m is not None:
        return m.label in ("ORG", "PER") or (m.label == "GPE")
    if token.lemma_.lower() in words("armed_group_nouns"):
        # "l'offensive du groupe armé X", "l'attaque des rebelles du X": a named group inside
        return any(m.label == "ORG" for m in mentions_under([token], index))
    return token.lemma_.lower() in words("troop_nouns") and bool(acts([token], index))


def is_equipment(token, index) -> bool:
    m = index.mention_of(token)
    return m is not None and m.label == "EQUIPMENT"


def read_capture(frame, index, agents, themes) -> tuple[list, list]:
    """Taking a place by force ("X s'est emparé de la ville de Y", "a pris le contrôle de
    Y"): an ATTACK by the taker on the state the place belongs to."""
    source = acts(agents, index)
    return source, [s for s in [place_state(frame, index)] if s and s not in source]


def own_presence(frame, index, source, target) -> tuple[list, list]:
    """Ending a foreign presence ("l'Espagne a mis un terme à sa mission au Gabon", "la
    fin des opérations X au Ghana"): the party whose mission or operation ends is
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
    possessed = noun and any(c.dep_ == "det" and "Yes" in c.morph.get("Poss") for c in t.children)
    demanded = verb is not None and verb.lemma_.lower() in words("demand_verbs")
    if possessed and verb_subject is not None and not demanded:
        # "X a achevé son retrait du Mali": the owner of "son" leaves; "du Mali" is the place
        movers = acts([verb_subject], index, nmod_states=False)
    elif noun:
        movers = acts(by_case(t, ("de",)), index, nmod_states=False)
        own = actor_of_phrase(t, index, nmod_states=False)  # "le retrait américain"
        movers = movers or ([own] if own else [])
        # "le départ de l'ambassadeur de France": an envoy's state is whose, not where
        movers = movers or acts(envoys(by_case(t, ("de",))), index)
        if not movers and verb_subject is not None:
            movers = acts([verb_subject], index, nmod_states=False)
    else:
        movers = (
            acts(agents, index, nmod_states=False)
            or acts(envoys(agents), index)  # "l'ambassadeur de France a quitté Bamako"
            or acts(themes, index, nmod_states=False)
            or acts(envoys(themes), index)  # "a expulsé l'ambassadeur de France"
        )
    demand = demand_of(t)
    if demand is not None:  # "X a demandé aux soldats Y de quitter le pays": Y told to leave
        told = [c for c in demand.children if c.dep_ in ("iobj", "obj") and c.i != t.i]
        movers = acts(told + by_case(demand, ("à",)), index, nmod_states=False) or movers
    if not movers and not noun and t.dep_ == "acl:relcl":
        movers = acts(
            [t.head], index, nmod_states=False
        )  # "la France, dont les soldats sont partis"
    hosts = []
    for child in t.children:  # "les départs exigés par le Gabon"
        if child.dep_ in ("acl", "amod") and child.pos_ == "VERB":
            hosts += acts(by_case(child, ("par",)), index)
    if demand is not None and subject_of(demand) is not None:
        hosts = acts([subject_of(demand)], index)
    if not noun and t.lemma_ in ("quitter", "évacuer"):
        hosts = hosts or acts(themes, index)
        if not hosts and themes:  # "ont quitté la base de X": the state of the place left
            hosts = [s for s in [place_state(frame, index)] if s]
    hosts = hosts or acts(by_case(t, ("de", "depuis"), deep=True), index, nmod_states=True)
    hosts = [h for h in hosts if h not in movers]
    if not hosts and noun and verb_subject is not None:
        hosts = [h for h in acts([verb_subject], index) if h not in movers]
    if hosts and all(map(is_organisation, hosts)) and not any(map(is_organisation, movers)):
        # leaving an organisation ("le Mali a quitté la CEDEAO"): the leaver ends it
        hosts, movers = movers, hosts
    frame.sources, frame.targets = hosts, movers


def demand_of(t):
    """The verb of demand or order a leaving verb is the content of ("X a demandé aux
    soldats de quitter le pays", "a ordonné aux diplomates de partir"), or None."""
    head = t.head
    if t.pos_ != "VERB" or head.i == t.i or t.dep_ not in ("xcomp", "ccomp", "obj", "obl:arg"):
        return None
    return head if head.lemma_.lower() in words("demand_verbs") else None


def envoys(phrases) -> list:
    """The phrases that name diplomats ("l'ambassadeur de France"): their "de" phrase
    says whose they are, not where they are."""
    return [x for x in phrases if x.lemma_.lower() in words("envoy_nouns")]


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
    deposing = words("depose_verbs")
    if t.lemma_ in deposing:
        deposed_phrases += themes
    if t.lemma_ == "renversement":
        deposed_phrases += by_case(t, ("de",))
    if (
        verb is not None
        and verb.lemma_ in deposing
        and is_passive(verb)
        and verb_subject is not None
    ):
        deposed_phrases.append(verb_subject)
    if verb is not None and verb.lemma_ in deposing and t.dep_ == "nsubj":
        # "un coup d'État a renversé le président X": X is deposed, not installed
        deposed_phrases += [c for c in verb.children if c.dep_ == "obj"]
    deposed = mentions_under(deposed_phrases, index, "PER")
    excluded = {x.i for p in deposed_phrases for x in p.subtree}
    sufferer = undergoer(t, verb, verb_subject)  # "le Niger a connu un coup d'État"
    if sufferer is not None:
        excluded |= {x.i for x in sufferer.subtree}
    leaders = agents if t.pos_ == "VERB" else by_case(t, ("par", "de"))
    source = acts([x for x in leaders if x.i not in excluded], index, keep_self=True)
    # the coup is the means of its clause's subject: "X a mené / fomenté un putsch", "le
    # putsch a été orchestré par X", "X a pris le pouvoir par un coup de force"; not
    # "la CEDEAO a condamné le putsch" (a reaction names no author)
    authored = verb is not None and verb.lemma_.lower() in words("coup_author_verbs")
    means = (authored and t.dep_ in ("obj", "nsubj:pass")) or case_of(t) == "par"
    means = means and sufferer is None
    accession = accession_noun(t)
    if not source and accession is not None and accession.pos_ in ("VERB", "AUX"):
        # "Parvenu au pouvoir à la faveur d'un putsch, le colonel X ...": who reached it
        reached = subject_of(accession)
        source = acts([reached] if reached is not None else [], index, keep_self=True)
    elif not source and accession is not None:
        # "l'accession au pouvoir, par la force, du général X": who reached power
        inner = {x.i for x in t.subtree}
        found = [x for x in by_case(accession, ("de",), deep=True) if x.i not in inner]
        source = acts(found, index, keep_self=True) or acts(
            stray_accessor(accession, inner, index), index, keep_self=True
        )
    if not source and verb is not None and means and verb.lemma_ not in deposing:
        source = acts([x for x in agents_of(verb) if x.i not in excluded], index, keep_self=True)
    if not source and t.dep_ == "nmod" and t.head.lemma_.lower() in words("author_nouns"):
        source = acts(author_of(t.head), index, keep_self=True)  # "X, auteur du putsch"
    pool = list(t.subtree)
    if verb is not None and t.dep_ == "nsubj":  # "le putsch a porté au pouvoir le CTRI"
        pool += [x for c in verb.children if c.dep_ == "obj" for x in c.subtree]
    # "... ont pris le pouvoir, renversant le président X": X is deposed, never the seizer
    excluded |= {
        x.i
        for d in pool
        if d.lemma_.lower() in deposing
        for c in d.children
        if c.dep_ in ("obj", "nsubj:pass")
        for x in c.subtree
    }
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
    # a state does not seize power: "des forces spéciales guinéennes ont renversé X" names
    # no author (source null), whatever the demonym says
    source = [s for s in source if not is_state_id(s)]
    if COUP_TARGET == "state":  # the deposed leader's state, else the state the junta belongs to
        states = [mention_actor(m) for m in deposed]
        if not any(states) and sufferer is not None:
            states = acts([sufferer], index)
        if not any(states):
            seizers = [m for m in index.mentions if (m.norm or m.text) in source]
            states = [mention_actor(m) for m in seizers]
        states = [s for s in dict.fromkeys(states) if s]
        if not states:  # "le putsch de juillet au Niger": the state its own phrase places it in
            here = mentions_under(by_case(t, words("place_cases")), index, "GPE")
            states = [s for s in dict.fromkeys(map(mention_actor, here)) if s]
        if states or not coup_told_here(t):
            return source, states
        return source, [s for s in [place_state(frame, index)] if s]
    return source, [m.norm or m.text for m in deposed]


def coup_told_here(t) -> bool:
    """Is the coup the clause's own happening (a verb, or a noun that is its subject or
    object: "un coup d'État a eu lieu à X"), so that the state the clause places it in is
    where it fell? A coup in an adjunct ("le régime, en place depuis le putsch, a rompu
    avec X") takes no state from the rest of the clause."""
    if t.pos_ not in ("NOUN", "PROPN"):
        return True
    return t.dep_ in ("nsubj", "nsubj:pass", "obj", "obl:agent", "ROOT")


def undergoer(t, verb, verb_subject):
    """The one a happening befell, read from the verb the trigger noun depends on: the
    subject of a verb of undergoing ("le Niger a connu un coup d'État", "le camp a subi
    une attaque") or of repelling ("l'armée a riposté à l'attaque", "a repoussé
    l'assaut"), or the agent of a repelling verb in the passive ("l'attaque a été
    repoussée par l'armée"); else None."""
    if verb is None or t.head.i != verb.i:
        return None
    lemma = verb.lemma_.lower()
    if lemma in words("repel_verbs") and t.dep_ == "nsubj:pass":
        return next((c for c in verb.children if case_of(c) == "par"), None)
    if lemma in words("undergo_verbs") and case_of(t) == "par" and is_passive(verb):
        return verb_subject  # "le pays a été secoué par un coup d'État"
    if verb_subject is None or verb_subject.i == t.i:
        return None
    if lemma in words("undergo_verbs") and t.dep_ == "obj":
        return verb_subject
    if lemma in words("repel_verbs") and t.dep_ in ("obj", "obl:arg", "obl"):
        return verb_subject
    return None


def accession_noun(t):
    """The noun of reaching power a coup trigger is the means of ("son accession au pouvoir
    à la faveur d'un coup d'État", "la venue au pouvoir, par un putsch, de X"), or None."""
    current = t.head
    for _ in range(3):
        if current.lemma_.lower() in words("accession_nouns") | words("accession_verbs") and any(
            x.lemma_.lower() == "pouvoir" for x in current.subtree
        ):
            return current
        if current.head.i == current.i:
            return None
        current = current.head
    return None


def stray_accessor(accession, inner: set[int], index) -> list:
    """The "de" phrase naming who reached power, when the parser hung it off the accession
    noun ("l'installation au pouvoir, grâce à un coup de force, puis la réélection du
    général X": "du général X" hung elsewhere): the first "de" phrase after the noun
    that names a person or an organisation, before any finite verb; none else."""
    for token in sentence_of(accession):
        if token.i <= accession.i or token.i in inner:
            continue
        if token.pos_ in ("VERB", "AUX") and finite(token):
            return []
        if token.pos_ not in ("NOUN", "PROPN") or case_of(token) != "de":
            continue
        named = [m for m in mentions_under([token], index) if m.label in ("PER", "ORG")]
        if named:
            return [index.head_of(named[0])]
    return []


def author_of(noun) -> list:
    """Who an author noun ("auteur", "cerveau", "artisan" du putsch) stands for: the name
    in apposition to it, the name it is in apposition to, or the subject it is said of."""
    found = [
        c
        for c in noun.children
        if c.dep_ in ("appos", "flat:name", "nmod") and c.pos_ == "PROPN" and case_of(c) is None
    ]
    if noun.dep_ == "appos":
        found.append(noun.head)
    if any(c.dep_ == "cop" for c in noun.children):
        subjects = [c for c in noun.children if c.dep_ in ("nsubj", "nsubj:pass")]
        head = noun.head  # "accuser Y d'être l'auteur de": Y, the accused
        if not subjects and head.lemma_.lower() in words("object_control_verbs"):
            subjects = [c for c in head.children if c.dep_ == "obj"]
        found += subjects
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


def benefits(t, verb) -> bool:
    """Is the noun trigger what its clause's subject benefits from or receives ("ont
    bénéficié d'une formation", "ont suivi une formation")?"""
    return (
        t.pos_ in ("NOUN", "PROPN")
        and verb is not None
        and verb.lemma_.lower() in words("benefit_verbs")
        and (t.dep_ in ("obj", "obl:arg", "obl") and t.head.i == verb.i)
    )
