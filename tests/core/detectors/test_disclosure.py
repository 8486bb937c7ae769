"""The text.* facts: realistic Dutch school texts, with exact evidence offsets."""

from __future__ import annotations

from pathlib import Path

import pytest

from plaatsbaar.core.detectors.disclosure import (
    TEXT_FACTS,
    TextCueLexiconError,
    builtin_text_cues_path,
    default_text_cues,
    detect_text_cues,
    load_text_cues,
    parse_text_cues,
)
from plaatsbaar.core.findings import Fact
from plaatsbaar.core.vocabulary import FACTS

ORGANISATIONS = [
    "Lucas Onderwijs",
    "Stichting Lucas Onderwijs",
    "Edu-Ley",
    "MSVR",
    "De Tjongerschool",
    "Tjongerschool",
    "ROC Kop van Noord-Holland",
    "ROC Kop",
]


def facts_of(text: str, organisations=ORGANISATIONS, function: str | None = None) -> dict[str, Fact]:
    """All text.* facts of ``text``, after checking that every evidence span is exact."""
    found = detect_text_cues(text, organisations, function)
    for fact in found:
        assert fact.value is bool(fact.evidence)
        for evidence in fact.evidence:
            assert text[evidence.start : evidence.end] == evidence.text, (fact.name, evidence)
            assert evidence.text == evidence.text.strip() and evidence.text
            assert evidence.source == "text"
    return {fact.name: fact for fact in found}


def cues(text: str, name: str, **kwargs) -> list[str]:
    """The evidence texts of fact ``name`` in ``text``."""
    return [e.text for e in facts_of(text, **kwargs)[name].evidence]


def check(name: str, text: str, expected: list[str]) -> None:
    assert cues(text, name) == expected, text


# --- the shape of the result -------------------------------------------------


def test_every_text_fact_of_the_vocabulary_comes_back_in_order():
    names = [fact.name for fact in detect_text_cues("Mooi weer vandaag")]
    assert names == [name for name in FACTS if name.startswith("text.")] == list(TEXT_FACTS)


def test_a_plain_text_establishes_nothing():
    for fact in detect_text_cues("Mooi weer vandaag", ORGANISATIONS, "leerkracht groep 5"):
        assert fact.value is False and fact.evidence == [], fact.name


def test_empty_text_establishes_nothing():
    assert not any(fact.value for fact in detect_text_cues(""))


def test_evidence_carries_a_dutch_label():
    evidence = facts_of("Wat een gezellige ouderavond!")["text.about_school"].evidence[0]
    assert (evidence.label, evidence.text, evidence.start, evidence.end) == (
        "verwijzing naar de school",
        "ouderavond",
        18,
        28,
    )


def test_text_that_is_not_a_string_is_refused():
    with pytest.raises(TypeError, match="str"):
        detect_text_cues(None)  # type: ignore[arg-type]


def test_case_accents_and_curly_quotes_do_not_matter_and_offsets_stay_exact():
    text = "İstanbul-reis! PRIVÉMENING: m’n klas 🎉 is de BESTE"
    assert cues(text, "text.personal_title") == ["PRIVÉMENING"]
    assert cues(text, "text.about_school") == ["m’n klas"]


def test_every_fact_has_cues():
    counts = dict(default_text_cues().cue_counts)
    assert set(counts) == set(TEXT_FACTS)
    assert all(count > 0 for count in counts.values())


# --- text.about_school ---------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Wat een gezellige ouderavond!", ["ouderavond"]),
        ("Trots op onze leerlingen van groep 8!", ["onze leerlingen", "groep 8"]),
        ("Morgen gaat groep 1/2 op schoolreis naar de Efteling.", ["groep 1/2", "schoolreis"]),
        ("Lucas Onderwijs zoekt nieuwe collega's.", ["Lucas Onderwijs"]),
        ("Het bestuur van edu-ley heeft vandaag besloten…", ["edu-ley"]),
        ("Vandaag de nieuwe gedragscode van msvr gelezen.", ["msvr"]),
        ("Open dag bij ROC Kop van Noord-Holland", ["Open dag", "ROC Kop van Noord-Holland"]),
        ("Gefeliciteerd juf Anne!", ["juf Anne"]),
        ("De directeur heeft alle ouders een brief gestuurd.", ["De directeur"]),
        ("Het team heeft hard gewerkt aan het nieuwe schoolplein.", ["Het team", "schoolplein"]),
        ("Mijn studenten van de opleiding Zorg & Welzijn zijn geslaagd!", ["Mijn studenten"]),
        ("Zie www.tjongerschool.nl voor de agenda.", ["tjongerschool"]),
    ],
)
def test_about_school(text, expected):
    check("text.about_school", text, expected)


