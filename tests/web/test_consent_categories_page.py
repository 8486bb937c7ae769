"""The school's consent-category page: list, add, edit, deactivate, delete; per role."""

from __future__ import annotations

import pytest

from plaatsbaar.core.vocabulary import Channel, MediaKind
from plaatsbaar.web.audit.models import AuditEvent
from plaatsbaar.web.consent.models import ConsentCategory
from plaatsbaar.web.consent.services import Answer, record_answer, registry_for
from plaatsbaar.web.portal.links import make_token


def as_user(client, world, name: str):
    client.force_login(world.users[name])
    return client


def text(response) -> str:
    return response.content.decode()


def list_url(world, school=None) -> str:
    return f"/toestemming/school/{(school or world.school).pk}/categorieen/"


def form(label: str, **fields) -> dict:
    return {"label": label, "explanation": "", "channel": "", "order": "0", **fields}


# --- who may -----------------------------------------------------------------------------------


@pytest.mark.parametrize("name", ["manager", "fg"])
def test_manager_and_privacy_officer_see_every_category_with_its_answers(world, client, name):
    record_answer(world.pupil, world.facebook, "photo", True, Answer(guardian=world.guardian))
    ConsentCategory.objects.create(school=world.other_school, code="krant", label="Krant van De Klimop")
    page = text(as_user(client, world, name).get(list_url(world)))
    assert "Facebook" in page and "Website" in page and "Krant van De Klimop" not in page
    facebook_row = page.split("Facebook</th>")[1].split("</tr>")[0]
    assert 'data-label="Antwoorden">1<' in facebook_row and "Verwijderen" not in facebook_row
    assert "Toestemmingscategorieën beheren" in text(client.get(f"/toestemming/school/{world.school.pk}/"))


@pytest.mark.parametrize("name", ["teacher", "board"])
def test_other_roles_are_refused(world, client, name):
    as_user(client, world, name)
    urls = [list_url(world), f"{list_url(world)}nieuw/", f"/toestemming/categorie/{world.facebook.pk}/"]
    assert [client.get(url).status_code for url in urls] == [403, 403, 403]
    assert client.post(f"{list_url(world)}nieuw/", form("Instagram")).status_code == 403
    assert client.post(f"/toestemming/categorie/{world.facebook.pk}/", form("Gehackt")).status_code == 403
    for action in ("uitzetten", "verwijderen"):
        assert client.post(f"/toestemming/categorie/{world.website.pk}/{action}/").status_code == 403
    assert "Toestemmingscategorieën beheren" not in text(client.get(f"/toestemming/school/{world.school.pk}/"))
    assert ConsentCategory.objects.filter(school=world.school, active=True).count() == 2
    assert not AuditEvent.objects.exists()


def test_another_schools_categories_are_not_found(world, client, django_user_model):
    from plaatsbaar.web.organisation.models import Role, StaffRole

    manager = django_user_model.objects.create_user("directeur-klimop", password="geheim-wachtwoord-1")
    StaffRole.objects.create(user=manager, board=world.board, school=world.other_school, role=Role.MANAGER)
    client.force_login(manager)
    assert client.get(list_url(world)).status_code == 404
    assert client.get(f"/toestemming/categorie/{world.facebook.pk}/").status_code == 404
    assert client.post(f"/toestemming/categorie/{world.facebook.pk}/", form("Gehackt")).status_code == 404
    assert client.post(f"/toestemming/categorie/{world.website.pk}/verwijderen/").status_code == 404
    assert client.get(list_url(world, world.other_school)).status_code == 200
    assert ConsentCategory.objects.filter(school=world.school).count() == 2


def test_log_in_is_required(world, client):
    response = client.get(list_url(world))
    assert response.status_code == 302 and "/inloggen/" in response["Location"]


# --- adding and editing --------------------------------------------------------------------------


def test_a_new_category_is_asked_in_the_portal_at_once_and_audited(world, client):
    as_user(client, world, "manager")
    response = client.post(f"{list_url(world)}nieuw/", form("Instagram van de school", explanation="Foto's van uitjes.", channel="instagram", order="5"))
    assert response.status_code == 302 and response["Location"] == list_url(world)
    category = ConsentCategory.objects.get(school=world.school, label="Instagram van de school")
    assert (category.code, category.channel, category.order, category.active) == ("instagram-van-de-school", "instagram", 5, True)
    entry = AuditEvent.objects.get(action="category.created")
    assert entry.actor == world.users["manager"] and entry.school_id == world.school.pk and entry.ip == "127.0.0.1"
    assert entry.changes["code"] == "instagram-van-de-school" and entry.changes["channel"] == "instagram"
    portal = text(client.get(f"/portaal/{make_token(world.guardian)}/kind/{world.pupil.pk}/"))
    assert "Instagram van de school" in portal and "Foto&#x27;s van uitjes." in portal


