"""Attachment: a trigger's clause (its scope), and the date, place and equipment read
from it.

- date: the nearest dated DATE of the clause; a date inside "après/avant X" dates another
  happening and is skipped;
- place: the nearest named place (a city rather than a base); a place after "par",
  "avec", "entre" or standing as the doer is a partner, not where it happened;
- equipment: EQUIPMENT mentions of the clause, except transport aircraft that only
  carried the cargo ("à bord d'un Il-76", its apposition "un gros-porteur");
- an elided verb ("a fourni X en mars, puis Y en août") gives one delivery per dated
  stretch; "respectivement" with one date per coordinated actor (or place) gives each
  its own date.
"""

from __future__ import annotations

from dataclasses import replace

from pipeline.events.data import words
from pipeline.events.roles import SentenceIndex, case_of, clause_verb, gazetteers, sentence_of
from pipeline.events.triggers import Frame, trigger_index
from pipeline.types import Event, Mention

SAME_DAY_REACH = 2  # sentences back within which "le même jour" finds its day


def scope_of(token) -> set[int]:
    """The tokens of a trigger's clause: the clause of its verb (for a noun or a participle
    modifying a noun, the clause that holds it), minus other clauses hanging from it."""
    root = token
    if token.pos_ in ("NOUN", "PROPN") or token.dep_ in ("acl", "amod"):
        root = clause_verb(token) or token
    keep = {t.i for t in root.subtree}
    for child in root.children:
        if (
            child.dep_ in words("clause_breaks")
            and token not in child.subtree
            and child.pos_ in ("VERB", "AUX")
        ):
            keep -= {t.i for t in child.subtree}
    if root is not token:  # a noun keeps its own phrase
        keep |= {t.i for t in token.subtree}
    return on_own_line(token, keep)


def on_own_line(token, keep: set[int]) -> set[int]:
    """A sentence the splitter joined across a line break (a headline and the next line)
    is parsed as one: the trigger's clause is then what lies on its own line, with the
    words opening that line that the parser hung on the other line ("Le 2 juin, X prend
    K | Le 4 juin, Y attaque A": "Le 4 juin" hung on the first verb dates
    the second)."""
    doc, sentence = token.doc, sentence_of(token)
    start = token.i
    while start > sentence.start and "\n" not in doc[start - 1].text_with_ws:
        start -= 1
    end = token.i
    while end < sentence.end - 1 and "\n" not in doc[end].text_with_ws:
        end += 1
    line = set(range(start, end + 1))
    if start == sentence.start and end == sentence.end - 1:
        return keep
    opening = [i for i in line if i < token.i and doc[i].head.i not in line]
    stray = {x.i for i in opening for x in doc[i].subtree if x.i in line and x.i < token.i}
    return (keep & line) | stray


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
    m = date_mention(frame, index)
    return m.norm if m is not None else None


def dates_of(frame: Frame, index: SentenceIndex) -> list[str]:
    """The date of the clause, or each of coordinated dates that tell apart happenings
    ("des drones livrés au Kenya en mars 2019 et en juillet 2021": one each time; a day
    range, "les 20 et 21 mai", is one DATE and stays one). Coordinated is read on the
    words: dates next to each other with only "et", "en", "le" or a comma between them,
    an "et" among them (the parser hangs the second date anywhere)."""
    m = date_mention(frame, index)
    if m is None:
        return []
    dates = sorted(
        (x for x in index.mentions if x.label == "DATE" and x.norm),
        key=lambda x: index.mention_tokens[x][0],
    )
    k = dates.index(m)
    group = [m]
    for step in (-1, 1):
        j = k
        while 0 <= j + step < len(dates):
            a, b = (dates[j + step], dates[j]) if step < 0 else (dates[j], dates[j + step])
            between = index.doc[index.mention_tokens[a][-1] + 1 : index.mention_tokens[b][0]]
            words_between = [t.lower_ for t in between]
            if "et" not in words_between or not set(words_between) <= {"et", "en", "le", ","}:
                break
            j += step
            group.append(dates[j])
    found = [x.norm for x in sorted(group, key=lambda x: index.mention_tokens[x][0])]
    overlap = any(
        found[i].startswith(found[j]) or found[j].startswith(found[i])
        for i in range(len(found))
        for j in range(i + 1, len(found))
    )
    if len(found) < 2 or overlap:
        return [m.norm]
    return found


