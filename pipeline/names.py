"""Names found by their written form rather than by a gazetteer phrase.

- Dotted acronyms (*O.N.U.*, *U.E.M.O.A.*, *U.S.A.*): the letters without the dots are
  looked up like any acronym; an unknown one is an organisation whose norm is the bare
  acronym (*C.P.L.T.* gives ``CPLT``). Initials alone on a line are a signature, not
  an organisation.
- Names the page gives a role: the display name of an embedded post's signature and the
  name after a credit mark (see `pipeline.page`); an organisation (outlet, account) unless
  the gazetteers or the model know it as a person.

Both return `tag.Candidate`s at rule rank, so they win over the model's guesses.
"""

from __future__ import annotations

import re

from pipeline import gazetteers, page

DOTTED = re.compile(r"^(?:[A-Z]\.){2,}[A-Z]?\.?$")


def _candidate(start: int, end: int, label: str, norm: str | None, method: str):
    from pipeline.tag import RULE_RANK, Candidate

    return Candidate(start, end, label, norm, method, RULE_RANK)


def _alone_on_line(doc, i: int) -> bool:
    before = i == 0 or "\n" in doc[i - 1].whitespace_ or doc[i - 1].is_space
    after = i + 1 >= len(doc) or "\n" in doc[i].whitespace_ or doc[i + 1].is_space
    return before and after


def dotted_acronyms(doc) -> list:
    found = []
    for token in doc:
        if not DOTTED.match(token.text) or _alone_on_line(doc, token.i):
            continue
        bare = token.text.replace(".", "")
        iso3 = gazetteers.state_iso3(bare)
        org = gazetteers.organisation_by_alias(bare)
        if org is not None:
            found.append(_candidate(token.i, token.i + 1, "ORG", org.name, "acronym"))
        elif iso3 is not None:
            found.append(_candidate(token.i, token.i + 1, "GPE", iso3, "acronym"))
        else:
            found.append(_candidate(token.i, token.i + 1, "ORG", bare, "acronym"))
    return found


def page_names(doc) -> list:
    """Signature display names and credited names, as organisations or people."""
    from pipeline.tag import trim

    found = []
    text = doc.text
    model_people = [(e.start_char, e.end_char) for e in doc.ents if e.label_ == "PER"]
    for start_char, end_char in page.signature_names(text) + page.credit_names(text):
        span = doc.char_span(start_char, end_char, alignment_mode="expand")
        if span is None:
            continue
        start, end = trim(doc, span.start, span.end, titles=False)
        if start >= end:
            continue
        name = doc[start:end].text
        person = gazetteers.person_by_alias(name)
        org = gazetteers.organisation_by_alias(name)
        if org is not None:
            found.append(_candidate(start, end, "ORG", org.name, "page"))
        elif person is not None or page.overlaps_any(start_char, end_char, model_people):
            found.append(_candidate(start, end, "PER", person.name if person else None, "page"))
        elif gazetteers.state_iso3(name) is None and gazetteers.place_by_alias(name) is None:
            found.append(_candidate(start, end, "ORG", None, "page"))
    return found


LEADING_ARTICLE = ("La ", "Le ", "Les ", "L'", "L’")


def without_article(form: str) -> str:
    """A place's name as a mention spans it: *La Réunion* is matched as *Réunion*."""
    for article in LEADING_ARTICLE:
        if form.startswith(article) and len(form) > len(article) + 1:
            return form[len(article) :]
    return form


STATE_HEADS = frozenset({"république", "royaume", "émirat", "sultanat", "principauté", "état"})
LINKS = frozenset({"de", "du", "d'", "d’", "des", "la", "l'", "l’"})


def extend_official_names(doc, found: list) -> list:
    """*République (islamique) de Mauritanie* is one GPE; *ministère de la Défense
    d'Israël* is one ministry (the state completes the name)."""
    from pipeline.tag import Candidate

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
