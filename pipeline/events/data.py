"""The events stage's data: the trigger lexicon (``data/triggers.json``: triggers, the
cheap candidate test's stems, modality cues, word classes) and the role frames
(``data/event_frames.jsonl``), read once and checked at load.

Every trigger names a frame of the frames file and, optionally, a need (a check on its
arguments, see ``pipeline.events.needs``); an unknown frame, need, event type, argument
path or word class is a ``LexiconError`` naming the file and line, so that a typo in the
data never passes silently.

The data in force (`pipeline.datasets`) is the package's, or the copy a pipeline's
component read from its saved folder (`read_data`) and made active with `using` while it
annotates; values derived from it (word sets, indexes) are computed once per copy
(`per_data`).
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path

from pipeline.datafile import json_lines
from pipeline.datasets import InForce

TRIGGERS_FILE = "triggers.json"
FRAMES_FILE = "event_frames.jsonl"
FILES = (TRIGGERS_FILE, FRAMES_FILE)
TYPES = ("DELIVERY", "TRAINING", "AGREEMENT", "TERMINATION", "COUP", "ATTACK")
TRIGGER_KEYS = {"type", "lemma", "lemmas", "pos", "frame", "needs", "agree", "target_case"}
FORMS = ("benefit", "noun", "passive", "pronominal", "verb")  # the order a trigger is tried
ROLE_KEYS = ("pair", "source", "target")
FRAME_KEYS = {"frame", "about", "reader", "order", "forms"}


class LexiconError(ValueError):
    """Malformed events data: the message names the file and the line."""


@dataclass(frozen=True, eq=False)
class EventData:
    """One set of events data: the files' texts (what a saved pipeline writes) and what
    they parse to. Compared and hashed by identity."""

    texts: dict[str, str] = field(repr=False)
    lexicon: dict = field(repr=False)
    frames: dict[str, dict] = field(repr=False)
    origin: str = "pipeline/data"

    @classmethod
    def from_texts(cls, texts: dict[str, str], origin: str) -> EventData:
        return cls(
            texts=dict(texts),
            lexicon=parse_lexicon(texts[TRIGGERS_FILE], f"{origin}/{TRIGGERS_FILE}"),
            frames=parse_frames(texts[FRAMES_FILE], f"{origin}/{FRAMES_FILE}"),
            origin=origin,
        )

    def to_disk(self, directory: Path) -> None:
        directory.mkdir(parents=True, exist_ok=True)
        for name, text in self.texts.items():
            (directory / name).write_text(text, encoding="utf-8")


def read_data(directory: Path) -> EventData:
    """The events data saved in ``directory`` (a saved pipeline's component folder)."""
    directory = Path(directory)
    texts = {}
    for name in FILES:
        try:
            texts[name] = (directory / name).read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as exc:
            raise LexiconError(f"{directory / name}: cannot be read ({exc})") from None
    return EventData.from_texts(texts, str(directory))


def read_package_data() -> EventData:
    """The events data shipped in ``pipeline/data/``."""
    folder = resources.files("pipeline").joinpath("data")
    texts = {name: folder.joinpath(name).read_text(encoding="utf-8") for name in FILES}
    return EventData.from_texts(texts, "pipeline/data")


IN_FORCE: InForce[EventData] = InForce("extract_event_data", read_package_data)
package_data = IN_FORCE.default  # read once
active = IN_FORCE.active
using = IN_FORCE.using
per_data = IN_FORCE.per_data


def lexicon() -> dict:
    """The trigger lexicon in force (``triggers.json``)."""
    return active().lexicon


def frames() -> dict[str, dict]:
    """The role frames in force (``event_frames.jsonl``) by name."""
    return active().frames


def parse_lexicon(text: str, name: str) -> dict:
    """The lexicon, each trigger with the line it stands on (``_line``); one trigger a
    line, as the file is written, so that errors can name their line."""
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise LexiconError(f"{name}:{exc.lineno}: not JSON ({exc.msg})") from None
    lines = [n for n, line in enumerate(text.splitlines(), 1) if '"frame"' in line]
    triggers = data.get("triggers")
    if not isinstance(triggers, list) or len(lines) != len(triggers):
        raise LexiconError(f"{name}: 'triggers' must list one trigger object a line")
    for number, entry in zip(lines, triggers, strict=True):
        where = f"{name}:{number}"
        if not isinstance(entry, dict):
            raise LexiconError(f"{where}: a trigger must be an object")
        unknown = set(entry) - TRIGGER_KEYS
        if unknown:
            raise LexiconError(f"{where}: unknown key(s) {sorted(unknown)}")
        if entry.get("type") not in TYPES:
            raise LexiconError(f"{where}: unknown event type {entry.get('type')!r}")
        if ("lemma" in entry) == ("lemmas" in entry):
            raise LexiconError(f"{where}: a trigger has either 'lemma' or 'lemmas'")
        if "lemma" in entry and entry.get("pos") not in ("VERB", "NOUN"):
            raise LexiconError(f"{where}: 'pos' must be VERB or NOUN")
        entry["_line"] = where
    for section in ("modality", "words"):
        if not isinstance(data.get(section), dict):
            raise LexiconError(f"{name}: missing section {section!r}")
    numbers = data["words"].get("number_words", {})
    if not all(isinstance(v, int) and not isinstance(v, bool) and v > 0 for v in numbers.values()):
        raise LexiconError(f"{name}: words.number_words maps words to positive integers")
    forms = data["words"].get("combining_forms", {})
    if not all(isinstance(v, str) and len(v) == 3 and v.isupper() for v in forms.values()):
        raise LexiconError(f"{name}: words.combining_forms maps word starts to ISO3 codes")
    return data


def parse_frames(text: str, name: str) -> dict[str, dict]:
    """The frames of a JSONL frames file, checked for shape: each line a frame with a
    ``reader`` or ``forms`` ({form: {role: [step, ...]}}), each step a path or a list
    of paths (the names are checked against the code's by ``check``)."""
    found: dict[str, dict] = {}
    for where, frame in json_lines(text, lambda n: f"{name}:{n}", LexiconError):
        if not isinstance(frame, dict) or not isinstance(frame.get("frame"), str):
            raise LexiconError(f"{where}: a frame needs a 'frame' name")
        unknown = set(frame) - FRAME_KEYS
        if unknown:
            raise LexiconError(f"{where}: unknown key(s) {sorted(unknown)}")
        if ("reader" in frame) == ("forms" in frame):
            raise LexiconError(f"{where}: a frame has either a 'reader' or 'forms'")
        if frame["frame"] in found:
            raise LexiconError(f"{where}: frame {frame['frame']!r} declared twice")
        for form, roles in frame.get("forms", {}).items():
            if form not in FORMS:
                raise LexiconError(f"{where}: unknown form {form!r} (one of {FORMS})")
            for role, steps in roles.items():
                if role not in ROLE_KEYS or not isinstance(steps, list):
                    raise LexiconError(f"{where}: {form}: bad role {role!r}")
        if frame.get("order", ["source", "target"]) not in (
            ["source", "target"],
            ["target", "source"],
        ):
            raise LexiconError(f"{where}: 'order' is [source, target] or [target, source]")
        frame["_line"] = where
        found[frame["frame"]] = frame
    return found


def paths_of(frame: dict):
    """Every path a frame's forms name, with the form and role it stands in."""
    for form, roles in frame.get("forms", {}).items():
        for role, steps in roles.items():
            for step in steps:
                for path in [step] if isinstance(step, str) else step:
                    yield form, role, path


def check(lexicon_data: dict, frame_data: dict, *, paths, readers, needs) -> None:
    """Every name the data uses exists in the code: each trigger's frame and need, each
    frame's reader and paths (``name`` or ``name:arg|arg``). Raises LexiconError naming
    the file and line of the first unknown one."""
    for name, frame in frame_data.items():
        where = frame["_line"]
        if "reader" in frame and frame["reader"] not in readers:
            raise LexiconError(f"{where}: frame {name!r}: unknown reader {frame['reader']!r}")
        for form, role, path in paths_of(frame):
            head, _, arg = path.partition(":")
            if head not in paths or (paths[head] and not arg):
                raise LexiconError(f"{where}: frame {name!r} {form}.{role}: unknown path {path!r}")
    for entry in lexicon_data["triggers"]:
        where = entry["_line"]
        if entry["frame"] not in frame_data:
            raise LexiconError(f"{where}: unknown frame {entry['frame']!r}")
        if "needs" in entry and entry["needs"] not in needs:
            raise LexiconError(f"{where}: unknown need {entry['needs']!r}")


@per_data
def words(name: str) -> frozenset[str]:
    return frozenset(lexicon()["words"][name])


@per_data
def modality(name: str) -> tuple[str, ...]:
    return tuple(lexicon()["modality"][name])
