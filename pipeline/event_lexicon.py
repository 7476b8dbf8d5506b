"""The events stage's data: the trigger lexicon (``data/triggers.json``: triggers, the
cheap candidate test's stems, modality cues, word classes) and the role frames
(``data/event_frames.json``), read once and checked at load.

Every trigger names a frame of the frames file and, optionally, a need (a check on its
arguments, see ``pipeline.event_needs``); an unknown frame, need, event type, argument
path or word class is a ``LexiconError`` naming the file and line, so that a typo in the
data never passes silently.
"""

from __future__ import annotations

import json
from functools import cache
from importlib import resources


@cache
def lexicon() -> dict:
    """The trigger lexicon (``data/triggers.json``)."""
    text = resources.files("pipeline").joinpath("data/triggers.json").read_text(encoding="utf-8")
    return json.loads(text)


@cache
def words(name: str) -> frozenset[str]:
    return frozenset(lexicon()["words"][name])


@cache
def modality(name: str) -> tuple[str, ...]:
    return tuple(lexicon()["modality"][name])
