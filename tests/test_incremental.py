"""Incremental runs (issue 18): a grown corpus costs only its new articles, and the tables
are the same bytes as a full run's whatever the cache held.

The texts below are written for these tests; the sample corpus is read in place."""

from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from typer.testing import CliRunner

from pipeline import cache, cli, manifest, tables
from pipeline.run import write_tables

from .conftest import CORPUS, ROOT

NEW_ARTICLE = (
    "date 2024-06-03\n"
    "Le Burkina Faso a reçu trois drones Bayraktar TB2 livrés par la Turquie, a annoncé "
    "lundi le ministère de la Défense à Ouagadougou.\n"
)
ADDED_SENTENCE = (
    "\nLe Tchad a signé un accord de coopération militaire avec la Hongrie en mars 2024.\n"
)
OTHER_ARTICLE = (
    "date 2023-09-14\n"
    "Le Niger a annoncé la fin de l'accord de défense avec la France et a demandé le départ "
    "des soldats français de Niamey avant la fin de l'année.\n"
)
BRIGADE_ARTICLE = (
    "date 2024-02-20\n"
    "La Brigade Delta a attaqué une position de l'armée nigérienne près de Tillabéri, "
    "selon le ministère de la Défense du Niger.\n"
)


def table_bytes(out: Path) -> dict[str, bytes]:
    """Every table file of a run (CSV and Parquet), as bytes."""
    return {
        f"{t}.{f}": (out / f"{t}.{f}").read_bytes() for t in tables.TABLES for f in tables.FORMATS
    }


def files_of(out: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(out.iterdir()) if p.is_file()}


def full_run(corpus: Path, out: Path, nlp) -> dict[str, bytes]:
    write_tables(corpus, out, nlp=nlp)  # no cache at all
    return table_bytes(out)


def cached_run(corpus: Path, out: Path, nlp, **options):
    return write_tables(corpus, out, nlp=nlp, cache=True, **options).cache


@pytest.fixture
def corpus(tmp_path) -> Path:
    folder = tmp_path / "corpus"
    shutil.copytree(CORPUS, folder)
    return folder


def test_tables_after_adding_changing_and_removing_equal_a_full_run(corpus, tmp_path, nlp):
    out = tmp_path / "out"
    assert cached_run(corpus, out, nlp) == {
        "reused": 0,
        "processed": 6,
        "dropped": 0,
        "discarded": "no cache yet",
    }
    names = sorted(p.name for p in corpus.iterdir())
    (corpus / "m_nouvel_article.txt").write_text(NEW_ARTICLE, encoding="utf-8")  # mid-order
    with open(corpus / names[-1], "a", encoding="utf-8") as changed:
        changed.write(ADDED_SENTENCE)
    (corpus / names[0]).unlink()
    done = cached_run(corpus, out, nlp)
    assert done == {"reused": 4, "processed": 2, "dropped": 1, "discarded": None}
    assert table_bytes(out) == full_run(corpus, tmp_path / "full", nlp)
    for corpus_wide in ("actors", "happenings", "transfers", "events"):  # not empty
        assert len(tables.read_table(out, corpus_wide)) > 0, corpus_wide
    assert tables.read_table(out, "events").happening_id.notna().all()
    documents = tables.read_table(out, "documents")
    assert "m_nouvel_article" in set(documents.doc_id)
    assert names[0].removesuffix(".txt") not in set(documents.doc_id)
    run = json.loads((out / "run.json").read_text(encoding="utf-8"))
    assert run["cache"] == done
    # nothing changed: every document from the cache, the dropped and changed results gone
    assert cached_run(corpus, out, nlp)["reused"] == 6
    index = json.loads((out / ".cache" / cache.INDEX).read_text(encoding="utf-8"))
    assert len(index["entries"]) == 6
    assert table_bytes(out) == full_run(corpus, tmp_path / "full", nlp)


