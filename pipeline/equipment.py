"""Equipment mentions: named models and generic classes of military materiel.

``find_equipment(doc)`` reads only tokenizer attributes (text, whitespace, offsets), so it
runs in the fast pass without tagger or parser. The vocabulary is data:

- ``data/equipment.jsonl``: one model per line (``model``, ``category``, ``aliases``,
  optional ``maker``, ``names``, ``context``), plus maker lines (``maker``, ``aliases``,
  optional ``number_prefix``) whose spellings combine with the models' designations.
- ``data/equipment_classes.jsonl``: generic French classes (``category``, ``forms``) and
  ``block`` lines, phrases that look like a class but are not materiel (*avion de ligne*,
  *chasseurs alpins*, *char à voile*).

Spellings. Each alias is expanded in code: hyphen, space and fused forms (*Il-76*, *Il 76*,
*Il76*), maker prefixes (*Soukhoï Su-25*, *Sukhoi Su-25*), maker numbers for makers with a
``number_prefix`` (*Iliouchine-76*, *Iliouchine 76*), designation plus name in either order
(*C-130 Hercules*, *Apache AH-64*) and a plural in -s for word aliases (*Kalachnikovs*).
Matching ignores case and diacritics (*Akinci*, *Akıncı*). A space form whose first word has
one or two letters (*Il 76*, *A 29*) must be written with a capital, so *il a 29 ans* is
safe. ``names`` are words that are also common nouns or names (*Rafale*, *Tigre*, *Puma*,
*Patriot*): they only match when capitalised, and with ``"context": true`` only right after
a class noun or a word such as *hélicoptère(s)*, *blindé(s)*, *système(s)* (one adjective may
stand between: *hélicoptères français Tigre*), or after *et*/*ou*/comma and a model of
the same category (*des hélicoptères Puma et Gazelle*). A list in ``context`` narrows
those words: *Serval* is a vehicle only after *véhicule(s)*/*blindé(s)*, never in
*opération Serval*.

Spans and models. A span is the equipment words only: no determiner, no count, no
evaluative adjective (*équipements de communication avancés* gives *équipements de
communication*). ``model`` is the canonical short designation of the family plus the variant
suffix the text gives (*Su-30SM*, *Il-76MD*, *Mi-35M*, *Mirage 2000D*, *Mirage 2000-5*);
a plural -s is not a variant (*Su-25s* gives ``Su-25``). Names without a suffix keep the
family designation (*Mi-8* stays ``Mi-8``, *Mi-171* stays ``Mi-171``).

Classes. A class is annotated with its class-defining complement (*drones de combat*,
*véhicule blindé de transport de troupes*); *militaire(s)* after a class noun belongs to it.
Bare *avion(s)*, *hélicoptère(s)*, *drone(s)*, *missile(s)*, *canon(s)* and *chars* are class
mentions, so *des avions et des hélicoptères* gives two. Umbrella words (*matériel*,
*équipements*, *appareils*, *aéronefs*, *engins*, *arsenal*, *armement*, *armes*,
*véhicules*) are not.
A class noun heading a model is dropped, the model stays (*hélicoptères de transport Mi-8*,
*avions de type Su-25*, *drones turcs TB2*); an apposition after a comma stays its own
mention (*un Il-76, un gros-porteur*). Improvised explosive devices are not covered.

Quantities. ``quantity`` is the count written right before the mention, or before the
class noun that heads it, possibly across a few adjectives (*deux autres Su-25*):
digits (*12*, *1 200*), number words (*trois*, *vingt-quatre*), approximate nouns at their
nominal value (*une dizaine de* = 10, *une douzaine de* = 12, *deux centaines de* = 200,
*un millier de* = 1000) and *N exemplaires de*. Hedges before the number do not change it
(*près de 30*, *environ 12*, *plus de 50* give 30, 12, 50). *un*/*une* alone are read as
articles, not counts (quantity null), except in *un seul*/*une seule* (1). Plural
approximations without a number (*des dizaines de*) and year-like numbers after *en*,
*depuis* or a month name give null.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from pipeline.text import fold
from pipeline.types import EQUIPMENT_CATEGORIES, Mention

DATA_DIR = Path(__file__).parent / "data"
MODELS_FILE = DATA_DIR / "equipment.jsonl"
CLASSES_FILE = DATA_DIR / "equipment_classes.jsonl"
LABEL = "EQUIPMENT"
METHOD = "equipment_rules"

# Words after which a context-bound name (Tigre, Puma, Serval...) is read as equipment.
CONTEXT_WORDS = frozenset(
    [
        "hélicoptère", "hélicoptères", "avion", "avions", "drone", "drones", "char", "chars",
        "blindé", "blindés", "véhicule", "véhicules", "système", "systèmes", "missile", "missiles",
        "batterie", "batteries", "lanceur", "lanceurs", "appareil", "appareils", "engin", "engins",
        "chasseur", "chasseurs", "obusier", "obusiers", "lance-roquettes", "canon", "canons",
        "radar", "radars", "frégate", "frégates", "modèle", "modèles", "type", "types", "version",
        "versions"
    ]
)  # fmt: skip
_FOLDED_CONTEXT = frozenset(fold(w) for w in CONTEXT_WORDS)
# Words that cannot stand between a class noun and the model it heads.
_GAP_STOP = frozenset(
    [
        "et", "ou", "ni", "de", "d'", "du", "des", "le", "la", "les", "l'", "un", "une", "à", "au",
        "aux", "dont", "qui", "que", "qu'", "en", "par", "pour", "avec", "sur", "dans", "sans",
        "mais", "comme", "contre", "vers", "chez", "entre", "ses", "son", "sa", "leur", "leurs",
        "ces", "ce", "cet", "cette", "plus", "ainsi", "notamment", "y", "compris", "est", "sont",
        "a", "ont", "été", "être", "puis", "aussi"
    ]
)  # fmt: skip
_TYPE_GAPS = {
    ("de", "type"), ("du", "type"), ("de", "types"), ("de", "modele"), ("du", "modele"),
    ("de", "classe"), ("du", "projet"), ("de", "version"),
}  # fmt: skip
# Words after which a bare singular class noun is a complement, not materiel: "pilote
# d'avion", "billet d'avion", "descente d'avion" (a count noun takes a plural: "lot de drones").
_COMPLEMENT_OF = frozenset({"de", "d'"})

_NUMBER_WORDS = {
    "un": 1, "une": 1, "deux": 2, "trois": 3, "quatre": 4, "cinq": 5, "six": 6, "sept": 7,
    "huit": 8, "neuf": 9, "dix": 10, "onze": 11, "douze": 12, "treize": 13, "quatorze": 14,
    "quinze": 15, "seize": 16, "vingt": 20, "vingts": 20, "trente": 30, "quarante": 40,
    "cinquante": 50, "soixante": 60, "cent": 100, "cents": 100, "mille": 1000,
}  # fmt: skip
_APPROX_NOUNS = {
    "dizaine": 10, "douzaine": 12, "quinzaine": 15, "vingtaine": 20, "trentaine": 30,
    "quarantaine": 40, "cinquantaine": 50, "soixantaine": 60, "centaine": 100,
    "millier": 1000, "million": 1_000_000,
}  # fmt: skip
_COUNT_UNITS = frozenset({"exemplaire", "exemplaires", "unite", "unites"})
_QUANTITY_SKIP = frozenset(
    [
        "nouveau", "nouvel", "nouvelle", "nouveaux", "nouvelles", "autre", "autres", "premier",
        "premiers", "premiere", "premieres", "dernier", "derniers", "derniere", "dernieres", "seul",
        "seule", "seuls", "seules", "modernes", "anciens", "anciennes", "vieux", "petits",
        "petites", "gros", "grosses", "puissants", "puissantes"
    ]
)  # fmt: skip
_YEAR_CONTEXT = frozenset(
    [
        "en", "depuis", "annee", "fin", "debut", "mi", "janvier", "fevrier", "mars", "avril", "mai",
        "juin", "juillet", "aout", "septembre", "octobre", "novembre", "decembre"
    ]
)  # fmt: skip

_DIGITS = re.compile(r"\d+(?:[.\u202f\u00a0]\d{3})*")
_FUSED_SUFFIX = re.compile(r"^(\D*\d+)([a-z][a-z0-9-]{0,7})$")
_SPLIT_SUFFIX = re.compile(r"[A-Z][A-Za-z0-9]{0,4}")
_HYPHEN_SUFFIX = re.compile(r"[A-Z0-9][A-Za-z0-9]{0,5}")
_SENTENCE_OPENERS = frozenset({".", "!", "?", "…", "«", '"', "“", ":", ";", "—", "–", "-", "("})
_KIND_RANK = {"block": 0, "model": 1, "class": 2}


@dataclass(frozen=True, slots=True)
class Pattern:
    """What a matched token sequence means."""

    kind: str  # "model", "class" or "block"
    category: str | None = None
    model: str | None = None
    cased: bool = False  # every word must start with a capital in the text
    context: frozenset[str] | None = None  # None: free; empty: CONTEXT_WORDS; else these words


@lru_cache(maxsize=1)
def _tokenizer():
    import spacy

    return spacy.blank("fr")


def _read_jsonl(path: Path) -> list[dict]:
    with path.open(encoding="utf-8") as handle:
        return [json.loads(line) for line in handle if line.strip()]


def load_models(path: Path = MODELS_FILE) -> tuple[list[dict], dict[str, dict]]:
    """Model entries and maker entries (by canonical maker name) from the data file."""
    models, makers = [], {}
    for entry in _read_jsonl(path):
        if "model" in entry:
            models.append(entry)
        else:
            makers[entry["maker"]] = entry
    return models, makers


def load_classes(path: Path = CLASSES_FILE) -> list[dict]:
    """Generic class and block entries from the data file."""
    return _read_jsonl(path)


def class_forms(entry: dict) -> list[str]:
    """The forms of a class entry. A ``heads`` entry is a small grammar: each head noun
    with each general complement (*de guerre*, *de combat*, *légers*) is a class of the
    head's category."""
    if "heads" in entry:
        return [f"{head} {tail}" for head in entry["heads"] for tail in entry["complements"]]
    return entry["forms"]


