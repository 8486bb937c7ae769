"""Recording consent and deriving its current state (the only way to change consent).

Every answer is a new append-only :class:`ConsentEvent` plus an audit entry;
withdrawal is simply a "no" recorded the same way and takes effect at once.
From the 16th birthday on the pupil decides; guardians' earlier answers stay
valid until the pupil answers, and are shown as given by guardians.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from typing import Any

from django.db import transaction
from django.utils import timezone

from plaatsbaar.core.consent import ConsentRegistry
from plaatsbaar.web.audit.services import record as audit
from plaatsbaar.web.consent.models import ConsentCategory, ConsentEvent, Method
from plaatsbaar.web.organisation.models import Guardian, Pupil, sixteen_years_before

Key = tuple[int, str]  # (category id, media kind)


class ConsentRefused(ValueError):
    """An answer that may not be recorded (wrong guardian, pupil under 16, other school)."""


@dataclass(frozen=True)
class Answer:
    """Who may answer and how: a guardian of the pupil, or the pupil (16+)."""

    guardian: Guardian | None = None
    by_pupil: bool = False
    method: str = Method.PORTAL
    form_version: str = "1"
    information_version: str = "1"


def _check_answerer(pupil: Pupil, category: ConsentCategory, answer: Answer, today: date) -> None:
    if category.school_id != pupil.school_id:
        raise ConsentRefused("deze categorie hoort bij een andere school")
    if answer.by_pupil == (answer.guardian is not None):
        raise ConsentRefused("een antwoord komt van precies één ouder/verzorger of van de leerling zelf")
    if answer.by_pupil and not pupil.decides_own_consent(today):
        raise ConsentRefused("een leerling beslist pas vanaf 16 jaar zelf")
    if answer.guardian is not None:
        if pupil.decides_own_consent(today):
            raise ConsentRefused("vanaf 16 jaar beslist de leerling zelf; ouders kunnen dit niet meer wijzigen")
        if not answer.guardian.pupils.filter(pk=pupil.pk).exists():
            raise ConsentRefused("deze ouder/verzorger is niet gekoppeld aan deze leerling")


@transaction.atomic
def record_answer(
    pupil: Pupil,
    category: ConsentCategory,
    media_kind: str,
    given: bool,
    answer: Answer,
    *,
    actor: Any = None,
    ip: str | None = None,
    today: date | None = None,
) -> ConsentEvent:
    """Record one yes/no; raises :class:`ConsentRefused`. Audited as
    ``consent.given``, ``consent.refused`` or ``consent.withdrawn`` (yes → no).
    ``today``: the day for the 16-year check (default: today in Europe/Amsterdam)."""
    _check_answerer(pupil, category, answer, today or timezone.localdate())
    previous = current_state([pupil]).get(pupil.pk, {}).get((category.pk, media_kind))
    event = ConsentEvent.objects.create(
        pupil=pupil,
        category=category,
        media_kind=media_kind,
        answer=given,
        given_by_guardian=answer.guardian,
        given_by_pupil=answer.by_pupil,
        method=answer.method,
        form_version=answer.form_version,
        information_version=answer.information_version,
        recorded_by=actor if hasattr(actor, "get_username") else None,
        recorded_by_label=actor.get_username() if hasattr(actor, "get_username") else str(actor or "portaal"),
    )
    action = "consent.given" if given else ("consent.withdrawn" if previous and previous.answer else "consent.refused")
    changes = {"category": category.code, "media": media_kind, "answer": given, "by": "pupil" if answer.by_pupil else "guardian", "method": answer.method}
    audit(action, event, actor=actor or "portaal", school_id=pupil.school_id, board_id=pupil.school.board_id, changes=changes, ip=ip)
    return event


def current_state(pupils: Iterable[Pupil]) -> dict[int, dict[Key, ConsentEvent]]:
    """Pupil id → (category id, media kind) → the latest event; one query."""
    ids = [p.pk for p in pupils]
    state: dict[int, dict[Key, ConsentEvent]] = {pid: {} for pid in ids}
    for event in ConsentEvent.objects.filter(pupil_id__in=ids).order_by("at", "id"):
        state[event.pupil_id][(event.category_id, event.media_kind)] = event
    return state


def registry_for(pupils: Iterable[Pupil]) -> ConsentRegistry:
    """The checker's :class:`ConsentRegistry` for these pupils (person id = pupil id).

    Categories without a channel are left out, and so are deactivated ones:
    their answers are no longer shown to parents, so they no longer count as
    consent. Where two categories share a channel, "no" wins.
    """
    pupils = list(pupils)
    schools = {p.school_id for p in pupils}
    channels = dict(ConsentCategory.objects.filter(school__in=schools, active=True).values_list("id", "channel"))
    registry = ConsentRegistry()
    for pupil_id, answers in current_state(pupils).items():
        given: dict[tuple[str, str], bool] = {}
        for (category_id, kind), event in answers.items():
            channel = channels.get(category_id)
            if channel:
                given[(channel, kind)] = given.get((channel, kind), True) and event.answer
        for (channel, kind), allowed in given.items():
            registry.record(str(pupil_id), channel, kind, allowed)
    return registry


def given_by_guardians_before_16(event: ConsentEvent) -> bool:
    """True for a guardian's answer given before the pupil turned 16 (shown as such in the history)."""
    return not event.given_by_pupil and timezone.localdate(event.at) < event.pupil.sixteenth_birthday()


def pupils_to_ask_at_16(school_id: int, today: date | None = None) -> list[Pupil]:
    """Pupils of 16+ on ``today`` (default: today in Europe/Amsterdam) who have not answered
    themselves since their 16th birthday."""
    day = today or timezone.localdate()
    candidates = Pupil.objects.filter(school_id=school_id, left_on__isnull=True, date_of_birth__lte=sixteen_years_before(day))
    answered = set(
        ConsentEvent.objects.filter(pupil__in=candidates, given_by_pupil=True).values_list("pupil_id", flat=True)
    )
    return [p for p in candidates.select_related("group").order_by("last_name", "first_name") if p.pk not in answered]
