"""The HIPE-2020 adapter: our PER spans moved to HIPE's convention (titles included)."""

import pytest

from pipeline.benchmark_hipe import with_title


@pytest.mark.parametrize(
    ("text", "name", "expected"),
    [
        ("Le texte fut lu par M. Dupuis hier.", "Dupuis", "M. Dupuis"),
        ("Selon le président Kruger, rien.", "Kruger", "président Kruger"),
        ("On a vu MM. Perret et Blanc.", "Perret", "MM. Perret"),
        ("Puis le cardinal Rossi parla.", "Rossi", "cardinal Rossi"),
        ("Jean Favre est arrivé.", "Jean Favre", "Jean Favre"),  # nothing to add
        ("La maison Dupont brûle.", "Dupont", "Dupont"),  # a noun, not a title
    ],
)
def test_title_is_added_before_a_person(text, name, expected):
    start = text.index(name)
    assert text[with_title(text, start) : start + len(name)] == expected
