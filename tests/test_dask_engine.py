"""Dask engine: same rows as the local engine, in input order, few batches in flight."""

import subprocess
import sys

import pytest

from pipeline import dask_engine
from pipeline.types import Document, Extraction

ARTICLES = {
    "a_livraison": (
        "date 2024-03-12\n"
        "Le Tchad a reçu jeudi deux hélicoptères Mi-24 livrés par la Russie, a annoncé le "
        "ministère de la Défense à N'Djamena. Selon l'état-major, les appareils seront "
        "basés à Abéché avant la fin du mois d'avril.\n"),
    "b_accord": (
        "date 2023-11-05\n"
        "Le Bénin et la France ont signé le 4 novembre 2023 un accord de coopération "
        "militaire portant sur la formation des officiers. L'Union africaine a salué "
        "cette décision.\n"),
    "c_attaque": (
        "date 2024-07-01\n"
        "Une attaque attribuée au Groupe de soutien à l'islam et aux musulmans a visé "
        "lundi un camp de l'armée burkinabè près de Djibo. Des drones Bayraktar TB2 ont "
        "ensuite frappé les assaillants, selon l'armée du Burkina Faso.\n"),
    "d_formation": (
        "date 2022-09-20\n"
        "Des instructeurs de l'Union européenne ont formé en septembre 2022 près de 300 "
        "soldats mauritaniens à Nouakchott. La mission doit se poursuivre jusqu'en 2025.\n"),
    "e_vide": "",
    "f_coup": (
        "date 2023-07-27\n"
        "Des militaires ont renversé le président du Niger, Mohamed Bazoum, dans la nuit "
        "du 26 juillet 2023. La CEDEAO a condamné le coup d'État et menacé Niamey de "
        "sanctions.\n"),
}


@pytest.fixture(scope="module")
def corpus(tmp_path_factory):
    folder = tmp_path_factory.mktemp("corpus")
    for name, text in ARTICLES.items():
        (folder / f"{name}.txt").write_text(text, encoding="utf-8")
    return folder


@pytest.fixture(scope="module")
def local_rows(corpus):
    from pipeline import engines, ingest
    from pipeline.rows import rows_for

    return [rows_for(e) for e in engines.extractions(ingest.read_corpus(corpus), workers=1)]


def dask_rows(corpus, **options):
    from pipeline import ingest
    from pipeline.rows import rows_for

    return [rows_for(e) for e in dask_engine.extractions(ingest.read_corpus(corpus), **options)]


def test_two_worker_local_cluster_gives_the_local_engine_rows(corpus, local_rows):
    pytest.importorskip("distributed", reason="dask[distributed] is not installed")
    local = local_rows
    on_dask = dask_rows(corpus, workers=2, batch_size=2)
    # input order is kept: three batches of two over two workers still come back sorted
    assert [r["documents"][0]["doc_id"] for r in on_dask] == sorted(ARTICLES)
    assert on_dask == local
    # and the comparison is not vacuous: the articles did yield states, equipment, events
    norms = {m["norm"] for r in on_dask for m in r["mentions"]}
    assert {"TCD", "RUS", "NER"} <= norms
    assert any(r["equipment"] for r in on_dask)
    assert any(r["events"] for r in on_dask)
    statuses = {r["documents"][0]["doc_id"]: r["documents"][0]["status"] for r in on_dask}
    assert statuses["e_vide"] == "empty" and statuses["a_livraison"] == "ok"


def test_a_running_scheduler_is_used_and_left_running(corpus, local_rows):
    pytest.importorskip("distributed", reason="dask[distributed] is not installed")
    from dask.distributed import LocalCluster

    with LocalCluster(n_workers=1, threads_per_worker=1, host="127.0.0.1",
                      dashboard_address=None) as cluster:
        rows = dask_rows(corpus, scheduler=cluster.scheduler_address, batch_size=4)
        assert rows == local_rows
        assert len(cluster.scheduler.workers) == 1  # the cluster is not ours to close


class FakeFuture:
    def __init__(self, client, function, args):
        self.client, self.function, self.args = client, function, args

    def result(self):
        return self.function(*self.args)

    def release(self):
        self.client.in_flight -= 1


class FakeClient:
    """Runs tasks when their result is asked for; records how many were in flight."""

    def __init__(self, threads):
        self.threads, self.in_flight, self.most, self.cancelled = threads, 0, 0, []

    def nthreads(self):
        return {f"tcp://127.0.0.1:{n}": 1 for n in range(self.threads)}

    def submit(self, function, *args, pure=True):
        assert pure is False
        self.in_flight += 1
        self.most = max(self.most, self.in_flight)
        return FakeFuture(self, function, args)

    def cancel(self, futures):
        self.cancelled.extend(futures)


def fake_batch(batch, batch_size):
    return [Extraction(document=d) for d in batch]


def documents(n):
    return (Document(doc_id=f"d{i:03d}", source=f"d{i:03d}.txt", text="x") for i in range(n))


def test_batches_come_back_in_order_with_a_bounded_window(monkeypatch):
    monkeypatch.setattr(dask_engine, "process_batch", fake_batch)
    client = FakeClient(threads=3)
    out = [e.document.doc_id for e in dask_engine._run(client, documents(100), 4, None)]
    assert out == [f"d{i:03d}" for i in range(100)]
    assert client.most == 6  # two batches per worker thread, never more
    assert client.in_flight == 0 and client.cancelled == []


def test_stopping_early_cancels_the_batches_still_in_flight(monkeypatch):
    monkeypatch.setattr(dask_engine, "process_batch", fake_batch)
    client = FakeClient(threads=1)
    run = dask_engine._run(client, documents(50), 5, None)
    assert [next(run).document.doc_id for _ in range(3)] == ["d000", "d001", "d002"]
    run.close()
    assert len(client.cancelled) == 1  # the first batch was taken, the second was queued


def test_the_local_engine_and_library_never_import_dask():
    code = ("import sys, pipeline.run, pipeline.engines, pipeline.cli; "
            "sys.exit(any(m == 'dask' or m.startswith(('dask.', 'distributed'))"
            " for m in sys.modules))")
    assert subprocess.run([sys.executable, "-c", code]).returncode == 0
