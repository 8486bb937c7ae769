"""A realistic demo board: two schools, classes, 60 pupils with guardians,
staff in every role and consent in every state, the schools' channels (Facebook
always with four eyes) and who uses the class group app. Invented people only."""

from __future__ import annotations

import random
import secrets
from dataclasses import dataclass
from datetime import date, timedelta

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone

from plaatsbaar.web.consent.models import ConsentCategory, Method
from plaatsbaar.web.consent.services import Answer, record_answer
from plaatsbaar.web.organisation.models import Board, Group, Guardian, Guardianship, ProtocolVersion, Pupil, Role, School, StaffRole
from plaatsbaar.web.publication.models import GroupAppMember, SchoolChannel

BOARD_NAME = "Stichting Demo Onderwijs"
FIRST_NAMES = ["Sem", "Noor", "Daan", "Emma", "Liam", "Julia", "Finn", "Tess", "Milan", "Sara", "Luuk", "Zoë", "Bram", "Lotte", "Noah", "Fenna", "Jesse", "Evi", "Mohammed", "Yara", "Thijs", "Lina", "Ruben", "Isa", "Sven", "Nora", "Gijs", "Saar", "Adam", "Fleur"]
LAST_NAMES = ["de Vries", "Jansen", "Bakker", "Visser", "Smit", "Meijer", "de Boer", "Mulder", "de Groot", "Bos", "Vos", "Peters", "Hendriks", "van Dijk", "Dekker", "Yilmaz", "El Amrani", "Kok", "Jacobs", "van der Linden"]
PARENT_NAMES = ["Anne", "Mark", "Fatima", "Peter", "Ingrid", "Youssef", "Linda", "Erik", "Marloes", "Hasan"]
CATEGORIES = [
    ("website", "Website van de school", "website"),
    ("nieuwsbrief", "Nieuwsbrief", "newsletter"),
    ("schoolgids", "Schoolgids", ""),
    ("facebook", "Facebookpagina van de school", "facebook"),
    ("instagram", "Instagram van de school", "instagram"),
    ("groepsapp", "Klassenapp (Parro)", "group_app"),
    ("pers", "Pers (krant, lokale omroep)", ""),
]
STAFF = [
    ("leerkracht", Role.STAFF, "leerkracht"),
    ("directeur", Role.MANAGER, "directeur"),
    ("communicatie", Role.COMMUNICATION, "communicatiemedewerker"),
    ("fg", Role.PRIVACY_OFFICER, "functionaris gegevensbescherming"),
]


#: (channel, label, always four eyes) per school; the group app is the teachers' own channel.
CHANNELS_OF_SCHOOL = [
    ("website", "Website", False),
    ("facebook", "Facebookpagina", True),
    ("instagram", "Instagram", False),
    ("newsletter", "Nieuwsbrief", False),
]


@dataclass
class DemoLogin:
    """A log-in the demo prints: username, password, what the account is."""

    username: str
    password: str
    description: str


def _user(username: str, password: str, email: str):
    user = get_user_model().objects.create_user(username=username, password=password, email=email)
    return user


def _school(board: Board, name: str, protocol_id: str, school_year: str, groups: list[str], ages: range, rng: random.Random):
    school = School.objects.create(board=board, name=name)
    ProtocolVersion.objects.create(school=school, builtin_id=protocol_id, active=True, note="demo")
    categories = [ConsentCategory.objects.create(school=school, code=c, label=l, channel=ch, order=i) for i, (c, l, ch) in enumerate(CATEGORIES)]
    made = [Group.objects.create(school=school, name=g, school_year=school_year) for g in groups]
    return school, categories, made


def _pupils(school: School, groups: list[Group], count: int, ages: range, rng: random.Random, today: date) -> list[Pupil]:
    pupils = []
    for n in range(count):
        age = rng.choice(list(ages))
        born = today - timedelta(days=365 * age + rng.randint(0, 364))
        pupils.append(Pupil.objects.create(
            school=school, group=groups[n % len(groups)], external_id=f"{school.pk}-{1000 + n}",
            first_name=FIRST_NAMES[n % len(FIRST_NAMES)], last_name=rng.choice(LAST_NAMES), date_of_birth=born,
        ))
    return pupils


