"""Dutch personal data in school texts, on the real deduce (loaded once per session)."""

from __future__ import annotations

from pathlib import Path

import pytest

from plaatsbaar.core.detectors.personal_data import PersonalDataDetector
from plaatsbaar.core.detectors.personal_lexicons import (
    LexiconError,
    SchoolTerms,
    SpecialCategories,
    load_lexicon,
    school_terms,
    special_categories,
)
from plaatsbaar.core.findings import Evidence
from plaatsbaar.core.roster import Roster
from plaatsbaar.core.vocabulary import FACTS, Role

ORGANISATION = ["Stichting Lucas Onderwijs", "Lucas Onderwijs", "De Tjongerschool"]


@pytest.fixture(scope="module")
def detector(deduce_engine) -> PersonalDataDetector:
    return PersonalDataDetector(ignore=ORGANISATION)


@pytest.fixture(scope="module")
def roster_detector(deduce_engine) -> PersonalDataDetector:
    roster = Roster()
    roster.add("Daan de Vries", Role.PUPIL)
    roster.add("Ben Jansen", Role.PUPIL)
    roster.add("Anneke Bos", Role.STAFF)
    roster.add("Peter de Vries", Role.PARENT)
    return PersonalDataDetector(roster, ignore=ORGANISATION)


def found(detector: PersonalDataDetector, text: str) -> dict[str, list[Evidence]]:
    """Fact name (without 'personal_data.') → evidence, checking counts and offsets on the way."""
    result = {}
    for fact in detector.detect(text):
        assert fact.name in FACTS and fact.value == len(fact.evidence) > 0
        for evidence in fact.evidence:
            assert text[evidence.start : evidence.end] == evidence.text
        result[fact.name.removeprefix("personal_data.")] = fact.evidence
    return result


def texts(evidence: list[Evidence]) -> list[str]:
    return [e.text for e in evidence]


# --- names and roles


def test_first_name_with_class_is_a_pupil(detector):
    facts = found(detector, "Gefeliciteerd Sem uit groep 5! Je tekening hangt in de hal.")
    assert texts(facts["pupil_name"]) == ["Sem"]
    assert facts["pupil_name"][0].label == "naam leerling"
    assert texts(facts["person_name"]) == ["Sem"]


@pytest.mark.parametrize(
    ("text", "role", "name"),
    [
        ("gisteren heeft sem uit groep 5 de wedstrijd gewonnen", "pupil_name", "sem"),
        ("leerling bram heeft de hoofdrol", "pupil_name", "bram"),
        ("noa (groep 3) las voor", "pupil_name", "noa"),
        ("de tekening is gemaakt door juf anneke", "staff_name", "anneke"),
        ("vraag het aan meester van dijk", "staff_name", "van dijk"),
        ("daan is vandaag jarig!", "person_name", "daan"),
    ],
)
def test_lowercase_names_in_a_school_context(detector, text, role, name):
    assert texts(found(detector, text)[role]) == [name]


def test_lowercase_first_name_before_a_surname_deduce_found(detector):
    facts = found(detector, "De ouders van lisa de Jong hebben gebeld.")
    assert texts(facts["pupil_name"]) == ["lisa de Jong"]


def test_ordinary_lowercase_words_are_no_names(detector):
    text = "in de tuin bloeit een roos. alle kinderen uit groep 5 en de ouders van de leerlingen zijn welkom."
    assert found(detector, text) == {}


def test_titles_make_staff_and_are_not_part_of_the_name(detector):
    facts = found(detector, "Groetjes van Juf Sanne en meester Bakker. Mevrouw De Vries, mentor 3b")
    assert texts(facts["staff_name"]) == ["Sanne", "Bakker", "De Vries"]
    assert {e.label for e in facts["staff_name"]} == {"naam medewerker"}
    assert "pupil_name" not in facts


def test_title_of_the_author_alone_is_no_name(detector):
    assert found(detector, "Fijne vakantie allemaal! Groetjes, Juf") == {}