@pytest.mark.parametrize(
    "text",
    [
        "Het onderwijs in Nederland moet beter, vindt de minister.",
        "Het team van Ajax speelde gisteren sterk.",
        "Lucas heeft een nieuwe fiets gekregen.",
        "Telefoons horen niet in de klas, vind ik.",
        "Leerlingen in Nederland lezen steeds minder.",
        "Mooi weer vandaag",
    ],
)
def test_not_about_school(text):
    assert cues(text, "text.about_school") == []


def test_organisation_names_only_count_when_given():
    assert cues("Lucas Onderwijs zoekt collega's.", "text.about_school", organisations=()) == []


# --- text.personal_title -------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "De standpunten en meningen in dit bericht zijn mijn eigen persoonlijke mening (op persoonlijke titel "
            "geschreven) en staan los van eventuele officiële standpunten van de scholen.",
            [
                "mijn eigen persoonlijke mening",
                "op persoonlijke titel",
                "staan los van eventuele officiële standpunten",
            ],
        ),
        (
            "Dit blog geeft mijn persoonlijke standpunt weer en dat hoeft niet overeen te komen "
            "met het standpunt van MSVR.",
            ["persoonlijke standpunt", "hoeft niet overeen te komen met het standpunt"],
        ),
        (
            "Deze tweet geeft niet noodzakelijk het standpunt van mijn werkgever weer.",
            ["geeft niet noodzakelijk het standpunt van mijn werkgever weer"],
        ),
        ("Privémening, niet namens de school.", ["Privémening", "niet namens de school"]),
        ("Ik schrijf dit niet namens Lucas Onderwijs.", ["niet namens Lucas Onderwijs"]),
        ("Leerkracht, vader, hardloper. Deze tweets zijn van mijzelf.", ["tweets zijn van mijzelf"]),
        ("Docent Nederlands | views are my own", ["views are my own"]),
        ("Dit is mijn eigen mening, niet die van de school.", ["mijn eigen mening"]),
    ],
)
def test_personal_title(text, expected):
    check("text.personal_title", text, expected)


@pytest.mark.parametrize(
    "text",
    [
        "Dit is het officiële standpunt van de school.",
        "Wat is jouw mening over het nieuwe schoolplein?",
        "Los van de mening van de ouders gaan we door met het plan.",
        "Ik ben persoonlijk heel blij met de nieuwe gymzaal.",
    ],
)
def test_not_personal_title(text):
    assert cues(text, "text.personal_title") == []


# --- text.states_function -------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Ik ben leerkracht van groep 5 en dit besluit raakt mijn klas.", ["Ik ben leerkracht van groep 5"]),
        ("Ik ben de juf van groep 3.", ["Ik ben de juf van groep 3"]),
        (
            "Als intern begeleider op De Tjongerschool zie ik dit elke week.",
            ["Als intern begeleider op De Tjongerschool"],
        ),
        (
            "Beste ouder, ik ben medewerker van Lucas Onderwijs en reageer graag op uw vraag.",
            ["ik ben medewerker van Lucas Onderwijs"],
        ),
        ("Ik werk als docent bij ROC Kop van Noord-Holland.", ["Ik werk als", "docent bij ROC Kop van Noord-Holland"]),
        ("Werkzaam bij Edu-Ley als onderwijsassistent.", ["Werkzaam bij Edu-Ley"]),
        (
            "Mooi gedaan allemaal!\n— Anne, leerkracht groep 6, De Tjongerschool",
            ["— Anne, leerkracht groep 6, De Tjongerschool"],
        ),
        ("Dank voor jullie hulp.\nGroetjes, juf Anne", ["Groetjes, juf Anne"]),
        ("Met vriendelijke groet,\nPieter de Vries\nDirecteur", ["Directeur"]),
        ("Bedankt! Anne (leerkracht groep 7)", ["(leerkracht groep 7)"]),
    ],
)
def test_states_function(text, expected):
    check("text.states_function", text, expected)


def test_the_authors_function_in_the_text_states_it():
    text = "Vanuit groep 5 een hartelijke groet. Uw leerkracht groep 5"
    assert cues(text, "text.states_function", function="Leerkracht  groep 5") == ["leerkracht groep 5"]
    assert cues(text, "text.states_function", function="intern begeleider") == []


