"""The command line: parses arguments, shows progress, writes files, sets exit codes.

The work itself is in the library (`pipeline.run`, `pipeline.evaluate`, `pipeline.report`).
Heavy modules (spaCy, pandas) are imported inside the commands so that ``--help`` is
instant.

One typer app, `app`, with one command per job: ``run`` (the default: ``extract PATH`` is
``extract run PATH``, see `route`), ``evaluate``, ``evaluate-hipe``, ``report``. A command
added with ``@app.command("name")`` is listed in ``--help`` and routed like the others.
Only this module handles signals (`stop_on_signals`) and exits the process (`run`); the
library raises, and keeps the previous outputs whole.
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
from rich.markup import escape

APP_HELP = """Extract actors, events, equipment and dates from French news articles.

`extract PATH [OPTIONS]` is short for `extract run PATH [OPTIONS]`: PATH is a folder
(searched recursively for .txt, .md, .jsonl, .csv, .parquet) or one file, and the tables
(documents, mentions, actors, events, happenings, transfers, equipment, errors) go to
--out as CSV and Parquet, with run.json. A first word that is a command is the command:
to extract a folder named like one, write `extract run report` or `extract ./report`.

Examples:

    extract corpus/

    extract run corpus/ --out results/ --format parquet --workers 2

    extract evaluate tests/fixtures/gold        (scores against gold files)

    extract report outputs/ --corpus corpus/    (HTML report of a run)

    extract export-plover outputs/              (happenings as PLOVER JSONL)

    extract run --help                          (every option of a run)
"""

RUN_HELP = """Extract the tables of a corpus (`extract PATH` is the same).

PATH is a folder (searched recursively for .txt, .md, .jsonl, .csv, .parquet) or one file.
Tables (documents, mentions, actors, events, happenings, transfers, equipment, errors) and
run.json are written
to --out; files of an earlier run that this one does not rewrite are removed, so --out
holds one run. Each document's result is kept in --out/.cache: the next run over the same
corpus extracts only new and changed documents and forgets removed ones (--full extracts
every document again); the tables are the same either way. Exit codes: 0 done, 1 with
--strict when a document failed or the corpus is empty, 2 usage error, 130 interrupted
(Ctrl-C), 143 terminated (SIGTERM); an interrupted run keeps the previous outputs.

Examples:

    extract corpus/

    extract run corpus/ --out results/ --format parquet --workers 2 --strict
