"""The life of a draft: the one place that decides which step is allowed.

Statuses (:class:`~plaatsbaar.web.drafts.models.DraftStatus`)::

    concept ──submit──▶ in_review ──approve──▶ approved ──publish──▶ published
       ▲  ╲                │ ╲──send back──▶ sent_back ──submit──▶ in_review
       │   ╲──publish──▶   │  ╲─reject──▶ rejected
       └─── (new version of an approved or sent-back draft)

Rules (issue 4, "bij twijfel: leidinggevende"):

- A draft goes to review when its latest verdict is ``review``, when its
  author is unsure, or when the school marks the channel "always four eyes"
  (:func:`review_reasons`). Without a reason the author publishes directly,
  unless the verdict is ``block``.
- The author cannot approve their own draft; only a leidinggevende of the
  school reviews (:meth:`Policy.can_review`).
- A ``block`` verdict is never published or approved: a reviewer can only
  send it back, with a reason.
- Sending back and rejecting need a comment. An approval holds for the
  version approved: a new version makes the draft a concept again.

Every step is a :class:`~plaatsbaar.web.review.models.ReviewStep` (who, when,
which version) and an audit entry; the author is notified of each decision,
the leidinggevenden of each submission. Refused steps raise
:class:`StepRefused` with a Dutch message.
"""

from __future__ import annotations

from django.db import transaction
from django.urls import NoReverseMatch, reverse

from plaatsbaar.core.vocabulary import Verdict
from plaatsbaar.web.audit.services import actor_label, record
from plaatsbaar.web.drafts.models import Draft, DraftStatus, DraftVersion
from plaatsbaar.web.notices.services import notify
from plaatsbaar.web.organisation.models import Role, StaffRole
from plaatsbaar.web.organisation.policy import Policy
from plaatsbaar.web.publication.models import SchoolChannel
from plaatsbaar.web.review.models import ReviewStep, Step

EDITABLE = {DraftStatus.CONCEPT, DraftStatus.SENT_BACK, DraftStatus.APPROVED}
REASON_LABELS = {
    "verdict": "het protocol vraagt om overleg",
    "unsure": "de auteur twijfelt",
    "four_eyes": "dit kanaal gaat altijd langs vier ogen",
}


class StepRefused(PermissionError):
    """A step that is not allowed now; ``str()`` is the Dutch reason for the user."""


def latest(draft: Draft) -> DraftVersion:
    """The draft's newest version; raises :class:`StepRefused` before the first save."""
    version = draft.latest_version()
    if version is None:
        raise StepRefused("Dit concept is nog niet opgeslagen en getoetst.")
    return version


def review_reasons(draft: Draft, version: DraftVersion | None = None) -> list[str]:
    """Why ``draft`` must go to the leidinggevende: codes from :data:`REASON_LABELS` (empty: no need)."""
    version = version or draft.latest_version()
    reasons = []
    if version is not None and version.verdict in (Verdict.REVIEW, Verdict.BLOCK):
        reasons.append("verdict")
    if draft.unsure:
        reasons.append("unsure")
    if SchoolChannel.objects.filter(school=draft.school, channel=draft.channel, always_four_eyes=True).exists():
        reasons.append("four_eyes")
    return reasons


def can_edit(draft: Draft, user) -> bool:
    """The author may save new versions while the draft is a concept, sent back or approved."""
    return draft.author_id == getattr(user, "pk", None) and draft.status in EDITABLE


def after_new_version(draft: Draft) -> None:
    """A new version voids an approval and answers a sending back: the draft is a concept again."""
    if draft.status in (DraftStatus.APPROVED, DraftStatus.SENT_BACK):
        draft.status = DraftStatus.CONCEPT
        draft.save(update_fields=["status", "updated_at"])


def may_publish(draft: Draft, user) -> bool:
    """Whether ``user`` may publish ``draft`` now (see :func:`publish_refusal`)."""
    return publish_refusal(draft, user) is None


def publish_refusal(draft: Draft, user) -> str | None:
    """Why ``user`` may not publish ``draft`` now (Dutch), or ``None`` when they may.

    Allowed: the author or communicatie/leidinggevende of the school; the
    latest version's verdict is not ``block``; the draft is approved (that
    version), or it needs no review and is a concept.
    """
    version = draft.latest_version()
    if version is None:
        return "Dit concept is nog niet opgeslagen en getoetst."
    if draft.author_id != user.pk and not Policy(user).can_publish_for(draft.school):
        return "Alleen de auteur, communicatie of de leidinggevende publiceert dit bericht."
    if version.verdict == Verdict.BLOCK:
        return "Het protocol verbiedt dit bericht; het kan niet gepubliceerd worden."
    if draft.status == DraftStatus.APPROVED:
        return None if _approved_version(draft) == version.pk else "De goedgekeurde versie is daarna gewijzigd."
    if draft.status != DraftStatus.CONCEPT:
        return f"Een concept met status '{draft.get_status_display()}' kan niet gepubliceerd worden."
    reasons = review_reasons(draft, version)
    if reasons:
        return "Eerst naar de leidinggevende: " + "; ".join(REASON_LABELS[r] for r in reasons) + "."
    return None


def _approved_version(draft: Draft) -> int | None:
    step = draft.steps.filter(step=Step.APPROVED).order_by("-at", "-id").first()
    return step.version_id if step else None


def _url(draft: Draft) -> str:
    for name in ("drafts:detail", "review:detail"):
        try:
            return reverse(name, args=[draft.pk])
        except NoReverseMatch:  # the drafts URLs may not be installed yet: the review page then
            continue
    return ""


