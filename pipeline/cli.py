"""The command line: parses arguments, shows progress, writes files, sets exit codes.

The work itself is in the library (`pipeline.run`, `pipeline.evaluate`, `pipeline.report`).
Heavy modules (spaCy, pandas) are imported inside the commands so that ``--help`` is
instant.
"""

from __future__ import annotations

import importlib.util
import json
import os
import signal
import sys
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console

EXTRACT_HELP = """Extract actors, events, equipment and dates from French news articles.

PATH is a folder (searched recursively for .txt, .md, .jsonl, .csv, .parquet) or one file.
Tables (documents, mentions, actors, events, equipment, errors) are written to --out as CSV
and Parquet.

Examples:

    extract corpus/

    extract corpus/ --out results/ --format parquet --workers 2

    extract evaluate tests/fixtures/gold        (scores against gold files)

    extract report outputs/ --corpus corpus/    (HTML report of a run)
"""

console = Console(stderr=True)
extract_app = typer.Typer(add_completion=False, rich_markup_mode=None)
tools_app = typer.Typer(add_completion=False, rich_markup_mode=None, no_args_is_help=True)
SUBCOMMANDS = ("evaluate", "evaluate-hipe", "report")


def fail(message: str) -> typer.Exit:
    console.print(f"[red]error:[/red] {message}", highlight=False, soft_wrap=True)
    return typer.Exit(2)


def parse_formats(value: str) -> tuple[str, ...]:
    formats = tuple(f.strip().lower() for f in value.split(",") if f.strip())
    unknown = [f for f in formats if f not in ("csv", "parquet")]
    if unknown or not formats:
        raise fail(
            f"unknown format {', '.join(unknown) or value!r}: use csv, parquet or csv,parquet"
        )
    return formats


@extract_app.command(help=EXTRACT_HELP)
def extract(
    path: Annotated[Path, typer.Argument(help="Folder or file of articles.")],
    out: Annotated[Path, typer.Option("--out", "-o", help="Output folder.")] = Path("outputs"),
    format: Annotated[
        str, typer.Option("--format", "-f", help="csv, parquet or csv,parquet.")
    ] = "csv,parquet",
    workers: Annotated[int, typer.Option("--workers", "-w", min=1, help="Worker processes.")] = 1,
    strict: Annotated[bool, typer.Option(help="Exit 1 if any document failed.")] = False,
    report: Annotated[bool, typer.Option("--report", help="Also write report.html.")] = False,
    engine: Annotated[str, typer.Option(help="local (default) or dask.")] = "local",
    scheduler: Annotated[
        str | None,
        typer.Option(help="Dask scheduler address (tcp://HOST:8786); none starts a local cluster."),
    ] = None,
) -> None:
    formats = parse_formats(format)
    if engine not in ("local", "dask"):
        raise fail(f"unknown engine {engine!r}: use local or dask")
    if engine == "dask" and importlib.util.find_spec("distributed") is None:
        raise fail("the dask engine needs Dask: pip install 'extract[dask]'")
    if not path.exists():
        raise fail(f"no such file or folder: {path}")
    if out.exists() and not out.is_dir():
        raise fail(f"--out must be a folder; {out} is a file")
    from pipeline.run import write_tables

    for signum in (signal.SIGINT, signal.SIGTERM):  # so the table writer can clean up
        signal.signal(signum, interrupted)
    with progress_bar() as advance:
        try:
            summary = write_tables(
                path,
                out,
                formats=formats,
                workers=workers,
                on_extraction=stop_if_interrupted(advance),
                engine=engine,
                scheduler=scheduler,
            )
        except OSError as exc:  # an output folder that cannot be written, a full disk...
            if engine == "dask" and not exc.filename:
                raise fail(f"cannot reach the Dask scheduler {scheduler}: {exc}") from None
            where = f": {exc.filename}" if exc.filename else ""
            raise fail(f"cannot write the tables ({exc.strerror or exc}{where})") from None
    if report:
        from pipeline.report import read_texts, write_report

        summary.files.append(write_report(out, texts=read_texts(path)))
    print_summary(summary)
    failed = sum(n for status, n in summary.documents.items() if status != "ok")
    if strict and failed:
        console.print(f"[red]{failed} document(s) failed[/red] (see errors table)")
        raise typer.Exit(1)


