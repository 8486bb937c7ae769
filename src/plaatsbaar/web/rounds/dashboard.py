"""The round's dashboard: per class who answered, who did not, who said no.

Definitions (for a round and one active pupil of its school):

- *answered*: at least one consent event for the pupil since the round opened
  (by a guardian or by the pupil, on the portal or entered from paper);
- *said no*: for some active category and media kind, the pupil's current
  answer (the latest event) is "no" and was given since the round opened.
  Everyone who said no has answered.

The counts are computed in the database in one aggregate query
(:func:`class_summaries`), so the page stays fast for a whole board.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date

from django.db.models import Case, Count, DateTimeField, Exists, OuterRef, Q, Value, When
from django.utils import timezone

from plaatsbaar.web.consent.models import MEDIA_KINDS, ConsentEvent
from plaatsbaar.web.consent.services import current_state
from plaatsbaar.web.organisation.models import Group, Pupil, School
from plaatsbaar.web.rounds.models import ConsentRound
from plaatsbaar.web.rounds.names import sort_key
from plaatsbaar.web.rounds.services import active_pupils

MEDIA_LABELS = dict(MEDIA_KINDS)
NO_GROUP = "zonder groep"


@dataclass(frozen=True)
class ClassSummary:
    """Counts for one class (``group_id`` ``None``: pupils without a class) in one round."""

    round_id: int
    group_id: int | None
    group_name: str
    pupils: int
    answered: int
    said_no: int

    @property
    def not_answered(self) -> int:
        return self.pupils - self.answered


@dataclass(frozen=True)
class PupilStatus:
    """One pupil in a round: answered or not, and the refusals (``"Facebook (foto)"``)."""

    pupil: Pupil
    answered: bool
    refused: list[str] = field(default_factory=list)


def _newer_event_exists() -> Exists:
    """A later event for the same pupil, category and media kind as the outer event."""
    same_key = ConsentEvent.objects.filter(pupil=OuterRef("pupil"), category=OuterRef("category"), media_kind=OuterRef("media_kind"))
    return Exists(same_key.filter(Q(at__gt=OuterRef("at")) | Q(at=OuterRef("at"), pk__gt=OuterRef("pk"))))


def _since_opened(rounds: Sequence[ConsentRound]) -> Case:
    """The opening time of the round of the outer pupil's school."""
    return Case(*[When(school_id=r.school_id, then=Value(r.opened_at)) for r in rounds], output_field=DateTimeField())


def class_summaries(rounds: Sequence[ConsentRound], today: date | None = None) -> list[ClassSummary]:
    """Per round and class: pupils, answered, said no (definitions in the module docstring).

    ``rounds`` must belong to different schools (one round per school, e.g. the
    current round of every school of a board). Two queries in all; ordered by
    round then class name. Raises ``ValueError`` for two rounds of one school.
    """
    by_school = {r.school_id: r for r in rounds}
    if len(by_school) != len(rounds):
        raise ValueError("één ronde per school")
    if not rounds:
        return []
    today = today or timezone.localdate()
    events = ConsentEvent.objects.filter(pupil=OuterRef("pk"), at__gte=OuterRef("opened"))
    refusals = events.filter(answer=False, category__active=True).filter(~_newer_event_exists())
    rows = (
        active_pupils(by_school, today)
        .annotate(opened=_since_opened(rounds))
        .values("school_id", "group_id")
        .annotate(pupils=Count("pk"), answered=Count("pk", filter=Exists(events)), said_no=Count("pk", filter=Exists(refusals)))
        .order_by()
    )
    rows = list(rows)
    names = dict(Group.objects.filter(pk__in={r["group_id"] for r in rows}).values_list("pk", "name"))
    summaries = [
        ClassSummary(by_school[r["school_id"]].pk, r["group_id"], names.get(r["group_id"], NO_GROUP), r["pupils"], r["answered"], r["said_no"])
        for r in rows
    ]
    return sorted(summaries, key=lambda s: (s.round_id, s.group_id is None, s.group_name))


def class_detail(consent_round: ConsentRound, group: Group | None, today: date | None = None) -> list[PupilStatus]:
    """Every active pupil of ``group`` (``None``: without a class) with their status; by surname.

    Raises ``ValueError`` when the group belongs to another school than the round.
    """
    if group is not None and group.school_id != consent_round.school_id:
        raise ValueError("deze groep hoort bij een andere school")
    pupils = active_pupils([consent_round.school_id], today or timezone.localdate()).filter(group=group)
    pupils = sorted(pupils, key=lambda p: (sort_key(p.last_name, p.first_name), p.pk))
    state = current_state(pupils)
    labels = dict(consent_round.school.consent_categories.filter(active=True).values_list("pk", "label"))
    return [_status(pupil, state[pupil.pk], consent_round, labels) for pupil in pupils]


def _status(pupil: Pupil, latest: dict, consent_round: ConsentRound, labels: dict[int, str]) -> PupilStatus:
    recent = [e for e in latest.values() if e.at >= consent_round.opened_at]
    refused = [
        f"{labels[e.category_id]} ({MEDIA_LABELS.get(e.media_kind, e.media_kind)})"
        for e in sorted(recent, key=lambda e: (e.category_id, e.media_kind))
        if not e.answer and e.category_id in labels
    ]
    return PupilStatus(pupil, bool(recent), refused)


def latest_rounds(schools: Sequence[School]) -> dict[int, ConsentRound]:
    """School id → its most recently opened round (schools without a round are left out)."""
    latest: dict[int, ConsentRound] = {}
    for consent_round in ConsentRound.objects.filter(school__in=schools).select_related("school"):
        latest.setdefault(consent_round.school_id, consent_round)
    return latest


def round_totals(rounds: Sequence[ConsentRound]) -> dict[int, dict[str, int]]:
    """School id → :func:`totals` of its round (one round per school), in one aggregate query."""
    summaries = class_summaries(rounds)
    school_of = {r.pk: r.school_id for r in rounds}
    return {school_of[r.pk]: totals([s for s in summaries if s.round_id == r.pk]) for r in rounds}


def totals(summaries: Sequence[ClassSummary]) -> dict[str, int]:
    """Sums over classes: ``pupils``, ``answered``, ``not_answered``, ``said_no``."""
    return {
        "pupils": sum(s.pupils for s in summaries),
        "answered": sum(s.answered for s in summaries),
        "not_answered": sum(s.not_answered for s in summaries),
        "said_no": sum(s.said_no for s in summaries),
    }