def coordinated(keys: list[tuple[str, ...]]) -> set[tuple[str, ...]]:
    """Two classes of one head coordinated with *et*: *drones de surveillance et de combat*,
    *véhicules anti-mines et anti-embuscades*, *système de défense antiaérienne et
    antimissile*. For two keys with the same head, the first is followed by *et* and the
    second's tail (after their common prefix, after the *de* that ends it, or after the head)."""
    out: set[tuple[str, ...]] = set()
    by_head: dict[str, list[tuple[str, ...]]] = {}
    for key in keys:
        if len(key) >= 2:
            by_head.setdefault(key[0], []).append(key)
    for group in by_head.values():
        for a in group:
            for b in group:
                if a == b or a[0].endswith("s") != b[0].endswith("s"):
                    continue
                common = 0
                while common < min(len(a), len(b)) and a[common] == b[common]:
                    common += 1
                if common == len(b):
                    continue
                splits = {common, 1}
                if a[common - 1] in ("de", "d'"):
                    splits.add(common - 1)
                for split in splits:
                    tail = b[split:]
                    if 0 < len(tail) <= 4:
                        out.add((*a, "et", *tail))
    return out


def _hyphen_forms(text: str) -> set[str]:
    """The text as written, hyphens as spaces, no hyphen before a digit or after anti-/multi-."""
    forms = {text}
    if "-" in text:
        forms.add(text.replace("-", " "))
        forms.add(re.sub(r"-(?=\d)", "", text))
        forms.add(re.sub(r"\b(anti|multi)-", r"\1", text))
    return forms