def test_parent_written_before_moeder_van(detector):
    facts = found(detector, "Linda, moeder van Noa, en Peter (vader van Sem) helpen mee.")
    assert texts(facts["parent_name"]) == ["Linda", "Peter"]
    assert facts["parent_name"][0].label == "naam ouder"
    assert texts(facts["pupil_name"]) == ["Noa", "Sem"]
    assert len(facts["person_name"]) == 4


def test_names_in_a_list_share_the_pupil_context(detector):
    facts = found(detector, "Fenna, Sara en Lotte uit groep 8 wonnen het toernooi.")
    assert texts(facts["pupil_name"]) == ["Fenna", "Sara", "Lotte"]


def test_name_without_school_context_is_a_person(detector):
    facts = found(detector, "Vandaag vertelde Lotte over haar vakantie.")
    assert texts(facts["person_name"]) == ["Lotte"]
    assert facts["person_name"][0].label == "naam"
    assert "pupil_name" not in facts and "staff_name" not in facts


def test_organisation_and_figures_are_no_persons(detector):
    text = "Lucas Onderwijs en De Tjongerschool wensen iedereen een fijne Sinterklaas met Zwarte Piet."
    assert "person_name" not in found(detector, text)


def test_capitalised_event_is_no_person(detector):
    assert found(detector, "Vandaag is het Safer Internet Day! Wij van groep 8 maakten sterke wachtwoorden.") == {}


@pytest.mark.parametrize(
    ("text", "fact", "names"),
    [
        ("Meneer Kramer van Nederlands was ziek.", "staff_name", ["Kramer"]),
        ("App Sanne Dekker even op dit nummer.", "person_name", ["Sanne Dekker"]),
        ("Zorgoverleg over Bram Hendriks uit de middenbouw.", "pupil_name", ["Bram Hendriks"]),
    ],
)
def test_words_deduce_glues_to_names_are_cut_off(detector, text, fact, names):
    assert texts(found(detector, text)[fact]) == names


@pytest.mark.parametrize("text", ["Surveillance bij het tentamen Engels.", "Mooi nieuws! Winter is hier."])
def test_subjects_and_sentence_opening_words_are_no_names(detector, text):
    assert "person_name" not in found(detector, text)


def test_greeting_glued_to_a_name_is_cut_off(detector):
    facts = found(detector, "Sem wordt vandaag 8! Gefeliciteerd Sem.")
    assert texts(facts["person_name"]) == ["Sem", "Sem"]


# --- the roster


def test_roster_makes_first_names_case_insensitive(roster_detector):
    facts = found(roster_detector, "wat heeft daan mooi gezongen, en anneke begeleidde op piano")
    assert texts(facts["pupil_name"]) == ["daan"]
    assert texts(facts["staff_name"]) == ["anneke"]


def test_roster_full_name_in_any_case_has_the_roster_role(roster_detector):
    facts = found(roster_detector, "DAAN DE VRIES en peter de vries kwamen samen.")
    assert texts(facts["pupil_name"]) == ["DAAN DE VRIES"]
    assert texts(facts["parent_name"]) == ["peter de vries"]


def test_roster_parent_first_name_alone_is_not_matched(roster_detector):
    assert "parent_name" not in found(roster_detector, "gisteren sprak ik peter bij het hek")


def test_roster_first_name_that_is_a_dutch_word_needs_a_capital(roster_detector):
    assert found(roster_detector, "ik ben zo blij met jullie") == {}
    assert texts(found(roster_detector, "Ben won de tekenwedstrijd.")["pupil_name"]) == ["Ben"]


def test_without_roster_a_lowercase_name_needs_context(detector, roster_detector):
    text = "wat heeft daan mooi gezongen"
    assert found(detector, text) == {}
    assert texts(found(roster_detector, text)["pupil_name"]) == ["daan"]


# --- contact details


