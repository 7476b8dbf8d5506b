"""Report: one self-contained HTML file for analysts, built from a run's tables only.

``write_report(out_dir)`` reads the six tables of a run (`pipeline.tables.read_table`) and
writes ``out_dir/report.html`` atomically; ``build_report(frames)`` returns the HTML. No
model runs here. The page holds:

- a corpus view: events over time by type (an inline SVG bar chart), deliveries as
  supplier → recipient with equipment categories, top actors, equipment by category and
  the documents that failed or logged errors;
- one ``<section class="document" id="doc-...">`` per document: its text with every
  mention as ``<mark class="ent ent-LABEL" data-label="LABEL" title="norm">`` and its
  events with their evidence (type, source → target, date, location, equipment, the
  trigger words in their sentence).

The tables do not hold the article text. Pass ``texts`` (doc_id → decoded document text,
the text the mention offsets point into, e.g. from `read_texts(corpus_root)`) to see each
article highlighted. A document with no text, or whose text does not match its mention
offsets, shows its mentions as a table instead.

Article text, norms, ids and every other value are untrusted: all of it goes through
`html.escape` (attributes included), section ids are sanitised, and the page carries a
Content-Security-Policy that forbids scripts and any network request.
"""

from __future__ import annotations

import html
import numbers
import os
import re
from collections import Counter, defaultdict
from pathlib import Path
from string import Template

import numpy as np
import pandas as pd

from pipeline.tables import TABLES, empty_frame, read_table

DATA = Path(__file__).parent / "data"
REPORT_NAME = "report.html"
TITLE = "extract: report"
LABELS = {"GPE": "state", "LOC": "place", "ORG": "organisation", "PER": "person",
          "DATE": "date", "EQUIPMENT": "equipment"}  # the legend's words
BAR_PX = 120  # widest bar of the equipment table
EVENT_TYPES = ("DELIVERY", "TRAINING", "AGREEMENT", "TERMINATION", "COUP", "ATTACK")
TOP_ACTORS = 25
MAX_LINKS = 8  # document links per row of the deliveries table
MAX_MONTHS = 60  # a longer span is charted by year
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
    anchors = section_ids([doc["doc_id"] for doc in documents])
    by_doc = {table: group(rows[table], "doc_id") for table in ("mentions", "events", "errors")}

    corpus = "\n".join([
        timeline_section(rows["events"], {d["doc_id"]: d.get("doc_date") for d in documents}),
        deliveries_section(rows["events"], anchors),
        actors_section(rows["actors"]),
        equipment_section(rows["equipment"]),
        errors_section(documents, rows["errors"], anchors),
    ])
    sections = "\n".join(
        document_section(doc, anchors[doc["doc_id"]], by_doc["mentions"].get(doc["doc_id"], []),
                         by_doc["events"].get(doc["doc_id"], []), texts.get(doc["doc_id"]))
        for doc in documents)
    template = Template((DATA / "report_template.html").read_text(encoding="utf-8"))
    return template.substitute(
        title=esc(TITLE), css=(DATA / "report.css").read_text(encoding="utf-8"),
        summary=summary_list(documents, rows), corpus=corpus,
        legend=label_legend(), documents=sections or '<p class="muted">No documents.</p>')


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
                documents.append({"doc_id": doc_id, "source": row.get("source"),
                                  "status": None})
    return documents


def table_html(headers: list[str], body: list[list[str]], numeric: set[int] = frozenset(),
               css_class: str = "") -> str:
    """A table from escaped cells (headers are plain text)."""
    head = "".join(f'<th{" class=num" if i in numeric else ""}>{esc(h)}</th>'
                   for i, h in enumerate(headers))
    lines = ["<tr>" + "".join(f'<td{" class=num" if i in numeric else ""}>{cell}</td>'
                              for i, cell in enumerate(row)) + "</tr>" for row in body]
    return (f'<div class="scroll"><table class="{esc(css_class)}"><thead><tr>{head}</tr></thead>'
            f'<tbody>{"".join(lines)}</tbody></table></div>')


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
    items = [("documents", len(documents), by_status), ("mentions", len(rows["mentions"]), ""),
             ("events", len(rows["events"]), ""), ("actors", len(rows["actors"]), ""),
             ("equipment mentions", len(rows["equipment"]), ""),
             ("errors", len(rows["errors"]), "")]
    return '<ul class="summary">' + "".join(
        f'<li><b>{n}</b> {esc(name)}{f" <span class=muted>({extra})</span>" if extra else ""}</li>'
        for name, n, extra in items) + "</ul>"


