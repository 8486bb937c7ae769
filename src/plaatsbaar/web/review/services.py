"""What the review pages show: the leidinggevende's queue, a draft's history, the decisions allowed.

The rules themselves live in :mod:`plaatsbaar.web.review.workflow`; this
module only reads (queries and labels) so the views stay thin.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from django.db.models import OuterRef, Subquery
from django.urls import NoReverseMatch, reverse

from plaatsbaar.core.vocabulary import Verdict
from plaatsbaar.web.drafts.models import Draft, DraftMedia, DraftStatus, DraftVersion
from plaatsbaar.web.organisation.models import School
from plaatsbaar.web.organisation.policy import Policy
from plaatsbaar.web.review.models import ReviewStep, Step
from plaatsbaar.web.review.workflow import REASON_LABELS

AUTHOR_ASKED = "de auteur vraagt om beoordeling"


def reason_labels(codes: str) -> list[str]:
    """Dutch labels for the comma-separated reason codes of a submitted step (``"verdict,unsure"``)."""
    return [REASON_LABELS.get(code, AUTHOR_ASKED) for code in codes.split(",") if code]


def draft_url(draft: Draft) -> str:
    """The draft's own page (``drafts:detail``), or its review page while the drafts pages are not installed."""
    try:
        return reverse("drafts:detail", args=[draft.pk])
    except NoReverseMatch:
        return reverse("review:detail", args=[draft.pk])


def reviewable_schools(policy: Policy) -> list[School]:
    """The schools where the user is leidinggevende (:meth:`Policy.can_review`), by name."""
    return [school for school in policy.schools().order_by("name") if policy.can_review(school)]


@dataclass(frozen=True)
class QueueItem:
    """One draft waiting for a leidinggevende.

    ``submitted_at``: when it was last offered (aware datetime); ``reasons``:
    Dutch labels; ``own``: the viewer wrote it, so another leidinggevende decides.
    """

    draft: Draft
    submitted_at: datetime | None
    version_number: int | None
    verdict: str | None
    reasons: list[str]
    own: bool

    @property
    def verdict_label(self) -> str:
        """The latest version's verdict in Dutch."""
        return dict(DraftVersion._meta.get_field("verdict").choices).get(self.verdict, "")


def _last_submission(field: str) -> Subquery:
    steps = ReviewStep.objects.filter(draft=OuterRef("pk"), step=Step.SUBMITTED).order_by("-at", "-id")
    return Subquery(steps.values(field)[:1])


def _latest_version(field: str) -> Subquery:
    return Subquery(DraftVersion.objects.filter(draft=OuterRef("pk")).order_by("-number").values(field)[:1])


def queue(user, schools: list[School]) -> list[QueueItem]:
    """Drafts in review at ``schools`` (see :func:`reviewable_schools`), longest waiting first.

    The user's own drafts are included (marked ``own``); nothing of other schools.
    """
    drafts = (
        Draft.objects.filter(school__in=schools, status=DraftStatus.IN_REVIEW)
        .select_related("school", "author", "group")
        .annotate(submitted_at=_last_submission("at"), reason_codes=_last_submission("reason"),
                  version_number=_latest_version("number"), verdict=_latest_version("verdict"))
        .order_by("submitted_at", "pk")
    )
    return [
        QueueItem(draft, draft.submitted_at, draft.version_number, draft.verdict,
                  reason_labels(draft.reason_codes or ""), draft.author_id == user.pk)
        for draft in drafts
    ]


def may_view(draft: Draft, policy: Policy) -> bool:
    """The review page of ``draft``: its author and the leidinggevenden of its school."""
    return draft.author_id == policy.user.pk or policy.can_review(draft.school)


def may_decide(draft: Draft, policy: Policy) -> bool:
    """Whether the user is someone who decides on ``draft``: a leidinggevende of its school, not its author.

    Whether a decision is possible *now* (status, verdict, comment) is the
    workflow's to say.
    """
    return draft.author_id != policy.user.pk and policy.can_review(draft.school)


def may_submit(draft: Draft, version: DraftVersion | None) -> bool:
    """Whether the offer form makes sense: a checked version and status concept or sent back
    (the statuses :func:`workflow.submit` accepts; it stays the judge)."""
    return version is not None and draft.status in (DraftStatus.CONCEPT, DraftStatus.SENT_BACK)


@dataclass(frozen=True)
class Decisions:
    """Which decision forms the review page offers the viewer."""

    approve: bool = False
    send_back: bool = False
    reject: bool = False

    @property
    def any(self) -> bool:
        """At least one form to show."""
        return self.approve or self.send_back or self.reject


def decisions(draft: Draft, version: DraftVersion | None, policy: Policy) -> Decisions:
    """The forms to show: none unless in review and :func:`may_decide`; a ``block`` verdict can only be sent back."""
    if version is None or draft.status != DraftStatus.IN_REVIEW or not may_decide(draft, policy):
        return Decisions()
    allowed = version.verdict != Verdict.BLOCK
    return Decisions(approve=allowed, send_back=True, reject=allowed)


@dataclass(frozen=True)
class HistoryEntry:
    """One step as the history shows it: what, who, when, which version, why."""

    step: ReviewStep
    reasons: list[str]


def history(draft: Draft) -> list[HistoryEntry]:
    """Every step of ``draft``, oldest first, with the version it concerns."""
    steps = draft.steps.select_related("version").order_by("at", "id")
    return [HistoryEntry(step, reason_labels(step.reason) if step.step == Step.SUBMITTED else []) for step in steps]


def findings(version: DraftVersion | None) -> list[dict]:
    """The version's stored findings, each with ``verdict_label`` (Dutch) added for display."""
    if version is None:
        return []
    return [{**finding, "verdict_label": _verdict_dutch(finding.get("verdict"))} for finding in version.findings]


def _verdict_dutch(value) -> str:
    try:
        return Verdict(value).dutch
    except ValueError:
        return ""


@dataclass(frozen=True)
class MediaItem:
    """A publishable file of the draft and the drafts app's page for it (``url`` empty when there is none)."""

    media: DraftMedia
    url: str


def media_url(media: DraftMedia) -> str:
    """The drafts app's view of the publishable file (``drafts:file``), or ``""`` when not installed."""
    try:
        return reverse("drafts:file", args=[media.draft_id, media.number, "publiceren"])
    except NoReverseMatch:
        return ""


def publishable_media(draft: Draft) -> list[MediaItem]:
    """The draft's media that have a publishable (blurred, metadata-free) file, by number."""
    return [MediaItem(media, media_url(media)) for media in draft.media.exclude(publishable="").order_by("number")]
