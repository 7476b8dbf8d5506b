"""Tests for the DATE stage (pipeline/dates.py).

Sentences are written for these tests; document dates vary so that resolution is
exercised across years, months and weekdays.
"""

from __future__ import annotations

import re
from datetime import date

import pytest
import spacy
from hypothesis import given, settings
from hypothesis import strategies as st

from pipeline.dates import (
    DocDate,
    find_dates,
    normalise_date_text,
    parse_doc_date,
    resolve_day,
    resolve_month,
    resolve_week,
    resolve_weekday,
)

NLP = spacy.blank("fr")


def dates(text: str, doc_date: str | None) -> list[tuple[str, str | None]]:
    return [(m.text, m.norm) for m in find_dates(NLP(text), doc_date)]


# --- absolute forms --------------------------------------------------------------------

ABSOLUTE = [
    (
        "Le ministre est arrivé mardi 14 mars 2023 à Bamako.",
        "2023-03-20",
        [("mardi 14 mars 2023", "2023-03-14")],
    ),
    (
        "La cérémonie s'est tenue ce vendredi 3 février 2017 à Dakar.",
        "2017-02-10",
        [("vendredi 3 février 2017", "2017-02-03")],
    ),
    ("Le 1er octobre, les soldats sont partis.", "2021-10-18", [("1er octobre", "2021-10-01")]),
    ("Le texte a été signé le 05/09/2019 à Lomé.", None, [("05/09/2019", "2019-09-05")]),
    ("Signé le 2018-07-04 à Dakar.", "2018-07", [("2018-07-04", "2018-07-04")]),
    ("Signé le 4.7.2018 à Dakar.", None, [("4.7.2018", "2018-07-04")]),
    ("Les livraisons ont commencé en octobre 2020.", "2021-01-02", [("octobre 2020", "2020-10")]),
    ("Depuis avril 2019, la mission est suspendue.", None, [("avril 2019", "2019-04")]),
    (
        "Le mandat court du 12 juin 2016 au 3 juillet 2016.",
        None,
        [("12 juin 2016", "2016-06-12"), ("3 juillet 2016", "2016-07-03")],
    ),
    (
        "Le 30 décembre et le 4 janvier, des frappes ont visé la ville.",
        "2026-02-05",
        [("30 décembre", "2025-12-30"), ("4 janvier", "2026-01-04")],
    ),
    (
        "L'accord est entré en vigueur le 3 janv. 2024 selon le journal.",
        None,
        [("3 janv. 2024", "2024-01-03")],
    ),
    ("JEUDI 9 MAI 2019", None, [("JEUDI 9 MAI 2019", "2019-05-09")]),
]

YEARS = [
    ("La mission est présente au Mali en 2019.", "2019-04-01", [("2019", "2019")]),
    ("Depuis 2011, le pays est instable.", None, [("2011", "2011")]),
    ("L'accord de 2008 prévoyait une présence durable.", None, [("2008", "2008")]),
    ("Le retrait est prévu dès 2030.", None, [("2030", "2030")]),
    ("Ils resteront jusqu'en 2027.", None, [("2027", "2027")]),
    ("Le plan court d'ici à 2035.", None, [("2035", "2035")]),
    ("Le territoire était colonisé avant 1960.", None, [("1960", "1960")]),
    ("Le pays a changé après 2001.", None, [("2001", "2001")]),
    ("La base fut occupée entre 2005 et 2009.", None, [("2005", "2005"), ("2009", "2009")]),
    ("Le contrat couvre la période de 2013 à 2016.", None, [("2013", "2013"), ("2016", "2016")]),
    ("Les attaques ont repris au printemps 2021.", None, [("printemps 2021", "2021")]),
]

