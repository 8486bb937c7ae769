"""Consent look-up and the consent-round dashboard on SQLite, for a large board.

Goals (issue 3): looking up consent for a class of 30 pupils on one channel
(``consent.services.registry_for`` + ``allows``) under 50 ms; the consent
dashboard for a board of 25 000 pupils under 500 ms.

Builds a throw-away SQLite database in a temporary directory (never the
configured one): 25 schools of 1 000 pupils in classes of 30, a guardian per
pupil, seven consent categories per school, answers from last year and from
the current round in every state (about 300 000 consent events). The events
are inserted directly with SQL (with last year's and this round's
timestamps): this is a benchmark fixture, not the way consent is recorded
(that is ``record_answer``). Prints median wall times.

    python benchmarks/bench_consent.py [--schools 25] [--pupils 1000] [--repeat 7] [--proposed-index]

``--proposed-index`` first adds the index on consent events by (pupil, at,
answer) that the dashboard's subqueries use (proposed for consent.models;
a no-op once the model has it).
"""

from __future__ import annotations

import argparse
import os
import statistics
import tempfile
import time
from datetime import date, datetime, timedelta


def setup_django(data_dir: str) -> None:
    """Development settings on a fresh SQLite file in ``data_dir``, migrated."""
    os.environ.pop("DATABASE_URL", None)
    os.environ.update(PLAATSBAAR_DEV="1", PLAATSBAAR_DATA_DIR=data_dir, DJANGO_SETTINGS_MODULE="plaatsbaar.web.settings_dev")
    import django
    from django.core.management import call_command

    django.setup()
    call_command("migrate", verbosity=0)


CATEGORIES = [("website", "website"), ("nieuwsbrief", "newsletter"), ("schoolgids", ""), ("facebook", "facebook"), ("instagram", "instagram"), ("groepsapp", "group_app"), ("pers", "")]
KINDS = ("photo", "video")
BATCH = 5000


