"""`extract_events`: the events of a Doc (SPEC section 3) in ``doc._.events``.

Only sentences that may hold an event (`pipeline.events.is_candidate`) are parsed: each
is tokenised again and run through the model's parse components (tok2vec,
morphologizer, parser, lemmatizer: disabled in the pipeline, so the fast pass skips
them), the candidates of a whole batch of Docs together. `pipeline.events.find_events`
reads each Doc's events from its parsed sentences and its entities. Should the batch
parse fail, each Doc is parsed alone, so only the one at fault records the error.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator

from spacy.language import Language
from spacy.util import minibatch

from pipeline import events
from pipeline import nlp as model
from pipeline.components import records
from pipeline.components.extensions import add_error

NAME = "extract_events"


@Language.factory(NAME)
def make_events(nlp: Language, name: str) -> EventFinder:
    return EventFinder(nlp, name)


class EventFinder:
    def __init__(self, nlp: Language, name: str = NAME):
        self.nlp = nlp
        self.name = name

    def __call__(self, doc):
        self.annotate([doc])
        return doc

    def pipe(self, docs: Iterable, batch_size: int = 16) -> Iterator:
        for batch in minibatch(docs, batch_size):
            self.annotate(batch)
            yield from batch

    def annotate(self, docs: list) -> None:
        found = []  # per Doc: (sentences, mentions, candidate (Sentence, Span) pairs)
        for doc in docs:
            pairs = records.sentence_pairs(doc)
            sentences = [s for s, _ in pairs]
            candidates = [(s, span) for s, span in pairs if events.is_candidate(s.text)]
            found.append((records.mentions(doc, sentences), candidates))
        try:
            parsed = iter(model.parse_spans(self.nlp, [span for _, c in found for _, span in c]))
        except Exception:
            parsed = None
        for doc, (mentions, candidates) in zip(docs, found, strict=True):
            doc._.events = []
            try:
                if parsed is None:
                    parses = model.parse_spans(self.nlp, [span for _, span in candidates])
                else:
                    parses = [next(parsed) for _ in candidates]
                pairs = list(zip([s for s, _ in candidates], parses, strict=True))
                doc._.events = events.find_events(pairs, mentions, doc._.doc_date)
            except Exception as exc:  # one bad document must not stop the run
                add_error(doc, exc)
