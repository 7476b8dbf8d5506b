"""Report: one self-contained HTML file for analysts, built from a run's tables only.

``write_report(out_dir)`` reads the tables of a run (`pipeline.tables.read_table`) and
writes ``out_dir/report.html`` atomically; ``build_report(frames)`` returns the HTML. No
model runs here. The page holds:

- a corpus view: happenings over time by type (an inline SVG bar chart; a happening dated
  far from all the others, a misread year, is listed under the chart instead of
  stretching it), who supplies whom (a supplier × recipient matrix counting DELIVERY
  happenings), the deliveries register (`transfers`: models and numbers), the happenings
  (each linked to the sentences that report it), top actors, equipment by category and
  the documents that failed or logged errors;
- one ``<section class="document" id="doc-...">`` per document: its text with every
  mention as ``<mark class="ent ent-LABEL" data-label="LABEL" title="norm">`` and its
  events with their evidence (type, source → target, date, location, equipment, the
  trigger words in their sentence, a link to their happening).

Tables sort (click a header) and filter (a box above each) in the browser through one
small inline script, ``data/report.js``; the page's query string can set both
(``?sort=transfers:quantity:desc&filter=happenings:Mi-171``). A run folder written before
happenings existed still gets them: they are built here from its events.

The tables do not hold the article text. Pass ``texts`` (doc_id → decoded document text,
the text the mention offsets point into, e.g. from `read_texts(corpus_root)`) to see each
article highlighted. A document with no text, or whose text does not match its mention
offsets, shows its mentions as a table instead.

Article text, norms, ids and every other value are untrusted: all of it goes through
`html.escape` (attributes included), section ids are sanitised, and the page carries a
Content-Security-Policy that forbids any network request and every script but its own
(allowed by its SHA-256 hash, so a script that got into the page would not run).
"""

from __future__ import annotations

import base64
import hashlib
import html
import numbers
import os
import re
from collections import Counter, defaultdict
from pathlib import Path
from string import Template

import numpy as np
import pandas as pd

from pipeline.happenings import build_happenings
from pipeline.tables import TABLES, empty_frame, read_table
from pipeline.transfers import transfer_rows

DATA = Path(__file__).parent / "data"
REPORT_NAME = "report.html"
TITLE = "extract: report"
LABELS = {
    "GPE": "state",
    "LOC": "place",
    "ORG": "organisation",
    "PER": "person",
    "DATE": "date",
    "EQUIPMENT": "equipment",
}  # the legend's words
BAR_PX = 120  # widest bar of the equipment table
EVENT_TYPES = ("DELIVERY", "TRAINING", "AGREEMENT", "TERMINATION", "COUP", "ATTACK")
TOP_ACTORS = 25
MAX_LINKS = 8  # document links per row of the deliveries table
MAX_MONTHS = 60  # a longer span is charted by year
OUTLIER_MIN_ITEMS = 5  # fewer dated happenings than this: no date is called an outlier
OUTLIER_FENCE = 3  # Tukey's far-out fences: beyond 3 interquartile ranges
OUTLIER_MIN_SPREAD = 12  # months: the interquartile range used is never narrower
ISO_DATE = re.compile(r"\A\d{4}(?:-\d{2}(?:-\d{2})?)?\Z")
UNSAFE_ID = re.compile(r"[^A-Za-z0-9_-]+")
CSV_QUOTE = "'"  # the CSV writer's formula guard (pipeline.tables.csv_cell)


# ---------------------------------------------------------------------------- entry points


def write_report(out_dir: str | os.PathLike, texts: dict[str, str] | None = None) -> Path:
    """Read the tables in ``out_dir``, write ``out_dir/report.html`` atomically (temporary
    file, then `os.replace`) and return its path. A table missing from the folder counts
    as empty."""
    folder = Path(out_dir)
    frames = {}
    for table in TABLES:
        present = any((folder / f"{table}.{ext}").exists() for ext in ("parquet", "csv"))
        frames[table] = read_table(folder, table) if present else empty_frame(table)
    page = build_report(frames, texts)
    final = folder / REPORT_NAME
    temporary = final.with_name(f".{REPORT_NAME}.tmp-{os.getpid()}")
    try:
        temporary.write_bytes(page.encode("utf-8", "replace"))
        os.replace(temporary, final)
    finally:
        temporary.unlink(missing_ok=True)
    return final


def read_texts(corpus_root: str | os.PathLike) -> dict[str, str]:
    """doc_id → decoded text for every document under ``corpus_root``, read the way the
    run read them (`pipeline.ingest.read_corpus`), so that mention offsets fit."""
    from pipeline.ingest import read_corpus

    return {doc.doc_id: doc.text for doc in read_corpus(corpus_root) if doc.text}


