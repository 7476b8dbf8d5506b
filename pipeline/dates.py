"""DATE stage: find French calendar expressions and normalise them to ISO 8601.

Detection walks the tokens of a spaCy ``Doc`` and uses only tokenizer attributes
(text, offsets, whitespace), so it runs on the fast pass without tagger or parser.
At each token a small set of rules is tried and the longest match wins; the scan then
jumps past it. The vocabulary (months, weekdays, qualifiers, relative words, number
words, context words, tense markers) lives in ``data/dates_fr.json``.

Norms keep the precision the text gives: ``2024-11-28`` for a day, ``2024-04`` for a
month (also *mi-mars*, *fin août*), ``2023`` for a year (also *fin 2023*). Partial and
relative expressions are resolved against the document date; what cannot be resolved
(no document date, or a month-only date for a day-relative expression) gets ``None``.

Spans carry no leading determiner or preposition (*le 26 mars* → ``26 mars``), except
the fixed relative expressions, which keep their article (*l'an dernier*,
*la semaine dernière*, *le mois dernier*).
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, timedelta
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING

from pipeline.types import Mention

if TYPE_CHECKING:  # pragma: no cover
    from spacy.language import Language
    from spacy.tokens import Doc

DATA_PATH = Path(__file__).parent / "data" / "dates_fr.json"
METHOD = "date_rules"
LABEL = "DATE"

# The nearest-date rule decides; a clause's tense overrides it only for a date on the
# tense's side within nine months (so only when the nearest date is 3+ months away:
# past-tense news often states coming deadlines, *avait jusqu'au 15 septembre*).
TENSE_HORIZON_DAYS = 274
TENSE_HORIZON_MONTHS = 9

_DOC_DATE = re.compile(r"^\s*(\d{4})(?:-(\d{1,2}))?(?:-(\d{1,2}))?\s*$")
_NUMERIC_DMY = re.compile(r"^(\d{1,2})([/.])(\d{1,2})\2(\d{4}|\d{2})$")
_NUMERIC_YMD = re.compile(r"^(\d{4})([/-])(\d{1,2})\2(\d{1,2})$")


# --- document date ------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class DocDate:
    """The document date at the precision it was given (month and day may be None)."""

    year: int
    month: int | None = None
    day: int | None = None

    @property
    def day_date(self) -> date | None:
        """The document day, if known to the day."""
        if self.month is None or self.day is None:
            return None
        return date(self.year, self.month, self.day)

    def day_range(self) -> tuple[date, date] | None:
        """First and last day the document date may stand for (None without a month)."""
        if self.month is None:
            return None
        if self.day is not None:
            day = date(self.year, self.month, self.day)
            return day, day
        first = date(self.year, self.month, 1)
        return first, _add_months(first, 1) - timedelta(days=1)


def parse_doc_date(value: str | None) -> DocDate | None:
    """Parse ``YYYY``, ``YYYY-MM`` or ``YYYY-MM-DD``; anything else gives None."""
    if not value or not isinstance(value, str):
        return None
    found = _DOC_DATE.match(value)
    if not found:
        return None
    year = int(found.group(1))
    month = int(found.group(2)) if found.group(2) else None
    day = int(found.group(3)) if found.group(3) else None
    try:
        date(year, month or 1, day or 1)
    except ValueError:
        return None
    return DocDate(year, month, day)


# --- vocabulary -----------------------------------------------------------------------


@dataclass(frozen=True)
class Lexicon:
    """French calendar vocabulary, loaded from ``data/dates_fr.json``."""

    months: dict[str, int]
    weekdays: dict[str, int]
    day_ordinals: dict[str, int]
    qualifiers: frozenset[str]
    seasons: frozenset[str]
    relative_days: dict[str, int]
    before_words: frozenset[str]
    after_words: frozenset[str]
    this_words: frozenset[str]
    determiners: frozenset[str]
    period_units: dict[str, str]
    ago_units: dict[str, str]
    number_words: dict[str, int]
    year_min: int
    year_max: int
    year_context: frozenset[str]
    year_context_after_a: frozenset[str]
    year_chain_words: frozenset[str]
    quantity_before_de: frozenset[str]
    not_before_year: frozenset[str]
    plural_function_words: frozenset[str]
    habitual_before_weekday: frozenset[str]
    clause_boundaries: frozenset[str]
    sentence_boundaries: frozenset[str]
    past_words: frozenset[str]
    past_suffixes: tuple[str, ...]
    past_auxiliaries_etre: frozenset[str]
    past_participle_endings: tuple[str, ...]
    future_words: frozenset[str]
    future_suffixes: tuple[str, ...]
    future_suffix_exceptions: frozenset[str]
    # page furniture and chronicles (issue 16); optional keys of the data file
    months_en: dict[str, int] = field(default_factory=dict)  # English captions
    range_links: frozenset[str] = frozenset()  # *12 et 13 mai*, *11-31 mars*
    vague_amounts: frozenset[str] = frozenset()  # *il y a quelques semaines*
    decade_words: frozenset[str] = frozenset()  # *les années 1990*
    period_of_words: dict[str, str] = field(default_factory=dict)  # *début de l'année*
    chronicle_followers: frozenset[str] = frozenset()  # *Le 11, ...* in a chronicle


@lru_cache(maxsize=4)
def load_lexicon(path: Path = DATA_PATH) -> Lexicon:
    """Read the vocabulary file once."""
    raw = json.loads(Path(path).read_text(encoding="utf-8"))
    tense = raw["tense"]
    units = {w: "week" for w in raw["week_words"]}
    units.update({w: "month" for w in raw["month_words"]})
    units.update({w: "year" for w in raw["year_words"]})
    units.update({w: "day" for w in raw.get("day_words", [])})
    return Lexicon(
        months=raw["months"],
        weekdays=raw["weekdays"],
        day_ordinals=raw["day_ordinals"],
        qualifiers=frozenset(raw["qualifiers"]),
        seasons=frozenset(raw["seasons"]),
        relative_days=raw["relative_days"],
        before_words=frozenset(raw["before_words"]),
        after_words=frozenset(raw["after_words"]),
        this_words=frozenset(raw["this_words"]),
        determiners=frozenset(raw["determiners"]),
        period_units=units,
        ago_units=raw["ago_units"],
        number_words=raw["number_words"],
        year_min=raw["year_range"][0],
        year_max=raw["year_range"][1],
        year_context=frozenset(raw["year_context"]),
        year_context_after_a=frozenset(raw["year_context_after_a"]),
        year_chain_words=frozenset(raw["year_chain_words"]),
        quantity_before_de=frozenset(raw["quantity_before_de"]),
        not_before_year=frozenset(raw["not_before_year"]),
        plural_function_words=frozenset(raw["plural_function_words"]),
        habitual_before_weekday=frozenset(raw["habitual_before_weekday"]),
        clause_boundaries=frozenset(raw["clause_boundaries"]),
        sentence_boundaries=frozenset(raw["sentence_boundaries"]),
        past_words=frozenset(tense["past_words"]),
        past_suffixes=tuple(tense["past_suffixes"]),
        past_auxiliaries_etre=frozenset(tense["past_auxiliaries_etre"]),
        past_participle_endings=tuple(tense["past_participle_endings"]),
        future_words=frozenset(tense["future_words"]),
        future_suffixes=tuple(tense["future_suffixes"]),
        future_suffix_exceptions=frozenset(tense["future_suffix_exceptions"]),
        months_en=raw.get("months_en", {}),
        range_links=frozenset(raw.get("range_links", [])),
        vague_amounts=frozenset(raw.get("vague_amounts", [])),
        decade_words=frozenset(raw.get("decade_words", [])),
        period_of_words=raw.get("period_of_words", {}),
        chronicle_followers=frozenset(raw.get("chronicle_followers", [])),
    )


# --- resolution helpers (pure) ----------------------------------------------------------


def _add_months(day: date, months: int) -> date:
    """The first day of the month ``months`` after the month of ``day``."""
    index = day.year * 12 + day.month - 1 + months
    return date(index // 12, index % 12 + 1, 1)


def _month_iso(index: int) -> str | None:
    """``YYYY-MM`` for a month index (year * 12 + month - 1), None outside 1..9999."""
    year, month0 = divmod(index, 12)
    if not 1 <= year <= 9999:
        return None
    return f"{year:04d}-{month0 + 1:02d}"


def _year_iso(year: int) -> str | None:
    return f"{year:04d}" if 1 <= year <= 9999 else None


def iso_day(year: int, month: int, day: int) -> str | None:
    """``YYYY-MM-DD`` if the day exists, else None."""
    try:
        return date(year, month, day).isoformat()
    except ValueError:
        return None


def resolve_day(day: int, month: int, doc: DocDate | None, tense: str | None = None) -> str | None:
    """Year for a day and month without one: the nearest to the document date.

    ``tense`` ("past"/"future") prefers a date on that side of the document date when one
    lies within ``TENSE_HORIZON_DAYS``.
    """
    span = doc.day_range() if doc else None
    if span is None:
        return None
    first, last = span
    candidates = []
    for year in (first.year - 1, first.year, first.year + 1):
        iso = iso_day(year, month, day)
        if iso is None:
            continue
        value = date.fromisoformat(iso)
        distance = (value - first).days if value < first else max(0, (value - last).days)
        candidates.append((distance, iso))
    return _pick_within(candidates, tense, TENSE_HORIZON_DAYS)


def _pick_within(candidates: list[tuple[int, str]], tense: str | None, horizon: int) -> str | None:
    """Nearest candidate, or the nearest on the tense's side if one lies within ``horizon``."""
    if not candidates:
        return None
    if tense in ("past", "future"):
        side = [
            c
            for c in candidates
            if (c[0] <= 0 if tense == "past" else c[0] >= 0) and abs(c[0]) <= horizon
        ]
        if side:
            candidates = side
    return min(candidates, key=lambda c: (abs(c[0]), c[0]))[1]