def test_a_cached_document_takes_the_id_this_run_gives_it(tmp_path, nlp):
    """A new `a.md` beside a cached `a.txt` takes the id `a` (sorted first): the cached
    document's id and message are this run's, as in a full run."""
    corpus, out = tmp_path / "corpus", tmp_path / "out"
    corpus.mkdir()
    (corpus / "a.txt").write_text(NEW_ARTICLE, encoding="utf-8")
    cached_run(corpus, out, nlp)
    (corpus / "a.md").write_text(OTHER_ARTICLE, encoding="utf-8")
    assert cached_run(corpus, out, nlp)["reused"] == 1
    assert table_bytes(out) == full_run(corpus, tmp_path / "full", nlp)
    documents = tables.read_table(out, "documents")
    assert list(documents.doc_id) == ["a", "a.txt"]
    assert "was taken" in documents.message[1]


def test_jsonl_rows_are_cached_one_by_one(tmp_path, nlp):
    """Rows appended to a JSONL file cost only themselves; a row whose date changed is
    extracted again (its date reaches the extraction)."""
    corpus, out = tmp_path / "corpus", tmp_path / "out"
    corpus.mkdir()
    rows = [
        {"id": "r1", "text": NEW_ARTICLE.split("\n", 1)[1], "date": "2024-06-03"},
        {"id": "r2", "text": OTHER_ARTICLE.split("\n", 1)[1], "date": "2023-09-14"},
    ]

    def write(rows):
        lines = [json.dumps(r, ensure_ascii=False) for r in rows]
        (corpus / "feed.jsonl").write_text("\n".join(lines) + "\n", encoding="utf-8")

    write(rows)
    cached_run(corpus, out, nlp)
    rows[1]["date"] = "2023-10-01"
    write([*rows, {"id": "r3", "text": ADDED_SENTENCE.strip(), "date": "2024-03-20"}])
    done = cached_run(corpus, out, nlp)
    assert (done["reused"], done["processed"], done["dropped"]) == (1, 2, 0)
    assert table_bytes(out) == full_run(corpus, tmp_path / "full", nlp)


def test_a_changed_data_file_invalidates_the_cache(corpus, tmp_path, nlp, monkeypatch):
    out = tmp_path / "out"
    cached_run(corpus, out, nlp)
    data = tmp_path / "data"
    shutil.copytree(manifest.DATA, data)
    monkeypatch.setattr(manifest, "DATA", data)
    assert cached_run(corpus, out, nlp)["reused"] == 6  # the same bytes: the same results
    with open(data / "not_entities.txt", "a", encoding="utf-8") as changed:
        changed.write("Nouvelle Entrée\n")
    done = cached_run(corpus, out, nlp)
    assert (done["reused"], done["processed"]) == (0, 6)
    assert done["discarded"] == "package, model, data, patterns or code changed"
    assert cached_run(corpus, out, nlp)["reused"] == 6  # the new cache serves the next run


def test_a_changed_patterns_file_invalidates_the_cache(corpus, tmp_path, nlp):
    out, patterns = tmp_path / "out", tmp_path / "patterns.jsonl"
    (corpus / "m_brigade.txt").write_text(BRIGADE_ARTICLE, encoding="utf-8")
    first = {"label": "ORG", "pattern": "Brigade Delta", "id": "Brigade Delta"}
    patterns.write_text(json.dumps(first) + "\n", encoding="utf-8")
    cached_run(corpus, out, nlp, patterns=[patterns])
    assert cached_run(corpus, out, nlp, patterns=[patterns])["reused"] == 7
    second = first | {"kind": "group", "country": "NER"}
    patterns.write_text(json.dumps(second) + "\n", encoding="utf-8")
    assert cached_run(corpus, out, nlp, patterns=[patterns])["reused"] == 0
    write_tables(corpus, tmp_path / "full", nlp=nlp, patterns=[patterns])
    assert table_bytes(out) == table_bytes(tmp_path / "full")
    actors = tables.read_table(out, "actors").set_index("actor_id")
    assert actors.loc["Brigade Delta", "kind"] == "group"
    assert cached_run(corpus, out, nlp)["reused"] == 0  # no patterns: not the same run
    assert cached_run(corpus, out, nlp, patterns=[second])["reused"] == 0  # an object
    assert cached_run(corpus, out, nlp, patterns=[second])["reused"] == 7


