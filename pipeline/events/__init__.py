"""Events: the six SPEC event types (section 3) from the dependency parse of candidate
sentences. The public face of the stage: ``is_candidate``, ``find_events``, ``plover``.

The stage, one module per job, its knowledge in data files checked at load:

1. ``events.triggers``: the cheap candidate test on raw text, then the tokens whose lemma
   (and part of speech) or lemma sequence is in the lexicon (``data/triggers.json``);
   a trigger inside an equipment name ("hélicoptères de combat") is none;
2. ``events.modality``: planned, promised, threatened, denied, negated, hypothetical or
   ongoing happenings are dropped (deadline obligations of TERMINATION excepted);
3. ``events.framing``: source and target from the paths the trigger's frame declares for
   its form (``data/event_frames.jsonl``), or the frame's reader; actors of phrases
   from ``events.roles`` (media, credits and carriers are never actors);
4. ``events.needs``: checks a trigger's arguments must pass ("céder" gives equipment,
   "former" needs trainees...);
5. ``events.attach``: date, place and equipment from the trigger's clause;
6. here: same-type triggers of one clause are one happening, one event per (source,
   target) pair, officials named bare act for the state a title gives them elsewhere;
7. ``events.merging``: per document, missing actors borrowed from a nearby report,
   restatements merged.

``events.data`` loads the data; ``checked_data`` checks every trigger's frame and need
and every frame's paths and reader against the code before the first document.
"""

from __future__ import annotations

from dataclasses import replace

from pipeline.events.attach import (
    apart_in_time,
    dates_of,
    elided_parts,
    equipment_mentions,
    location_of,
    one_visit_day,
    own_places,
    respective,
    same_day,
    scope_of,
)
from pipeline.events.coordination import mend_split_subject
from pipeline.events.data import check, frames, lexicon, per_data, words
from pipeline.events.framing import COUP_TARGET, PATHS, READERS, read_roles
from pipeline.events.hyphens import mend_hyphens
from pipeline.events.merging import fill_roles, follow_visits, merge
from pipeline.events.modality import blocked
from pipeline.events.needs import NEEDS, needs_hold, same_line
from pipeline.events.roles import SentenceIndex, clause_verb, title_group, title_state
from pipeline.events.triggers import Frame, find_triggers, is_candidate, is_verbal
from pipeline.events.visits import fold_visits
from pipeline.nlp import kept_sentence_starts
from pipeline.types import Event, Mention, Sentence

__all__ = ["find_events", "is_candidate", "lexicon", "plover"]

PLOVER = {
    "DELIVERY": "AID",
    "TRAINING": "AID",
    "AGREEMENT": "CONSULT",
    "TERMINATION": "SANCTION",
    "COUP": "COERCE",
    "ATTACK": "ASSAULT",
}


def plover(event: Event) -> str:
    """The PLOVER type of an event (AGREEMENT: AGREE for signed or concluded agreements,
    CONSULT for calls, talks and visits)."""
    if event.type == "AGREEMENT":
        evidence = event.evidence.lower()
        if any(cue in evidence for cue in lexicon()["words"]["agree_cues"]):
            return "AGREE"
    return PLOVER[event.type]


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
    sentence: Sentence, span, mentions: list[Mention]
) -> tuple[list[Frame], SentenceIndex]:
    """The frames of one parsed sentence (``span``, a sentence of the document's Doc)."""
    mend_fragments(span)
    mend_noun_root(span)
    index = SentenceIndex(sentence, span, mentions)
    frames = []
    for entry, head, tokens in find_triggers(span):
        inside = index.mention_of(head)
        if inside is not None and inside.label == "EQUIPMENT":
            continue  # "hélicoptères de combat", "véhicules de transport": a name, not a happening
        if classifier(head):
            continue  # "des véhicules de combat d'infanterie": a kind of thing, not a happening
        frame = Frame(entry["type"], head, entry, tokens)
        frame.scope = scope_of(head)
        if blocked(frame, index):
            continue
        read_roles(frame, index)
        if not needs_hold(frame, index):
            continue
        frame.earlier = is_earlier(frame.token)
        frames.append(frame)
    return nest(fold_visits(ended_inside(frames)), index), index


