"""Event roles: who is named by a phrase of a parsed sentence, and what a trigger's
arguments are (subject, object, agent, phrases by preposition).

Actor conventions (SPEC section 3, annotation notes "Events" 1):

- a GPE mention is its ISO3 norm; a LOC mention that is a capital stands for its state;
- an ORG mention is its canonical name, except an organisation whose gazetteer ``kind``
  is a national body (army, ministry, government, junta, national operation...) and that
  has a ``country``: it stands for that state (FAMa -> MLI, FAN -> NER). A junta *seizing*
  power stays itself (COUP source): callers pass ``keep_self=True`` there;
- a PER mention is the state the person serves (gazetteer country, else a demonym or
  "de + state" on the title: "le ministre nigérien X", "l'ambassadeur de Russie X"),
  else the person's canonical name; with ``keep_self=True`` (COUP roles) the person;
- a description with a demonym is the state ("instructeurs russes" -> RUS), but a named
  non-national organisation in the phrase wins ("militaires russes de l'Africa Corps").
"""

from __future__ import annotations

import re

from pipeline.events.data import lexicon, per_data
from pipeline.gazetteers import per_data as per_gazetteers
from pipeline.types import Mention, Sentence

ACTOR_LABELS = ("GPE", "LOC", "ORG", "PER")
# Adverbs heading compound prepositions: "auprès de", "près de", "lors de", "face à"...
COMPOUND_PREPOSITIONS = frozenset({"auprès", "près", "lors", "face", "grâce", "loin", "hors"})
# Children followed when looking for the actor a phrase names (never conj: each conjunct
# is its own actor).
PHRASE_DEPS = ("amod", "nmod", "appos", "flat:name", "flat", "compound", "flat:foreign")
MINISTRY_STATE = re.compile(r"\(([A-Z]{3})\)$")
CASE_FORMS = {"au": "à", "aux": "à", "du": "de", "des": "de", "d'": "de", "d’": "de"}


@per_data
def word_list(name: str) -> tuple[str, ...]:
    """A word list of the trigger lexicon (``words`` of ``data/triggers.json``)."""
    return tuple(lexicon()["words"][name])


@per_data
def number_words() -> dict[str, int]:
    """Number words of the trigger lexicon with their values ("deux": 2)."""
    return dict(lexicon()["words"]["number_words"])


@per_data
def combining_forms() -> dict[str, str]:
    """Combining forms of state names in compound demonyms ("franco": FRA, as in
    "franco-tchadien")."""
    return dict(lexicon()["words"]["combining_forms"])


def joint_states(noun) -> list[str]:
    """The two states a compound demonym on a noun names, first-named first ("l'accord
    franco-tchadien", "la coopération russo-malienne", whole or cut at the hyphen), or
    none."""
    for adj in noun.children:
        if adj.dep_ != "amod":
            continue
        if "-" in adj.text:
            first, second = adj.text.split("-")[0], adj.text.split("-")[-1]
        else:
            tail = [c for c in adj.children if c.dep_ == "compound" and c.i > adj.i]
            if not tail:
                continue
            first, second = adj.text, tail[0].text
        states = [combining_forms().get(first.lower()), demonym(second)]
        if all(states) and states[0] != states[1]:
            return states
    return []


def state_body_markers() -> tuple[str, ...]:
    """Words in an organisation's names that make it a state body (army, ministry, junta,
    national operation)."""
    return word_list("state_body_markers")


def not_an_actor(m: Mention) -> bool:
    """Media cited as a source, photo credits, bylines, carriers: never an event's actor
    (an organisation whose gazetteer kind says media or carrier, or whose name holds a
    marker of one: "agence", "crédit photo", "airlines"...)."""
    org = gazetteers().organisation_by_alias(m.norm or m.text)
    if org is not None and org.kind in word_list("non_actor_kinds"):
        return True
    names = {n.lower() for n in (m.norm, m.text, org.name if org else None) if n}
    if names & set(word_list("media_names")):  # the whole name is an outlet's
        return True
    return any(marker in name for name in names for marker in word_list("non_actor_markers"))


def is_state_body(org) -> bool:
    """An organisation of a state that acts for it: it has a country and one of its names
    says army, ministry, national council or operation (FAMa "Forces armées maliennes",
    Barkhane "opération Barkhane", CNSP "Conseil national ..."). Companies, media,
    private military companies (Wagner, Africa Corps) and armed groups act for themselves."""
    if org is None or not org.country or org.kind == "group":
        return False
    if org.acts_for_state:  # Kremlin, Élysée, Maison Blanche...
        return True
    names = " ".join((org.name, *org.aliases)).lower() + " "
    return any(marker in names for marker in state_body_markers())


def gazetteers():
    """The gazetteer module (imported late so that this module loads on its own)."""
    from pipeline import gazetteers as module

    return module


