"""The extract pipeline as spaCy components: the public `nlp`, saving and loading it,
displaCy, extra patterns (library and command line) and their validation. Every text is
written here for the test."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
import spacy
from spacy import displacy
from spacy.language import Language
from typer.testing import CliRunner

import pipeline
from pipeline import cli, components, process
from pipeline.components.entity_ruler import PatternError, read_patterns
from pipeline.types import LABELS

from .conftest import CORPUS, ROOT

TEXT = (
    "Le Niger a reçu lundi deux hélicoptères Mi-35 livrés par la Russie, a annoncé le "
    "ministère nigérien de la Défense à Niamey."
)
OTHER = (
    "Le Tchad et la France ont signé mardi un accord de coopération militaire à N'Djamena. "
    "Trois blindés Bastion seront livrés au Burkina Faso en mars 2025."
)
runner = CliRunner()


def annotate(nlp, text: str, doc_date: str | None = "2024-01-17"):
    doc = nlp.make_doc(text)
    doc._.doc_date = doc_date
    return nlp(doc)


def annotations(doc) -> tuple:
    ents = [
        (e.start_char, e.end_char, e.label_, e._.norm, e._.category, e._.model, e._.method)
        for e in doc.ents
    ]
    return ents, doc._.events


def test_load_returns_the_language_with_every_component(nlp):
    assert isinstance(nlp, Language)
    names = nlp.pipe_names
    assert names[:2] == ["senter", "ner"]
    assert names[2:] == list(components.PIPES)
    assert {"tok2vec", "parser", "lemmatizer"} <= set(nlp.disabled)  # parsed on demand only


def test_nlp_of_a_text_gives_entities_with_spec_labels_norms_and_events(nlp):
    doc = annotate(nlp, TEXT)
    found = {(e.text, e.label_, e._.norm, e._.method) for e in doc.ents}
    assert ("Niger", "GPE", "NER", "gazetteer") in found
    assert ("Russie", "GPE", "RUS", "gazetteer") in found
    assert ("lundi", "DATE", "2024-01-15", "date_rules") in found
    assert (
        "ministère nigérien de la Défense",
        "ORG",
        "ministère de la Défense (NER)",
        "ministry",
    ) in found
    assert {e.label_ for e in doc.ents} <= set(LABELS)
    [mi35] = [e for e in doc.ents if e.label_ == "EQUIPMENT"]
    assert (mi35.text, mi35._.category, mi35._.model, mi35._.quantity) == (
        "Mi-35",
        "helicopter",
        "Mi-35",
        2,
    )
    [event] = doc._.events
    assert (event.type, event.source, event.target, event.plover) == (
        "DELIVERY",
        "RUS",
        "NER",
        "AID",
    )
    assert doc.text[event.start : event.end] == event.evidence  # trigger offsets in the Doc


def test_events_are_read_from_the_parse_written_on_the_documents_own_doc(nlp):
    """Only the sentence that may hold an event is parsed, on the Doc itself: its tokens
    get heads, dependencies and lemmas, the other sentence's none, and the Doc keeps the
    sentence boundaries it had before the parse."""
    text = "Il pleuvait sur la capitale ce jour-là. " + TEXT
    fast = nlp.make_doc(text)
    for name, component in nlp.pipeline:
        if name != "extract_events":
            fast = component(fast)
    before = [s.text for s in fast.sents]
    doc = annotate(nlp, text)
    assert (
        [s.text for s in doc.sents] == before == ["Il pleuvait sur la capitale ce jour-là.", TEXT]
    )
    weather, news = doc.sents
    assert all(t.dep_ == "" and t.lemma_ == "" for t in weather)
    assert all(t.dep_ for t in news) and sum(t.dep_ == "ROOT" for t in news) >= 1
    livres = next(t for t in news if t.text == "livrés")
    assert livres.lemma_ == "livrer" and livres.head.i != livres.i
    [event] = doc._.events
    trigger = doc.char_span(event.start, event.end)
    assert trigger is not None and trigger.sent == news


def test_events_survive_doc_serialisation(nlp):
    """``doc._.events`` goes through ``Doc.to_bytes``/``from_bytes`` (as with ``DocBin`` or
    ``nlp.pipe(n_process=2)``) and comes back as the same records."""
    from spacy.tokens import Doc

    doc = annotate(nlp, TEXT)
    again = Doc(nlp.vocab).from_bytes(doc.to_bytes())
    assert again._.events == doc._.events and len(again._.events) == 1
    assert [(e.text, e.label_, e._.norm) for e in again.ents] == [
        (e.text, e.label_, e._.norm) for e in doc.ents
    ]


def test_a_plain_string_works_without_a_document_date(nlp):
    doc = nlp("La Turquie a livré des drones au Mali le 3 mars 2024.")
    dates = [(e.text, e._.norm) for e in doc.ents if e.label_ == "DATE"]
    assert dates == [("3 mars 2024", "2024-03-03")]


def test_to_disk_and_spacy_load_give_the_same_annotations(nlp, tmp_path):
    nlp.to_disk(tmp_path / "extract")
    assert (tmp_path / "extract" / "extract_entity_ruler" / "patterns").is_file()
    assert (tmp_path / "extract" / "extract_equipment" / "equipment.jsonl").is_file()
    loaded = spacy.load(tmp_path / "extract")
    assert loaded.pipe_names == nlp.pipe_names and loaded.disabled == nlp.disabled
    for text in (TEXT, OTHER):
        assert annotations(annotate(loaded, text)) == annotations(annotate(nlp, text))
    from pipeline.run import extract_tables

    again, first = extract_tables(CORPUS, nlp=loaded), extract_tables(CORPUS, nlp=nlp)
    for name in ("mentions", "events", "equipment", "actors"):
        assert again[name].equals(first[name]), name


def test_the_gazetteers_travel_in_the_vocabulary_and_are_the_ones_in_force(nlp, tmp_path):
    """The pipeline carries its gazetteers in its vocabulary's lookups (saved by
    ``to_disk``); its components look names up in that copy, other code in the
    package's."""
    from spacy.vocab import Vocab

    from pipeline import gazetteers

    nlp.to_disk(tmp_path / "extract")
    loaded = spacy.load(tmp_path / "extract")
    assert loaded.vocab.lookups.has_table(gazetteers.TABLE)
    assert gazetteers.of_vocab(loaded.vocab).texts == gazetteers.package_data().texts

    vocab = Vocab()
    gazetteers.store_in(vocab)
    table = vocab.lookups.get_table(gazetteers.TABLE)
    table["state_aliases.tsv"] += "TCD\tPays des Sao\n"  # an invented alias
    with gazetteers.using_vocab(vocab):
        assert gazetteers.state_iso3("Pays des Sao") == "TCD"
        assert gazetteers.state_iso3("Tchad") == "TCD"
    assert gazetteers.state_iso3("Pays des Sao") is None


