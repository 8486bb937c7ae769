"""The Dutch abuse detector: every category, spelling games, no false alarms on
ordinary school sentences, exact evidence offsets and clear lexicon errors."""

from __future__ import annotations

from pathlib import Path

import pytest

from plaatsbaar.core.detectors.abuse import LABELS, AbuseDetector, LexiconError, get_abuse_detector


@pytest.fixture(scope="module")
def detector() -> AbuseDetector:
    return get_abuse_detector()


def found(detector: AbuseDetector, text: str) -> dict[str, list[str]]:
    """Category → evidence texts, after checking that every offset is exact."""
    result = {}
    for fact in detector.detect(text):
        for evidence in fact.evidence:
            assert text[evidence.start : evidence.end] == evidence.text
        assert fact.value == len(fact.evidence)
        result[fact.name.removeprefix("abuse.")] = [e.text for e in fact.evidence]
    return result


# --------------------------------------------------------------------------- every category

CATEGORY_CASES = [
    # insult: pupils and parents on the school's Facebook page
    ("Wat een sukkel is die nieuwe gymleraar zeg", "insult", "sukkel"),
    ("Die mentor van 3B is een kankerlijer", "insult", "kankerlijer"),
    ("Die juf is echt een idioot, mijn kind leert niks", "insult", "idioot"),
    ("Wat ben jij een vuile aap", "insult", "Wat ben jij een vuile aap"),
    ("Stelletje mongolen, die brugklassers", "insult", "Stelletje mongolen"),
    ("Je bent zo lelijk, niemand wil met jou spelen", "insult", "Je bent zo lelijk"),
    ("Hou je bek, niemand vroeg het aan jou", "insult", "Hou je bek"),
    ("wat een kk juf", "insult", "kk juf"),
    ("kanker op met je regels", "insult", "kanker op"),
    ("Hij is de slechtste docent ooit, een lui en zielig mannetje.", "insult", "lui en zielig mannetje"),
    # profanity
    ("Kanker, ik ben mijn gymspullen weer vergeten", "profanity", "Kanker"),
    ("Godverdomme, alweer een tussenuur", "profanity", "Godverdomme"),
    ("Wat een klotedag was het vandaag", "profanity", "klotedag"),
    ("Krijg de tering met je toetsweek", "profanity", "Krijg de tering"),
    ("Shit, de bus is weg en ik kom te laat", "profanity", "Shit"),
    # threat
    ("Ik maak je af als ik je na school zie", "threat", "Ik maak je af"),
    ("Ik weet waar je woont, juf.", "threat", "Ik weet waar je woont"),
    ("Na school ben je dood", "threat", "Na school ben je dood"),
    ("Pas maar op!", "threat", "Pas maar op"),
    ("Ik steek je neer met een mes", "threat", "Ik steek je neer"),
    ("Dat ga je bezuren, meneer", "threat", "Dat ga je bezuren"),
    ("Als ik je zie sla ik je in elkaar", "threat", "sla ik je in elkaar"),
    ("Ga je toch ophangen", "threat", "Ga je toch ophangen"),
    ("Als juf Anouk hem nog één keer aan de kant zet, kom ik. Ze moet oppassen.", "threat", "Ze moet oppassen"),
    ("Morgen kom ik met vrienden verhaal halen bij die teamleider", "threat", "kom ik met vrienden verhaal halen"),
    ("Ik kom jullie morgen eens even opzoeken, let maar op!", "threat", "let maar op"),
    ("Iemand moet hem eens flink aanpakken.", "threat", "Iemand moet hem eens flink aanpakken"),
    # defamation
    ("Die juf is een pedo, let op je kinderen", "defamation", "juf is een pedo"),
    ("Meester Kees steelt geld uit de kas van de ouderraad", "defamation", "Meester Kees steelt"),
    ("Iedereen weet dat de directeur een fraudeur is", "defamation", "dat de directeur een fraudeur is"),
    ("Die gymleraar komt altijd dronken naar school", "defamation", "komt altijd dronken naar school"),
    ("Jan is een dief, hij pakt alles uit de tassen", "defamation", "Jan is een dief"),
    ("Hij liegt altijd, die directeur", "defamation", "liegt altijd"),
    ("Die leraar zit aan meisjes", "defamation", "zit aan meisjes"),
    ("Meester Bas heeft een relatie met een leerling", "defamation", "heeft een relatie met een leerling"),
    ("Het ROC is een stelletje fraudeurs dat het lesgeld verduistert.", "defamation", "een stelletje fraudeurs"),
    # discrimination
    ("Alle moslims zijn terroristen", "discrimination", "Alle moslims zijn terroristen"),
    ("Ga terug naar je eigen land", "discrimination", "Ga terug naar je eigen land"),
    ("Jij bent zo'n homo", "discrimination", "Jij bent zo'n homo"),
    ("Kankermarokkanen verpesten het schoolplein", "discrimination", "Kankermarokkanen"),
    ("Vuile jood, ga weg", "discrimination", "Vuile jood"),
    ("Die Marokkanen zijn allemaal dieven", "discrimination", "Die Marokkanen zijn allemaal dieven"),
    ("Ga terug naar Marokko", "discrimination", "Ga terug naar Marokko"),
    # radicalisation
    ("Sieg Heil! Wij zijn trots", "radicalisation", "Sieg Heil"),
    ("Dood aan de ongelovigen", "radicalisation", "Dood aan de ongelovigen"),
    ("Steun de jihad broeders", "radicalisation", "Steun de jihad"),
    ("Hitler had gelijk", "radicalisation", "Hitler had gelijk"),
    ("White power, 14/88", "radicalisation", "White power"),
    ("Homo's moeten dood", "radicalisation", "Homo's moeten dood"),
    ("Wij zijn trots op de SS", "radicalisation", "Wij zijn trots op de SS"),
    # sexual intimidation
    ("Lekker ding ben jij, juf", "sexual", "Lekker ding"),
    ("Stuur eens een foto van je borsten", "sexual", "Stuur eens een foto van je borsten"),
    ("Ik wil je neuken", "sexual", "Ik wil je neuken"),
    ("Je ziet er sexy uit in dat rokje", "sexual", "Je ziet er sexy uit"),
    ("Stuur me je nudes dan", "sexual", "Stuur me je nudes"),
    ("Wanneer stuur je me die foto's zonder kleren", "sexual", "stuur je me die foto's zonder kleren"),
    ("Mooie tieten juf", "sexual", "Mooie tieten"),
]