def _guardians(board: Board, pupils: list[Pupil], rng: random.Random) -> None:
    for pupil in pupils:
        for _ in range(rng.choice([1, 2, 2])):
            first = rng.choice(PARENT_NAMES)
            guardian = Guardian.objects.create(board=board, first_name=first, last_name=pupil.last_name, email=f"{first.lower()}.{pupil.pk}@example.org")
            Guardianship.objects.create(guardian=guardian, pupil=pupil)


def _consent(pupils: list[Pupil], categories: list[ConsentCategory], rng: random.Random, today: date) -> None:
    """Every state: yes, no, no answer, withdrawn, and 16+ pupils who answered themselves."""
    for n, pupil in enumerate(pupils):
        state = n % 5
        if state == 0:
            continue  # no answer: no consent
        guardian = pupil.guardians.first()
        by_pupil = pupil.decides_own_consent(today)
        answer = Answer(guardian=None if by_pupil else guardian, by_pupil=by_pupil, method=Method.PAPER if n % 2 else Method.PORTAL)
        for category in categories:
            for kind in ("photo", "video"):
                given = state in (1, 3) or (state == 2 and category.code in ("website", "nieuwsbrief", "schoolgids"))
                record_answer(pupil, category, kind, given, answer, actor="demo", today=today)
        if state == 3:  # withdrawn later
            record_answer(pupil, categories[3], "photo", False, answer, actor="demo", today=today)


def _channels(school: School, groups: list[Group], rng: random.Random) -> None:
    """The school's channels, and for each class which guardians use its group app (about four in five)."""
    for channel, label, four_eyes in CHANNELS_OF_SCHOOL:
        SchoolChannel.objects.create(school=school, channel=channel, label=f"{label} {school.name}",
                                     always_four_eyes=four_eyes)
    for group in groups:
        guardians = Guardian.objects.filter(pupils__group=group).distinct().order_by("pk")
        GroupAppMember.objects.bulk_create(
            GroupAppMember(group=group, guardian=guardian, uses_app=rng.random() < 0.8) for guardian in guardians
        )


@transaction.atomic
def create_demo(today: date | None = None, seed: int = 7) -> list[DemoLogin]:
    """Fill an empty database with the demo board; returns the log-ins to print.

    Raises ``ValueError`` when the demo board exists already.
    """
    if Board.objects.filter(name=BOARD_NAME).exists():
        raise ValueError(f"de demo staat al in de database ('{BOARD_NAME}')")
    today = today or timezone.localdate()
    rng = random.Random(seed)
    year = f"{today.year}-{today.year + 1}" if today.month >= 8 else f"{today.year - 1}-{today.year}"
    board = Board.objects.create(name=BOARD_NAME)
    primary, primary_categories, primary_groups = _school(board, "Basisschool De Wilgenhoek", "lucas-onderwijs", year, ["groep 3", "groep 5", "groep 7"], range(6, 12), rng)
    college, college_categories, college_groups = _school(board, "Vakcollege De Kop", "roc-kop-van-noord-holland", year, ["Zorg 1A", "Techniek 2B"], range(15, 19), rng)
    logins = []
    for school, pupils_count, ages, groups, categories in (
        (primary, 36, range(6, 12), primary_groups, primary_categories),
        (college, 24, range(15, 19), college_groups, college_categories),
    ):
        pupils = _pupils(school, groups, pupils_count, ages, rng, today)
        _guardians(board, pupils, rng)
        _consent(pupils, categories, rng, today)
        _channels(school, groups, rng)
        prefix = "wilgenhoek" if school == primary else "dekop"
        for name, role, function in STAFF:
            password = secrets.token_urlsafe(9)
            user = _user(f"{prefix}-{name}", password, f"{prefix}-{name}@example.org")
            staff_role = StaffRole.objects.create(user=user, board=board, school=school, role=role, function=function)
            if role == Role.STAFF:
                staff_role.groups.set(groups[:1])
            logins.append(DemoLogin(user.username, password, f"{role.label}, {school.name}"))
    password = secrets.token_urlsafe(9)
    bestuur = _user("bestuur", password, "bestuur@example.org")
    StaffRole.objects.create(user=bestuur, board=board, role=Role.BOARD, function="bestuurder")
    logins.append(DemoLogin("bestuur", password, "Bestuur, alle scholen"))
    return logins
