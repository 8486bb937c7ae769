"""Leftovers of the issue-3 review: pupils who left disappear from the portal, "today" is the
Amsterdam calendar day, every deleted staff role is audited (also when its user is deleted),
and a role's school must belong to the role's board."""

from __future__ import annotations

import os
import time
from datetime import date, datetime, timedelta, timezone as dt_timezone

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from plaatsbaar.web.audit.display import describe_changes
from plaatsbaar.web.audit.models import AuditEvent
from plaatsbaar.web.consent.models import ConsentEvent, Method
from plaatsbaar.web.consent.services import (
    Answer,
    ConsentRefused,
    given_by_guardians_before_16,
    pupils_to_ask_at_16,
    record_answer,
)
from plaatsbaar.web.imports.services import import_file
from plaatsbaar.web.organisation.models import Board, Pupil, Role, School, StaffRole, sixteen_years_before
from plaatsbaar.web.portal.links import make_token
from plaatsbaar.web.portal.services import categories_for, information_version

# --- 1. pupils who left are gone from the portal ---------------------------------------------------


@pytest.fixture
def portal_world(world):
    """The test world with Sem well under 16 and Noor well past 16, whatever today is."""
    today = timezone.localdate()
    Pupil.objects.filter(pk=world.pupil.pk).update(date_of_birth=sixteen_years_before(today) + timedelta(days=2000))
    Pupil.objects.filter(pk=world.older_pupil.pk).update(date_of_birth=sixteen_years_before(today) - timedelta(days=400))
    world.pupil.refresh_from_db()
    world.older_pupil.refresh_from_db()
    return world


def _leave(pupil: Pupil, days_from_today: int) -> None:
    pupil.left_on = timezone.localdate() + timedelta(days=days_from_today)
    pupil.save()


def _answers(pupil: Pupil, given: str = "ja") -> dict:
    categories = categories_for(pupil)
    return {"information_version": information_version(categories), **{f"c{c.pk}-photo": given for c in categories}}


@pytest.mark.parametrize("days_from_today", [0, -30])
def test_a_guardian_no_longer_sees_a_child_who_left(portal_world, client, days_from_today):
    world = portal_world
    _leave(world.pupil, days_from_today)
    page = client.get(f"/portaal/{make_token(world.guardian)}/").content.decode()
    assert world.pupil.first_name not in page and f"/kind/{world.pupil.pk}/" not in page
    assert world.older_pupil.first_name in page  # the child still at school stays


def test_a_child_who_leaves_tomorrow_is_still_shown(portal_world, client):
    _leave(portal_world.pupil, 1)
    page = client.get(f"/portaal/{make_token(portal_world.guardian)}/").content.decode()
    assert portal_world.pupil.first_name in page


def test_links_to_a_child_who_left_answer_404_and_change_nothing(portal_world, client):
    world = portal_world
    _leave(world.pupil, 0)
    base = f"/portaal/{make_token(world.guardian)}/kind/{world.pupil.pk}/"
    assert client.get(base).status_code == 404
    assert client.post(base, _answers(world.pupil)).status_code == 404
    assert client.post(f"{base}intrekken/").status_code == 404
    assert not ConsentEvent.objects.filter(pupil=world.pupil).exists()


def test_a_logged_in_guardian_cannot_reach_a_child_who_left(portal_world, client, django_user_model):
    world = portal_world
    world.second_guardian.user = django_user_model.objects.create_user("mark", password="geheim-wachtwoord-1")
    world.second_guardian.save()
    client.force_login(world.second_guardian.user)
    _leave(world.pupil, -1)
    page = client.get("/portaal/").content.decode()
    assert world.pupil.first_name not in page and "geen kinderen aan u gekoppeld" in page
    assert client.get(f"/portaal/kind/{world.pupil.pk}/").status_code == 404
    assert client.post(f"/portaal/kind/{world.pupil.pk}/intrekken/").status_code == 404


def test_the_own_link_of_a_pupil_of_16_who_left_leads_nowhere(portal_world, client):
    world = portal_world
    token = make_token(world.older_pupil)
    assert client.get(f"/portaal/{token}/kind/{world.older_pupil.pk}/").status_code == 200  # still at school
    _leave(world.older_pupil, 0)
    assert client.get(f"/portaal/{token}/").status_code == 404
    own = f"/portaal/{token}/kind/{world.older_pupil.pk}/"
    assert client.get(own).status_code == 404
    assert client.post(own, _answers(world.older_pupil)).status_code == 404
    assert client.post(f"{own}intrekken/").status_code == 404
    assert not ConsentEvent.objects.filter(pupil=world.older_pupil).exists()


