"""PLOVER export: a run's happenings as PLOVER newline-delimited JSON.

``export_plover(out_dir)`` reads the ``happenings``, ``events``, ``actors`` tables of a run
(and ``run.json``) and writes ``out_dir/happenings.plover.jsonl`` atomically: one record
per happening, every PLOVER field present (null, or an empty list, when this pipeline
cannot fill it), plus a few fields of our own, which PLOVER allows. The field list, event
categories, modes, contexts and actor codes are data (``data/plover.json``, checked at
load); `validate` checks a record against them.

What is filled, and from what:

- ``id``: ``happening_id``; ``has_event``: true;
- ``date`` / ``enddate``: the first and last day of the happening's date at its precision
  (PLOVER dates are days; ``date_precision`` says which period they bound); a happening
  no text dates gets its first report's date, ``date_precision`` ``article``;
- ``source`` (also written as ``actor``, the PLOVER 2.0 name) and ``recipient``: one actor
  object each (an attack by an unnamed author: sector ``UAF``, "unidentified armed
  forces", no code; any other happening with no source is not exported, as PLOVER
  requires a source: the command says how many), ``code`` the ISO 3166 alpha-3 of a
  state, of the country of a ministry, group or person, else PLOVER's non-state code
  (``IMG`` for an armed group, ``IGO`` for an organisation with no country);
  ``actor_text`` the actor's name, ``identifier_id``/``identifier_text`` its Wikidata
  item and canonical name;
- ``event``: the happening's PLOVER category; ``quad_code`` and ``event_scale`` (the
  manual's Schrodt score) from it; ``mode``: ``military`` for AID (deliveries and
  training are military aid); ``context``: ``military``;
- ``event_loc``: the place's name and state (``cc3``; its ``country code``, ISO alpha-2,
  stays null: the gazetteers hold alpha-3 codes);
- ``event_text``: the sentences that report it; ``cite_info``: the codebook;
  ``coder``: ``extract`` and its version; ``coded_date``: when the run finished.

Left empty, and why: ``time``/``endtime`` (news gives days, not times); ``mode`` outside
AID (CONSULT's visit/host, SANCTION's expel/withdraw/sever, COERCE and ASSAULT modes need
distinctions the events do not carry); actor ``sector`` (actors are resolved to states
and organisations, not to their government, military or police); ``link`` (no grouping
above happenings); ``text`` (the pipeline holds no rights to the articles' text, the
manual's condition for this field) and ``text_info`` (a happening spans several
documents: ``event_ids`` point to each sentence); ``comment`` and ``coded_time``.
"""

from __future__ import annotations

import json
import os
import re
from functools import cache
from pathlib import Path

from pipeline.datafile import read_json
from pipeline.happenings import as_list, place_state

SPEC_FILE = Path(__file__).parent / "data" / "plover.json"
EXPORT_NAME = "happenings.plover.jsonl"
ISO_DAY = re.compile(r"\A\d{4}-\d{2}-\d{2}\Z")
SPEC_KEYS = {
    "about",
    "codebook",
    "fields",
    "actor_fields",
    "location_fields",
    "cite_fields",
    "categories",
    "contexts",
    "nonstate_codes",
    "type_modes",
    "type_context",
    "extensions",
}


class PloverError(ValueError):
    """A run folder the export cannot read."""


# ----------------------------------------------------------------------------- the spec


def load_spec(path: str | Path = SPEC_FILE) -> dict:
    """The PLOVER field list and vocabularies, checked; a ValueError names the file."""
    path = Path(path)
    spec = read_json(path, "the PLOVER spec")
    problems = []
    if not isinstance(spec, dict) or set(spec) != SPEC_KEYS:
        raise ValueError(f"{path}: expected exactly the keys {sorted(SPEC_KEYS)}")
    if not all(isinstance(v, bool) for v in spec["fields"].values()):
        problems.append("fields maps each field name to whether it is required")
    for name, category in spec["categories"].items():
        if set(category) != {"quad", "score", "modes"} or category["quad"] not in (1, 2, 3, 4):
            problems.append(f"category {name}: needs quad (1-4), score and modes")
    for kind, modes in spec["type_modes"].items():
        if not isinstance(modes, list):
            problems.append(f"type_modes {kind}: a list of modes")
    if set(spec["type_context"]) - set(spec["contexts"]):
        problems.append("type_context holds a context PLOVER does not define")
    if set(spec["extensions"]) & set(spec["fields"]):
        problems.append("an extension has the name of a PLOVER field")
    if problems:
        raise ValueError(f"{path}: " + "; ".join(problems))
    return spec