def _managers(draft: Draft) -> list:
    roles = StaffRole.objects.filter(school=draft.school, role=Role.MANAGER).select_related("user")
    return [r.user for r in roles if r.user_id != draft.author_id]


def _step(draft: Draft, version: DraftVersion, step: Step, actor, *, reason: str = "", comment: str = "",
          ip: str | None = None) -> ReviewStep:
    entry = ReviewStep.objects.create(draft=draft, version=version, step=step, reason=reason, comment=comment,
                                      actor=actor, actor_label=actor_label(actor))
    record(f"draft.{step.value}", draft, actor=actor, school_id=draft.school_id, board_id=draft.school.board_id,
           changes={"version": version.number, "status": draft.status, "reason": reason}, ip=ip)
    return entry


def submit(draft: Draft, user, *, unsure: bool = False, comment: str = "", ip: str | None = None) -> ReviewStep:
    """The author offers the latest version to the leidinggevende (``unsure``: "bij twijfel").

    Raises :class:`StepRefused` for anyone but the author, for a draft that
    is not a concept or sent back, or before the first checked version.
    """
    if draft.author_id != user.pk:
        raise StepRefused("Alleen de auteur biedt een concept ter beoordeling aan.")
    if draft.status not in (DraftStatus.CONCEPT, DraftStatus.SENT_BACK):
        raise StepRefused(f"Een concept met status '{draft.get_status_display()}' kan niet worden aangeboden.")
    version = latest(draft)
    with transaction.atomic():
        if unsure and not draft.unsure:
            draft.unsure = True
        draft.status = DraftStatus.IN_REVIEW
        draft.save(update_fields=["status", "unsure", "updated_at"])
        reasons = review_reasons(draft, version) or ["author"]
        entry = _step(draft, version, Step.SUBMITTED, user, reason=",".join(reasons), comment=comment, ip=ip)
        notify(_managers(draft), "Nieuw bericht ter beoordeling",
               f"Een concept voor {draft.get_channel_display()} wacht op je beoordeling (versie {version.number}).",
               _url(draft))
    return entry


def _decide(draft: Draft, reviewer, step: Step, status: DraftStatus, comment: str, ip: str | None) -> ReviewStep:
    if draft.author_id == reviewer.pk:
        raise StepRefused("Je kunt je eigen bericht niet beoordelen: vraag een andere leidinggevende.")
    if not Policy(reviewer).can_review(draft.school):
        raise StepRefused("Alleen een leidinggevende van de school beoordeelt berichten.")
    if draft.status != DraftStatus.IN_REVIEW:
        raise StepRefused(f"Dit concept wacht niet op beoordeling (status: {draft.get_status_display()}).")
    version = latest(draft)
    if step != Step.SENT_BACK and version.verdict == Verdict.BLOCK:
        raise StepRefused("Het protocol verbiedt dit bericht: je kunt het alleen terugsturen, met een reden.")
    if step != Step.APPROVED and not comment.strip():
        raise StepRefused("Geef een reden, zodat de auteur weet wat er moet veranderen.")
    with transaction.atomic():
        draft.status = status
        draft.save(update_fields=["status", "updated_at"])
        entry = _step(draft, version, step, reviewer, comment=comment.strip(), ip=ip)
        notify([draft.author], f"Je bericht is {step.label}",
               f"Je concept voor {draft.get_channel_display()} (versie {version.number}) is {step.label}."
               + (" De toelichting staat in plaatsbaar." if comment.strip() else ""), _url(draft))  # free text may name pupils: not in mail
    return entry


def approve(draft: Draft, reviewer, comment: str = "", *, ip: str | None = None) -> ReviewStep:
    """A leidinggevende (not the author) approves the latest version; never a ``block`` verdict."""
    return _decide(draft, reviewer, Step.APPROVED, DraftStatus.APPROVED, comment, ip)


def send_back(draft: Draft, reviewer, comment: str, *, ip: str | None = None) -> ReviewStep:
    """A leidinggevende sends the draft back to its author with a reason (required)."""
    return _decide(draft, reviewer, Step.SENT_BACK, DraftStatus.SENT_BACK, comment, ip)


def reject(draft: Draft, reviewer, comment: str, *, ip: str | None = None) -> ReviewStep:
    """A leidinggevende rejects the draft for good, with a reason; not for ``block`` (send it back)."""
    return _decide(draft, reviewer, Step.REJECTED, DraftStatus.REJECTED, comment, ip)


def withdraw(draft: Draft, user, *, ip: str | None = None) -> ReviewStep:
    """The author takes a draft out of the queue; it is a concept again."""
    if draft.author_id != user.pk:
        raise StepRefused("Alleen de auteur kan een aangeboden concept terugnemen.")
    if draft.status != DraftStatus.IN_REVIEW:
        raise StepRefused("Dit concept staat niet ter beoordeling.")
    with transaction.atomic():
        draft.status = DraftStatus.CONCEPT
        draft.save(update_fields=["status", "updated_at"])
        return _step(draft, latest(draft), Step.WITHDRAWN, user, ip=ip)


def record_published(draft: Draft, user, version: DraftVersion, *, ip: str | None = None) -> ReviewStep:
    """Mark ``draft`` published (called by the publication service after :func:`publish_refusal`)."""
    draft.status = DraftStatus.PUBLISHED
    draft.save(update_fields=["status", "updated_at"])
    return _step(draft, version, Step.PUBLISHED, user, ip=ip)
