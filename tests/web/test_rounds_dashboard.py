"""The round's dashboard: counts per class, names per class, who may see them."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

import pytest
from django.utils import timezone

from plaatsbaar.web.consent.models import ConsentCategory
from plaatsbaar.web.consent.services import Answer, record_answer
from plaatsbaar.web.organisation.models import Group, Guardian, Guardianship, Pupil
from plaatsbaar.web.rounds.dashboard import class_detail, class_summaries, totals
from plaatsbaar.web.rounds.models import ConsentRound
from plaatsbaar.web.rounds.services import open_round


@dataclass
class Scene:
    round: ConsentRound
    group6: Group
    kids: list[Pupil]


def _kid(world, group, n, last_name, **kwargs) -> tuple[Pupil, Answer]:
    pupil = Pupil.objects.create(school=world.school, group=group, external_id=f"6{n}", first_name=f"Kind{n}", last_name=last_name, date_of_birth=date(2017, 5, n + 1), **kwargs)
    parent = Guardian.objects.create(board=world.board, first_name="Ouder", last_name=last_name, email=f"ouder{n}@example.org")
    Guardianship.objects.create(guardian=parent, pupil=pupil)
    return pupil, Answer(guardian=parent)


@pytest.fixture
def scene(world) -> Scene:
    """groep 5: Sem (yes and no), Noor (16, yes herself); groep 6: an old answer only, yes then no then yes,
    nothing, a "no" on an inactive category; one pupil without a class; one who left."""
    group6 = Group.objects.create(school=world.school, name="groep 6", school_year="2026-2027")
    old_answer, old = _kid(world, group6, 1, "Jacobs")
    changed, changed_answer = _kid(world, group6, 2, "Kok")
    silent, _ = _kid(world, group6, 3, "Mulder")
    inactive_no, inactive_answer = _kid(world, group6, 4, "Peters")
    loose, _ = _kid(world, None, 5, "Vos")
    _kid(world, group6, 6, "Weg", left_on=date(2026, 9, 1))
    pers = ConsentCategory.objects.create(school=world.school, code="pers", label="Pers", active=True)
    record_answer(old_answer, world.facebook, "photo", False, old)  # before the round: does not count
    consent_round = open_round(world.school, school_year="2026-2027", deadline=timezone.localdate() + timedelta(days=14), form_version="1", information_version="1")
    record_answer(world.pupil, world.facebook, "photo", True, Answer(guardian=world.guardian))
    record_answer(world.pupil, world.website, "photo", False, Answer(guardian=world.second_guardian))
    record_answer(world.older_pupil, world.facebook, "photo", True, Answer(by_pupil=True))
    for given in (True, False, True):
        record_answer(changed, world.facebook, "video", given, changed_answer)
    record_answer(inactive_no, pers, "photo", False, inactive_answer)
    ConsentCategory.objects.filter(pk=pers.pk).update(active=False)
    return Scene(consent_round, group6, [old_answer, changed, silent, inactive_no, loose])


def _counts(summaries) -> dict[str, tuple[int, int, int, int]]:
    return {s.group_name: (s.pupils, s.answered, s.not_answered, s.said_no) for s in summaries}


def test_counts_per_class(world, scene):
    counts = _counts(class_summaries([scene.round]))
    assert counts == {"groep 5": (2, 2, 0, 1), "groep 6": (4, 2, 2, 0), "zonder groep": (1, 0, 1, 0)}


def test_names_per_class_agree_with_the_counts(world, scene):
    detail = class_detail(scene.round, scene.group6)
    assert [s.pupil.last_name for s in detail] == ["Jacobs", "Kok", "Mulder", "Peters"]  # who left is not listed
    assert [s.answered for s in detail] == [False, True, False, True]
    assert all(s.refused == [] for s in detail)
    [sem, noor] = sorted(class_detail(scene.round, world.group), key=lambda s: s.pupil.first_name, reverse=True)
    assert sem.refused == ["Website (foto)"] and noor.answered and noor.refused == []


def test_one_query_set_for_several_schools(world, scene, django_assert_max_num_queries):
    other = open_round(world.other_school, school_year="2026-2027", deadline=timezone.localdate() + timedelta(days=14), form_version="1", information_version="1")
    with django_assert_max_num_queries(2):
        summaries = class_summaries([scene.round, other])
    assert totals([s for s in summaries if s.round_id == other.pk]) == {"pupils": 1, "answered": 0, "not_answered": 1, "said_no": 0}
    assert totals([s for s in summaries if s.round_id == scene.round.pk])["pupils"] == 7


def test_two_rounds_of_one_school_are_refused(world, scene):
    with pytest.raises(ValueError, match="één ronde per school"):
        class_summaries([scene.round, scene.round])


@pytest.mark.parametrize("who", ["teacher", "manager", "fg", "board"])
def test_every_staff_role_of_the_school_sees_the_dashboard_and_names(world, scene, client, who):
    client.force_login(world.users[who])
    page = client.get(f"/ronde/{scene.round.pk}/").content.decode()
    assert "groep 6" in page and "zonder groep" in page
    names = client.get(f"/ronde/{scene.round.pk}/groep/{scene.group6.pk}/").content.decode()
    assert "Nog niet beantwoord (2)" in names and "Kind1 Jacobs" in names and "Kind3 Mulder" in names
    section = client.get(f"/ronde/{scene.round.pk}/groep/{world.group.pk}/").content.decode()
    assert "Nee gezegd op iets (1)" in section and "Website (foto)" in section
    assert "Kind5 Vos" in client.get(f"/ronde/{scene.round.pk}/zonder-groep/").content.decode()


def test_the_overview_shows_progress_of_visible_schools_only(world, scene, client):
    client.force_login(world.users["teacher"])
    page = client.get("/ronde/").content.decode()
    assert "De Wilgenhoek" in page and "4 van 7" in page and "De Klimop" not in page
    assert "Nieuwe ronde openen" not in page
    client.force_login(world.users["manager"])
    assert "Nieuwe ronde openen" in client.get("/ronde/").content.decode()


def test_staff_of_another_school_sees_nothing(world, scene, client):
    client.force_login(world.users["other_teacher"])
    assert client.get(f"/ronde/{scene.round.pk}/").status_code == 404
    assert client.get(f"/ronde/{scene.round.pk}/groep/{scene.group6.pk}/").status_code == 404
    assert client.get(f"/ronde/{scene.round.pk}/zonder-groep/").status_code == 404


def test_a_class_of_another_school_is_not_found_within_a_round(world, scene, client):
    foreign = Group.objects.create(school=world.other_school, name="groep 1", school_year="2026-2027")
    client.force_login(world.users["manager"])
    assert client.get(f"/ronde/{scene.round.pk}/groep/{foreign.pk}/").status_code == 404


def test_anonymous_visitors_are_sent_to_log_in(scene, client):
    response = client.get(f"/ronde/{scene.round.pk}/")
    assert response.status_code == 302 and "/inloggen/" in response["Location"]
