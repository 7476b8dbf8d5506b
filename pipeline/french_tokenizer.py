"""The model's French tokenizer without its three-second regular expression.

spaCy's French tokenizer keeps hyphenated and elided words such as *États-Unis*,
*prud'hommes* or *porte-avions* whole with one ``token_match`` pattern of some 460
alternatives, each spelling out, character by character, every letter of every script
spaCy knows (a 1.4 MB pattern). Python needs 3.4 s to compile it: once when
`spacy.lang.fr` is imported and, unless the re cache hits, again when the model's
tokenizer is read from disk. On a run over 100 articles that is a quarter of the time.

`tokenizer_data` reads the model's own tokenizer and writes those spelled-out letter
classes as ``[^\\W\\d_]`` (any letter), which compiles in 0.1 s. The two agree on every
Latin letter and on the Greek and Russian alphabets; they differ on superscript digits,
fractions and letters spaCy's class leaves out (archaic Greek, Serbian *ђ*, CJK...), so
only a hyphenated word that mixes those with a French prefix could be cut differently.
Tokens were identical on the sample corpus and on the 76,000 tokens of HIPE-2020 French
(tests/test_french_tokenizer.py checks the corpus). If a future spaCy spells the classes
differently, the pattern is kept as it is: slower, never different.

`prepare_import` stands in for `spacy.lang.fr.tokenizer_exceptions`, the module that
compiles the pattern on import, with the model's own exceptions and the quick pattern;
everything else in `spacy.lang.fr` (lemmatiser, stop words, lexical attributes) is
spaCy's.
"""

from __future__ import annotations

import re
import sys
import types
from pathlib import Path

import srsly

EXCEPTIONS_MODULE = "spacy.lang.fr.tokenizer_exceptions"
LETTER = r"[^\W\d_]"


def letter_classes() -> tuple[str, ...]:
    """spaCy's spelled-out letter classes, longest first."""
    from spacy.lang.char_classes import ALPHA, ALPHA_LOWER

    return tuple(sorted({ALPHA, ALPHA_LOWER}, key=len, reverse=True))


def quick_pattern(pattern: str) -> str:
    """``pattern`` with every bracket class holding a spelled-out letter class rewritten
    as that class's other characters or any letter."""
    for spelled in letter_classes():
        if spelled not in pattern:
            continue
        bracket = re.compile(r"\[([^\[\]]*?)" + re.escape(spelled) + r"([^\[\]]*?)\]")
        pattern = bracket.sub(lambda m: either(m[1] + m[2]), pattern)
    return pattern


def either(others: str) -> str:
    return f"(?:[{others}]|{LETTER})" if others else LETTER


def model_directory(model: str) -> Path:
    """The directory holding ``config.cfg`` and ``tokenizer`` of an installed model
    package (or ``model`` itself when it is such a directory)."""
    path = Path(model)
    if (path / "config.cfg").is_file():
        return path
    import spacy.util

    package = Path(spacy.util.get_package_path(model))
    return next(p for p in sorted(package.iterdir()) if (p / "config.cfg").is_file())


def tokenizer_data(directory: Path) -> dict:
    """The model's serialised tokenizer with the quick ``token_match`` pattern."""
    data = srsly.msgpack_loads((directory / "tokenizer").read_bytes())
    if isinstance(data.get("token_match"), str):
        data["token_match"] = quick_pattern(data["token_match"])
    return data


def prepare_import(data: dict) -> None:
    """Make `spacy.lang.fr` import without compiling the slow pattern. Does nothing when
    it is already imported (the pattern is compiled by then)."""
    if "spacy.lang.fr" in sys.modules or EXCEPTIONS_MODULE in sys.modules:
        return
    module = types.ModuleType(EXCEPTIONS_MODULE, "The model's exceptions, quick pattern.")
    module.TOKENIZER_EXCEPTIONS = data.get("exceptions", {})
    pattern = data.get("token_match")
    module.TOKEN_MATCH = re.compile(pattern).match if isinstance(pattern, str) else None
    sys.modules[EXCEPTIONS_MODULE] = module


def load(model: str, exclude: tuple[str, ...] = ()):
    """``spacy.load(model, exclude=exclude)`` with the quick pattern in the tokenizer."""
    import spacy

    directory = model_directory(model)
    data = tokenizer_data(directory)
    prepare_import(data)
    nlp = spacy.load(directory, exclude=["tokenizer", *exclude])
    nlp.tokenizer.from_bytes(srsly.msgpack_dumps(data), exclude=["vocab"])
    return nlp