QUALIFIERS = [
    ("Les soldats sont arrivés mi-octobre.", "2022-03-01", [("mi-octobre", "2021-10")]),
    ("Le convoi a quitté la ville début mai.", "2023-06-14", [("début mai", "2023-05")]),
    ("Fin septembre, la junte a fermé la frontière.", "2021-10-18", [("Fin septembre", "2021-09")]),
    ("Le calendrier a glissé à fin 2019.", None, [("fin 2019", "2019")]),
    ("La relève est attendue mi-2022.", None, [("mi-2022", "2022")]),
    ("Le chantier a démarré début 2021.", "2021-06", [("début 2021", "2021")]),
    ("Le départ sera achevé d'ici à fin juin.", "2023-06-14", [("fin juin", "2023-06")]),
    ("Le vote a eu lieu en mai 2018.", None, [("mai 2018", "2018-05")]),
    ("Tout est prévu pour début avril 2025.", None, [("début avril 2025", "2025-04")]),
    ("Il est reparti mi-Mars.", "2020-10-03", [("mi-Mars", "2020-03")]),
    ("La mission repart mi-mars.", "2020-10-03", [("mi-mars", "2021-03")]),
]

# doc 2022-03-01 is a Tuesday, 2021-10-18 a Monday, 2021-10-06 a Wednesday.
RELATIVE = [
    ("Le convoi est parti hier.", "2022-03-01", [("hier", "2022-02-28")]),
    ("Le convoi est parti avant-hier.", "2022-03-01", [("avant-hier", "2022-02-27")]),
    ("Aujourd'hui, le camp est vide.", "2022-03-01", [("Aujourd'hui", "2022-03-01")]),
    ("Aujourd’hui, le camp est vide.", "2022-03-01", [("Aujourd’hui", "2022-03-01")]),
    ("Le camp fermera demain.", "2022-03-01", [("demain", "2022-03-02")]),
    ("Il a signé jeudi dernier.", "2022-03-01", [("jeudi dernier", "2022-02-24")]),
    ("Il a signé mardi dernier.", "2022-03-01", [("mardi dernier", "2022-02-22")]),
    ("Il viendra vendredi prochain.", "2022-03-01", [("vendredi prochain", "2022-03-04")]),
    ("Il reviendra mardi prochain.", "2022-03-01", [("mardi prochain", "2022-03-08")]),
    (
        "Des tirs ont eu lieu la semaine dernière.",
        "2021-10-18",
        [("la semaine dernière", "2021-10")],
    ),
    ("Des tirs ont eu lieu la semaine dernière.", "2021-10-06", [("la semaine dernière", None)]),
    (
        "Le sommet aura lieu la semaine prochaine.",
        "2022-03-01",
        [("la semaine prochaine", "2022-03")],
    ),
    ("Les troupes sont parties le mois dernier.", "2023-01-10", [("le mois dernier", "2022-12")]),
    ("Les troupes sont parties le mois dernier.", "2022-03", [("le mois dernier", "2022-02")]),
    ("Le vote aura lieu le mois prochain.", "2019-12-31", [("le mois prochain", "2020-01")]),
    ("Le pays a reçu des drones l'an dernier.", "2021-10-18", [("l'an dernier", "2020")]),
    ("Le pays a reçu des drones l’an dernier.", "2021-10", [("l’an dernier", "2020")]),
    ("Le pays a reçu des drones l'année dernière.", "2021-10-18", [("l'année dernière", "2020")]),
    ("Il partira l'année prochaine.", "2021-10-18", [("l'année prochaine", "2022")]),
    ("Le budget a doublé cette année.", "2021-10-18", [("cette année", "2021")]),
    ("Le contrat a été signé il y a trois ans.", "2023-06-14", [("il y a trois ans", "2020")]),
    (
        "Le contrat a été signé il y a deux jours.",
        "2023-06-14",
        [("il y a deux jours", "2023-06-12")],
    ),
    ("Le contrat a été signé il y a 4 mois.", "2023-06-14", [("il y a 4 mois", "2023-02")]),
]