def test_a_saved_pipeline_reads_its_own_events_data(nlp, tmp_path):
    """The trigger lexicon and frames are saved with the pipeline, and the saved copy is
    the one a loaded pipeline uses: relabel the delivery triggers there, and the loaded
    pipeline reports the same happening under the new type, the original still not."""
    nlp.to_disk(tmp_path / "extract")
    saved = tmp_path / "extract" / "extract_events" / "triggers.json"
    text = saved.read_text(encoding="utf-8")
    saved.write_text(text.replace('"type": "DELIVERY"', '"type": "TRAINING"'), encoding="utf-8")
    loaded = spacy.load(tmp_path / "extract")
    assert {e.type for e in annotate(loaded, TEXT)._.events} == {"TRAINING"}
    assert {e.type for e in annotate(nlp, TEXT)._.events} == {"DELIVERY"}


def test_a_saved_pipeline_with_a_broken_frames_file_is_rejected_naming_file_and_line(nlp, tmp_path):
    from pipeline.events.data import LexiconError

    nlp.to_disk(tmp_path / "extract")
    frames = tmp_path / "extract" / "extract_events" / "event_frames.jsonl"
    lines = frames.read_text(encoding="utf-8").splitlines()
    lines[1] = lines[1].replace('"agent"', '"agnet"', 1)
    assert '"agnet"' in lines[1]
    frames.write_text("\n".join(lines) + "\n", encoding="utf-8")
    with pytest.raises(LexiconError, match=r"extract_events/event_frames\.jsonl:2: .*'agnet'"):
        spacy.load(tmp_path / "extract")