def resolve_month(
    month: int, doc: DocDate | None, tense: str | None = None, strict: bool = False
) -> str | None:
    """Year for a month without one: the nearest to the document's month.

    ``strict`` (for *mars dernier* / *mars prochain*) excludes the document's own month
    and any month on the wrong side of it.
    """
    if doc is None or doc.month is None:
        return None
    doc_index = doc.year * 12 + doc.month - 1
    candidates = []
    for year in (doc.year - 1, doc.year, doc.year + 1):
        index = year * 12 + month - 1
        distance = index - doc_index
        if strict and (distance >= 0 if tense == "past" else distance <= 0):
            continue
        candidates.append((distance, _month_iso(index)))
    return _pick_within(candidates, tense, TENSE_HORIZON_MONTHS)


def resolve_weekday(weekday: int, doc: DocDate | None, mode: str) -> str | None:
    """Resolve a weekday (0 = Monday) against a document day.

    ``mode``: ``on_or_before`` (bare weekday in past news), ``on_or_after`` (clearly
    future), ``before`` (*mercredi dernier*) or ``after`` (*lundi prochain*).
    """
    today = doc.day_date if doc else None
    if today is None:
        return None
    back = (today.weekday() - weekday) % 7
    ahead = (weekday - today.weekday()) % 7
    if mode == "before":
        back = back or 7
        return (today - timedelta(days=back)).isoformat()
    if mode == "after":
        ahead = ahead or 7
        return (today + timedelta(days=ahead)).isoformat()
    if mode == "on_or_after":
        return (today + timedelta(days=ahead)).isoformat()
    return (today - timedelta(days=back)).isoformat()


