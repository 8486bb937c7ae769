"""Defects found in the review of issue 3: Dutch error pages and texts, no query per row on
list pages, deactivated categories, portal links in the logs, and audited admin changes."""

from __future__ import annotations

import logging
from datetime import date

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from plaatsbaar.core.vocabulary import Channel, MediaKind
from plaatsbaar.web.audit.models import AuditEvent
from plaatsbaar.web.consent.models import ConsentCategory
from plaatsbaar.web.consent.services import Answer, record_answer, registry_for
from plaatsbaar.web.organisation.models import Group, Guardianship, ProtocolVersion, Pupil, Role, StaffRole
from plaatsbaar.web.portal.links import make_token


def queries(client, url: str) -> int:
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured)


def add_pupils(world, count: int, born: date, *, group_each: bool) -> list[Pupil]:
    """``count`` pupils of the world's school (each in a group of its own when ``group_each``), children of Anne."""
    pupils = []
    for n in range(count):
        group = Group.objects.create(school=world.school, name=f"klas {n}", school_year="2026-2027") if group_each else world.group
        pupil = Pupil.objects.create(school=world.school, group=group, external_id=f"extra-{born.year}-{n}",
                                     first_name=f"Kind{n}", last_name="Jansen", date_of_birth=born)
        Guardianship.objects.create(guardian=world.guardian, pupil=pupil)
        pupils.append(pupil)
    return pupils


# --- Dutch, also for an English browser ------------------------------------------------------


def test_an_unknown_page_answers_in_dutch(world, client):
    client.force_login(world.users["teacher"])
    page = client.get("/bestaat-niet/")
    assert page.status_code == 404
    text = page.content.decode()
    assert "Pagina niet gevonden" in text and "Not Found" not in text


def test_a_forbidden_page_explains_in_dutch(world, client):
    client.force_login(world.users["teacher"])
    page = client.get(f"/toestemming/leerling/{world.pupil.pk}/papier/")
    assert page.status_code == 403
    text = page.content.decode()
    assert "Geen toegang" in text and "Alleen de leidinggevende of de FG" in text and "Forbidden" not in text


def test_form_errors_stay_dutch_for_an_english_browser(world, client):
    client.force_login(world.users["manager"])
    page = client.post(f"/toestemming/leerling/{world.pupil.pk}/papier/", {}, HTTP_ACCEPT_LANGUAGE="en-GB,en;q=0.9")
    text = page.content.decode()
    assert "Dit veld is " in text and "This field is required." not in text  # Django: verplicht, DRF's catalogue: vereist


# --- no query per row --------------------------------------------------------------------------


def test_the_turned_16_list_does_not_query_per_pupil(world, client):
    client.force_login(world.users["manager"])
    url = f"/toestemming/school/{world.school.pk}/zestien/"
    one = queries(client, url)
    add_pupils(world, 6, date(2005, 5, 5), group_each=True)
    page = client.get(url).content.decode()
    assert "klas 5" in page
    assert queries(client, url) == one


def test_the_portal_overview_does_not_query_per_child(world, client):
    url = f"/portaal/{make_token(world.guardian)}/"
    two = queries(client, url)
    add_pupils(world, 6, date(2018, 5, 5), group_each=False)
    assert "Kind5 Jansen" in client.get(url).content.decode()
    assert queries(client, url) == two


# --- deactivated categories ----------------------------------------------------------------------


def test_a_deactivated_category_no_longer_counts_as_consent(world):
    record_answer(world.pupil, world.facebook, "photo", True, Answer(guardian=world.guardian))
    assert registry_for([world.pupil]).allows(str(world.pupil.pk), Channel.FACEBOOK, MediaKind.PHOTO)
    ConsentCategory.objects.filter(pk=world.facebook.pk).update(active=False)
    assert not registry_for([world.pupil]).allows(str(world.pupil.pk), Channel.FACEBOOK, MediaKind.PHOTO)


# --- no portal links in the logs -----------------------------------------------------------------


def test_portal_links_are_kept_out_of_the_request_log(world, client, caplog):
    token = make_token(world.guardian)
    with caplog.at_level(logging.INFO):
        assert client.get(f"/portaal/{token}/kind/999999/").status_code == 404
        assert client.get(f"/portaal/{token}x/").status_code == 403
    assert "/portaal/[link]/kind/999999/" in caplog.text
    assert token not in caplog.text and f"g{world.guardian.pk}:" not in caplog.text


