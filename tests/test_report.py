"""The HTML report (pipeline/report.py): built from hand-made tables, checked as parsed HTML
and, when chromium is there (`make test` installs it when it can), as the DOM a real headless
browser builds."""

from __future__ import annotations

import re
import shutil
import subprocess
from html.parser import HTMLParser
from pathlib import Path

import pytest

from pipeline.report import build_report, read_texts, write_report
from pipeline.tables import TABLES, TableWriter, empty_frame, frame, read_table

# ---------------------------------------------------------------------------- fixtures

TEXT_CHAD = (
    "date 2024-03-12\nLe Tchad a réceptionné trois hélicoptères Mi-17 livrés par la "
    "Turquie le 2 mars 2024 à N'Djamena. Le président Mahamat Idriss Déby a salué "
    "l'arrivée des appareils."
)
TEXT_HUNGARY = (
    "date 2023-08-20\nDes instructeurs hongrois ont commencé à former des soldats "
    "tchadiens à Abéché en août 2023, selon Budapest."
)
SCRIPT = (
    "<script>document.title='pwned';var a=document.createElement('aside');"
    "a.id='injected';document.body.appendChild(a);</script>"
)
TEXT_HOSTILE = (
    f"date 2024-05-02\nLe Bénin {SCRIPT} a signé un accord de défense avec la "
    "France <img src=x onerror=\"document.title='img'\"> à Cotonou."
)
HOSTILE_ID = 'hostile"><img src=x onerror=alert(1)>'
HOSTILE_NORM = "BEN\" onmouseover=\"document.title='hover'"


def span(
    doc_id: str, text: str, phrase: str, label: str, norm: str | None, sent_id: int = 0, **extra
) -> dict:
    start = text.index(phrase)
    return {
        "doc_id": doc_id,
        "sent_id": sent_id,
        "start": start,
        "end": start + len(phrase),
        "text": phrase,
        "label": label,
        "norm": norm,
        "method": "model",
        **extra,
    }


def event(
    doc_id: str,
    number: int,
    text: str,
    trigger: str,
    kind: str,
    source,
    target,
    date,
    sentence: str,
    **extra,
) -> dict:
    start = text.index(trigger)
    return {
        "event_id": f"{doc_id}#E{number}",
        "doc_id": doc_id,
        "sent_id": 0,
        "type": kind,
        "source": source,
        "target": target,
        "date": date,
        "evidence": trigger,
        "sentence": sentence,
        "start": start,
        "end": start + len(trigger),
        "equipment": extra.pop("equipment", []),
        **extra,
    }