"""

# typer escapes the brackets of "[required]" and "[default: ...]" for rich's markup
# whenever rich is installed, even with markup off, so plain help showed a backslash.
# Help and errors here are plain text: tell typer to format as without rich.
typer.core.HAS_RICH = False
# typer 0.20 sets an argument's help before calling click's constructor, which (click 8.3
# on) sets it again from its own `help` parameter, to None: arguments lost their help line.
_typer_argument_init = typer.core.TyperArgument.__init__


def _argument_keeping_help(self, *args, help=None, **kwargs):
    _typer_argument_init(self, *args, help=help, **kwargs)
    self.help = help


typer.core.TyperArgument.__init__ = _argument_keeping_help
# click 8.5 lists documented arguments in a "Positional arguments" section of its own,
# while typer's options formatter lists them under "Arguments": keep typer's only.
typer.core.TyperCommand.format_arguments = lambda self, ctx, formatter: None

console = Console(stderr=True)
app = typer.Typer(
    add_completion=False,
    rich_markup_mode=None,
    no_args_is_help=True,
    help=APP_HELP,
    context_settings={"help_option_names": ["--help", "-h"]},
)
DEFAULT_COMMAND = "run"


def fail(message: str) -> typer.Exit:
    """A one-line error (exit 2); brackets in the message are text, not markup."""
    console.print(f"[red]error:[/red] {escape(message)}", highlight=False, soft_wrap=True)
    return typer.Exit(2)


def warn(message: str) -> None:
    console.print(f"[yellow]warning:[/yellow] {message}", highlight=False, soft_wrap=True)


def parse_formats(value: str) -> tuple[str, ...]:
    formats = tuple(f.strip().lower() for f in value.split(",") if f.strip())
    unknown = [f for f in formats if f not in ("csv", "parquet")]
    if unknown or not formats:
        raise fail(
            f"unknown format {', '.join(unknown) or value!r}: use csv, parquet or csv,parquet"
        )
    return formats


def version_text() -> str:
    from pipeline.manifest import MODEL_PACKAGE, version

    return f"extract {version() or 'unknown'} (model {MODEL_PACKAGE} {version(MODEL_PACKAGE)})"


def show_version(value: bool) -> None:
    if value:
        print(version_text())
        raise typer.Exit(0)


@app.callback()
def options(
    version: Annotated[
        bool,
        typer.Option(
            "--version", callback=show_version, is_eager=True, help="Print the version and exit."
        ),
    ] = False,
) -> None:
    """Options before the command."""


@app.command(DEFAULT_COMMAND, help=RUN_HELP)
def run_corpus(
    path: Annotated[Path, typer.Argument(help="Folder or file of articles.", show_default=False)],
    out: Annotated[Path, typer.Option("--out", "-o", help="Output folder.")] = Path("outputs"),
    format: Annotated[
        str, typer.Option("--format", "-f", help="csv, parquet or csv,parquet.")
    ] = "csv,parquet",
    workers: Annotated[int, typer.Option("--workers", "-w", min=1, help="Worker processes.")] = 1,
    strict: Annotated[
        bool, typer.Option(help="Exit 1 if any document failed or the corpus is empty.")
    ] = False,
    report: Annotated[bool, typer.Option("--report", help="Also write report.html.")] = False,
    engine: Annotated[str, typer.Option(help="local or dask.")] = "local",
    scheduler: Annotated[
        str | None,
        typer.Option(help="Dask scheduler address (tcp://HOST:8786); none starts a local cluster."),
    ] = None,
    full: Annotated[
        bool,
        typer.Option(
            "--full", help="Ignore the results kept in --out/.cache: extract every document."
        ),
    ] = False,
    patterns: Annotated[
        list[Path] | None,
        typer.Option(
            "--patterns",
            help="Extra entities: an entity-ruler JSONL file (label, pattern, id = norm). "
            "Repeatable.",
        ),
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
    from pipeline.cache import CacheBusy, CacheError
    from pipeline.components.entity_ruler import PatternError, pattern_entries
    from pipeline.run import write_tables

    try:
        pattern_entries(patterns or ())  # a bad file stops the run before it starts
    except PatternError as exc:
        raise fail(f"bad --patterns file: {exc}") from None
    stop_on_signals()
    try:
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
                    cache=True,
                    full=full,
                    patterns=patterns or (),
                )
            except (CacheBusy, CacheError) as exc:
                raise fail(str(exc)) from None
            except OSError as exc:  # an output folder that cannot be written, a full disk...
                if engine == "dask" and not exc.filename:
                    raise fail(f"cannot reach the Dask scheduler {scheduler}: {exc}") from None
                where = f": {exc.filename}" if exc.filename else ""
                raise fail(f"cannot write the tables ({exc.strerror or exc}{where})") from None
        if report:
            from pipeline.report import read_texts, write_report

            summary.files.append(write_report(out, texts=read_texts(path)))
    except KeyboardInterrupt:
        signum = STOP_SIGNALS[0] if STOP_SIGNALS else signal.SIGINT
        console.print(
            f"interrupted: the previous outputs in {out} were kept", highlight=False, soft_wrap=True
        )
        raise typer.Exit(128 + signum) from None
    print_summary(summary)
    if not sum(summary.documents.values()):
        warn(f"no documents in {path} (looked for .txt, .md, .jsonl, .csv, .parquet files)")
        if strict:
            raise typer.Exit(1)
    if strict and summary.failed:
        console.print(f"[red]{summary.failed} document(s) failed[/red] (see errors table)")
        raise typer.Exit(1)


def stop_on_signals() -> None:
    """SIGINT and SIGTERM stop the run (the CLI's business: `pipeline.run` installs no
    handler), so that the table writer can clean up."""
    for signum in (signal.SIGINT, signal.SIGTERM):
        signal.signal(signum, interrupted)


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
    if summary.cache is not None:
        table.add_row("cache", cache_counts(summary.cache))
    folders = sorted({str(p.parent) for p in summary.files})
    table.add_row("written to", ", ".join(folders))
    Console().print(table)


def cache_counts(cache: dict) -> str:
    """``reused 1000, processed 10, dropped 2``, and why earlier results were not used."""
    said = ", ".join(f"{k} {cache[k]}" for k in ("reused", "processed", "dropped"))
    if cache.get("discarded") not in (None, "no cache yet"):
        said += f" (earlier results not used: {cache['discarded']})"
    return said


def counts(counter) -> str:
    return ", ".join(f"{k} {v}" for k, v in sorted(counter.items())) or "none"


@app.command(
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
    from pipeline.tables import TABLES, empty_frame, read_table

    frames = None
    if pred is not None:
        if not (pred / "mentions.csv").exists() and not (pred / "mentions.parquet").exists():
            raise fail(f"no output tables in {pred}")
        frames = {
            name: read_table(pred, name)
            if any((pred / f"{name}.{ext}").exists() for ext in ("parquet", "csv"))
            else empty_frame(name)
            for name in TABLES
        }
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


@app.command(
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


@app.command(
    help="Write report.html for the tables in an output folder.\n\nExample: extract report outputs/"
)
def report(
    out_dir: Annotated[Path, typer.Argument(help="Folder of a run's tables.")],
    corpus: Annotated[
        Path | None,
        typer.Option(help="The run's corpus, to show each article with its mentions highlighted."),
    ] = None,
) -> None:
    from pipeline.tables import has_tables

    if not out_dir.is_dir():
        raise fail(f"no such folder: {out_dir}")
    if not has_tables(out_dir):
        raise fail(f"no tables in {out_dir}: run `extract CORPUS --out {out_dir}` first")
    if corpus is not None and not corpus.exists():
        raise fail(f"no such file or folder: {corpus}")
    from pipeline.report import read_texts, write_report

    texts = read_texts(corpus) if corpus is not None else None
    console.print(f"wrote {write_report(out_dir, texts=texts)}")


@app.command(
    "export-plover",
    help="Write happenings.plover.jsonl (PLOVER newline-delimited JSON, one record per "
    "happening) for the tables in an output folder.\n\nExample: extract export-plover outputs/",
)
def export_plover(
    out_dir: Annotated[Path, typer.Argument(help="Folder of a run's tables.")],
) -> None:
    if not out_dir.is_dir():
        raise fail(f"no such folder: {out_dir}")
    from pipeline.plover import PloverError
    from pipeline.plover import export_plover as export

    try:
        path, n, left_out = export(out_dir)
    except PloverError as exc:
        raise fail(str(exc)) from None
    except OSError as exc:
        raise fail(f"cannot write the PLOVER file ({exc.strerror or exc})") from None
    console.print(f"wrote {n} record(s) to {path}", highlight=False, soft_wrap=True)
    if left_out:
        console.print(
            f"{left_out} happening(s) without a source actor left out (PLOVER requires one)",
            highlight=False,
            soft_wrap=True,
        )


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


def command_names() -> set[str]:
    """The commands of `app`, as typed: the registered name, else the function's name with
    dashes (so that a command another module adds is routed too)."""
    return {c.name or c.callback.__name__.replace("_", "-") for c in app.registered_commands}


def route(args: list[str]) -> list[str]:
    """The arguments for `app`: ``extract PATH ...`` becomes ``extract run PATH ...``.

    A first word that is a command is that command; anything else (a path, an option of a
    run) is a run. ``--help``, ``-h`` and ``--version`` alone stay with the app, which
    lists the commands."""
    if not args or args[0] in command_names() or args[0] in ("--help", "-h", "--version"):
        return args
    return [DEFAULT_COMMAND, *args]


def check_not_ambiguous(args: list[str]) -> None:
    """``extract report`` alone, where ``report`` is also a file or folder: say which is
    which rather than a bare 'missing argument'."""
    if len(args) == 1 and args[0] in command_names() - {DEFAULT_COMMAND} and Path(args[0]).exists():
        raise fail(
            f"{args[0]!r} is a command (see `extract {args[0]} --help`); to extract the "
            f"folder or file {args[0]}, write `extract run {args[0]}` or `extract ./{args[0]}`"
        )


def main(argv: list[str] | None = None) -> None:
    """Entry point: ``extract PATH ...`` or ``extract COMMAND ...``. Exits (SystemExit)
    with the command's code; the library (`pipeline.run`) never does."""
    args = list(sys.argv[1:] if argv is None else argv)
    try:
        try:
            check_not_ambiguous(args)
        except typer.Exit as usage:
            sys.exit(usage.exit_code)
        app(route(args), prog_name="extract")
    except KeyboardInterrupt:  # outside a run: while loading, scoring, writing a report
        signum = STOP_SIGNALS[0] if STOP_SIGNALS else signal.SIGINT
        message = "interrupted: previous outputs left as they were"
        console.print(message, highlight=False, soft_wrap=True)
        sys.exit(128 + signum)


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