def test_saved_patterns_keep_their_norm_and_method(nlp, tmp_path):
    nlp.get_pipe("extract_entity_ruler").to_disk(tmp_path)
    lines = (tmp_path / "patterns").read_text(encoding="utf-8").splitlines()
    patterns = [json.loads(line) for line in lines]
    assert {"label": "GPE", "pattern": "Niger", "id": "NER"} in patterns
    assert any(p.get("method") == "ministry" for p in patterns)


def entry_points_section() -> str:
    text = (ROOT / "pyproject.toml").read_text(encoding="utf-8")
    return text.split("[project.entry-points.spacy_factories]")[1].split("\n[")[0]


def test_spacy_load_finds_the_factories_through_entry_points(nlp, tmp_path):
    """A fresh interpreter that never imports `pipeline` loads the saved pipeline: spaCy
    finds the factories through the package's ``spacy_factories`` entry points (given
    here as an installed distribution's metadata, as pip writes it from pyproject.toml)."""
    nlp.to_disk(tmp_path / "extract")
    site = tmp_path / "site"
    info = site / "extract_probe-0.0.dist-info"
    info.mkdir(parents=True)
    (info / "METADATA").write_text("Metadata-Version: 2.1\nName: extract-probe\nVersion: 0.0\n")
    (info / "entry_points.txt").write_text(
        "[spacy_factories]\n" + entry_points_section().replace('"', ""), encoding="utf-8"
    )
    code = (
        "import sys, spacy\n"
        "nlp = spacy.load(sys.argv[1])\n"
        "doc = nlp('Le Niger et la Russie.')\n"
        "assert 'pipeline.components' in sys.modules  # imported by spaCy, not by us\n"
        "print([(e.text, e.label_, e._.norm) for e in doc.ents])\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", code, str(tmp_path / "extract")],
        capture_output=True,
        text=True,
        cwd=tmp_path,
        check=False,
        timeout=300,
        env={**os.environ, "PYTHONPATH": os.pathsep.join([str(site), str(ROOT)])},
    )
    assert result.returncode == 0, result.stderr[-2000:]
    assert "('Niger', 'GPE', 'NER')" in result.stdout


def test_pyproject_declares_every_factory_as_an_entry_point():
    section = entry_points_section()
    declared = {line.split("=")[0].strip() for line in section.splitlines() if "=" in line}
    assert declared == set(components.PIPES)


def test_displacy_shows_the_entities_with_their_labels_and_colours(nlp):
    from pipeline.components.display import COLORS

    html = displacy.render(annotate(nlp, TEXT), style="ent", page=False, jupyter=False)
    for text, label in (("Niger", "GPE"), ("Mi-35", "EQUIPMENT"), ("lundi", "DATE")):
        assert text in html and label in html
        assert f"background: {COLORS[label]}" in html
    assert "ministère nigérien de la Défense" in html


