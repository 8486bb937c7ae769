"""``run_import`` (the ``plaatsbaar import`` command) on the real database and the example files."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from rich.console import Console

from plaatsbaar.cli.importer import run_import
from plaatsbaar.web.audit.models import AuditEvent
from plaatsbaar.web.organisation.models import Pupil
from tests.web.conftest import TODAY

EXAMPLES = Path(__file__).parents[2] / "docs" / "import-examples"


@pytest.fixture(autouse=True)
def fast_passwords(settings):
    """The world's users get a cheap password hash (these tests are not about passwords)."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def cli(path, world, *, source="parnassys", dry_run=False, school_id=None):
    buffer = io.StringIO()
    status = run_import(path, source, school_id or world.school.pk, dry_run, Console(file=buffer, width=200),
                        school_year="2026-2027", today=TODAY)
    return status, buffer.getvalue()


def test_dry_run_prints_the_summary_and_changes_nothing(world):
    status, text = cli(EXAMPLES / "parnassys.csv", world, dry_run=True)
    assert status == 0
    assert "PROEFIMPORT" in text and "6 regels gelezen, 6 ingelezen, 0 geweigerd" in text and "1002 Noor Bakker" in text
    assert not Pupil.objects.filter(external_id="1003").exists() and not AuditEvent.objects.exists()


def test_import_then_reimport(world):
    assert cli(EXAMPLES / "somtoday.csv", world, source="somtoday")[0] == 0
    assert Pupil.objects.filter(school=world.school, external_id__startswith="5400").count() == 4
    audit = AuditEvent.objects.get(action="import.run")
    assert audit.actor is None and audit.actor_label.startswith("opdrachtregel")
    status, text = cli(EXAMPLES / "somtoday.csv", world, source="somtoday")
    assert status == 0 and Pupil.objects.filter(school=world.school, external_id__startswith="5400").count() == 4


def test_refused_lines_give_status_1_with_line_numbers(world, tmp_path):
    bad = tmp_path / "export.csv"
    bad.write_bytes((EXAMPLES / "magister.csv").read_bytes().replace(b"22-07-2012", b"22-13-2012"))
    status, text = cli(bad, world, source="magister")
    assert status == 1 and "regel 3: ongeldige geboortedatum '22-13-2012'" in text
    assert Pupil.objects.filter(external_id="230001").exists()


def test_bad_input_gives_status_2_and_a_message(world, tmp_path):
    junk = tmp_path / "export.xlsx"
    junk.write_bytes(b"PK\x03\x04" + bytes(range(256)))
    status, text = cli(junk, world)
    assert status == 2 and "regel 1: dit is een Excel-bestand" in text
    status, text = cli(tmp_path / "bestaat-niet.csv", world)
    assert status == 2 and "is niet te lezen" in text
    status, text = cli(EXAMPLES / "parnassys.csv", world, school_id=99999)
    assert status == 2 and "geen school met id 99999" in text
    status, text = cli(EXAMPLES / "parnassys.csv", world, source="esis")
    assert status == 2 and "onbekende bron 'esis'" in text
