"""Which copy of a data set is in force: the package's, or a pipeline's own.

A saved pipeline carries its data (the events stage's lexicon and frames, the
gazetteers), and a pipeline loaded from disk must annotate with that copy, not the
package's. The look-up functions are module-level and cached, so the copy in force is a
context variable that a component sets while it annotates (`InForce.using`), and each
value derived from the data (an index, a word set) is cached per copy
(`InForce.per_data`). Outside a component, the package's copy is in force.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from functools import cache, wraps
from typing import Generic, TypeVar

Data = TypeVar("Data")


class InForce(Generic[Data]):
    """The copy of one data set in force; ``default`` gives the package's copy (read
    once, when first needed)."""

    def __init__(self, name: str, default: Callable[[], Data]):
        self.name = name
        self.default = cache(default)
        self.current: ContextVar[Data | None] = ContextVar(name, default=None)

    def active(self) -> Data:
        return self.current.get() or self.default()

    @contextmanager
    def using(self, data: Data | None) -> Iterator[None]:
        """Make ``data`` the copy in force for the block (None: the package's)."""
        token = self.current.set(data)
        try:
            yield
        finally:
            self.current.reset(token)

    def per_data(self, function: Callable) -> Callable:
        """``functools.cache`` for a value derived from the data: computed once per copy
        (and arguments), recomputed when another copy is in force. Copies are compared
        by identity, so they must be hashable by identity."""
        cached = cache(lambda data, *args: function(*args))
        current, default = self.current, self.default

        @wraps(function)
        def wrapper(*args):  # `active` inlined: some look-ups run once per token
            return cached(current.get() or default(), *args)

        wrapper.cache_clear = cached.cache_clear  # type: ignore[attr-defined]
        return wrapper