WEEKDAYS = [
    ("Le président a reçu lundi l'ambassadeur.", "2022-03-01", [("lundi", "2022-02-28")]),
    ("Le président a remis mardi sa lettre.", "2022-03-01", [("mardi", "2022-03-01")]),
    ("Ce samedi, les manifestants ont défilé.", "2022-03-01", [("samedi", "2022-02-26")]),
    ("Le ministre se rendra jeudi à Dakar.", "2022-03-01", [("jeudi", "2022-03-03")]),
    ("Le sommet doit se tenir samedi à Abuja.", "2022-03-01", [("samedi", "2022-03-05")]),
    ("Les combats ont repris dimanche 27 au nord.", "2022-03-01", [("dimanche 27", "2022-02-27")]),
    ("Le président a reçu lundi l'ambassadeur.", "2022-03", [("lundi", None)]),
    ("Ce jeudi, le ministre inaugurera le camp.", "2022-03-01", [("jeudi", "2022-03-03")]),
    (
        "Des tirs dans la nuit de samedi à dimanche.",
        "2022-03-01",
        [("samedi", "2022-02-26"), ("dimanche", "2022-02-27")],
    ),
]

SPANS = [
    ("Il est arrivé le 26 mars.", "2024-04-02", [("26 mars", "2024-03-26")]),
    ("Le programme a démarré en 2023.", None, [("2023", "2023")]),
    ("Il a été élu en mars 2022.", None, [("mars 2022", "2022-03")]),
    ("Le coup d'État de juillet 2023 a surpris.", None, [("juillet 2023", "2023-07")]),
    ("Le décret du 26 juillet 2023 est abrogé.", None, [("26 juillet 2023", "2023-07-26")]),
    ("Le retrait s'achèvera d'ici à fin août.", "2024-08-05", [("fin août", "2024-08")]),
]

# The nearest-date rule, and the tense overriding it only for far dates.
RESOLUTION = [
    (
        "La junte a promis des élections le 2 novembre.",
        "2019-12-31",
        [("2 novembre", "2019-11-02")],
    ),
    (
        "Washington avait jusqu'au 20 octobre pour partir.",
        "2021-09-10",
        [("20 octobre", "2021-10-20")],
    ),
    ("Les élections ont eu lieu en mars.", "2022-11-20", [("mars", "2022-03")]),
    ("Les élections auront lieu en mars.", "2022-11-20", [("mars", "2023-03")]),
    ("Les premières livraisons ont été faites en février.", "2022-11-20", [("février", "2022-02")]),
    (
        "Le contingent a quitté le pays en mars dernier.",
        "2022-03-15",
        [("mars dernier", "2021-03")],
    ),
    ("Le 5 mars, les soldats sont rentrés.", "2022-03", [("5 mars", "2022-03-05")]),
    ("Le 5 mars, les soldats sont rentrés.", None, [("5 mars", None)]),
    ("Le convoi est parti hier.", "2022-03", [("hier", None)]),
    ("Il a signé mercredi dernier.", "2022-03", [("mercredi dernier", None)]),
    ("Des tirs ont eu lieu la semaine dernière.", "2022-03", [("la semaine dernière", None)]),
    ("Le convoi est parti hier.", None, [("hier", None)]),
    ("Le pays a reçu des drones l'an dernier.", None, [("l'an dernier", None)]),
]


@pytest.mark.parametrize(
    ("text", "doc_date", "expected"),
    ABSOLUTE + YEARS + QUALIFIERS + RELATIVE + WEEKDAYS + SPANS + RESOLUTION,
)
def test_forms(text: str, doc_date: str | None, expected: list[tuple[str, str | None]]) -> None:
    assert dates(text, doc_date) == expected


# --- not dates -------------------------------------------------------------------------