@pytest.mark.parametrize(
    "address", ["j.jansen@lucasonderwijs.eu", "sem.bakker@detjongerschool.school", "ouder_1+school@gmail.com"]
)
def test_email_on_any_top_level_domain(detector, address):
    facts = found(detector, f"Mail gerust naar {address}.")
    assert texts(facts["email"]) == [address]
    assert texts(facts["contact"]) == [address]


def test_function_mailbox_is_no_personal_email(detector):
    assert "email" not in found(detector, "Vragen? Mail info@detjongerschool.nl of administratie@school.eu")


def test_no_name_inside_an_email_address(roster_detector):
    facts = found(roster_detector, "Mail daan.devries@gmail.com")
    assert "person_name" not in facts and texts(facts["email"]) == ["daan.devries@gmail.com"]


@pytest.mark.parametrize("number", ["0612345678", "06-12345678", "+31 6 12345678", "(0513) 123456", "0031 6 1234 5678"])
def test_phone_numbers(detector, number):
    assert texts(found(detector, f"Bel mij op {number} na schooltijd.")["phone"]) == [number]


def test_bsn_needs_a_valid_elfproef(detector):
    facts = found(detector, "BSN 123456782, niet 123456789; sofinummer 1234.56.782.")
    assert texts(facts["bsn"]) == ["123456782", "1234.56.782"]
    assert {e.label for e in facts["bsn"]} == {"BSN"}


def test_separated_nine_digits_are_a_bsn_only_near_a_bsn_word(detector):
    assert "bsn" not in found(detector, "Bestelnummer 123 456 782 is verstuurd.")


def test_street_and_postcode_are_an_address_a_city_is_not(detector):
    facts = found(detector, "Noa woont op de Kerkstraat 12, 8441 AB Heerenveen. We gingen naar Utrecht.")
    assert texts(facts["address"]) == ["Kerkstraat 12, 8441 AB Heerenveen"]
    assert found(detector, "Groep 7 ging naar Utrecht en Amsterdam.") == {}


# --- dates and ages


def test_date_without_year_is_a_birth_date_in_a_birthday_sentence(detector):
    facts = found(detector, "Op 3 maart is Sem jarig. Op 20 maart gaan we naar de Efteling.")
    assert texts(facts["birth_date"]) == ["3 maart"]
    assert facts["birth_date"][0].label == "geboortedatum"


def test_birth_date_with_year(detector):
    facts = found(detector, "Noa (groep 3) is geboren op 12 april 2016. Geboortedatum broertje: 03-05-2019.")
    assert texts(facts["birth_date"]) == ["12 april 2016", "03-05-2019"]


@pytest.mark.parametrize(
    "text",
    [
        "Groep 7 gaat op schoolreis op 3 juni naar Amsterdam.",
        "Op 3 juni 2025 gaan we op schoolreis naar Amsterdam. Op 4 juni is er geen school.",
    ],
)
def test_a_school_trip_date_and_city_are_no_personal_data(detector, text):
    assert found(detector, text) == {}


@pytest.mark.parametrize(
    ("text", "age"),
    [
        ("Sem wordt vandaag 8 jaar!", "8 jaar"),
        ("Hij is 42 jaar.", "42 jaar"),
        ("De 8-jarige Milan won de prijs.", "8-jarige"),
        ("Femke (7) werd tweede.", "7"),
        ("Daan is jarig, hij wordt zeven jaar.", "zeven jaar"),
        ("Mees wordt morgen 6!", "6"),
    ],
)
def test_age_of_a_person(detector, text, age):
    assert texts(found(detector, text)["age"]) == [age]


@pytest.mark.parametrize(
    "text",
    [
        "Groep 5 en klas 3b gaan samen naar de bieb.",
        "Meester Henk staat al 25 jaar voor de klas. 25 jaar in het onderwijs!",
        "Kinderen van 4 jaar en ouder zijn welkom.",
        "De school wordt 50 jaar! Het gebouw is 100 jaar oud.",
        "Mevrouw Smit is 10 jaar directeur geweest.",
    ],
)
def test_no_age_in_school_numbers_and_durations(detector, text):
    assert "age" not in found(detector, text)


