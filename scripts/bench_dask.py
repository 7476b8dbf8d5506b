"""Benchmark: the Dask engine against the local engine, end to end, same texts, same run.

Builds the corpus of `scripts/bench.py` (distinct articles recombined from `corpus/`,
seeded), then alternates, several times: the local engine with 1 worker, the local engine
with 2 workers, and the Dask engine on a 2-worker local cluster. Each run is a fresh
process that reads the corpus and writes every table (CSV and Parquet), so model loading
and cluster start-up count. Prints the median wall time, words per second, the ratio to
the local engine with 1 worker, and peak memory (max resident set of the process or of its
largest descendant).

    python scripts/bench_dask.py [--docs 200] [--repeats 3]
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from bench import build_corpus, timed  # noqa: E402

RUNS = {"local-1": ("local", 1), "local-2": ("local", 2), "dask-2": ("dask", 2)}


def run(engine: str, workers: int, corpus: str, out: str) -> None:
    """One end-to-end run, as `pipeline.run.write_tables` does it, on either engine."""
    from pipeline import ingest, tables
    from pipeline.actors import ActorCounter
    from pipeline.rows import rows_for

    documents = ingest.read_corpus(corpus)
    if engine == "dask":
        from pipeline.dask_engine import extractions

        found = extractions(documents, workers=workers)
    else:
        from pipeline.engines import extractions

        found = extractions(documents, workers=workers)
    actors = ActorCounter()
    with tables.TableWriter(out) as writer:
        for extraction in found:
            actors.add(extraction)
            for name, rows in rows_for(extraction).items():
                writer.write(name, rows)
        writer.write("actors", actors.rows())


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--docs", type=int, default=200)
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--run", nargs=4, metavar=("ENGINE", "WORKERS", "CORPUS", "OUT"),
                        help=argparse.SUPPRESS)  # one timed run, in its own process
    args = parser.parse_args()
    if args.run:
        engine, workers, corpus, out = args.run
        run(engine, int(workers), corpus, out)
        return
    with tempfile.TemporaryDirectory() as tmp:
        corpus = Path(tmp, "corpus")
        words = build_corpus(corpus, args.docs)
        print(f"machine: {os.cpu_count()} cores, Python {sys.version.split()[0]}; "
              f"corpus: {args.docs} articles, {words} words")
        results: dict[str, list[tuple[float, float]]] = {name: [] for name in RUNS}
        for repeat in range(args.repeats):
            for name, (engine, workers) in RUNS.items():  # alternate, so drift hits all alike
                command = [sys.executable, __file__, "--run", engine, str(workers),
                           str(corpus), str(Path(tmp, f"out-{name}"))]
                results[name].append(timed(command))
                wall, mem = results[name][-1]
                print(f"  pass {repeat + 1} {name:8} {wall:6.2f} s {mem:7.0f} MiB", flush=True)
        base = statistics.median(w for w, _ in results["local-1"])
        print(f"\n{'run':8} {'median s':>9} {'words/s':>8} {'vs local-1':>10} {'peak MiB':>9}")
        for name, timings in results.items():
            wall = statistics.median(w for w, _ in timings)
            mem = statistics.median(m for _, m in timings)
            print(f"{name:8} {wall:9.2f} {words / wall:8.0f} {base / wall:10.2f} {mem:9.0f}")
        same = all((Path(tmp, "out-local-1", f"{t}.csv").read_bytes()
                    == Path(tmp, f"out-{name}", f"{t}.csv").read_bytes())
                   for name in RUNS for t in ("documents", "mentions", "events", "equipment",
                                              "actors", "errors"))
        print(f"\ntables identical across engines: {'yes' if same else 'NO'}")


if __name__ == "__main__":
    main()
