"""Pages that belong to no single area: the start page."""

from django.contrib.auth.decorators import login_required
from django.shortcuts import render

from plaatsbaar.web.organisation.policy import Policy


@login_required
def home(request):
    """The schools the user may see, with their active protocol."""
    schools = Policy(request.user).schools().select_related("board").order_by("name")
    return render(request, "home.html", {"schools": schools})
