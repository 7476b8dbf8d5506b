"""Normalise: give every GPE, LOC, ORG and PER mention its canonical norm (SPEC section 2).

Gazetteer matches arrive with their norm. The rest get one here, using the gazetteers and
the rest of the document:

- PER: the gazetteer's full name, else the longest name in the same document that ends
  with this one (*Traoré* after *Ibrahim Traoré*), else the text itself;
- ORG: the gazetteer's canonical short name; a ministry becomes
  ``ministère de la Défense (ISO3)`` with the state read from the name itself
  (*ministère russe de la Défense*; a demonym two states share, *congolais*, is the one
  the document names), the words after it, or the document's main state;
- LOC: the gazetteer's canonical French name, else the text with a plain apostrophe;
- GPE: ISO3 (always from the gazetteer).
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable
from dataclasses import replace

from pipeline import gazetteers
from pipeline.types import Mention

MINISTRY = re.compile(
    r"^minist[èe]re\s+(?:(?P<adj>[^\W\d]+)\s+)?(?:de\s+la\s+|des\s+|du\s+|de\s+l['’]|d['’])(?P<name>.+)$",
    re.IGNORECASE,
)
FOLLOWING_STATE = re.compile(
    r"^\s*(?:du|de la|de l['’]|des|de)\s*([^\W\d][\w'’-]*(?:\s+[A-Z][\w'’-]*)*)"
)


def normalise_mentions(mentions: list[Mention], text: str) -> list[Mention]:
    """The same mentions, each with its norm."""
    main_state = main_state_of(mentions)
    full_names = [m.norm or m.text for m in mentions if m.label == "PER"]
    out = []
    for m in mentions:
        if m.label == "PER":
            m = replace(m, norm=person_norm(m, full_names))
        elif m.label == "ORG" and m.norm is None:
            m = replace(m, norm=organisation_norm(m, text, mentions, main_state))
        elif m.label == "LOC" and m.norm is None:
            m = replace(m, norm=place_norm(m.text))
        elif m.label == "GPE" and m.norm is None:
            m = replace(m, norm=gazetteers.state_iso3(m.text))
        out.append(m)
    return document_acronyms(out, text)


ACRONYM = re.compile(r"^[A-Z][A-Z0-9-]{1,11}$")


def document_acronyms(mentions: list[Mention], text: str) -> list[Mention]:
    """Acronyms both ways within a document:

    - a name the gazetteers do not know, followed by its acronym in brackets, takes the
      acronym's norm (*Agence de sécurité du Sahel (ASS)* -> ``ASS``), and so does every
      other mention of that name in the document;
    - a bare acronym whose norm opens exactly one longer organisation norm of the document
      takes that norm (*EUTM* after *EUTM RCA* -> ``EUTM RCA``).
    """
    orgs = [m for m in mentions if m.label == "ORG"]
    defined: dict[str, str] = {}
    for name, acronym in zip(orgs, orgs[1:], strict=False):
        between = text[name.end : acronym.start]
        if (
            between.strip() == "("
            and ACRONYM.match(acronym.text)
            and text[acronym.end : acronym.end + 1] == ")"
            and gazetteers.organisation_by_alias(name.text) is None
            and acronym.norm
        ):
            defined[name.text.replace("’", "'")] = acronym.norm
    norms = {m.norm for m in orgs if m.norm}
    out = []
    for m in mentions:
        if m.label == "ORG":
            key = m.text.replace("’", "'")
            if key in defined:
                m = replace(m, norm=defined[key])
            elif m.norm and ACRONYM.match(m.text):
                longer = [n for n in norms if n.startswith(m.norm + " ")]
                if len(longer) == 1:
                    m = replace(m, norm=longer[0])
        out.append(m)
    return out


def main_state_of(mentions: list[Mention]) -> str | None:
    """The state the document is most about: its most mentioned GPE, first seen on ties."""
    counts = Counter(m.norm for m in mentions if m.label == "GPE" and m.norm)
    if not counts:
        return None
    best = max(counts.values())
    return next(m.norm for m in mentions if m.label == "GPE" and counts.get(m.norm) == best)


def person_norm(m: Mention, names_in_doc: list[str]) -> str:
    """The longest name in the document that ends with this one (*Keita* after *Mamadou
    Keita*), through the gazetteer when it knows it; else the gazetteer's name for this
    text (full names, aliases, unambiguous surnames); else the text."""
    words = m.text.split()
    longer = [
        n for n in names_in_doc if len(n.split()) > len(words) and n.split()[-len(words) :] == words
    ]
    if longer:
        best = max(longer, key=lambda n: (len(n.split()), n))
        found = gazetteers.person_by_alias(best)
        return found.name if found else best
    person = gazetteers.person_by_alias(m.text)
    if person is not None:
        return person.name
    return m.norm or m.text


def place_norm(text: str) -> str:
    place = gazetteers.place_by_alias(text)
    if place is not None:
        return place.name
    return text.replace("’", "'")


def organisation_norm(
    m: Mention, text: str, mentions: list[Mention], main_state: str | None
) -> str:
    org = gazetteers.organisation_by_alias(m.text)
    if org is not None:
        return org.name
    ministry = MINISTRY.match(m.text)
    if ministry:
        adjective = ministry.group("adj")
        state = (
            ministry_state(adjective, state_mentions(mentions))
            or state_after(text[m.end : m.end + 60])
            or state_nearby(m, mentions)
            or main_state
        )
        shared = gazetteers.demonym_states(adjective) if adjective else ()
        if len(shared) > 1 and state not in shared:
            state = None  # a ministère congolais is never a third state's
        name = ministry.group("name")
        head = (
            "ministère de la Défense"
            if name.lower().startswith(("défense", "defense", "armées"))
            else f"ministère {m.text.split(maxsplit=1)[1]}"
        )
        return f"{head} ({state})" if state else head
    return m.text.replace("’", "'")


def ministry_state(adjective: str | None, named: Iterable[str] = ()) -> str | None:
    """The state of a ministry's demonym; a demonym two states share (*congolais*) is the
    one of them the document names, or names more often (`gazetteers.demonym_iso3`)."""
    return gazetteers.demonym_iso3(adjective, named) if adjective else None


def state_mentions(mentions: list[Mention]) -> list[str]:
    """The state each GPE mention of a document names, and each capital's state."""
    states = []
    for m in mentions:
        if m.label == "GPE" and m.norm:
            states.append(m.norm)
        elif m.label == "LOC" and gazetteers.capital_iso3(m.norm or m.text):
            states.append(gazetteers.capital_iso3(m.norm or m.text))
    return states


def state_after(following: str) -> str | None:
    match = FOLLOWING_STATE.match(following)
    return gazetteers.state_iso3(match.group(1)) if match else None


def state_nearby(m: Mention, mentions: list[Mention]) -> str | None:
    """The state of the closest person or state named before the ministry in its sentence."""
    before = [
        x
        for x in mentions
        if x.sent_id == m.sent_id and x.end <= m.start and x.label in ("GPE", "PER")
    ]
    for x in reversed(before):
        if x.label == "GPE" and x.norm:
            return x.norm
        person = gazetteers.person_by_alias(x.norm or x.text)
        if person is not None and person.country:
            return person.country
    return None
