"""Benchmark: `extract` end to end against bare spaCy `nlp.pipe`, same texts, same run.

Builds a corpus of distinct articles by recombining sentences of `corpus/` (seeded, so
every run uses the same texts), then alternates, several times: bare spaCy (load
`fr_core_news_md`, `nlp.pipe` every text with every component), bare spaCy with
`n_process=2`, `extract` with 1 worker and `extract` with 2 workers, each in a fresh
process so model loading counts for both. The gates: 1 worker against bare `nlp.pipe`,
2 workers against bare `n_process=2`, peak memory of 1 worker against bare.
Prints the median wall ratio against bare spaCy, words per second and peak memory (max
resident set of the process, or of its largest worker), the time of `extract --help`,
then the peak memory of 1 worker on ten times more documents.

Then the incremental case (issue 18): `extract` on a corpus of 1,000 articles (a first
run, which writes the result cache), then 10 more articles added among them, and `extract`
again into the same --out: the second run's wall time over the first's (target <= 0.15),
and a third run with nothing new.

    python scripts/bench.py [--docs 100] [--repeats 5] [--only throughput|incremental]
"""

from __future__ import annotations

import argparse
import json
import os
import random
import re
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PREFIX = re.compile(r"\A\s*date\s+\S+\s*")
BARE = """
import sys, pathlib, spacy
texts = [p.read_text(encoding="utf-8") for p in sorted(pathlib.Path(sys.argv[1]).glob("*.txt"))]
nlp = spacy.load("fr_core_news_md")
for doc in nlp.pipe(texts, batch_size=64, n_process=int(sys.argv[2])):
    pass
"""


def sentence_pool() -> list[str]:
    pool = []
    for path in sorted((ROOT / "corpus").glob("*.txt")):
        body = PREFIX.sub("", path.read_text(encoding="utf-8"))
        pool += [s.strip() for s in re.split(r"(?<=[.!?»])\s+", body) if len(s.split()) > 3]
    return pool


def build_corpus(folder: Path, n_docs: int, seed: int = 13) -> int:
    """Writes ``n_docs`` distinct articles; returns the number of words."""
    pool, rng, words, seen = sentence_pool(), random.Random(seed), 0, set()
    folder.mkdir(parents=True, exist_ok=True)
    n = 0
    while n < n_docs:
        picked = rng.sample(pool, rng.randint(8, min(16, len(pool))))
        body = " ".join(picked)
        if body in seen:
            continue
        seen.add(body)
        month, day = rng.randint(1, 12), rng.randint(1, 28)
        text = f"date 2024-{month:02d}-{day:02d} {body}\n"
        (folder / f"article_{n:05d}.txt").write_text(text, encoding="utf-8")
        words += len(body.split())
        n += 1
    return words