# --- 2. "today" is the day in Amsterdam, not the server's --------------------------------------------

#: POSIX zones (no tz database needed): the process clock at UTC-12 and at UTC+14.
_FAR_WEST, _FAR_EAST = "PBW+12", "PBE-14"


@pytest.fixture
def server_day():
    """Put the process clock (what ``date.today()`` reads) in a zone whose date differs from
    Amsterdam's right now; yields that server date. (UTC-12 runs a day behind Amsterdam before
    noon there, UTC+14 a day ahead after noon: the choice keeps at least an hour's margin.)"""
    original = os.environ.get("TZ")
    os.environ["TZ"] = _FAR_WEST if timezone.localtime().hour < 12 else _FAR_EAST
    time.tzset()
    try:
        day = date.today()
        assert day != timezone.localdate()
        yield day
    finally:
        if original is None:
            del os.environ["TZ"]
        else:
            os.environ["TZ"] = original
        time.tzset()


def _turning_16_between(world, server: date) -> tuple[Pupil, bool]:
    """A pupil whose 16th birthday falls so that the server's day and Amsterdam's day disagree
    about whether they decide themselves; returns the pupil and Amsterdam's verdict."""
    amsterdam = timezone.localdate()
    pupil = world.pupil
    pupil.date_of_birth = sixteen_years_before(max(amsterdam, server))
    pupil.save()
    verdict = pupil.age_on(amsterdam) >= 16
    assert verdict != (pupil.age_on(server) >= 16)
    return pupil, verdict


def test_the_switch_at_16_follows_the_day_in_amsterdam(world, server_day):
    pupil, sixteen = _turning_16_between(world, server_day)
    assert pupil.decides_own_consent() is sixteen
    assert (pupil in pupils_to_ask_at_16(world.school.pk)) is sixteen


def test_recording_consent_uses_the_day_in_amsterdam(world, server_day):
    pupil, sixteen = _turning_16_between(world, server_day)
    answer = Answer(guardian=world.guardian, method=Method.PAPER)
    if sixteen:
        with pytest.raises(ConsentRefused):
            record_answer(pupil, world.facebook, "photo", True, answer, actor="administratie")
    else:
        assert record_answer(pupil, world.facebook, "photo", True, answer, actor="administratie").answer is True


def test_an_explicit_today_still_wins(world, server_day):
    pupil, sixteen = _turning_16_between(world, server_day)
    assert pupil.decides_own_consent(server_day) is not sixteen
    answer = Answer(guardian=world.guardian, method=Method.PAPER)
    if sixteen:  # the server's day is before the birthday: a guardian may still answer then
        assert record_answer(pupil, world.facebook, "photo", True, answer, today=server_day).answer is True
    else:
        with pytest.raises(ConsentRefused):
            record_answer(pupil, world.facebook, "photo", True, answer, today=server_day)


def test_the_import_checks_birth_dates_against_the_day_in_amsterdam(world, server_day):
    born = max(timezone.localdate(), server_day)
    header = "Leerlingnummer;Roepnaam;Tussenvoegsel;Achternaam;Geboortedatum;Groep"
    data = f"{header}\n9001;Tijn;;Nieuw;{born:%d-%m-%Y};5\n".encode()
    summary = import_file(data, school=world.school, source="parnassys", school_year="2026-2027", dry_run=True)
    in_the_future = born > timezone.localdate()
    assert bool(summary.refused) is in_the_future


def test_an_answer_given_just_after_midnight_in_amsterdam_counts_on_that_day(world):
    world.pupil.date_of_birth = date(2010, 11, 21)  # turns 16 on 21 November 2026
    birthday_start = datetime(2026, 11, 20, 23, 30, tzinfo=dt_timezone.utc)  # 00:30 on 21 November in Amsterdam
    event = ConsentEvent(pupil=world.pupil, category=world.facebook, media_kind="photo", answer=True,
                         given_by_guardian=world.guardian, at=birthday_start)
    assert not given_by_guardians_before_16(event)
    event.at = birthday_start - timedelta(hours=1)  # 23:30 on 20 November in Amsterdam
    assert given_by_guardians_before_16(event)


# --- 3. every deleted staff role is audited ----------------------------------------------------------


@pytest.fixture
def admin_client(client, django_user_model):
    client.force_login(django_user_model.objects.create_superuser("beheerder", "beheer@example.org", "geheim-wachtwoord-1"))
    return client


def _role_deletions() -> list[AuditEvent]:
    return list(AuditEvent.objects.filter(action="role.deleted").order_by("id"))


def _no_names(entry: AuditEvent, *names: str) -> None:
    text = f"{entry.changes} {entry.object_id}"
    for name in names:
        assert name not in text