# --- special categories


def test_special_category_with_a_named_pupil(detector):
    facts = found(detector, "Daan uit groep 4 heeft ADHD en dyslexie, dus hij krijgt extra tijd.")
    assert texts(facts["pupil_name"]) == ["Daan"]
    assert texts(facts["special_category"]) == ["ADHD", "dyslexie"]
    assert {e.label for e in facts["special_category"]} == {"bijzonder persoonsgegeven (gezondheid)"}


@pytest.mark.parametrize(
    ("text", "term", "label"),
    [
        ("Fatima is moslim en viert het Suikerfeest.", "moslim", "bijzonder persoonsgegeven (religie)"),
        ("Sem heeft een pinda-allergie.", "pinda-allergie", "bijzonder persoonsgegeven (gezondheid)"),
        ("Juf Karin ligt in het ziekenhuis.", "ligt in het ziekenhuis", "bijzonder persoonsgegeven (gezondheid)"),
        ("Yara kwam als vluchteling naar Nederland.", "vluchteling", "bijzonder persoonsgegeven (afkomst)"),
    ],
)
def test_special_categories(detector, text, term, label):
    evidence = found(detector, text)["special_category"]
    assert [(e.text, e.label) for e in evidence] == [(term, label)]


def test_school_denomination_and_holidays_are_no_special_category(detector):
    text = "Onze christelijke basisschool viert Kerst en het Suikerfeest. Paarse Vrijdag was mooi; add een foto."
    assert "special_category" not in found(detector, text)


# --- offsets and totals


def test_offsets_stay_exact_after_characters_that_grow_in_lowercase(detector):
    text = "İstanbul-reis 🎉! Sem uit groep 5 heeft ADHD, bel 06-12345678 of mail s.b@school.eu"
    facts = found(detector, text)  # found() checks text[start:end] == evidence.text
    assert texts(facts["pupil_name"]) == ["Sem"]
    assert texts(facts["contact"]) == ["06-12345678", "s.b@school.eu"]
    assert texts(facts["special_category"]) == ["ADHD"]


def test_contact_counts_every_address_phone_email_bsn_and_birth_date(detector):
    text = (
        "Sem (geboren 3 mei 2016) woont op Dorpsstraat 4, 1234 AB Zwolle; "
        "bel 06-12345678, mail sem@ziggo.nl, BSN 123456782."
    )
    facts = found(detector, text)
    assert [e.label for e in facts["contact"]] == ["geboortedatum", "adres", "telefoonnummer", "e-mailadres", "BSN"]


def test_empty_text_has_no_facts(detector):
    assert detector.detect("  \n") == []


# --- the lexicons


def test_packaged_lexicons_load():
    assert "juf" in school_terms().staff_titles
    assert any("adhd" in c.terms for c in special_categories().categories)


def test_broken_lexicon_names_file_line_and_field(tmp_path: Path):
    path = tmp_path / "special_categories.yaml"
    path.write_text("version: 1\ncategories:\n  - name: x\n    label: y\n    terms: [ok, '*']\n", encoding="utf-8")
    with pytest.raises(LexiconError) as error:
        load_lexicon(path, SpecialCategories)
    message = str(error.value)
    assert str(path) in message and "regel 5" in message and "categories[0].terms[1]" in message


def test_lexicon_missing_list_is_an_error(tmp_path: Path):
    path = tmp_path / "school_terms.yaml"
    path.write_text("version: 1\nstaff_titles: [juf]\n", encoding="utf-8")
    with pytest.raises(LexiconError, match="school_terms.yaml.*class_words"):
        load_lexicon(path, SchoolTerms)


def test_lexicon_that_is_not_yaml_is_an_error(tmp_path: Path):
    path = tmp_path / "school_terms.yaml"
    path.write_text("staff_titles: [juf\n", encoding="utf-8")
    with pytest.raises(LexiconError, match="geen geldige YAML"):
        load_lexicon(path, SchoolTerms)