class SentenceIndex:
    """The mentions of one parsed sentence (``span``, a Span of the document's Doc) laid
    over its tokens; ``doc`` is that Doc, indexed by token position."""

    def __init__(self, sentence: Sentence, span, mentions: list[Mention]):
        self.sentence = sentence
        self.span = span
        self.doc = span.doc
        self.document_mentions = mentions
        # the trigger whose empty roles are read again (`framing.read_roles`), or None
        self.stand_ins = None
        self.mentions: list[Mention] = []
        self.token_mention: dict[int, Mention] = {}
        self.mention_tokens: dict[Mention, list[int]] = {}
        for m in mentions:
            if m.start < sentence.start or m.end > sentence.end:
                continue
            # the tokens that overlap the mention (an entity of the Doc is exactly its span)
            tokens_of = self.doc.char_span(m.start, m.end, alignment_mode="expand")
            if tokens_of is None or not len(tokens_of):
                continue
            tokens = list(range(tokens_of.start, tokens_of.end))
            self.mentions.append(m)
            self.mention_tokens[m] = tokens
            for i in tokens:
                self.token_mention.setdefault(i, m)
        # the states each sentence named before this one (latest first): what "les deux
        # pays" can stand for
        named: dict[int, list[tuple[Mention, str]]] = {}
        for m in sorted(mentions, key=lambda m: m.start):
            if m.end <= sentence.start and m.label == "GPE":
                state = mention_actor(m)
                if is_state_id(state):
                    named.setdefault(m.sent_id, []).append((m, state))
        self.earlier_states = [state_lists(named[k]) for k in sorted(named, reverse=True)]

    @property
    def document_state(self) -> str | None:
        """The state the document is about: the one its GPE and capital mentions name
        more often than any other (no guess on a tie)."""
        if not hasattr(self, "_document_state"):
            counts: dict[str, int] = {}
            for m in self.document_mentions:
                state = mention_actor(m) if m.label in ("GPE", "LOC") else None
                if is_state_id(state):
                    counts[state] = counts.get(state, 0) + 1
            ranked = sorted(counts.values(), reverse=True)
            clear = ranked and (len(ranked) == 1 or ranked[0] > ranked[1])
            self._document_state = max(counts, key=counts.get) if clear else None
        return self._document_state

    @property
    def document_group(self) -> str | None:
        """The armed group the document names more often than any other (no guess on a
        tie)."""
        if not hasattr(self, "_document_group"):
            counts: dict[str, int] = {}
            for m in self.document_mentions:
                org = gazetteers().organisation_by_alias(m.norm or m.text)
                if m.label == "ORG" and org is not None and org.kind == "group":
                    counts[org.name] = counts.get(org.name, 0) + 1
            ranked = sorted(counts.values(), reverse=True)
            clear = ranked and (len(ranked) == 1 or ranked[0] > ranked[1])
            self._document_group = max(counts, key=counts.get) if clear else None
        return self._document_group

    def mention_of(self, token) -> Mention | None:
        return self.token_mention.get(token.i)

    def head_of(self, m: Mention):
        """The token of a mention whose head lies outside it (its syntactic head)."""
        tokens = self.mention_tokens[m]
        for i in tokens:
            if self.doc[i].head.i not in tokens or self.doc[i].head.i == i:
                return self.doc[i]
        return self.doc[tokens[0]]


def case_of(token) -> str | None:
    """The preposition introducing a phrase (normalised: 'au' -> 'à', 'du' -> 'de'); for a
    compound preposition the parser hangs on its adverb ("auprès de la Turquie"), the
    adverb."""
    if compound_preposition(token.head) and token.head.i != token.i:
        return token.head.lower_
    for child in token.children:
        if child.dep_ in ("case", "mark") or (child.dep_ == "fixed" and child.i < token.i):
            form = child.text.lower()
            if child.pos_ == "ADP":  # the form: the lemmatiser reads "entre" as "entrer"
                return CASE_FORMS.get(form, form)
            return CASE_FORMS.get(form, child.lemma_.lower() if form not in CASE_FORMS else form)
    return None


@per_gazetteers
def demonym(word: str) -> str | None:
    found = gazetteers().demonym_iso3(word.lower())
    return found or None


def mention_actor(m: Mention, *, keep_self: bool = False) -> str | None:
    """The actor id one mention stands for, before looking at its context (None for a PER
    whose state is unknown and for a non-capital LOC)."""
    gaz = gazetteers()
    name = m.norm or m.text
    if m.label == "GPE":
        return m.norm or gaz.state_iso3(m.text)
    if m.label == "LOC":
        return gaz.capital_iso3(name) or gaz.capital_iso3(m.text)
    if m.label == "ORG":
        ministry = MINISTRY_STATE.search(name)  # "ministère de la Défense (NER)"
        if ministry and not keep_self:
            return ministry.group(1)
        org = gaz.organisation_by_alias(name) or gaz.organisation_by_alias(m.text)
        if not keep_self and is_state_body(org):
            return org.country
        return org.name if org is not None else name
    if m.label == "PER":
        if keep_self:
            return name
        person = gaz.person_by_alias(name) or gaz.person_by_alias(m.text)
        if person is None:
            return None
        return led_group(person.role) or person.country or None
    return None


LEADER_ROLE = re.compile(r"^(.+?)\s+(?:military |political )?(?:leader|founder|commander|emir)$")


def led_group(role: str | None) -> str | None:
    """The armed group a person's gazetteer role says they lead ("JNIM leader", "CSP/FLA
    leader", "Boko Haram founder"): such a person acts for the group, not for the state
    of their nationality ("Iyad Ag Ghaly a revendiqué l'attaque": JNIM, not MLI)."""
    found = LEADER_ROLE.match((role or "").strip())
    if found is None:
        return None
    for name in found.group(1).split("/"):
        org = gazetteers().organisation_by_alias(name.strip())
        if org is not None and org.kind == "group":
            return org.name
    return None


def is_national_org(m: Mention) -> bool:
    if MINISTRY_STATE.search(m.norm or m.text):
        return True
    return is_state_body(gazetteers().organisation_by_alias(m.norm or m.text))