def date_mention(frame: Frame, index: SentenceIndex) -> Mention | None:
    skip = [
        m
        for m in index.mentions
        if m.label == "DATE"
        and (
            not m.norm
            or is_anchor(m, frame, index)
            or is_since(m, index)
            or in_embedded_clause(m, frame, index)
            or names_a_thing(m, frame, index)
        )
    ]
    m = pick_mention(frame, index, "DATE", skip)
    if m is None:
        m = governor_date(frame, index, skip)
    if m is None:
        m = when_date(frame, index, skip)
    return m


def governor_date(frame: Frame, index: SentenceIndex, skip: list[Mention]) -> Mention | None:
    """An infinitive has no time of its own: a trigger in an infinitive its verb governs
    ("X a cherché le 3 février à prendre Y", "a commencé à réceptionner"), or a noun of
    a clause ("Le 28 mai, X a pris la décision de quitter Y"),
    happened when the governing clause says (its nearest date)."""
    verb = frame.token if frame.token.pos_ in ("VERB", "AUX") else clause_verb(frame.token)
    for _ in range(2):
        if verb is None or "Inf" not in verb.morph.get("VerbForm"):
            return None
        if verb.dep_ == "xcomp":
            verb = verb.head
        elif verb.dep_ == "acl" and verb.head.pos_ == "NOUN":  # "leur décision de se retirer"
            verb = clause_verb(verb.head)
            if verb is None:
                return None
        else:
            return None
        around = scope_of(verb)
        found = [
            m
            for m in index.mentions
            if m.label == "DATE"
            and m.norm
            and m not in skip
            and set(index.mention_tokens[m]) & around
        ]
        if found:
            return min(
                found,
                key=lambda m: min(abs(i - frame.token.i) for i in index.mention_tokens[m]),
            )
    return None


def when_date(frame: Frame, index: SentenceIndex, skip: list[Mention]) -> Mention | None:
    """A clause opened by "lorsque" or "quand" with no date of its own happened at the
    time the words just before it give ("Le tournant date du 3 avril, quand X a rompu
    avec Y"): the date right before the "lorsque" (read on the words,
    as the parser often hangs such a clause anywhere)."""
    dates = {
        index.mention_tokens[m][-1]: m
        for m in index.mentions
        if m.label == "DATE" and m.norm and m not in skip
    }
    sentence = index.span
    token = frame.token
    while token.i > sentence.start:
        token = token.nbor(-1)
        if token.text in (";", ":", ".", "!", "?"):
            return None  # another clause or sentence part: not this one's time
        if token.lower_.replace("’", "'") not in words("when_marks"):
            continue
        before = token
        while before.i > sentence.start and before.nbor(-1).is_punct:
            before = before.nbor(-1)
        if before.i > sentence.start:
            return dates.get(before.nbor(-1).i)
        return None
    return None


def apart_in_time(a: Frame, b: Frame, index: SentenceIndex) -> bool:
    """Do two triggers each have a date of their own clause, and do the dates disagree
    (neither a prefix of the other)? Then they tell two happenings, not one."""
    first, second = date_of(a, index), date_of(b, index)
    if not first or not second:
        return False
    return not (first.startswith(second) or second.startswith(first))


def names_a_thing(m: Mention, frame: Frame, index: SentenceIndex) -> bool:
    """A date after "de" on an agreement or a mission the trigger governs ("a dénoncé
    l'accord du 12 juin 1977", "la fin de l'opération de 2013"): it says which one, not
    when the happening was. Other nouns keep theirs ("lors du putsch de 2010")."""
    head = index.head_of(m)
    if head.dep_ != "nmod" or case_of(head) != "de":
        return False
    noun = head.head
    if noun.i == frame.token.i or noun in frame.tokens or noun not in frame.token.subtree:
        return False
    return noun.lemma_.lower() in words("agreement_nouns") | words("presence_nouns")


def is_since(m: Mention, index: SentenceIndex) -> bool:
    """A date opened by "depuis" ("en guerre depuis 2012") starts a state of affairs; it
    does not date a happening."""
    head = index.head_of(m)
    return any(c.dep_ == "case" and c.lower_ in words("since_cases") for c in head.children)


