"""Precision layer over the statistical NER: which model spans are names, and of what kind.

`fr_core_news_md` was trained on clean prose. Scraped news pages also hold headlines,
captions, bylines, menus and embedded posts, where every line starts with a capital and the
model tags menu words such as *Imprimer*, *Suivant* or *Recherche* as names. The rules
here take a model span as the model gives it and return the span to keep (possibly
shorter, possibly relabelled) or None:

1. a span never crosses a line break (*Par Jean Dupont⏎Visite* is cut after *Dupont*);
2. leading lower-case words are not part of a name (*port ghanéen de Takoradi* gives
   *Takoradi*, *préfecture de Kara* gives *Kara*), nor is a state name before a
   person's full name (*du Togo Koffi Mensah* gives *Koffi Mensah*);
3. a span holding a designation (letters and digits in one word: *K9*, *XT-40*) is
   equipment, not a name;
4. a single capitalised word at the start of a line or sentence is a name only with
   evidence: it is an acronym, or the document writes it capitalised elsewhere away from a
   line or sentence start, or it is a word of a longer model name in the document;
5. a span whose words after the first are all lower case, at a line or sentence start, is
   the start of a sentence (*Grand projet de coopération*), not a name;
6. a span right after *ministre de* / *ministère des* is a portfolio (*Forces armées*);
7. the gazetteers correct the model's label (*le ministre Pezeshkian* is a person, not a
   place), and a capitalised word right after a title is a person.

Page furniture (URLs, handles, read-also lines) is `pipeline.page`'s job.
"""

from __future__ import annotations

from pipeline import gazetteers

PORTFOLIO_HEADS = frozenset(
    {"ministre", "ministres", "ministère", "ministères", "chef", "chefs", "président", "présidente"}
)
PORTFOLIO_LINKS = frozenset({"de", "des", "du", "d'", "d’", "la", "l'", "l’"})
OPENERS = frozenset({"«", '"', "“", "„", "(", "[", "—", "–", "-", "*", "•", "|", "©", "'", "‘"})


def line_or_sentence_start(doc, i: int) -> bool:
    """True when token ``i`` opens a line or a sentence, opening punctuation aside."""
    j = i
    while j > 0 and doc[j - 1].text in OPENERS and "\n" not in doc[j - 1].whitespace_:
        j -= 1
    if j == 0:
        return True
    before = doc[j - 1]
    if "\n" in before.whitespace_ or (before.is_space and "\n" in before.text):
        return True
    if before.text in (".", "!", "?", "…", ":", "|"):
        return True
    return bool(doc[j].is_sent_start)


def _is_designation(text: str) -> bool:
    return any(c.isdigit() for c in text) and any(c.isalpha() for c in text)


class Evidence:
    """What the rest of the document says about capitalised words."""

    def __init__(self, doc):
        self.inner: set[str] = set()  # capitalised words seen away from a line/sentence start
        for token in doc:
            if token.text[:1].isupper() and not line_or_sentence_start(doc, token.i):
                self.inner.add(token.text)
        self.in_names: set[str] = set()  # words of multi-word model names
        for ent in doc.ents:
            if len(ent) > 1:
                self.in_names.update(t.text for t in ent)

    def supports(self, word: str) -> bool:
        return (word.isupper() and len(word) >= 2) or word in self.inner or word in self.in_names


def _cut_at_line_break(doc, start: int, end: int) -> int:
    for k in range(start, end):
        if "\n" in doc[k].whitespace_ or (k > start and "\n" in doc[k].text):
            return k + 1 if "\n" in doc[k].whitespace_ else k
    return end


def _strip_leading_state(doc, start: int, end: int) -> int:
    """*Togo Koffi Mensah* -> *Koffi Mensah*: a state name before a two-word person name."""
    for k in range(start + 1, min(end - 1, start + 4)):
        if gazetteers.state_iso3(doc[start:k].text) and all(
            t.text[:1].isupper() for t in doc[k:end]
        ):
            return k
    return start


@gazetteers.per_data
def _title_words() -> frozenset[str]:
    return frozenset(t for t in gazetteers.titles() if " " not in t)


def refine(doc, start: int, end: int, label: str, evidence: Evidence):
    """The (start, end, label) to keep for a model span, or None (see the module docstring)."""
    end = _cut_at_line_break(doc, start, end)
    while end > start and (doc[end - 1].is_punct or doc[end - 1].is_space):
        end -= 1
    while start < end and (doc[start].is_lower or doc[start].is_punct):
        start += 1
    if start >= end:
        return None
    span = doc[start:end]
    if any(_is_designation(t.text) for t in span):
        return None
    if label == "PER":
        start = _strip_leading_state(doc, start, end)
        span = doc[start:end]
    if span.text.isupper():
        known = _gazetteer_label(span.text)
        if known is not None:
            return start, end, known
        if len(span) == 1 and len(span.text) >= 6:
            return None  # a headline or section word in capitals (*SPORTS*, *LONDRES*)
    at_start = line_or_sentence_start(doc, start)
    if at_start and len(span) == 1 and not evidence.supports(span.text):
        return None
    if at_start and len(span) > 1 and all(not t.text[:1].isupper() for t in span[1:]):
        return None
    if _after_portfolio(doc, start):
        return None
    return start, end, corrected_label(doc, start, end, label)


def _after_portfolio(doc, start: int) -> bool:
    """*ministre (russe) des Affaires*, *chef d'État-major*, *président de la République*."""
    j = start
    while j > 0 and doc[j - 1].lower_ in PORTFOLIO_LINKS:
        j -= 1
    if j == start or j == 0:
        return False
    if doc[j - 1].lower_ in PORTFOLIO_HEADS:
        return True
    return (
        j >= 2
        and doc[j - 1].is_lower
        and gazetteers.demonym_iso3(doc[j - 1].text) is not None
        and doc[j - 2].lower_ in PORTFOLIO_HEADS
    )


def _gazetteer_label(text: str) -> str | None:
    """The label the gazetteers give a text written in capitals, if they know it."""
    if gazetteers.state_iso3(text):
        return "GPE"
    if gazetteers.person_by_alias(text) is not None:
        return "PER"
    if gazetteers.place_by_alias(text) is not None or gazetteers.capital_iso3(text):
        return "LOC"
    if gazetteers.organisation_by_alias(text.title()) is not None:
        return "ORG"
    return None


def corrected_label(doc, start: int, end: int, label: str) -> str:
    """The gazetteers' label for the span's text when they know it, else a person after a
    title (*le ministre Dupont*), else the model's label."""
    text = doc[start:end].text
    if gazetteers.person_by_alias(text) is not None and not gazetteers.place_by_alias(text):
        return "PER"
    if label != "ORG" and gazetteers.organisation_by_alias(text) is not None:
        return "ORG"
    if label == "PER" and gazetteers.place_by_alias(text) is not None:
        return "LOC"
    if (
        label != "PER"
        and start > 0
        and doc[start - 1].lower_ in _title_words()
        and all(t.text[:1].isupper() for t in doc[start:end])
        and end - start <= 3
    ):
        return "PER"
    return label