@cache
def spec() -> dict:
    return load_spec()


# ----------------------------------------------------------------------------- records


def actor_object(actor_id: str | None, actors: dict[str, dict]) -> dict | None:
    """A PLOVER actor object for one of our actor ids (an `actors` row when known)."""
    if not actor_id:
        return None
    row = actors.get(actor_id, {})
    kind, country = row.get("kind"), row.get("country")
    if kind == "state" or (not row and len(actor_id) == 3 and actor_id.isupper()):
        code = actor_id
    elif country:
        code = country
    elif kind == "group":
        code = "IMG"
    elif kind == "organisation":
        code = "IGO"
    else:
        code = None
    return {
        "code": code,
        "sector": None,
        "actor_text": row.get("name") or actor_id,
        "identifier_id": row.get("wikidata_id"),
        "identifier_text": actor_id,
    }


def unnamed_attacker(happening: dict) -> dict | None:
    """An attack whose author the texts do not name: PLOVER's "unidentified armed forces"
    sector (``UAF``, "unknown gunmen"), with no actor code."""
    if happening.get("type") != "ATTACK":
        return None
    return {
        "code": None,
        "sector": "UAF",
        "actor_text": None,
        "identifier_id": None,
        "identifier_text": None,
    }


def exportable(happening: dict) -> bool:
    """PLOVER requires a source actor: a happening with none is not coded (the manual:
    events with no named source "will not be coded by PLOVER"), except an attack, coded
    with the unidentified-armed-forces sector."""
    return bool(happening.get("source")) or happening.get("type") == "ATTACK"


def modes_of(event_type: str | None, category: str | None, plover: dict) -> list[str]:
    """The modes an event type always has, when PLOVER defines them for its category."""
    defined = plover["categories"].get(category or "", {}).get("modes", [])
    return [m for m in plover["type_modes"].get(event_type or "", []) if m in defined]


def record(
    happening: dict,
    actors: dict[str, dict],
    sentences: dict[str, str],
    coder: str,
    coded_date: str | None,
    plover: dict | None = None,
) -> dict:
    """One PLOVER record for one happenings row."""
    plover = plover or spec()
    category = happening.get("plover")
    known = plover["categories"].get(category or "", {})
    if happening.get("date_start"):
        date, enddate, precision = (
            happening["date_start"],
            happening.get("date_end"),
            happening.get("date_precision"),
        )
    else:  # no text dates it: it happened by its first report
        from pipeline.isodate import date_range

        first = date_range(happening.get("first_reported"))
        date, enddate, precision = (
            (first[0].isoformat(), None, "article") if first else (None, None, None)
        )
    source = actor_object(happening.get("source"), actors) or unnamed_attacker(happening)
    recipient = actor_object(happening.get("target"), actors)
    event_ids = as_list(happening.get("event_ids"))
    texts = list(dict.fromkeys(sentences[i] for i in event_ids if sentences.get(i)))
    place = happening.get("location")
    return {
        "id": happening["happening_id"],
        "has_event": True,
        "date": date,
        "time": None,
        "enddate": enddate if enddate != date else None,
        "endtime": None,
        "source": [source] if source else [],
        "recipient": [recipient] if recipient else [],
        "event": [category] if category else [],
        "event_loc": {"name": place, "country code": None, "cc3": place_state(place)}
        if place
        else None,
        "event_text": texts,
        "quad_code": known.get("quad"),
        "event_scale": known.get("score"),
        "mode": modes_of(happening.get("type"), category, plover),
        "context": list(plover["type_context"]),
        "link": None,
        "text": None,
        "text_info": None,
        "cite_info": {"codebook": plover["codebook"], "coder": coder, "language": "fr"},
        "coder": coder,
        "coded_date": coded_date,
        "coded_time": None,
        "comment": None,
        "actor": [source] if source else [],
        "event_type": happening.get("type"),
        "date_precision": precision,
        "equipment": as_list(happening.get("equipment")),
        "models": as_list(happening.get("models")),
        "quantity": happening.get("quantity"),
        "n_docs": happening.get("n_docs"),
        "doc_ids": as_list(happening.get("doc_ids")),
        "event_ids": event_ids,
    }


