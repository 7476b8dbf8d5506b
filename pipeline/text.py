"""Text folding: the one place that decides how two spellings of a word compare.

News writes one name many ways: with or without accents (capitals often lose theirs),
typographic or straight apostrophes, ligatures, hyphens or spaces. Every look-up key in
the package goes through `fold` (word level) or `fold_key` (names: hyphens and runs of
spaces made one space), so that the gazetteers, the equipment rules and the event
triggers agree on what "the same word" means.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

APOSTROPHES = "\u2019\u2018\u02bc\u00b4`"
HYPHENS = "\u2010\u2011\u2012\u2013\u2014\u2212"
_LIGATURES = str.maketrans({"œ": "oe", "Œ": "Oe", "æ": "ae", "Æ": "Ae"})
_APOSTROPHE = str.maketrans({a: "'" for a in APOSTROPHES})
_SPACES = re.compile(r"\s+")


@lru_cache(maxsize=200_000)
def fold(text: str) -> str:
    """Lower case, no diacritics, ligatures spelled out, one kind of apostrophe.

    >>> fold("Côte d’Ivoire")
    "cote d'ivoire"
    >>> fold("ŒUVRE")
    'oeuvre'
    """
    text = unicodedata.normalize("NFKD", text.translate(_LIGATURES).casefold())
    text = "".join(ch for ch in text if not unicodedata.combining(ch))
    return text.translate(_APOSTROPHE)


def fold_key(text: str) -> str:
    """`fold`, with hyphens and runs of white space as one space: a name's look-up key.

    >>> fold_key("États-Unis") == fold_key("Etats  Unis")
    True
    """
    text = fold(text)
    for hyphen in HYPHENS + "-":
        text = text.replace(hyphen, " ")
    return _SPACES.sub(" ", text).strip().replace("' ", "'")