def test_a_code_that_is_taken_or_an_empty_label_is_sent_back_in_dutch(world, client):
    as_user(client, world, "fg")
    taken = client.post(f"{list_url(world)}nieuw/", form("Facebook 2", code="facebook"))
    assert taken.status_code == 200 and "de code &#x27;facebook&#x27; bestaat al" in text(taken)
    empty = client.post(f"{list_url(world)}nieuw/", form("   ", order="-1"))
    assert empty.status_code == 200 and "Dit veld is " in text(empty) and "This field" not in text(empty)
    unknown_channel = client.post(f"{list_url(world)}nieuw/", form("Hyves", channel="hyves"))
    assert unknown_channel.status_code == 200 and "errorlist" in text(unknown_channel)
    assert ConsentCategory.objects.filter(school=world.school).count() == 2 and not AuditEvent.objects.exists()


def test_a_label_made_from_the_same_words_gets_a_free_code(world, client):
    as_user(client, world, "manager")
    client.post(f"{list_url(world)}nieuw/", form("Website"))
    assert ConsentCategory.objects.filter(school=world.school, label="Website").order_by("pk").last().code == "website-2"


def test_editing_changes_label_explanation_channel_and_order_and_is_audited(world, client):
    as_user(client, world, "fg")
    url = f"/toestemming/categorie/{world.website.pk}/"
    assert "Website" in text(client.get(url))
    response = client.post(url, form("Website en app van de school", explanation="Ook in de schoolapp.", channel="website", order="3"))
    assert response.status_code == 302
    world.website.refresh_from_db()
    assert (world.website.label, world.website.explanation, world.website.order, world.website.code) == (
        "Website en app van de school", "Ook in de schoolapp.", 3, "website")
    entry = AuditEvent.objects.get(action="category.updated")
    assert entry.changes["fields"] == ["label", "explanation", "order"] and entry.changes["label"] == "Website en app van de school"
    client.post(url, form("Website en app van de school", explanation="Ook in de schoolapp.", channel="website", order="3"))
    assert AuditEvent.objects.filter(action="category.updated").count() == 1  # nothing changed: nothing audited


def test_a_category_with_answers_keeps_its_channel(world, client):
    record_answer(world.pupil, world.facebook, "photo", True, Answer(guardian=world.guardian))
    as_user(client, world, "manager")
    response = client.post(f"/toestemming/categorie/{world.facebook.pk}/", form("Facebook", channel="instagram"))
    assert response.status_code == 200 and "kan niet naar een ander kanaal" in text(response)
    world.facebook.refresh_from_db()
    assert world.facebook.channel == "facebook"
    assert not registry_for([world.pupil]).allows(str(world.pupil.pk), Channel.INSTAGRAM, MediaKind.PHOTO)
    removed = client.post(f"/toestemming/categorie/{world.facebook.pk}/", form("Facebook", channel=""))
    assert removed.status_code == 302  # taking the channel away is allowed: the answer is no longer used


# --- deactivating and deleting -------------------------------------------------------------------


def test_deactivating_hides_the_category_and_its_answers_no_longer_count(world, client):
    record_answer(world.pupil, world.facebook, "photo", True, Answer(guardian=world.guardian))
    as_user(client, world, "manager")
    response = client.post(f"/toestemming/categorie/{world.facebook.pk}/uitzetten/", follow=True)
    assert "staat uit" in text(response)
    world.facebook.refresh_from_db()
    assert not world.facebook.active and world.facebook.events.count() == 1
    assert AuditEvent.objects.filter(action="category.deactivated", object_id=str(world.facebook.pk)).count() == 1
    assert "Facebook" not in text(client.get(f"/portaal/{make_token(world.guardian)}/kind/{world.pupil.pk}/"))
    assert not registry_for([world.pupil]).allows(str(world.pupil.pk), Channel.FACEBOOK, MediaKind.PHOTO)
    client.post(f"/toestemming/categorie/{world.facebook.pk}/aanzetten/")
    world.facebook.refresh_from_db()
    assert world.facebook.active and AuditEvent.objects.filter(action="category.activated").count() == 1


def test_a_category_with_answers_is_never_deleted(world, client):
    record_answer(world.pupil, world.facebook, "photo", False, Answer(guardian=world.guardian))
    as_user(client, world, "fg")
    response = client.post(f"/toestemming/categorie/{world.facebook.pk}/verwijderen/", follow=True)
    assert "Niet verwijderd" in text(response) and "zet hem uit" in text(response)
    assert ConsentCategory.objects.filter(pk=world.facebook.pk).exists()
    assert not AuditEvent.objects.filter(action="category.deleted").exists()


def test_a_category_without_answers_can_be_deleted_and_it_is_audited(world, client):
    as_user(client, world, "manager")
    assert client.get(f"/toestemming/categorie/{world.website.pk}/verwijderen/").status_code == 405
    response = client.post(f"/toestemming/categorie/{world.website.pk}/verwijderen/")
    assert response.status_code == 302
    assert not ConsentCategory.objects.filter(pk=world.website.pk).exists()
    entry = AuditEvent.objects.get(action="category.deleted")
    assert entry.object_id == str(world.website.pk) and entry.changes["code"] == "website"
    assert "toestemmingscategorie verwijderd" in text(as_user(client, world, "fg").get("/audit/"))