def build_report(frames: dict, texts: dict[str, str] | None = None) -> str:
    """The report page for the tables in ``frames`` (table name → DataFrame; a missing
    table counts as empty)."""
    rows = {table: records(frames.get(table)) for table in TABLES}
    texts = texts or {}
    documents = document_list(rows)
    doc_dates = {d["doc_id"]: d.get("doc_date") for d in documents}
    ensure_happenings(rows, doc_dates)
    anchors = section_ids([doc["doc_id"] for doc in documents])
    event_anchors = section_ids([e.get("event_id") or "" for e in rows["events"]], "event-")
    happening_anchors = section_ids(
        [h.get("happening_id") or "" for h in rows["happenings"]], "happening-"
    )
    links = Links(anchors, event_anchors, happening_anchors)
    by_doc = {table: group(rows[table], "doc_id") for table in ("mentions", "events", "errors")}
    events_by_id = {e.get("event_id"): e for e in rows["events"]}

    corpus = "\n".join(
        [
            timeline_section(rows["happenings"], links),
            supply_section(rows["happenings"]),
            transfers_section(rows["transfers"], links),
            happenings_section(rows["happenings"], events_by_id, links),
            actors_section(rows["actors"]),
            equipment_section(rows["equipment"]),
            errors_section(documents, rows["errors"], anchors),
        ]
    )
    sections = "\n".join(
        document_section(
            doc,
            anchors[doc["doc_id"]],
            by_doc["mentions"].get(doc["doc_id"], []),
            by_doc["events"].get(doc["doc_id"], []),
            texts.get(doc["doc_id"]),
            links,
        )
        for doc in documents
    )
    script = (DATA / "report.js").read_text(encoding="utf-8")
    template = Template((DATA / "report_template.html").read_text(encoding="utf-8"))
    return template.substitute(
        title=esc(TITLE),
        css=(DATA / "report.css").read_text(encoding="utf-8"),
        summary=summary_list(documents, rows),
        corpus=corpus,
        legend=label_legend(),
        documents=sections or '<p class="muted">No documents.</p>',
        script=script,
        script_hash=script_hash(script),
    )


def script_hash(script: str) -> str:
    """The CSP source that allows exactly this inline script."""
    digest = hashlib.sha256(script.encode("utf-8")).digest()
    return "'sha256-" + base64.b64encode(digest).decode("ascii") + "'"


class Links:
    """Element ids of documents, events and happenings, and links to them."""

    def __init__(
        self, documents: dict[str, str], events: dict[str, str], happenings: dict[str, str]
    ):
        self.documents, self.events, self.happenings = documents, events, happenings

    def document(self, doc_id: str) -> str:
        return doc_link(doc_id, self.documents)

    def happening(self, happening_id: str | None) -> str:
        if happening_id and happening_id in self.happenings:
            return (
                f'<a class="happening-link" href="#{esc(self.happenings[happening_id])}">'
                f"{esc(happening_id)}</a>"
            )
        return esc(happening_id)

    def event(self, event_id: str, text: str) -> str:
        if event_id in self.events:
            return f'<a class="event-link" href="#{esc(self.events[event_id])}">{esc(text)}</a>'
        return esc(text)


def ensure_happenings(rows: dict[str, list[dict]], doc_dates: dict[str, str | None]) -> None:
    """Tables of a run made before happenings existed: build them from its events."""
    if rows["happenings"] or not rows["events"]:
        return
    happenings, of_event = build_happenings(rows["events"], doc_dates)
    rows["happenings"] = happenings
    rows["events"] = [
        dict(e, happening_id=of_event.get(e.get("event_id") or "")) for e in rows["events"]
    ]
    if not rows["transfers"]:
        rows["transfers"] = transfer_rows(happenings, rows["events"], rows["equipment"], doc_dates)


# ---------------------------------------------------------------------------- values


def esc(value) -> str:
    """Text or attribute value, escaped (quotes too); None gives the empty string."""
    return "" if value is None else html.escape(str(value), quote=True)


def clean(value):
    """A table cell as plain Python: None for missing, int, str or a list of str."""
    if value is None or isinstance(value, str):
        return value
    if isinstance(value, (list, tuple, np.ndarray)):
        return [str(item) for item in value if item is not None]
    if pd.isna(value):
        return None
    if isinstance(value, pd.Timestamp):
        return value.date().isoformat()
    return int(value) if isinstance(value, numbers.Integral) else value