def resolve_weekday_day(
    weekday: int, day: int, doc: DocDate | None, tense: str | None = None
) -> str | None:
    """*jeudi 28* without a month: the nearest date that is that weekday and that day."""
    span = doc.day_range() if doc else None
    if span is None:
        return None
    first, last = span
    candidates = []
    for shift in range(-3, 4):
        month_start = _add_months(first, shift)
        iso = iso_day(month_start.year, month_start.month, day)
        if iso is None or date.fromisoformat(iso).weekday() != weekday:
            continue
        value = date.fromisoformat(iso)
        distance = (value - first).days if value < first else max(0, (value - last).days)
        candidates.append((distance, iso))
    return _pick_within(candidates, tense, TENSE_HORIZON_DAYS)


def resolve_day_offset(days: int, doc: DocDate | None) -> str | None:
    """*hier*, *demain*, *il y a trois jours*: a day counted from the document day.
    *aujourd'hui* / *ce jour* in a document dated by month is that month."""
    today = doc.day_date if doc else None
    if today is None:
        if days == 0 and doc is not None and doc.month is not None:
            return f"{doc.year:04d}-{doc.month:02d}"
        return None
    try:
        return (today + timedelta(days=days)).isoformat()
    except OverflowError:
        return None


def resolve_week(weeks: int, doc: DocDate | None) -> str | None:
    """A Monday-to-Sunday week counted from the document's week: its month if the whole
    week lies in one month, else None."""
    today = doc.day_date if doc else None
    if today is None:
        return None
    try:
        monday = today - timedelta(days=today.weekday()) + timedelta(weeks=weeks)
        sunday = monday + timedelta(days=6)
    except OverflowError:
        return None
    if (monday.year, monday.month) != (sunday.year, sunday.month):
        return None
    return f"{monday.year:04d}-{monday.month:02d}"


def resolve_month_offset(months: int, doc: DocDate | None) -> str | None:
    """*le mois dernier*, *il y a deux mois*: a month counted from the document's month."""
    if doc is None or doc.month is None:
        return None
    return _month_iso(doc.year * 12 + doc.month - 1 + months)