def title_state(token, index: SentenceIndex) -> str | None:
    """The state named on a person's title: a demonym or "de + state" on the noun the
    name is in apposition to ("le ministre nigérien X", "l'ambassadeur de Russie X")."""
    candidates = [token.head] if token.dep_ in ("appos", "flat:name", "nmod", "flat") else []
    if candidates and candidates[0].dep_ == "nmod" and candidates[0].head.i != candidates[0].i:
        candidates.append(candidates[0].head)  # "le ministre kényan de l'Intérieur X"
    candidates += [c for c in token.children if c.dep_ in ("appos", "nmod", "amod")]
    for noun in candidates:
        for child in [noun, *noun.children]:
            if (
                child.i == token.i
                or index.mention_of(child)
                and index.mention_of(child).label == "PER"
            ):
                continue
            m = index.mention_of(child)
            if m is not None and m.label in ("GPE", "LOC"):
                state = mention_actor(m)
                if state:
                    return state
            if child.pos_ == "ADJ":
                state = demonym(child.text)
                if state:
                    return state
    return None


def title_group(token, index: SentenceIndex) -> str | None:
    """The armed group a person's title names ("X, le chef de l'EIGS", "l'émir du JNIM,
    X"): a leader noun (`leader_nouns`) the name is in apposition to, whose de-phrase is
    an armed group of the gazetteer; the person acts for it elsewhere in the document."""
    # (the parser often reads "le chef de X, Y Z" as Y a conjunct of "chef")
    nouns = [token.head] if token.dep_ in ("appos", "flat:name", "nmod", "flat", "conj") else []
    nouns += [c for c in token.children if c.dep_ in ("appos", "nmod")]
    for noun in nouns:
        if noun.i == token.i or noun.lemma_.lower() not in word_list("leader_nouns"):
            continue
        for child in noun.children:
            m = index.mention_of(child)
            if m is None or m.label != "ORG" or case_of(child) != "de":
                continue
            org = gazetteers().organisation_by_alias(m.norm or m.text)
            if org is not None and org.kind == "group":
                return org.name
    return None


def actor_of_mention(m: Mention, index: SentenceIndex, *, keep_self: bool = False) -> str | None:
    if m.label in ("ORG", "PER") and not_an_actor(m):
        return None
    actor = mention_actor(m, keep_self=keep_self)
    if actor is None and m.label == "PER":
        return title_state(index.head_of(m), index) or (m.norm or m.text)
    return actor


def actor_of_phrase(
    token, index: SentenceIndex, *, keep_self: bool = False, nmod_states: bool = True
) -> str | None:
    """The actor a noun phrase headed by ``token`` names, or None.

    Order: the head is itself a mention; a named non-national organisation inside the
    phrase; a demonym on the head ("soldats français"); another mention inside the phrase
    (with ``nmod_states=False``, a state or capital after a preposition is taken for a
    place, as in "le retrait des troupes du Niger", and skipped)."""
    if token.pos_ == "PRON" and token.lower_ in word_list("subject_pronouns"):
        # "il", "elle", "ceux-ci": read only when nothing else fills the role
        return (
            pronoun_actor(token, index) if index.stand_ins is not None and not keep_self else None
        )
    if token.pos_ == "PRON" and token.head.dep_ == "acl:relcl":
        token = token.head.head  # "qui", "que": the antecedent
    elif token.pos_ == "PRON" and "Rel" in token.morph.get("PronType"):
        token = antecedent(token)  # a relative clause the parser attached elsewhere
    state = public_company_state(token)
    if state and not keep_self:
        return state  # "la société publique israélienne X": a state's instrument
    m = index.mention_of(token)
    if m is not None and m.label == "ORG" and not keep_self:
        head = index.head_of(m)
        state = unit_state(m, head) or operation_state(m, head.head)
        if state:  # "la 112e compagnie ... de l'armée X": an unlisted unit acts for X
            return state
    if m is not None and m.label in ACTOR_LABELS:
        actor = actor_of_mention(m, index, keep_self=keep_self)
        if actor:
            return actor
    if token.pos_ in ("NOUN", "ADJ", "PROPN") and m is None:
        state = demonym(token.text)
        if state:
            return state
    if m is None and not keep_self and index.stand_ins is not None:
        actor = stand_in_actor(token, index)
        if actor:  # "l'armée", "les rebelles", "son armée": who the story names
            return actor
    # a name the parser left as "dep" after its class noun ("le constructeur turc Baykar")
    layer = [
        c
        for c in token.children
        if c.dep_ in PHRASE_DEPS or (c.dep_ == "dep" and c.pos_ == "PROPN")
    ]
    # "la branche d'Al-Qaïda, le JNIM, ...": the apposition names the head itself, the
    # de-phrase only the whole it belongs to
    layer.sort(key=lambda c: not is_apposition(c))
    for child in layer:  # "la France, dont les soldats ...": "dont" stands for France
        if child.lower_ == "dont" and child.pos_ == "PRON":
            before = antecedent(child)
            if before.i != child.i:
                return actor_of_phrase(before, index, keep_self=keep_self)
    for _depth in range(3):
        inner = [(c, index.mention_of(c)) for c in layer]
        for _child, cm in inner:
            state = unit_state(cm, index.head_of(cm)) if cm and cm.label == "ORG" else None
            if state and not keep_self:
                return state
        for _child, cm in inner:
            if cm is not None and cm.label == "ORG" and (keep_self or not is_national_org(cm)):
                state = None if keep_self else national_by_demonym(cm, token)
                return state or actor_of_mention(cm, index, keep_self=keep_self)
        for child, cm in inner:
            if cm is None and (
                child.dep_ == "amod" and child.pos_ == "ADJ" or stray_demonym(child)
            ):
                state = demonym(child.text)
                if state:
                    return state
        for child, cm in inner:
            if cm is None or cm.label not in ACTOR_LABELS:
                continue
            if not nmod_states and cm.label in ("GPE", "LOC") and case_of(child):
                continue
            actor = actor_of_mention(cm, index, keep_self=keep_self)
            if actor:
                return actor
        layer = [g for c, cm in inner if cm is None for g in c.children if g.dep_ in PHRASE_DEPS]
    return None