def in_embedded_clause(m: Mention, frame: Frame, index: SentenceIndex) -> bool:
    """Does the date belong to a clause of its own hanging from a noun of the trigger's
    clause (a relative clause or a participle: "l'accord signé en 1990", "le groupe, qui
    avait fait allégeance en 2015"), the trigger itself aside? That clause dates another
    happening. A clause on the trigger noun describes the happening itself ("l'attaque,
    qui a eu lieu le 3 mars"; "des instructeurs, qui ont formé ... en 2023"), and so does
    a participle that only locates a noun ("un poste situé près de X", "des
    soldats stationnés à X": ``locating_participles``)."""
    token = index.head_of(m)
    own = set(index.mention_tokens[m])
    for _ in range(8):
        if token.i == frame.token.i or token.head.i == token.i:
            break
        if (
            token.i not in own
            and token.dep_ in words("embedded_clauses")
            and token.pos_ in ("VERB", "AUX", "ADJ")
            and frame.token not in token.subtree
            and token.head.i != frame.token.i
            and token.lemma_.lower() not in words("locating_participles")
        ):
            return not tells_same(token, frame)
        token = token.head
    return after_participle(m, frame, index)


def tells_same(verb, frame: Frame) -> bool:
    """Is a participle on a noun of the clause a trigger of the frame's own type ("a reçu
    des drones livrés par X le 3 mars")? It tells the same happening, and dates it."""
    entries = trigger_index()[0].get(verb.lemma_.lower(), [])
    return any(e["type"] == frame.type for e in entries)


def after_participle(m: Mention, frame: Frame, index: SentenceIndex) -> bool:
    """The parser often hangs a date that ends a participle clause on the main verb ("X
    a rompu le pacte négocié à Rome en juin 1977 avec Y"): a date with no comma,
    bracket or the trigger between it and a participle on a noun before it belongs to
    the participle (unless the participle is a trigger of the frame's type)."""
    first = index.mention_tokens[m][0]
    sentence = index.span
    token = index.doc[first]
    while token.i > sentence.start:
        token = token.nbor(-1)
        if token.i == frame.token.i or token.is_punct:
            return False
        if (
            token.dep_ in words("embedded_clauses")
            and token.pos_ == "VERB"
            and "Part" in token.morph.get("VerbForm")
            and token.head.pos_ in ("NOUN", "PROPN")
            and token.head.i != frame.token.i
            and frame.token not in token.subtree
            and token.lemma_.lower() not in words("locating_participles")
        ):
            return not tells_same(token, frame)
    return False


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
    avec Moscou"), and a place inside a clause on a noun ("un accord conclu à Rome")."""
    skip = partner_places(index) + [
        m
        for m in index.mentions
        if m.label == "LOC"
        and (in_embedded_clause(m, frame, index) or owned_place(m, frame, index))
    ]
    first = pick_mention(frame, index, "LOC", skip)
    if first is None:
        return None
    if (first.norm or first.text).lower().startswith(tuple(words("base_words"))):
        others = [
            m
            for m in index.mentions
            if m.label == "LOC"
            and m not in skip
            and m is not first
            and not (m.norm or m.text).lower().startswith(tuple(words("base_words")))
        ]
        city = pick_mention(frame, index, "LOC", skip + [first]) if others else None
        if city is not None:
            return city.norm or city.text
    return first.norm or first.text


def owned_place(m: Mention, frame: Frame, index: SentenceIndex) -> bool:
    """A place after "de" on a noun that is no place ("les autorités de X", "la charte
    de X", "l'ambassadeur de X"): it says whose or which, not where ("la ville de X",
    "la région de X", "le camp de X" do say where, and so does the trigger's own noun:
    "prendre le contrôle de X", "l'attaque de X")."""
    head = index.head_of(m)
    if case_of(head) != "de" or head.dep_ != "nmod":
        return False
    noun = head.head
    if noun.pos_ not in ("NOUN", "PROPN") or index.mention_of(noun) is not None:
        return False
    if noun.i == frame.token.i or noun in frame.tokens:
        return False
    return noun.lemma_.lower() not in words("place_nouns") | words("base_nouns")


def partner_places(index: SentenceIndex) -> list[Mention]:
    """Places that stand as the doer or a partner: not where the happening took place."""
    skip = []
    for m in index.mentions:
        if m.label != "LOC":
            continue
        head = index.head_of(m)
        if head.dep_ in ("nsubj", "nsubj:pass", "obl:agent") or case_of(head) in words(
            "partner_cases"
        ):
            skip.append(m)
    return skip