def resolve_year_offset(years: int, doc: DocDate | None) -> str | None:
    """*l'an dernier*, *il y a deux ans*: a year counted from the document's year."""
    if doc is None:
        return None
    return _year_iso(doc.year + years)


def resolve_offset(unit: str, amount: int, doc: DocDate | None) -> str | None:
    """Dispatch an offset of ``amount`` ``unit`` (day/week/month/year) from the doc date."""
    if unit == "day":
        return resolve_day_offset(amount, doc)
    if unit == "week":
        return resolve_week(amount, doc)
    if unit == "month":
        return resolve_month_offset(amount, doc)
    return resolve_year_offset(amount, doc)


# --- tokens and matching ------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class _Tok:
    text: str
    low: str  # lower case, typographic apostrophes made straight
    start: int
    end: int
    spaced: bool  # whitespace follows


@dataclass(frozen=True, slots=True)
class _Match:
    first: int  # token index
    last: int  # token index, exclusive
    norm: str | None


def _lower(text: str) -> str:
    return text.lower().replace("\u2019", "'").replace("\u02bc", "'")


def _tokens(doc: Doc) -> list[_Tok]:
    """Token view: drop pure-space tokens, keep line breaks as a boundary token."""
    toks = []
    for token in doc:
        text = token.text
        if text.isspace():
            if "\n" in text:
                toks.append(_Tok(text, "\n", token.idx, token.idx + len(text), True))
            continue
        end = token.idx + len(text)
        toks.append(_Tok(text, _lower(text), token.idx, end, bool(token.whitespace_)))
    return toks


@dataclass
class _Context:
    """Everything a rule needs: tokens, vocabulary, document date, matches so far."""

    toks: list[_Tok]
    lex: Lexicon
    doc: DocDate | None
    ended: set[int] = field(default_factory=set)  # exclusive end indices of matches

    def low(self, i: int) -> str:
        return self.toks[i].low if 0 <= i < len(self.toks) else ""

    def month(self, i: int, abbreviations: bool = True) -> int | None:
        low = self.low(i)
        month = self.lex.months.get(low)
        if month is None or (not abbreviations and low.endswith(".")):
            return None
        return month

    def day(self, i: int) -> int | None:
        if not 0 <= i < len(self.toks):
            return None
        text = self.toks[i].text
        if text.isdecimal() and len(text) <= 2 and 1 <= int(text) <= 31:
            return int(text)
        return self.lex.day_ordinals.get(self.low(i))

    def year(self, i: int) -> int | None:
        if not 0 <= i < len(self.toks):
            return None
        text = self.toks[i].text
        if not (text.isdecimal() and len(text) == 4):
            return None
        value = int(text)
        return value if self.lex.year_min <= value <= self.lex.year_max else None

    def number(self, i: int) -> int | None:
        low = self.low(i)
        if low.isdecimal() and len(low) <= 3:
            return int(low)
        return self.lex.number_words.get(low)

    def free_after(self, i: int) -> bool:
        """False if token ``i`` makes the number before it a quantity (*2000 soldats*)."""
        if not 0 <= i < len(self.toks):
            return True
        tok = self.toks[i]
        if tok.low in self.lex.not_before_year or tok.text.isdecimal():
            return False
        return not (
            tok.text.isalpha()
            and tok.text.islower()
            and len(tok.text) > 2
            and tok.low[-1] in "sx"
            and tok.low not in self.lex.plural_function_words
        )

    def is_past(self, i: int) -> bool:
        """Token ``i`` marks a past clause (*a*, *avaient*, *est parti*)."""
        tok = self.toks[i]
        if tok.low in self.lex.past_words:
            return True
        if tok.low in self.lex.past_auxiliaries_etre:
            following = self.low(i + 1)
            return following.isalpha() and following.endswith(self.lex.past_participle_endings)
        return tok.text.isalpha() and len(tok.low) >= 6 and tok.low.endswith(self.lex.past_suffixes)

    def is_future(self, i: int) -> bool:
        """Token ``i`` marks a future clause (*livrera*, *doit*, *prochain*)."""
        tok = self.toks[i]
        if tok.low in self.lex.future_words:
            return True
        return (
            tok.text.isalpha()
            and tok.text.islower()
            and len(tok.low) >= 4
            and tok.low.endswith(self.lex.future_suffixes)
            and tok.low not in self.lex.future_suffix_exceptions
        )

    def _scope(self, first: int, last: int, stops: frozenset[str]) -> list[int]:
        """Indices around ``first:last`` up to the nearest stop token on each side."""
        out = []
        i = first - 1
        while i >= 0 and self.toks[i].low not in stops:
            out.append(i)
            i -= 1
        i = last
        while i < len(self.toks) and self.toks[i].low not in stops:
            out.append(i)
            i += 1
        return out

    def tense(self, first: int, last: int) -> str | None:
        """The tense of the clause (past, future or None), else of the sentence."""
        sentence_stops = self.lex.sentence_boundaries | {"\n"}
        for stops in (self.lex.clause_boundaries | sentence_stops, sentence_stops):
            scope = self._scope(first, last, stops)
            past = any(self.is_past(t) for t in scope)
            future = any(self.is_future(t) for t in scope)
            if past != future:
                return "past" if past else "future"
            if past and future:
                return None
        return None