def test_deleting_a_user_in_the_admin_audits_each_of_their_roles(world, admin_client):
    teacher = world.users["teacher"]
    extra = StaffRole.objects.create(user=teacher, board=world.board, school=world.other_school, role=Role.STAFF)
    roles = sorted(StaffRole.objects.filter(user=teacher).values_list("pk", flat=True))
    response = admin_client.post(f"/beheer/auth/user/{teacher.pk}/delete/", {"post": "yes"})
    assert response.status_code == 302 and not StaffRole.objects.filter(pk__in=roles).exists()
    entries = _role_deletions()
    assert sorted(int(e.object_id) for e in entries) == roles
    by_id = {int(e.object_id): e for e in entries}
    assert by_id[extra.pk].school_id == world.other_school.pk and by_id[extra.pk].board_id == world.board.pk
    for entry in entries:
        assert entry.actor.username == "beheerder" and entry.ip == "127.0.0.1"
        assert entry.changes["user"] == teacher.pk and entry.changes["role"] == Role.STAFF
        _no_names(entry, "juf")


def test_an_administrator_deleting_their_own_account_is_named_in_the_entry(world, admin_client, django_user_model):
    admin_user = django_user_model.objects.get(username="beheerder")
    role = StaffRole.objects.create(user=admin_user, board=world.board, school=world.school, role=Role.MANAGER)
    response = admin_client.post(f"/beheer/auth/user/{admin_user.pk}/delete/", {"post": "yes"})
    assert response.status_code == 302 and not django_user_model.objects.filter(pk=admin_user.pk).exists()
    (entry,) = _role_deletions()
    assert entry.object_id == str(role.pk) and entry.actor is None and entry.actor_label == "beheerder"


def test_deleting_a_user_elsewhere_audits_their_roles_as_the_system(world):
    manager = world.users["manager"]
    role = StaffRole.objects.get(user=manager)
    manager.delete()
    (entry,) = _role_deletions()
    assert entry.object_id == str(role.pk) and entry.actor is None and entry.actor_label == "systeem"
    assert (entry.school_id, entry.board_id) == (world.school.pk, world.board.pk)
    assert "oorzaak: account verwijderd" in describe_changes(entry.changes)  # as the privacy officer reads it
    _no_names(entry, "directeur")


def test_a_role_deleted_in_the_admin_is_audited_once(world, admin_client):
    role = StaffRole.objects.get(user=world.users["fg"])
    response = admin_client.post(f"/beheer/organisation/staffrole/{role.pk}/delete/", {"post": "yes"})
    assert response.status_code == 302 and not StaffRole.objects.filter(pk=role.pk).exists()
    (entry,) = _role_deletions()
    assert entry.object_id == str(role.pk) and entry.actor.username == "beheerder" and entry.changes["via"] == "beheer"


def test_roles_deleted_in_bulk_in_the_admin_are_audited_once_each(world, admin_client):
    roles = sorted(StaffRole.objects.filter(school=world.school).values_list("pk", flat=True))
    data = {"action": "delete_selected", "_selected_action": roles, "post": "yes"}
    response = admin_client.post("/beheer/organisation/staffrole/", data)
    assert response.status_code == 302 and not StaffRole.objects.filter(pk__in=roles).exists()
    assert sorted(int(e.object_id) for e in _role_deletions()) == roles


# --- 4. a role's school belongs to the role's board ---------------------------------------------------


@pytest.fixture
def foreign_school(db):
    return School.objects.create(board=Board.objects.create(name="Stichting Elders"), name="De Overkant")


def test_a_role_at_a_school_of_another_board_is_refused_in_the_admin(world, admin_client, foreign_school, django_user_model):
    user = django_user_model.objects.create_user("invaller", password="geheim-wachtwoord-1")
    data = {"user": user.pk, "board": world.board.pk, "school": foreign_school.pk, "role": Role.STAFF, "function": ""}
    response = admin_client.post("/beheer/organisation/staffrole/add/", data)
    assert response.status_code == 200
    assert "De school hoort niet bij het gekozen bestuur" in response.content.decode()
    assert not StaffRole.objects.filter(user=user).exists()
    assert not AuditEvent.objects.filter(action="role.created").exists()


def test_a_role_moved_to_a_school_of_another_board_is_refused(world, foreign_school):
    role = StaffRole.objects.get(user=world.users["teacher"])
    role.school = foreign_school
    with pytest.raises(ValidationError) as refused:
        role.full_clean()
    assert "school" in refused.value.message_dict
    role.school = world.other_school  # same board: fine
    role.full_clean()