def validate(found: dict, plover: dict | None = None) -> list[str]:
    """What is wrong with a record against PLOVER's field list and vocabularies (an
    empty list when nothing is)."""
    plover = plover or spec()
    problems = []
    fields, extensions = plover["fields"], plover["extensions"]
    for name in found:
        if name not in fields and name not in extensions:
            problems.append(f"unknown field {name!r}")
    for name, required in fields.items():
        if required and found.get(name) in (None, [], ""):
            problems.append(f"required field {name!r} is empty")
    for name in ("date", "enddate"):
        if found.get(name) is not None and not ISO_DAY.match(str(found[name])):
            problems.append(f"{name} {found[name]!r} is not YYYY-MM-DD")
    categories = found.get("event") or []
    if not isinstance(categories, list) or set(categories) - set(plover["categories"]):
        problems.append(f"event {categories!r}: not a list of PLOVER categories")
    defined = {
        m for c in categories if c in plover["categories"] for m in plover["categories"][c]["modes"]
    }
    if set(found.get("mode") or []) - defined:
        problems.append(f"mode {found['mode']!r} is not defined for {categories!r}")
    if set(found.get("context") or []) - set(plover["contexts"]):
        problems.append(f"context {found['context']!r} holds an unknown context")
    for role in ("source", "recipient", "actor"):
        for actor in found.get(role) or []:
            if not isinstance(actor, dict) or set(actor) - set(plover["actor_fields"]):
                problems.append(f"{role}: {actor!r} is not a PLOVER actor object")
                continue
            code = actor.get("code")
            if code is not None and not (re.fullmatch(r"[A-Z]{3}", code)):
                problems.append(f"{role}: code {code!r} is not a 3-letter actor code")
    if found.get("event_loc") is not None and set(found["event_loc"]) - set(
        plover["location_fields"]
    ):
        problems.append("event_loc holds keys that are not location fields")
    if found.get("cite_info") is not None and set(found["cite_info"]) - set(plover["cite_fields"]):
        problems.append("cite_info holds keys that are not citation fields")
    quad = found.get("quad_code")
    if (
        quad is not None
        and categories
        and quad != plover["categories"].get(categories[0], {}).get("quad")
    ):
        problems.append(f"quad_code {quad} does not match {categories[0]}")
    return problems


# ----------------------------------------------------------------------------- export


def export_plover(out_dir: str | os.PathLike) -> tuple[Path, int, int]:
    """Write ``out_dir/happenings.plover.jsonl`` from the run's tables; (path, records
    written, happenings left out because they have no source actor, `exportable`)."""
    from pipeline.manifest import version
    from pipeline.tables import MANIFEST, read_table

    folder = Path(out_dir)
    if not any((folder / f"happenings.{ext}").is_file() for ext in ("parquet", "csv")):
        raise PloverError(
            f"no happenings table in {folder}: run `extract CORPUS --out {folder}` first"
        )
    happenings = records(read_table(folder, "happenings"))
    events = records(read_table(folder, "events")) if has(folder, "events") else []
    actors = records(read_table(folder, "actors")) if has(folder, "actors") else []
    coded_date = None
    try:
        manifest = json.loads((folder / MANIFEST).read_text(encoding="utf-8"))
        coded_date = str(manifest.get("finished") or "")[:10] or None
    except (OSError, ValueError, AttributeError):
        pass
    coder = f"extract {version() or ''}".strip()
    by_id = {a["actor_id"]: a for a in actors if a.get("actor_id")}
    sentences = {e["event_id"]: e.get("sentence") for e in events if e.get("event_id")}
    lines = [
        json.dumps(record(h, by_id, sentences, coder, coded_date), ensure_ascii=False)
        for h in happenings
        if exportable(h)
    ]
    final = folder / EXPORT_NAME
    temporary = final.with_name(f".{EXPORT_NAME}.tmp-{os.getpid()}")
    try:
        text = "".join(line + "\n" for line in lines)
        temporary.write_text(text, encoding="utf-8", errors="replace")
        os.replace(temporary, final)
    finally:
        temporary.unlink(missing_ok=True)
    return final, len(lines), len(happenings) - len(lines)


def records(df) -> list[dict]:
    """A table read back (`pipeline.tables.read_table`) as plain rows: None for nulls,
    ISO days for dates, lists for lists."""
    import pandas as pd

    rows = []
    for row in df.to_dict("records"):
        plain = {}
        for key, value in row.items():
            if isinstance(value, list):
                plain[key] = [str(v) for v in value]
            elif value is None or (not isinstance(value, str) and pd.isna(value)):
                plain[key] = None
            elif isinstance(value, pd.Timestamp):
                plain[key] = value.date().isoformat()
            elif hasattr(value, "item"):  # numpy and pandas scalars
                plain[key] = value.item()
            else:
                plain[key] = value
        rows.append(plain)
    return rows


def has(folder: Path, table: str) -> bool:
    return any((folder / f"{table}.{ext}").is_file() for ext in ("parquet", "csv"))