def stray_demonym(token) -> bool:
    """A demonym the tagger took for a name ("son homologue nigérian": a lower-case
    PROPN hung as nmod with no preposition)."""
    return (
        token.pos_ == "PROPN"
        and token.dep_ in ("nmod", "flat:name", "appos")
        and token.text[:1].islower()
        and case_of(token) is None
    )


def is_apposition(token) -> bool:
    """A phrase that renames its head: an apposition, or a phrase without preposition set
    off by a comma after it (the parser often reads "X de Y, le Z" as Z nmod of X)."""
    if token.dep_ == "appos":
        return True
    if token.dep_ != "nmod" or token.i <= token.head.i or case_of(token) is not None:
        return False
    first = min(token.subtree, key=lambda t: t.i)
    return first.i > sentence_of(token).start and token.doc[first.i - 1].text == ","


MASCULINE = frozenset({"le", "du", "au"})
FEMININE = frozenset({"la"})


def pronoun_actor(pronoun, index: SentenceIndex) -> str | None:
    """The actor a subject pronoun stands for ("Le Tchad a expulsé l'ambassadeur, puis il
    a dénoncé l'accord"; "La Russie a livré des blindés. Elle a aussi envoyé des
    instructeurs"): the nearest subject before it in its sentence that names an actor,
    else the one actor the sentence before names with an article of the pronoun's gender
    (two or more: no guess)."""
    if not pronoun.dep_.startswith("nsubj"):
        return None
    sentence = sentence_of(pronoun)
    for token in reversed(sentence.doc[sentence.start : pronoun.i]):
        if token.dep_.startswith("nsubj") and token.pos_ != "PRON":
            actor = actor_of_phrase(token, index)
            if actor:
                return actor
    feminine = pronoun.lower_.startswith(("elle", "celle"))
    before = [
        m
        for m in index.document_mentions
        if m.sent_id == index.sentence.sent_id - 1 and m.label in ACTOR_LABELS
    ]
    found = set()
    for m in before:
        span = index.doc.char_span(m.start, m.end, alignment_mode="expand")
        if span is None:
            continue
        article = span.doc[span.start - 1].lower_ if span.start > 0 else ""
        if (feminine and article in MASCULINE) or (not feminine and article in FEMININE):
            continue
        actor = None if m.label in ("ORG", "PER") and not_an_actor(m) else mention_actor(m)
        if actor:
            found.add(actor)
    return found.pop() if len(found) == 1 else None


def stand_in_actor(token, index: SentenceIndex) -> str | None:
    """The actor a phrase stands for without naming it, when it is an argument of the
    trigger whose empty roles are read again (`framing.read_roles`), not of another verb
    ("le pays restait seul ... après les retraits exigés par X": the withdrawals are not
    the country's): a bare state noun ("l'armée", "le pays") is the story's state; a rebel
    or jihadist noun with a definite or demonstrative article ("les rebelles", "ces
    jihadistes": someone the text has named) is the armed group the story names (an
    indefinite "des hommes armés" stays unknown); a troop noun with a possessive ("son
    armée", "leurs soldats") is the subject's actor."""
    if token.i not in trigger_arguments(index.stand_ins):
        return None
    if bare_state_noun(token):
        return index.document_state
    if anaphoric_group_noun(token):
        return index.document_group
    if possessed_troops(token):
        sentence = sentence_of(token)
        for before in reversed(sentence.doc[sentence.start : token.i]):
            if before.dep_.startswith("nsubj") and token not in before.subtree:
                return actor_of_phrase(before, index)
    if demonstrative_troops(token):
        return troops_before(index)
    return None


def demonstrative_troops(token) -> bool:
    """ "ce contingent", "ces instructeurs", "ces militaires": a troop noun with a
    demonstrative, the troops the text has just spoken of."""
    if token.lemma_.lower() not in word_list("troop_nouns"):
        return False
    return any(c.dep_ == "det" and c.lemma_.lower() == "ce" for c in token.children)


TROOPS_REACH = 4  # tokens between a troop word and the name of whose troops they are


def troops_before(index: SentenceIndex) -> str | None:
    """The actor whose troops the sentence before names ("une centaine de militaires
    russes de l'Africa Corps sont arrivés ... | Ce contingent doit former ..."): an actor
    mention at most TROOPS_REACH tokens after a troop word (the sentence need not be
    parsed: words are compared as written); one such actor, else no guess."""
    troops = {w.lower() for w in word_list("troop_words")}
    found = set()
    for m in index.document_mentions:
        if m.sent_id != index.sentence.sent_id - 1 or m.label not in ACTOR_LABELS:
            continue
        span = index.doc.char_span(m.start, m.end, alignment_mode="expand")
        if span is None:
            continue
        words = index.doc[max(0, span.start - TROOPS_REACH) : span.start]
        if not any(w.lower_ in troops for w in words):
            continue
        actor = None if m.label in ("ORG", "PER") and not_an_actor(m) else mention_actor(m)
        if actor:
            found.add(actor)
    return found.pop() if len(found) == 1 else None