@pytest.mark.parametrize(("text", "category", "evidence"), CATEGORY_CASES)
def test_detects_each_category_in_realistic_comments(detector, text, category, evidence):
    assert evidence in found(detector, text).get(category, [])


def test_every_category_has_cases_and_lexicon_entries(detector):
    assert {case[1] for case in CATEGORY_CASES} == set(LABELS)
    assert all(count > 0 for count in detector.entry_counts().values())


def test_evidence_labels_are_dutch(detector):
    facts = {f.name: f for f in detector.detect("Kanker juf, ik maak je af! Heil Hitler")}
    assert facts["abuse.insult"].evidence[0].label == "belediging"
    assert facts["abuse.threat"].evidence[0].label == "bedreiging"
    assert facts["abuse.radicalisation"].evidence[0].label == "radicalisering"
    assert {e.label for e in facts["abuse.any"].evidence} == {"belediging", "bedreiging", "radicalisering"}


def test_any_counts_every_hit_once(detector):
    facts = {f.name: f.value for f in detector.detect("Kut school, kanker juf!! Ik sla je verrot.")}
    assert facts == {"abuse.insult": 2, "abuse.threat": 1, "abuse.any": 3}


def test_an_overlapping_hit_counts_once_in_the_most_specific_category(detector):
    assert found(detector, "kankerjood") == {"discrimination": ["kankerjood"], "any": ["kankerjood"]}


# --------------------------------------------------------------------------- spelling games

SPELLING_GAMES = [
    ("k@nker", "profanity"),
    ("k4nker", "profanity"),
    ("kank3r", "profanity"),
    ("KÁNKER", "profanity"),
    ("kuuuuut", "profanity"),
    ("k.u.t", "profanity"),
    ("k u t", "profanity"),
    ("k-u-t", "profanity"),
    ("k*t", "profanity"),
    ("ku\u200bt", "profanity"),  # zero-width space
    ("ｋｕｔ", "profanity"),  # full-width letters
    ("kkr", "profanity"),
    ("gvd", "profanity"),
    ("g.v.d", "profanity"),
    ("f*ck", "profanity"),
    ("sh1t", "profanity"),
    ("tyf op", "insult"),
    ("su\u200bkkel", "insult"),
    ("idioooooot", "insult"),
    ("Heeeil Hitler", "radicalisation"),
    ("S I E G  H E I L", "radicalisation"),
    ("p3d0", "defamation"),
    ("k@nk3rl1jer", "insult"),
    ("m0ngool", "insult"),
    ("fvck", "profanity"),
    ("sh!t", "profanity"),
]


