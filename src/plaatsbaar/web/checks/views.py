"""The check page: staff check a draft against the school's protocol, as the CLI does."""

from __future__ import annotations

import mimetypes

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST

from plaatsbaar.core.vocabulary import Channel
from plaatsbaar.web.checks.forms import DraftForm, SetupForm
from plaatsbaar.web.checks.services import (
    CheckRefused,
    author_of,
    class_consent,
    default_group,
    run_check,
    school_groups,
    school_protocol,
)
from plaatsbaar.web.checks.storage import PUBLISHABLE, RETENTION, discard, owned_file
from plaatsbaar.web.organisation.policy import Policy
from plaatsbaar.web.organisation.services import CHANNEL_LABELS, visible_school


@login_required
def start(request):
    """The schools the user may check drafts for; with one school, straight to its page."""
    policy = Policy(request.user)
    schools = [s for s in policy.schools().order_by("name") if policy.can_check_drafts(s)]
    if len(schools) == 1:
        return redirect("checks:check", school_id=schools[0].pk)
    return render(request, "checks/start.html", {"schools": schools})


@login_required
def check(request, school_id: int):
    """Step 1 (GET): channel and class; step 2 (POST): the draft, checked on submit."""
    policy = Policy(request.user)
    school = visible_school(policy, school_id)
    if not policy.can_check_drafts(school):
        raise PermissionDenied("je hebt geen rol bij deze school waarmee je berichten toetst")
    data = request.POST if request.method == "POST" else (request.GET or None)
    setup = SetupForm(data, school_groups(school), default_group(school, request.user))
    channel, group = setup.choice()
    pupils = class_consent(group, Channel(channel))
    outcome = None
    if request.method == "POST":
        form = DraftForm(request.POST, request.FILES, pupils=pupils)
        if form.is_valid():
            try:
                outcome = run_check(school, request.user, request.session, form.draft(channel))
            except CheckRefused as exc:
                form.add_error(None, str(exc))
    else:
        form = DraftForm(pupils=pupils, initial={"function": author_of(request.user, school, "").function or ""})
    try:
        protocol, no_protocol = school_protocol(school), None
    except CheckRefused as exc:
        protocol, no_protocol = None, str(exc)
    context = {
        "school": school, "setup": setup, "channel": channel, "channel_label": CHANNEL_LABELS[channel],
        "group": group, "pupils": pupils, "form": form, "outcome": outcome, "protocol": protocol,
        "no_protocol": no_protocol, "retention_hours": int(RETENTION.total_seconds() // 3600),
    }
    return render(request, "checks/check.html", context)


@login_required
def photo(request, token: str, which: str, name: str):
    """A photo of one of this session's checks (original or publishable); 404 for anyone else.

    ``?download=1`` offers it as a download.
    """
    path = owned_file(request.session, token, which, name)
    if path is None:
        raise Http404("foto niet gevonden")
    prefix = "plaatsbaar" if which == PUBLISHABLE else "origineel"
    response = FileResponse(path.open("rb"), content_type=mimetypes.guess_type(name)[0] or "application/octet-stream",
                            as_attachment=request.GET.get("download") == "1", filename=f"{prefix}-{name}")
    response["Cache-Control"] = "private, no-store"
    return response


@login_required
@require_POST
def discard_photos(request, token: str):
    """Delete a check's photos now (they would be deleted automatically later)."""
    if not discard(request.session, token):
        raise Http404("foto's niet gevonden")
    messages.success(request, "De foto's van deze toets zijn verwijderd.")
    target = request.POST.get("next", "")
    if url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}, require_https=request.is_secure()):
        return redirect(target)
    return redirect("checks:start")