def trigger_arguments(trigger) -> set[int]:
    """The tokens of a trigger's own arguments: its dependents, its subject (through a
    support verb for a noun: "le commando qui a mené le raid"; not the subject of
    any verb governing the noun), a relative pronoun's antecedent."""
    found = [c for c in trigger.children if c.dep_ not in ("case", "det", "punct")]
    if trigger.pos_ == "VERB":
        found.append(subject_of(trigger))
    else:
        verb = clause_verb(trigger)
        if (
            verb is not None
            and trigger.head.i == verb.i
            and verb.lemma_.lower() in word_list("support_verbs")
        ):
            found.append(subject_of(verb))
    found += [
        t.head.head
        for t in found
        if t is not None and t.pos_ == "PRON" and t.head.dep_ == "acl:relcl"
    ]
    return {t.i for t in found if t is not None}


def anaphoric_group_noun(token) -> bool:
    """ "les rebelles", "ces jihadistes", "le groupe d'insurgés": a noun for armed
    fighters (`fighter_nouns`) with a definite or demonstrative article."""
    nouns = word_list("fighter_nouns")
    if token.pos_ not in ("NOUN", "ADJ") or token.lemma_.lower() not in nouns:
        return False
    dets = [c for c in token.children if c.dep_ == "det"]
    if not dets and token.dep_ == "nmod" and token.head.lemma_.lower() in nouns:
        dets = [c for c in token.head.children if c.dep_ == "det"]  # "le groupe d'insurgés"
    return bool(dets) and all(d.lemma_.lower() in ("le", "ce") for d in dets)


def possessed_troops(token) -> bool:
    """ "son armée", "ses troupes", "leurs soldats": a troop noun with a possessive."""
    if token.lemma_.lower() not in word_list("troop_nouns"):
        return False
    return any(c.dep_ == "det" and "Yes" in c.morph.get("Poss") for c in token.children)


def bare_state_noun(token) -> bool:
    """A noun that stands for a state without naming it ("l'armée", "les autorités", "le
    gouvernement", "la junte"; `state_nouns`): with the definite article only, no
    adjective, no complement, no possessive (those say whose)."""
    if token.pos_ != "NOUN" or token.lemma_.lower() not in word_list("state_nouns"):
        return False
    for child in token.children:
        if child.dep_ == "det" and child.lower_ not in ("le", "la", "l'", "l’", "les"):
            return False
        if child.dep_ in ("amod", "nmod", "appos", "flat:name", "acl", "nummod"):
            return False
    return True


def unit_state(m: Mention, token) -> str | None:
    """The state of the army an organisation the gazetteer does not know names in its
    phrase ("la 112e compagnie d'intervention de l'armée nigérienne"), or None."""
    if gazetteers().organisation_by_alias(m.norm or m.text) is not None:
        return None
    for x in token.subtree:
        if x.lemma_.lower() in ("armée", "force", "forces"):
            for c in x.children:
                if c.dep_ == "amod" and demonym(c.text):
                    return demonym(c.text)
    return None


def national_by_demonym(m: Mention, noun) -> str | None:
    """A named force or operation whose class noun carries its own state's demonym ("la
    force française Barkhane", "l'opération française X") acts for that state (not a
    company: "le constructeur turc X" acts for itself)."""
    org = gazetteers().organisation_by_alias(m.norm or m.text)
    if org is None or not org.country or org.kind == "group":
        return None
    if noun.lemma_.lower() in word_list("company_nouns"):
        return None  # "le constructeur turc X": a company acts for itself
    said = {demonym(c.text) for c in noun.children if c.dep_ == "amod"}
    return org.country if org.country in said else operation_state(m, noun)


def operation_state(m: Mention, noun) -> str | None:
    """A named military operation of a state acts for it ("l'opération Barkhane", "la fin
    des opérations Sabre"): an organisation of the gazetteer with a country, named after
    an operation noun (`operation_nouns`). Not a mission: the gazetteer's country of a
    multinational mission is its host ("la mission EUTM Mali")."""
    if noun is None or noun.lemma_.lower() not in word_list("operation_nouns"):
        return None
    org = gazetteers().organisation_by_alias(m.norm or m.text)
    if org is None or not org.country or org.kind == "group":
        return None
    return org.country


def public_company_state(token) -> str | None:
    """The state a company noun says it belongs to ("la société publique israélienne",
    "l'entreprise d'État turque"): a company acts for itself unless the text makes it
    the state's instrument."""
    if token.lemma_.lower() not in word_list("company_nouns"):
        return None
    children = list(token.children)
    text = " ".join(c.text.lower() for c in children for c in c.subtree)
    public = any(c.lemma_.lower() in word_list("public_markers") for c in children) or (
        "d'état" in text.replace("’", "'")
    )
    if not public:
        return None
    for child in children:
        if child.dep_ == "amod" and demonym(child.text):
            return demonym(child.text)
    return None


def antecedent(pronoun):
    """The noun right before a relative pronoun (a comma may stand between): "la Chine,
    qui a dépêché..."; the pronoun itself when there is none."""
    first = sentence_of(pronoun).start
    j = pronoun.i - 1
    while j >= first and pronoun.doc[j].pos_ == "PUNCT":
        j -= 1
    if j >= first and pronoun.doc[j].pos_ in ("NOUN", "PROPN"):
        return pronoun.doc[j]
    return pronoun


def conjuncts(token) -> list:
    """A phrase head and the heads coordinated with it, in text order; a list the parser
    read as appositions ("la Guinée, le Togo et le Bénin": Togo appos, Bénin conj of Togo)
    counts as a coordination when the apposition is a proper name; so does a coordination
    the parser hung on the name after a title ("le ministre X et le ministre Y": Y conj of
    X). A name the parser hung as the last conjunct of a fronted phrase while it is the
    next verb's subject ("Après la fin de l'opération X, Bamako annonce ...") is no
    conjunct: it stands alone, and the phrase goes without it."""
    if stray_conjunct(token):
        return [token]
    found = {t.i: t for t in (token, *token.conjuncts) if not stray_conjunct(t)}
    for head in list(found.values()):
        for child in head.children:
            if child.dep_ == "appos" and child.pos_ == "PROPN":
                found.update({t.i: t for t in (child, *child.conjuncts)})
            elif child.dep_ == "flat:name" and child.pos_ == "PROPN":  # the head's own name
                found.update({t.i: t for t in child.conjuncts})
    return sorted(found.values(), key=lambda t: t.i)