@pytest.mark.parametrize(("text", "category"), SPELLING_GAMES)
def test_spelling_games_are_seen_through(detector, text, category):
    hits = found(detector, f"Wat een {text}, echt")
    assert category in hits, hits
    assert hits[category] == [text.strip()]


def test_evidence_offsets_are_exact_in_the_original_text(detector):
    text = "Goedemorgen! Wat een k.u.t school,   ik  maak je af. Groetjes"
    facts = {f.name: f for f in detector.detect(text)}
    [insult] = facts["abuse.insult"].evidence
    [threat] = facts["abuse.threat"].evidence
    start_insult, start_threat = text.index("k.u.t"), text.index("ik  maak")
    assert (insult.start, insult.end, insult.text) == (start_insult, start_insult + 12, "k.u.t school")
    assert (threat.start, threat.end, threat.text) == (start_threat, start_threat + 14, "ik  maak je af")
    assert [e.start for e in facts["abuse.any"].evidence] == [start_insult, start_threat]


def test_offsets_cover_combining_marks_and_repeated_letters(detector):
    text = "nee ka\u0301nkerrrr!"  # decomposed á, a run of r
    [fact, _] = detector.detect(text)
    [evidence] = fact.evidence
    assert evidence.text == "ka\u0301nkerrrr"
    assert (evidence.start, evidence.end) == (4, text.index("!"))


# --------------------------------------------------------------------------- no false alarms