@pytest.mark.parametrize(
    "text",
    [
        "Hoi juf! Dag, juf!",
        "Als leerkracht moet je veel geduld hebben.",
        "Ik ben blij met de nieuwe leerkracht.",
        "Ik werk op zaterdag in de supermarkt.",
        "Ik ben meester in het kwijtraken van mijn sleutels.",
        "Bedankt voor alles, juf",
    ],
)
def test_not_states_function(text):
    assert cues(text, "text.states_function") == []


# --- text.opinion -----------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Ik vind het een slecht besluit van de gemeente.", ["Ik vind", "slecht besluit"]),
        ("Naar mijn mening moet de gymles blijven.", ["Naar mijn mening"]),
        ("Volgens mij is dit onzin.", ["Volgens mij", "onzin"]),
        ("Ik ben het niet eens met de nieuwe regels.", ["Ik ben het niet eens"]),
        ("Wat een slecht besluit!", ["Wat een slecht besluit"]),
        ("Te gek voor woorden dat de gymzaal dicht is.", ["Te gek voor woorden"]),
        ("Dit vind ik echt belachelijk.", ["vind ik", "belachelijk"]),
        ("Ik vind het niet slecht.", ["Ik vind"]),
    ],
)
def test_opinion(text, expected):
    check("text.opinion", text, expected)


@pytest.mark.parametrize(
    "text",
    [
        "Waar vind ik het rooster van volgende week?",
        "Ik vind mijn sleutels niet meer.",
        "Morgen is de sportdag op het veld achter de school.",
        "De jas van Sem is weer terecht.",
    ],
)
def test_not_opinion(text):
    assert cues(text, "text.opinion") == []


# --- text.informal ------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("...en nu wel aan je huiswerk. Laterzz XXX", ["Laterzz", "XXX"]),
        ("Doei!! 😘😘", ["Doei", "😘😘"]),
        ("hahaha omg wat grappig lol", ["hahaha", "omg", "lol"]),
        ("Ff checken of iedereen er is", ["Ff"]),
        ("Suuuuper leuk!!!", ["Suuuuper", "!!!"]),
        ("xoxo juf", ["xoxo"]),
    ],
)
def test_informal(text, expected):
    check("text.informal", text, expected)


@pytest.mark.parametrize(
    "text",
    [
        "Groetjes, juf Anne",
        "Fijne dag allemaal!",
        "Met vriendelijke groet, de directie",
        "Alle informatie staat op www.tjongerschool.nl.",
        "Wat een mooie dag! Bedankt allemaal!",
    ],
)
def test_not_informal(text):
    assert cues(text, "text.informal") == []


# --- text.question --------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Weet iemand hoe laat de bus terugkomt?", ["Weet iemand hoe laat de bus terugkomt?"]),
        ("Kan iemand mij vertellen wanneer de schoolreis is", ["Kan iemand"]),
        ("Mag ik vragen waarom de gymles vervalt.", ["Mag ik vragen"]),
        ("Leuke dag gehad. Komen jullie morgen ook?", ["Komen jullie morgen ook?"]),
    ],
)
def test_question(text, expected):
    check("text.question", text, expected)


@pytest.mark.parametrize(
    "text",
    ["Kijk op https://www.school.nl/agenda?week=12 voor de agenda.", "Morgen is de sportdag."],
)
def test_not_question(text):
    assert cues(text, "text.question") == []


# --- text.absence_notice -------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Goedemorgen juf, hierbij meld ik Sem ziek.", ["meld ik Sem ziek"]),
        ("Lisa is ziek en kan vandaag niet komen.", ["is ziek", "kan vandaag niet komen"]),
        ("Ik wil graag verlof aanvragen voor de bruiloft van mijn zus.", ["verlof aanvragen"]),
        ("Mag ik vrij vragen voor Daan op vrijdag?", ["vrij vragen"]),
        ("Tim moet om 10 uur naar de tandarts.", ["naar de tandarts"]),
        ("Juf Anne is er morgen niet.", ["is er morgen niet"]),
    ],
)
def test_absence_notice(text, expected):
    check("text.absence_notice", text, expected)


@pytest.mark.parametrize(
    "text",
    ["We gaan vandaag naar het museum.", "Het is vandaag niet zo warm.", "Iedereen kan vandaag komen kijken."],
)
def test_not_absence_notice(text):
    assert cues(text, "text.absence_notice") == []