def test_a_long_article_is_annotated_in_pieces_and_read_as_one_document(nlp, monkeypatch):
    """Pieces are annotated alone (a piece ends a sentence), then joined for
    normalisation and events: offsets run on, sentence ids too, a surname in one piece
    gets the full name from another, events of later pieces keep their offsets."""
    from pipeline import ingest

    paragraphs = [
        "Le colonel Assimi Goïta a reçu les appareils à Bamako.",
        TEXT,
        OTHER,
        "Le président de la transition, Goïta, a salué la Russie.\n",
    ]
    text = "date 2024-01-17\n" + "\n\n".join(paragraphs)
    monkeypatch.setattr(process, "CHUNK_CHARS", 180)
    document = ingest.from_text(text, doc_id="long", source="<long>")
    assert len(list(process.chunks(text, document.body_start))) >= 2
    [result] = list(process.Processor(nlp).process([document]))
    assert result.errors == []
    assert [s.sent_id for s in result.sentences] == list(range(len(result.sentences)))
    assert all(text[s.start : s.end] == s.text for s in result.sentences)
    assert all(text[m.start : m.end] == m.text for m in result.mentions)
    goita = [m.norm for m in result.mentions if m.text.endswith("Goïta")]
    assert goita == ["Assimi Goïta", "Assimi Goïta"]
    assert {e.type for e in result.events} >= {"DELIVERY", "AGREEMENT"}
    assert all(text[e.start : e.end] == e.evidence for e in result.events)


def test_the_vocabulary_does_not_grow_with_the_corpus(nlp):
    """Strings made inside a batch (new words, designations, norms) go with the batch;
    only spaCy's morphological feature strings stay (a finite set, the model's tags)."""
    from pipeline import ingest

    processor = process.Processor(nlp)
    before = set(nlp.vocab.strings)
    texts = [
        f"Le Mali a reçu {n} drones Zyx-{n}00 et des blindés Qwerty{n} livrés à Kidal{n}."
        for n in range(1, 20)
    ]
    documents = [ingest.from_text(t, doc_id=f"d{i}", source="<t>") for i, t in enumerate(texts)]
    assert all(r.errors == [] for r in processor.process(documents))
    added = set(nlp.vocab.strings) - before
    assert all("=" in feature for feature in added), added


# ---------------------------------------------------------------------------- patterns


def write_lines(path: Path, *lines) -> Path:
    path.write_text("".join(f"{line}\n" for line in lines), encoding="utf-8")
    return path


NEW_ORGANISATION = [
    json.dumps(
        {
            "label": "ORG",
            "pattern": "Groupe Valtrane Défense",
            "id": "Valtrane",
            "kind": "organisation",
            "country": "BEL",
        }
    ),
    json.dumps({"label": "ORG", "pattern": [{"TEXT": "GVD"}], "id": "Valtrane"}),
]
PATTERN_TEXT = (
    "date 2024-06-10\n"
    "Le Groupe Valtrane Défense a livré huit blindés au Niger. Selon GVD, la livraison "
    "s'est achevée à Niamey.\n"
)


def test_patterns_file_adds_an_organisation_through_the_real_command(tmp_path):
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / "valtrane.txt").write_text(PATTERN_TEXT, encoding="utf-8")
    patterns = write_lines(tmp_path / "extra.jsonl", *NEW_ORGANISATION)
    out = tmp_path / "out"
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "pipeline",
            str(corpus),
            "--patterns",
            str(patterns),
            "--out",
            str(out),
            "--format",
            "csv",
            "--workers",
            "2",  # the patterns reach the worker processes
        ],
        capture_output=True,
        text=True,
        cwd=ROOT,
        check=False,
        timeout=600,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
    )
    assert result.returncode == 0, result.stdout[-2000:] + result.stderr[-2000:]
    from pipeline import tables

    mentions = tables.read_table(out, "mentions")
    found = mentions[mentions["norm"] == "Valtrane"][["text", "label", "method"]]
    assert found.values.tolist() == [
        ["Groupe Valtrane Défense", "ORG", "gazetteer"],
        ["GVD", "ORG", "gazetteer"],
    ]
    actors = tables.read_table(out, "actors").set_index("actor_id")
    assert actors.loc["Valtrane", "kind"] == "organisation"
    assert actors.loc["Valtrane", "country"] == "BEL"
    assert actors.loc["Valtrane", "n_mentions"] == 2
    events = tables.read_table(out, "events")
    assert ["Valtrane", "NER"] in events[["source", "target"]].values.tolist()
    manifest = json.loads((out / "run.json").read_text(encoding="utf-8"))
    assert manifest["options"]["patterns"] == [str(patterns)]