def _plural(text: str) -> str | None:
    """French plural in -s of a spelling that ends with an ordinary word, else None."""
    last = text.split()[-1]
    if len(last) >= 4 and last.isalpha() and not last.isupper() and last[-1] not in "sxz":
        return text + "s"
    return None


def _model_spellings(entry: dict, makers: dict[str, dict]) -> Iterator[tuple[str, bool, bool]]:
    """(spelling, is_name, plural_ok) for one model entry, before hyphen variants."""
    aliases = list(entry.get("aliases", []))
    names = list(entry.get("names", []))
    maker = makers.get(entry.get("maker", ""), {})
    maker_aliases = maker.get("aliases", [])
    designations = [alias for alias in aliases if any(char.isdigit() for char in alias)]
    prefix = maker.get("number_prefix")
    for alias in aliases:
        yield alias, False, True
        for maker_alias in maker_aliases:
            yield f"{maker_alias} {alias}", False, True
    for name in names:
        yield name, True, True
        for maker_alias in maker_aliases:
            yield f"{maker_alias} {name}", False, True
        for designation in designations:
            yield f"{designation} {name}", False, False
            yield f"{name} {designation}", False, False
    if prefix:
        for alias in aliases:
            if (
                alias.startswith(prefix + "-")
                and alias[len(prefix) + 1 : len(prefix) + 2].isdigit()
            ):
                number = alias[len(prefix) + 1 :]
                for maker_alias in maker_aliases:
                    yield f"{maker_alias}-{number}", False, False