FALSE_FRIENDS = [
    "La mission a duré deux mois.",
    "Le blocus dure depuis plus d'un mois.",
    "Le pays est en guerre depuis trois ans.",
    "Les combats ont duré pendant des années.",
    "Les tirs ont commencé dans la matinée.",
    "En début d'après-midi, le convoi est reparti.",
    "Le couvre-feu commence à 18h30.",
    "Le défilé a eu lieu à la veille de la fête nationale.",
    "Les troupes sont parties un jour avant la date limite.",
    "Le pays accueille 120 instructeurs étrangers.",
    "Ils ont rejoint la base aérienne 201 près de la ville.",
    "Un Il-76 s'est posé sur la piste.",
    "Près de 1 500 soldats ont été déployés.",
    "Deux Mi-35 et un Mi-24 ont survolé la zone.",
    "L'attaque a fait 45 morts.",
    "Trois Su-24 et un Su-25 ont été livrés.",
    "Le contrat vaut 3,2 milliards de francs.",
    "Un renfort de 250 hommes est arrivé.",
    "Au total 812 soldats sont rentrés.",
    "Le Conseil a adopté la résolution 2391 sans vote.",
    "Un contingent de 2000 soldats est attendu.",
    "Le bilan dépasse les plus de 1900.",
    "L'armée aligne des Mirage 2000 modernisés.",
    "Le marché se tient tous les lundis.",
    "Sept soldats ont été blessés.",
    "Cette année-là, la ville est tombée.",
    "Le colis pèse 2010 kg.",
    "La sonde a été lancée vers Mars.",
    "Les années 1995 ont été violentes.",  # not a decade
    "À ce jour, aucun bilan n'a été publié.",  # "so far"
    "La veille, le lendemain et ce matin, rien.",
]


@pytest.mark.parametrize("text", FALSE_FRIENDS)
def test_false_friends(text: str) -> None:
    assert dates(text, "2022-03-01") == []


# --- contract details ------------------------------------------------------------------


def test_mention_fields() -> None:
    text = "Le 14 juillet 2021, le convoi est parti."
    (mention,) = find_dates(NLP(text), "2021-08-01")
    assert (mention.start, mention.end) == (3, 18)
    assert text[mention.start : mention.end] == mention.text == "14 juillet 2021"
    assert mention.label == "DATE"
    assert mention.method == "date_rules"
    assert mention.sent_id == -1


def test_offsets_survive_a_masked_prefix() -> None:
    text = " " * 16 + "Le convoi est parti hier."
    (mention,) = find_dates(NLP(text), "2022-03-01")
    assert (mention.start, mention.text, mention.norm) == (36, "hier", "2022-02-28")


def test_long_document_is_fast() -> None:
    text = " ".join(["Le 2 mai et le 9 juin, la base a été rendue depuis 2012."] * 2000)
    mentions = find_dates(NLP(text), "2020-06-30")
    assert len(mentions) == 6000
    assert [m.norm for m in mentions[:3]] == ["2020-05-02", "2020-06-09", "2012"]


def test_normalise_date_text() -> None:
    assert normalise_date_text("le 3 mars", "2020-05-01") == "2020-03-03"
    assert normalise_date_text("fin août", "2024-08-05") == "2024-08"
    assert normalise_date_text("depuis 2015", None) == "2015"
    assert normalise_date_text("hier", "2024-08") is None
    assert normalise_date_text("aucune date ici", "2024-08-05") is None
    assert normalise_date_text("", None) is None


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("2024-11-28", DocDate(2024, 11, 28)),
        ("2024-11", DocDate(2024, 11, None)),
        (" 2024-11 ", DocDate(2024, 11, None)),
        ("2024-02-30", None),
        ("2024-13", None),
        ("novembre", None),
        ("", None),
        (None, None),
    ],
)
def test_parse_doc_date(value: str | None, expected: DocDate | None) -> None:
    assert parse_doc_date(value) == expected


