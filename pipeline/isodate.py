"""ISO dates at their precision (`2023`, `2023-07`, `2023-07-26`) as day ranges.

The tables keep each date as the text gives it, at its precision; these helpers turn one
into the first and last day it covers, so that `WHERE date_start >= '2024-01-01'` works,
and tell whether two dates can name the same day (`2021-09-30`, `2021-09` and `2021` can;
`2021-01` and `2021-09` cannot).
"""

from __future__ import annotations

import calendar
import re
from datetime import date
from functools import lru_cache

ISO = re.compile(r"^(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?$")
PRECISIONS = ("year", "month", "day")


@lru_cache(maxsize=1 << 16)  # a corpus repeats its dates; the result is immutable
def date_range(iso: str | None) -> tuple[date, date, str] | None:
    """(first day, last day, precision) of an ISO date, or None when it is not one.

    >>> date_range("2024-02")
    (datetime.date(2024, 2, 1), datetime.date(2024, 2, 29), 'month')
    >>> date_range("2024-13") is None
    True
    """
    if not iso:
        return None
    m = ISO.match(iso)
    if m is None:
        return None
    year, month, day = (int(g) if g else None for g in m.groups())
    try:
        if month is None:
            return date(year, 1, 1), date(year, 12, 31), "year"
        if day is None:
            last = calendar.monthrange(year, month)[1]
            return date(year, month, 1), date(year, month, last), "month"
        one = date(year, month, day)
    except ValueError:
        return None
    return one, one, "day"


def compatible(a: str | None, b: str | None) -> bool:
    """Two dates that may name the same day: one range holds the other. A missing date
    is compatible with anything; a malformed one only with itself."""
    if not a or not b:
        return True
    ra, rb = date_range(a), date_range(b)
    if ra is None or rb is None:
        return a == b
    return (ra[0] <= rb[0] and rb[1] <= ra[1]) or (rb[0] <= ra[0] and ra[1] <= rb[1])


def most_precise(dates: list[str]) -> str | None:
    """The most precise of mutually compatible dates (the first of equals), or None."""
    best = None
    for d in dates:
        r = date_range(d)
        if r is None:
            continue
        if best is None or PRECISIONS.index(r[2]) > PRECISIONS.index(date_range(best)[2]):
            best = d
    return best