def mend_fragments(span) -> None:
    """Mend parser slips: a word with its own auxiliary tagged as a noun is a verb (with
    its verb's lemma); a fragment the parser left as a second root is hung back where it
    belongs: a model name after its class noun ("deux drones | Bayraktar TB2 livrés par
    X", "la force française | Sabre") is that noun's name, a prepositional phrase ("| en
    février 2023") the first clause's own, a name right after a verb that has its subject
    but no object that verb's object ("a attaqué | Kati"), so that the clause keeps its
    date, its equipment, its supplier, its target. The Doc's sentence boundaries stay as
    they are."""
    fixes = lexicon()["words"]["participle_lemmas"]
    for token in span:  # a word with an auxiliary of its own is a verb ("sont partis")
        if token.pos_ not in ("NOUN", "ADJ") and token.lemma_.lower() not in fixes:
            continue  # nothing to mend on this word: spare the verb test
        verbal = is_verbal(token)
        if token.pos_ in ("NOUN", "ADJ") and verbal:
            token.pos_ = "VERB"
        if (verbal or token.pos_ == "VERB") and token.lemma_.lower() in fixes:
            token.lemma_ = fixes[token.lemma_.lower()]
    with kept_sentence_starts(span.doc):
        cut_at_line_breaks(span)
        mend_hyphens(span)
        mend_split_subject(span)
        roots = [t for t in span if t.dep_ == "ROOT"]
        for root in roots[1:]:
            hang_fragment(root, roots[0], span)
        mend_line_subjects(span)


def mend_line_subjects(span) -> None:
    """A line of page furniture joined to the next line ("Lire aussi : ... | Le Japon a
    livré ...") lends the verb its subject across the line break,
    and the real subject is left hanging on it: a verb whose subject is on another line
    takes the first noun of its own line, before it, that the parser hung on the other
    line."""
    if not any("\n" in t.text_with_ws for t in span[:-1]):
        return
    line, lines = 0, {}
    for t in span:
        lines[t.i] = line
        if "\n" in t.text_with_ws:
            line += 1
    for verb in span:
        subjects = [c for c in verb.children if c.dep_ in ("nsubj", "nsubj:pass")]
        if verb.pos_ not in ("VERB", "AUX") or len(subjects) != 1:
            continue
        subject = subjects[0]
        if lines[subject.i] == lines[verb.i]:
            continue
        stray = next(
            (
                t
                for t in span.doc[span.start : verb.i]
                if lines[t.i] == lines[verb.i]
                and t.pos_ in ("NOUN", "PROPN")
                and lines[t.head.i] != lines[verb.i]
                and verb not in t.subtree
            ),
            None,
        )
        if stray is None:
            continue
        try:
            stray.head, stray.dep_ = verb, subject.dep_
            subject.dep_ = "dep"
        except Exception:  # a head spaCy refuses leaves the parse as it was
            continue


def cut_at_line_breaks(span) -> None:
    """A line break before a capital ends a unit (a headline, a dateline, a paragraph the
    sentence splitter joined to the next): a word whose head the parser put across it is
    made a root of its own line, so that no line lends another its subject, object, date
    or place ("Titre : X frappent Y | Les forces Z ont mené ..."). A break before a
    lower-case word (a wrapped line) is left alone."""
    if not any("\n" in token.text_with_ws for token in span):
        return  # one line: nothing to cut (most sentences)
    adjuncts = []
    for token in span:
        if token.is_space or token.head.i == token.i or not hard_break(token, token.head):
            continue
        listed = listed_with(token, span)  # "des blindés, | des radars": the list goes on
        if token.dep_.startswith(("obl", "advmod")) and listed is None:
            adjuncts.append((token, token.dep_))
        try:
            token.head = listed if listed is not None else token
            token.dep_ = "conj" if listed is not None else "ROOT"
        except Exception:  # spaCy refused: the parse stays as it was
            continue
    for token, dep in adjuncts:  # "Titre\nLe 4 juin, X attaque Y": the date is Y's line's
        verb = line_verb(token, span)
        if verb is None:
            continue
        try:
            token.head = verb
            token.dep_ = dep
        except Exception:
            continue