def records(df) -> list[dict]:
    if df is None or len(df) == 0:
        return []
    return [{key: clean(value) for key, value in row.items()} for row in df.to_dict("records")]


def as_list(value) -> list[str]:
    if value is None:
        return []
    if isinstance(value, str):
        return [part for part in value.split("|") if part]
    return [str(item) for item in value]


def group(rows: list[dict], key: str) -> dict[str, list[dict]]:
    grouped: dict[str, list[dict]] = defaultdict(list)
    for row in rows:
        grouped[row.get(key) or ""].append(row)
    return grouped


def css_name(value) -> str:
    """A value made safe for a class name (labels, event types)."""
    return UNSAFE_ID.sub("_", str(value or "none"))


def section_ids(doc_ids: list[str], prefix: str = "doc-") -> dict[str, str]:
    """doc_id → a unique, sanitised element id ``doc-...`` (only letters, digits, ``_``
    and ``-``; a clash gets ``-2``, ``-3``...)."""
    anchors: dict[str, str] = {}
    used: set[str] = set()
    for doc_id in doc_ids:
        base = prefix + UNSAFE_ID.sub("-", doc_id).strip("-")
        anchor, n = base, 1
        while anchor in used:
            n += 1
            anchor = f"{base}-{n}"
        used.add(anchor)
        anchors[doc_id] = anchor
    return anchors


def document_list(rows: dict[str, list[dict]]) -> list[dict]:
    """The documents table, in its order, plus any doc_id that only other tables name."""
    documents = [dict(doc, doc_id=doc.get("doc_id") or "") for doc in rows["documents"]]
    seen = {doc["doc_id"] for doc in documents}
    for table in ("mentions", "events", "errors"):
        for row in rows[table]:
            doc_id = row.get("doc_id") or ""
            if doc_id not in seen:
                seen.add(doc_id)
                documents.append({"doc_id": doc_id, "source": row.get("source"), "status": None})
    return documents


def table_html(
    headers: list[str],
    body: list[list[str]],
    numeric: set[int] = frozenset(),
    css_class: str = "",
    row_ids: list[str] | None = None,
    nowrap: set[int] = frozenset(),
) -> str:
    """A table from escaped cells (headers are plain text) that sorts and filters in the
    browser (``data/report.js``); ``row_ids`` gives each row an element id."""
    head = "".join(
        f"<th{' class=num' if i in numeric else ''}>{esc(h)}</th>" for i, h in enumerate(headers)
    )
    ids = row_ids or [""] * len(body)

    def td(i: int) -> str:
        classes = " ".join(c for c, on in (("num", i in numeric), ("nowrap", i in nowrap)) if on)
        return f'<td class="{classes}">' if classes else "<td>"

    lines = [
        (f'<tr id="{esc(row_id)}">' if row_id else "<tr>")
        + "".join(f"{td(i)}{cell}</td>" for i, cell in enumerate(row))
        + "</tr>"
        for row, row_id in zip(body, ids, strict=True)
    ]
    return (
        f'<div class="scroll"><table class="{esc(css_class)} sortable" '
        f'data-table="{esc(css_class)}"><thead><tr>{head}</tr></thead>'
        f"<tbody>{''.join(lines)}</tbody></table></div>"
    )


def actor(value) -> str:
    return esc(value) if value else '<span class="unknown">?</span>'


def doc_link(doc_id: str, anchors: dict[str, str]) -> str:
    if doc_id in anchors:
        return f'<a href="#{esc(anchors[doc_id])}">{esc(doc_id)}</a>'
    return esc(doc_id)


def doc_links(doc_ids: list[str], anchors: dict[str, str]) -> str:
    shown = ", ".join(doc_link(d, anchors) for d in doc_ids[:MAX_LINKS])
    more = len(doc_ids) - MAX_LINKS
    return shown + (f' <span class="muted">and {more} more</span>' if more > 0 else "")


# ---------------------------------------------------------------------------- header


def summary_list(documents: list[dict], rows: dict[str, list[dict]]) -> str:
    statuses = Counter(doc.get("status") or "unknown" for doc in documents)
    by_status = ", ".join(f"{esc(s)} {n}" for s, n in sorted(statuses.items()))
    deliveries = sum(1 for h in rows["happenings"] if h.get("type") == "DELIVERY")
    items = [
        ("documents", len(documents), by_status),
        ("mentions", len(rows["mentions"]), ""),
        ("events", len(rows["events"]), ""),
        ("happenings", len(rows["happenings"]), f"{deliveries} deliveries"),
        ("actors", len(rows["actors"]), ""),
        ("equipment mentions", len(rows["equipment"]), ""),
        ("errors", len(rows["errors"]), ""),
    ]

    def item(name: str, n: int, extra: str) -> str:
        more = f" <span class=muted>({extra})</span>" if extra else ""
        return f"<li><b>{n}</b> {esc(name)}{more}</li>"

    return '<ul class="summary">' + "".join(item(*i) for i in items) + "</ul>"