def fixture_rows() -> dict[str, list[dict]]:
    chad, hungary, hostile = "tchad/mi17", "tchad/hongrie", HOSTILE_ID
    chad_sentence = TEXT_CHAD.split("\n", 1)[1].split(". ")[0] + "."
    mentions = [
        span(chad, TEXT_CHAD, "Tchad", "GPE", "TCD"),
        span(chad, TEXT_CHAD, "Mi-17", "EQUIPMENT", None, category="helicopter", model="Mi-17"),
        span(chad, TEXT_CHAD, "Turquie", "GPE", "TUR"),
        span(chad, TEXT_CHAD, "2 mars 2024", "DATE", "2024-03-02"),
        span(chad, TEXT_CHAD, "N'Djamena", "LOC", "N'Djamena"),
        span(chad, TEXT_CHAD, "Mahamat Idriss Déby", "PER", "Mahamat Idriss Déby", sent_id=1),
        span(hungary, TEXT_HUNGARY, "Abéché", "LOC", "Abéché"),
        span(hungary, TEXT_HUNGARY, "août 2023", "DATE", "2023-08"),
        span(hungary, TEXT_HUNGARY, "Budapest", "LOC", "Budapest"),
        span(hostile, TEXT_HOSTILE, "Bénin", "GPE", HOSTILE_NORM),
        span(hostile, TEXT_HOSTILE, "France", "GPE", "FRA"),
    ]
    events = [
        event(
            chad,
            1,
            TEXT_CHAD,
            "livrés",
            "DELIVERY",
            "TUR",
            "TCD",
            "2024-03-02",
            chad_sentence,
            location="N'Djamena",
            equipment=["helicopter"],
            plover="AID",
            models=["Mi-17"],
            quantity=3,
        ),
        event(
            hungary,
            1,
            TEXT_HUNGARY,
            "former",
            "TRAINING",
            "HUN",
            "TCD",
            "2023-08",
            TEXT_HUNGARY.split("\n", 1)[1],
            location="Abéché",
            plover="AID",
        ),
        event(
            hostile,
            1,
            TEXT_HOSTILE,
            "a signé",
            "AGREEMENT",
            "BEN",
            "FRA<b>x</b>",
            None,
            TEXT_HOSTILE.split("\n", 1)[1],
            plover="AGREE",
        ),
    ]
    documents = [
        {
            "doc_id": chad,
            "source": f"{chad}.txt",
            "doc_date": "2024-03-12",
            "status": "ok",
            "n_chars": len(TEXT_CHAD),
            "n_sentences": 2,
            "encoding": "utf-8",
        },
        {
            "doc_id": hungary,
            "source": f"{hungary}.txt",
            "doc_date": "2023-08-20",
            "status": "ok",
            "n_chars": len(TEXT_HUNGARY),
            "n_sentences": 1,
            "encoding": "utf-8",
        },
        {
            "doc_id": hostile,
            "source": "hostile.jsonl:3",
            "doc_date": "2024-05-02",
            "status": "ok",
            "n_chars": len(TEXT_HOSTILE),
            "n_sentences": 1,
        },
        {
            "doc_id": "english/brief",
            "source": "english/brief.txt",
            "status": "not_french",
            "message": "article does not look French",
            "n_chars": 40,
            "n_sentences": 0,
        },
    ]
    return {
        "documents": documents,
        "mentions": mentions,
        "events": events,
        "actors": [
            {
                "actor_id": "TCD",
                "name": "Tchad",
                "kind": "state",
                "country": "TCD",
                "wikidata_id": "Q657",
                "n_mentions": 9,
                "n_docs": 2,
                "aliases": ["Tchad"],
            },
            {
                "actor_id": "TUR",
                "name": "Turquie",
                "kind": "state",
                "country": "TUR",
                "wikidata_id": "Q43",
                "n_mentions": 4,
                "n_docs": 1,
                "aliases": ["Turquie"],
            },
            {
                "actor_id": "<i>evil</i>",
                "name": "<i>evil</i>",
                "kind": "group",
                "wikidata_id": "javascript:alert(1)",
                "n_mentions": 1,
                "n_docs": 1,
                "aliases": [],
            },
        ],
        "equipment": [
            {
                "doc_id": chad,
                "sent_id": 0,
                "start": mentions[1]["start"],
                "end": mentions[1]["end"],
                "text": "Mi-17",
                "category": "helicopter",
                "model": "Mi-17",
                "quantity": 3,
                "event_id": f"{chad}#E1",
            },
        ],
        "errors": [
            {
                "doc_id": "english/brief",
                "source": "english/brief.txt",
                "stage": "ingest",
                "message": "not_french: article does not look French",
            }
        ],
    }


TEXTS = {"tchad/mi17": TEXT_CHAD, "tchad/hongrie": TEXT_HUNGARY, HOSTILE_ID: TEXT_HOSTILE}


def write_tables(folder: Path, rows: dict[str, list[dict]], formats=("csv", "parquet")) -> Path:
    with TableWriter(folder, formats=formats) as writer:
        for table, table_rows in rows.items():
            writer.write(table, table_rows)
    return folder


@pytest.fixture
def run_folder(tmp_path: Path) -> Path:
    return write_tables(tmp_path / "out", fixture_rows())


def frames_of(folder: Path) -> dict:
    return {table: read_table(folder, table) for table in TABLES}