def stray_conjunct(token) -> bool:
    """Is this conjunct, joined by a comma alone, the stray subject of the finite verb
    right after it ("... l'opération X et Y, Bamako | annonce")? A conjunct joined by
    "et" stays one ("..., le M23 et l'armée X | ont encerclé": both are the subject)."""
    if token.dep_ != "conj" or any(c.dep_ == "cc" for c in token.children):
        return False
    edge = token.left_edge
    if edge.text != "," and (edge.i == sentence_of(token).start or edge.nbor(-1).text != ","):
        return False
    if token.right_edge.i + 1 >= sentence_of(token).end:
        return False
    word = token.right_edge.nbor(1)
    verb = word.head if word.pos_ == "AUX" and word.dep_.startswith("aux") else word
    return verb.pos_ in ("VERB", "AUX") and stray_subject(verb) == token


def listed_after(token, index: SentenceIndex) -> list:
    """Names listed right after a name ("le Gabon, le Congo et le Cameroun") that the
    parser attached elsewhere: heads of the following mentions of the same label joined by
    commas, "et", "ou" and determiners."""
    m = index.mention_of(token)
    if m is None:
        return []
    found, doc = [], index.doc
    position = index.mention_tokens[m][-1] + 1
    while position < index.span.end:
        word = doc[position]
        if word.lower_ in (",", "et", "ou") or word.pos_ == "DET":
            position += 1
            continue
        nxt = index.mention_of(word)
        if (
            nxt is None
            or nxt.label != m.label
            # "après avoir reçu des drones de la Turquie, le Niger a ...": the subject of
            # a verb starts a clause, it does not continue a list
            or index.head_of(nxt).dep_.startswith("nsubj")
            or doc[position - 1].lower_ not in (",", "et", "ou")
            and doc[position - 1].pos_ != "DET"
        ):
            break
        found.append(index.head_of(nxt))
        position = index.mention_tokens[nxt][-1] + 1
    return found


LIST_GAP = 7  # characters between two listed names: ", le ", " et la ", " et l'"


def state_lists(named: list[tuple[Mention, str]]) -> list[list[str]]:
    """The states a sentence names: all of them first, then each run of names listed
    together ("le Mali, le Niger et le Tchad ont rompu avec la France": the run of
    three)."""
    every: list[str] = []
    runs: list[list[str]] = []
    last = None
    for m, state in named:
        if state not in every:
            every.append(state)
        if last is None or m.start - last.end > LIST_GAP:
            runs.append([])
        if state not in runs[-1]:
            runs[-1].append(state)
        last = m
    return [every, *runs]


def is_state_id(actor: str | None) -> bool:
    return bool(actor) and len(actor) == 3 and actor.isalpha() and actor.isupper()


def group_size(token) -> int | None:
    """N for a group noun counted by a number ("les deux pays", "les trois chefs d'État",
    "les deux capitales"), else None."""
    nouns = word_list("group_nouns")
    if token.lemma_.lower() not in nouns and token.lower_ not in nouns:
        return None
    numbers = number_words()
    for child in token.children:
        if child.dep_ in ("nummod", "det", "amod") and child.lower_ in numbers:
            return numbers[child.lower_]
    return None


def group_states(token, index: SentenceIndex) -> list[str]:
    """The states a counted group noun stands for ("les deux pays" after "le Tchad et le
    Soudan"): the states the same sentence names before it when they are exactly N, else
    those of the nearest earlier sentence that names exactly N states, or names more
    but lists exactly N together; else none (no guess)."""
    n = group_size(token)
    if n is None or n < 2:
        return []
    if token.lemma_.lower() in word_list("person_group_nouns"):
        return leaders_states(token, index, n)
    here = []
    for m in sorted(index.mentions, key=lambda m: m.start):
        if m.label == "GPE" and index.mention_tokens[m][-1] < token.i:
            state = mention_actor(m)
            if is_state_id(state) and state not in here:
                here.append(state)
    if len(here) == n:
        return here
    for every, *runs in index.earlier_states:
        if len(every) == n:
            return every
        if len(every) > n:  # the nearest sentence that names more: only a list of exactly N
            exact = [run for run in runs if len(run) == n]
            return exact[0] if len(exact) == 1 else []
    return []


PERSON_REACH = 3  # sentences back within which "les deux chefs d'État" finds its persons


def leaders_states(token, index: SentenceIndex, n: int) -> list[str]:
    """The states of "les deux chefs d'État", "les deux présidents": the last N persons
    named before it (this sentence or the PERSON_REACH before) whose states are known,
    when they serve N different states; else none (no guess)."""
    here = index.sentence.sent_id
    start = token.idx  # a character offset in the document
    found: list[tuple[int, str]] = []
    for m in index.document_mentions:
        if m.label != "PER" or m.start >= start or here - m.sent_id > PERSON_REACH:
            continue
        state = mention_actor(m)
        if is_state_id(state):
            found.append((m.start, state))
    states: list[str] = []
    for _, state in sorted(found, reverse=True):
        if state not in states:
            states.append(state)
        if len(states) == n:
            break
    if len(states) < n:
        return []
    last = {state: max(at for at, s in found if s == state) for state in states}
    return sorted(states, key=lambda s: last[s])  # in text order