def test_patterns_given_to_the_library_flow_into_the_tables():
    from pipeline.run import extract_tables

    nlp = pipeline.load()  # its own: patterns stay in the pipeline they are added to
    patterns = [json.loads(line) for line in NEW_ORGANISATION]
    tables = extract_tables([PATTERN_TEXT.split("\n", 1)[1]], nlp=nlp, patterns=patterns)
    mentions = tables["mentions"]
    assert set(mentions[mentions["norm"] == "Valtrane"]["text"]) == {
        "Groupe Valtrane Défense",
        "GVD",
    }
    assert nlp("Le Groupe Valtrane Défense.").ents[0]._.norm == "Valtrane"


def test_dask_workers_get_the_patterns_and_reload_when_they_change(monkeypatch):
    """The client sends pattern objects; a worker (which outlives runs on a shared
    cluster) rebuilds its pipeline when a run brings other patterns."""
    from pipeline import dask_engine, ingest
    from pipeline import nlp as model

    fresh = model.load  # a new pipeline each time: patterns stay where they were added
    monkeypatch.setattr(model, "load", lambda *a, **k: fresh())
    monkeypatch.setattr(dask_engine, "_processor", None)
    patterns = [json.loads(line) for line in NEW_ORGANISATION]
    text = PATTERN_TEXT.split("\n", 1)[1]

    def norms(batch_patterns):
        document = ingest.from_text(text, doc_id="v", source="<v>")
        [found] = dask_engine.process_batch([document], 4, batch_patterns)
        return {m.norm for m in found.mentions if m.label == "ORG"}

    assert "Valtrane" in norms(patterns)
    assert "Valtrane" not in norms(None)


@pytest.mark.parametrize(
    ("line", "message"),
    [
        ('{"label": "COMPANY", "pattern": "Valtrane"}', "label 'COMPANY' is not one of"),
        ('{"label": "ORG", "pattern": "Valtrane"', "not JSON"),
        ('{"label": "ORG", "pattern": [{"LOWR": "valtrane"}]}', "[token 0 -> LOWR]"),
        ('{"label": "ORG", "pattern": "Valtrane", "nom": "V"}', "unknown key(s) nom"),
        ('{"label": "EQUIPMENT", "pattern": "Valtrane X"}', "needs a 'category'"),
        ('{"label": "ORG", "pattern": "Valtrane", "id": 7}', "'id' must be a string"),
        ('["ORG", "Valtrane"]', "a pattern is a JSON object"),
    ],
)
def test_a_broken_patterns_file_is_rejected_naming_file_and_line(tmp_path, line, message):
    path = write_lines(tmp_path / "broken.jsonl", NEW_ORGANISATION[0], "", line)
    with pytest.raises(PatternError) as caught:
        read_patterns(path)
    assert str(caught.value).startswith(f"{path}, line 3: ")
    assert message in str(caught.value)


def test_the_command_rejects_a_broken_patterns_file_before_running(tmp_path):
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / "a.txt").write_text(PATTERN_TEXT, encoding="utf-8")
    path = write_lines(tmp_path / "broken.jsonl", '{"label": "ORG", "pattern": 3}')
    result = runner.invoke(
        cli.app,
        cli.route([str(corpus), "--patterns", str(path), "--out", str(tmp_path / "out")]),
        prog_name="extract",
    )
    assert result.exit_code == 2
    assert f"bad --patterns file: {path}, line 1: 'pattern' must be a string" in result.output
    assert "Traceback" not in result.output and not (tmp_path / "out").exists()


def test_an_unreadable_or_empty_patterns_file_is_a_clear_error(tmp_path):
    with pytest.raises(PatternError, match="cannot read the patterns file"):
        read_patterns(tmp_path / "missing.jsonl")
    with pytest.raises(PatternError, match="no patterns in the file"):
        read_patterns(write_lines(tmp_path / "empty.jsonl", ""))