Rule = Callable[[_Context, int], "_Match | None"]


def _direction(ctx: _Context, i: int) -> str | None:
    """Direction given by token i: past (*dernier*, *passé*), future (*prochain*) or None."""
    low = ctx.low(i)
    if low in ctx.lex.before_words:
        return "past"
    if low in ctx.lex.after_words:
        return "future"
    return None


def _rule_day_month(ctx: _Context, i: int) -> _Match | None:
    """[weekday] day month [year] [dernier|prochain]; also *jeudi 28* without a month."""
    j = i
    weekday = ctx.lex.weekdays.get(ctx.low(j))
    if weekday is not None:
        j += 1
    day = ctx.day(j)
    if day is None:
        return None
    month = ctx.month(j + 1)
    if month is None:
        if weekday is None or not ctx.toks[j].text.isdecimal() or not ctx.free_after(j + 1):
            return None
        return _Match(i, j + 1, resolve_weekday_day(weekday, day, ctx.doc, ctx.tense(i, j + 1)))
    j += 2
    year = ctx.year(j)
    if year is not None:
        return _Match(i, j + 1, iso_day(year, month, day))
    direction = _direction(ctx, j)
    if direction:
        j += 1
    tense = direction or ctx.tense(i, j)
    return _Match(i, j, resolve_day(day, month, ctx.doc, tense))


def _rule_numeric(ctx: _Context, i: int) -> _Match | None:
    """28/11/2024, 28.11.2024, 2024-11-28 (one token or digit-separator tokens, unspaced)."""
    text, last = ctx.toks[i].text, i + 1
    if not text[:1].isdecimal():
        return None
    if i + 4 < len(ctx.toks) and all(not ctx.toks[k].spaced for k in range(i, i + 4)):
        parts = [ctx.toks[k].text for k in range(i, i + 5)]
        if parts[1] == parts[3] and parts[1] in "-/." and all(p.isdecimal() for p in parts[::2]):
            text, last = "".join(parts), i + 5
    found = _NUMERIC_DMY.match(text) or _NUMERIC_DMY.match(text.replace("-", "/"))
    if found:
        day, month, year = int(found.group(1)), int(found.group(3)), found.group(4)
        year_value = int(year) if len(year) == 4 else 2000 + int(year)
        if len(year) == 2 and int(year) > 50:
            year_value -= 100
    else:
        found = _NUMERIC_YMD.match(text)
        if not found:
            return None
        year_value, month, day = int(found.group(1)), int(found.group(3)), int(found.group(4))
    if not ctx.lex.year_min <= year_value <= ctx.lex.year_max:
        return None
    iso = iso_day(year_value, month, day)
    return _Match(i, last, iso) if iso else None


def _qualified(ctx: _Context, i: int) -> tuple[int, int | None, int | None] | None:
    """A compound token *mi-mars* / *fin-2023*: (next index, month, year) or None."""
    head, sep, rest = ctx.low(i).partition("-")
    if not sep or head not in ctx.lex.qualifiers:
        return None
    month = ctx.lex.months.get(rest)
    if month is not None and not rest.endswith("."):
        return i + 1, month, None
    if rest.isdecimal() and len(rest) == 4 and ctx.lex.year_min <= int(rest) <= ctx.lex.year_max:
        return i + 1, None, int(rest)
    return None