CLEAN_SCHOOL_SENTENCES = [
    "We aaiden een ezel op de kinderboerderij.",
    "Wat een kanjers zijn jullie, groep 5!",
    "Vandaag herdachten we met groep 8 de slachtoffers in kamp Westerbork.",
    "De Joden werden vanuit Westerbork weggevoerd naar Auschwitz.",
    "Vergeet je muts en sjaal niet, het wordt koud!",
    "Balen dat het schoolreisje niet doorgaat door de regen.",
    "Een oude asbak werd een plantenbak in het techniekproject.",
    "Mijn moeder heeft kanker, daarom is Daan deze week afwezig.",
    "Zaterdag lopen we de sponsorloop voor KWF Kankerbestrijding.",
    "We wensen de familie sterkte na het overlijden van meester Jan aan kanker.",
    "De opbrengst van de collecte gaat naar onderzoek naar kanker bij kinderen.",
    "Pas op de trap, die is glad na het dweilen.",
    "Bedankt voor de feedback, we gaan eraan werken!",
    "Hij sloeg een bal over het hek bij de gymles.",
    "De juf steekt de kaarsjes aan voor de adventsviering.",
    "De kinderen vonden een dode mus op het schoolplein en begroeven hem.",
    "In de biologieles leerden we over Homo sapiens en de neanderthaler.",
    "Met 88 leerlingen gingen we naar de Efteling.",
    "Kerstmarkt: €14,88 opgehaald voor het goede doel!",
    "Bartolomeu Dias voer in 1488 rond Kaap de Goede Hoop.",
    "Sieg de Vries won de tekenwedstrijd.",
    "De juf vertelde over de Tweede Wereldoorlog en Adolf Hitler.",
    "Met Pasen vieren we dat Jezus na zijn dood aan het kruis opstond.",
    "Anne Frank stierf in Bergen-Belsen aan tyfus.",
    "De pest heerste in de middeleeuwen in heel Europa.",
    "De leerlingen van 4 havo bezochten Kutná Hora in Tsjechië.",
    "We zochten eikels en kastanjes in het bos.",
    "Groep 6 leerde over Dzjengis Khan en de Mongolen.",
    "Optellen en aftrekken oefenen we elke dag.",
    "In de handwerkles gingen we een tasje naaien.",
    "De kinderen bekeken de pijpen van het orgel in de kerk.",
    "Let op: deel nooit naaktfoto's van jezelf of van anderen.",
    "Stuur eens een foto van je werkstuk naar de juf.",
    "Er is een dief gesignaleerd bij de fietsenstalling, zet je fiets op slot.",
    "In de musical speelde Tim een dief die de kroon stal.",
    "Juf Anja steelt de show met haar dansje!",
    "De nieuwe juf heeft ons hart gestolen.",
    "Niet alle moslims zijn terroristen, leerden we in de les over vooroordelen.",
    "Wat een schatje, die nieuwe cavia in groep 3!",
    "Ik ga dood van het lachen om deze foto's!",
    "Hou je kop warm, neem een muts mee!",
    "Wat zijn jullie vet goed bezig!",
    "Je bent lekker bezig, ga zo door!",
    "Jullie zijn toppers! Pas goed op jezelf in de vakantie.",
    "Wacht maar tot de bel gaat voordat je naar buiten gaat.",
    "Wacht maar tot ik je roep.",
    "Ik maak je tekening morgen af.",
    "Het werkstuk? We maken hem morgen af.",
    "We hebben een nieuwe app voor ouders.",
    "Heb jij een hond thuis? Neem een foto mee!",
    "Ben je een tekening aan het maken?",
    "Ben jij een nicht van Sanne?",
    "Ik krijg de pest in als de printer weer vastloopt.",
    "Groep 8 maakte vetbollen voor de vogels.",
    "We aten shiitake in de kookles.",
    "Onze teef kreeg zes pups, de kinderen mochten komen kijken.",
    "Groep 3 zag een makaak in Artis.",
    "Na de uitwisseling gaan jullie terug naar jullie eigen land.",
    "Een dief is iemand die iets pakt wat niet van hem is.",
    "Vandaag kregen we uitleg over de jihad in de geschiedenisles.",
    "Dikke duim voor groep 7 en neem een dikke trui mee!",
    # names of people, places and streets that contain or resemble abusive words
    "Welkom aan onze nieuwe juf, mevrouw Kutlu!",
    "Groep 7 maakte een excursie naar Losser.",
    "Meester Klootwijk gaat met pensioen.",
    "De familie Sukkel bedankt iedereen voor de steun.",
    "Juf Tietje is jarig!",
    "Mevrouw Geilen is onze nieuwe intern begeleider.",
    "Onze nieuwe leerling woont aan de Teeringstraat.",
    "Het schoolkoor zong bij het Rot op bezoek in het verzorgingshuis.",
    # tricky phrasings
    "Ik wil je wel even voelen of je koorts hebt.",
    "Asielzoekers moeten terug naar het azc na het uitje.",
    "Hitler was een dictator en een moordenaar.",
    "Er zitten kakkerlakken in de schoolkeuken, de ongediertebestrijding komt morgen.",
    "De kinderen van groep 4 bezochten de kinderboerderij en aaiden de dikke koe.",
    "Wij lopen mee met de Kankerloop voor KWF.",
    "Pinokkio liegt altijd, en dan groeit zijn neus.",
    "Hij steelt de harten van iedereen.",
    "Niemand mag je zomaar fotograferen zonder toestemming.",
    "Ik sla je verslag even over, want het is al nagekeken.",
    "Je moet oppassen bij het oversteken.",
    "Let maar op, het is glad op het plein.",
    "Kijk morgen in de klas, dan zul je het zien!",
    "We gaan het probleem samen aanpakken.",
    "Er zijn dieven actief in de wijk, let op je fiets.",
    "Het prentenboek gaat over een klein mannetje met een grote hoed.",
]


def test_the_false_alarm_list_is_long_enough():
    assert len(CLEAN_SCHOOL_SENTENCES) >= 30


@pytest.mark.parametrize("text", CLEAN_SCHOOL_SENTENCES)
def test_clean_school_sentences_give_no_facts(detector, text):
    assert detector.detect(text) == []


def test_empty_text_gives_no_facts(detector):
    assert detector.detect("") == []


@pytest.mark.parametrize(
    ("curse", "health"),
    [
        ("Kanker, de wifi doet het weer niet", "Mijn opa heeft kanker"),
        ("Wat een kanker toets was dat", "Juf Els is genezen van kanker"),
        ("kankerzooi op het plein", "We steunen het kankeronderzoek"),
        ("tyfus, alweer regen", "In het kamp heerste tyfus"),
    ],
)
def test_curse_words_are_profanity_but_diseases_are_not(detector, curse, health):
    assert "profanity" in found(detector, curse)
    assert found(detector, health) == {}


