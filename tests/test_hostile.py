"""Hostile input, end to end (issue 7): broken files, odd encodings, formula-like cells,
long articles, interrupted runs and the CLI exit codes."""

from __future__ import annotations

import csv
import json
import os
import random
import signal
import subprocess
import sys
import time
from pathlib import Path

import pyarrow.parquet as pq
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from pipeline import cli, ingest, process, tables
from pipeline.run import write_tables

from .conftest import ROOT

SMALL_CHUNK = 2000
# A CR-led id is in test_csv_cell_with_bare_carriage_return (a known bug breaks the CSV).
FORMULA_IDS = ('=HYPERLINK("http://x")', "+33", "-2", "@SUM(A1)", "\tonglet", "\r\nretour")

# Our own sentences (never taken from the sample articles).
ARTICLE_NIGER = (
    "Le gouvernement du Niger a signé mardi à Niamey un accord de défense avec la Russie. "
    "Selon le ministre, l’accord prévoit la formation de soldats nigériens et la livraison "
    "de matériel. Les officiers français avaient quitté le pays l’année précédente.\n"
)
ARTICLE_MALI = (
    "Le Mali et le Burkina Faso ont annoncé une coopération renforcée en matière de sécurité. "
    "Des représentants du Sénégal et de la Côte d'Ivoire étaient présents à Bamako pour "
    "l'occasion. La réunion s'est terminée par une déclaration commune.\n"
)
ARTICLE_ENGLISH = (
    "The government of the country announced on Monday that it would buy new aircraft from "
    "a foreign supplier, and the minister said that the deal was signed after months of talks "
    "with the company and its partners.\n"
)
LONG_SENTENCES = (
    "Le Tchad a reçu des véhicules blindés livrés par la Turquie au mois de mars. ",
    "Les autorités du Cameroun ont annoncé une enquête après une attaque près de Maroua. ",
    "Le président du Bénin a rencontré à Cotonou une délégation venue du Togo. ",
    "La Mauritanie et l'Algérie discutent d'une surveillance commune de leur frontière.\n",
    "Un accord de formation lie désormais la Guinée et le Maroc pour trois ans. ",
)


def long_article(min_chars: int = 10_000) -> str:
    parts, size, n = [], 0, 0
    while size < min_chars:
        piece = LONG_SENTENCES[n % len(LONG_SENTENCES)]
        if n % 7 == 6:
            piece += "\n"  # paragraph breaks, so chunks cut at several kinds of boundary
        parts.append(piece)
        size += len(piece)
        n += 1
    return "".join(parts)