def line_verb(token, span):
    """The main verb of a token's line: a root verb of the span on the same line."""
    for other in span:
        verb = other.dep_ == "ROOT" and other.pos_ in ("VERB", "AUX")
        if verb and other.i != token.i and same_line(token, other):
            return other
    return None


def listed_with(token, span):
    """The noun a cut-off noun continues a list of on its own line ("comprend des
    blindés, des radars et des armes": "radars" hung on the previous line's verb): the
    nearest noun before the comma on the same line with the same function, or None."""
    if token.pos_ not in ("NOUN", "PROPN") or token.i - 2 < span.start:
        return None
    j = token.i - 1
    while j > span.start and span.doc[j].pos_ == "DET":
        j -= 1
    if span.doc[j].text != ",":
        return None
    for k in range(j - 1, span.start - 1, -1):
        other = span.doc[k]
        if "\n" in other.text_with_ws:
            return None
        if other.pos_ in ("NOUN", "PROPN") and other.dep_ == token.dep_:
            return other
    return None


def hard_break(a, b) -> bool:
    """Is there a line break between two tokens that starts a new unit (the next word a
    capital, a digit or a quote)?"""
    first, last = sorted((a.i, b.i))
    for x in a.doc[first:last]:
        if "\n" in x.text_with_ws:
            following = x.nbor() if x.i + 1 < len(x.doc) else None
            while following is not None and following.is_space and following.i + 1 < len(x.doc):
                following = following.nbor()
            if following is not None and not following.text[:1].islower():
                return True
    return False


def hang_fragment(root, first_root, span) -> None:
    """Hang a second root of a sentence where it belongs (see `mend_fragments`)."""
    before = span.doc[root.i - 1] if root.i > span.start else None
    own_clause = any(c.dep_.startswith(("nsubj", "aux", "cop")) for c in root.children)
    if before is None or own_clause or hard_break(before, root):
        return  # a root that starts a line is a unit of its own (`cut_at_line_breaks`)
    if before.pos_ == "ADJ" and before.dep_ == "amod":
        before = before.head  # "la force française | Sabre": the noun the adjective is on
    head, dep = None, None
    phrase = any(c.dep_ == "case" for c in root.children)
    if phrase and root.pos_ in ("NOUN", "PROPN") and first_root.pos_ in ("VERB", "AUX"):
        head, dep = first_root, "obl:mod"  # "| en février 2023": the clause's own phrase
    elif root.pos_ in ("PROPN", "NOUN", "ADJ", "NUM") and before.pos_ in ("NOUN", "PROPN"):
        head, dep = before, "flat:name" if root.pos_ == "PROPN" else "appos"
    elif root.pos_ == "PROPN" and not phrase and stranded_object(before):
        head, dep = before, "obj"  # "le JNIM a attaqué | Kati et ...": the verb's object
    elif root.pos_ == "PUNCT":
        head, dep = first_root, "punct"
    if head is None:
        return
    try:
        root.head = head
        root.dep_ = dep
    except Exception:  # a head spaCy refuses (a cycle) leaves the parse as it was
        return


def mend_noun_root(span) -> None:
    """A sentence whose subject noun carries a participle ("Le lot livré comprend X, Y et
    Z") is often parsed with the noun as root and the finite verb hung under the
    participle, so that the verb's objects land on the noun: the finite verb becomes the
    root, the noun its subject. The Doc's sentence boundaries stay as they are."""
    for root in [t for t in span if t.dep_ == "ROOT" and t.pos_ in ("NOUN", "PROPN")]:
        verb = finite_under_participle(root)
        if verb is None:
            continue
        with kept_sentence_starts(span.doc):
            try:
                verb.head = verb
                verb.dep_ = "ROOT"
                root.head = verb
                root.dep_ = "nsubj"
            except Exception:  # a head spaCy refuses leaves the parse as it was
                continue


def finite_under_participle(root):
    """The finite verb without subject the parser hung under a participle on ``root``
    ("Le lot | livré | comprend"), or None."""
    for participle in root.children:
        if participle.dep_ != "acl" or "Part" not in participle.morph.get("VerbForm"):
            continue
        for c in participle.children:
            if (
                c.dep_ in ("xcomp", "ccomp", "conj")
                and c.pos_ == "VERB"
                and c.i > participle.i
                and "Fin" in c.morph.get("VerbForm")
                and not any(g.dep_.startswith(("nsubj", "aux")) for g in c.children)
            ):
                return c
    return None