def _rule_month(ctx: _Context, i: int) -> _Match | None:
    """[qualifier] month [year] [dernier|prochain]; qualifier year (*fin 2023*)."""
    compound = _qualified(ctx, i)
    if compound is not None:
        j, month, year = compound
        if year is not None:
            return _Match(i, j, _year_iso(year))
        qualified = True
    else:
        qualified = ctx.low(i) in ctx.lex.qualifiers
        j = i + 1 if qualified else i
        month = ctx.month(j)
        if month is None:
            year = ctx.year(j) if qualified else None
            if year is None or not ctx.free_after(j + 1):
                return None
            return _Match(i, j + 1, _year_iso(year))
        j += 1
    year = ctx.year(j)
    if year is not None:
        return _Match(i, j + 1, f"{year:04d}-{month:02d}")
    if not qualified:
        month_tok = ctx.toks[j - 1]
        if month_tok.low.endswith("."):
            return None  # an abbreviation alone (*sept.*) is too ambiguous
        if not month_tok.text[0].islower():
            return None  # a capitalised bare month is a name (*Mars*, *Juin* as a surname)
    direction = _direction(ctx, j)
    if direction:
        return _Match(i, j + 1, resolve_month(month, ctx.doc, direction, strict=True))
    return _Match(i, j, resolve_month(month, ctx.doc, ctx.tense(i, j)))


def _rule_season(ctx: _Context, i: int) -> _Match | None:
    """*printemps 2023*: a season with its year keeps year precision."""
    if ctx.low(i) not in ctx.lex.seasons:
        return None
    year = ctx.year(i + 1)
    if year is None:
        return None
    return _Match(i, i + 2, _year_iso(year))


def _rule_year(ctx: _Context, i: int) -> _Match | None:
    """A bare year in date context (*en 2023*, *depuis 2015*, *de 2012 à 2015*)."""
    year = ctx.year(i)
    if year is None or not ctx.free_after(i + 1):
        return None
    before = ctx.low(i - 1)
    in_context = before in ctx.lex.year_context
    if before in ("de", "d'") and ctx.low(i - 2) in ctx.lex.quantity_before_de:
        in_context = False
    if before == "à" and ctx.low(i - 2) in ctx.lex.year_context_after_a:
        in_context = True
    if before in ctx.lex.year_chain_words and (i - 1) in ctx.ended:
        in_context = True
    return _Match(i, i + 1, _year_iso(year)) if in_context else None


def _rule_relative_day(ctx: _Context, i: int) -> _Match | None:
    """*hier*, *avant-hier*, *aujourd'hui*, *demain*."""
    offset = ctx.lex.relative_days.get(ctx.low(i))
    if offset is None:
        return None
    return _Match(i, i + 1, resolve_day_offset(offset, ctx.doc))


def _rule_weekday(ctx: _Context, i: int) -> _Match | None:
    """*mercredi dernier*, *lundi prochain*, or a bare weekday used as a date."""
    weekday = ctx.lex.weekdays.get(ctx.low(i))
    if weekday is None:
        return None
    direction = _direction(ctx, i + 1)
    if direction:
        mode = "before" if direction == "past" else "after"
        return _Match(i, i + 2, resolve_weekday(weekday, ctx.doc, mode))
    if ctx.low(i - 1) in ctx.lex.habitual_before_weekday:
        return None
    mode = "on_or_after" if ctx.tense(i, i + 1) == "future" else "on_or_before"
    return _Match(i, i + 1, resolve_weekday(weekday, ctx.doc, mode))


def _rule_relative_period(ctx: _Context, i: int) -> _Match | None:
    """*la semaine dernière*, *le mois prochain*, *l'an dernier*, *cette année*, *ce mois-ci*."""
    j = i
    this = ctx.low(j) in ctx.lex.this_words
    if this or ctx.low(j) in ctx.lex.determiners:
        j += 1
    unit = ctx.lex.period_units.get(ctx.low(j))
    if unit is None:
        return None
    if unit == "day" and ctx.low(i - 1) in ("à", "jusqu'à", "depuis", "jusqu'"):
        return None  # *à ce jour* means "so far"
    j += 1
    if ctx.low(j) in ("-là", "-la") or (ctx.low(j) == "-" and ctx.low(j + 1) in ("là", "la")):
        return None  # *cette année-là* is anchored on another event
    if ctx.low(j) == "-" and ctx.low(j + 1) == "ci":
        return _Match(i, j + 2, resolve_offset(unit, 0, ctx.doc)) if this else None
    if ctx.low(j) == "-ci":
        return _Match(i, j + 1, resolve_offset(unit, 0, ctx.doc)) if this else None
    if this:
        return _Match(i, j, resolve_offset(unit, 0, ctx.doc))
    direction = _direction(ctx, j)
    if direction is None:
        return None
    return _Match(i, j + 1, resolve_offset(unit, -1 if direction == "past" else 1, ctx.doc))