def actors_of(token, index: SentenceIndex, **kwargs) -> list[str]:
    """The actors of a phrase, one per conjunct ("le Gabon, le Congo et le Cameroun");
    a counted group noun ("les deux pays") stands for the states named just before."""
    group = group_states(token, index) or officials_of_states(token, index)
    if group:
        return group
    found = []
    heads = conjuncts(token)
    heads += [h for h in listed_after(heads[-1], index) if h not in heads]
    for head in heads:
        actor = actor_of_phrase(head, index, **kwargs)
        if actor and actor not in found:
            found.append(actor)
    return found


def officials_of_states(token, index: SentenceIndex) -> list[str]:
    """The states of officials named in the plural with coordinated states ("les ministres
    de la Défense du Togo et du Ghana", "les présidents malien et nigérien"): one actor
    per state, in text order; else none."""
    if token.lemma_.lower() not in word_list("person_nouns"):
        return []
    if "Plur" not in token.morph.get("Number"):
        return []
    for x in token.subtree:
        if x.i == token.i or not x.conjuncts or x.i > min(c.i for c in x.conjuncts):
            continue  # the first of a coordination below the noun
        if x.dep_ == "amod" and x.head.i == token.i:
            states = [demonym(c.text) for c in (x, *x.conjuncts)]
        elif case_of(x) == "de" and x.dep_ == "nmod":
            states = [actor_of_phrase(c, index) for c in (x, *x.conjuncts)]
        else:
            continue
        if len(states) >= 2 and all(is_state_id(s) for s in states):
            return list(dict.fromkeys(states))
    return []


def is_passive(verb) -> bool:
    """A passive clause, or a past participle modifying a noun ("drones livrés")."""
    if any(c.dep_ in ("aux:pass", "nsubj:pass") for c in verb.children):
        return True
    if any(c.dep_.startswith("aux") and c.lemma_ == "avoir" for c in verb.children):
        return False  # "après avoir pris X", whatever the parser hung it on: active
    return (
        verb.dep_ in ("acl", "amod")
        and "Part" in verb.morph.get("VerbForm")
        and "Past" in verb.morph.get("Tense")
    )


def is_reflexive(verb) -> bool:
    return any(
        c.lower_ in ("se", "s'", "s’") and c.dep_ in ("expl:pv", "expl:comp", "obj", "iobj", "expl")
        for c in verb.children
    )


def subject_of(verb):
    """The subject of a verb, also when it is shared: a coordinated or controlled verb
    ("doit protéger X et former Y"), or a verb in a participle phrase that modifies a noun
    ("instructeurs chargés de former")."""
    stray = stray_subject(verb)
    if stray is not None:
        return stray
    if opening_participle(verb):  # "Revenu au pouvoir en 2019, le général X a ..."
        root = verb
        while root.head.i != root.i:
            root = root.head
        if root.i != verb.i:
            return subject_of(root)
        later = [  # the main clause parsed apart, or hung under the participle
            t
            for t in verb.doc[verb.i + 1 : sentence_of(verb).end]
            if t.pos_ in ("VERB", "AUX") and finite(t)
        ]
        if later:
            main = later[0].head if later[0].pos_ == "AUX" else later[0]
            return subject_of(main) if main.i != verb.i else None
    if infinitive_clause(verb):  # "avant de frapper X, l'armée Y a ...": the main subject
        main = main_subject(verb)
        if main is not None:
            return main
    if adverbial_participle(verb):  # "X a livré des armes au Mali, formant des soldats"
        before = [
            t
            for t in verb.doc[sentence_of(verb).start : verb.i]
            if t.pos_ in ("VERB", "AUX") and finite(t)
        ]
        if before:  # the nearest finite verb before it: its clause's subject is the doer
            main = before[-1].head if before[-1].pos_ == "AUX" else before[-1]
            return subject_of(main)
    seen = 0
    while verb is not None and seen < 6:
        seen += 1
        for child in verb.children:
            if child.dep_ in ("nsubj", "nsubj:pass", "nsubj:caus"):
                return child
        if verb.dep_ in ("acl", "amod", "acl:relcl") and verb.head.pos_ in (
            "NOUN",
            "PROPN",
            "PRON",
        ):
            if verb.dep_ == "acl:relcl":
                return verb.head
            return verb.head
        if verb.dep_ in ("advcl", "ccomp") and finite(verb):
            return None  # a finite clause of its own: its subject is not the main one
        if (
            verb.dep_ in ("xcomp", "conj", "advcl", "ccomp", "obl:arg", "obl", "obj")
            and verb.head.i != verb.i
        ):
            controller = object_controller(verb)
            if controller is not None:
                return controller  # "X accuse Y d'avoir attaqué Z": Y did it
            verb = verb.head
            continue
        return None
    return None


def object_controller(verb):
    """The object of a verb of object control an infinitive depends on ("accuser Y
    d'avoir attaqué", "aider Y à prendre le pouvoir", "pousser Y à partir"): the
    infinitive's doer, not the governing verb's subject. None for any other verb."""
    head = verb.head
    if verb.dep_ not in ("xcomp", "obl:arg", "advcl") or not any(
        "Inf" in t.morph.get("VerbForm")
        for t in (verb, *[c for c in verb.children if c.dep_.startswith("aux")])
    ):
        return None
    if head.lemma_.lower() not in word_list("object_control_verbs"):
        return None
    return next((c for c in head.children if c.dep_ in ("obj", "iobj")), None)


