"""The portal's domain logic: whose children a holder sees, what they may answer,
and recording their answers (always through ``consent.services.record_answer``).

A *holder* (:class:`~plaatsbaar.web.portal.links.LinkHolder`) is one guardian or
one pupil, reached by a personal link or by logging in. Guardians answer for
their children under 16; from the 16th birthday on only the pupil answers.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date
from typing import Any

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.db.models import Q, QuerySet
from django.utils import timezone

from plaatsbaar.web.audit.services import record as audit
from plaatsbaar.web.consent.models import MEDIA_KINDS, ConsentCategory, ConsentEvent, Method
from plaatsbaar.web.consent.services import Answer, ConsentRefused, Key, current_state, record_answer
from plaatsbaar.web.consent.staff import active_categories
from plaatsbaar.web.organisation.models import Guardian, Pupil
from plaatsbaar.web.portal.links import DEFAULT_MAX_AGE_DAYS, LinkHolder, make_token

FORM_VERSION = "portaal-1"
"""The version of the portal's consent form; recorded with every portal answer.
Raise it whenever the form's wording or layout changes."""


class InformationChanged(ValueError):
    """The school changed its explanations after the form was shown; show it again."""


def holder_for_user(user: Any) -> LinkHolder | None:
    """The guardian or pupil a logged-in user is (guardian first), or ``None``."""
    if not getattr(user, "is_authenticated", False):
        return None
    guardian = Guardian.objects.filter(user=user).first()
    if guardian is not None:
        return LinkHolder(guardian=guardian)
    pupil = Pupil.objects.filter(user=user).select_related("school").first()
    return LinkHolder(pupil=pupil) if pupil is not None else None


def children_of(holder: LinkHolder, today: date | None = None) -> QuerySet[Pupil]:
    """The pupils a holder sees: a guardian's own children, or the pupil themself; only
    pupils still at school on ``today`` (default: today in Europe/Amsterdam). A pupil whose
    ``left_on`` is ``today`` or earlier has left: they are no longer shown and cannot be changed."""
    if holder.guardian is not None:
        pupils = holder.guardian.pupils.all()
    else:
        pupils = Pupil.objects.filter(pk=holder.pupil.pk)
    still_at_school = Q(left_on__isnull=True) | Q(left_on__gt=today or timezone.localdate())
    return pupils.filter(still_at_school).select_related("school").order_by("first_name", "last_name", "pk")


def refusal_reason(holder: LinkHolder, pupil: Pupil, today: date) -> str | None:
    """Why this holder may not answer for ``pupil`` today (plain Dutch), or ``None``."""
    if holder.guardian is not None and pupil.decides_own_consent(today):
        return f"Vanaf 16 jaar beslist {pupil.first_name} zelf."
    if holder.pupil is not None and not pupil.decides_own_consent(today):
        return "Tot je 16e verjaardag beslissen je ouders of verzorgers over je toestemming."
    return None


def categories_for(pupil: Pupil) -> list[ConsentCategory]:
    """The active consent categories of the pupil's school, in the school's order."""
    return active_categories(pupil.school_id)


@dataclass(frozen=True)
class SummaryLine:
    """One category's answers for the overview: ``parts`` is (media kind label, True/False/None)."""

    category: ConsentCategory
    parts: list[tuple[str, bool | None]]


def categories_by_school(pupils: Iterable[Pupil]) -> dict[int, list[ConsentCategory]]:
    """School id → its active consent categories in the school's order, for these pupils' schools (one query)."""
    schools = {p.school_id for p in pupils}
    found: dict[int, list[ConsentCategory]] = {school_id: [] for school_id in schools}
    for category in ConsentCategory.objects.filter(school__in=schools, active=True).order_by("order", "id"):
        found[category.school_id].append(category)
    return found


def answer_summary(
    pupil: Pupil, answers: Mapping[Key, ConsentEvent], categories: list[ConsentCategory] | None = None
) -> list[SummaryLine]:
    """Per active category of the pupil's school (``categories`` when already loaded)
    the current answer per media kind (``None``: not answered yet, which counts as no)."""
    return [
        SummaryLine(category, [(label, _answer_of(answers.get((category.pk, kind)))) for kind, label in MEDIA_KINDS])
        for category in (categories_for(pupil) if categories is None else categories)
    ]


def _answer_of(event: ConsentEvent | None) -> bool | None:
    return None if event is None else event.answer