def test_resolution_helpers() -> None:
    jan30 = DocDate(2025, 1, 30)
    assert resolve_day(26, 12, jan30) == "2024-12-26"
    assert resolve_day(29, 2, DocDate(2023, 6, 1)) == "2024-02-29"  # only leap years qualify
    assert resolve_month(12, DocDate(2025, 1)) == "2024-12"
    assert resolve_month(7, DocDate(2025, 1)) == "2024-07"  # tie of 6 months goes back
    assert resolve_weekday(0, DocDate(2024, 4, 9), "on_or_before") == "2024-04-08"
    assert resolve_weekday(1, DocDate(2024, 4, 9), "before") == "2024-04-02"
    assert resolve_weekday(1, DocDate(2024, 4, 9), "on_or_after") == "2024-04-09"
    assert resolve_week(-1, DocDate(2024, 4, 9)) == "2024-04"
    assert resolve_week(0, DocDate(2024, 4, 2)) == "2024-04"  # Monday 1 to Sunday 7 April
    assert resolve_week(-1, DocDate(2024, 4, 2)) == "2024-03"  # 25 to 31 March
    assert resolve_week(0, DocDate(2024, 5, 1)) is None  # 29 April to 5 May


# --- properties ------------------------------------------------------------------------

ISO = re.compile(r"^\d{4}(-\d{2}(-\d{2})?)?$")

WORDS = [
    "le",
    "la",
    "l'",
    "ce",
    "cette",
    "en",
    "depuis",
    "de",
    "d'",
    "ici",
    "à",
    "fin",
    "début",
    "mi-mars",
    "mi-2023",
    "Mi-24",
    "jeudi",
    "lundi",
    "dernier",
    "prochaine",
    "semaine",
    "mois",
    "an",
    "année",
    "hier",
    "avant-hier",
    "aujourd'hui",
    "il",
    "y",
    "a",
    "deux",
    "ans",
    "jours",
    "1er",
    "28",
    "31",
    "29",
    "février",
    "novembre",
    "sept.",
    "2024",
    "1999",
    "2100",
    "2719",
    "28/11/2024",
    "31/02/2023",
    "2024-02-30",
    "-",
    "/",
    ",",
    ".",
    "soldats",
    "sera",
    "ont",
    "était",
    "\n",
    "12",
    "9999",
]

doc_dates = st.one_of(
    st.none(),
    st.dates().map(lambda d: d.isoformat()),
    st.dates().map(lambda d: d.isoformat()[:7]),
    st.dates().map(lambda d: d.isoformat()[:4]),
    st.text(max_size=12),
)
phrases = st.lists(st.sampled_from(WORDS), max_size=12).map(" ".join)
texts = st.one_of(phrases, st.text(max_size=60))


def _valid_norm(norm: str | None) -> bool:
    if norm is None:
        return True
    if not ISO.match(norm):
        return False
    if len(norm) == 10:
        date.fromisoformat(norm)
    elif len(norm) == 7:
        return 1 <= int(norm[5:]) <= 12
    return True


@settings(max_examples=200, deadline=None)
@given(text=texts, doc_date=doc_dates)
def test_properties_any_text(text: str, doc_date: str | None) -> None:
    doc = NLP(text)
    for mention in find_dates(doc, doc_date):
        assert doc.text[mention.start : mention.end] == mention.text
        assert mention.text and not mention.text[0].isspace() and not mention.text[-1].isspace()
        assert _valid_norm(mention.norm), mention.norm


@settings(max_examples=200, deadline=None)
@given(day=st.dates(min_value=date(1800, 1, 1), max_value=date(2100, 12, 31)), doc_date=doc_dates)
def test_properties_full_dates_round_trip(day: date, doc_date: str | None) -> None:
    months = [
        "janvier",
        "février",
        "mars",
        "avril",
        "mai",
        "juin",
        "juillet",
        "août",
        "septembre",
        "octobre",
        "novembre",
        "décembre",
    ]
    text = f"Le {day.day} {months[day.month - 1]} {day.year}, le convoi est arrivé."
    assert normalise_date_text(text, doc_date) == day.isoformat()