# --- text.negative -------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Ik ben erg teleurgesteld in de school.", ["teleurgesteld"]),
        ("Wat een puinhoop was de ouderavond.", ["puinhoop"]),
        ("Ik heb een klacht over de overblijf.", ["klacht"]),
        ("Slecht geregeld weer, nooit meer!", ["Slecht", "nooit meer"]),
        ("Ik ben niet tevreden over de communicatie.", ["niet tevreden"]),
        ("Schandalig dat niemand reageert.", ["Schandalig"]),
    ],
)
def test_negative(text, expected):
    check("text.negative", text, expected)


@pytest.mark.parametrize(
    "text",
    [
        "Ik vind het niet slecht.",
        "Geen klachten hier, alles prima geregeld!",
        "Ik ben helemaal niet teleurgesteld.",
        "Jammer van het slechte weer.",
        "De boze wolf kwam vandaag op bezoek in de kleuterklas.",
        "Nooit meer oorlog.",
        "Het geschil over het schoolplein is gelukkig beslecht.",
    ],
)
def test_not_negative(text):
    assert cues(text, "text.negative") == []


def test_negation_stops_at_the_clause():
    assert cues("Het was niet leuk, slecht geregeld.", "text.negative") == ["slecht"]


def test_one_span_can_make_two_facts():
    found = facts_of("Dat is belachelijk.")
    assert [e.text for e in found["text.opinion"].evidence] == ["belachelijk"]
    assert [e.text for e in found["text.negative"].evidence] == ["belachelijk"]


# --- text.confidential -----------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Vertrouwelijk: Sem is geschorst na het incident.", ["Vertrouwelijk", "geschorst"]),
        ("Er is een melding gedaan bij Veilig Thuis.", ["Veilig Thuis"]),
        ("Het OPP van Daan wordt morgen besproken.", ["OPP"]),
        ("Meester Kees is ontslagen.", ["ontslagen"]),
        ("Sanne blijft zitten in groep 6.", ["blijft zitten"]),
        ("De cijfers van Mila zijn flink gezakt.", ["cijfers van Mila"]),
        ("Dit is intern, niet doorvertellen.", ["intern", "niet doorvertellen"]),
        ("Bram kreeg vandaag weer een time-out gegeven.", ["time-out gegeven"]),
    ],
)
def test_confidential(text, expected):
    check("text.confidential", text, expected)


@pytest.mark.parametrize(
    "text",
    [
        "Iedereen is weer veilig thuis na het schoolkamp.",
        "Onze intern begeleider organiseert een informatieavond.",
        "Het geheim van een goede les is voorbereiding.",
        "De time-out bij het basketbal was spannend.",
        "Kijk naar de cijfers van het CBS over leesplezier.",
    ],
)
def test_not_confidential(text):
    assert cues(text, "text.confidential") == []


# --- text.private_life ---------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Lekker op vakantie in Spanje met een wijntje ☀️", ["op vakantie", "wijntje"]),
        ("Gisteren flink dronken op het feestje van Mark", ["dronken", "feestje"]),
        ("Met een flinke kater naar school vandaag", ["flinke kater"]),
        ("Biertje in de kroeg na het werk", ["Biertje", "kroeg"]),
        ("Dit weekend naar een festival!", ["festival"]),
    ],
)
def test_private_life(text, expected):
    check("text.private_life", text, expected)


@pytest.mark.parametrize(
    "text",
    [
        "Fijne vakantie allemaal! Na de vakantie beginnen we weer op maandag.",
        "Het lam op de kinderboerderij was erg schattig.",
        "Het kerstfeest op school was heel gezellig.",
        "Onze kater Tijger ligt te slapen in de vensterbank.",
        "Pyjamafeest in groep 3!",
        "Op het schoolfeest was er gemberbier en limonade.",
    ],
)
def test_not_private_life(text):
    assert cues(text, "text.private_life") == []


# --- text.doubt -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Ik twijfel of ik deze foto mag delen.", ["Ik twijfel of"]),
        ("Foto van de musical. Mag dit?", ["Mag dit?"]),
        ("Ik weet niet of dit mag, maar wat een mooi moment.", ["weet niet of dit mag"]),
        ("Kan ik dit zo posten op Facebook?", ["Kan ik dit zo posten"]),
        ("Bij twijfel: eerst even overleggen.", ["Bij twijfel"]),
    ],
)
def test_doubt(text, expected):
    check("text.doubt", text, expected)


@pytest.mark.parametrize(
    "text",
    [
        "Ik twijfel er niet aan dat het een mooie dag wordt.",
        "Mag ik jullie vragen de jassen mee te nemen.",
        "Het mag weer: buiten spelen!",
    ],
)
def test_not_doubt(text):
    assert cues(text, "text.doubt") == []