def label_legend() -> str:
    return (
        '<ul class="legend">'
        + "".join(
            f'<li><mark class="ent ent-{label}" data-label="{label}">{word}</mark></li>'
            for label, word in LABELS.items()
        )
        + "</ul>"
    )


# ---------------------------------------------------------------------------- timeline


def happening_when(happening: dict) -> tuple[str | None, bool]:
    """(ISO date used to chart the happening, whether it is its first report's date)."""
    date = happening.get("date")
    if date and ISO_DATE.match(date):
        return date, False
    reported = happening.get("first_reported")
    if not date and reported and ISO_DATE.match(reported):
        return reported, True
    return None, False


def month_number(iso: str) -> int:
    """Months since year 0 of an ISO date (a bare year counts as its June)."""
    return int(iso[:4]) * 12 + (int(iso[5:7]) - 1 if len(iso) >= 7 else 5)


def outlying(whens: list[str]) -> set[int]:
    """Indexes of the dates far from all the others (Tukey's far-out fences on months,
    the interquartile range taken as at least a year): a misread year, a historical
    recall. Too few dates to tell: none."""
    if len(whens) < OUTLIER_MIN_ITEMS:
        return set()
    months = sorted(month_number(w) for w in whens)
    q1, q3 = months[len(months) // 4], months[(3 * len(months)) // 4]
    spread = max(q3 - q1, OUTLIER_MIN_SPREAD)
    low, high = q1 - OUTLIER_FENCE * spread, q3 + OUTLIER_FENCE * spread
    return {i for i, w in enumerate(whens) if not low <= month_number(w) <= high}


def months_between(first: str, last: str) -> list[str]:
    year, month = int(first[:4]), int(first[5:7])
    months = []
    while f"{year:04d}-{month:02d}" <= last:
        months.append(f"{year:04d}-{month:02d}")
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    return months


def timeline_counts(dated: list[tuple[str, bool, str]]):
    """(periods, {period: Counter(type)}, n charted at their first report's date, n left
    out of a monthly chart because they have only a year) for (ISO date, is a fallback,
    type) triples."""
    has_months = any(len(when) >= 7 for when, _, _ in dated)
    first = min(
        (when[:7] if len(when) >= 7 else f"{when}-01" for when, _, _ in dated), default=None
    )
    last = max((when[:7] if len(when) >= 7 else f"{when}-12" for when, _, _ in dated), default=None)
    by_year = bool(dated) and (not has_months or len(months_between(first, last)) > MAX_MONTHS)
    counts: dict[str, Counter] = defaultdict(Counter)
    fallback_count = 0
    for when, fallback, kind in dated:
        if not by_year and len(when) < 7:
            continue
        counts[when[:4] if by_year else when[:7]][kind] += 1
        fallback_count += fallback
    if not counts:
        periods = []
    elif by_year:
        periods = [str(y) for y in range(int(min(counts)), int(max(counts)) + 1)]
    else:
        periods = months_between(min(counts), max(counts))
    yearly_only = 0 if by_year else sum(1 for when, _, _ in dated if len(when) < 7)
    return periods, counts, fallback_count, yearly_only


def timeline_svg(periods: list[str], counts: dict[str, Counter]) -> str:
    """Stacked bars: one per period, one segment per event type."""
    left, top, bottom, plot_h = 34, 10, 46, 160
    if not periods:
        return (
            '<svg class="timeline" role="img" width="320" height="40" viewBox="0 0 320 40" '
            'xmlns="http://www.w3.org/2000/svg"><title>No dated events</title>'
            '<text x="8" y="24">No dated events.</text></svg>'
        )
    bar_w = max(8.0, min(48.0, 760 / len(periods)))
    width, height = round(left + bar_w * len(periods) + 12), top + plot_h + bottom
    peak = max(sum(c.values()) for c in counts.values()) or 1
    scale = plot_h / peak
    parts = [
        f'<svg class="timeline" role="img" width="{width}" height="{height}" '
        f'viewBox="0 0 {width} {height}" xmlns="http://www.w3.org/2000/svg">',
        "<title>Events over time by type</title>",
    ]
    for tick in sorted({0, peak // 2, peak}):
        y = top + plot_h - tick * scale
        parts.append(
            f'<line class="grid" x1="{left}" x2="{width - 8}" y1="{y:.1f}" y2="{y:.1f}"/>'
            f'<text x="{left - 4}" y="{y + 3:.1f}" text-anchor="end">{tick}</text>'
        )
    known = list(EVENT_TYPES)
    label_every = max(1, round(48 / bar_w))
    for i, period in enumerate(periods):
        x = left + i * bar_w
        y = top + plot_h
        kinds = sorted(
            counts.get(period, {}), key=lambda k: (known.index(k) if k in known else len(known), k)
        )
        for kind in kinds:
            n = counts[period][kind]
            h = n * scale
            y -= h
            parts.append(
                f'<rect class="bar-segment t-{css_name(kind)}" data-type="{esc(kind)}" '
                f'data-period="{esc(period)}" data-count="{n}" x="{x + 1:.1f}" '
                f'y="{y:.1f}" width="{bar_w - 2:.1f}" height="{h:.1f}">'
                f"<title>{esc(period)} {esc(kind)}: {n}</title></rect>"
            )
        if i % label_every == 0:
            cx, cy = x + bar_w / 2, top + plot_h + 12
            parts.append(
                f'<text x="{cx:.1f}" y="{cy}" text-anchor="end" '
                f'transform="rotate(-40 {cx:.1f} {cy})">{esc(period)}</text>'
            )
    parts.append(
        f'<line class="axis" x1="{left}" x2="{width - 8}" y1="{top + plot_h}" '
        f'y2="{top + plot_h}"/></svg>'
    )
    return "".join(parts)


def timeline_section(happenings: list[dict], links: Links) -> str:
    whens = [(happening_when(h), h) for h in happenings]
    dated = [(when, fallback, h) for (when, fallback), h in whens if when]
    far = outlying([when for when, _, _ in dated])
    charted = [
        (when, fallback, h.get("type") or "?")
        for i, (when, fallback, h) in enumerate(dated)
        if i not in far
    ]
    periods, counts, fallback, yearly_only = timeline_counts(charted)
    left_out = len(happenings) - len(dated)
    unit = "year" if periods and len(periods[0]) == 4 else "month"
    types = sorted(
        {k for c in counts.values() for k in c},
        key=lambda k: (EVENT_TYPES.index(k) if k in EVENT_TYPES else 99, k),
    )
    legend = (
        '<ul class="legend">'
        + "".join(f'<li><span class="swatch t-{css_name(k)}"></span>{esc(k)}</li>' for k in types)
        + "</ul>"
    )
    notes = [
        f"Happenings per {unit}, by type, at their own date (one bar segment per "
        "happening, however many articles report it)."
    ]
    if fallback:
        notes.append(
            f"{fallback} happening(s) without a date are placed at their first article's date."
        )
    if yearly_only:
        notes.append(
            f"{yearly_only} happening(s) dated only by a year are not on this "
            "monthly chart (see the happenings table)."
        )
    if left_out:
        notes.append(f"{left_out} happening(s) with no usable date are not shown.")
    outliers = ""
    if far:
        items = "".join(
            f"<li>{links.happening(h.get('happening_id'))} {esc(h.get('type'))} {esc(when)}</li>"
            for i, (when, _, h) in enumerate(dated)
            if i in far
        )
        outliers = (
            f'<p class="note outliers">{len(far)} happening(s) dated far from all the '
            f"others are not charted (a misread or historical date?):</p>"
            f'<ul class="outliers">{items}</ul>'
        )
    return (
        f'<h3 id="timeline">Happenings over time</h3><div class="scroll">'
        f"{timeline_svg(periods, counts)}</div>{legend if types else ''}"
        f'<p class="note">{esc(" ".join(notes))}</p>{outliers}'
    )


# ---------------------------------------------------------------------------- corpus tables


def supply_section(happenings: list[dict]) -> str:
    """Who supplies whom: suppliers × recipients, counting DELIVERY happenings."""
    pairs: Counter = Counter()
    models: dict[tuple, Counter] = defaultdict(Counter)
    for h in happenings:
        if h.get("type") == "DELIVERY":
            key = (h.get("source") or "?", h.get("target") or "?")
            pairs[key] += 1
            models[key].update(as_list(h.get("models")) or as_list(h.get("equipment")))
    if not pairs:
        return '<h3 id="supply">Who supplies whom</h3><p class="muted">No deliveries.</p>'
    suppliers = sorted(
        {s for s, _ in pairs}, key=lambda a: (-sum(n for (s, _), n in pairs.items() if s == a), a)
    )
    recipients = sorted(
        {r for _, r in pairs}, key=lambda a: (-sum(n for (_, r), n in pairs.items() if r == a), a)
    )
    peak = max(pairs.values())
    head = "".join(f'<th class="num recipient">{esc(r)}</th>' for r in recipients)
    lines = []
    for supplier in suppliers:
        cells = []
        for recipient in recipients:
            n = pairs.get((supplier, recipient), 0)
            if not n:
                cells.append('<td class="num empty"></td>')
                continue
            what = ", ".join(
                f"{m} ×{k}" if k > 1 else m for m, k in models[(supplier, recipient)].most_common(8)
            )
            shade = 0.15 + 0.6 * n / peak
            cells.append(
                f'<td class="num cell" data-supplier="{esc(supplier)}" '
                f'data-recipient="{esc(recipient)}" data-count="{n}" '
                f'style="background: rgba(31, 119, 180, {shade:.2f})" '
                f'title="{esc(supplier)} → {esc(recipient)}: {n} delivery(ies)'
                f'{": " + esc(what) if what else ""}">{n}</td>'
            )
        total = sum(pairs.get((supplier, r), 0) for r in recipients)
        lines.append(
            f'<tr><th class="supplier">{esc(supplier)}</th>{"".join(cells)}'
            f'<td class="num total">{total}</td></tr>'
        )
    table = (
        f'<div class="scroll"><table class="supply"><thead><tr><th>supplier ↓ '
        f'recipient →</th>{head}<th class="num">all</th></tr></thead>'
        f"<tbody>{''.join(lines)}</tbody></table></div>"
    )
    return (
        f'<h3 id="supply">Who supplies whom</h3>{table}<p class="note">Deliveries '
        "(happenings, not articles) from each supplier (rows) to each recipient "
        "(columns); hover a cell for the equipment.</p>"
    )


def transfers_section(transfers: list[dict], links: Links) -> str:
    body = []
    for t in transfers:
        docs = as_list(t.get("doc_ids"))
        body.append(
            [
                actor(t.get("supplier")),
                actor(t.get("recipient")),
                esc(t.get("model")) or '<span class="unknown">–</span>',
                esc(t.get("category")),
                esc(t.get("quantity")),
                esc(t.get("date")),
                esc(t.get("n_docs")),
                links.happening(t.get("happening_id")),
                doc_links(docs, links.documents),
            ]
        )
    content = (
        table_html(
            [
                "supplier",
                "recipient",
                "model",
                "category",
                "quantity",
                "date",
                "documents",
                "happening",
                "reported in",
            ],
            body,
            {4, 6},
            "transfers",
            nowrap={5, 7},
        )
        if body
        else '<p class="muted">No deliveries.</p>'
    )
    return (
        f'<h3 id="deliveries">Deliveries register</h3>{content}'
        '<p class="note">One row per delivery and model (or category when no model '
        "is named); the number is the one most articles give.</p>"
    )


def happenings_section(happenings: list[dict], events: dict[str, dict], links: Links) -> str:
    body, ids = [], []
    for h in happenings:
        what = as_list(h.get("models")) or as_list(h.get("equipment"))
        reports = []
        for event_id in as_list(h.get("event_ids")):
            event = events.get(event_id, {})
            reports.append(links.event(event_id, event.get("doc_id") or event_id))
        disagreements = (h.get("date_disagreements") or 0) + (h.get("quantity_disagreements") or 0)
        body.append(
            [
                esc(h.get("happening_id")),
                f'<span class="etype t-{css_name(h.get("type"))}">{esc(h.get("type"))}</span>',
                actor(h.get("source")),
                actor(h.get("target")),
                esc(h.get("date")),
                esc(h.get("location")),
                esc(", ".join(what)),
                esc(h.get("quantity")),
                esc(h.get("n_docs")),
                esc(disagreements or ""),
                ", ".join(reports),
            ]
        )
        ids.append(links.happenings.get(h.get("happening_id") or "", ""))
    content = (
        table_html(
            [
                "happening",
                "type",
                "source",
                "target",
                "date",
                "place",
                "equipment",
                "quantity",
                "documents",
                "disagreements",
                "reported by (sentences)",
            ],
            body,
            {7, 8, 9},
            "happenings",
            ids,
            nowrap={0, 4},
        )
        if body
        else '<p class="muted">No happenings.</p>'
    )
    return (
        f'<h3 id="happenings">Happenings</h3>{content}<p class="note">Events of the '
        "whole corpus grouped into the happenings they report (docs/happenings.md); "
        "each report links to its sentence below. Disagreements: reports whose date or "
        "number contradicts the one kept.</p>"
    )


def actors_section(actors: list[dict]) -> str:
    ranked = sorted(
        actors,
        key=lambda a: (
            -(a.get("n_mentions") or 0),
            -(a.get("n_docs") or 0),
            a.get("actor_id") or "",
        ),
    )[:TOP_ACTORS]
    body = []
    for a in ranked:
        aliases = as_list(a.get("aliases"))
        wikidata = a.get("wikidata_id") or ""
        link = (
            f'<a href="https://www.wikidata.org/wiki/{wikidata}">{wikidata}</a>'
            if re.fullmatch(r"Q\d+", wikidata)
            else esc(wikidata)
        )
        body.append(
            [
                esc(a.get("actor_id")),
                esc(a.get("name")),
                esc(a.get("kind")),
                esc(a.get("country")),
                esc(a.get("n_mentions")),
                esc(a.get("n_docs")),
                esc(", ".join(aliases[:6]) + (" …" if len(aliases) > 6 else "")),
                link,
            ]
        )
    content = (
        table_html(
            ["actor", "name", "kind", "country", "mentions", "documents", "aliases", "Wikidata"],
            body,
            {4, 5},
            "actors",
        )
        if body
        else '<p class="muted">No actors.</p>'
    )
    more = (
        f'<p class="note">Top {TOP_ACTORS} of {len(actors)} actors by mentions.</p>'
        if len(actors) > TOP_ACTORS
        else ""
    )
    return f'<h3 id="actors">Top actors</h3>{content}{more}'


def equipment_section(equipment: list[dict]) -> str:
    by_category: dict[str, list[dict]] = group(equipment, "category")
    peak = max((len(v) for v in by_category.values()), default=1)
    body = []
    for category, items in sorted(by_category.items(), key=lambda kv: (-len(kv[1]), kv[0])):
        models = Counter(i["model"] for i in items if i.get("model"))
        delivered = sum(1 for i in items if i.get("event_id"))
        top_models = ", ".join(f"{m} ×{n}" if n > 1 else m for m, n in models.most_common(6))
        bar = f'<span class="bar" style="width:{BAR_PX * len(items) / peak:.0f}px"></span>'
        body.append(
            [esc(category or "unknown"), str(len(items)), str(delivered), bar, esc(top_models)]
        )
    content = (
        table_html(["category", "mentions", "in an event", "", "models"], body, {1, 2}, "equipment")
        if body
        else '<p class="muted">No equipment.</p>'
    )
    return f'<h3 id="equipment">Equipment by category</h3>{content}'


def errors_section(documents: list[dict], errors: list[dict], anchors: dict[str, str]) -> str:
    status = {doc["doc_id"]: doc.get("status") for doc in documents}
    body, logged = [], set()
    for error in errors:
        doc_id = error.get("doc_id") or ""
        logged.add(doc_id)
        body.append(
            [
                doc_link(doc_id, anchors),
                esc(error.get("source")),
                esc(status.get(doc_id)),
                esc(error.get("stage")),
                esc(error.get("message")),
            ]
        )
    for doc in documents:
        if doc.get("status") not in (None, "ok") and doc["doc_id"] not in logged:
            body.append(
                [
                    doc_link(doc["doc_id"], anchors),
                    esc(doc.get("source")),
                    esc(doc.get("status")),
                    "",
                    esc(doc.get("message")),
                ]
            )
    content = (
        table_html(["document", "source", "status", "stage", "message"], body, css_class="errors")
        if body
        else '<p class="muted">No errors: every document was read.</p>'
    )
    return f'<h3 id="errors">Documents with errors</h3>{content}'


# ---------------------------------------------------------------------------- documents


def mark(mention: dict, text: str) -> str:
    label = css_name(mention.get("label"))
    title = mention.get("norm") or mention.get("model") or mention.get("category") or ""
    extra = f' data-category="{esc(mention["category"])}"' if mention.get("category") else ""
    return (
        f'<mark class="ent ent-{label}" data-label="{esc(mention.get("label"))}" '
        f'title="{esc(title)}"{extra}>{esc(text)}</mark>'
    )


def fits(mention: dict, text: str) -> bool:
    start, end = mention.get("start"), mention.get("end")
    if start is None or end is None or not 0 <= start < end <= len(text):
        return False
    written = mention.get("text")
    return written is None or text[start:end] in (written, written.removeprefix(CSV_QUOTE))


def highlight(text: str, mentions: list[dict]) -> str | None:
    """The text, escaped, with each mention marked; None when an offset does not fit the
    text (it is not the text the run read). Overlapping spans keep the first, longest."""
    if not all(fits(m, text) for m in mentions):
        return None
    parts, position = [], 0
    for m in sorted(mentions, key=lambda m: (m["start"], -m["end"])):
        if m["start"] < position:
            continue
        parts.append(esc(text[position : m["start"]]))
        parts.append(mark(m, text[m["start"] : m["end"]]))
        position = m["end"]
    parts.append(esc(text[position:]))
    return "".join(parts)


def mentions_table(mentions: list[dict]) -> str:
    ordered = sorted(mentions, key=lambda m: (m.get("start") or 0, m.get("end") or 0))
    body = [
        [
            esc(m.get("sent_id")),
            f"{esc(m.get('start'))}–{esc(m.get('end'))}",
            mark(m, m.get("text") or ""),
            esc(m.get("norm")),
            esc(m.get("category")),
            esc(m.get("method")),
        ]
        for m in ordered
    ]
    return table_html(
        ["sentence", "offsets", "mention", "norm", "category", "method"], body, {0}, "mentions"
    )


def sentence_html(sentence: str, evidence: str | None) -> str:
    """The event's sentence with its trigger words in bold where they stand together."""
    if evidence and evidence in sentence:
        before, _, after = sentence.partition(evidence)
        return f'{esc(before)}<strong class="trigger">{esc(evidence)}</strong>{esc(after)}'
    return esc(sentence)


def event_item(event: dict, anchor: str, links: Links | None = None) -> str:
    kind = event.get("type")
    fields = [("date", esc(event.get("date")) or '<span class="unknown">–</span>')]
    if event.get("location"):
        fields.append(("location", esc(event["location"])))
    equipment = as_list(event.get("equipment"))
    if equipment:
        fields.append(("equipment", esc(", ".join(equipment))))
    if event.get("plover"):
        fields.append(("PLOVER", esc(event["plover"])))
    if event.get("evidence"):
        fields.append(("trigger", esc(event["evidence"])))
    if event.get("happening_id") and links is not None:
        fields.append(("happening", links.happening(event["happening_id"])))
    dl = "".join(f"<dt>{name}</dt><dd>{value}</dd>" for name, value in fields)
    sentence = event.get("sentence")
    quote = (
        f'<blockquote class="sentence">{sentence_html(sentence, event.get("evidence"))}'
        "</blockquote>"
        if sentence
        else ""
    )
    return (
        f'<li class="event" id="{esc(anchor)}" data-type="{esc(kind)}">'
        f'<span class="etype t-{css_name(kind)}">{esc(kind)}</span> '
        f"{actor(event.get('source'))} → {actor(event.get('target'))}"
        f'<dl class="fields">{dl}</dl>{quote}</li>'
    )


def document_section(
    doc: dict,
    anchor: str,
    mentions: list[dict],
    events: list[dict],
    text: str | None,
    links: Links | None = None,
) -> str:
    status = doc.get("status")
    meta = [
        esc(doc.get("source")),
        esc(doc.get("doc_date")),
        f'<span class="status{"" if status in (None, "ok") else " status-bad"}">'
        f"{esc(status or 'unknown')}</span>",
        f"{len(mentions)} mention(s)",
        f"{len(events)} event(s)",
    ]
    if doc.get("message"):
        meta.append(esc(doc["message"]))
    highlighted = highlight(text, mentions) if text else None
    if highlighted is not None:
        body = f'<div class="text">{highlighted}</div>'
    elif mentions:
        why = (
            "the text given does not match the mention offsets"
            if text
            else "article text not available"
        )
        body = f'<p class="note">Mentions listed ({why}).</p>{mentions_table(mentions)}'
    else:
        body = '<p class="note">No mentions.</p>'
    ordered = sorted(events, key=lambda e: (e.get("start") or 0, e.get("event_id") or ""))
    anchors = (
        links.events
        if links is not None
        else section_ids([e.get("event_id") or "" for e in ordered], prefix="event-")
    )
    items = "".join(event_item(e, anchors[e.get("event_id") or ""], links) for e in ordered)
    events_html = f'<h4>Events</h4><ol class="events">{items}</ol>' if events else ""
    failed = "" if status in (None, "ok") else " status-failed"
    return (
        f'<section class="document{failed}" id="{esc(anchor)}" '
        f'data-doc-id="{esc(doc["doc_id"])}">'
        f'<h3>{esc(doc["doc_id"])}</h3><p class="meta">{" · ".join(m for m in meta if m)}</p>'
        f"{body}{events_html}</section>"
    )
