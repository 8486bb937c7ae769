"""The import page: upload → dry run → Importeren, per role, and the forbidden cases."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from plaatsbaar.web.audit.models import AuditEvent
from plaatsbaar.web.consent.models import ConsentEvent
from plaatsbaar.web.imports.models import PendingImport
from plaatsbaar.web.organisation.models import Pupil, Role, StaffRole

EXAMPLE = Path(__file__).parents[2] / "docs" / "import-examples" / "parnassys.csv"


@pytest.fixture(autouse=True)
def fast_passwords(settings):
    """The world's users get a cheap password hash (these tests are not about passwords)."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def upload_url(school) -> str:
    return reverse("imports:upload", args=[school.pk])


def post_file(client, school, data: bytes, source="parnassys", year="2026-2027"):
    return client.post(upload_url(school), {"source": source, "school_year": year,
                                            "file": SimpleUploadedFile("export.csv", data, content_type="text/csv")})


def test_manager_sees_the_form_with_the_columns_of_each_source(client, world):
    client.force_login(world.users["manager"])
    page = client.get(upload_url(world.school)).content.decode()
    assert "Proefimport bekijken" in page and "Naam verzorger 1" in page and "Stamnummer" in page and "Stamgroep" in page


def test_dry_run_then_import(client, world):
    client.force_login(world.users["fg"])
    before = (Pupil.objects.count(), ConsentEvent.objects.count(), AuditEvent.objects.count())
    preview = post_file(client, world.school, EXAMPLE.read_bytes())
    assert preview.status_code == 200 and preview.context["summary"].dry_run
    assert "Er is nog niets veranderd" in preview.content.decode() and "Importeren" in preview.content.decode()
    assert "Noor" in preview.content.decode()  # niet in bestand
    assert (Pupil.objects.count(), ConsentEvent.objects.count(), AuditEvent.objects.count()) == before
    pending = preview.context["pending"]
    done = client.post(reverse("imports:confirm", args=[world.school.pk, pending.pk]), {"importeren": ""})
    assert done.status_code == 200 and "Import voltooid" in done.content.decode()
    assert Pupil.objects.count() == before[0] + 5 and ConsentEvent.objects.count() == before[1] + 18
    entry = AuditEvent.objects.get(action="import.run")
    assert entry.actor == world.users["fg"] and entry.ip == "127.0.0.1"
    assert not PendingImport.objects.exists()  # the file with personal data is gone
    again = client.post(reverse("imports:confirm", args=[world.school.pk, pending.pk]), {"importeren": ""})
    assert again.status_code == 404


def test_refused_lines_are_shown_and_an_unusable_file_cannot_be_imported(client, world):
    client.force_login(world.users["manager"])
    bad_date = EXAMPLE.read_bytes().replace(b"12-09-2019", b"31-09-2019")
    page = post_file(client, world.school, bad_date).content.decode()
    assert "Geweigerde regels (1)" in page and "ongeldige geboortedatum &#x27;31-09-2019&#x27;" in page
    junk = post_file(client, world.school, bytes(range(256)) * 8)
    assert junk.status_code == 200 and junk.context["pending"] is None
    assert "kan niet worden ingelezen" in junk.content.decode() and "Traceback" not in junk.content.decode()
    assert PendingImport.objects.count() == 1  # only the usable file waits


def test_cancel_throws_the_file_away(client, world):
    client.force_login(world.users["manager"])
    pending = post_file(client, world.school, EXAMPLE.read_bytes()).context["pending"]
    response = client.post(reverse("imports:confirm", args=[world.school.pk, pending.pk]), {"annuleren": ""})
    assert response.status_code == 302 and not PendingImport.objects.exists()
    assert not Pupil.objects.filter(external_id="1003").exists()


def test_form_errors_for_school_year_and_source(client, world):
    client.force_login(world.users["manager"])
    page = post_file(client, world.school, EXAMPLE.read_bytes(), year="2026")
    assert page.status_code == 200 and "ongeldig schooljaar" in page.content.decode()
    page = post_file(client, world.school, EXAMPLE.read_bytes(), source="esis")
    assert list(page.context["form"].errors) == ["source"]
    assert not PendingImport.objects.exists()


@pytest.mark.parametrize("role", ["teacher", "board"])
def test_staff_and_board_may_not_import(client, world, role):
    client.force_login(world.users[role])
    assert client.get(upload_url(world.school)).status_code == 403
    assert post_file(client, world.school, EXAMPLE.read_bytes()).status_code == 403
    assert client.get(reverse("imports:index")).status_code == 403
    assert not Pupil.objects.filter(external_id="1003").exists()


def test_manager_of_another_school_cannot_import_here(client, world, django_user_model):
    outsider = django_user_model.objects.create_user(username="directeur-klimop", password="x")
    StaffRole.objects.create(user=outsider, board=world.board, school=world.other_school, role=Role.MANAGER)
    client.force_login(outsider)
    assert client.get(upload_url(world.school)).status_code == 404
    assert post_file(client, world.school, EXAMPLE.read_bytes()).status_code == 404
    client.force_login(world.users["manager"])
    pending = post_file(client, world.school, EXAMPLE.read_bytes()).context["pending"]
    client.force_login(outsider)
    confirm = reverse("imports:confirm", args=[world.school.pk, pending.pk])
    assert client.post(confirm, {"importeren": ""}).status_code == 404
    assert client.post(reverse("imports:confirm", args=[world.other_school.pk, pending.pk]), {"importeren": ""}).status_code == 404
    assert not Pupil.objects.filter(external_id="1003").exists()


def test_another_manager_of_the_same_school_cannot_use_my_upload(client, world):
    client.force_login(world.users["manager"])
    pending = post_file(client, world.school, EXAMPLE.read_bytes()).context["pending"]
    client.force_login(world.users["fg"])
    assert client.post(reverse("imports:confirm", args=[world.school.pk, pending.pk]), {"importeren": ""}).status_code == 404


def test_anonymous_is_sent_to_log_in_and_confirm_needs_post(client, world):
    response = client.get(upload_url(world.school))
    assert response.status_code == 302 and reverse("login") in response["Location"]
    client.force_login(world.users["manager"])
    pending = post_file(client, world.school, EXAMPLE.read_bytes()).context["pending"]
    assert client.get(reverse("imports:confirm", args=[world.school.pk, pending.pk])).status_code == 405


def test_index_sends_a_manager_of_one_school_to_its_page(client, world):
    client.force_login(world.users["manager"])
    response = client.get(reverse("imports:index"))
    assert response.status_code == 302 and response["Location"] == upload_url(world.school)