def _key(text: str, tokenize: Callable[[str], list[str]] | None = None) -> tuple[str, ...]:
    """The folded tokens of a spelling, cut by ``tokenize`` (default: spaCy's blank French
    tokenizer; the pipeline component passes its own model's)."""
    words = tokenize(text) if tokenize else [token.text for token in _tokenizer().make_doc(text)]
    return tuple(fold(word) for word in words)


def _add(table: dict, key: tuple[str, ...], pattern: Pattern, owner: str) -> None:
    """Add a pattern; the less restrictive wins within one owner, owners may not collide."""
    if not key:
        return
    if key in table:
        old_pattern, old_owner = table[key]
        if old_owner != owner:
            raise ValueError(f"spelling {' '.join(key)!r} maps to both {old_owner} and {owner}")
        if (old_pattern.cased, old_pattern.context is not None) <= (
            pattern.cased,
            pattern.context is not None,
        ):
            return
    table[key] = (pattern, owner)


def build_table(
    models: list[dict],
    makers: dict[str, dict],
    classes: list[dict],
    tokenize: Callable[[str], list[str]] | None = None,
) -> dict[tuple[str, ...], Pattern]:
    """Every folded token sequence that names equipment, with its meaning.

    Raises ValueError when one spelling would mean two different things.
    """
    table: dict[tuple[str, ...], tuple[Pattern, str]] = {}
    for entry in models:
        context = entry.get("context")
        context_set = None
        if context is True:
            context_set = frozenset()
        elif context:
            context_set = frozenset(fold(word) for word in context)
        owner = f"model {entry['model']}"
        for spelling, is_name, plural_ok in _model_spellings(entry, makers):
            variants = _hyphen_forms(spelling)
            if plural_ok:
                variants |= {p for v in variants if (p := _plural(v))}
            for variant in variants:
                short_first = " " in variant and len(variant.split()[0]) <= 2
                pattern = Pattern(
                    "model",
                    entry["category"],
                    entry["model"],
                    cased=is_name or (short_first and variant not in entry.get("aliases", [])),
                    context=context_set if is_name else None,
                )
                _add(table, _key(variant, tokenize), pattern, owner)
    for entry in classes:
        kind = "block" if entry.get("block") else "class"
        pattern = Pattern(kind, entry.get("category"))
        for form in class_forms(entry):
            owner = f"{kind} {entry.get('category')}" if kind == "class" else "block"
            for variant in _hyphen_forms(form):
                _add(table, _key(variant, tokenize), pattern, owner)
    by_category: dict[str, list[tuple[str, ...]]] = {}
    for key, (pattern, _owner) in table.items():
        if pattern.kind == "class":
            by_category.setdefault(pattern.category, []).append(key)
    for category, keys in by_category.items():
        pattern = Pattern("class", category)
        for key in coordinated(keys):
            if key not in table:
                table[key] = (pattern, f"class {category}")
    return {key: pattern for key, (pattern, _owner) in table.items()}


class EquipmentMatcher:
    """Every folded token sequence that names equipment (`build_table`), looked up by its
    first word. Matching reads token texts only: no second Doc, no vocabulary of its own,
    so nothing grows with the corpus."""

    def __init__(self, table: dict[tuple[str, ...], Pattern]):
        self.by_first: dict[str, list[tuple[tuple[str, ...], Pattern]]] = {}
        for key, pattern in table.items():
            self.by_first.setdefault(key[0], []).append((key, pattern))
        self.words = frozenset(word for key in table for word in key)

    @classmethod
    def from_data(
        cls,
        models: list[dict],
        makers: dict[str, dict],
        classes: list[dict],
        tokenize: Callable[[str], list[str]] | None = None,
    ) -> EquipmentMatcher:
        return cls(build_table(models, makers, classes, tokenize))

    def matches(self, folded: list[str]) -> list[tuple[Pattern, int, int]]:
        """Every (pattern, start, end) whose key is the folded tokens start:end."""
        found = []
        for start, word in enumerate(folded):
            for key, pattern in self.by_first.get(word, ()):
                end = start + len(key)
                if end <= len(folded) and tuple(folded[start:end]) == key:
                    found.append((pattern, start, end))
        return found


