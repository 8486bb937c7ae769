"""Pages that belong to no single area: the start page."""

from dataclasses import dataclass

from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render

from plaatsbaar.web.organisation.models import School
from plaatsbaar.web.organisation.policy import Policy
from plaatsbaar.web.portal.services import holder_for_user
from plaatsbaar.web.publication.freshness import stale_channels
from plaatsbaar.web.review.services import queue, reviewable_schools
from plaatsbaar.web.takedown.services import open_count


@dataclass(frozen=True)
class SchoolRow:
    """One school on the start page with what the user may do there.

    ``stale``: Dutch warnings for channels silent longer than allowed (only for
    those who publish for the school); ``None`` when the user does not publish.
    """

    school: School
    writes: bool
    publishes: bool
    stale: list[str] | None


def _school_row(policy: Policy, school: School) -> SchoolRow:
    publishes = policy.can_publish_for(school)
    stale = [f"{row.channel.get_channel_display()}: {row.warning}" for row in stale_channels(school)] if publishes else None
    return SchoolRow(school, policy.can_write_drafts(school), publishes, stale)


@login_required
def home(request):
    """Staff: the schools they may see, with the review queue, open takedowns and silent channels.
    Guardians and pupils without a staff role: their portal."""
    policy = Policy(request.user)
    schools = policy.schools().select_related("board").order_by("name")
    if not schools.exists() and holder_for_user(request.user) is not None:
        return redirect("portal:home")
    reviewing = reviewable_schools(policy)
    return render(request, "home.html", {
        "rows": [_school_row(policy, school) for school in schools],
        "review_count": len(queue(request.user, reviewing)) if reviewing else None,
        "takedown_count": open_count(request.user),
    })
