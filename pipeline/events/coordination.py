"""A coordinated subject the parser split: "Niamey et Moscou ont signé ..." read as a root
of its own ("Niamey", opening the sentence) and a clause whose subject is the second
conjunct ("et Moscou ont signé"). ``mend_split_subject`` hangs the first name back as
the subject and the second as its conjunct, so that both parties sign."""

from __future__ import annotations

NAME_TAGS = ("PROPN", "NOUN")


def split_subject(root, span):
    """(first, cc, second, verb) when ``root`` is a bare name left as a root right before
    "et" + the subject of a verb, else None."""
    if root.pos_ not in NAME_TAGS or root.head.i != root.i:
        return None
    if any(t.pos_ not in ("DET", "PUNCT") for t in span.doc[span.start : root.i]):
        return None  # only a name opening the sentence ("..., a attaqué Kati et l'EIGS ...")
    if any(c.dep_ in ("case", "nsubj", "cop") or c.i > root.i for c in root.children):
        return None  # a phrase of its own, or a name with words after it
    if root.i + 2 >= span.end:
        return None
    cc = root.nbor(1)
    if cc.lower_ not in ("et", "ou") or cc.dep_ != "cc":
        return None
    second = cc.nbor(1)
    while second.pos_ == "DET" and second.i + 1 < span.end:
        second = second.nbor(1)
    verb = second.head
    if not second.dep_.startswith("nsubj") or verb.pos_ not in ("VERB", "AUX"):
        return None
    if cc.head.i not in (verb.i, second.i):
        return None
    return root, cc, second, verb


def mend_split_subject(span) -> None:
    """Hang each split first conjunct back as the subject (see the module docstring). The
    caller keeps the Doc's sentence starts."""
    roots = [t for t in span if t.dep_ == "ROOT"]
    for root in roots:
        found = split_subject(root, span)
        if found is None:
            continue
        first, cc, second, verb = found
        dep = second.dep_
        try:
            first.head, first.dep_ = verb, dep
            second.head, second.dep_ = first, "conj"
            cc.head, cc.dep_ = second, "cc"
        except Exception:  # a head spaCy refuses leaves the parse as it was
            continue