def test_changed_code_invalidates_the_cache(corpus, tmp_path, nlp, monkeypatch):
    out = tmp_path / "out"
    cached_run(corpus, out, nlp)
    monkeypatch.setattr(manifest, "code_fingerprint", lambda: "another version of the code")
    assert cached_run(corpus, out, nlp)["reused"] == 0


def test_a_cache_of_another_corpus_root_is_not_mixed_in(corpus, tmp_path, nlp):
    out, twin = tmp_path / "out", tmp_path / "twin"
    cached_run(corpus, out, nlp)
    shutil.copytree(corpus, twin)  # the same files under another root
    done = cached_run(twin, out, nlp)
    assert (done["reused"], done["processed"], done["dropped"]) == (0, 6, 0)
    assert done["discarded"].startswith("made for another corpus")


def test_full_ignores_the_cache_and_rewrites_it(corpus, tmp_path, nlp):
    out = tmp_path / "out"
    cached_run(corpus, out, nlp)
    done = cached_run(corpus, out, nlp, full=True)
    assert (done["reused"], done["processed"], done["discarded"]) == (0, 6, "--full")
    assert cached_run(corpus, out, nlp)["reused"] == 6
    assert len(list((out / ".cache" / cache.SEGMENTS).iterdir())) == 1


def test_segments_are_compacted_past_the_limit(corpus, tmp_path, nlp, monkeypatch):
    """Run after run adds a segment; past `MAX_SEGMENTS` a complete run copies the live
    entries into its own segment and the others go, with nothing lost."""
    monkeypatch.setattr(cache, "MAX_SEGMENTS", 1)
    out = tmp_path / "out"
    segments = out / ".cache" / cache.SEGMENTS
    cached_run(corpus, out, nlp)
    (corpus / "m_nouvel_article.txt").write_text(NEW_ARTICLE, encoding="utf-8")
    assert cached_run(corpus, out, nlp)["reused"] == 6
    assert len(list(segments.iterdir())) == 1
    (corpus / "n_autre_article.txt").write_text(OTHER_ARTICLE, encoding="utf-8")
    assert cached_run(corpus, out, nlp)["reused"] == 7
    assert len(list(segments.iterdir())) == 1
    assert cached_run(corpus, out, nlp)["reused"] == 8
    assert table_bytes(out) == full_run(corpus, tmp_path / "full", nlp)


def test_a_damaged_cache_is_discarded_or_bypassed_never_used(corpus, tmp_path, nlp):
    out = tmp_path / "out"
    cached_run(corpus, out, nlp)
    expected = table_bytes(out)
    (segment,) = (out / ".cache" / cache.SEGMENTS).iterdir()
    data = bytearray(segment.read_bytes())
    data[100:110] = b"XXXXXXXXXX"  # the first entry's bytes no longer match its digest
    segment.write_bytes(bytes(data))
    done = cached_run(corpus, out, nlp)
    assert (done["reused"], done["processed"]) == (5, 1)
    assert table_bytes(out) == expected
    (out / ".cache" / cache.INDEX).write_text("{not json", encoding="utf-8")
    done = cached_run(corpus, out, nlp)
    assert (done["reused"], done["discarded"]) == (0, "unreadable index")
    assert table_bytes(out) == expected


