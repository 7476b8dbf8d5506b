"""Tests for the events stage (pipeline/events.py) on sentences written for the tests."""

from __future__ import annotations

import pytest

from pipeline import events
from pipeline import nlp as model
from pipeline.types import Event, Mention, Sentence


def mention(
    text: str,
    surface: str,
    label: str,
    norm: str | None,
    *,
    sent_id: int = 0,
    offset: int = 0,
    category: str | None = None,
    occurrence: int = 0,
) -> Mention:
    start = -1
    for _ in range(occurrence + 1):
        start = text.index(surface, start + 1)
    return Mention(
        offset + start,
        offset + start + len(surface),
        surface,
        label,
        norm,
        category=category,
        sent_id=sent_id,
    )


def run(nlp, sentences: list[tuple[str, list[tuple]]], doc_date: str | None = "2024-06-10"):
    """Events of a document made of ``sentences``, each (text, [(surface, label, norm,
    category)]); sentences are joined by one space, made the Doc's sentences, and the
    candidate ones parsed on the Doc as the pipeline does."""
    doc = nlp.make_doc(" ".join(text for text, _ in sentences))
    parsed, mentions, offset = [], [], 0
    for sent_id, (text, specs) in enumerate(sentences):
        sentence = Sentence(sent_id, offset, offset + len(text), text)
        span = doc.char_span(offset, offset + len(text))
        for token in span:
            token.is_sent_start = token.i == span.start
        for surface, label, norm, *rest in specs:
            mentions.append(
                mention(
                    text,
                    surface,
                    label,
                    norm,
                    sent_id=sent_id,
                    offset=offset,
                    category=rest[0] if rest else None,
                )
            )
        if events.is_candidate(text):
            parsed.append((sentence, span))
        offset += len(text) + 1
    model.parse_spans(nlp, [span for _, span in parsed])
    return events.find_events(parsed, mentions, doc_date)


def triples(found: list[Event]) -> list[tuple]:
    return sorted((e.type, e.source, e.target) for e in found)


def test_passive_voice_delivery(nlp):
    text = "Des hélicoptères de combat ont été livrés au Tchad par la Chine le 3 mars 2021."
    found = run(
        nlp,
        [
            (
                text,
                [
                    ("hélicoptères de combat", "EQUIPMENT", "helicopter", "helicopter"),
                    ("Tchad", "GPE", "TCD"),
                    ("Chine", "GPE", "CHN"),
                    ("3 mars 2021", "DATE", "2021-03-03"),
                ],
            )
        ],
    )
    assert triples(found) == [("DELIVERY", "CHN", "TCD")]
    event = found[0]
    assert event.date == "2021-03-03"
    assert event.equipment == ("helicopter",)
    assert event.evidence == "ont été livrés"
    assert text[event.start : event.end] == "ont été livrés"
    start = text.index("hélicoptères")
    assert event.equipment_spans == ((start, start + len("hélicoptères de combat")),)


def test_two_events_in_one_sentence(nlp):
    text = (
        "La Turquie a livré des drones au Togo en mai et a signé un accord de défense "
        "avec le Bénin."
    )
    found = run(
        nlp,
        [
            (
                text,
                [
                    ("Turquie", "GPE", "TUR"),
                    ("drones", "EQUIPMENT", "uav", "uav"),
                    ("Togo", "GPE", "TGO"),
                    ("Bénin", "GPE", "BEN"),
                    ("mai", "DATE", "2024-05"),
                ],
            )
        ],
    )
    assert triples(found) == [("AGREEMENT", "TUR", "BEN"), ("DELIVERY", "TUR", "TGO")]
    delivery = next(e for e in found if e.type == "DELIVERY")
    assert delivery.equipment == ("uav",)
    assert delivery.date == "2024-05"
    agreement = next(e for e in found if e.type == "AGREEMENT")
    assert agreement.equipment == ()
    assert events.plover(agreement) == "AGREE"


def test_negated_delivery_is_no_event(nlp):
    text = "La Chine n'a pas livré de véhicules blindés au Tchad."
    found = run(
        nlp,
        [
            (
                text,
                [
                    ("Chine", "GPE", "CHN"),
                    ("Tchad", "GPE", "TCD"),
                    ("véhicules blindés", "EQUIPMENT", "armoured_vehicle", "armoured_vehicle"),
                ],
            )
        ],
    )
    assert found == []