def state_of_place(name: str) -> str | None:
    """The state a place lies in (a gazetteer place's country, a capital's state)."""
    found = gazetteers().place_by_alias(name)
    return (found.country if found is not None else None) or gazetteers().capital_iso3(name)


def own_places(found: list[Event], frame: Frame, index: SentenceIndex) -> list[Event]:
    """Several targets, each named by a place of its own ("a visité X puis Y"): each
    event takes the place that lies in its target state, not the nearest to the trigger."""
    if len(frame.targets) < 2 or not found:
        return found
    skip = partner_places(index)
    places: dict[str, str] = {}
    for m in index.mentions:
        if m.label != "LOC" or m in skip or not set(index.mention_tokens[m]) & frame.scope:
            continue
        name = m.norm or m.text
        state = state_of_place(name)
        if state in frame.targets:
            places.setdefault(state, name)
    if len(places) < 2:
        return found
    return [replace(e, location=places.get(e.target, e.location)) for e in found]


def place_state(frame, index) -> str | None:
    """The state where the happening took place: the state of its place (a gazetteer
    place's country, a capital's state), else the one state the clause names."""
    place = location_of(frame, index)
    if place:
        state = state_of_place(place)
        if state:
            return state
    states = {
        m.norm
        for m in index.mentions
        if m.label == "GPE" and m.norm and set(index.mention_tokens[m]) & frame.scope
    }
    return states.pop() if len(states) == 1 else None


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
    before = [t.lower_.replace("’", "'") for t in doc[max(index.span.start, first - 3) : first]]
    return "bord" in before and before[-1] in ("d'", "de", "du", "des", "l'", "un", "une")


def apposed_to_carrier(m: Mention, index: SentenceIndex) -> bool:
    """A mention set off by a comma right after a carrier ("un Il-76, un gros-porteur")."""
    first = index.mention_tokens[m][0]
    doc = index.doc
    j = first - 1
    while j >= index.span.start and doc[j].pos_ == "DET":
        j -= 1
    if j < index.span.start + 1 or doc[j].text != ",":
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


def respective(found: list[Event], frame: Frame, index: SentenceIndex) -> list[Event]:
    """ "respectivement" followed by as many dates as the frame has targets (or sources)
    gives each coordinated actor its own date, in order ("a rompu avec X et Y,
    respectivement le 2 février et le 9 mars"); as many dates as places named before it
    gives one event per place and date ("les bases de X et de Y, rendues respectivement le
    2 et le 9 mars")."""
    marks = [t for t in index.span if t.lower_ == "respectivement" and t.i in frame.scope]
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


def same_day(events: list[Event]) -> list[Event]:
    """ "Le jour même, X a livré ... à Y": an undated happening told as on the same
    day as the one before takes the day of the nearest earlier event dated to the day,
    told at most SAME_DAY_REACH sentences before (``same_day_cues``)."""
    cues = tuple(words("same_day_cues"))
    out = []
    for e in events:
        if e.date is None and any(cue in e.sentence.lower() for cue in cues):
            before = [
                x
                for x in events
                if x.date
                and len(x.date) == len("2024-01-01")
                and 0 < e.sent_id - x.sent_id <= SAME_DAY_REACH
            ]
            if before:
                e = replace(e, date=max(before, key=lambda x: (x.sent_id, x.start)).date)
        out.append(e)
    return out


def one_visit_day(events: list[Event], earlier: frozenset = frozenset()) -> list[Event]:
    """The talks, receptions and signings of one visit share its day: an AGREEMENT left
    undated (or dated only to the month of that day) from one party to the other (visitor
    first) for whom the document gives exactly one day takes that day ("Le 12 mai, le
    ministre X est arrivé à Lomé. [...] Il s'est entretenu avec le président Y"; a
    deictic date that the normaliser could only give to the month).
    Reports told as anterior (pluperfect, "précédent") are another visit and keep theirs."""
    days: dict[tuple, set[str]] = {}
    for e in events:
        if e.type == "AGREEMENT" and e.date and len(e.date) == len("2024-01-01"):
            days.setdefault((e.source, e.target), set()).add(e.date)
    out = []
    for e in events:
        found = days.get((e.source, e.target), set())
        vague = e.date is None or (len(found) == 1 and next(iter(found)).startswith(e.date))
        if (
            e.type == "AGREEMENT"
            and len(found) == 1
            and vague
            and (e.sent_id, e.start) not in earlier
        ):
            e = replace(e, date=next(iter(found)))
        out.append(e)
    return out
