"""Hyphenated compounds the tokenizer cut: the model's tokenizer keeps only the
hyphenated words of its exception list whole, so "accord-cadre" or "état-major" reach
the parser as three tokens ("accord | - | cadre"), and the parser often tears them apart
(the left word a root of its own, the right one the verb's subject, the rest of the
phrase hung on the right word). ``mend_hyphens`` makes such a compound one phrase again,
headed by its left word (the noun that says what it is: an *accord*, a *chef d'état*...)
in the role the parser gave to the part it attached elsewhere."""

from __future__ import annotations

HYPHENS = ("-", "‑")
WORD_TAGS = ("NOUN", "PROPN", "ADJ")
CLAUSE_TAGS = ("VERB", "AUX")
CORE = ("nsubj", "nsubj:pass", "obj", "iobj", "obl:agent", "obl:arg")


def compound_parts(token, span):
    """(left, right) around a hyphen glued to two words of the sentence ``span``
    ("accord-cadre"), else None."""
    if token.text not in HYPHENS or token.whitespace_:
        return None
    if token.i == span.start or token.i + 1 >= span.end:
        return None
    left, right = token.nbor(-1), token.nbor(1)
    if left.whitespace_ or not (left.is_alpha and right.is_alpha):
        return None
    if left.pos_ not in WORD_TAGS or right.pos_ not in WORD_TAGS:
        return None  # "celle-ci", "peut-être", "dit-il": not a compound of two words
    return left, right


def top(token):
    """The root of the tree a token hangs in."""
    while token.head.i != token.i:
        token = token.head
    return token


def below(token, ancestor) -> bool:
    return any(x.i == ancestor.i for x in token.ancestors)


def subject_role(phrase, verb, dep: str) -> str:
    """A bare noun phrase (no preposition) before a verb that has no subject, which the
    parser read as a modifier of the verb, is its subject."""
    bare = not any(c.dep_ == "case" for c in phrase.children)
    subjectless = not any(c.dep_.startswith("nsubj") for c in verb.children)
    if dep.startswith("obl") and bare and subjectless and phrase.i < verb.i:
        return "nsubj"
    return dep


def mend_hyphens(span) -> None:
    """Make each cut hyphenated compound of a sentence one phrase headed by its left word:
    the left word (or the fragment it hangs in, "le chef d'état | major") takes the place
    the parser gave to the right word, and the right word hangs on the left one. The
    caller keeps the Doc's sentence starts (changing heads makes spaCy recompute them)."""
    for hyphen in span:
        found = compound_parts(hyphen, span)
        if found is None:
            continue
        left, right = found
        parts = {left.i, hyphen.i, right.i}
        holder, role = None, None  # who takes the right word's place, and that place
        if right.head.i != right.i and right.head.i not in parts:
            role = (right.head, right.dep_)
            if below(left, right) or left.head.i == left.i:
                holder = left  # "accord" a root, "cadre" the subject: "accord" is
            elif top(left).i != top(right).i and top(left).pos_ not in CLAUSE_TAGS:
                holder = top(left)  # "le chef d'état" a fragment, "major" the subject
            elif right.dep_ in CORE:  # "chef" hung on the verb as a modifier, "major" its subject
                holder = next((a for a in left.ancestors if a.head.i == right.head.i), None)
        try:
            if holder is not None:
                head, dep = role
                if head.i == holder.i or below(head, holder):
                    continue  # would make a cycle
                holder.head = head
                holder.dep_ = subject_role(holder, head, dep)
            for part in (hyphen, right):
                if part.head.i != left.i and not below(left, part):
                    part.head = left
            for child in list(right.children) + list(hyphen.children):
                if child.i != left.i and not below(left, child):
                    child.head = left  # the compound's own words: "état-major égyptien"
            hyphen.dep_, hyphen.pos_ = "punct", "PUNCT"
            if right.head.i == left.i:
                right.dep_ = "compound"
        except Exception:  # a head spaCy refuses leaves the parse as it was
            continue