def information_version(categories: Iterable[ConsentCategory]) -> str:
    """A short fingerprint of the information text shown (codes, labels and
    explanations), e.g. ``info-3f2a9c01b7de``; it changes with any word of it."""
    shown = [[c.code, c.label, c.explanation] for c in categories]
    digest = hashlib.sha256(json.dumps(shown, ensure_ascii=False).encode("utf-8")).hexdigest()
    return f"info-{digest[:12]}"


def _answer(holder: LinkHolder, info_version: str) -> Answer:
    return Answer(
        guardian=holder.guardian,
        by_pupil=holder.pupil is not None,
        method=Method.PORTAL,
        form_version=FORM_VERSION,
        information_version=info_version,
    )


def actor_for(holder: LinkHolder, user: Any) -> Any:
    """Who acts, for the audit log: the logged-in user, or a label with the holder's id (no name)."""
    if getattr(user, "is_authenticated", False):
        return user
    if holder.guardian is not None:
        return f"portaal-link ouder/verzorger #{holder.guardian.pk}"
    return f"portaal-link leerling #{holder.pupil.pk}"


@transaction.atomic
def save_answers(
    holder: LinkHolder,
    pupil: Pupil,
    chosen: Mapping[Key, bool],
    *,
    shown_information_version: str,
    actor: Any,
    ip: str | None,
    today: date,
) -> list[ConsentEvent]:
    """Record every answer the holder chose for ``pupil``; returns the new events.

    Unchanged answers are recorded too: each submission is a statement (a
    confirmation, e.g. in a yearly round, or under a new information text).
    Raises :class:`InformationChanged` when the explanations differ from those
    shown, and ``ConsentRefused`` when the holder may not answer for the pupil.
    """
    categories = categories_for(pupil)
    info_version = information_version(categories)
    if info_version != shown_information_version:
        raise InformationChanged("De uitleg van de school is intussen gewijzigd. Lees hem opnieuw en kies dan opnieuw.")
    answer = _answer(holder, info_version)
    by_key = {(c.pk, kind): c for c in categories for kind, _ in MEDIA_KINDS}
    return [
        record_answer(pupil, by_key[key], key[1], given, answer, actor=actor, ip=ip, today=today)
        for key, given in chosen.items()
        if key in by_key
    ]


@transaction.atomic
def withdraw_all(holder: LinkHolder, pupil: Pupil, *, actor: Any, ip: str | None, today: date) -> list[ConsentEvent]:
    """Withdraw every "yes" of ``pupil`` at once (one step; takes effect immediately).

    Covers every category that currently says yes, also inactive ones. Returns
    the new "no" events; raises ``ConsentRefused`` when the holder may not answer.
    """
    current = current_state([pupil])[pupil.pk]
    yes_keys = [key for key, event in current.items() if event.answer]
    categories = {c.pk: c for c in ConsentCategory.objects.filter(pk__in={k[0] for k in yes_keys})}
    answer = _answer(holder, information_version(categories_for(pupil)))
    return [
        record_answer(pupil, categories[category_id], kind, False, answer, actor=actor, ip=ip, today=today)
        for category_id, kind in yes_keys
    ]


def issue_pupil_link(pupil: Pupil, *, actor: Any, ip: str | None, today: date, delivery: str = "show") -> str:
    """A personal portal token for a pupil of 16 or older; audited as ``portal.link_issued``
    with ``delivery`` (``show``: shown to staff, ``mail``: mailed to the pupil).

    Raises ``ConsentRefused`` for a pupil under 16 (their guardians decide).
    """
    if not pupil.decides_own_consent(today):
        raise ConsentRefused("een leerling krijgt pas vanaf 16 jaar een eigen link")
    audit("portal.link_issued", pupil, actor=actor, school_id=pupil.school_id, board_id=pupil.school.board_id, changes={"holder": "pupil", "delivery": delivery}, ip=ip)
    return make_token(pupil)


def mail_pupil_link(pupil: Pupil, url: str) -> None:
    """E-mail the personal link to the pupil's own address; raises ``ValueError`` without one."""
    if not pupil.email:
        raise ValueError("deze leerling heeft geen e-mailadres")
    body = (
        f"Beste {pupil.first_name},\n\n"
        f"Je bent 16 jaar geworden. Vanaf nu beslis je zelf of {pupil.school.name} foto's, films en "
        "geluidsopnamen van jou mag gebruiken, en waarvoor.\n\n"
        f"Met deze persoonlijke link geef je je keuze door (de link is {DEFAULT_MAX_AGE_DAYS} dagen geldig):\n{url}\n\n"
        "Deel deze link met niemand.\n"
    )
    send_mail("Je toestemming voor foto's en films op school", body, settings.DEFAULT_FROM_EMAIL, [pupil.email])