def stranded_object(verb) -> bool:
    """A transitive verb the parser left without its object: a verb with its subject (an
    inverted subject after a verb of saying, "a déclaré X", is no object) and no object."""
    return (
        verb.pos_ == "VERB"
        and any(c.dep_ == "nsubj" for c in verb.children)
        and not any(c.dep_ in ("obj", "ccomp", "xcomp") for c in verb.children)
    )


def classifier(token) -> bool:
    """A bare noun after "de" that classifies the noun before it ("véhicules de combat",
    "avions d'attaque"): no determiner, the plain preposition, hung on a noun."""
    if token.pos_ != "NOUN" or token.dep_ != "nmod" or token.head.pos_ not in ("NOUN", "PROPN"):
        return False
    if token.lemma_.lower() not in words("classifier_nouns"):
        return False
    cases = [c for c in token.children if c.dep_ == "case"]
    bare = bool(cases) and all(c.lower_.replace("’", "'") in ("de", "d'") for c in cases)
    return bare and not any(c.dep_ in ("det", "nummod") for c in token.children)


def ended_inside(frames: list[Frame]) -> list[Frame]:
    """Drop the frames of other types inside what a termination ends ("X met un terme à
    son programme de formation": the training is what ends, not a new happening)."""
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


def nest(frames: list[Frame], index: SentenceIndex | None = None) -> list[Frame]:
    """Merge same-type frames of one clause whose roles do not clash (the happening is
    told by two triggers: "a reçu des drones livrés par la Turquie"); two triggers each
    dated by a different date of its own clause are two happenings ("X a reçu des blindés
    le 5 février et a acheté des drones le 9 septembre")."""
    merged: list[Frame] = []
    for frame in sorted(frames, key=lambda f: f.token.i):
        for other in merged:
            if other.type != frame.type or not related(other.token, frame.token):
                continue
            if coordinated_apart(other.token, frame.token):
                continue
            if clash(other.sources, frame.sources) or clash(other.targets, frame.targets):
                continue
            if index is not None and apart_in_time(other, frame, index):
                continue
            other.sources = other.sources or frame.sources
            other.targets = [t for t in (other.targets or frame.targets) if t not in other.sources]
            other.scope |= frame.scope
            other.deadline = other.deadline or frame.deadline
            break
        else:
            merged.append(frame)
    return merged


def coordinated_apart(a, b) -> bool:
    """Two triggers that tell two happenings though the parse links them: on two lines
    (a headline joined to the next line), two verbs with subjects of their own, or two
    coordinated verbs with objects of their own ("ont occupé Kaya et encerclé Dori":
    each place taken is its own event). Restatements are merged later, per document."""
    if not same_line(a, b):  # a headline or paragraph the splitter joined to the next
        return True
    if a.pos_ != "VERB" or b.pos_ != "VERB":
        return False
    if all(any(c.dep_.startswith("nsubj") for c in v.children) for v in (a, b)):
        return True  # two clauses with subjects of their own
    first, second = sorted((a, b), key=lambda t: t.i)
    if second.dep_ != "conj":
        return False
    # the parser often hangs the second verb on the first one's object ("ont pris X et
    # ont assiégé Y": "assiégé" under X)
    on_object = second.head.dep_ == "obj" and second.head.head.i == first.i
    if second.head.i != first.i and not on_object:
        return False
    return all(any(c.dep_ == "obj" for c in v.children) for v in (a, b))


def related(a, b) -> bool:
    """Two triggers of one clause: one inside the other, sisters, or nouns of one verb (two
    roots of a sentence the splitter joined have no clause verb: unrelated)."""
    if a in b.subtree or b in a.subtree or a.head == b.head:
        return True
    verb = clause_verb(a)
    return verb is not None and verb == clause_verb(b)


def clash(a: list[str], b: list[str]) -> bool:
    return bool(a) and bool(b) and not set(a) & set(b)