def timed(command: list[str]) -> tuple[float, float]:
    """(wall seconds, peak resident MiB of the process or of its largest descendant)."""
    start = time.perf_counter()
    process = subprocess.Popen(command, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    _, status, usage = os.wait4(process.pid, 0)
    wall = time.perf_counter() - start
    stderr = process.stderr.read().decode(errors="replace")
    process.stderr.close()
    if os.waitstatus_to_exitcode(status) != 0:
        raise SystemExit(f"command failed: {' '.join(command)}\n{stderr}")
    # Linux's wait4 reports the larger of the process's peak and its reaped children's
    return wall, usage.ru_maxrss / 1024


EXTRACT = [sys.executable, "-m", "pipeline"]  # the `extract` command of this tree (cwd ROOT)


def extract_command(corpus: Path, out: Path, workers: int, *, full: bool = True) -> list[str]:
    """The command of a run. ``full`` (the throughput and memory cases): every document
    extracted, whatever an earlier pass left in the --out's result cache."""
    command = [*EXTRACT, str(corpus), "--out", str(out), "--workers", str(workers)]
    return [*command, "--full"] if full else command


def incremental(n_docs: int, n_added: int) -> float:
    """A first run on ``n_docs`` articles, then ``n_added`` more spread among them and a
    second run into the same --out; returns the second run's wall time over the first's."""
    with tempfile.TemporaryDirectory() as tmp:
        corpus, held, out = Path(tmp, "corpus"), Path(tmp, "held"), Path(tmp, "out")
        build_corpus(corpus, n_docs + n_added, seed=41)
        held.mkdir()
        files = sorted(corpus.glob("*.txt"))
        step = len(files) // n_added
        added = [files[i * step + step // 2] for i in range(n_added)]  # spread, not last
        for path in added:
            path.rename(held / path.name)
        print(f"\nincremental: {n_docs} articles, then {n_added} added among them", flush=True)
        first, _ = timed(extract_command(corpus, out, 1, full=False))
        print(f"  {'first run (writes the cache)':30} {first:7.2f} s  {cache_line(out)}")
        for path in added:
            (held / path.name).rename(path)
        second, _ = timed(extract_command(corpus, out, 1, full=False))
        print(f"  {f'second run ({n_added} added)':30} {second:7.2f} s  {cache_line(out)}")
        third, _ = timed(extract_command(corpus, out, 1, full=False))
        print(f"  {'third run (nothing new)':30} {third:7.2f} s  {cache_line(out)}")
        ratio = second / first
        verdict = "ok" if ratio <= 0.15 else "over the 0.15 target"
        print(f"  second / first: {ratio:.3f} ({verdict})")
        return ratio


def cache_line(out: Path) -> str:
    cache = json.loads((out / "run.json").read_text(encoding="utf-8")).get("cache") or {}
    return ", ".join(f"{k} {cache.get(k)}" for k in ("reused", "processed", "dropped"))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--docs", type=int, default=100)
    parser.add_argument("--repeats", type=int, default=5)
    parser.add_argument("--skip-scaling", action="store_true")
    parser.add_argument(
        "--only", choices=("throughput", "incremental"), help="run one case (default: both)"
    )
    parser.add_argument("--incremental-docs", type=int, default=1000)
    parser.add_argument("--added", type=int, default=10)
    args = parser.parse_args()
    if args.only != "incremental":
        throughput(args)
    if args.only != "throughput":
        incremental(args.incremental_docs, args.added)


def throughput(args) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        corpus, out = Path(tmp, "corpus"), Path(tmp, "out")
        words = build_corpus(corpus, args.docs)
        print(
            f"machine: {os.cpu_count()} cores, Python {sys.version.split()[0]}; "
            f"corpus: {args.docs} articles, {words} words"
        )
        commands = {
            "bare": [sys.executable, "-c", BARE, str(corpus), "1"],
            "bare-2": [sys.executable, "-c", BARE, str(corpus), "2"],  # nlp.pipe(n_process=2)
            "extract-1": extract_command(corpus, out, 1),
            "extract-2": extract_command(corpus, out, 2),
        }
        runs = {name: [] for name in commands}
        for repeat in range(args.repeats):
            for name, command in commands.items():  # alternate, so drift hits all alike
                runs[name].append(timed(command))
                print(
                    f"  pass {repeat + 1} {name:10} {runs[name][-1][0]:6.2f} s "
                    f"{runs[name][-1][1]:7.0f} MiB",
                    flush=True,
                )
        bare_wall = statistics.median(w for w, _ in runs["bare"])
        bare_mem = statistics.median(m for _, m in runs["bare"])
        header = ("run", "median s", "ratio", "words/s", "peak MiB", "mem ratio")
        print("\n{:10} {:>9} {:>6} {:>8} {:>9} {:>9}".format(*header))
        for name, results in runs.items():
            wall = statistics.median(w for w, _ in results)
            mem = statistics.median(m for _, m in results)
            print(
                f"{name:10} {wall:9.2f} {wall / bare_wall:6.2f} {words / wall:8.0f} "
                f"{mem:9.0f} {mem / bare_mem:9.2f}"
            )
        median = {name: statistics.median(w for w, _ in r) for name, r in runs.items()}
        memory = {name: statistics.median(m for _, m in r) for name, r in runs.items()}
        gates = (
            ("1 worker / bare nlp.pipe", median["extract-1"] / median["bare"], 0.8),
            ("2 workers / bare n_process=2", median["extract-2"] / median["bare-2"], 0.75),
            ("peak memory, 1 worker / bare", memory["extract-1"] / memory["bare"], 0.6),
        )
        print()
        for label, ratio, bound in gates:
            verdict = "ok" if ratio <= bound else f"over {bound}"
            print(f"{label:30} {ratio:5.2f}  (target <= {bound}: {verdict})")
        help_runs = [timed([*EXTRACT, "--help"])[0] for _ in range(5)]
        print(f"\nextract --help: median {statistics.median(help_runs):.2f} s")
        if not args.skip_scaling:
            big = Path(tmp, "corpus10")
            build_corpus(big, args.docs * 10, seed=29)
            _, small_mem = timed(extract_command(corpus, out, 1))
            _, big_mem = timed(extract_command(big, out, 1))
            print(
                f"\npeak memory, 1 worker: {args.docs} docs {small_mem:.0f} MiB, "
                f"{args.docs * 10} docs {big_mem:.0f} MiB "
                f"(+{100 * (big_mem / small_mem - 1):.1f} %)"
            )


if __name__ == "__main__":
    main()
