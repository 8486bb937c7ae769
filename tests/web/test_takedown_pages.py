"""The takedown pages per role: who sees which open takedowns and their age, and who may close them."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from plaatsbaar.web.audit.models import AuditEvent
from plaatsbaar.web.publication.models import PublicationStatus
from plaatsbaar.web.takedown.models import Takedown, TakedownStatus
from plaatsbaar.web.takedown.services import TakedownRefused, close, open_count
from tests.web.test_takedown_opening import answer, consent_everywhere, published


@pytest.fixture
def register(newsroom):
    """Three open takedowns for Sem: two on the teacher's Facebook posts, one on communication's website post."""
    world = newsroom.world
    consent_everywhere(world, world.pupil)
    teachers = [published(world.school, newsroom.teacher, "facebook", [world.pupil]) for _ in range(2)]
    communications = published(world.school, newsroom.communication, "website", [world.pupil])
    answer(world, world.pupil, world.facebook, False)
    answer(world, world.pupil, world.website, False)
    return {p.pk: Takedown.objects.get(publication=p) for p in [*teachers, communications]}


def _age(takedown: Takedown, days: int) -> None:
    Takedown.objects.filter(pk=takedown.pk).update(opened_at=timezone.now() - timedelta(days=days))


def _listed(client) -> list[int]:
    response = client.get("/verwijderen/")
    assert response.status_code == 200
    return [row.takedown.pk for row in response.context["rows"]]


# --- seeing ------------------------------------------------------------------------------------


def test_the_publisher_sees_only_their_own_takedowns(newsroom, register, client):
    teachers, communications = list(register.values())[:2], list(register.values())[2]
    client.force_login(newsroom.teacher)
    assert sorted(_listed(client)) == sorted(t.pk for t in teachers)
    assert client.get(f"/verwijderen/{teachers[0].pk}/").status_code == 200
    assert client.get(f"/verwijderen/{communications.pk}/").status_code == 403


def test_the_author_of_a_draft_published_by_someone_else_sees_and_closes_its_takedown(newsroom, client):
    world = newsroom.world
    consent_everywhere(world, world.pupil)
    publication = published(world.school, newsroom.teacher, "facebook", [world.pupil], publisher=newsroom.manager)
    answer(world, world.pupil, world.facebook, False)
    takedown = publication.takedowns.get()
    client.force_login(newsroom.teacher)
    assert _listed(client) == [takedown.pk]
    client.post(f"/verwijderen/{takedown.pk}/verwijderd/")
    takedown.refresh_from_db()
    assert (takedown.status, takedown.closed_by) == (TakedownStatus.REMOVED, newsroom.teacher)


@pytest.mark.parametrize("role", ["communication", "manager", "fg"])
def test_communication_manager_and_fg_see_all_of_the_school(newsroom, register, client, role):
    client.force_login(getattr(newsroom, role))
    assert sorted(_listed(client)) == sorted(t.pk for t in register.values())


def test_staff_of_another_school_see_nothing_and_get_not_found(newsroom, register, client):
    takedown = next(iter(register.values()))
    client.force_login(newsroom.world.users["other_teacher"])
    assert _listed(client) == []
    assert client.get(f"/verwijderen/{takedown.pk}/").status_code == 404
    assert client.post(f"/verwijderen/{takedown.pk}/verwijderd/").status_code == 404
    assert Takedown.objects.get(pk=takedown.pk).status == TakedownStatus.OPEN


def test_the_board_does_not_see_the_register(newsroom, register, client):
    client.force_login(newsroom.world.users["board"])
    assert _listed(client) == []
    assert client.get(f"/verwijderen/{next(iter(register.values())).pk}/").status_code == 403


def test_anonymous_visitors_are_sent_to_log_in(register, client):
    response = client.get("/verwijderen/")
    assert response.status_code == 302 and response["Location"].startswith("/inloggen/")


def test_fg_sees_all_open_takedowns_oldest_first_with_their_age(newsroom, register, client):
    recent, oldest, middle = register.values()
    _age(oldest, 12)
    _age(middle, 3)
    client.force_login(newsroom.fg)
    response = client.get("/verwijderen/")
    rows = response.context["rows"]
    assert [(r.takedown.pk, r.age, r.overdue) for r in rows] == [(oldest.pk, 12, True), (middle.pk, 3, False), (recent.pk, 0, False)]
    (summary,) = response.context["summaries"]
    assert (summary.school, summary.open, summary.overdue, summary.oldest) == (newsroom.world.school, 3, 1, 12)
    page = response.content.decode()
    assert "waarvan <strong class=\"te-oud\">1</strong> ouder dan 7 dagen" in page
    assert page.index(f"Publicatie {oldest.publication_id}<") < page.index(f"Publicatie {middle.publication_id}<") < page.index(f"Publicatie {recent.publication_id}<")


def test_closed_takedowns_leave_the_list_but_stay_readable(newsroom, register, client):
    takedown = next(iter(register.values()))
    close(takedown, newsroom.communication, TakedownStatus.REMOVED)
    client.force_login(newsroom.fg)
    assert takedown.pk not in _listed(client)
    page = client.get(f"/verwijderen/{takedown.pk}/").content.decode()
    assert "verwijderd" in page and "Afhandelen" not in page


def test_the_detail_page_offers_closing_only_to_those_allowed(newsroom, register, client):
    takedown = next(iter(register.values()))
    for user, offered in ((newsroom.teacher, True), (newsroom.communication, True), (newsroom.manager, True), (newsroom.fg, False)):
        client.force_login(user)
        page = client.get(f"/verwijderen/{takedown.pk}/").content.decode()
        assert ("Afhandelen" in page) is offered
        assert f"Publicatie {takedown.publication_id} op Facebook" in page


# --- closing -----------------------------------------------------------------------------------


def test_the_publisher_marks_the_item_removed_and_it_is_audited(newsroom, register, client):
    takedown = next(iter(register.values()))
    client.force_login(newsroom.teacher)
    response = client.post(f"/verwijderen/{takedown.pk}/verwijderd/")
    assert response.status_code == 302 and response["Location"] == f"/verwijderen/{takedown.pk}/"
    takedown.refresh_from_db()
    assert (takedown.status, takedown.closed_by, takedown.republication) == (TakedownStatus.REMOVED, newsroom.teacher, None)
    assert takedown.publication.status == PublicationStatus.REMOVED
    entry = AuditEvent.objects.get(action="takedown.removed")
    assert (entry.actor, entry.object_id, entry.ip) == (newsroom.teacher, str(takedown.pk), "127.0.0.1")
    assert entry.changes["publication"] == takedown.publication_id
    assert takedown.pk not in _listed(client)


def test_removing_a_publication_closes_the_takedowns_of_every_pupil_in_it(newsroom, client):
    world = newsroom.world
    consent_everywhere(world, world.pupil)
    publication = published(world.school, newsroom.teacher, "facebook", [world.pupil, newsroom.pupil7])
    answer(world, world.pupil, world.facebook, False)
    newsroom.pupil7.left_on = timezone.localdate()
    newsroom.pupil7.save()
    first, second = publication.takedowns.all()
    client.force_login(newsroom.communication)
    client.post(f"/verwijderen/{first.pk}/verwijderd/")
    assert set(publication.takedowns.values_list("status", flat=True)) == {TakedownStatus.REMOVED}
    assert AuditEvent.objects.filter(action="takedown.removed").count() == 2


def test_a_closed_takedown_cannot_be_closed_again(newsroom, register, client):
    takedown = next(iter(register.values()))
    client.force_login(newsroom.manager)
    client.post(f"/verwijderen/{takedown.pk}/verwijderd/")
    response = client.post(f"/verwijderen/{takedown.pk}/verwijderd/", follow=True)
    assert "al afgehandeld" in response.content.decode()
    assert AuditEvent.objects.filter(action="takedown.removed").count() == 1


def test_fg_and_other_teachers_may_not_close(newsroom, register, client, django_user_model):
    theirs = list(register.values())[2]  # published by communication
    for user in (newsroom.fg, newsroom.teacher):
        client.force_login(user)
        assert client.post(f"/verwijderen/{theirs.pk}/verwijderd/").status_code == 403
        assert client.post(f"/verwijderen/{theirs.pk}/opnieuw-plaatsen/").status_code == 403
    assert Takedown.objects.get(pk=theirs.pk).status == TakedownStatus.OPEN
    assert not AuditEvent.objects.filter(action__startswith="takedown.r").exists()


def test_closing_needs_post(newsroom, register, client):
    takedown = next(iter(register.values()))
    client.force_login(newsroom.manager)
    assert client.get(f"/verwijderen/{takedown.pk}/verwijderd/").status_code == 405
    assert client.get(f"/verwijderen/{takedown.pk}/opnieuw-plaatsen/").status_code == 405


def test_close_refuses_wrong_steps(newsroom, register):
    takedown = next(iter(register.values()))
    with pytest.raises(TakedownRefused):
        close(takedown, newsroom.manager, TakedownStatus.OPEN)
    with pytest.raises(TakedownRefused):
        close(takedown, newsroom.manager, TakedownStatus.REPUBLISHED)  # without the new publication
    close(takedown, newsroom.manager, TakedownStatus.REMOVED)
    with pytest.raises(TakedownRefused):
        close(takedown, newsroom.manager, TakedownStatus.REMOVED)


def test_open_count_follows_what_the_user_may_see(newsroom, register):
    assert (open_count(newsroom.teacher), open_count(newsroom.fg), open_count(newsroom.world.users["other_teacher"])) == (2, 3, 0)
