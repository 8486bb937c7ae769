"""Pages that belong to no single area: the start page."""

from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render

from plaatsbaar.web.organisation.policy import Policy
from plaatsbaar.web.portal.services import holder_for_user


@login_required
def home(request):
    """Staff: the schools they may see. Guardians and pupils without a staff role: their portal."""
    schools = Policy(request.user).schools().select_related("board").order_by("name")
    if not schools.exists() and holder_for_user(request.user) is not None:
        return redirect("portal:home")
    return render(request, "home.html", {"schools": schools})