# ---------------------------------------------------------------------------- a small DOM


class Element:
    def __init__(self, tag: str, attrs: dict[str, str], parent: Element | None):
        self.tag, self.attrs, self.parent, self.children = tag, attrs, parent, []
        self.pieces: list[str] = []

    @property
    def text(self) -> str:
        return "".join(p if isinstance(p, str) else p.text for p in self.pieces)

    @property
    def classes(self) -> set[str]:
        return set(self.attrs.get("class", "").split())

    def iter(self):
        yield self
        for child in self.children:
            yield from child.iter()

    def find_all(self, tag: str, cls: str | None = None) -> list[Element]:
        return [e for e in self.iter() if e.tag == tag and (cls is None or cls in e.classes)]


VOID = {
    "area",
    "base",
    "br",
    "col",
    "embed",
    "hr",
    "img",
    "input",
    "link",
    "meta",
    "source",
    "track",
    "wbr",
}


class DomParser(HTMLParser):
    """The page as a tree of Elements (enough for these checks)."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.root = Element("#root", {}, None)
        self.current = self.root

    def handle_starttag(self, tag, attrs):
        element = Element(tag, {k: v or "" for k, v in attrs}, self.current)
        self.current.children.append(element)
        self.current.pieces.append(element)
        if tag not in VOID:
            self.current = element

    def handle_startendtag(self, tag, attrs):
        self.handle_starttag(tag, attrs)
        if tag not in VOID:
            self.current = self.current.parent

    def handle_endtag(self, tag):
        node = self.current
        while node is not self.root and node.tag != tag:
            node = node.parent
        if node is not self.root:
            self.current = node.parent

    def handle_data(self, data):
        self.current.pieces.append(data)


def parse(page: str) -> Element:
    parser = DomParser()
    parser.feed(page)
    parser.close()
    return parser.root


def sections(dom: Element) -> list[Element]:
    return dom.find_all("section", "document")


# ---------------------------------------------------------------------------- build_report


def test_one_section_per_document_with_sanitised_unique_ids(run_folder):
    dom = parse(build_report(frames_of(run_folder), TEXTS))
    found = sections(dom)
    assert [s.attrs["data-doc-id"] for s in found] == [
        "tchad/mi17",
        "tchad/hongrie",
        HOSTILE_ID,
        "english/brief",
    ]
    ids = [s.attrs["id"] for s in found]
    assert ids[:2] == ["doc-tchad-mi17", "doc-tchad-hongrie"]
    assert all(re.fullmatch(r"doc-[A-Za-z0-9_-]+", i) for i in ids)
    assert len(set(ids)) == len(ids)


def test_mentions_highlighted_with_label_and_norm(run_folder):
    dom = parse(build_report(frames_of(run_folder), TEXTS))
    chad = sections(dom)[0]
    marks = [
        (m.text, m.attrs["data-label"], m.attrs["title"], m.classes)
        for m in chad.find_all("mark", "ent")
    ]
    assert [(t, lab, title) for t, lab, title, _ in marks] == [
        ("Tchad", "GPE", "TCD"),
        ("Mi-17", "EQUIPMENT", "Mi-17"),
        ("Turquie", "GPE", "TUR"),
        ("2 mars 2024", "DATE", "2024-03-02"),
        ("N'Djamena", "LOC", "N'Djamena"),
        ("Mahamat Idriss Déby", "PER", "Mahamat Idriss Déby"),
    ]
    assert all({"ent", f"ent-{lab}"} <= cls for _, lab, _, cls in marks)
    # the whole article is there, in order, marks included
    text = chad.find_all("div", "text")[0].text
    assert text == TEXT_CHAD


def test_events_listed_with_evidence(run_folder):
    dom = parse(build_report(frames_of(run_folder), TEXTS))
    chad = sections(dom)[0]
    [item] = chad.find_all("li", "event")
    assert item.attrs["data-type"] == "DELIVERY"
    assert "TUR → TCD" in item.text
    fields = dict(
        zip(
            [e.text for e in item.find_all("dt")],
            [e.text for e in item.find_all("dd")],
            strict=True,
        )
    )
    happening = fields.pop("happening")
    assert fields == {
        "date": "2024-03-02",
        "location": "N'Djamena",
        "equipment": "helicopter",
        "PLOVER": "AID",
        "trigger": "livrés",
    }
    # the event links to its happening's row, which links back to the event's sentence
    [link] = item.find_all("a", "happening-link")
    assert link.text == happening and link.attrs["href"] == f"#happening-{happening}"
    [row] = [tr for tr in dom.find_all("tr") if tr.attrs.get("id") == f"happening-{happening}"]
    assert [a.attrs["href"] for a in row.find_all("a", "event-link")] == [f"#{item.attrs['id']}"]
    assert item.find_all("strong", "trigger")[0].text == "livrés"
    assert item.find_all("blockquote")[0].text.startswith("Le Tchad a réceptionné")


def test_article_markup_is_escaped_everywhere(run_folder):
    page = build_report(frames_of(run_folder), TEXTS)
    dom = parse(page)
    assert SCRIPT not in page and "&lt;script&gt;" in page
    assert_only_our_script(dom)
    assert not dom.find_all("img")
    assert not dom.find_all("i")
    assert not [b for b in dom.find_all("b") if b.text == "x"]
    assert not any(k.startswith("on") for e in dom.iter() for k in e.attrs)
    hostile = sections(dom)[2]
    assert hostile.attrs["data-doc-id"] == HOSTILE_ID
    assert SCRIPT in hostile.find_all("div", "text")[0].text
    benin = hostile.find_all("mark", "ent")[0]
    assert (benin.text, benin.attrs["title"]) == ("Bénin", HOSTILE_NORM)
    assert "FRA<b>x</b>" in hostile.find_all("li", "event")[0].text
    # a Wikidata id that is not a Q-number is shown, never linked
    assert not [a for a in dom.find_all("a") if "javascript" in a.attrs.get("href", "")]
    assert dom.find_all("meta")[1].attrs["content"].startswith("default-src 'none'")


def assert_only_our_script(dom: Element) -> None:
    """One script, the report's own, and the page's policy runs no other."""
    import base64
    import hashlib

    [script] = dom.find_all("script")
    source = (Path(__file__).parent.parent / "pipeline" / "data" / "report.js").read_text(
        encoding="utf-8"
    )
    assert script.text == source
    digest = base64.b64encode(hashlib.sha256(source.encode("utf-8")).digest()).decode()
    policy = dom.find_all("meta")[1].attrs["content"]
    assert policy.startswith("default-src 'none'")
    assert policy.endswith(f"script-src 'sha256-{digest}'")
    assert "unsafe-inline'; img" in policy and policy.count("unsafe") == 1  # styles only


def test_without_texts_mentions_are_listed_as_a_table(run_folder):
    dom = parse(build_report(frames_of(run_folder)))
    chad = sections(dom)[0]
    assert not chad.find_all("div", "text")
    assert "article text not available" in chad.text
    rows = chad.find_all("table", "mentions")[0].find_all("tr")[1:]
    assert len(rows) == 6
    assert [m.text for m in chad.find_all("mark", "ent")][:3] == ["Tchad", "Mi-17", "Turquie"]


def test_text_that_does_not_fit_the_offsets_falls_back(run_folder):
    texts = dict(TEXTS, **{"tchad/mi17": "date 2024-03-12\nUn tout autre texte."})
    chad = sections(parse(build_report(frames_of(run_folder), texts)))[0]
    assert not chad.find_all("div", "text")
    assert "does not match the mention offsets" in chad.text


def test_timeline_counts_events_by_month_and_type(run_folder):
    dom = parse(build_report(frames_of(run_folder), TEXTS))
    [svg] = dom.find_all("svg", "timeline")
    bars = {
        (r.attrs["data-period"], r.attrs["data-type"]): int(r.attrs["data-count"])
        for r in svg.find_all("rect", "bar-segment")
    }
    # the AGREEMENT has no date: charted at its (first) article's date (2024-05)
    assert bars == {
        ("2024-03", "DELIVERY"): 1,
        ("2023-08", "TRAINING"): 1,
        ("2024-05", "AGREEMENT"): 1,
    }
    labels = [t.text for t in svg.find_all("text")]
    assert "2023-08" in labels and "2024-05" in labels
    assert "placed at their first article's date" in dom.find_all("section", "corpus")[0].text


def test_timeline_counts_happenings_not_articles_and_skips_outlying_dates():
    rows = fixture_rows()
    chad = rows["events"][0]
    # the Chad delivery told by four more articles: still one bar segment
    retold = [
        dict(chad, event_id=f"retold{n}#E1", doc_id=f"retold{n}", date="2024-03") for n in range(4)
    ]
    # four more deliveries in 2023-2024, and one misread as 1962
    others = [
        dict(
            chad,
            event_id=f"other{n}#E1",
            doc_id=f"other{n}",
            source="RUS",
            date=f"2023-{n + 2:02d}",
        )
        for n in range(4)
    ]
    misread = dict(chad, event_id="misread#E1", doc_id="misread", source="CHN", date="1962-03")
    events = rows["events"] + retold + others + [misread]
    dom = parse(build_report({"events": frame("events", events)}))
    [svg] = dom.find_all("svg", "timeline")
    bars = {
        (r.attrs["data-period"], r.attrs["data-type"]): int(r.attrs["data-count"])
        for r in svg.find_all("rect", "bar-segment")
    }
    assert bars[("2024-03", "DELIVERY")] == 1
    periods = {r.attrs["data-period"] for r in svg.find_all("rect", "bar-segment")}
    assert min(periods) == "2023-02" and max(periods) == "2024-03"  # monthly, not 62 years
    [outliers] = dom.find_all("ul", "outliers")
    assert "1962-03" in outliers.text and outliers.find_all("a", "happening-link")


def test_timeline_goes_yearly_over_long_spans():
    rows = fixture_rows()
    rows["events"][1]["date"] = "2015"
    page = build_report({"events": frame("events", rows["events"])})
    svg = parse(page).find_all("svg", "timeline")[0]
    periods = [r.attrs["data-period"] for r in svg.find_all("rect", "bar-segment")]
    assert sorted(periods) == ["2015", "2024"]  # the undated AGREEMENT has no article date
    assert "1 happening(s) with no usable date are not shown" in page


def test_corpus_tables(run_folder):
    dom = parse(build_report(frames_of(run_folder), TEXTS))
    register = dom.find_all("table", "transfers")[0]
    cells = [[td.text for td in tr.find_all("td")] for tr in register.find_all("tr")[1:]]
    [[happening]] = [
        [td.text for td in tr.find_all("td")][7:8] for tr in register.find_all("tr")[1:]
    ]
    assert cells == [
        ["TUR", "TCD", "Mi-17", "helicopter", "3", "2024-03-02", "1", happening, "tchad/mi17"]
    ]
    assert register.find_all("a")[-1].attrs["href"] == "#doc-tchad-mi17"
    matrix = dom.find_all("table", "supply")[0]
    assert [
        (td.attrs["data-supplier"], td.attrs["data-recipient"], td.text)
        for td in matrix.find_all("td", "cell")
    ] == [("TUR", "TCD", "1")]
    assert "Mi-17" in matrix.find_all("td", "cell")[0].attrs["title"]
    happenings = [
        [td.text for td in tr.find_all("td")][1:5]
        for tr in dom.find_all("table", "happenings")[0].find_all("tr")[1:]
    ]
    assert happenings == [
        ["TRAINING", "HUN", "TCD", "2023-08"],
        ["DELIVERY", "TUR", "TCD", "2024-03-02"],
        ["AGREEMENT", "BEN", "FRA<b>x</b>", ""],
    ]
    summary = dom.find_all("ul", "summary")[0].text
    assert "3 happenings (1 deliveries)" in summary
    sortable = {t.attrs.get("data-table") for t in dom.find_all("table", "sortable")}
    assert {"transfers", "happenings", "actors", "equipment", "errors"} <= sortable
    actors = [
        tr.find_all("td")[0].text for tr in dom.find_all("table", "actors")[0].find_all("tr")[1:]
    ]
    assert actors == ["TCD", "TUR", "<i>evil</i>"]
    equipment = [
        [td.text for td in tr.find_all("td")]
        for tr in dom.find_all("table", "equipment")[0].find_all("tr")[1:]
    ]
    assert equipment == [["helicopter", "1", "1", "", "Mi-17"]]
    errors = [
        [td.text for td in tr.find_all("td")]
        for tr in dom.find_all("table", "errors")[0].find_all("tr")[1:]
    ]
    assert errors == [
        [
            "english/brief",
            "english/brief.txt",
            "not_french",
            "ingest",
            "not_french: article does not look French",
        ]
    ]


def test_empty_tables_give_a_valid_report(tmp_path):
    page = build_report({})
    dom = parse(page)
    assert page.startswith("<!DOCTYPE html>") and page.rstrip().endswith("</html>")
    assert sections(dom) == []
    assert len(dom.find_all("svg", "timeline")) == 1
    assert "No documents." in page and "No deliveries." in page
    path = write_report(write_tables(tmp_path / "empty", {}))
    assert path.read_text(encoding="utf-8") == build_report(
        {table: empty_frame(table) for table in TABLES}
    )


def test_write_report_is_atomic_and_reads_csv_only_runs(tmp_path):
    folder = write_tables(tmp_path / "csv", fixture_rows(), formats=("csv",))
    path = write_report(folder, TEXTS)
    assert path == folder / "report.html"
    assert sorted(p.name for p in folder.iterdir() if "report" in p.name) == ["report.html"]
    dom = parse(path.read_text(encoding="utf-8"))
    assert len(sections(dom)) == 4
    assert [m.text for m in sections(dom)[0].find_all("mark", "ent")][0] == "Tchad"


def test_read_texts_gives_the_decoded_documents(tmp_path):
    corpus = tmp_path / "corpus" / "tchad"
    corpus.mkdir(parents=True)
    (corpus / "mi17.txt").write_bytes(TEXT_CHAD.encode("cp1252"))
    assert read_texts(tmp_path / "corpus") == {"tchad/mi17": TEXT_CHAD}


# ---------------------------------------------------------------------------- in a browser

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
browser = pytest.mark.skipif(
    CHROMIUM is None,
    reason="no chromium on this machine (installing it needs root: sudo "
    "scripts/ensure_chromium.sh); the report is still checked as parsed HTML",
)


def dump_dom(page: Path, profile: Path) -> str:
    assert CHROMIUM, "no chromium: run scripts/ensure_chromium.sh as root"
    result = subprocess.run(
        [
            CHROMIUM,
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-quic",
            "--no-first-run",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            f"--user-data-dir={profile}",
            "--dump-dom",
            page.as_uri(),
        ],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert result.returncode == 0, result.stderr[-2000:]
    assert "<html" in result.stdout, result.stderr[-2000:]
    return result.stdout


@browser
def test_browser_runs_scripts_in_a_control_page(tmp_path):
    """Control: the browser does run a page's scripts, so the next test means something."""
    page = tmp_path / "control.html"
    page.write_text(
        f"<!DOCTYPE html><html><head><title>report</title></head><body>"
        f"<p>x</p>{SCRIPT}</body></html>",
        encoding="utf-8",
    )
    dom = parse(dump_dom(page, tmp_path / "profile"))
    assert dom.find_all("title")[0].text == "pwned"
    assert [e.attrs["id"] for e in dom.find_all("aside")] == ["injected"]


