"""A cheap language check: is this article French?

Counts very frequent function words of French and of the languages most often mixed
into scraped francophone corpora. It costs one pass over the first few thousand
characters, needs no model, and is right on anything longer than a sentence or two.
Short texts (fewer than `MIN_WORDS` words) are given the benefit of the doubt.
"""

from __future__ import annotations

import json
import re
from functools import cache
from importlib import resources

SAMPLE_CHARS = 5000
MIN_WORDS = 12
WORD = re.compile(r"[^\W\d_]+", re.UNICODE)


@cache
def function_words() -> dict[str, frozenset[str]]:
    """Each language's function words, minus those another listed language shares (*de*,
    *en*, *la* say nothing about which language a text is in)."""
    path = resources.files("pipeline.data").joinpath("function_words.json")
    raw = {k: set(v) for k, v in json.loads(path.read_text("utf-8")).items() if k[0] != "_"}
    return {
        lang: frozenset(words - set().union(*(w for other, w in raw.items() if other != lang)))
        for lang, words in raw.items()
    }


def language_scores(text: str) -> dict[str, int]:
    words = [w.lower() for w in WORD.findall(text[:SAMPLE_CHARS])]
    return {lang: sum(1 for w in words if w in vocab) for lang, vocab in function_words().items()}


def looks_french(text: str) -> bool:
    """True unless the text is long enough to judge and another language clearly wins."""
    words = WORD.findall(text[:SAMPLE_CHARS])
    if len(words) < MIN_WORDS:
        return True
    scores = language_scores(text)
    best_other = max(score for lang, score in scores.items() if lang != "fr")
    return scores["fr"] >= best_other and scores["fr"] >= 0.04 * len(words)