@lru_cache(maxsize=1)
def default_matcher() -> EquipmentMatcher:
    """The matcher over the package's data files, spellings cut by the blank French
    tokenizer (the pipeline component builds its own with the model's tokenizer)."""
    models, makers = load_models()
    return EquipmentMatcher.from_data(models, makers, load_classes())


@lru_cache(maxsize=200_000)
def _normalise(text: str, words: frozenset[str]) -> tuple[str, str | None]:
    """A token's folded form, and the fused variant suffix cut off to reach a known
    designation (*Su-30SM* gives ``su-30`` and ``SM``), or None."""
    word = fold(text)
    if word in words or not any(char.isdigit() for char in word):
        return word, None
    found = _FUSED_SUFFIX.match(word)
    if found and found.group(1) in words:
        return found.group(1), text[len(text) - len(found.group(2)) :]
    return word, None


def _folded(doc, words: frozenset[str]) -> tuple[list[str], dict[int, str], dict[int, int]]:
    """Folded token texts with fused variant suffixes cut off; the suffixes cut and the
    sentence-final periods glued to a designation (*CH-4B.*), both by token index."""
    folded, suffixes, trims = [], {}, {}
    for token in doc:
        word, suffix = _normalise(token.text, words)
        if word not in words and len(token.text) > 2 and token.text.endswith("."):
            bare, bare_suffix = _normalise(token.text[:-1], words)
            if bare in words:
                word, suffix, trims[token.i] = bare, bare_suffix, 1
        if suffix and suffix not in ("s", "S"):
            suffixes[token.i] = suffix
        folded.append(word)
    return folded, suffixes, trims


def _capitalised(doc, start: int, end: int) -> bool:
    return all(token.text[0].isupper() for token in doc[start:end] if token.text[0].isalpha())


def _class_case(doc, start: int) -> bool:
    """A class noun is lower case, all capitals, or capitalised at a sentence start
    (*Canon*, *Grenade* inside a sentence are a brand and a city)."""
    first = doc[start].text
    if first.islower() or first.isupper():
        return True
    if start == 0:
        return True
    before = doc[start - 1]
    return before.is_space or "\n" in before.whitespace_ or before.text in _SENTENCE_OPENERS


def _has_context(doc, start: int, pattern: Pattern, class_ends: set[int]) -> bool:
    """A context-bound name needs a class noun or context word just before it."""
    words = pattern.context or _FOLDED_CONTEXT
    if not pattern.context and start in class_ends:
        return True
    if start >= 1 and fold(doc[start - 1].text) in words:
        return True
    if start >= 2:
        between = doc[start - 1]
        return (
            between.is_alpha
            and between.is_lower
            and between.lower_ not in _GAP_STOP
            and fold(doc[start - 2].text) in words
        )
    return False


def _coordinated(doc, start: int, pattern: Pattern, model_ends: dict[int, str]) -> bool:
    """A name coordinated with a model of its category (*des Puma et des Gazelle*)."""
    j = start - 1
    if j >= 0 and fold(doc[j].text) in ("des", "les", "le", "la", "l'", "un", "une", "deux"):
        j -= 1
    if j < 1 or fold(doc[j].text) not in ("et", "ou", ","):
        return False
    return model_ends.get(j) == pattern.category


def _variant_suffix(
    doc, end: int, suffixes: dict[int, str], trims: dict[int, int], model: str
) -> tuple[str, int]:
    """The variant suffix after a model match and the new end token."""
    if end - 1 in suffixes:
        return (suffixes[end - 1], end) if model[-1].isdigit() else ("", end)
    last = doc[end - 1]
    if last.whitespace_ or end >= len(doc) or end - 1 in trims:
        return "", end
    following = doc[end]
    if (
        following.text == "-"
        and not following.whitespace_
        and end + 1 < len(doc)
        and _HYPHEN_SUFFIX.fullmatch(doc[end + 1].text)
    ):
        return "-" + doc[end + 1].text, end + 2
    if model[-1].isdigit() and _SPLIT_SUFFIX.fullmatch(following.text):
        return following.text, end + 1
    return "", end