@browser
def test_report_in_a_browser(run_folder, tmp_path):
    path = write_report(run_folder, TEXTS)
    dom = parse(dump_dom(path, tmp_path / "profile"))
    assert dom.find_all("title")[0].text == "extract: report"
    found = sections(dom)
    assert len(found) == 4
    assert [s.attrs["data-doc-id"] for s in found][:2] == ["tchad/mi17", "tchad/hongrie"]
    labels = [
        (m.text, m.attrs["data-label"], m.attrs["title"]) for m in found[1].find_all("mark", "ent")
    ]
    assert labels == [
        ("Abéché", "LOC", "Abéché"),
        ("août 2023", "DATE", "2023-08"),
        ("Budapest", "LOC", "Budapest"),
    ]
    [svg] = dom.find_all("svg", "timeline")
    assert len(svg.find_all("rect", "bar-segment")) == 3
    # the article's <script> and <img> are text, not elements, and did not run; ours did
    assert_only_our_script(dom)
    assert not dom.find_all("img")
    assert not dom.find_all("aside")
    assert dom.find_all("html")[0].attrs.get("data-script") == "ready"
    assert len(dom.find_all("div", "filter")) == len(dom.find_all("table", "sortable"))
    assert SCRIPT in found[2].find_all("div", "text")[0].text
    assert found[2].find_all("mark", "ent")[0].attrs["title"] == HOSTILE_NORM