@pytest.mark.parametrize(
    "text",
    [
        "Le Togo devrait recevoir des drones de la Turquie en juin.",
        "Le Togo doit recevoir des drones de la Turquie en juin.",
        "La Turquie va livrer des drones au Togo en juin.",
        "La Turquie prévoit de livrer des drones au Togo en juin.",
    ],
)
def test_planned_delivery_is_no_event(nlp, text):
    found = run(
        nlp,
        [
            (
                text,
                [
                    ("Togo", "GPE", "TGO"),
                    ("Turquie", "GPE", "TUR"),
                    ("drones", "EQUIPMENT", "uav", "uav"),
                    ("juin", "DATE", "2024-06"),
                ],
            )
        ],
    )
    assert found == []


def test_capital_stands_for_its_state(nlp):
    text = "Pékin a fourni des radars au Ghana en mai 2021."
    found = run(
        nlp,
        [
            (
                text,
                [
                    ("Pékin", "LOC", "Pékin"),
                    ("radars", "EQUIPMENT", "sensor", "sensor"),
                    ("Ghana", "GPE", "GHA"),
                    ("mai 2021", "DATE", "2021-05"),
                ],
            )
        ],
    )
    assert triples(found) == [("DELIVERY", "CHN", "GHA")]
    assert found[0].date == "2021-05"
    assert found[0].location is None  # the capital is the doer, not the place


def test_demonyms_give_trainer_and_trainees(nlp):
    text = "Des instructeurs chinois ont formé les soldats ghanéens en avril 2022."
    found = run(nlp, [(text, [("avril 2022", "DATE", "2022-04")])])
    assert triples(found) == [("TRAINING", "CHN", "GHA")]
    assert found[0].date == "2022-04"
    assert events.plover(found[0]) == "AID"


def test_restatement_is_merged(nlp):
    first = "Le Togo a reçu des véhicules blindés de la Turquie."
    second = "Le 2 mai 2024, les blindés livrés par la Turquie sont arrivés à Lomé."
    found = run(
        nlp,
        [
            (
                first,
                [
                    ("Togo", "GPE", "TGO"),
                    ("Turquie", "GPE", "TUR"),
                    ("véhicules blindés", "EQUIPMENT", "armoured_vehicle", "armoured_vehicle"),
                ],
            ),
            (
                second,
                [
                    ("blindés", "EQUIPMENT", "armoured_vehicle", "armoured_vehicle"),
                    ("Turquie", "GPE", "TUR"),
                    ("Lomé", "LOC", "Lomé"),
                    ("2 mai 2024", "DATE", "2024-05-02"),
                ],
            ),
        ],
    )
    assert triples(found) == [("DELIVERY", "TUR", "TGO")]
    event = found[0]
    assert event.sent_id == 0
    assert event.date == "2024-05-02"
    assert event.equipment == ("armoured_vehicle",)
    assert len(event.equipment_spans) == 2


def test_troops_leaving_gives_host_to_foreign_party(nlp):
    text = "Les derniers soldats espagnols ont quitté le Gabon le 4 juin 2024."
    found = run(nlp, [(text, [("Gabon", "GPE", "GAB"), ("4 juin 2024", "DATE", "2024-06-04")])])
    assert triples(found) == [("TERMINATION", "GAB", "ESP")]
    assert found[0].date == "2024-06-04"
    assert events.plover(found[0]) == "SANCTION"


def test_withdrawal_with_deadline_is_an_event(nlp):
    text = "L'Espagne doit rapatrier ses militaires du Gabon d'ici à fin août."
    found = run(
        nlp,
        [
            (
                text,
                [
                    ("Espagne", "GPE", "ESP"),
                    ("Gabon", "GPE", "GAB"),
                    ("fin août", "DATE", "2024-08"),
                ],
            )
        ],
    )
    assert triples(found) == [("TERMINATION", "GAB", "ESP")]
    assert found[0].date == "2024-08"


