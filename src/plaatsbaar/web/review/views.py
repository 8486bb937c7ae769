"""Pages of the review area: the leidinggevende's queue, a draft's review page and the review steps.

Who may do a step is answered here with the policy: a step by the wrong
person (not the author; not a leidinggevende of the school; one's own draft)
is 403. Whether the step is possible now (status, ``block`` verdict, a
missing reason) is the workflow's to say: it refuses with a Dutch message,
shown on the draft page after the redirect. Drafts of a school where the
user has no role answer 404.
"""

from __future__ import annotations

from collections.abc import Callable

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST

from plaatsbaar.web.audit.services import client_ip
from plaatsbaar.web.drafts.models import Draft, DraftStatus
from plaatsbaar.web.organisation.policy import Policy
from plaatsbaar.web.review import services, workflow
from plaatsbaar.web.review.forms import COMMENT_MAX, DecisionForm, SubmitForm

NOT_AUTHOR = "Alleen de auteur van dit bericht kan dat doen."
NOT_REVIEWER = "Alleen een leidinggevende van de school beoordeelt berichten."
OWN_DRAFT = "Je kunt je eigen bericht niet beoordelen: een andere leidinggevende beoordeelt het."
TOO_LONG = f"De toelichting is te lang (hoogstens {COMMENT_MAX} tekens)."


def _draft(policy: Policy, draft_id: int) -> Draft:
    draft = get_object_or_404(Draft.objects.select_related("school", "author"), pk=draft_id)
    if not policy.can_view_school(draft.school):
        raise Http404("bericht niet gevonden")
    return draft


def _back(request, draft: Draft):
    """To ``next`` when it is a page of this site, else to the draft's page."""
    target = request.POST.get("next", "")
    if target and url_has_allowed_host_and_scheme(target, {request.get_host()}, require_https=request.is_secure()):
        return redirect(target)
    return redirect(services.draft_url(draft))


def _run(request, draft: Draft, step: Callable[[Draft], object], done: str):
    """Run a workflow ``step`` on the locked draft; its refusal becomes an error message."""
    try:
        with transaction.atomic():
            step(Draft.objects.select_for_update(of=("self",)).select_related("school", "author").get(pk=draft.pk))
    except workflow.StepRefused as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, done)
    return _back(request, draft)


def _as_author(request, draft_id: int) -> Draft:
    draft = _draft(Policy(request.user), draft_id)
    if draft.author_id != request.user.pk:
        raise PermissionDenied(NOT_AUTHOR)
    return draft


def _as_reviewer(request, draft_id: int) -> Draft:
    policy = Policy(request.user)
    draft = _draft(policy, draft_id)
    if not services.may_decide(draft, policy):
        raise PermissionDenied(OWN_DRAFT if draft.author_id == request.user.pk else NOT_REVIEWER)
    return draft


@login_required
def queue(request):
    """The drafts waiting at the schools where the user is leidinggevende, longest waiting first."""
    schools = services.reviewable_schools(Policy(request.user))
    if not schools:
        raise PermissionDenied("Alleen een leidinggevende heeft berichten te beoordelen.")
    items = services.queue(request.user, schools)
    return render(request, "review/queue.html", {"items": items, "schools": schools})


@login_required
def detail(request, draft_id: int):
    """A draft's latest version, verdict, findings, media and history; the decisions the viewer may take."""
    policy = Policy(request.user)
    draft = _draft(policy, draft_id)
    if not services.may_view(draft, policy):
        raise PermissionDenied("Alleen de auteur en de leidinggevenden van de school zien deze pagina.")
    version = draft.latest_version()
    is_author = draft.author_id == request.user.pk
    context = {
        "draft": draft,
        "version": version,
        "findings": services.findings(version),
        "history": services.history(draft),
        "media": services.publishable_media(draft),
        "decisions": services.decisions(draft, version, policy),
        "is_author": is_author,
        "may_decide": services.may_decide(draft, policy),
        "can_submit": is_author and services.may_submit(draft, version),
        "can_withdraw": is_author and draft.status == DraftStatus.IN_REVIEW,
        "draft_url": services.draft_url(draft),
        "submit_form": SubmitForm(),
    }
    return render(request, "review/detail.html", context)


def _decision(request, draft_id: int, decide, done: str):
    draft = _as_reviewer(request, draft_id)
    form = DecisionForm(request.POST)
    if not form.is_valid():
        messages.error(request, TOO_LONG)
        return _back(request, draft)
    comment = form.cleaned_data["comment"]
    return _run(request, draft, lambda d: decide(d, request.user, comment, ip=client_ip(request)), done)


@login_required
@require_POST
def submit(request, draft_id: int):
    """The author offers the draft to the leidinggevende (``unsure=1``: "bij twijfel")."""
    draft = _as_author(request, draft_id)
    form = SubmitForm(request.POST)
    if not form.is_valid():
        messages.error(request, TOO_LONG)
        return _back(request, draft)
    data = form.cleaned_data
    return _run(request, draft, lambda d: workflow.submit(d, request.user, unsure=data["unsure"],
                                                          comment=data["comment"], ip=client_ip(request)),
                "Je bericht staat nu bij de leidinggevende; je krijgt bericht zodra het beoordeeld is.")


@login_required
@require_POST
def withdraw(request, draft_id: int):
    """The author takes the draft out of the queue; it is a concept again."""
    draft = _as_author(request, draft_id)
    return _run(request, draft, lambda d: workflow.withdraw(d, request.user, ip=client_ip(request)),
                "Je hebt het bericht teruggenomen; het is weer een concept.")


@login_required
@require_POST
def approve(request, draft_id: int):
    """A leidinggevende (not the author) approves the latest version."""
    return _decision(request, draft_id, workflow.approve, "Goedgekeurd. De auteur krijgt bericht en kan het plaatsen.")


@login_required
@require_POST
def send_back(request, draft_id: int):
    """A leidinggevende sends the draft back to its author with a reason."""
    return _decision(request, draft_id, workflow.send_back, "Teruggestuurd naar de auteur, met je toelichting.")


@login_required
@require_POST
def reject(request, draft_id: int):
    """A leidinggevende rejects the draft for good, with a reason."""
    return _decision(request, draft_id, workflow.reject, "Afgewezen. De auteur krijgt bericht, met je toelichting.")
