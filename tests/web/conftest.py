"""A small board for the web tests: two schools, pupils (one turning 16), guardians, staff."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import pytest

from plaatsbaar.web.consent.models import ConsentCategory
from plaatsbaar.web.organisation.models import Board, Group, Guardian, Guardianship, Pupil, Role, School, StaffRole

TODAY = date(2026, 11, 21)


@dataclass
class World:
    board: Board
    school: School
    other_school: School
    group: Group
    pupil: Pupil
    older_pupil: Pupil
    other_pupil: Pupil
    guardian: Guardian
    second_guardian: Guardian
    facebook: ConsentCategory
    website: ConsentCategory
    users: dict


def _user(django_user_model, name, board, school, role):
    user = django_user_model.objects.create_user(username=name, password="geheim-wachtwoord-1")
    StaffRole.objects.create(user=user, board=board, school=school, role=role)
    return user


@pytest.fixture(autouse=True)
def fast_password_hashing(settings):
    """Tests log in many users; a cheap hasher keeps them quick (production keeps Django's default)."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def world(db, django_user_model) -> World:
    board = Board.objects.create(name="Stichting Test")
    school = School.objects.create(board=board, name="De Wilgenhoek")
    other = School.objects.create(board=board, name="De Klimop")
    group = Group.objects.create(school=school, name="groep 5", school_year="2026-2027")
    pupil = Pupil.objects.create(school=school, group=group, external_id="1001", first_name="Sem", last_name="de Vries", date_of_birth=date(2018, 3, 4))
    older = Pupil.objects.create(school=school, group=group, external_id="1002", first_name="Noor", last_name="Bakker", date_of_birth=date(2010, 11, 21))
    other_pupil = Pupil.objects.create(school=other, external_id="2001", first_name="Daan", last_name="Smit", date_of_birth=date(2017, 1, 1))
    guardian = Guardian.objects.create(board=board, first_name="Anne", last_name="de Vries", email="anne@example.org")
    second = Guardian.objects.create(board=board, first_name="Mark", last_name="de Vries", email="mark@example.org")
    for g, p in ((guardian, pupil), (second, pupil), (guardian, older)):
        Guardianship.objects.create(guardian=g, pupil=p)
    facebook = ConsentCategory.objects.create(school=school, code="facebook", label="Facebook", channel="facebook")
    website = ConsentCategory.objects.create(school=school, code="website", label="Website", channel="website")
    users = {
        "teacher": _user(django_user_model, "juf", board, school, Role.STAFF),
        "manager": _user(django_user_model, "directeur", board, school, Role.MANAGER),
        "fg": _user(django_user_model, "fg", board, school, Role.PRIVACY_OFFICER),
        "other_teacher": _user(django_user_model, "meester-klimop", board, other, Role.STAFF),
        "board": _user(django_user_model, "bestuur", board, None, Role.BOARD),
    }
    return World(board, school, other, group, pupil, older, other_pupil, guardian, second, facebook, website, users)


@dataclass
class Newsroom:
    """The ``world`` with what issue 4 needs: a teacher who teaches groep 5, communication staff,
    a second leidinggevende, and a second class (groep 7) with a pupil the teacher does not teach."""

    world: World
    teacher: object
    manager: object
    second_manager: object
    communication: object
    fg: object
    group7: Group
    pupil7: Pupil


@pytest.fixture
def newsroom(world, django_user_model) -> Newsroom:
    teacher = world.users["teacher"]
    teacher.email = "juf@wilgenhoek.example"
    teacher.save()
    StaffRole.objects.get(user=teacher, school=world.school).groups.add(world.group)
    manager = world.users["manager"]
    manager.email = "directeur@wilgenhoek.example"
    manager.save()
    second = _user(django_user_model, "adjunct", world.board, world.school, Role.MANAGER)
    second.email = "adjunct@wilgenhoek.example"
    second.save()
    communication = _user(django_user_model, "communicatie", world.board, world.school, Role.COMMUNICATION)
    communication.email = "communicatie@wilgenhoek.example"
    communication.save()
    group7 = Group.objects.create(school=world.school, name="groep 7", school_year="2026-2027")
    pupil7 = Pupil.objects.create(school=world.school, group=group7, external_id="1007", first_name="Lotte",
                                  last_name="Jansen", date_of_birth=date(2016, 5, 6))
    return Newsroom(world, teacher, manager, second, communication, world.users["fg"], group7, pupil7)