def test_coordinated_hosts_are_separate_events(nlp):
    text = (
        "Cette base est la dernière après les départs imposés par la Guinée, le Togo et le Bénin."
    )
    prior = "Les troupes espagnoles ont quitté le Gabon en mai 2024."
    found = run(
        nlp,
        [
            (prior, [("Gabon", "GPE", "GAB"), ("mai 2024", "DATE", "2024-05")]),
            (text, [("Guinée", "GPE", "GIN"), ("Togo", "GPE", "TGO"), ("Bénin", "GPE", "BEN")]),
        ],
    )
    assert ("TERMINATION", "GIN", "ESP") in triples(found)
    assert ("TERMINATION", "BEN", "ESP") in triples(found)
    assert ("TERMINATION", "GAB", "ESP") in triples(found)


def test_coup_with_named_deposed_president(nlp):
    text = "Le général Brice Oligui Nguema a renversé le président Ali Bongo le 30 août 2023."
    found = run(
        nlp,
        [
            (
                text,
                [
                    ("Brice Oligui Nguema", "PER", "Brice Oligui Nguema"),
                    ("Ali Bongo", "PER", "Ali Bongo Ondimba"),
                    ("30 août 2023", "DATE", "2023-08-30"),
                ],
            )
        ],
    )
    # SPEC: the target of a COUP is the state whose government falls (Ali Bongo's Gabon)
    assert triples(found) == [("COUP", "Brice Oligui Nguema", "GAB")]
    assert found[0].date == "2023-08-30"
    assert events.plover(found[0]) == "COERCE"


def test_attack_by_named_armed_group(nlp):
    text = "Le JNIM a attaqué l'armée burkinabè à Djibo le 11 mai 2024."
    found = run(
        nlp,
        [
            (
                text,
                [
                    ("JNIM", "ORG", "JNIM"),
                    ("Djibo", "LOC", "Djibo"),
                    ("11 mai 2024", "DATE", "2024-05-11"),
                ],
            )
        ],
    )
    assert triples(found) == [("ATTACK", "JNIM", "BFA")]
    assert found[0].location == "Djibo"
    assert found[0].date == "2024-05-11"


def test_carrier_aircraft_is_not_delivered_equipment(nlp):
    text = "Le Tchad a reçu des véhicules blindés de la Chine, transportés par un avion-cargo."
    found = run(
        nlp,
        [
            (
                text,
                [
                    ("Tchad", "GPE", "TCD"),
                    ("Chine", "GPE", "CHN"),
                    ("véhicules blindés", "EQUIPMENT", "armoured_vehicle", "armoured_vehicle"),
                    ("avion-cargo", "EQUIPMENT", "aircraft", "aircraft"),
                ],
            )
        ],
    )
    assert triples(found) == [("DELIVERY", "CHN", "TCD")]
    assert found[0].equipment == ("armoured_vehicle",)


def test_ongoing_situation_and_threat_are_no_events(nlp):
    found = run(
        nlp,
        [
            (
                "La CEDEAO avait menacé d'attaquer le Gabon.",
                [("CEDEAO", "ORG", "CEDEAO"), ("Gabon", "GPE", "GAB")],
            ),
            (
                "La Chine livrait des armes au Tchad.",
                [("Chine", "GPE", "CHN"), ("Tchad", "GPE", "TCD")],
            ),
        ],
    )
    assert found == []


def test_is_candidate():
    assert events.is_candidate("Le Togo a reçu des drones.")
    assert events.is_candidate("Un putsch a eu lieu.")
    assert not events.is_candidate("Il pleut sur la ville ce matin.")


# ---------------------------------------------------------------- delivery details


def test_carrier_and_its_apposition_are_not_equipment(nlp):
    text = (
        "L'Égypte a livré des véhicules blindés au Soudan à bord d'un Antonov-124, un cargo géant."
    )
    found = run(
        nlp,
        [
            (
                text,
                [
                    ("Égypte", "GPE", "EGY"),
                    ("véhicules blindés", "EQUIPMENT", "armoured_vehicle", "armoured_vehicle"),
                    ("Soudan", "GPE", "SDN"),
                    ("Antonov-124", "EQUIPMENT", "aircraft", "aircraft"),
                    ("cargo géant", "EQUIPMENT", "aircraft", "aircraft"),
                ],
            )
        ],
    )
    assert triples(found) == [("DELIVERY", "EGY", "SDN")]
    assert found[0].equipment == ("armoured_vehicle",)