def _heads(doc, class_end: int, model_start: int) -> bool:
    """True when the class noun ending at class_end heads the model starting at model_start:
    directly or across an adjective (*hélicoptères français Tigre*), *de type* / *de classe*
    (*corvettes furtives de classe Gowind*), or a bracketed acronym (*VTT*)."""
    tokens = doc[class_end:model_start]
    gap = [fold(token.text) for token in tokens]
    if tuple(gap) in _TYPE_GAPS:
        return True
    if (
        2 < len(gap) <= 8
        and tuple(gap[-2:]) in _TYPE_GAPS
        and all(token.is_alpha or token.text == "-" for token in tokens)
    ):
        return True
    if len(gap) == 3 and gap[0] == "(" and gap[2] == ")" and tokens[1].text.isupper():
        return True
    if gap in (["du"], ["de"]) and fold(doc[model_start].text) in ("projet", "type", "classe"):
        return True  # *sous-marins du projet 636*
    if len(gap) > 2:
        return False
    return all(
        token.is_alpha and token.is_lower and fold(token.text) not in _GAP_STOP
        for token in doc[class_end:model_start]
    )


def _number_before(doc, end: int, allow_one: bool) -> int | None:
    """The number written by the tokens that end right before token `end`, if any."""
    j = end - 1
    if j < 0:
        return None
    if _DIGITS.fullmatch(doc[j].text):
        value = doc[j].text
        while (
            len(value.split()[0]) == 3
            and j >= 1
            and re.fullmatch(r"\d{1,3}", doc[j - 1].text)
            and doc[j - 1].whitespace_
        ):
            j -= 1
            value = doc[j].text + " " + value
        if j >= 1 and fold(doc[j - 1].text) in _YEAR_CONTEXT:
            return None
        number = int(re.sub(r"\D", "", value))
        return number or None
    parts: list[str] = []
    while j >= 0:
        word = fold(doc[j].text)
        pieces = word.split("-")
        if all(piece in _NUMBER_WORDS for piece in pieces):
            parts[:0] = pieces
        elif word == "et" and parts and j >= 1 and fold(doc[j - 1].text) in _NUMBER_WORDS:
            pass
        else:
            break
        j -= 1
    if not parts or (parts in (["un"], ["une"]) and not allow_one):
        return None
    return _parse_number_words(parts)


def _parse_number_words(parts: list[str]) -> int:
    total, current = 0, 0
    for part in parts:
        value = _NUMBER_WORDS[part]
        if value == 100:
            current = (current or 1) * 100
        elif value == 1000:
            total += (current or 1) * 1000
            current = 0
        elif value == 20 and current % 100 == 4:
            current = current - 4 + 80  # quatre-vingt(s)
        else:
            current += value
    return total + current


def quantity_before(doc, start: int) -> int | None:
    """The count stated right before token `start` (see the module docstring)."""
    j = start
    if (
        j >= 2
        and fold(doc[j - 1].text) in ("de", "d'", "du")
        and fold(doc[j - 2].text) in _COUNT_UNITS
    ):
        j -= 2
    allow_one = False
    for _ in range(2):
        if j >= 1 and fold(doc[j - 1].text) in _QUANTITY_SKIP:
            allow_one = allow_one or fold(doc[j - 1].text).startswith("seul")
            j -= 1
    if j >= 1 and fold(doc[j - 1].text) in ("de", "d'"):
        if j >= 2:
            noun = fold(doc[j - 2].text).rstrip("s")
            if noun in _APPROX_NOUNS:
                times = _number_before(doc, j - 2, allow_one=True)
                return times * _APPROX_NOUNS[noun] if times else None
        return None
    return _number_before(doc, j, allow_one)


@dataclass(slots=True)
class _Found:
    pattern: Pattern
    start: int  # token offsets, end exclusive
    end: int
    anchor: int  # token before which the count is read
    model: str | None = None


def _candidates(doc, raw: list[tuple[Pattern, int, int]]) -> list[tuple[Pattern, int, int]]:
    """Matches whose capitalisation and context fit the pattern."""
    class_ends = {end for pattern, _start, end in raw if pattern.kind == "class"}
    kept = []
    model_ends: dict[int, str] = {}  # end token of an accepted model -> its category
    for pattern, start, end in sorted(raw, key=lambda match: match[1]):
        if pattern.cased and not _capitalised(doc, start, end):
            continue
        if pattern.kind == "class" and not _class_case(doc, start):
            continue
        if (
            pattern.context is not None
            and not _has_context(doc, start, pattern, class_ends)
            and not _coordinated(doc, start, pattern, model_ends)
        ):
            continue
        kept.append((pattern, start, end))
        if pattern.kind == "model":
            model_ends[end] = pattern.category
    return kept