def _rule_ago(ctx: _Context, i: int) -> _Match | None:
    """*il y a deux ans*, *il y a 3 jours*: counted back from the document date."""
    if (ctx.low(i), ctx.low(i + 1), ctx.low(i + 2)) != ("il", "y", "a"):
        return None
    amount = ctx.number(i + 3)
    unit = ctx.lex.ago_units.get(ctx.low(i + 4))
    if unit is not None and amount is None and ctx.low(i + 3) in ctx.lex.vague_amounts:
        return _Match(i, i + 5, None)  # *il y a quelques semaines*: a date, not resolvable
    if amount is None or unit is None:
        return None
    return _Match(i, i + 5, resolve_offset(unit, -amount, ctx.doc))


def _month_of(iso: str | None) -> str | None:
    return iso[:7] if iso else None


def _rule_day_range(ctx: _Context, i: int) -> _Match | None:
    """*12 et 13 mai*, *11-31 mars 2012*, *du 3 au 5 juin*: one date at month precision."""
    first, second = ctx.day(i), ctx.day(i + 2)
    if first is None or second is None or ctx.low(i + 1) not in ctx.lex.range_links:
        return None
    month = ctx.month(i + 3)
    if month is None or second <= first:
        return None
    year = ctx.year(i + 4)
    if year is not None:
        return _Match(i, i + 5, f"{year:04d}-{month:02d}")
    return _Match(i, i + 4, _month_of(resolve_day(first, month, ctx.doc, ctx.tense(i, i + 4))))


def _rule_english(ctx: _Context, i: int) -> _Match | None:
    """English captions and embedded posts: *November 24, 2021*, *24 November 2021*."""
    month = ctx.lex.months_en.get(ctx.low(i))
    if month is not None and ctx.toks[i].text[:1].isupper():
        day = ctx.day(i + 1)
        j = i + 3 if ctx.low(i + 2) == "," else i + 2
        year = ctx.year(j)
        if day is not None and year is not None:
            return _Match(i, j + 1, iso_day(year, month, day))
        return None
    day = ctx.day(i)
    month = ctx.lex.months_en.get(ctx.low(i + 1))
    year = ctx.year(i + 2)
    if (
        day is not None
        and month is not None
        and year is not None
        and ctx.toks[i + 1].text[:1].isupper()
        and ctx.lex.months.get(ctx.low(i + 1)) is None
    ):
        return _Match(i, i + 3, iso_day(year, month, day))
    return None


_ISO_DATETIME = re.compile(
    r"^(\d{4})-(\d{2})-(\d{2})T\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:Z|[+-]\d{2}:?\d{2})?$"
)


def _rule_timestamp(ctx: _Context, i: int) -> _Match | None:
    """A page's machine timestamp, *2023-09-16T17:49+0200*: its day."""
    if ctx.year(i) is None:
        return None
    text, best = "", None
    for k in range(i, min(i + 9, len(ctx.toks))):
        if ctx.toks[k].low == "\n":
            break
        text += ctx.toks[k].text
        found = _ISO_DATETIME.match(text)
        if found:
            best = _Match(i, k + 1, iso_day(*(int(g) for g in found.groups())))
        if ctx.toks[k].spaced:
            break
    return best


def _rule_chronicle_day(ctx: _Context, i: int) -> _Match | None:
    """A chronicle's entry, *Le 22, les militaires...* at a line start: a day of the
    document's month (the month heading the chronicle)."""
    day = ctx.day(i)
    if day is None or not ctx.toks[i].text.isdecimal() or ctx.low(i - 1) != "le":
        return None
    if not (i == 1 or ctx.low(i - 2) == "\n"):
        return None
    if ctx.low(i + 1) not in ctx.lex.chronicle_followers or ctx.doc is None or not ctx.doc.month:
        return None
    after = i + 1 if ctx.low(i + 1) == "," else i + 2  # past the comma or the adverb
    if ctx.low(after) == ",":
        after += 1
    opener = ctx.toks[after].text if after < len(ctx.toks) else ""
    if ctx.low(after) not in CLAUSE_OPENERS and not opener[:1].isupper():
        return None  # *Le 22, rue de la Paix*: an address, not a day
    return _Match(i, i + 1, iso_day(ctx.doc.year, ctx.doc.month, day))


# Words that open the clause of a chronicle's entry (*Le 22, les rebelles...*).
CLAUSE_OPENERS = frozenset({"le", "la", "les", "l'", "des", "un", "une", "il", "elle", "ils"})