def test_elided_verb_gives_one_delivery_per_date(nlp):
    text = (
        "L'Inde a fourni des hélicoptères au Népal en janvier 2021, puis des radars en juin 2021."
    )
    found = run(
        nlp,
        [
            (
                text,
                [
                    ("Inde", "GPE", "IND"),
                    ("hélicoptères", "EQUIPMENT", "helicopter", "helicopter"),
                    ("Népal", "GPE", "NPL"),
                    ("janvier 2021", "DATE", "2021-01"),
                    ("radars", "EQUIPMENT", "sensor", "sensor"),
                    ("juin 2021", "DATE", "2021-06"),
                ],
            )
        ],
    )
    assert sorted((e.type, e.source, e.target, e.date, e.equipment) for e in found) == [
        ("DELIVERY", "IND", "NPL", "2021-01", ("helicopter",)),
        ("DELIVERY", "IND", "NPL", "2021-06", ("sensor",)),
    ]


def test_anterior_delivery_is_not_merged_with_the_story(nlp):
    first = "Le Sénégal a reçu des patrouilleurs de la France."
    second = "En 2019, la France avait déjà livré des radars au Sénégal."
    third = "Les patrouilleurs livrés le 5 mai ont rejoint la marine."
    found = run(
        nlp,
        [
            (
                first,
                [
                    ("Sénégal", "GPE", "SEN"),
                    ("patrouilleurs", "EQUIPMENT", "ship", "ship"),
                    ("France", "GPE", "FRA"),
                ],
            ),
            (
                second,
                [
                    ("2019", "DATE", "2019"),
                    ("France", "GPE", "FRA"),
                    ("radars", "EQUIPMENT", "sensor", "sensor"),
                    ("Sénégal", "GPE", "SEN"),
                ],
            ),
            (
                third,
                [
                    ("patrouilleurs", "EQUIPMENT", "ship", "ship"),
                    ("5 mai", "DATE", "2024-05-05"),
                ],
            ),
        ],
    )
    assert sorted((e.type, e.source, e.target, e.date, e.equipment) for e in found) == [
        ("DELIVERY", "FRA", "SEN", "2019", ("sensor",)),
        ("DELIVERY", "FRA", "SEN", "2024-05-05", ("ship",)),
    ]


def test_date_of_a_reference_happening_is_not_the_event_date(nlp):
    text = "La Turquie a livré des drones au Niger dix jours après la signature du 2 mai."
    found = run(
        nlp,
        [
            (
                text,
                [
                    ("Turquie", "GPE", "TUR"),
                    ("drones", "EQUIPMENT", "uav", "uav"),
                    ("Niger", "GPE", "NER"),
                    ("2 mai", "DATE", "2024-05-02"),
                ],
            )
        ],
    )
    assert triples(found) == [("DELIVERY", "TUR", "NER")]
    assert found[0].date is None


def test_arrival_of_the_cargo_dates_and_places_the_delivery(nlp):
    first = "La Chine a livré des véhicules blindés au Cameroun."
    second = "Le matériel est arrivé lundi au port de Douala."
    found = run(
        nlp,
        [
            (
                first,
                [
                    ("Chine", "GPE", "CHN"),
                    ("véhicules blindés", "EQUIPMENT", "armoured_vehicle", "armoured_vehicle"),
                    ("Cameroun", "GPE", "CMR"),
                ],
            ),
            (second, [("lundi", "DATE", "2024-06-10"), ("Douala", "LOC", "Douala")]),
        ],
    )
    assert [(e.type, e.source, e.target, e.date, e.location) for e in found] == [
        ("DELIVERY", "CHN", "CMR", "2024-06-10", "Douala")
    ]
    assert found[0].equipment == ("armoured_vehicle",)


def test_partner_capital_is_not_the_place(nlp):
    text = "Le Mali a reçu des hélicoptères de la Russie au titre de la coopération avec Moscou."
    found = run(
        nlp,
        [
            (
                text,
                [
                    ("Mali", "GPE", "MLI"),
                    ("hélicoptères", "EQUIPMENT", "helicopter", "helicopter"),
                    ("Russie", "GPE", "RUS"),
                    ("Moscou", "LOC", "Moscou"),
                ],
            )
        ],
    )
    assert triples(found) == [("DELIVERY", "RUS", "MLI")]
    assert found[0].location is None