def test_overlapping_spans_keep_the_first_longest_and_ids_never_clash():
    from pipeline.report import highlight, section_ids

    text = "Alliance des États du Sahel"
    spans = [
        {"start": 0, "end": 27, "label": "ORG", "norm": "AES", "text": text},
        {"start": 22, "end": 27, "label": "LOC", "norm": "Sahel", "text": "Sahel"},
    ]
    marks = parse(highlight(text, spans)).find_all("mark")
    assert [(m.text, m.attrs["data-label"]) for m in marks] == [(text, "ORG")]
    assert section_ids(["a/b", "a-b", "a b", ""]) == {
        "a/b": "doc-a-b",
        "a-b": "doc-a-b-2",
        "a b": "doc-a-b-3",
        "": "doc-",
    }


@browser
def test_tables_sort_and_filter_in_a_browser(tmp_path):
    rows = fixture_rows()
    chad = rows["events"][0]
    rows["events"] += [
        dict(chad, event_id=f"more{n}#E1", doc_id=f"more{n}", source=source, date=date)
        for n, (source, date) in enumerate([("RUS", "2022-05"), ("CHN", "2023-01")])
    ]
    path = write_report(write_tables(tmp_path / "out", rows))
    page = path.as_uri() + "?sort=happenings:date:desc&filter=happenings:DELIVERY"
    dom = parse(dump_dom_url(page, tmp_path / "profile"))
    table = [t for t in dom.find_all("table", "sortable") if t.attrs["data-table"] == "happenings"][
        0
    ]
    shown = [
        [td.text for td in tr.find_all("td")][1:5]
        for tr in table.find_all("tr")[1:]
        if "hidden" not in tr.attrs
    ]
    assert shown == [
        ["DELIVERY", "TUR", "TCD", "2024-03-02"],
        ["DELIVERY", "CHN", "TCD", "2023-01"],
        ["DELIVERY", "RUS", "TCD", "2022-05"],
    ]
    [date_header] = [th for th in table.find_all("th") if th.text == "date"]
    assert date_header.attrs["aria-sort"] == "descending"
    counts = [s.text for s in dom.find_all("span", "count")]
    assert "3 of 5 rows" in counts


def dump_dom_url(url: str, profile: Path) -> str:
    assert CHROMIUM, "chromium is required in CI: run scripts/ensure_chromium.sh"
    result = subprocess.run(
        [
            CHROMIUM,
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-quic",
            "--no-first-run",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            f"--user-data-dir={profile}",
            "--dump-dom",
            url,
        ],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert result.returncode == 0, result.stderr[-2000:]
    return result.stdout