def _school(board, n: int, pupils_per_school: int, today: date):
    """A school with categories, classes of 30, pupils and one guardian each; returns (school, categories, pupils)."""
    from plaatsbaar.web.consent.models import ConsentCategory
    from plaatsbaar.web.organisation.models import Group, Guardian, Guardianship, Pupil, School

    school = School.objects.create(board=board, name=f"School {n}")
    categories = ConsentCategory.objects.bulk_create(
        [ConsentCategory(school=school, code=code, label=code.title(), channel=channel, order=i) for i, (code, channel) in enumerate(CATEGORIES)]
    )
    groups = Group.objects.bulk_create([Group(school=school, name=f"groep {g + 1}", school_year="2026-2027") for g in range((pupils_per_school + 29) // 30)])
    pupils = Pupil.objects.bulk_create([
        Pupil(school=school, group=groups[i // 30], external_id=str(i), first_name=f"Kind{i}", last_name=f"Achternaam{i % 97}", date_of_birth=today - timedelta(days=365 * 8 + i % 2000))
        for i in range(pupils_per_school)
    ], batch_size=BATCH)
    guardians = Guardian.objects.bulk_create([Guardian(board=board, first_name="Ouder", last_name=p.last_name, email=f"o{p.pk}@example.org") for p in pupils], batch_size=BATCH)
    Guardianship.objects.bulk_create([Guardianship(guardian=g, pupil=p) for g, p in zip(guardians, pupils)], batch_size=BATCH)
    return school, categories, list(zip(pupils, guardians))


EVENT_COLUMNS = ("pupil_id", "category_id", "media_kind", "answer", "given_by_guardian_id", "given_by_pupil",
                 "method", "form_version", "information_version", "at", "recorded_by_label")


def _event_rows(people, categories, phase: str, at: datetime) -> list[tuple]:
    """Answers of one phase at time ``at``: ``old`` (last year, every other pupil) or ``round`` (every state)."""
    from django.db import connection

    stamp = connection.ops.adapt_datetimefield_value(at)
    rows = []
    for i, (pupil, guardian) in enumerate(people):
        state = i % 10
        if phase == "old" and state % 2 or phase == "round" and state in (0, 1):
            continue  # round: 0 never answered, 1 answered only last year
        for c, category in enumerate(categories):
            given = state < 6 or (state < 9 and c % 3 != 0)
            rows += [(pupil.pk, category.pk, kind, given, guardian.pk, False, "portal", "1", "1", stamp, "bench") for kind in KINDS]
    return rows


def _insert_events(rows: list[tuple]) -> None:
    """Bulk-insert consent events with their own timestamps (benchmark fixture only)."""
    from django.db import connection

    sql = f"INSERT INTO consent_consentevent ({', '.join(EVENT_COLUMNS)}) VALUES ({', '.join(['%s'] * len(EVENT_COLUMNS))})"
    with connection.cursor() as cursor:
        cursor.executemany(sql, rows)


def build(schools: int, pupils_per_school: int, today: date):
    """The board; returns (rounds, one class of 30 pupils)."""
    from django.db import transaction
    from django.utils import timezone

    from plaatsbaar.web.organisation.models import Board
    from plaatsbaar.web.rounds.models import ConsentRound

    opened = timezone.now() - timedelta(days=10)
    with transaction.atomic():
        board = Board.objects.create(name="Stichting Benchmark")
        made = [_school(board, n, pupils_per_school, today) for n in range(schools)]
        rounds = [ConsentRound.objects.create(school=s, school_year="2026-2027", opened_at=opened, deadline=today + timedelta(days=21), form_version="1", information_version="1") for s, _, _ in made]
        for _, categories, people in made:
            _insert_events(_event_rows(people, categories, "old", opened - timedelta(days=300)) + _event_rows(people, categories, "round", opened + timedelta(days=2)))
    first_class = [pupil for pupil, _ in made[0][2][:30]]
    return rounds, first_class


def add_proposed_index() -> None:
    """Create the proposed index unless ConsentEvent already has one on (pupil, at, answer)."""
    from django.db import connection, models

    from plaatsbaar.web.consent.models import ConsentEvent

    if any(list(index.fields) == ["pupil", "at", "answer"] for index in ConsentEvent._meta.indexes):
        return
    with connection.schema_editor() as editor:
        editor.add_index(ConsentEvent, models.Index(fields=["pupil", "at", "answer"], name="bench_event_pupil_at_answer"))


def median_ms(work, repeat: int) -> float:
    """Median wall time of ``work()`` in milliseconds, after one warm-up call."""
    work()
    timings = []
    for _ in range(repeat):
        start = time.perf_counter()
        work()
        timings.append(time.perf_counter() - start)
    return statistics.median(timings) * 1000


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--schools", type=int, default=25)
    parser.add_argument("--pupils", type=int, default=1000, help="pupils per school")
    parser.add_argument("--repeat", type=int, default=7)
    parser.add_argument("--proposed-index", action="store_true", help="add the proposed (pupil, at, answer) index first")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="plaatsbaar-bench-") as data_dir:
        setup_django(data_dir)
        run(args)


def run(args) -> None:
    """Build the board and print the timings."""
    from plaatsbaar.core.vocabulary import Channel, MediaKind
    from plaatsbaar.web.consent.models import ConsentEvent
    from plaatsbaar.web.organisation.models import Pupil
    from plaatsbaar.web.rounds.dashboard import class_detail, class_summaries, totals
    from plaatsbaar.web.consent.services import registry_for

    today = date.today()
    start = time.perf_counter()
    rounds, first_class = build(args.schools, args.pupils, today)
    if args.proposed_index:
        add_proposed_index()
    print(f"database: {Pupil.objects.count():,} pupils, {ConsentEvent.objects.count():,} consent events, "
          f"{len(rounds)} schools (built in {time.perf_counter() - start:.1f} s){', proposed index added' if args.proposed_index else ''}")

    def class_lookup():
        pupils = list(Pupil.objects.filter(pk__in=[p.pk for p in first_class]))
        registry = registry_for(pupils)
        return [registry.allows(str(p.pk), Channel.FACEBOOK, MediaKind.PHOTO) for p in pupils]

    board_totals = totals(class_summaries(rounds))
    print(f"dashboard check: {board_totals}")
    rows = [
        ("consent for a class of 30 on one channel (registry_for)", median_ms(class_lookup, args.repeat * 3), 50),
        (f"board dashboard, {board_totals['pupils']:,} pupils (class_summaries)", median_ms(lambda: class_summaries(rounds), args.repeat), 500),
        (f"school dashboard, {args.pupils:,} pupils", median_ms(lambda: class_summaries(rounds[:1]), args.repeat), None),
        ("names of one class of 30 (class_detail)", median_ms(lambda: class_detail(rounds[0], first_class[0].group), args.repeat * 3), None),
    ]
    for label, ms, goal in rows:
        verdict = "" if goal is None else (f"  goal < {goal} ms: OK" if ms < goal else f"  goal < {goal} ms: TOO SLOW")
        print(f"{label:<62} {ms:8.1f} ms{verdict}")


if __name__ == "__main__":
    main()