def test_every_trigger_lemma_passes_the_cheap_candidate_test():
    for entry in events.lexicon()["triggers"]:
        words = entry.get("lemmas", [entry.get("lemma")])
        assert events.is_candidate(f"Ils ont parlé de {' '.join(words)} hier."), words
        if "lemma" in entry:
            assert events.is_candidate(f"Ils ont parlé de {entry['lemma']} hier."), entry


def test_short_trigger_words_do_not_match_inside_other_words():
    assert not events.is_candidate("La Tunisie et le Tournoi des donateurs sont finis.")
    assert events.is_candidate("Deux soldats ont été tués.")


def test_talks_between_two_named_leaders(nlp):
    # "entre" is lemmatised "entrer": the preposition must be read from its form
    text = "L'entretien téléphonique entre Emmanuel Macron et Bola Tinubu a duré une heure."
    found = run(
        nlp,
        [
            (
                text,
                [
                    ("Emmanuel Macron", "PER", "Emmanuel Macron"),
                    ("Bola Tinubu", "PER", "Bola Tinubu"),
                ],
            )
        ],
    )
    assert triples(found) == [("AGREEMENT", "FRA", "NGA")]
    assert events.plover(found[0]) == "CONSULT"


def test_phone_call_with_a_counterpart(nlp):
    text = "Le Ghana s'est entretenu au téléphone avec le Togo le 3 mars 2024."
    specs = [("Ghana", "GPE", "GHA"), ("Togo", "GPE", "TGO"), ("3 mars 2024", "DATE", "2024-03-03")]
    found = run(nlp, [(text, specs)])
    assert triples(found) == [("AGREEMENT", "GHA", "TGO")]
    assert found[0].date == "2024-03-03"


def test_state_that_dispatches_instructors_trains_the_host(nlp):
    text = "La Turquie a dépêché des instructeurs au Togo en mai 2023."
    specs = [("Turquie", "GPE", "TUR"), ("Togo", "GPE", "TGO"), ("mai 2023", "DATE", "2023-05")]
    found = run(nlp, [(text, specs)])
    assert triples(found) == [("TRAINING", "TUR", "TGO")]
    assert found[0].date == "2023-05"


def test_relative_clause_sender_of_instructors(nlp):
    # the parser attaches the relative clause as advcl: "qui" is read as "la Chine"
    text = "Le Bénin s'appuie sur la Chine, qui a dépêché des instructeurs au Togo en avril."
    specs = [
        ("Bénin", "GPE", "BEN"),
        ("Chine", "GPE", "CHN"),
        ("Togo", "GPE", "TGO"),
        ("avril", "DATE", "2024-04"),
    ]
    found = run(nlp, [(text, specs)])
    assert triples(found) == [("TRAINING", "CHN", "TGO")]


def test_arrival_and_sending_of_advisers(nlp):
    arrival = "L'arrivée de conseillers militaires chinois au Gabon a été confirmée."
    sending = "L'envoi d'instructeurs russes au Bénin a été confirmé."
    found = run(nlp, [(arrival, [("Gabon", "GPE", "GAB")])])
    assert triples(found) == [("TRAINING", "CHN", "GAB")]
    found = run(nlp, [(sending, [("Bénin", "GPE", "BEN")])])
    assert triples(found) == [("TRAINING", "RUS", "BEN")]  # people sent: not a DELIVERY


def test_adviser_of_a_president_is_not_training(nlp):
    text = "Le président Tinubu a dépêché son conseiller spécial au Ghana."
    found = run(nlp, [(text, [("Tinubu", "PER", "Bola Tinubu"), ("Ghana", "GPE", "GHA")])])
    assert triples(found) == []


def test_respectively_gives_each_partner_its_date(nlp):
    text = (
        "Le Niger a rompu ses accords avec le Bénin et le Togo, "
        "respectivement le 2 février et le 9 mars."
    )
    specs = [
        ("Niger", "GPE", "NER"),
        ("Bénin", "GPE", "BEN"),
        ("Togo", "GPE", "TGO"),
        ("2 février", "DATE", "2024-02-02"),
        ("9 mars", "DATE", "2024-03-09"),
    ]
    found = run(nlp, [(text, specs)])
    assert sorted((e.target, e.date) for e in found) == [
        ("BEN", "2024-02-02"),
        ("TGO", "2024-03-09"),
    ]