STOP_SIGNALS: list[int] = []  # signals received; checked after every document


def interrupted(signum, frame) -> None:
    """SIGINT, SIGTERM: stop. Python drops an exception raised inside a finaliser, so the
    signal is also recorded and `stop_if_interrupted` raises again at the next document."""
    STOP_SIGNALS.append(signum)
    raise KeyboardInterrupt(f"signal {signum}")


def stop_if_interrupted(advance):
    def on_extraction(extraction) -> None:
        if STOP_SIGNALS:
            raise KeyboardInterrupt(f"signal {STOP_SIGNALS[0]}")
        advance(extraction)

    return on_extraction


class progress_bar:
    """A rich progress bar over documents, silent when stderr is not a terminal."""

    def __enter__(self):
        if not console.is_terminal:
            return lambda extraction: None
        from rich.progress import (
            BarColumn,
            MofNCompleteColumn,
            Progress,
            TextColumn,
            TimeElapsedColumn,
        )

        self.progress = Progress(
            TextColumn("extracting"),
            BarColumn(),
            MofNCompleteColumn(),
            TimeElapsedColumn(),
            console=console,
            transient=True,
        )
        self.progress.start()
        task = self.progress.add_task("documents", total=None)
        return lambda extraction: self.progress.advance(task)

    def __exit__(self, *exc) -> None:
        if hasattr(self, "progress"):
            self.progress.stop()


def print_summary(summary) -> None:
    from rich.table import Table

    table = Table(title="extract", show_header=True)
    table.add_column("what")
    table.add_column("counts")
    table.add_row("documents", counts(summary.documents))
    table.add_row("mentions", counts(summary.mentions))
    table.add_row("events", counts(summary.events))
    table.add_row("rows", counts(summary.rows))
    folders = sorted({str(p.parent) for p in summary.files})
    table.add_row("written to", ", ".join(folders))
    Console().print(table)


def counts(counter) -> str:
    return ", ".join(f"{k} {v}" for k, v in sorted(counter.items())) or "none"


@tools_app.command(
    help="Score the pipeline against gold files (SPEC section 5).\n\n"
    "Example: extract evaluate tests/fixtures/gold --json"
)
def evaluate(
    gold_dir: Annotated[Path, typer.Argument(help="Folder of gold *.json files.")],
    pred: Annotated[
        Path | None,
        typer.Option(
            help="Score the tables of this output folder instead of running the pipeline."
        ),
    ] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON.")] = False,
    errors: Annotated[bool, typer.Option("--errors", help="List every mismatch.")] = False,
) -> None:
    if not gold_dir.is_dir():
        raise fail(f"no such folder: {gold_dir}")
    from pipeline import evaluate as scoring
    from pipeline.tables import TABLES, read_table

    frames = None
    if pred is not None:
        if not (pred / "mentions.csv").exists() and not (pred / "mentions.parquet").exists():
            raise fail(f"no output tables in {pred}")
        frames = {name: read_table(pred, name) for name in TABLES}
    try:
        result = scoring.evaluate(gold_dir, frames)
    except FileNotFoundError as exc:
        raise fail(str(exc)) from None
    if not errors:
        result.pop("errors")
    if as_json:
        print(json.dumps(result, indent=1, ensure_ascii=False))
    else:
        print_scores(result)


@tools_app.command(
    "evaluate-hipe",
    help="Score PER/LOC/ORG and DATE on a HIPE-2020 JSONL file "
    "(GPE counts as LOC).\n\nExample: extract evaluate-hipe "
    "../shared/benchmarks/hipe2020-fr/hipe2020-fr-test.jsonl",
)
def evaluate_hipe(
    path: Annotated[Path, typer.Argument(help="hipe2020-fr-*.jsonl")],
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON.")] = False,
) -> None:
    if not path.is_file():
        raise fail(f"no such file: {path}")
    from pipeline.benchmark_hipe import score_hipe

    result = score_hipe(path)
    print(json.dumps(result, indent=1) if as_json else format_hipe(result))