def test_failed_documents_are_not_cached(corpus, tmp_path, nlp, monkeypatch):
    """A document whose processing failed is tried again next time, as a full run would."""
    from pipeline import events

    out = tmp_path / "out"
    real = events.find_events

    def fails_on_drones(pairs, mentions, doc_date):
        if any("drone" in sentence.text for sentence, _ in pairs):
            raise RuntimeError("stage failed")
        return real(pairs, mentions, doc_date)

    monkeypatch.setattr(events, "find_events", fails_on_drones)
    cached_run(corpus, out, nlp)
    failed = tables.read_table(out, "documents").status.eq("error").sum()
    assert failed >= 1
    monkeypatch.setattr(events, "find_events", real)
    done = cached_run(corpus, out, nlp)
    assert (done["reused"], done["processed"]) == (6 - failed, failed)
    assert table_bytes(out) == full_run(corpus, tmp_path / "full", nlp)


def test_every_result_of_the_sample_corpus_reads_back_equal(nlp):
    """The record format carries every field of every result (tuples, nulls, sentence
    texts), so a restored result is the result."""
    from pipeline.engines import extractions
    from pipeline.ingest import read_corpus

    found = list(extractions(read_corpus(CORPUS), nlp=nlp))
    assert sum(len(x.events) for x in found) > 10
    for extraction in found:
        record = json.loads(json.dumps(cache.encode(extraction)))
        document = cache.copy_document(extraction.document)
        document.text = ""  # as the queue holds it
        assert cache.decode(record, document) == extraction


def test_a_result_the_records_cannot_carry_is_not_stored(tmp_path):
    """A field value JSON cannot give back (here a set where a tuple belongs) means the
    document is extracted again next time, never restored wrong."""
    from pipeline.ingest import from_text
    from pipeline.types import Event, Extraction

    def result(name: str, equipment) -> Extraction:
        document = from_text(OTHER_ARTICLE, doc_id=name, source=f"{name}.txt")
        event = Event("DELIVERY", "TUR", "NER", None, None, equipment, "livrés", 0, "", 5, 11)
        return Extraction(document=document, events=[event])

    fingerprint = "f" * 64
    with cache.ResultCache(tmp_path, fingerprint, "/corpus") as store:
        store.store(result("plain", ("uav",)))
        store.store(result("odd", frozenset({"uav"})))
        store.commit()
    with cache.ResultCache(tmp_path, fingerprint, "/corpus") as store:
        plain, odd = result("plain", ("uav",)), result("odd", frozenset({"uav"}))
        hit = store.lookup(plain.document)
        assert hit is not None and store.lookup(odd.document) is None
        assert store.restore(hit, plain.document) == plain


def test_two_workers_and_a_cache_give_the_same_bytes(corpus, tmp_path, nlp):
    out = tmp_path / "out"
    cached_run(corpus, out, nlp)
    grow(corpus, 2)
    done = write_tables(corpus, out, nlp=nlp, cache=True, workers=2).cache
    assert (done["reused"], done["processed"]) == (6, 12)
    assert table_bytes(out) == full_run(corpus, tmp_path / "full", nlp)


def test_cli_full_flag_and_summary_line(corpus, tmp_path, monkeypatch, nlp):
    monkeypatch.setattr("pipeline.nlp.load", lambda model="": nlp)
    runner, out = CliRunner(), tmp_path / "out"
    first = runner.invoke(cli.app, cli.route([str(corpus), "--out", str(out)]))
    assert first.exit_code == 0, first.output
    assert "reused 0, processed 6, dropped 0" in first.output
    again = runner.invoke(cli.app, cli.route([str(corpus), "--out", str(out)]))
    assert "reused 6, processed 0, dropped 0" in again.output
    full = runner.invoke(cli.app, cli.route([str(corpus), "--out", str(out), "--full"]))
    assert "reused 0, processed 6, dropped 0" in full.output
    words = " ".join(w for w in full.output.split() if w != "│")  # rows may wrap
    assert "(earlier results not used: --full)" in words
    assert json.loads((out / "run.json").read_text(encoding="utf-8"))["cache"]["processed"] == 6