def build_corpus(folder: Path) -> dict:
    """The hostile corpus; returns facts the tests need (expected statuses by doc_id)."""
    folder.mkdir(parents=True)
    rng = random.Random(7)
    expected: dict[str, str] = {}

    def put(name: str, data: bytes, status: str | None) -> None:
        (folder / name).write_bytes(data)
        if status is not None:
            expected[name.rsplit(".", 1)[0]] = status

    put("empty.txt", b"", "empty")
    put("blank.txt", b"  \n\t \r\n   \n", "empty")
    put("binary.txt", bytes(rng.randrange(256) for _ in range(3000)) + b"\x00\x00", "undecodable")
    put("nul_inside.txt", ARTICLE_MALI.encode("utf-8").replace(b" ", b"\x00", 3), "undecodable")
    put("cp1252.txt", ARTICLE_NIGER.encode("cp1252"), "ok")
    put("latin1.txt", ARTICLE_MALI.encode("latin-1"), "ok")
    put("utf16.txt", ARTICLE_NIGER.encode("utf-16"), "ok")  # Python writes the BOM
    put("crlf.txt", ARTICLE_MALI.replace("\n", "\r\n").encode("utf-8") * 2, "ok")
    put("english.txt", ARTICLE_ENGLISH.encode("utf-8"), "not_french")
    put("long.txt", long_article().encode("utf-8"), "ok")
    put("notes.docx", b"PK\x03\x04 not supported", "error")
    # A formula-like file name reaches doc_id and source.
    put("=cmd.txt", ("=SUM(1;2) " + ARTICLE_MALI).encode("utf-8"), "ok")
    # A file name that is not UTF-8 (Python keeps its bytes as lone surrogates).
    (folder / os.fsdecode(b"nom-\xff\xfe.txt")).write_bytes(ARTICLE_MALI.encode("utf-8"))
    expected["nom-\\xff\\xfe"] = "ok"
    # Not regular files: reading a pipe waits for a writer, /dev/zero never ends.
    os.mkfifo(folder / "pipe.txt")
    os.symlink("/dev/zero", folder / "zero.txt")
    expected["pipe"] = expected["zero"] = "error"
    unreadable = folder / "unreadable.txt"
    unreadable.write_bytes(ARTICLE_NIGER.encode("utf-8"))
    unreadable.chmod(0)
    readable_anyway = os.access(unreadable, os.R_OK)  # root reads it regardless
    expected["unreadable"] = "ok" if readable_anyway else "error"
    # A folder link loop (must not trap the walk) and a file link loop (must be an error).
    (folder / "loop").mkdir()
    (folder / "loop" / "inside.txt").write_text(ARTICLE_MALI, encoding="utf-8")
    expected["loop/inside"] = "ok"
    os.symlink("..", folder / "loop" / "back")
    os.symlink("ping.txt", folder / "pong.txt")
    os.symlink("pong.txt", folder / "ping.txt")
    expected["ping"] = expected["pong"] = "error"
    lines = [
        json.dumps({"id": "j-good-1", "text": ARTICLE_NIGER, "date": "2024-03"}),
        '{"id": "j-broken", "text": "Le Niger',
        json.dumps({"id": "j-good-2", "text": ARTICLE_MALI}),
        json.dumps([1, 2, 3]),
        json.dumps({"id": "j-number", "text": 42}),
    ]
    expected.update({"j-good-1": "ok", "rows:2": "error", "j-good-2": "ok"})
    expected.update({"rows:4": "error", "j-number": "error", "j-surrogate\ufffd": "ok"})
    for n, formula in enumerate(FORMULA_IDS):
        text = f"{formula} " + (ARTICLE_NIGER if n % 2 else ARTICLE_MALI)
        lines.append(json.dumps({"id": formula, "text": text, "source_name": formula}))
        expected[formula] = "ok"
    # JSON can spell lone surrogate halves, which no UTF-8 table can hold.
    lines.append(json.dumps({"id": "j-surrogate\ud800", "text": "\udc00 " + ARTICLE_NIGER}))
    put("rows.jsonl", "\n".join(lines).encode("utf-8"), None)
    with open(folder / "table.csv", "w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(["id", "text", "date"])
        writer.writerow(["c-good", ARTICLE_NIGER, "2024-05-02"])
        writer.writerow(["c-no-text", "", "2024-05-03"])
        writer.writerow(["c-good-2", ARTICLE_MALI, "pas une date"])
        writer.writerow(["c-long", long_article(150_000), ""])  # over csv's 128 KiB default
    expected.update({"c-good": "ok", "c-no-text": "empty", "c-good-2": "ok", "c-long": "ok"})
    return {"expected": expected, "readable_anyway": readable_anyway}


def run_hostile(corpus: Path, out: Path, nlp) -> dict:
    """One run with small chunks; returns the extractions by doc_id and the chunk sizes."""
    extractions, pieces = {}, []
    real_chunks = process.chunks

    def small_chunks(text, start, size=SMALL_CHUNK):
        found = list(real_chunks(text, start, SMALL_CHUNK))
        pieces.append(found)
        return iter(found)

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(process, "CHUNK_CHARS", SMALL_CHUNK)
        # the pieces are also recorded here, to check long-document offsets per piece
        patch.setattr(process, "chunks", small_chunks)
        summary = write_tables(
            corpus,
            out,
            nlp=nlp,
            on_extraction=lambda e: extractions.__setitem__(e.document.doc_id, e),
        )
    return {"summary": summary, "extractions": extractions, "pieces": pieces}


@pytest.fixture(scope="module")
def hostile(tmp_path_factory, nlp):
    base = tmp_path_factory.mktemp("hostile")
    facts = build_corpus(base / "corpus")
    run = run_hostile(base / "corpus", base / "out", nlp)
    yield {"base": base, "corpus": base / "corpus", "out": base / "out", **facts, **run}
    (base / "corpus" / "unreadable.txt").chmod(0o644)


def read_csv_rows(path: Path) -> list[dict]:
    with open(path, encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def decoded(hostile, name: str, encoding: str) -> str:
    return (hostile["corpus"] / name).read_bytes().decode(encoding)


# 1. The hostile corpus ---------------------------------------------------------------


def test_every_file_and_row_is_accounted_for(hostile):
    documents = read_csv_rows(hostile["out"] / "documents.csv")
    got = {row["doc_id"].removeprefix("'"): row["status"] for row in documents}
    assert got == hostile["expected"]
    assert len(documents) == len(hostile["expected"])  # no duplicates, nothing extra


def test_bad_inputs_have_clear_error_rows(hostile):
    errors = {
        row["doc_id"]: (row["stage"], row["message"])
        for row in pq.read_table(hostile["out"] / "errors.parquet").to_pylist()
    }
    bad = {k for k, status in hostile["expected"].items() if status != "ok"}
    assert set(errors) == bad
    assert errors["empty"] == ("ingest", "empty: no article text")
    assert errors["blank"] == ("ingest", "empty: no article text")
    assert errors["binary"] == ("ingest", "undecodable: binary content (NUL bytes)")
    assert errors["nul_inside"] == ("ingest", "undecodable: binary content (NUL bytes)")
    assert errors["english"] == ("ingest", "not_french: article does not look French")
    assert errors["notes"] == ("ingest", "error: unsupported file type .docx")
    assert errors["rows:2"][1].startswith("error: malformed JSON")
    assert errors["rows:4"][1] == "error: line is not a JSON object"
    assert errors["j-number"][1] == "error: text is not a string"
    assert errors["c-no-text"][1] == "empty: no article text"
    assert errors["pipe"][1] == "error: not a regular file (device, pipe or socket)"
    assert errors["zero"][1] == "error: not a regular file (device, pipe or socket)"
    assert errors["ping"][1].startswith("error: cannot read file: Too many levels")
    assert errors["pong"][1].startswith("error: cannot read file: Too many levels")


def test_names_and_text_no_utf8_can_hold_are_kept_readable(hostile):
    documents = {row["doc_id"]: row for row in read_csv_rows(hostile["out"] / "documents.csv")}
    assert documents["nom-\\xff\\xfe"]["source"] == "nom-\\xff\\xfe.txt"
    lone = hostile["extractions"]["j-surrogate\ufffd"]
    assert lone.document.text.startswith("\ufffd ") and lone.mentions


def test_unreadable_file_is_an_error(hostile):
    if hostile["readable_anyway"]:
        pytest.skip("running as root: a chmod 000 file is still readable")
    errors = pq.read_table(hostile["out"] / "errors.parquet").to_pylist()
    row = next(r for r in errors if r["doc_id"] == "unreadable")
    assert row["message"] == "error: cannot read file: Permission denied"


def mentions_of(hostile, doc_id: str) -> list[dict]:
    rows = pq.read_table(hostile["out"] / "mentions.parquet").to_pylist()
    return [r for r in rows if r["doc_id"] == doc_id]


def assert_offsets(mentions: list[dict], text: str) -> None:
    assert mentions
    for m in mentions:
        assert text[m["start"] : m["end"]] == m["text"], m


def test_cp1252_article_gives_its_mentions(hostile):
    documents = {
        r["doc_id"]: r for r in pq.read_table(hostile["out"] / "documents.parquet").to_pylist()
    }
    assert documents["cp1252"]["encoding"] == "cp1252"
    text = decoded(hostile, "cp1252.txt", "cp1252")
    assert "l’accord" in text
    mentions = mentions_of(hostile, "cp1252")
    assert_offsets(mentions, text)
    found = {(m["text"], m["label"], m["norm"]) for m in mentions}
    assert ("Niger", "GPE", "NER") in found and ("Russie", "GPE", "RUS") in found
    niger = next(m for m in mentions if m["text"] == "Niger")
    assert (niger["start"], niger["end"]) == (text.index("Niger"), text.index("Niger") + 5)


@pytest.mark.parametrize(
    ("doc_id", "name", "encoding", "expected"),
    [
        ("latin1", "latin1.txt", "latin-1", ("Mali", "GPE", "MLI")),
        ("utf16", "utf16.txt", "utf-16", ("Russie", "GPE", "RUS")),
        ("crlf", "crlf.txt", "utf-8", ("Sénégal", "GPE", "SEN")),
        ("loop/inside", "loop/inside.txt", "utf-8", ("Mali", "GPE", "MLI")),
    ],
)
def test_other_encodings_give_mentions_with_offsets(hostile, doc_id, name, encoding, expected):
    text = decoded(hostile, name, encoding)
    mentions = mentions_of(hostile, doc_id)
    assert_offsets(mentions, text)
    assert expected in {(m["text"], m["label"], m["norm"]) for m in mentions}
    if doc_id == "crlf":  # offsets count the \r of every line end
        assert "\r\n" in text and max(m["end"] for m in mentions) > len(text) // 2


def test_long_article_offsets_across_chunks(hostile):
    text = decoded(hostile, "long.txt", "utf-8")
    long_pieces = next(p for p in hostile["pieces"] if len(p) > 1)
    assert len(long_pieces) >= 5 and "".join(t for _, t in long_pieces) == text
    boundaries = [offset for offset, _ in long_pieces[1:]]
    mentions = mentions_of(hostile, "long")
    assert_offsets(mentions, text)
    # mentions in every piece, not just the first
    for low, high in zip([0, *boundaries], [*boundaries, len(text)], strict=True):
        assert any(low <= m["start"] < high for m in mentions), (low, high)
    assert sum(m["text"] == "Tchad" for m in mentions) >= 10
    sentences = hostile["extractions"]["long"].sentences
    assert [s.sent_id for s in sentences] == list(range(len(sentences)))
    assert all(a.end <= b.start for a, b in zip(sentences, sentences[1:], strict=False))
    assert all(text[s.start : s.end] == s.text for s in sentences)
    by_start = sorted(mentions, key=lambda m: m["start"])
    ids = [m["sent_id"] for m in by_start]
    assert ids == sorted(ids) and ids[-1] > len(sentences) // 2
    for m in mentions:
        sentence = sentences[m["sent_id"]]
        assert sentence.start <= m["start"] and m["end"] <= sentence.end


def test_chunk_chars_is_read_when_chunking(monkeypatch):
    monkeypatch.setattr(process, "CHUNK_CHARS", SMALL_CHUNK)
    assert len(list(process.chunks(long_article(), 0))) > 1


def test_csv_cell_with_bare_carriage_return(tmp_path):
    row = {"doc_id": "\rretour", "source": "a\rb.txt", "status": "ok", "n_chars": 3}
    with tables.TableWriter(tmp_path, formats=("csv",)) as writer:
        writer.write("documents", [row])
    rows = read_csv_rows(tmp_path / "documents.csv")
    assert len(rows) == 1
    assert (rows[0]["doc_id"], rows[0]["source"]) == ("'\rretour", "a\rb.txt")


def all_csv_cells(out: Path):
    for name in tables.TABLES:
        with open(out / f"{name}.csv", encoding="utf-8", newline="") as handle:
            rows = list(csv.reader(handle))
        assert rows[0] == tables.columns(name)
        for row in rows[1:]:
            yield from ((name, cell) for cell in row)


def test_no_csv_cell_can_run_as_a_formula(hostile):
    cells = list(all_csv_cells(hostile["out"]))
    bad = [(name, cell) for name, cell in cells if cell.startswith(tables.FORMULA_STARTS)]
    assert bad == []
    for formula in FORMULA_IDS:  # each formula id reached the CSV, neutralised
        assert ("documents", "'" + formula) in cells
    assert ("documents", "'=cmd") in cells and ("documents", "'=cmd.txt") in cells


def test_parquet_keeps_the_original_values(hostile):
    documents = pq.read_table(hostile["out"] / "documents.parquet").to_pylist()
    ids = {row["doc_id"] for row in documents}
    assert set(FORMULA_IDS) <= ids and "=cmd" in ids
    mentions = pq.read_table(hostile["out"] / "mentions.parquet").to_pylist()
    assert {m["doc_id"] for m in mentions} >= set(FORMULA_IDS)
    tab = next(r for r in documents if r["doc_id"] == "\tonglet")
    assert tab["status"] == "ok" and tab["source"] == "rows.jsonl:10"


def test_second_run_gives_identical_csv(hostile, nlp):
    again = hostile["base"] / "again"
    run_hostile(hostile["corpus"], again, nlp)
    for name in tables.TABLES:
        first = (hostile["out"] / f"{name}.csv").read_bytes()
        assert (again / f"{name}.csv").read_bytes() == first, name


# 2. Interrupted runs -----------------------------------------------------------------


def big_corpus(folder: Path, n: int = 2000) -> None:
    folder.mkdir(parents=True)
    for i in range(n):
        body = long_article(1500)
        (folder / f"article_{i:04d}.txt").write_text(f"Dépêche {i}. " + body, encoding="utf-8")


def snapshot(out: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(out.iterdir()) if p.is_file()}


@pytest.fixture(scope="module")
def interrupt_setup(tmp_path_factory, nlp):
    base = tmp_path_factory.mktemp("interrupt")
    big_corpus(base / "big")
    small = base / "small"
    small.mkdir()
    (small / "one.txt").write_text(ARTICLE_NIGER, encoding="utf-8")
    return base, small


@pytest.mark.parametrize("signum", [signal.SIGINT, signal.SIGTERM])
def test_interrupt_keeps_previous_outputs(interrupt_setup, nlp, signum):
    base, small = interrupt_setup
    out = base / f"out_{signum.name}"
    write_tables(small, out, nlp=nlp)
    before = snapshot(out)
    assert set(before) == {f"{t}.{f}" for t in tables.TABLES for f in tables.FORMATS} | {
        "run.json"
    }
    child = subprocess.Popen(
        [sys.executable, "-m", "pipeline", str(base / "big"), "--out", str(out)],
        cwd=ROOT,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    try:
        # The temporary files appear when the run starts, before the model loads; a few
        # seconds later it is extracting (a fast machine) or still loading (a slow one).
        # Either way it is far from done: the corpus takes minutes.
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline and not list(out.glob(".mentions.csv.tmp-*")):
            time.sleep(0.1)
        time.sleep(6)
        assert child.poll() is None, "the run ended before it could be interrupted"
        assert list(out.glob(".*.tmp-*")), "no temporary files while running"
        child.send_signal(signum)
        _, stderr = child.communicate(timeout=30)
    finally:
        if child.poll() is None:
            child.kill()
            child.wait()
    assert child.returncode == 128 + signum, stderr.decode()  # 130 for SIGINT, 143 SIGTERM
    assert b"Traceback" not in stderr
    said = [line for line in stderr.decode().splitlines() if line.strip()]
    assert said == [f"interrupted: the previous outputs in {out} were kept"], said
    assert snapshot(out) == before
    assert list(out.glob(".*tmp*")) == []


# 3. CLI ------------------------------------------------------------------------------

runner = CliRunner()


def missing_path_output(path: str):
    result = runner.invoke(cli.app, cli.route([path]), prog_name="extract")
    assert result.exit_code == 2
    assert "Traceback" not in result.output
    return [line for line in result.output.splitlines() if line.strip()]


def test_cli_missing_path_is_one_line_usage_error(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    assert missing_path_output("NOPATH") == ["error: no such file or folder: NOPATH"]


def test_cli_missing_long_path_is_still_one_line(tmp_path):
    path = str(tmp_path / ("very_long_folder_name_" * 4) / "NOPATH")
    assert missing_path_output(path) == [f"error: no such file or folder: {path}"]


def test_cli_unknown_format_is_usage_error(hostile, tmp_path):
    result = runner.invoke(
        cli.app,
        cli.route([str(hostile["corpus"]), "--format", "xlsx", "--out", str(tmp_path)]),
        prog_name="extract",
    )
    assert result.exit_code == 2 and "unknown format 'xlsx'" in result.output
    assert not (tmp_path / "documents.csv").exists()


def test_cli_strict_on_hostile_corpus(hostile, tmp_path, monkeypatch, nlp):
    monkeypatch.setattr("pipeline.nlp.load", lambda model="": nlp)
    result = runner.invoke(
        cli.app,
        cli.route([str(hostile["corpus"]), "--out", str(tmp_path), "--strict", "--format", "csv"]),
        prog_name="extract",
    )
    assert result.exit_code == 1, result.output
    assert "document(s) failed" in result.output
    documents = read_csv_rows(tmp_path / "documents.csv")
    assert len(documents) == len(hostile["expected"])
    errors = read_csv_rows(tmp_path / "errors.csv")
    assert {r["doc_id"] for r in errors} >= {"empty", "binary", "english", "rows:2"}


# 4. Property: random text never breaks the processor ---------------------------------

_CACHE: dict = {}


@pytest.fixture(scope="module")
def processor(nlp):
    _CACHE.setdefault("processor", process.Processor(nlp))
    return _CACHE["processor"]


noise = st.text(
    alphabet=st.characters(codec="utf-8", exclude_categories=("Cs",)), min_size=0, max_size=80
)
french_bits = st.sampled_from(
    ["Le Niger", " et la Russie ", "à Bamako, ", "le 3 mars 2024", "\n\n", " deux hélicoptères "]
)


@settings(
    max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(st.lists(st.one_of(noise, french_bits), min_size=1, max_size=8))
def test_random_text_never_breaks_processing(processor, parts):
    text = "".join(parts)
    document = ingest.from_text(text, doc_id="h", source="<h>")
    assert document.status in ("ok", "empty", "not_french", "undecodable")
    [extraction] = list(processor.process([document]))
    assert extraction.errors == [] and extraction.document.status != "error"
    for m in extraction.mentions:
        assert text[m.start : m.end] == m.text


def test_a_failing_parse_costs_only_its_own_document(processor, monkeypatch):
    """Candidate sentences of a batch are parsed together; if that fails, each document
    is parsed alone and only the one at fault is an error."""
    real_parse = process.model.parse_spans

    def parse(nlp, spans):
        if any("Tombouctou" in span.text for span in spans):
            raise RuntimeError("parser broke")
        return real_parse(nlp, spans)

    monkeypatch.setattr(process.model, "parse_spans", parse)
    good = ingest.from_text(ARTICLE_NIGER, doc_id="good", source="<good>")
    bad_text = "Le Mali a reçu des drones livrés par la Turquie à Tombouctou en mars 2024.\n"
    bad = ingest.from_text(bad_text, doc_id="bad", source="<bad>")
    first, second = processor.process_batch([good, bad])
    assert first.document.status == "ok" and first.events and first.errors == []
    assert second.document.status == "error"
    assert second.errors == [("process", "RuntimeError: parser broke")]