def _rule_decade(ctx: _Context, i: int) -> _Match | None:
    """*les années 1990*, *milieu des années 1990*: a decade, a date with no ISO norm."""
    j = i
    if ctx.low(j) in ctx.lex.qualifiers or ctx.low(j) in ("milieu",):
        j += 1
        if ctx.low(j) not in ("des", "de"):
            return None
        j += 1
    if ctx.low(j) not in ctx.lex.decade_words:
        return None
    year = ctx.year(j + 1)
    if year is None or year % 10:
        return None
    return _Match(i, j + 2, None)


def _rule_period_of(ctx: _Context, i: int) -> _Match | None:
    """*début de l'année*, *fin du mois*: the qualifier keeps the period's precision."""
    if ctx.low(i) not in ctx.lex.qualifiers:
        return None
    j = i + 1
    if ctx.low(j) in ("de", "du"):
        j += 1
    if ctx.low(j) in ("l'", "la", "le"):
        j += 1
    unit = ctx.lex.period_of_words.get(ctx.low(j))
    if unit is None or j == i + 1:
        return None
    if ctx.low(j + 1) in ("prochaine", "prochain", "dernière", "dernier", "passée", "passé"):
        return None
    return _Match(i, j + 1, resolve_offset(unit, 0, ctx.doc))


RULES: tuple[Rule, ...] = (
    _rule_day_range,
    _rule_english,
    _rule_timestamp,
    _rule_chronicle_day,
    _rule_decade,
    _rule_period_of,
    _rule_day_month,
    _rule_numeric,
    _rule_month,
    _rule_season,
    _rule_relative_period,
    _rule_ago,
    _rule_relative_day,
    _rule_weekday,
    _rule_year,
)


_STARTERS: dict[int, frozenset[str]] = {}


def _starters(lex: Lexicon) -> frozenset[str]:
    """Every word a rule can begin a match with (the first token each rule tests)."""
    key = id(lex)
    if key not in _STARTERS:
        _STARTERS[key] = frozenset().union(
            lex.weekdays,
            lex.day_ordinals,
            lex.months,
            lex.qualifiers,
            lex.seasons,
            lex.relative_days,
            lex.this_words,
            lex.determiners,
            lex.period_units,
            lex.months_en,
            lex.decade_words,
            {"il", "milieu"},
        )
    return _STARTERS[key]


def _may_start(ctx: _Context, i: int, starters: frozenset[str]) -> bool:
    low = ctx.toks[i].low
    return low[:1].isdecimal() or low in starters or low.partition("-")[0] in starters


def _scan(ctx: _Context) -> list[_Match]:
    """Leftmost-longest matching: try every rule at each token that can begin a match,
    keep the longest."""
    matches: list[_Match] = []
    starters = _starters(ctx.lex)
    i = 0
    while i < len(ctx.toks):
        if not _may_start(ctx, i, starters):
            i += 1
            continue
        best = None
        for rule in RULES:
            found = rule(ctx, i)
            if found is not None and (best is None or found.last > best.last):
                best = found
        if best is None:
            i += 1
            continue
        matches.append(best)
        ctx.ended.add(best.last)
        i = best.last
    return matches


# --- public API ---------------------------------------------------------------------


def find_dates(doc: Doc, doc_date: str | None, lexicon: Lexicon | None = None) -> list[Mention]:
    """DATE mentions in ``doc``, normalised against ``doc_date`` (YYYY-MM-DD, YYYY-MM or None).

    Offsets are relative to ``doc.text``; ``sent_id`` is left at -1 for the caller.
    ``lexicon`` defaults to the package's ``data/dates_fr.json``.
    """
    toks = _tokens(doc)
    ctx = _Context(toks, lexicon or load_lexicon(), parse_doc_date(doc_date))
    text = doc.text  # a property that rebuilds the string: read it once
    mentions = []
    for match in _scan(ctx):
        start, end = toks[match.first].start, toks[match.last - 1].end
        mentions.append(
            Mention(
                start=start,
                end=end,
                text=text[start:end],
                label=LABEL,
                norm=match.norm,
                method=METHOD,
            )
        )
    return mentions


@lru_cache(maxsize=1)
def _tokenizer() -> Language:
    import spacy

    return spacy.blank("fr")


def find_dates_in_text(text: str, doc_date: str | None) -> list[Mention]:
    """``find_dates`` on a plain string, tokenised with spaCy's blank French pipeline."""
    return find_dates(_tokenizer()(text), doc_date)


def normalise_date_text(text: str, doc_date: str | None) -> str | None:
    """The norm of the first date expression in ``text``, or None if there is none."""
    mentions = find_dates_in_text(text, doc_date)
    return mentions[0].norm if mentions else None