def test_respectively_gives_each_place_its_date(nlp):
    first = "L'Espagne a rétrocédé au Gabon la base de Libreville le 3 mars 2024."
    second = (
        "Les camps de Franceville et de Port-Gentil avaient été restitués "
        "respectivement le 2 février et le 9 mars."
    )
    found = run(
        nlp,
        [
            (
                first,
                [
                    ("Espagne", "GPE", "ESP"),
                    ("Gabon", "GPE", "GAB"),
                    ("Libreville", "LOC", "Libreville"),
                    ("3 mars 2024", "DATE", "2024-03-03"),
                ],
            ),
            (
                second,
                [
                    ("Franceville", "LOC", "Franceville"),
                    ("Port-Gentil", "LOC", "Port-Gentil"),
                    ("2 février", "DATE", "2024-02-02"),
                    ("9 mars", "DATE", "2024-03-09"),
                ],
            ),
        ],
    )
    assert sorted((e.type, e.source, e.target, e.location, e.date) for e in found) == [
        ("TERMINATION", "GAB", "ESP", "Franceville", "2024-02-02"),
        ("TERMINATION", "GAB", "ESP", "Libreville", "2024-03-03"),
        ("TERMINATION", "GAB", "ESP", "Port-Gentil", "2024-03-09"),
    ]


def test_coup_told_by_a_participle_phrase(nlp):
    text = (
        "Arrivé au pouvoir par un coup d'État en 2021, le général Mamadi Doumbouya "
        "dirige la Guinée."
    )
    specs = [
        ("Mamadi Doumbouya", "PER", "Mamadi Doumbouya"),
        ("Guinée", "GPE", "GIN"),
        ("2021", "DATE", "2021"),
    ]
    found = run(nlp, [(text, specs)])
    assert triples(found) == [("COUP", "Mamadi Doumbouya", "GIN")]
    assert found[0].date == "2021"


def test_coordinated_subjects_of_a_noun_trigger(nlp):
    text = "Le Tchad et le Sénégal ont obtenu le retrait des soldats français."
    found = run(nlp, [(text, [("Tchad", "GPE", "TCD"), ("Sénégal", "GPE", "SEN")])])
    assert triples(found) == [("TERMINATION", "SEN", "FRA"), ("TERMINATION", "TCD", "FRA")]


def test_object_hung_on_the_last_word_of_an_expression(nlp):
    # the parser attaches "l'armée française" to "sortie", not to "poussé"
    text = "La Guinée a poussé vers la sortie l'armée française et fait de la Chine son allié."
    found = run(nlp, [(text, [("Guinée", "GPE", "GIN"), ("Chine", "GPE", "CHN")])])
    assert triples(found) == [("TERMINATION", "GIN", "FRA")]


def test_seller_after_compound_preposition(nlp):
    # "auprès de X": the parser hangs X on the adverb "auprès", not on the verb
    text = "Le Togo a acquis des drones auprès de la Turquie en 2022."
    found = run(nlp, [(text, [("Togo", "GPE", "TGO"), ("Turquie", "GPE", "TUR")])])
    assert triples(found) == [("DELIVERY", "TUR", "TGO")]


def test_passive_agent_hung_on_the_phrase_before_it(nlp):
    text = "Deux avions de combat ont été livrés au Niger par la Russie en mai 2024."
    found = run(nlp, [(text, [("Niger", "GPE", "NER"), ("Russie", "GPE", "RUS")])])
    assert triples(found) == [("DELIVERY", "RUS", "NER")]


def test_leader_deposed_by_a_coup_is_not_its_author(nlp):
    text = "Un coup d'État a renversé le président Roch Marc Christian Kaboré en janvier 2022."
    person = ("Roch Marc Christian Kaboré", "PER", "Roch Marc Christian Kaboré")
    found = run(nlp, [(text, [person])])
    assert all(e.source != "Roch Marc Christian Kaboré" for e in found)


def test_received_equipment_with_a_demonym_names_the_supplier(nlp):
    text = "L'armée burkinabè a reçu un nouveau lot de drones turcs."
    found = run(nlp, [(text, [("drones", "EQUIPMENT", "uav", "uav")])])
    assert triples(found) == [("DELIVERY", "TUR", "BFA")]