def format_hipe(result: dict) -> str:
    lines = [f"{'label':10} {'P':>6} {'R':>6} {'F1':>6}"]
    for label, s in result["strict"].items():
        lines.append(f"{label:10} {s['precision']:6.3f} {s['recall']:6.3f} {s['f1']:6.3f}")
    lines.append(f"DATE recall (overlap): {result['date_overlap_recall']:.3f}")
    return "\n".join(lines)


@tools_app.command(
    help="Write report.html for the tables in an output folder.\n\nExample: extract report outputs/"
)
def report(
    out_dir: Annotated[Path, typer.Argument(help="Folder of a run's tables.")],
    corpus: Annotated[
        Path | None,
        typer.Option(help="The run's corpus, to show each article with its mentions highlighted."),
    ] = None,
) -> None:
    if not out_dir.is_dir():
        raise fail(f"no such folder: {out_dir}")
    if corpus is not None and not corpus.exists():
        raise fail(f"no such file or folder: {corpus}")
    from pipeline.report import read_texts, write_report

    texts = read_texts(corpus) if corpus is not None else None
    console.print(f"wrote {write_report(out_dir, texts=texts)}")


def score_cells(scores: dict) -> list[str]:
    """Precision, recall, F1, gold and predicted counts of one `Counts.scores()` row."""
    return [f"{scores[k]:.3f}" for k in ("precision", "recall", "f1")] + [
        str(scores["gold"]),
        str(scores["pred"]),
    ]


def scores_table(title: str, first: str, extra: tuple[str, ...] = ()):
    from rich.table import Table

    table = Table(title=title)
    for column in (first, "P", "R", "F1", "gold", "pred", *extra):
        table.add_column(column, justify="right")
    return table


def print_scores(result: dict) -> None:
    out = Console()
    norms = result["normalisation"]
    table = scores_table(f"mentions ({result['documents']} documents)", "label", ("norm acc.",))
    for label, s in result["mentions"].items():
        norm = norms.get(label if label != "micro" else "all")
        table.add_row(label, *score_cells(s), "" if norm is None else f"{norm:.3f}")
    out.print(table)
    out.print(
        f"equipment category accuracy {norms['equipment_category']}, "
        f"model accuracy {norms['equipment_model']}"
    )
    table = scores_table("events (matched on type, source, target)", "type")
    for kind, s in result["events"].items():
        table.add_row(kind, *score_cells(s))
    out.print(table)
    out.print(
        "over matched events: "
        + ", ".join(f"{k} accuracy {v}" for k, v in result["event_fields"].items())
    )
    a = result["actors"]
    out.print(f"actors per document: P {a['precision']:.3f} R {a['recall']:.3f} F1 {a['f1']:.3f}")
    for e in result.get("errors", []):
        out.print(e, highlight=False)


def main(argv: list[str] | None = None) -> None:
    """Entry point: ``extract PATH ...`` or ``extract evaluate|evaluate-hipe|report ...``."""
    args = list(sys.argv[1:] if argv is None else argv)
    try:
        if args and args[0] in SUBCOMMANDS:
            tools_app(args, prog_name="extract")
        else:
            extract_app(args, prog_name="extract")
    except KeyboardInterrupt:
        console.print("interrupted: previous outputs left as they were")
        sys.exit(130)


def run() -> None:
    """The ``extract`` console command: `main`, then exit without tearing the interpreter
    down. Freeing the loaded model object by object takes half a second, and by now every
    output file is closed and renamed into place. (Library callers use `main`.)"""
    try:
        main()
        code = 0
    except SystemExit as done:
        code = done.code
        if isinstance(code, str):  # sys.exit("message"): print it, as Python would
            print(code, file=sys.stderr)
            code = 1
        code = 0 if code is None else code
    sys.stdout.flush()
    sys.stderr.flush()
    os._exit(code)


if __name__ == "__main__":
    run()