# --- changes in Django's admin are audited -------------------------------------------------------


@pytest.fixture
def admin_client(client, django_user_model):
    client.force_login(django_user_model.objects.create_superuser("beheerder", "beheer@example.org", "geheim-wachtwoord-1"))
    return client


def test_a_role_given_in_the_admin_is_audited(world, admin_client, django_user_model):
    user = django_user_model.objects.create_user("nieuwe-juf", password="geheim-wachtwoord-1")
    data = {"user": user.pk, "board": world.board.pk, "school": world.school.pk, "role": Role.MANAGER, "function": "directeur"}
    response = admin_client.post("/beheer/organisation/staffrole/add/", data)
    assert response.status_code == 302
    role = StaffRole.objects.get(user=user)
    entry = AuditEvent.objects.get(action="role.created")
    assert (entry.object_id, entry.school_id, entry.board_id) == (str(role.pk), world.school.pk, world.board.pk)
    assert entry.actor.username == "beheerder" and entry.ip == "127.0.0.1" and entry.changes["via"] == "beheer"


def _pupil_form(world, pupil: Pupil, **changes) -> dict:
    data = {
        "school": pupil.school_id, "group": pupil.group_id or "", "external_id": pupil.external_id,
        "first_name": pupil.first_name, "last_name": pupil.last_name, "date_of_birth": pupil.date_of_birth.isoformat(),
        "email": pupil.email, "left_on": "", "user": "",
    }
    links = list(Guardianship.objects.filter(pupil=pupil).order_by("pk"))
    data.update({
        "guardianship_set-TOTAL_FORMS": str(len(links)), "guardianship_set-INITIAL_FORMS": str(len(links)),
        "guardianship_set-MIN_NUM_FORMS": "0", "guardianship_set-MAX_NUM_FORMS": "1000",
    })
    for n, link in enumerate(links):
        data.update({f"guardianship_set-{n}-id": link.pk, f"guardianship_set-{n}-pupil": pupil.pk,
                     f"guardianship_set-{n}-guardian": link.guardian_id, f"guardianship_set-{n}-relation": link.relation})
    data.update(changes)
    return data


def test_a_pupil_changed_in_the_admin_is_audited_without_the_name(world, admin_client):
    link = Guardianship.objects.get(pupil=world.pupil, guardian=world.second_guardian)
    index = list(Guardianship.objects.filter(pupil=world.pupil).order_by("pk")).index(link)
    data = _pupil_form(world, world.pupil, first_name="Semmie", **{f"guardianship_set-{index}-DELETE": "on"})
    response = admin_client.post(f"/beheer/organisation/pupil/{world.pupil.pk}/change/", data)
    assert response.status_code == 302
    updated = AuditEvent.objects.get(action="person.updated")
    assert updated.changes["fields"] == ["first_name"] and updated.school_id == world.school.pk
    assert "Semmie" not in str(updated.changes)
    removed = AuditEvent.objects.get(action="guardianship.deleted")
    assert removed.object_id == str(link.pk) and removed.school_id == world.school.pk


def test_protocol_versions_cannot_be_edited_in_the_admin(world, admin_client):
    version = ProtocolVersion.objects.create(school=world.school, builtin_id="lucas-onderwijs", active=True)
    url = f"/beheer/organisation/protocolversion/{version.pk}/change/"
    assert admin_client.get(url).status_code == 200  # the history can be read
    admin_client.post(url, {"school": world.school.pk, "builtin_id": "", "yaml_text": "rules: kapot", "active": "on"})
    version.refresh_from_db()
    assert (version.builtin_id, version.yaml_text) == ("lucas-onderwijs", "")


# --- the audit log speaks Dutch to the privacy officer -------------------------------------------


def test_the_audit_page_describes_entries_in_dutch(world, client):
    record_answer(world.pupil, world.facebook, "photo", True, Answer(guardian=world.guardian), actor=world.users["manager"])
    client.force_login(world.users["fg"])
    page = client.get("/audit/").content.decode()
    row = page.split("<td>toestemming gegeven</td>")[1].split("</tr>")[0]
    assert "toestemmingsmoment #" in row and "consentevent" not in row
    assert "antwoord: ja" in row and "soort opname: foto" in row and "door: ouder/verzorger" in row
    assert "True" not in row and "photo" not in row