def label_legend() -> str:
    return '<ul class="legend">' + "".join(
        f'<li><mark class="ent ent-{label}" data-label="{label}">{word}</mark></li>'
        for label, word in LABELS.items()) + "</ul>"


# ---------------------------------------------------------------------------- timeline

def event_when(event: dict, doc_dates: dict[str, str | None]) -> tuple[str | None, bool]:
    """(ISO date used to chart the event, whether it is the article's date instead)."""
    date = event.get("date")
    if date and ISO_DATE.match(date):
        return date, False
    doc_date = doc_dates.get(event.get("doc_id") or "")
    if not date and doc_date and ISO_DATE.match(doc_date):
        return doc_date, True
    return None, False


def months_between(first: str, last: str) -> list[str]:
    year, month = int(first[:4]), int(first[5:7])
    months = []
    while f"{year:04d}-{month:02d}" <= last:
        months.append(f"{year:04d}-{month:02d}")
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    return months


def timeline_counts(events: list[dict], doc_dates: dict[str, str | None]):
    """(periods, {period: Counter(type)}, n charted at the article date, n left out)."""
    whens = [(event_when(e, doc_dates), e.get("type") or "?") for e in events]
    dated = [(when, fallback, kind) for (when, fallback), kind in whens if when]
    has_months = any(len(when) >= 7 for when, _, _ in dated)
    first = min((when[:7] if len(when) >= 7 else f"{when}-01" for when, _, _ in dated),
                default=None)
    last = max((when[:7] if len(when) >= 7 else f"{when}-12" for when, _, _ in dated),
               default=None)
    by_year = bool(dated) and (not has_months
                               or len(months_between(first, last)) > MAX_MONTHS)
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
    left_out = len(events) - sum(sum(c.values()) for c in counts.values())
    return periods, counts, fallback_count, left_out


