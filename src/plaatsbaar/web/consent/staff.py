"""Consent for the staff's pages: state per group and pupil, the full history,
and entering a signed paper form (through ``record_answer``, so audited).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from typing import Any

from django.db import transaction

from plaatsbaar.web.consent.models import MEDIA_KINDS, ConsentCategory, ConsentEvent, Method
from plaatsbaar.web.consent.services import Answer, ConsentRefused, Key, current_state, given_by_guardians_before_16, record_answer
from plaatsbaar.web.organisation.models import Group, Pupil

PUPIL_SIGNER = "pupil"


def who_answered(event: ConsentEvent) -> str:
    """'leerling zelf' or 'ouder/verzorger <name>' (plain Dutch, for staff)."""
    if event.given_by_pupil:
        return "leerling zelf"
    guardian = event.given_by_guardian
    return f"ouder/verzorger {guardian.first_name} {guardian.last_name}"


def _before_16(event: ConsentEvent, pupil: Pupil, today: date) -> bool:
    """Marked only once the pupil decides: until then every answer is the guardians'."""
    event.pupil = pupil  # saves a query per event
    return pupil.decides_own_consent(today) and given_by_guardians_before_16(event)


@dataclass(frozen=True)
class HistoryLine:
    """One consent event as the history shows it."""

    event: ConsentEvent
    kind_label: str
    who: str
    how: str
    before_16: bool


def how_answered(event: ConsentEvent) -> str:
    """The method in plain Dutch ('via het ouderportaal', 'papieren formulier, …')."""
    if event.method == Method.PORTAL and event.given_by_pupil:
        return "via het portaal"
    return event.get_method_display()


def history(pupil: Pupil, today: date) -> list[HistoryLine]:
    """Every consent event of the pupil, newest first (also of inactive categories)."""
    labels = dict(MEDIA_KINDS)
    events = (
        ConsentEvent.objects.filter(pupil=pupil)
        .select_related("category", "given_by_guardian")
        .order_by("-at", "-id")
    )
    return [HistoryLine(e, labels[e.media_kind], who_answered(e), how_answered(e), _before_16(e, pupil, today)) for e in events]


@dataclass(frozen=True)
class StateCell:
    """The current answer for one media kind: ``event`` is ``None`` when not answered (= no)."""

    kind_label: str
    event: ConsentEvent | None
    before_16: bool


@dataclass(frozen=True)
class StateRow:
    """One category with a :class:`StateCell` per media kind."""

    category: ConsentCategory
    cells: list[StateCell]


def active_categories(school_id: int) -> list[ConsentCategory]:
    """The school's active consent categories, in the school's order."""
    return list(ConsentCategory.objects.filter(school_id=school_id, active=True).order_by("order", "id"))


def state_rows(pupil: Pupil, categories: list[ConsentCategory], answers: Mapping[Key, ConsentEvent], today: date) -> list[StateRow]:
    """The pupil's current answers per category and media kind."""
    rows = []
    for category in categories:
        cells = []
        for kind, label in MEDIA_KINDS:
            event = answers.get((category.pk, kind))
            cells.append(StateCell(label, event, event is not None and _before_16(event, pupil, today)))
        rows.append(StateRow(category, cells))
    return rows


@dataclass(frozen=True)
class GroupLine:
    """One pupil of a group with their current state per category."""

    pupil: Pupil
    rows: list[StateRow]
    decides_self: bool


def group_overview(group: Group, today: date) -> tuple[list[ConsentCategory], list[GroupLine]]:
    """The school's active categories and, per pupil on the roll of the group, their state."""
    categories = active_categories(group.school_id)
    pupils = list(group.pupils.filter(left_on__isnull=True).order_by("last_name", "first_name"))
    state = current_state(pupils)
    lines = [GroupLine(p, state_rows(p, categories, state[p.pk], today), p.decides_own_consent(today)) for p in pupils]
    return categories, lines


def signers(pupil: Pupil, today: date) -> list[tuple[str, str]]:
    """Who may have signed a paper form today: the pupil (16+) or each of their guardians."""
    if pupil.decides_own_consent(today):
        return [(PUPIL_SIGNER, f"{pupil.first_name} {pupil.last_name} zelf (16 jaar of ouder)")]
    return [(f"g{g.pk}", f"ouder/verzorger {g.first_name} {g.last_name}") for g in pupil.guardians.order_by("last_name", "first_name")]


def _paper_answer(pupil: Pupil, signer: str, form_version: str, information_version: str) -> Answer:
    versions = {"method": Method.PAPER, "form_version": form_version, "information_version": information_version or form_version}
    if signer == PUPIL_SIGNER:
        return Answer(by_pupil=True, **versions)
    guardian = pupil.guardians.filter(pk=signer.removeprefix("g")).first() if signer.startswith("g") and signer[1:].isdigit() else None
    if guardian is None:
        raise ConsentRefused("deze ouder/verzorger is niet gekoppeld aan deze leerling")
    return Answer(guardian=guardian, **versions)


@transaction.atomic
def record_paper_form(
    pupil: Pupil,
    signer: str,
    answers: Mapping[Key, bool],
    *,
    form_version: str,
    information_version: str,
    actor: Any,
    ip: str | None,
    today: date,
) -> list[ConsentEvent]:
    """Record every answer filled in on a signed paper form (method ``paper``); all or nothing.

    ``signer``: ``pupil`` or ``g<guardian id>``; ``information_version`` blank →
    the form version. Raises ``ConsentRefused`` (wrong signer, category of
    another school).
    """
    answer = _paper_answer(pupil, signer, form_version, information_version)
    categories = {c.pk: c for c in ConsentCategory.objects.filter(pk__in={k[0] for k in answers})}
    events = []
    for (category_id, kind), given in answers.items():
        category = categories.get(category_id)
        if category is None:
            raise ConsentRefused("onbekende toestemmingscategorie")
        events.append(record_answer(pupil, category, kind, given, answer, actor=actor, ip=ip, today=today))
    return events