def test_a_capitalised_word_in_mid_sentence_is_a_name_but_not_at_the_start(detector):
    assert found(detector, "Vandaag bij juf Sukkel in de klas") == {}
    assert found(detector, "Sukkel, dat je bent") == {"insult": ["Sukkel"], "any": ["Sukkel"]}
    assert found(detector, "Wat een SUKKEL") == {"insult": ["SUKKEL"], "any": ["SUKKEL"]}


def test_only_three_or_more_letters_are_a_spelling_game(detector):
    assert "insult" in found(detector, "wat een looooser")
    assert found(detector, "naar losser") == {}  # a double letter is a different word


def test_88_counts_only_next_to_nazi_words(detector):
    assert found(detector, "heil 88")["radicalisation"] == ["heil 88"]
    assert found(detector, "Hitler 88") == {"radicalisation": ["88"], "any": ["88"]}
    assert found(detector, "We telden 88 fietsen en 14 steps.") == {}


# --------------------------------------------------------------------------- the lexicon file


def write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "abuse.yaml"
    path.write_text(text, encoding="utf-8")
    return path


def test_the_shared_instance_is_loaded_once():
    assert get_abuse_detector() is get_abuse_detector()


def test_a_custom_lexicon_with_context_conditions(tmp_path):
    path = write(
        tmp_path,
        """
macros:
  fruit: 'appel|peer'
entries:
  - {term: rotte, category: insult, requires_near: ['{fruit}'], window: 2}
  - {pattern: 'stom(?:me)? \\w+', category: insult, unless_after: ['hoor']}
""",
    )
    detector = AbuseDetector(path)
    assert detector.entry_counts()["insult"] == 2
    assert found(detector, "een rotte appel") == {"insult": ["rotte"], "any": ["rotte"]}
    assert found(detector, "een rotte dag") == {}
    assert found(detector, "stomme toets hoor") == {}
    assert found(detector, "stomme toets!") == {"insult": ["stomme toets"], "any": ["stomme toets"]}


BROKEN_LEXICONS = [
    (
        "entries:\n  - {term: sukkel, category: insult}\n  - {term: kut, category: vloeken}\n",
        ["item 2", "regel 3", "'kut'", "vloeken"],
    ),
    ("entries:\n  - {pattern: 'kut(', category: profanity}\n", ["item 1", "regel 2", "reguliere expressie"]),
    ("entries:\n  - {category: insult}\n", ["item 1", "term of pattern"]),
    ("entries:\n  - {term: kut, category: [profanity]}\n", ["item 1", "category"]),
    ("macros: [a]\nentries:\n  - {term: kut, category: profanity}\n", ["macros"]),
    ("entries:\n  - {term: a, pattern: b, category: insult}\n", ["item 1", "term of pattern"]),
    ("entries:\n  - {term: sukkel, category: insult, unles_near: [x]}\n", ["item 1", "unles_near"]),
    ("entries:\n  - {pattern: '{nope} kut', category: profanity}\n", ["item 1", "{nope}"]),
    ("entries:\n  - {pattern: 'x?', category: profanity}\n", ["item 1", "lege tekst"]),
    ("entries:\n  - {pattern: '(?P<naam>kut)', category: profanity}\n", ["item 1", "groepen"]),
    ("entries:\n  - {term: kut, category: profanity, unless_near: []}\n", ["item 1", "unless_near"]),
    ("entries:\n  - {term: kut, category: profanity, window: 0}\n", ["item 1", "window"]),
    ("entries:\n  - {term: kut, category: profanity\n", ["regel", "geen geldige YAML"]),
    ("entries: []\n", ["leeg"]),
    ("entires: []\nentries:\n  - {term: kut, category: profanity}\n", ["entires"]),
    ("- just a list\n", ["entries"]),
]


@pytest.mark.parametrize(("content", "expected"), BROKEN_LEXICONS)
def test_a_broken_lexicon_gives_a_clear_error(tmp_path, content, expected):
    path = write(tmp_path, content)
    with pytest.raises(LexiconError) as error:
        AbuseDetector(path)
    message = str(error.value)
    assert str(path) in message
    for part in expected:
        assert part in message


def test_a_missing_lexicon_file_gives_a_clear_error(tmp_path):
    path = tmp_path / "bestaat-niet.yaml"
    with pytest.raises(LexiconError, match="bestaat-niet.yaml.*kan bestand niet lezen"):
        AbuseDetector(path)