def frame_events(frame: Frame, index: SentenceIndex) -> list[Event]:
    tokens = evidence_tokens(frame)
    start = tokens[0].idx
    end = tokens[-1].idx + len(tokens[-1])
    equipment = equipment_mentions(frame, index) if frame.type == "DELIVERY" else []
    dates = dates_of(frame, index) or [None]
    location = location_of(frame, index)
    parts = elided_parts(frame, index, equipment) or [(date, equipment) for date in dates]
    found = [
        event
        for date, equipment in parts
        for event in actor_events(frame, index, (start, end), date, location, equipment)
    ]
    return respective(own_places(found, frame, index), frame, index)


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


@per_data
def checked_data() -> bool:
    """The trigger lexicon and the frames, checked against the code's frames, paths,
    readers and needs (once; a LexiconError names the file and line at fault)."""
    check(lexicon(), frames(), paths=PATHS, readers=READERS, needs=NEEDS)
    return True


def find_events(
    parsed: list[tuple[Sentence, object]], mentions: list[Mention], doc_date: str | None
) -> list[Event]:
    """The events of one document (see the module docstring); ``parsed`` holds its
    candidate sentences, each with its Span in the document's Doc, parsed
    (`pipeline.nlp.parse_spans`); ``mentions`` all its mentions, with offsets into that
    Doc's text."""
    checked_data()
    events: list[Event] = []
    earlier: set[tuple[int, int]] = set()
    kinds: dict[tuple[int, int], str] = {}  # (sent_id, start) -> the frame that found it
    visits: set[tuple[str, str]] = set()  # (visitor, host) of visits folded into a happening
    officials: dict[str, str] = {}  # person -> the state a title gives them somewhere
    for sentence, span in parsed:
        frames, index = sentence_frames(sentence, span, mentions)
        for m in index.mentions:
            if m.label != "PER":
                continue
            # the state a title gives, else the armed group a leader's title names
            head = index.head_of(m)
            actor = title_state(head, index) or title_group(head, index)
            if actor:
                officials.setdefault(m.norm or m.text, actor)
        for frame in frames:
            found = frame_events(frame, index)
            events.extend(found)
            earlier |= {(e.sent_id, e.start) for e in found if frame.earlier}
            kinds.update({(e.sent_id, e.start): frame.entry["frame"] for e in found})
            if frame.visit is not None:
                visits.add(frame.visit)
    persons = frozenset(m.norm or m.text for m in mentions if m.label == "PER")
    events = [as_officials(e, officials, persons) for e in same_day(events)]
    full = frozenset((e.sent_id, e.start) for e in events if e.source and e.target)
    events = fill_roles(events, mentions)
    events = follow_visits(events, kinds, visits)
    events = [e for e in events if complete(e)]
    headlines = frozenset(s.sent_id for s, _ in parsed if is_headline(s.text))
    events = merge(events, frozenset(earlier), full, headlines)
    return one_visit_day(events, frozenset(earlier))


def is_headline(text: str) -> bool:
    """A headline, title or caption: a sentence of one line that ends without sentence
    punctuation ("Visite d'État du président X en France")."""
    text = text.strip()
    return bool(text) and "\n" not in text and text[-1] not in words("sentence_ends")


def as_officials(event: Event, officials: dict[str, str], persons: frozenset[str]) -> Event:
    """An official named without title in the event's sentence acts for the state a title
    gives them elsewhere in the document ("le ministre israélien X ... X a été reçu");
    a person whose state the document never says is no actor outside a coup (officials
    act for their states, a killed commander is not the attacked party): the role is left unknown,
    for a nearby report to fill. Not in a COUP, where persons act for themselves."""
    if event.type == "COUP":
        return event
    source = officials.get(event.source, event.source)
    target = officials.get(event.target, event.target)
    source = None if source in persons else source
    target = None if target in persons else target
    if source is not None and source == target:
        return event
    return replace(event, source=source, target=target)


def complete(event: Event) -> bool:
    """Both actors known; a COUP may lack its target (deposed leader not named), an ATTACK
    one of its actors ("une attaque jihadiste contre l'armée")."""
    if event.source is not None and event.source == event.target:
        return False  # one party cannot be both sides
    if event.type == "COUP" and COUP_TARGET == "leader":
        return event.source is not None
    if event.type == "COUP":  # authors not named ("des militaires ont renversé X"): source null
        return event.target is not None
    if event.type == "ATTACK":
        return event.source is not None or event.target is not None
    return event.source is not None and event.target is not None