def timeline_svg(periods: list[str], counts: dict[str, Counter]) -> str:
    """Stacked bars: one per period, one segment per event type."""
    left, top, bottom, plot_h = 34, 10, 46, 160
    if not periods:
        return ('<svg class="timeline" role="img" width="320" height="40" viewBox="0 0 320 40" '
                'xmlns="http://www.w3.org/2000/svg"><title>No dated events</title>'
                '<text x="8" y="24">No dated events.</text></svg>')
    bar_w = max(8.0, min(48.0, 760 / len(periods)))
    width, height = round(left + bar_w * len(periods) + 12), top + plot_h + bottom
    peak = max(sum(c.values()) for c in counts.values()) or 1
    scale = plot_h / peak
    parts = [f'<svg class="timeline" role="img" width="{width}" height="{height}" '
             f'viewBox="0 0 {width} {height}" xmlns="http://www.w3.org/2000/svg">',
             "<title>Events over time by type</title>"]
    for tick in sorted({0, peak // 2, peak}):
        y = top + plot_h - tick * scale
        parts.append(f'<line class="grid" x1="{left}" x2="{width - 8}" y1="{y:.1f}" y2="{y:.1f}"/>'
                     f'<text x="{left - 4}" y="{y + 3:.1f}" text-anchor="end">{tick}</text>')
    known = list(EVENT_TYPES)
    label_every = max(1, round(48 / bar_w))
    for i, period in enumerate(periods):
        x = left + i * bar_w
        y = top + plot_h
        kinds = sorted(counts.get(period, {}),
                       key=lambda k: (known.index(k) if k in known else len(known), k))
        for kind in kinds:
            n = counts[period][kind]
            h = n * scale
            y -= h
            parts.append(f'<rect class="bar-segment t-{css_name(kind)}" data-type="{esc(kind)}" '
                         f'data-period="{esc(period)}" data-count="{n}" x="{x + 1:.1f}" '
                         f'y="{y:.1f}" width="{bar_w - 2:.1f}" height="{h:.1f}">'
                         f"<title>{esc(period)} {esc(kind)}: {n}</title></rect>")
        if i % label_every == 0:
            cx, cy = x + bar_w / 2, top + plot_h + 12
            parts.append(f'<text x="{cx:.1f}" y="{cy}" text-anchor="end" '
                         f'transform="rotate(-40 {cx:.1f} {cy})">{esc(period)}</text>')
    parts.append(f'<line class="axis" x1="{left}" x2="{width - 8}" y1="{top + plot_h}" '
                 f'y2="{top + plot_h}"/></svg>')
    return "".join(parts)


def timeline_section(events: list[dict], doc_dates: dict[str, str | None]) -> str:
    periods, counts, fallback, left_out = timeline_counts(events, doc_dates)
    unit = "year" if periods and len(periods[0]) == 4 else "month"
    types = sorted({k for c in counts.values() for k in c},
                   key=lambda k: (EVENT_TYPES.index(k) if k in EVENT_TYPES else 99, k))
    legend = '<ul class="legend">' + "".join(
        f'<li><span class="swatch t-{css_name(k)}"></span>{esc(k)}</li>' for k in types) + "</ul>"
    notes = [f"Events per {unit}, by type, at their own date."]
    if fallback:
        notes.append(f"{fallback} event(s) without a date are placed at their article's date.")
    if left_out:
        notes.append(f"{left_out} event(s) with no usable date are not shown.")
    return (f'<h3 id="timeline">Events over time</h3><div class="scroll">'
            f"{timeline_svg(periods, counts)}</div>{legend if types else ''}"
            f'<p class="note">{esc(" ".join(notes))}</p>')


# ---------------------------------------------------------------------------- corpus tables

def deliveries_section(events: list[dict], anchors: dict[str, str]) -> str:
    pairs: dict[tuple, list[dict]] = defaultdict(list)
    for event in events:
        if event.get("type") == "DELIVERY":
            pairs[(event.get("source") or "", event.get("target") or "")].append(event)
    body = []
    for (source, target), group_events in sorted(pairs.items(),
                                                 key=lambda kv: (-len(kv[1]), kv[0])):
        categories = Counter(c for e in group_events for c in as_list(e.get("equipment")))
        dates = sorted(e["date"] for e in group_events if e.get("date"))
        span = "" if not dates else esc(dates[0] if dates[0] == dates[-1]
                                        else f"{dates[0]} – {dates[-1]}")
        docs = sorted({e.get("doc_id") or "" for e in group_events})
        body.append([actor(source), actor(target), str(len(group_events)),
                     esc(", ".join(f"{c} ×{n}" if n > 1 else c
                                   for c, n in sorted(categories.items()))),
                     span, doc_links(docs, anchors)])
    content = (table_html(["supplier", "recipient", "events", "equipment categories", "dates",
                           "documents"], body, {2}, "deliveries")
               if body else '<p class="muted">No deliveries.</p>')
    return f'<h3 id="deliveries">Deliveries: supplier → recipient</h3>{content}'


def actors_section(actors: list[dict]) -> str:
    ranked = sorted(actors, key=lambda a: (-(a.get("n_mentions") or 0), -(a.get("n_docs") or 0),
                                           a.get("actor_id") or ""))[:TOP_ACTORS]
    body = []
    for a in ranked:
        aliases = as_list(a.get("aliases"))
        wikidata = a.get("wikidata_id") or ""
        link = (f'<a href="https://www.wikidata.org/wiki/{wikidata}">{wikidata}</a>'
                if re.fullmatch(r"Q\d+", wikidata) else esc(wikidata))
        body.append([esc(a.get("actor_id")), esc(a.get("name")), esc(a.get("kind")),
                     esc(a.get("country")), esc(a.get("n_mentions")), esc(a.get("n_docs")),
                     esc(", ".join(aliases[:6]) + (" …" if len(aliases) > 6 else "")), link])
    content = (table_html(["actor", "name", "kind", "country", "mentions", "documents",
                           "aliases", "Wikidata"], body, {4, 5}, "actors")
               if body else '<p class="muted">No actors.</p>')
    more = (f'<p class="note">Top {TOP_ACTORS} of {len(actors)} actors by mentions.</p>'
            if len(actors) > TOP_ACTORS else "")
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
        body.append([esc(category or "unknown"), str(len(items)), str(delivered), bar,
                     esc(top_models)])
    content = (table_html(["category", "mentions", "in an event", "", "models"], body, {1, 2},
                          "equipment") if body else '<p class="muted">No equipment.</p>')
    return f'<h3 id="equipment">Equipment by category</h3>{content}'


def errors_section(documents: list[dict], errors: list[dict], anchors: dict[str, str]) -> str:
    status = {doc["doc_id"]: doc.get("status") for doc in documents}
    body, logged = [], set()
    for error in errors:
        doc_id = error.get("doc_id") or ""
        logged.add(doc_id)
        body.append([doc_link(doc_id, anchors), esc(error.get("source")),
                     esc(status.get(doc_id)), esc(error.get("stage")), esc(error.get("message"))])
    for doc in documents:
        if doc.get("status") not in (None, "ok") and doc["doc_id"] not in logged:
            body.append([doc_link(doc["doc_id"], anchors), esc(doc.get("source")),
                         esc(doc.get("status")), "", esc(doc.get("message"))])
    content = (table_html(["document", "source", "status", "stage", "message"], body,
                          css_class="errors")
               if body else '<p class="muted">No errors: every document was read.</p>')
    return f'<h3 id="errors">Documents with errors</h3>{content}'


# ---------------------------------------------------------------------------- documents

def mark(mention: dict, text: str) -> str:
    label = css_name(mention.get("label"))
    title = mention.get("norm") or mention.get("model") or mention.get("category") or ""
    extra = f' data-category="{esc(mention["category"])}"' if mention.get("category") else ""
    return (f'<mark class="ent ent-{label}" data-label="{esc(mention.get("label"))}" '
            f'title="{esc(title)}"{extra}>{esc(text)}</mark>')


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
        parts.append(esc(text[position:m["start"]]))
        parts.append(mark(m, text[m["start"]:m["end"]]))
        position = m["end"]
    parts.append(esc(text[position:]))
    return "".join(parts)


def mentions_table(mentions: list[dict]) -> str:
    ordered = sorted(mentions, key=lambda m: (m.get("start") or 0, m.get("end") or 0))
    body = [[esc(m.get("sent_id")), f'{esc(m.get("start"))}–{esc(m.get("end"))}',
             mark(m, m.get("text") or ""), esc(m.get("norm")), esc(m.get("category")),
             esc(m.get("method"))] for m in ordered]
    return table_html(["sentence", "offsets", "mention", "norm", "category", "method"], body,
                      {0}, "mentions")


def sentence_html(sentence: str, evidence: str | None) -> str:
    """The event's sentence with its trigger words in bold where they stand together."""
    if evidence and evidence in sentence:
        before, _, after = sentence.partition(evidence)
        return f'{esc(before)}<strong class="trigger">{esc(evidence)}</strong>{esc(after)}'
    return esc(sentence)


def event_item(event: dict, anchor: str) -> str:
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
    dl = "".join(f"<dt>{name}</dt><dd>{value}</dd>" for name, value in fields)
    sentence = event.get("sentence")
    quote = (f'<blockquote class="sentence">{sentence_html(sentence, event.get("evidence"))}'
             "</blockquote>" if sentence else "")
    return (f'<li class="event" id="{esc(anchor)}" data-type="{esc(kind)}">'
            f'<span class="etype t-{css_name(kind)}">{esc(kind)}</span> '
            f'{actor(event.get("source"))} → {actor(event.get("target"))}'
            f'<dl class="fields">{dl}</dl>{quote}</li>')


def document_section(doc: dict, anchor: str, mentions: list[dict], events: list[dict],
                     text: str | None) -> str:
    status = doc.get("status")
    meta = [esc(doc.get("source")), esc(doc.get("doc_date")),
            f'<span class="status{"" if status in (None, "ok") else " status-bad"}">'
            f"{esc(status or 'unknown')}</span>",
            f"{len(mentions)} mention(s)", f"{len(events)} event(s)"]
    if doc.get("message"):
        meta.append(esc(doc["message"]))
    highlighted = highlight(text, mentions) if text else None
    if highlighted is not None:
        body = f'<div class="text">{highlighted}</div>'
    elif mentions:
        why = ("the text given does not match the mention offsets" if text
               else "article text not available")
        body = f'<p class="note">Mentions listed ({why}).</p>{mentions_table(mentions)}'
    else:
        body = '<p class="note">No mentions.</p>'
    ordered = sorted(events, key=lambda e: (e.get("start") or 0, e.get("event_id") or ""))
    anchors = section_ids([e.get("event_id") or "" for e in ordered], prefix="event-")
    items = "".join(event_item(e, anchors[e.get("event_id") or ""]) for e in ordered)
    events_html = f'<h4>Events</h4><ol class="events">{items}</ol>' if events else ""
    failed = "" if status in (None, "ok") else " status-failed"
    return (f'<section class="document{failed}" id="{esc(anchor)}" '
            f'data-doc-id="{esc(doc["doc_id"])}">'
            f'<h3>{esc(doc["doc_id"])}</h3><p class="meta">{" · ".join(m for m in meta if m)}</p>'
            f"{body}{events_html}</section>")
