"""Pages of the consent round: overview, opening a round, dashboard, class lists, no-photo exports.

Every staff role of a school sees its rounds, class lists and exports;
leidinggevende and communicatie open rounds and send mails. Objects of a
school the user has no role at answer 404.
"""

from __future__ import annotations

from datetime import timedelta

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse, HttpResponseBadRequest
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.text import slugify
from django.views.decorators.http import require_POST

from plaatsbaar.web.audit.services import client_ip
from plaatsbaar.web.consent.models import MEDIA_KINDS
from plaatsbaar.web.organisation.models import Group
from plaatsbaar.web.organisation.policy import Policy
from plaatsbaar.web.organisation.services import visible_school
from plaatsbaar.web.rounds import dashboard, exports, services
from plaatsbaar.web.rounds.forms import NoPhotoForm, OpenRoundForm
from plaatsbaar.web.rounds.models import ConsentRound

DEFAULT_ANSWER_DAYS = 21  # suggested time between opening a round and its deadline




def _visible_round(policy: Policy, round_id: int) -> ConsentRound:
    consent_round = get_object_or_404(ConsentRound.objects.select_related("school"), pk=round_id)
    if not policy.can_view_school(consent_round.school):
        raise Http404
    return consent_round


def _summary_message(request, summary: services.MailSummary, what: str) -> None:
    messages.success(request, f"{what}: {summary.sent} e-mail(s) verstuurd.")
    if summary.failed:
        messages.warning(request, f"{summary.failed} e-mail(s) konden niet worden afgeleverd; ze worden later opnieuw geprobeerd.")
    if summary.without_address:
        messages.warning(request, f"Voor {summary.without_address} leerling(en) is geen e-mailadres bekend: geef hun een papieren formulier.")


@login_required
def index(request):
    """Per visible school: its rounds, the progress of the latest one and the actions allowed."""
    policy = Policy(request.user)
    schools = list(policy.schools().order_by("name"))
    latest = dashboard.latest_rounds(schools)
    progress = dashboard.round_totals(list(latest.values()))
    rows = [
        {"school": s, "round": latest.get(s.pk), "totals": progress.get(s.pk), "can_open": policy.can_open_round(s)}
        for s in schools
    ]
    return render(request, "rounds/index.html", {"rows": rows, "today": timezone.localdate()})


@login_required
def open_round(request, school_id: int):
    """The form to open a round (leidinggevende, communicatie); sends the invitations."""
    policy = Policy(request.user)
    school = visible_school(policy, school_id)
    if not policy.can_open_round(school):
        raise PermissionDenied
    today = timezone.localdate()
    initial = {"school_year": services.current_school_year(today), "deadline": today + timedelta(days=DEFAULT_ANSWER_DAYS)}
    form = OpenRoundForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            consent_round = services.open_round(school, actor=request.user, ip=client_ip(request), **form.cleaned_data)
        except services.RoundRefused as exc:
            form.add_error(None, str(exc))
        else:
            _send(request, consent_round, services.send_invitations, "Ronde geopend")
            return redirect("rounds:dashboard", round_id=consent_round.pk)
    return render(request, "rounds/open.html", {"school": school, "form": form})


def _send(request, consent_round: ConsentRound, sender, what: str) -> None:
    try:
        _summary_message(request, sender(consent_round, actor=request.user), what)
    except services.MailServerUnavailable as exc:
        messages.error(request, f"{what}: niets verstuurd, {exc}. Probeer het later opnieuw.")


@login_required
@require_POST
def send_due_mails(request, round_id: int):
    """Send pending invitations and due reminders now (leidinggevende, communicatie)."""
    policy = Policy(request.user)
    consent_round = _visible_round(policy, round_id)
    if not policy.can_open_round(consent_round.school):
        raise PermissionDenied
    _send(request, consent_round, services.send_invitations, "Uitnodigingen")
    _send(request, consent_round, services.send_reminders, "Herinneringen")
    return redirect("rounds:dashboard", round_id=consent_round.pk)


@login_required
def round_dashboard(request, round_id: int):
    """Per class: pupils, answered, not answered, said no; links to names and exports."""
    policy = Policy(request.user)
    consent_round = _visible_round(policy, round_id)
    summaries = dashboard.class_summaries([consent_round])
    context = {
        "round": consent_round,
        "summaries": summaries,
        "totals": dashboard.totals(summaries),
        "is_open": consent_round.is_open(timezone.localdate()),
        "can_send": policy.can_open_round(consent_round.school),
        "mails": consent_round.mails.count(),
    }
    return render(request, "rounds/dashboard.html", context)


@login_required
def class_names(request, round_id: int, group_id: int | None = None):
    """The pupils of one class (or without a class) by status: not answered, said no, answered."""
    policy = Policy(request.user)
    consent_round = _visible_round(policy, round_id)
    group = None if group_id is None else get_object_or_404(Group, pk=group_id, school=consent_round.school)
    statuses = dashboard.class_detail(consent_round, group)
    context = {
        "round": consent_round,
        "group_name": group.name if group else dashboard.NO_GROUP,
        "waiting": [s for s in statuses if not s.answered],
        "refusing": [s for s in statuses if s.refused],
        "answered": [s for s in statuses if s.answered and not s.refused],
    }
    return render(request, "rounds/class.html", context)


@login_required
def no_photo_page(request, school_id: int):
    """Choose a class, category and media kind for the no-photo list."""
    policy = Policy(request.user)
    school = visible_school(policy, school_id)
    categories = school.consent_categories.filter(active=True)
    groups = school.groups.order_by("-school_year", "name")
    form = NoPhotoForm(request.GET or None, categories=categories)
    query = request.GET.urlencode() if form.is_valid() else ""
    return render(request, "rounds/no_photo.html", {"school": school, "groups": groups, "form": form, "query": query})


@login_required
def no_photo_export(request, group_id: int, fmt: str):
    """The no-photo list of a class as CSV or PDF (``?categorie=<code>&soort=photo``)."""
    policy = Policy(request.user)
    group = get_object_or_404(Group.objects.select_related("school"), pk=group_id)
    if not policy.can_view_school(group.school):
        raise Http404
    media_kind = request.GET.get("soort") or "photo"
    if media_kind not in dict(MEDIA_KINDS):
        return HttpResponseBadRequest("Onbekende soort opname; kies photo, video of audio.", content_type="text/plain; charset=utf-8")
    try:
        categories = exports.chosen_categories(group.school, request.GET.get("categorie") or None)
    except exports.UnknownCategory as exc:
        return HttpResponseBadRequest(f"{exc}.", content_type="text/plain; charset=utf-8")
    rows = exports.no_photo_list(group, categories, media_kind)
    name = f"geen-{slugify(dict(MEDIA_KINDS)[media_kind])}-{slugify(group.name)}-{group.school_year}"
    if fmt == "csv":
        response = HttpResponse("\ufeff" + exports.no_photo_csv(rows, group), content_type="text/csv; charset=utf-8")
    else:
        response = HttpResponse(exports.no_photo_pdf(rows, group, categories, media_kind), content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{name}.{fmt}"'
    response["Cache-Control"] = "no-store"
    return response