def test_a_second_run_on_the_same_out_is_refused_while_one_holds_the_cache(corpus, tmp_path):
    out = tmp_path / "out"
    (out / ".cache").mkdir(parents=True)
    holder = cache.take_lock(out / ".cache" / cache.LOCK)
    try:
        result = CliRunner().invoke(cli.app, cli.route([str(corpus), "--out", str(out)]))
    finally:
        holder.close()
    assert result.exit_code == 2
    assert "another run is using the cache" in result.output
    assert not (out / "run.json").exists()


def test_an_interrupted_run_keeps_the_tables_and_its_work(corpus, tmp_path, nlp):
    """Ctrl-C (the CLI turns signals into KeyboardInterrupt) after three documents: the
    previous tables stay, and the next run reuses the three results."""
    out = tmp_path / "out"
    write_tables(CORPUS, out, nlp=nlp)  # earlier tables, another corpus, no cache
    before = files_of(out)
    seen = []

    def stop_after_three(extraction) -> None:
        seen.append(extraction)
        if len(seen) == 3:
            raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        write_tables(corpus, out, nlp=nlp, cache=True, on_extraction=stop_after_three)
    assert files_of(out) == before
    done = cached_run(corpus, out, nlp)
    assert (done["reused"], done["processed"]) == (3, 3)
    assert table_bytes(out) == full_run(corpus, tmp_path / "full", nlp)


# kill -9 ------------------------------------------------------------------------------


def grow(corpus: Path, copies: int) -> None:
    """``copies`` more copies of every sample article, under new names."""
    for copy in range(copies):
        for path in sorted(CORPUS.glob("*.txt")):
            shutil.copy(path, corpus / f"copy{copy}_{path.name}")


def index_entries(out: Path) -> int:
    try:
        text = (out / ".cache" / cache.INDEX).read_text(encoding="utf-8")
        return len(json.loads(text)["entries"])
    except (OSError, ValueError, KeyError):
        return 0


def kill_mid_run(corpus: Path, out: Path, ready) -> None:
    """Start `extract corpus --out out` in a process, wait until ``ready()``, kill -9."""
    env = os.environ | {"EXTRACT_CACHE_CHECKPOINT_SECONDS": "0"}
    child = subprocess.Popen(
        [sys.executable, "-m", "pipeline", str(corpus), "--out", str(out)],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline and not ready() and child.poll() is None:
            time.sleep(0.05)
        assert child.poll() is None, "the run ended before it could be killed"
        assert ready(), "the run did not get far enough in two minutes"
        child.send_signal(signal.SIGKILL)
        child.wait(timeout=30)
    finally:
        if child.poll() is None:
            child.kill()
            child.wait()
    assert child.returncode == -signal.SIGKILL


def test_kill_9_mid_run_keeps_the_tables_and_a_usable_cache(corpus, tmp_path, nlp):
    out = tmp_path / "out"
    cached_run(corpus, out, nlp)
    before = files_of(out)
    grow(corpus, 7)  # 48 documents: a run of many seconds
    # killed once it has published results past the first run's (a checkpoint) ...
    kill_mid_run(corpus, out, lambda: index_entries(out) >= 9)
    after = files_of(out)
    leftovers = {name for name in after if ".tmp-" in name}  # the killed writer's
    assert {k: v for k, v in after.items() if k not in leftovers} == before
    done = cached_run(corpus, out, nlp)
    assert done["reused"] >= 9 and done["reused"] + done["processed"] == 48
    assert table_bytes(out) == full_run(corpus, tmp_path / "full", nlp)


def test_kill_9_during_a_first_run_leaves_a_cache_the_next_run_can_use(corpus, tmp_path, nlp):
    out = tmp_path / "out"
    grow(corpus, 3)
    segments = out / ".cache" / cache.SEGMENTS
    # killed while writing its first results, maybe before any index exists
    kill_mid_run(corpus, out, lambda: segments.exists() and any(segments.iterdir()))
    assert not (out / "run.json").exists()
    done = cached_run(corpus, out, nlp)
    assert done["reused"] + done["processed"] == 24
    assert table_bytes(out) == full_run(corpus, tmp_path / "full", nlp)