@settings(max_examples=200, deadline=None)
@given(
    doc=st.dates(min_value=date(1850, 1, 1), max_value=date(2090, 12, 31)),
    weekday=st.sampled_from(
        ["lundi", "mardi", "mercredi", "jeudi", "vendredi", "samedi", "dimanche"]
    ),
)
def test_properties_weekdays(doc: date, weekday: str) -> None:
    past = date.fromisoformat(normalise_date_text(f"Il a parlé {weekday}.", doc.isoformat()))
    assert 0 <= (doc - past).days <= 6
    last = date.fromisoformat(normalise_date_text(f"{weekday} dernier", doc.isoformat()))
    assert 1 <= (doc - last).days <= 7 and last.weekday() == past.weekday()
    nxt = date.fromisoformat(normalise_date_text(f"{weekday} prochain", doc.isoformat()))
    assert 1 <= (nxt - doc).days <= 7 and nxt.weekday() == past.weekday()


# ---------------------------------------------------------------- page furniture, chronicles
# (issue 16; sentences of our own)


@pytest.mark.parametrize(
    ("text", "doc_date", "expected"),
    [
        ("Les combats ont eu lieu les 3 et 4 juin.", "2024-06-20", [("3 et 4 juin", "2024-06")]),
        ("Réunion du 7 au 9 mars 2023 à Lomé.", "2024-01", [("7 au 9 mars 2023", "2023-03")]),
        ("Chronologie\n2-28 février 2020\n", "2020-02", [("2-28 février 2020", "2020-02")]),
        ("— Armée (@armee) March 5, 2024", "2024-03", [("March 5, 2024", "2024-03-05")]),
        ("Photo taken on 12 April 2023 in Gao.", "2023-04", [("12 April 2023", "2023-04-12")]),
        ("Publié\n2024-02-03T08:15+0100\n", "2024-02", [("2024-02-03T08:15+0100", "2024-02-03")]),
        (
            "Mars 2021.\nLe 14, les rebelles attaquent.\nLe 20 également, le conseil siège.",
            "2021-03",
            [("Mars 2021", "2021-03"), ("14", "2021-03-14"), ("20", "2021-03-20")],
        ),
        ("Ils se sont vus ce jour à Niamey.", "2023-07", [("ce jour", "2023-07")]),
        ("Ils se sont vus aujourd'hui à Niamey.", "2023-07", [("aujourd'hui", "2023-07")]),
        (
            "Elle a été créée au milieu des années 1980.",
            "2023-07",
            [("milieu des années 1980", None)],
        ),
        ("Au début de l'année, la ville est tombée.", "2025-02", [("début de l'année", "2025")]),
        (
            "Il l'a dit il y a quelques semaines.",
            "2025-02-10",
            [("il y a quelques semaines", None)],
        ),
        ("Ils ont péri la nuit dernière.", "2023-12-26", [("la nuit dernière", "2023-12-25")]),
        ("Le 14 juillet, la fête.", "2021-03", [("14 juillet", "2021-07-14")]),
    ],
)
def test_page_furniture_and_chronicles(text: str, doc_date: str, expected) -> None:
    assert dates(text, doc_date) == expected


def test_month_and_weekday_names_are_babel_s() -> None:
    """The word lists in data/dates_fr.json are written from Babel (CLDR) by a script."""
    pytest.importorskip("babel", reason="babel (dev extra) is needed to compare the names")
    import subprocess
    import sys
    from pathlib import Path

    script = Path(__file__).resolve().parent.parent / "scripts" / "build_date_names.py"
    result = subprocess.run([sys.executable, str(script), "--check"], capture_output=True)
    assert result.returncode == 0, result.stderr.decode()


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Avril 2019\nLe 3, les élus votent.\nLe 9, Kidal tombe.\n", ["3", "9"]),
        ("Avril 2019\nLe 3 également, la junte parle.\n", ["3"]),
        ("Avril 2019\nLe 22, rue de la Paix, un colis.\n", []),  # an address
        ("Avril 2019\nLe 14 est un nombre.\n", []),  # no comma or adverb after it
        ("Avril 2019\nOn compte le 22, puis le 23.\n", []),  # not at a line start
    ],
)
def test_chronicle_days_only_open_a_line(text: str, expected: list[str]) -> None:
    found = [t for t, _ in dates(text, "2019-04") if t != "Avril 2019"]
    assert found == expected