def _longest(candidates: list[tuple[Pattern, int, int]], n_tokens: int) -> list[_Found]:
    """Non-overlapping matches, longest first; blocks win ties and then yield nothing."""
    taken = [False] * n_tokens
    chosen = []
    for pattern, start, end in sorted(
        candidates, key=lambda c: (c[1] - c[2], c[1], _KIND_RANK[c[0].kind])
    ):
        if any(taken[start:end]):
            continue
        taken[start:end] = [True] * (end - start)
        if pattern.kind != "block":
            chosen.append(_Found(pattern, start, end, anchor=start))
    return sorted(chosen, key=lambda found: found.start)


def _drop_heads(doc, found: list[_Found]) -> list[_Found]:
    """Remove class nouns that head the next model; the model takes over their count."""
    kept = []
    for index, item in enumerate(found):
        following = found[index + 1] if index + 1 < len(found) else None
        if (
            item.pattern.kind == "class"
            and following is not None
            and following.pattern.kind == "model"
            and _heads(doc, item.end, following.start)
        ):
            following.anchor = item.anchor
            continue
        if (  # *Kalachnikov de type AK-47*: only the type is the mention
            item.pattern.kind == "model"
            and following is not None
            and following.pattern.kind == "model"
            and tuple(fold(t.text) for t in doc[item.end : following.start]) in _TYPE_GAPS
        ):
            following.anchor = item.anchor
            continue
        kept.append(item)
    return kept


def _is_complement(doc, start: int, end: int) -> bool:
    """A bare singular class noun after *de*/*d'* and a noun: *pilotes d'avion*."""
    word = fold(doc[start].text)
    return (
        end - start == 1
        and start >= 2
        and not word.endswith(("s", "x"))
        and fold(doc[start - 1].text) in _COMPLEMENT_OF
        and doc[start - 2].is_alpha
        and doc[start - 2].is_lower
        and fold(doc[start - 2].text) not in _GAP_STOP
        and fold(doc[start - 2].text) not in _QUANTITY_NOUNS
    )


_QUANTITY_NOUNS = frozenset(
    ["lot", "lots", "flotte", "escadrille", "type", "modele", "version", "achat", "livraison",
     "commande", "acquisition", "don", "vente", "fourniture", "cession", "exemplaire"]
)  # fmt: skip
_CALIBRE_UNITS = frozenset({"mm", "millimetres", "millimètres"})


def _calibre_end(doc, end: int) -> int:
    """The end of a calibre complement after a class (*torpilles de 533 mm*), else ``end``."""
    if (
        end + 2 < len(doc)
        and fold(doc[end].text) == "de"
        and doc[end + 1].like_num
        and fold(doc[end + 2].text) in _CALIBRE_UNITS
    ):
        return end + 3
    return end


_VESSEL_PREFIX = re.compile(r"^(?:al|el|an|as|ar|ad)-[A-ZÀ-Ý]")
_VESSEL_ARTICLES = frozenset({"al", "el", "an", "as", "ar", "ad"})


def _vessel_name_end(doc, start: int) -> int:
    """The end of a vessel's name starting at ``start`` (*el-Nasr*, *Amiral Ronarc'h*)."""
    end = start
    while end < len(doc) and end - start < 3:
        text = doc[end].text
        if (  # "al - Munjid" as three tokens
            text.lower() in _VESSEL_ARTICLES
            and end + 2 < len(doc)
            and doc[end + 1].text == "-"
            and doc[end + 2].text[:1].isupper()
        ):
            end += 3
            continue
        if not (_VESSEL_PREFIX.match(text) or (doc[end].is_alpha and text[:1].isupper())):
            break
        end += 1
    return end


def _demonym(word: str) -> bool:
    from pipeline import gazetteers

    return gazetteers.demonym_iso3(word) is not None


def _state(text: str) -> bool:
    from pipeline import gazetteers

    return gazetteers.state_iso3(text) is not None


