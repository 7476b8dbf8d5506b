"""The quick French token_match cuts text exactly as spaCy's own pattern does."""

import re
import unicodedata
from pathlib import Path

import pytest
import spacy
import srsly
from spacy.lang.char_classes import ALPHA, ALPHA_LOWER
from spacy.tokenizer import Tokenizer

from pipeline import french_tokenizer
from pipeline.nlp import MODEL

CORPUS = Path(__file__).resolve().parent.parent / "corpus"
WORDS = (
    "États-Unis prud'hommes porte-avions peut-être arc-en-ciel Jean-Pierre sud-est "
    "Val-de-Marne entr'ouvert a-t-il aujourd'hui c'est-à-dire Saint-Louis vis-à-vis "
    "anti-aérien l'Africa Corps d'Il-76 hors-la-loi Bobo-Dioulasso grand'mère "
    "week-end rendez-vous celui-ci lui-même ex-président franco-russe Guinée-Bissau"
)


@pytest.fixture(scope="module")
def directory():
    return french_tokenizer.model_directory(MODEL)


@pytest.fixture(scope="module")
def stock_and_quick(nlp, directory):
    """spaCy's tokenizer as the model ships it (slow pattern) and ours."""
    stock = Tokenizer(nlp.vocab).from_bytes(
        (directory / "tokenizer").read_bytes(), exclude=["vocab"]
    )
    return stock, nlp.tokenizer


def test_quick_pattern_spells_no_letter_class(directory):
    pattern = french_tokenizer.tokenizer_data(directory)["token_match"]
    assert ALPHA_LOWER not in pattern and ALPHA not in pattern
    original = srsly.msgpack_loads((directory / "tokenizer").read_bytes())["token_match"]
    assert len(pattern) < len(original) / 50


def test_letter_class_agrees_on_latin_greek_and_russian_letters():
    spelled = re.compile(f"(?iu)[{ALPHA_LOWER}]")
    letter = re.compile(f"(?iu){french_tokenizer.LETTER}")
    checked = 0
    latin = range(0xC0, 0x250)  # Latin-1 Supplement, Latin Extended-A and -B
    greek = [*range(0x391, 0x3AA), *range(0x3B1, 0x3CA)]
    russian = range(0x410, 0x450)
    for code in [*latin, *greek, *russian]:
        char = chr(code)
        if unicodedata.category(char) in ("Lu", "Ll", "Lt"):
            checked += 1
            assert bool(spelled.match(char)) == bool(letter.match(char)), hex(code)
    assert checked > 400


def test_tokens_identical_to_stock_tokenizer(stock_and_quick):
    stock, quick = stock_and_quick
    texts = [WORDS] + [p.read_text(encoding="utf-8") for p in sorted(CORPUS.glob("*.txt"))]
    for text in texts:
        assert [t.text for t in quick(text)] == [t.text for t in stock(text)]


def test_hyphenated_words_stay_whole(nlp):
    tokens = [t.text for t in nlp.make_doc("Les États-Unis et les prud'hommes, peut-être.")]
    assert "États-Unis" in tokens and "prud'hommes" in tokens and "peut-être" in tokens


def test_unknown_pattern_is_kept_as_it_is():
    assert french_tokenizer.quick_pattern("(?iu)^a[-–]b[xyz]+$") == "(?iu)^a[-–]b[xyz]+$"


def test_bracket_with_other_characters_keeps_them():
    pattern = french_tokenizer.quick_pattern(f"^x[-'{ALPHA_LOWER}]*$")
    assert pattern == rf"^x(?:[-']|{french_tokenizer.LETTER})*$"
    assert re.match(pattern, "x-é'a") and not re.match(pattern, "x-1")


def test_blank_french_in_the_same_process_keeps_the_exceptions(nlp):
    blank = spacy.blank("fr")
    assert [t.text for t in blank("aujourd'hui États-Unis")] == ["aujourd'hui", "États-Unis"]