def opening_participle(verb) -> bool:
    """A participle opening the sentence ("Arrivé au pouvoir en 2020, le colonel X ..."):
    its subject is the main clause's."""
    first = next((t for t in sentence_of(verb) if not t.is_punct), None)
    return (
        first is not None
        and first.i == verb.i
        and "Part" in verb.morph.get("VerbForm")
        and not any(c.dep_.startswith("nsubj") for c in verb.children)
    )


INFINITIVE_MARKS = ("après", "avant", "pour", "sans", "afin", "de")


def infinitive_clause(verb) -> bool:
    """An infinitive clause without a subject of its own, opened by a preposition ("après
    avoir pris X", "avant de lancer", "pour chasser"), wherever the parser hung it (not
    a noun's complement: "la capacité de frapper"): it shares the main clause's
    subject."""
    if any(c.dep_.startswith("nsubj") for c in verb.children):
        return False
    forms = [verb, *[c for c in verb.children if c.dep_.startswith("aux")]]
    if not any("Inf" in t.morph.get("VerbForm") for t in forms):
        return False
    marks = {c.lower_ for c in verb.children if c.dep_ == "mark"}
    if not marks & set(INFINITIVE_MARKS):
        return False
    return not (verb.head.pos_ == "NOUN" and verb.dep_ == "acl" and marks == {"de"})


def main_subject(verb):
    """The subject of the sentence's main clause for a subordinate verb: the root's, or
    when the parser made the subordinate verb the root, that of the first finite verb
    with a subject elsewhere in the sentence (after it first)."""
    root = verb
    while root.head.i != root.i:
        root = root.head
    if root.i != verb.i:
        return subject_of(root)
    others = [
        t
        for t in sentence_of(verb)
        if t.i != verb.i
        and t.pos_ == "VERB"
        and finite(t)
        and any(c.dep_.startswith("nsubj") for c in t.children)
    ]
    others.sort(key=lambda t: (t.i < verb.i, abs(t.i - verb.i)))
    if not others:
        return None
    return next(c for c in others[0].children if c.dep_.startswith("nsubj"))


def adverbial_participle(verb) -> bool:
    """A present participle set off by a comma: it shares the main clause's subject, even
    when the parser hangs it on the noun before the comma."""
    if "Part" not in verb.morph.get("VerbForm") or "Pres" not in verb.morph.get("Tense"):
        return False
    i, doc, first = verb.i, verb.doc, sentence_of(verb).start
    return (
        i > first
        and doc[i - 1].text == ","
        or (i > first + 1 and doc[i - 2].text == "," and doc[i - 1].pos_ == "ADV")
    )


def stray_subject(verb):
    """A subject the parser cut off: a finite verb without subject right after a name left
    as a root of its own or attached elsewhere ("Pékin | a fourni")."""
    if any(c.dep_.startswith("nsubj") for c in verb.children) or not finite(verb):
        return None
    first = min(
        [
            verb,
            *[
                c
                for c in verb.children
                if c.dep_.startswith("aux") or c.lower_ in ("ne", "n'", "n’")
            ],
        ],
        key=lambda t: t.i,
    )
    if first.i == sentence_of(verb).start:
        return None
    before = first.doc[first.i - 1]
    if before.dep_ in ("flat:name", "flat") and before.head.dep_ in ("appos", "conj"):
        # "..., le colonel X a poussé": the title heads the name; "le MNLA et Ansar Dine
        # ont assiégé": the name's first word is the conjunct
        before = before.head
    if before.pos_ == "ADJ" and before.dep_ == "amod" and before.head.i < before.i:
        before = before.head  # "..., le groupe X et l'armée Y | ont pris"
    named = before.pos_ == "PROPN" or before.dep_ == "appos"
    named = named or (before.dep_ == "conj" and before.head.pos_ == "PROPN")
    if before.dep_ in ("ROOT", "conj", "appos") and before.i != verb.i and named:
        return before
    return None


def sentence_of(token):
    """The sentence a token is in, as the tables have it: the Doc's sentence (the events
    stage makes its boundaries the tables', `pipeline.segment.join_over_entities`)
    without edge whitespace."""
    sentence = token.sent
    start, end = sentence.start, sentence.end
    while start < end and token.doc[start].is_space:
        start += 1
    while end > start and token.doc[end - 1].is_space:
        end -= 1
    return token.doc[start:end]


def finite(verb) -> bool:
    return any(
        "Fin" in t.morph.get("VerbForm")
        for t in (verb, *[c for c in verb.children if c.dep_.startswith("aux")])
    )


def compound_preposition(token) -> bool:
    """An adverb that makes a preposition with "de" or "à" (*auprès de*, *face à*)."""
    return token.pos_ == "ADV" and token.lower_ in COMPOUND_PREPOSITIONS


def by_case(token, wanted: tuple[str, ...], *, deep: bool = False) -> list:
    """Phrases attached to ``token`` (its children, or with ``deep`` its whole subtree)
    that a preposition in ``wanted`` introduces."""
    if deep:
        pool = list(token.subtree)
    else:
        pool = list(token.children)
        pool += [g for c in token.children if compound_preposition(c) for g in c.children]
    return [
        t
        for t in pool
        if t.i != token.i
        and t.dep_ not in ("case", "det", "punct")
        and t.pos_ in ("NOUN", "PROPN", "PRON", "ADJ", "NUM")
        and case_of(t) in wanted
    ]


def clause_verb(token):
    """The verb whose clause holds a noun trigger ("a obtenu le départ" -> obtenu)."""
    current = token
    for _ in range(4):
        if current.pos_ in ("VERB", "AUX") and current.i != token.i:
            return current
        if current.head.i == current.i:
            return None
        current = current.head
    return None