# --- text.correction ----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Dat klopt niet: de schoolreis is op 12 juni.", ["Dat klopt niet"]),
        ("Ter correctie: de ouderavond begint om 19.30 uur.", ["Ter correctie"]),
        ("Om misverstanden te voorkomen: de school is morgen gewoon open.", ["Om misverstanden te voorkomen"]),
        ("Het bericht dat de school sluit is onjuist.", ["is onjuist"]),
    ],
)
def test_correction(text, expected):
    check("text.correction", text, expected)


@pytest.mark.parametrize("text", ["De school is morgen gewoon open.", "Klopt helemaal, fijne dag!"])
def test_not_correction(text):
    assert cues(text, "text.correction") == []


# --- a realistic post, all facts at once ----------------------------------------------------


def test_a_private_staff_post_about_the_school():
    text = (
        "Ik vind het belachelijk dat De Tjongerschool de schoolreis van groep 8 schrapt. "
        "Weet iemand waarom?\n— Anne, leerkracht groep 8"
    )
    found = {name: [e.text for e in fact.evidence] for name, fact in facts_of(text).items() if fact.value}
    assert found == {
        "text.about_school": ["De Tjongerschool", "schoolreis", "groep 8", "groep 8"],
        "text.states_function": ["— Anne, leerkracht groep 8"],
        "text.opinion": ["Ik vind", "belachelijk"],
        "text.question": ["Weet iemand waarom?"],
        "text.negative": ["belachelijk"],
    }


# --- the lexicon file ------------------------------------------------------------------------


@pytest.fixture(scope="module")
def lexicon_text() -> str:
    return builtin_text_cues_path().read_text(encoding="utf-8")


def _broken(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "text_cues.yaml"
    path.write_text(text, encoding="utf-8")
    return path


def _line_of(text: str, fragment: str) -> int:
    return text[: text.index(fragment)].count("\n") + 1


def test_the_shipped_lexicon_loads(lexicon_text):
    assert load_text_cues(builtin_text_cues_path()).labels.keys() == set(TEXT_FACTS)
    assert parse_text_cues(lexicon_text).cue_counts == default_text_cues().cue_counts


@pytest.mark.parametrize(
    ("old", "new", "message"),
    [
        ("  text.doubt:\n", "  text.twijfel:\n", "onbekend feit"),
        ("'(?<!\\w)ik\\s+twijfel", "'(?<!\\w)ik\\s+(twijfel", "ongeldige reguliere expressie"),
        ("'(?<!\\w)ik\\s+twijfel", "'(?<!\\w){{twijfelwoord}}", "onbekende term {{twijfelwoord}}"),
        ("'(?<!\\w)ik\\s+twijfel", "'(?<!\\w)Ik\\s+twijfel", "kleine letters"),
        ('["ik twijfel of", "twijfel of"', '["ik twijfel of", "Ik  twijfel of"', "dubbele frase"),
        ('["ik twijfel of", "twijfel of"', '["ik twijfel of", "?twijfel"', "begint met een letter"),
        ("    label: twijfel\n", "    label: twijfel\n    weight: 2\n", "Extra inputs are not permitted"),
    ],
)
def test_a_broken_lexicon_names_file_line_and_problem(tmp_path, lexicon_text, old, new, message):
    assert lexicon_text.count(old) == 1
    path = _broken(tmp_path, lexicon_text.replace(old, new))
    with pytest.raises(TextCueLexiconError) as caught:
        load_text_cues(path)
    error = str(caught.value)
    assert str(path) in error and message in error
    line = _line_of(lexicon_text, old.strip())
    assert f"regel {line}," in error or f"regel {line + 1}," in error  # the key or its first value


def test_a_lexicon_missing_a_fact_is_refused(tmp_path, lexicon_text):
    start = lexicon_text.index("  text.doubt:")
    end = lexicon_text.index("  text.correction:")
    path = _broken(tmp_path, lexicon_text[:start] + lexicon_text[end:])
    with pytest.raises(TextCueLexiconError, match="ontbrekende feiten: text.doubt"):
        load_text_cues(path)


def test_bad_yaml_and_missing_files_are_clear_errors(tmp_path):
    with pytest.raises(TextCueLexiconError, match=r"regel \d+: geen geldige YAML"):
        load_text_cues(_broken(tmp_path, "facts: [\n"))
    with pytest.raises(TextCueLexiconError, match="kan bestand niet lezen"):
        load_text_cues(tmp_path / "bestaat-niet.yaml")
