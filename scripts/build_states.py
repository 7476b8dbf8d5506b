"""Build ``pipeline/data/states.tsv`` (iso3, French name, article) from CLDR via Babel.

French names come from ``babel.Locale("fr").territories`` (CLDR). ISO 3166-1 alpha-3
codes come from CLDR's ``territory_aliases`` table (alpha-3 -> alpha-2), where the few
withdrawn codes that still alias a live territory (BUR, ZAR, ...) are skipped. Which
territories are sovereign states is not in CLDR: the list below is the 193 UN members,
the two UN observer states and three widely reported partially recognised states.

The output is deterministic (sorted by iso3, LF line ends); the TSV is committed and
``tests/test_gazetteers.py`` checks it equals a fresh build byte for byte.

Usage: ``python scripts/build_states.py [OUT_PATH]`` (default: the committed file).
"""

from __future__ import annotations

import re
import sys
from pathlib import Path

import babel
from babel.core import get_global

DEFAULT_OUT = Path(__file__).resolve().parent.parent / "pipeline" / "data" / "states.tsv"

_UN_MEMBERS_TEXT = """
AF AL DZ AD AO AG AR AM AU AT AZ BS BH BD BB BY BE BZ BJ BT BO BA BW BR BN BG BF BI CV KH
CM CA CF TD CL CN CO KM CG CR CI HR CU CY CZ KP CD DK DJ DM DO EC EG SV GQ ER EE SZ ET FJ
FI FR GA GM GE DE GH GR GD GT GN GW GY HT HN HU IS IN ID IR IQ IE IL IT JM JP JO KZ KE KI
KW KG LA LV LB LS LR LY LI LT LU MG MW MY MV ML MT MH MR MU MX FM MC MN ME MA MZ MM NA NR
NP NL NZ NI NE NG MK NO OM PK PW PA PG PY PE PH PL PT QA KR MD RO RU RW KN LC VC WS SM ST
SA SN RS SC SL SG SK SI SB SO ZA SS ES LK SD SR SE CH SY TJ TH TL TG TO TT TN TR TM TV UG
UA AE GB TZ US UY UZ VU VE VN YE ZM ZW
"""
UN_MEMBERS = _UN_MEMBERS_TEXT.split()
UN_OBSERVERS = ["VA", "PS"]
PARTIALLY_RECOGNISED = ["XK", "TW", "EH"]

# Withdrawn alpha-3 codes that CLDR still lists as aliases of a live territory.
WITHDRAWN_ALPHA3 = {"BUR", "ZAR", "DDR", "FXX", "TMP", "YMD"}

# Where the CLDR name is not the one French news uses as the state's name.
NAME_OVERRIDES = {
    "CD": "République démocratique du Congo",  # CLDR: Congo-Kinshasa
    "CG": "Congo",  # CLDR: Congo-Brazzaville
    "PS": "Palestine",  # CLDR: Territoires palestiniens
    "VA": "Vatican",  # CLDR: État de la Cité du Vatican
}

# Names said without an article ("à Cuba", "Israël a annoncé").
NO_ARTICLE = {
    "Antigua-et-Barbuda",
    "Bahreïn",
    "Chypre",
    "Cuba",
    "Djibouti",
    "Haïti",
    "Israël",
    "Kiribati",
    "Madagascar",
    "Malte",
    "Maurice",
    "Monaco",
    "Nauru",
    "Oman",
    "Saint-Christophe-et-Niévès",
    "Sainte-Lucie",
    "Saint-Marin",
    "Saint-Vincent-et-les Grenadines",
    "Sao Tomé-et-Principe",
    "Singapour",
    "Taïwan",
    "Trinité-et-Tobago",
    "Tuvalu",
}
PLURAL = {
    "Bahamas",
    "Comores",
    "Émirats arabes unis",
    "États-Unis",
    "Fidji",
    "Îles Marshall",
    "Îles Salomon",
    "Maldives",
    "Palaos",
    "Pays-Bas",
    "Philippines",
    "Samoa",
    "Seychelles",
    "Tonga",
}
# Gender exceptions to "ends in -e means feminine".
MASCULINE_IN_E = {"Belize", "Cambodge", "Mexique", "Mozambique", "Suriname", "Zimbabwe"}
FEMININE_NOT_E = {
    "Corée du Nord",
    "Corée du Sud",
    "Guinée-Bissau",
    "Macédoine du Nord",
    "République démocratique du Congo",
}
# Initial letters that elide the article; Y is a consonant here ("le Yémen") and no
# state name starts with a mute h ("le Honduras", "la Hongrie").
ELIDING_INITIALS = set("AEIOUÉÈÊÎÏÔÂ")


def alpha2_to_alpha3() -> dict[str, str]:
    """Map ISO alpha-2 to alpha-3 from CLDR's territory aliases."""
    mapping: dict[str, str] = {}
    for alias, targets in sorted(get_global("territory_aliases").items()):
        if len(alias) != 3 or not alias.isalpha() or len(targets) != 1:
            continue
        if alias in WITHDRAWN_ALPHA3:
            continue
        target = targets[0]
        if target in mapping:
            raise ValueError(f"two alpha-3 codes for {target}: {mapping[target]}, {alias}")
        mapping[target] = alias
    return mapping


def french_name(alpha2: str, cldr_names: dict[str, str]) -> str:
    """The state's French name: CLDR's, an override, without a parenthesised variant."""
    name = NAME_OVERRIDES.get(alpha2, cldr_names[alpha2])
    name = re.sub(r"\s*\([^)]*\)", "", name)  # "Myanmar (Birmanie)" -> "Myanmar"
    return name.replace("\u2019", "'")


def article(name: str) -> str:
    """The definite article French uses before the state name ('' for none)."""
    if name in NO_ARTICLE:
        return ""
    if name in PLURAL:
        return "les"
    if name[0] in ELIDING_INITIALS:
        return "l'"
    feminine = (name.endswith("e") and name not in MASCULINE_IN_E) or name in FEMININE_NOT_E
    return "la" if feminine else "le"


def build_rows() -> list[tuple[str, str, str]]:
    """Return (iso3, name, article) rows sorted by iso3."""
    cldr_names = babel.Locale("fr").territories
    to_alpha3 = alpha2_to_alpha3()
    rows = []
    for alpha2 in UN_MEMBERS + UN_OBSERVERS + PARTIALLY_RECOGNISED:
        name = french_name(alpha2, cldr_names)
        rows.append((to_alpha3[alpha2], name, article(name)))
    rows.sort()
    if len({row[0] for row in rows}) != len(rows):
        raise ValueError("duplicate iso3 code")
    return rows


def render(rows: list[tuple[str, str, str]]) -> str:
    """The TSV text, header first, LF line ends."""
    lines = ["iso3\tname\tarticle"] + ["\t".join(row) for row in rows]
    return "\n".join(lines) + "\n"


def main(argv: list[str]) -> None:
    out = Path(argv[1]) if len(argv) > 1 else DEFAULT_OUT
    out.write_text(render(build_rows()), encoding="utf-8", newline="\n")


if __name__ == "__main__":
    main(sys.argv)