def test_seat_of_government_stands_for_its_state(nlp):
    text = "Le Kremlin et le Mali ont signé un accord de coopération militaire."
    found = run(nlp, [(text, [("Kremlin", "ORG", "Kremlin"), ("Mali", "GPE", "MLI")])])
    assert {(e.type, frozenset((e.source, e.target))) for e in found} == {
        ("AGREEMENT", frozenset(("RUS", "MLI")))
    }


def test_partner_of_an_ending_hung_on_the_governing_verb(nlp):
    text = "Le Niger a annoncé la dénonciation de l'accord militaire avec les États-Unis."
    found = run(nlp, [(text, [("Niger", "GPE", "NER"), ("États-Unis", "GPE", "USA")])])
    assert triples(found) == [("TERMINATION", "NER", "USA")]


@pytest.mark.parametrize(
    ("text", "specs", "expected"),
    [
        (
            "La France a fait don de dix véhicules blindés au Bénin.",
            [("France", "GPE", "FRA"), ("véhicules blindés", "EQUIPMENT", "x", "armoured_vehicle")]
            + [("Bénin", "GPE", "BEN")],
            [("DELIVERY", "FRA", "BEN")],
        ),
        (  # the announcer is not the giver: no light verb, no roles from it
            "Le Mali a annoncé la livraison de véhicules blindés.",
            [("Mali", "GPE", "MLI"), ("véhicules blindés", "EQUIPMENT", "x", "armoured_vehicle")],
            [],
        ),
    ],
)
def test_light_verb_carries_the_roles_of_its_noun(nlp, text, specs, expected):
    assert triples(run(nlp, [(text, specs)])) == expected


# ---------------------------------------------------------------- the events data, checked at load


def test_the_shipped_lexicon_and_frames_pass_the_load_check():
    assert events.checked_data()
    named = {entry["frame"] for entry in events.lexicon()["triggers"]}
    assert named <= set(events.frames())


def broken(triggers_line: str = "", frames_line: str = "") -> None:
    """Check a lexicon holding one trigger line and a frames file holding one frame
    line against the code's names, as the stage does at load."""
    from pipeline.events import data as event_lexicon
    from pipeline.events import framing as event_frames
    from pipeline.events import needs as event_needs

    trigger = (
        triggers_line or '{"type": "DELIVERY", "lemma": "livrer", "pos": "VERB", "frame": "give"}'
    )
    lexicon_text = '{\n "triggers": [\n  ' + trigger + '\n ],\n "modality": {},\n "words": {}\n}\n'
    frame = frames_line or '{"frame": "give", "forms": {"verb": {"source": ["agent"]}}}'
    lexicon = event_lexicon.parse_lexicon(lexicon_text, "triggers-test.json")
    frames = event_lexicon.parse_frames("\n" + frame + "\n", "frames-test.jsonl")
    event_lexicon.check(
        lexicon,
        frames,
        paths=event_frames.PATHS,
        readers=event_frames.READERS,
        needs=event_needs.NEEDS,
    )


@pytest.mark.parametrize(
    ("triggers_line", "frames_line", "message"),
    [
        (
            '{"type": "DELIVERY", "lemma": "livrer", "pos": "VERB", "frame": "gve"}',
            "",
            "triggers-test.json:3: unknown frame 'gve'",
        ),
        (
            '{"type": "DELIVERY", "lemma": "livrer", "pos": "VERB", "frame": "give", '
            '"needs": "equipmnt"}',
            "",
            "triggers-test.json:3: unknown need 'equipmnt'",
        ),
        (
            '{"type": "DELIVERIES", "lemma": "livrer", "pos": "VERB", "frame": "give"}',
            "",
            "triggers-test.json:3: unknown event type 'DELIVERIES'",
        ),
        (
            '{"type": "DELIVERY", "lemma": "livrer", "frame": "give"}',
            "",
            "triggers-test.json:3: 'pos' must be VERB or NOUN",
        ),
        (
            "",
            '{"frame": "give", "forms": {"verb": {"source": ["agnet"]}}}',
            "frames-test.jsonl:2: frame 'give' verb.source: unknown path 'agnet'",
        ),
        (
            "",
            '{"frame": "give", "forms": {"verb": {"target": ["case"]}}}',
            "frames-test.jsonl:2: frame 'give' verb.target: unknown path 'case'",
        ),
        (
            "",
            '{"frame": "give", "forms": {"verbal": {"source": ["agent"]}}}',
            "frames-test.jsonl:2: unknown form 'verbal'",
        ),
        (
            "",
            '{"frame": "give", "reader": "guess"}',
            "frames-test.jsonl:2: frame 'give': unknown reader",
        ),
        ("", '{"frame": "give", "forms": {"verb": {}}', "frames-test.jsonl:2: not JSON"),
    ],
)
def test_a_broken_lexicon_or_frames_file_is_rejected_naming_file_and_line(
    triggers_line, frames_line, message
):
    from pipeline.events.data import LexiconError

    with pytest.raises(LexiconError) as caught:
        broken(triggers_line, frames_line)
    assert message in str(caught.value)