def _named_vessels(doc, found: list[_Found]) -> list[_Found]:
    """A ship class noun (one adjective may follow) before a name: the name is the mention
    (*le patrouilleur égyptien el-Nasr*); the class noun heads it."""
    out = []
    for item in found:
        if (  # a named vessel follows a singular class noun
            item.pattern.kind == "class"
            and item.pattern.category == "ship"
            and not fold(doc[item.start].text).endswith(("s", "x"))
        ):
            j = item.end
            after = doc[j] if j < len(doc) else None
            if after is not None and after.is_lower and _demonym(after.text):
                j += 1  # one demonym between: le patrouilleur égyptien el-Nasr
            end = _vessel_name_end(doc, j)
            if end > j and (_demonym(doc[j:end].text) or _state(doc[j:end].text)):
                end = j  # *le navire Sénégal* names the state's ship, not a vessel
            if end > j and not any(f.start < end and j < f.end for f in found if f is not item):
                out.append(_Found(Pattern("model", "ship", None), j, end, anchor=item.anchor))
                continue
        out.append(item)
    return out


@dataclass(frozen=True, slots=True)
class Found:
    """One equipment mention as tokens of the Doc (end exclusive)."""

    start: int
    end: int
    category: str
    model: str | None
    quantity: int | None
    trim: int = 0  # characters of the last token that are not the mention (a glued period)


def find_equipment_spans(doc, matcher: EquipmentMatcher | None = None) -> list[Found]:
    """EQUIPMENT mentions in a tokenized spaCy Doc as token spans, in text order."""
    state = matcher or default_matcher()
    folded, suffixes, trims = _folded(doc, state.words)
    raw = state.matches(folded)
    raw = [m for m in raw if not (m[0].kind == "class" and _is_complement(doc, m[1], m[2]))]
    found = _named_vessels(doc, _longest(_candidates(doc, raw), len(doc)))
    for item in found:
        if item.pattern.kind == "class":
            item.end = _calibre_end(doc, item.end)
    for index, item in enumerate(found):
        if item.pattern.kind != "model" or item.pattern.model is None:
            continue
        suffix, end = _variant_suffix(doc, item.end, suffixes, trims, item.pattern.model)
        next_start = found[index + 1].start if index + 1 < len(found) else len(doc)
        if end <= next_start:
            item.end = end
        else:
            suffix = ""
        item.model = item.pattern.model + suffix
    return [
        Found(
            item.start,
            item.end,
            item.pattern.category,
            item.model,
            quantity_before(doc, item.anchor),
            trims.get(item.end - 1, 0),
        )
        for item in _drop_heads(doc, found)
    ]


def find_equipment(doc, matcher: EquipmentMatcher | None = None) -> list[Mention]:
    """EQUIPMENT mentions in a tokenized spaCy Doc, in text order, as character spans."""
    mentions = []
    text = doc.text  # a property that rebuilds the string: read it once
    for item in find_equipment_spans(doc, matcher):
        last = doc[item.end - 1]
        begin = doc[item.start].idx
        finish = last.idx + len(last.text) - item.trim
        mentions.append(
            Mention(
                start=begin,
                end=finish,
                text=text[begin:finish],
                label=LABEL,
                norm=item.category,
                category=item.category,
                model=item.model,
                method=METHOD,
                sent_id=-1,
                quantity=item.quantity,
            )
        )
    return mentions


def check_data() -> list[str]:
    """Problems in the data files (empty when they are well-formed)."""
    problems = []
    models, makers = load_models()
    seen: set[str] = set()
    for entry in models:
        if entry.get("category") not in EQUIPMENT_CATEGORIES:
            problems.append(f"{entry['model']}: category {entry.get('category')!r}")
        if entry["model"] in seen:
            problems.append(f"{entry['model']}: listed twice")
        seen.add(entry["model"])
        if entry.get("maker") and entry["maker"] not in makers:
            problems.append(f"{entry['model']}: unknown maker {entry['maker']!r}")
        if not entry.get("aliases") and not entry.get("names"):
            problems.append(f"{entry['model']}: no spelling")
    for entry in load_classes():
        if not entry.get("block") and entry.get("category") not in EQUIPMENT_CATEGORIES:
            problems.append(f"class {entry.get('forms')}: category {entry.get('category')!r}")
    try:
        build_table(models, makers, load_classes())
    except ValueError as error:
        problems.append(str(error))
    return problems
