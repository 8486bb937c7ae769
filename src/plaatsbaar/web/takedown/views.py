"""Pages of the takedown register: the open takedowns with their age, one takedown, and closing it.

The publisher sees their own takedowns; FG, communicatie and leidinggevende
see all of their school (with counts of overdue ones). Closing (marking the
item removed, or re-publishing it with the pupil blurred) is a POST for the
publisher, communicatie or leidinggevende. A takedown of a school the user
has no role at answers 404; a takedown of their school they may not see, 403.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from plaatsbaar.web.audit.services import client_ip
from plaatsbaar.web.organisation.policy import Policy
from plaatsbaar.web.review.workflow import StepRefused
from plaatsbaar.web.takedown import services
from plaatsbaar.web.takedown.models import Takedown


def _visible(policy: Policy, takedown_id: int) -> Takedown:
    takedown = get_object_or_404(
        Takedown.objects.select_related("publication", "publication__school", "pupil", "pupil__group", "closed_by"),
        pk=takedown_id,
    )
    if not policy.can_view_school(takedown.publication.school):
        raise Http404("verwijderverzoek niet gevonden")
    if not policy.can_view_takedown(takedown):
        raise PermissionDenied
    return takedown


@login_required
def index(request):
    """The open takedowns the user may see, oldest first, with their age in days."""
    rows = services.open_rows(request.user)
    context = {
        "rows": rows,
        "summaries": services.school_summaries(request.user, rows),
        "overdue_days": services.OVERDUE_DAYS,
    }
    return render(request, "takedown/index.html", context)


@login_required
def detail(request, takedown_id: int):
    """One takedown: the publication, why, how old, and (for those allowed) the two ways to close it."""
    policy = Policy(request.user)
    takedown = _visible(policy, takedown_id)
    context = {
        "takedown": takedown,
        "age": services.age_in_days(takedown, timezone.localdate()),
        "can_close": policy.can_close_takedown(takedown) and takedown.status == "open",
        "channel": services.channel_name(takedown.publication.channel),
    }
    return render(request, "takedown/detail.html", context)


def _closing_view(step, done: str):
    """A POST view running ``step(takedown, user, ip=…)``; refusals become a message on the detail page."""

    @require_POST
    @login_required
    def view(request, takedown_id: int):
        policy = Policy(request.user)
        takedown = _visible(policy, takedown_id)
        if not policy.can_close_takedown(takedown):
            raise PermissionDenied
        try:
            step(takedown, request.user, ip=client_ip(request))
        except (services.TakedownRefused, StepRefused) as exc:
            messages.error(request, str(exc))
        else:
            messages.success(request, done)
        return redirect("takedown:detail", takedown.pk)

    view.__doc__ = step.__doc__
    return view


removed = _closing_view(services.mark_removed, "Gemarkeerd als verwijderd.")
republish = _closing_view(services.republish_blurred, "Opnieuw geplaatst met de leerling onherkenbaar.")
