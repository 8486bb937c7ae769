"""Drafts over the API: create one with its first checked version, and read where drafts stand.

Creating goes through the drafts services (:func:`create_draft`,
:func:`save_version`: check, audit, workflow), exactly as the drafts pages
do. Reading follows the drafts pages: a draft of a school where the user has
no role is not found (404); there, its author and the leidinggevende,
communicatie and FG of the school read it
(:func:`~plaatsbaar.web.drafts.services.can_view_draft`), others get 403.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import OuterRef, Q, QuerySet, Subquery
from django.http import Http404

from plaatsbaar.web.drafts.models import Draft, DraftVersion
from plaatsbaar.web.drafts.services import allowed_channels, allowed_groups, can_view_draft, create_draft, save_version
from plaatsbaar.web.organisation.models import Group, School
from plaatsbaar.web.organisation.policy import Policy
from plaatsbaar.web.review.models import ReviewStep

NOT_A_WRITER = "Je hebt bij deze school geen rol waarmee je berichten schrijft."
NOT_A_READER = "Alleen de auteur, de leidinggevende, communicatie en de FG zien dit concept."
NOT_FOUND = "Concept niet gevonden."


class DraftInputError(ValueError):
    """Input that names something that does not fit (a class of another school); ``field`` and a Dutch message."""

    def __init__(self, field: str, message: str):
        super().__init__(message)
        self.field = field


def visible_drafts(policy: Policy) -> QuerySet[Draft]:
    """The drafts the user may read, at the schools where they have a role: their own, and
    all of a school where :meth:`Policy.can_view_drafts_of_others` holds (as ``can_view_draft``)."""
    schools = list(policy.schools())
    everything = [s.pk for s in schools if policy.can_view_drafts_of_others(s)]
    own = Q(author=policy.user, school__in=[s.pk for s in schools])
    return Draft.objects.filter(own | Q(school__in=everything)).select_related("author", "school")


def readable_draft(policy: Policy, draft_id: int) -> Draft:
    """The draft with this id; ``Http404`` when it does not exist or belongs to a school where the
    user has no role (existence not revealed), ``PermissionDenied`` when they may not read it."""
    draft = Draft.objects.select_related("school", "author").filter(pk=draft_id).first()
    if draft is None or not policy.can_view_school(draft.school):
        raise Http404(NOT_FOUND)
    if not can_view_draft(policy.user, draft):
        raise PermissionDenied(NOT_A_READER)
    return draft


def checked_input(school: School, user, channel: str, group_id: int | None) -> Group | None:
    """The class with ``group_id`` after checking channel and class as the drafts pages offer them
    (:func:`allowed_channels`, :func:`allowed_groups`); raises :class:`DraftInputError`."""
    if channel not in allowed_channels(school):
        raise DraftInputError("channel", "Deze school gebruikt dit kanaal niet.")
    if group_id is None:
        return None
    group = Group.objects.filter(school=school, pk=group_id).first()
    if group is None:
        raise DraftInputError("group", "Deze groep hoort niet bij deze school.")
    if not allowed_groups(school, user).filter(pk=group.pk).exists():
        raise DraftInputError("group", "Je kunt alleen een bericht maken over een groep waaraan je lesgeeft.")
    return group


@transaction.atomic
def create_checked_draft(policy: Policy, school: School, *, channel: str, group: Group | None, text: str,
                         function: str = "", posted_at: datetime | None = None, ip: str | None = None) -> Draft:
    """A new draft with its first version (checked against the school's protocol).

    Raises ``PermissionDenied`` without :meth:`Policy.can_write_drafts`, and
    ``DraftRefused`` as the drafts services do; nothing is kept then.
    """
    if not policy.can_write_drafts(school):
        raise PermissionDenied(NOT_A_WRITER)
    draft = create_draft(school, policy.user, channel, group=group, ip=ip)
    save_version(draft, policy.user, text=text, function=function, posted_at=posted_at, ip=ip)
    draft.refresh_from_db()
    return draft


def with_latest_verdict(drafts: QuerySet[Draft]) -> QuerySet[Draft]:
    """``drafts`` annotated with ``latest_verdict`` (the newest version's verdict), in one query."""
    newest = DraftVersion.objects.filter(draft=OuterRef("pk")).order_by("-number").values("verdict")[:1]
    return drafts.annotate(latest_verdict=Subquery(newest))


def draft_summary(draft: Draft, verdict: str | None) -> dict[str, Any]:
    """Where the draft stands (``verdict``: its newest version's); the shape of ``DraftSummarySerializer``."""
    return {
        "id": draft.pk,
        "school": draft.school_id,
        "channel": draft.channel,
        "group": draft.group_id,
        "author": draft.author.get_username() if draft.author else None,
        "status": draft.status,
        "status_label": draft.get_status_display(),
        "verdict": verdict,
        "created_at": draft.created_at,
        "updated_at": draft.updated_at,
    }


def draft_detail(draft: Draft) -> dict[str, Any]:
    """The draft with its newest findings, versions and review steps; the shape of ``DraftDetailSerializer``."""
    versions = list(draft.versions.select_related("created_by").order_by("number"))
    latest = versions[-1] if versions else None
    steps = ReviewStep.objects.filter(draft=draft).select_related("version").order_by("at", "id")
    return {
        **draft_summary(draft, latest.verdict if latest else None),
        "findings": latest.findings if latest else [],
        "revised_text": latest.revised_text if latest else "",
        "versions": [_version(v) for v in versions],
        "steps": [_step(s) for s in steps],
    }


def _version(version: DraftVersion) -> dict[str, Any]:
    return {
        "number": version.number,
        "verdict": version.verdict,
        "text": version.text,
        "revised_text": version.revised_text,
        "created_at": version.created_at,
        "created_by": version.created_by.get_username() if version.created_by else None,
    }


def _step(step: ReviewStep) -> dict[str, Any]:
    return {
        "step": step.step,
        "label": step.get_step_display(),
        "version": step.version.number,
        "reasons": [code for code in step.reason.split(",") if code],
        "comment": step.comment,
        "actor": step.actor_label,
        "at": step.at,
    }
