"""Import from the student administration: the example files, dry run, re-import,
consent take-over, refused lines and the audit log (real database, real files)."""

from __future__ import annotations

from pathlib import Path

import pytest

from plaatsbaar.web.audit.models import AuditEvent
from plaatsbaar.web.consent.models import ConsentEvent, Method
from plaatsbaar.web.consent.services import Answer, current_state, record_answer
from plaatsbaar.web.imports.services import ImportRefused, import_file
from plaatsbaar.web.organisation.models import Group, Guardian, Guardianship, Pupil
from tests.web.conftest import TODAY

EXAMPLES = Path(__file__).parents[2] / "docs" / "import-examples"
YEAR = "2026-2027"


@pytest.fixture(autouse=True)
def fast_passwords(settings):
    """The world's users get a cheap password hash (these tests are not about passwords)."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def run(world, data: bytes, source="parnassys", **kwargs):
    kwargs.setdefault("actor", world.users["manager"])
    return import_file(data, school=world.school, source=source, school_year=YEAR, today=TODAY, **kwargs)


def example(source: str) -> bytes:
    return (EXAMPLES / f"{source}.csv").read_bytes()


def tallies(summary) -> dict:
    return {kind: (t.created, t.updated, t.unchanged) for kind, t in summary.tallies.items()}


def people_snapshot():
    return (
        sorted(Pupil.objects.values_list("school_id", "external_id", "first_name", "last_name", "date_of_birth", "group_id")),
        sorted(Guardian.objects.values_list("first_name", "last_name", "email", "external_id")),
        Group.objects.count(), Guardianship.objects.count(), ConsentEvent.objects.count(), AuditEvent.objects.count(),
    )


def test_parnassys_example_imports_onto_existing_people(world):
    summary = run(world, example("parnassys"))
    assert summary.usable and summary.refused == [] and summary.lines == 6 and summary.imported_lines == 6
    assert tallies(summary) == {
        "pupils": (5, 0, 1),          # Sem (1001) was there already, unchanged
        "groups": (4, 0, 1),          # '5' and 'groep 5' are the existing 'groep 5'
        "guardians": (6, 0, 2),       # Ingrid counted once for her two children
        "guardianships": (7, 0, 2),
    }
    assert summary.consent_recorded == 18 and summary.consent_not_taken == 0
    assert [m.external_id for m in summary.missing] == ["1002"]  # Noor: reported, not deleted
    assert Pupil.objects.filter(pk=world.older_pupil.pk).exists()
    assert Pupil.objects.get(school=world.school, external_id="1007").group.name == "groep 1/2"
    lotte = Pupil.objects.get(external_id="1003")
    assert lotte.last_name == "Jansen" and lotte.guardians.get().email == "ingrid.jansen@example.org"
    assert Pupil.objects.get(external_id="1005").last_name == "van der Linden"


def test_magister_example_leaves_consent_of_a_16_year_old_to_the_pupil(world):
    summary = run(world, example("magister"), source="magister")
    assert summary.refused == [] and summary.lines == 5
    assert tallies(summary) == {"pupils": (5, 0, 0), "groups": (4, 0, 0), "guardians": (6, 0, 0), "guardianships": (6, 0, 0)}
    assert (summary.consent_recorded, summary.consent_not_taken) == (16, 4)
    sara = Pupil.objects.get(external_id="230005")
    assert not ConsentEvent.objects.filter(pupil=sara).exists()
    assert [n.line for n in summary.notices] == [6] and "16 jaar" in summary.notices[0].reason
    assert Guardianship.objects.get(pupil__external_id="230004").relation == "voogd"
    assert sara.email == "sara.hendriks@leerling.example.org"


def test_somtoday_example_matches_guardians_by_number(world):
    summary = run(world, example("somtoday"), source="somtoday")
    assert summary.refused == [] and summary.lines == 4
    assert tallies(summary) == {"pupils": (4, 0, 0), "groups": (3, 0, 0), "guardians": (4, 0, 0), "guardianships": (5, 0, 0)}
    assert summary.consent_recorded == 14
    marloes = Guardian.objects.get(external_id="R-7001")
    assert sorted(marloes.pupils.values_list("first_name", flat=True)) == ["Finn", "Tess"]
    assert Pupil.objects.get(external_id="540013").last_name == "van den Bos"


def test_dry_run_reports_the_same_and_changes_nothing(world):
    before = people_snapshot()
    dry = run(world, example("parnassys"), dry_run=True)
    assert people_snapshot() == before
    real = run(world, example("parnassys"))
    assert dry.dry_run and not real.dry_run
    assert tallies(dry) == tallies(real) and dry.consent_recorded == real.consent_recorded == 18


def test_reimport_updates_without_duplicates_or_new_consent_events(world):
    run(world, example("parnassys"))
    pupils, guardians, events = Pupil.objects.count(), Guardian.objects.count(), ConsentEvent.objects.count()
    again = run(world, example("parnassys"))
    assert tallies(again) == {"pupils": (0, 0, 6), "groups": (0, 0, 5), "guardians": (0, 0, 8), "guardianships": (0, 0, 9)}
    assert again.consent_recorded == 0 and again.consent_unchanged == 18
    assert (Pupil.objects.count(), Guardian.objects.count(), ConsentEvent.objects.count()) == (pupils, guardians, events)

    renamed = example("parnassys").replace(b"1003;Lotte;", b"1003;Lotta;").replace(b"Ingrid Jansen;ingrid.jansen@", b"Ingrid Jansen;ingrid.j@")
    changed = run(world, renamed)
    assert tallies(changed)["pupils"] == (0, 1, 5)
    assert tallies(changed)["guardians"] == (0, 1, 7)  # found by name among the children's guardians, e-mail updated
    assert Pupil.objects.get(external_id="1003").first_name == "Lotta"
    assert Guardian.objects.filter(first_name="Ingrid").count() == 1
    assert ConsentEvent.objects.count() == events
    update = AuditEvent.objects.filter(action="person.updated", object_type="pupil").get()
    assert update.changes["fields"] == ["first_name"] and "Lotta" not in str(update.changes)


def test_changed_consent_adds_one_event_and_keeps_the_history(world):
    run(world, example("parnassys"))
    sem = world.pupil
    history = list(ConsentEvent.objects.filter(pupil=sem).values_list("pk", flat=True))
    withdrawn = example("parnassys").replace(b"mark@example.org;ja;nee", b"mark@example.org;nee;nee")
    summary = run(world, withdrawn)
    assert summary.consent_recorded == 2  # website: photo and video, one event each
    new = ConsentEvent.objects.filter(pupil=sem).exclude(pk__in=history)
    assert [(e.category.code, e.media_kind, e.answer, e.method) for e in new.order_by("media_kind")] == [
        ("website", "photo", False, Method.IMPORT), ("website", "video", False, Method.IMPORT)]
    assert set(history) <= set(ConsentEvent.objects.filter(pupil=sem).values_list("pk", flat=True))
    assert new.first().given_by_guardian == world.guardian  # guardian 1 of the line
    assert current_state([sem])[sem.pk][(world.website.pk, "photo")].answer is False
    assert AuditEvent.objects.filter(action="consent.withdrawn").count() == 2


def test_a_direct_answer_of_a_guardian_is_not_overwritten(world):
    record_answer(world.pupil, world.facebook, "photo", True, Answer(guardian=world.second_guardian), today=TODAY)
    summary = run(world, example("parnassys"))
    state = current_state([world.pupil])[world.pupil.pk]
    assert state[(world.facebook.pk, "photo")].answer is True and state[(world.facebook.pk, "photo")].method == Method.PORTAL
    assert state[(world.facebook.pk, "video")].answer is False
    assert any(n.line == 2 and "facebook (foto)" in n.reason and "blijft gelden" in n.reason for n in summary.notices)


def test_general_consent_column_no_and_per_category_list(world):
    data = ("Leerlingnummer;Roepnaam;Achternaam;Geboortedatum;Groep;Naam verzorger 1;Toestemming beeldmateriaal\n"
            "1001;Sem;de Vries;04-03-2018;5;Anne de Vries;nee\n"
            "1003;Lotte;Jansen;12-09-2019;4;Ingrid Jansen;website: ja, facebook: nee\n"
            "1004;Bram;Jansen;02-05-2017;6;Ingrid Jansen;ja\n").encode()
    summary = run(world, data)
    assert summary.refused == []
    assert set(ConsentEvent.objects.filter(pupil=world.pupil).values_list("answer", flat=True)) == {False}
    lotte = Pupil.objects.get(external_id="1003")
    assert {(e.category.code, e.answer) for e in ConsentEvent.objects.filter(pupil=lotte)} == {("website", True), ("facebook", False)}
    assert not ConsentEvent.objects.filter(pupil__external_id="1004").exists()
    assert any(n.line == 4 and "per doel" in n.reason for n in summary.notices)


def test_unknown_consent_column_is_ignored_with_a_warning(world):
    data = ("Leerlingnummer;Roepnaam;Achternaam;Geboortedatum;Groep;Naam verzorger 1;Toestemming televisie\n"
            "1001;Sem;de Vries;04-03-2018;5;Anne de Vries;ja\n").encode()
    summary = run(world, data)
    assert summary.refused == [] and summary.consent_recorded == 0
    assert summary.warnings and "Toestemming televisie" in summary.warnings[0] and "facebook, website" in summary.warnings[0]


BAD_LINES = (
    "Leerlingnummer;Roepnaam;Tussenvoegsel;Achternaam;Geboortedatum;Groep;Naam verzorger 1;E-mail verzorger 1;Toestemming website\n"
    "3001;Daan;;Smit;31-02-2018;5;Peter Smit;peter@example.org;ja\n"          # 2: impossible date
    "3002;Emma;;;04-03-2018;5;Peter Smit;peter@example.org;ja\n"             # 3: no last name
    "3003;Liam;;Visser;04-03-2018;groep 12;;;\n"                              # 4: unknown group
    "3004;Julia;;Bos;04-03-2018;5;Linda Bos;linda(at)example.org;ja\n"       # 5: bad e-mail
    "3005;Finn;;Kok;2018/03/04;5;;;misschien\n"                               # 6: bad date and bad consent value
    "3006;Tess;;Dekker;04-03-2018;5\n"                                        # 7: too few fields
    "3007;Milan;;Peters;04-03-2040;5;;;\n"                                    # 8: date in the future
    "3008;Sara;;Vos;04-03-2018;3b;;;\n"                                       # 9: fine
    "3008;Sara;;Vos;04-03-2018;3b;;;\n"                                       # 10: same pupil twice
    "\n"
    "3009;Luuk;;Mulder;04-03-2018;5;;;nee\n"                                  # 12: fine (after an empty line)
)


def test_every_refused_line_has_its_number_and_reason(world):
    summary = run(world, BAD_LINES.encode())
    reasons = {p.line: p.reason for p in summary.problems()}
    assert sorted(reasons) == [2, 3, 4, 5, 6, 7, 8, 10]
    assert "ongeldige geboortedatum '31-02-2018'" in reasons[2]
    assert reasons[3] == "achternaam ontbreekt"
    assert "onbekende groepsindeling 'groep 12'" in reasons[4]
    assert "ongeldig e-mailadres" in reasons[5] and "E-mail verzorger 1" in reasons[5]
    assert "ongeldige geboortedatum" in reasons[6]
    assert "velden in plaats van 9" in reasons[7]
    assert "in de toekomst" in reasons[8]
    assert "staat ook op regel 9" in reasons[10]
    assert sorted(Pupil.objects.filter(external_id__startswith="300").values_list("external_id", flat=True)) == ["3008", "3009"]


def test_a_bad_consent_value_refuses_the_line(world):
    data = ("Leerlingnummer;Roepnaam;Achternaam;Geboortedatum;Groep;Naam verzorger 1;Toestemming website\n"
            "3001;Daan;Smit;04-03-2018;5;Peter Smit;misschien\n").encode()
    summary = run(world, data)
    assert [str(p) for p in summary.problems()] == [
        "regel 2: onbekende waarde 'misschien' in kolom 'Toestemming website' (verwacht ja of nee)"]
    assert not Pupil.objects.filter(external_id="3001").exists()


@pytest.mark.parametrize(("data", "line", "words"), [
    (b"", 1, "leeg"),
    (b"\n\n  \n", 1, "leeg"),
    (b"Leerlingnummer;Roepnaam;Achternaam;Groep\n1;Sem;Vries;5\n", 1, "verplichte kolom ontbreekt: 'Geboortedatum'"),
    (b"Leerlingnummer|Roepnaam|Achternaam|Geboortedatum|Groep\n1|Sem|Vries|04-03-2018|5\n", 1, "scheidingsteken is niet herkend"),
    (bytes(range(256)) * 4, 1, "binaire inhoud"),
    (b"PK\x03\x04\x14\x00\x06\x00junk", 1, "Excel-bestand"),
    (b"Leerlingnummer;Roepnaam\n\x81\x8d\x8f\x90\x9d\n", 2, "onleesbare tekens"),
    (b"Leerlingnummer;Roepnaam\n1;\x07\x08\x1b\n", 2, "onleesbare tekens"),
    (b"Leerlingnummer;Roepnaam;Achternaam;Geboortedatum;Groep;Groep\n1;a;b;04-03-2018;5;5\n", 1, "staat 2 keer"),
])
def test_an_unusable_file_is_refused_with_line_and_reason_and_changes_nothing(world, data, line, words):
    before = people_snapshot()
    summary = run(world, data)
    assert not summary.usable
    assert summary.problems()[0].line == line and words in summary.problems()[0].reason
    assert people_snapshot() == before


def test_an_unclosed_quote_is_reported_on_its_line(world):
    data = ('Leerlingnummer;Roepnaam;Achternaam;Geboortedatum;Groep\n'
            '3001;"Daan;Smit;04-03-2018;5\n'
            '3002;Emma;Bos;04-03-2018;5\n').encode()
    summary = run(world, data)
    [problem] = summary.problems()
    assert problem.line == 2 and "regels 2 tot en met 3" in problem.reason and "aanhalingsteken" in problem.reason
    assert not Pupil.objects.filter(external_id__in=["3001", "3002"]).exists()


def test_cp1252_and_comma_delimited_files_are_read(world):
    text = (EXAMPLES / "parnassys.csv").read_text(encoding="utf-8-sig").replace(";", ",")
    summary = run(world, text.encode("cp1252"))
    assert summary.refused == [] and tallies(summary)["pupils"] == (5, 0, 1)
    assert Pupil.objects.get(external_id="1007").first_name == "Zoë"


def test_unknown_source_and_bad_school_year_are_refused(world):
    with pytest.raises(ImportRefused, match="onbekende bron"):
        run(world, example("parnassys"), source="esis")
    with pytest.raises(ImportRefused, match="schooljaar"):
        import_file(example("parnassys"), school=world.school, source="parnassys", school_year="2026-2028")


def test_every_change_is_audited_without_names(world):
    summary = run(world, example("parnassys"), ip="192.0.2.7")
    actions = list(AuditEvent.objects.values_list("action", flat=True))
    assert actions.count("person.created") == 5 + 6
    assert actions.count("group.created") == 4 and actions.count("guardianship.created") == 7
    assert actions.count("consent.given") + actions.count("consent.refused") == 18
    run_entry = AuditEvent.objects.get(action="import.run")
    assert run_entry.school_id == world.school.pk and run_entry.ip == "192.0.2.7" and run_entry.actor == world.users["manager"]
    assert run_entry.changes["pupils"] == {"created": 5, "updated": 0, "unchanged": 1} and run_entry.changes["source"] == "parnassys"
    everything = str(list(AuditEvent.objects.values_list("changes", flat=True)))
    assert "Lotte" not in everything and "Jansen" not in everything and "@example.org" not in everything
    assert summary.usable


def test_the_mapping_can_be_changed_by_a_yaml_file(world, tmp_path, monkeypatch):
    (tmp_path / "parnassys.yaml").write_text(
        "source: parnassys\nlabel: ParnasSys (eigen export)\n"
        "pupil: {external_id: [Lln.nr], first_name: [Voornaam], last_name: [Achternaam], date_of_birth: [Geb.datum], group: [Groep]}\n"
        "guardians: [{name: [Ouder]}]\n"
        "group_format: {pattern: '(?P<name>.+)', template: '{name}', example: 'iets'}\n", encoding="utf-8")
    monkeypatch.setenv("PLAATSBAAR_IMPORT_MAPPINGS", str(tmp_path))
    data = "Lln.nr;Voornaam;Achternaam;Geb.datum;Groep;Ouder\n4001;Yara;Kok;04-03-2018;Bijengroep;Anne Kok\n".encode()
    summary = run(world, data)
    assert summary.refused == [] and Pupil.objects.get(external_id="4001").group.name == "Bijengroep"
    (tmp_path / "parnassys.yaml").write_text("source: parnassys\nlabel: x\n", encoding="utf-8")
    with pytest.raises(ImportRefused, match="parnassys.yaml"):
        run(world, data)


def test_the_mapping_example_in_the_docs_is_valid(tmp_path):
    from plaatsbaar.web.imports.mappings import load_mapping_file

    docs = (Path(__file__).parents[2] / "docs" / "import.md").read_text(encoding="utf-8")
    block = docs.split("```yaml\n", 1)[1].split("```", 1)[0]
    (tmp_path / "parnassys.yaml").write_text(block, encoding="utf-8")
    mapping = load_mapping_file(tmp_path / "parnassys.yaml")
    assert mapping.guardians[1].first_name == ("Roepnaam verzorger 2",)
    assert mapping.group_format.normalise("Bijengroep") == "Bijengroep" and mapping.group_format.normalise("groep 5") is None
