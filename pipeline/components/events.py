"""`extract_events`: the events of a Doc (SPEC section 3) in ``doc._.events``.

Only sentences that may hold an event (`pipeline.events.is_candidate`) are parsed: the
model's parse components (tok2vec, morphologizer, parser, lemmatizer: disabled in the
pipeline, so the fast pass skips them) run on the candidates of a whole batch of Docs
together, and their tags, lemmas and dependencies are written onto the Docs' own tokens
(`pipeline.nlp.parse_spans`). `pipeline.events.find_events` then reads each Doc's events
from those sentence spans and its entities. The Doc's sentence boundaries are first made
the tables' (a sentence never ends inside an entity, `pipeline.segment`). Should the
batch parse fail, each Doc is parsed alone, so only the one at fault records the error.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from pathlib import Path

from spacy.language import Language
from spacy.util import minibatch

from pipeline import events, gazetteers, segment
from pipeline import nlp as model
from pipeline.components import records
from pipeline.components.extensions import add_error
from pipeline.events import data as event_data

NAME = "extract_events"


@Language.factory(NAME)
def make_events(nlp: Language, name: str) -> EventFinder:
    return EventFinder(nlp, name)


class EventFinder:
    def __init__(self, nlp: Language, name: str = NAME):
        self.nlp = nlp
        self.name = name
        self.data: event_data.EventData | None = None

    def initialize(self, get_examples=None, *, nlp=None, directory: Path | None = None) -> None:
        """Read the events data (the package's, or a saved pipeline's ``directory``) and
        check it against the code (`LexiconError` naming the file and line)."""
        data = event_data.read_data(directory) if directory else event_data.package_data()
        with event_data.using(data):
            events.checked_data()
        self.data = data

    def to_disk(self, path, *, exclude=()) -> None:
        if self.data is None:
            self.initialize()
        self.data.to_disk(Path(path))

    def from_disk(self, path, *, exclude=()) -> EventFinder:
        self.initialize(directory=Path(path))
        return self

    def __call__(self, doc):
        self.annotate([doc])
        return doc

    def pipe(self, docs: Iterable, batch_size: int = 16) -> Iterator:
        for batch in minibatch(docs, batch_size):
            self.annotate(batch)
            yield from batch

    def annotate(self, docs: list) -> None:
        if self.data is None:
            self.initialize()
        with event_data.using(self.data), gazetteers.using_vocab(self.nlp.vocab):
            self.annotate_with_data(docs)

    def annotate_with_data(self, docs: list) -> None:
        found = []  # per Doc: (mentions, candidate (Sentence, Span) pairs)
        for doc in docs:
            segment.join_over_entities(doc)
            pairs = records.sentence_pairs(doc)
            sentences = [s for s, _ in pairs]
            candidates = [(s, span) for s, span in pairs if events.is_candidate(s.text)]
            found.append((records.mentions(doc, sentences), candidates))
        try:
            model.parse_spans(self.nlp, [span for _, c in found for _, span in c])
            batch_parsed = True
        except Exception:
            batch_parsed = False
        for doc, (mentions, candidates) in zip(docs, found, strict=True):
            doc._.events = []
            try:
                if not batch_parsed:
                    model.parse_spans(self.nlp, [span for _, span in candidates])
                doc._.events = events.find_events(candidates, mentions, doc._.doc_date)
            except Exception as exc:  # one bad document must not stop the run
                add_error(doc, exc)