def test_a_well_formed_pair_of_files_passes():
    broken()  # no exception


def test_frame_paths_fill_roles_in_order(nlp):
    # the give frame: "par" before the support verb's subject, "à" before "auprès de"
    text = "Des drones ont été livrés au Togo par la Turquie."
    found = run(
        nlp,
        [
            (
                text,
                [
                    ("drones", "EQUIPMENT", "uav", "uav"),
                    ("Togo", "GPE", "TGO"),
                    ("Turquie", "GPE", "TUR"),
                ],
            )
        ],
    )
    assert triples(found) == [("DELIVERY", "TUR", "TGO")]


def test_a_date_inside_a_clause_on_a_noun_dates_that_clause(nlp):
    """A participle or relative clause hanging from a noun ("un traité conclu en 1977") has
    its own time: it does not date the happening; "depuis X" starts a state of affairs."""
    text = "Le Gabon a dénoncé un traité militaire conclu en 1977 avec l'Espagne."
    found = run(
        nlp,
        [(text, [("Gabon", "GPE", "GAB"), ("Espagne", "GPE", "ESP"), ("1977", "DATE", "1977")])],
    )
    assert [(e.type, e.source, e.target, e.date) for e in found] == [
        ("TERMINATION", "GAB", "ESP", None)
    ]
    text = "En mars 2023, le Gabon a dénoncé un traité militaire conclu en 1977 avec l'Espagne."
    found = run(
        nlp,
        [
            (
                text,
                [
                    ("Gabon", "GPE", "GAB"),
                    ("Espagne", "GPE", "ESP"),
                    ("mars 2023", "DATE", "2023-03"),
                    ("1977", "DATE", "1977"),
                ],
            )
        ],
    )
    assert [e.date for e in found] == ["2023-03"]
    text = "La Russie a livré des hélicoptères au Mali, en guerre depuis 2012."
    found = run(
        nlp,
        [
            (
                text,
                [
                    ("Russie", "GPE", "RUS"),
                    ("Mali", "GPE", "MLI"),
                    ("hélicoptères", "EQUIPMENT", "helicopter", "helicopter"),
                    ("2012", "DATE", "2012"),
                ],
            )
        ],
    )
    assert [(e.type, e.source, e.target, e.date) for e in found] == [
        ("DELIVERY", "RUS", "MLI", None)
    ]


def test_a_counted_group_noun_stands_for_the_states_listed_before(nlp):
    """ "les deux pays" after a sentence naming exactly two states stands for them; after
    a sentence naming more states, only a list of exactly two counts; else no guess."""
    first = "Le Tchad et le Soudan ont signé un accord."
    second = "Les deux pays ont quitté la CEEAC en janvier."
    found = run(
        nlp,
        [
            (first, [("Tchad", "GPE", "TCD"), ("Soudan", "GPE", "SDN")]),
            (second, [("CEEAC", "ORG", "CEEAC"), ("janvier", "DATE", "2024-01")]),
        ],
    )
    assert ("TERMINATION", "TCD", "CEEAC") in triples(found)
    assert ("TERMINATION", "SDN", "CEEAC") in triples(found)
    first = "Le Niger, le Bénin et la France ont fait une déclaration."
    found = run(
        nlp,
        [
            (first, [("Niger", "GPE", "NER"), ("Bénin", "GPE", "BEN"), ("France", "GPE", "FRA")]),
            (second, [("CEEAC", "ORG", "CEEAC"), ("janvier", "DATE", "2024-01")]),
        ],
    )
    # no pair is guessed (the stage's document fallback may still name one leaver)
    assert len([e for e in found if e.target == "CEEAC"]) <= 1
