"""The staff's consent pages: per group, per pupil with the full history, the
paper form, and pupils who turned 16 and must be asked themselves.

Any role at the school may view; entering a paper form and giving a pupil their
own portal link need ``can_record_consent`` / ``can_issue_portal_link`` (403).
Schools, groups and pupils the user may not see answer 404.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from plaatsbaar.web.audit.services import client_ip
from plaatsbaar.web.consent import staff
from plaatsbaar.web.consent.forms import PaperForm, answer_rows
from plaatsbaar.web.consent.services import ConsentRefused, current_state, pupils_to_ask_at_16
from plaatsbaar.web.organisation.models import Group, Pupil
from plaatsbaar.web.organisation.policy import Policy
from plaatsbaar.web.organisation.services import visible_school
from plaatsbaar.web.portal import services as portal


def _pupil_or_404(policy: Policy, pupil_id: int) -> Pupil:
    pupil = get_object_or_404(Pupil.objects.select_related("school", "group"), pk=pupil_id)
    if not policy.can_view_pupil(pupil):
        raise Http404("Onbekende leerling")
    return pupil


@login_required
def school_page(request, school_id: int):
    """The school's groups, with links to the pupils who turned 16 and (leidinggevende, FG) the categories."""
    policy = Policy(request.user)
    school = visible_school(policy, school_id)
    groups = school.groups.order_by("-school_year", "name")
    context = {"school": school, "groups": groups, "may_manage_categories": policy.can_manage_consent_categories(school)}
    return render(request, "consent/school.html", context)


@login_required
def group_page(request, group_id: int):
    """Every pupil of a group with their current consent per category and media kind."""
    group = get_object_or_404(Group.objects.select_related("school"), pk=group_id)
    if not Policy(request.user).can_view_school(group.school):
        raise Http404("Onbekende groep")
    categories, lines = staff.group_overview(group, timezone.localdate())
    return render(request, "consent/group.html", {"group": group, "categories": categories, "lines": lines})


@login_required
def pupil_page(request, pupil_id: int):
    """One pupil's current consent and the full history of answers."""
    policy = Policy(request.user)
    pupil = _pupil_or_404(policy, pupil_id)
    today = timezone.localdate()
    answers = current_state([pupil])[pupil.pk]
    context = {
        "pupil": pupil,
        "decides_self": pupil.decides_own_consent(today),
        "answered_self": any(e.given_by_pupil for e in answers.values()),
        "rows": staff.state_rows(pupil, staff.active_categories(pupil.school_id), answers, today),
        "history": staff.history(pupil, today),
        "may_record": policy.can_record_consent(pupil),
        "may_issue_link": policy.can_issue_portal_link(pupil),
    }
    return render(request, "consent/pupil.html", context)


@login_required
def paper_form_page(request, pupil_id: int):
    """Enter a signed paper form (leidinggevende or FG only; others 403)."""
    policy = Policy(request.user)
    pupil = _pupil_or_404(policy, pupil_id)
    if not policy.can_record_consent(pupil):
        raise PermissionDenied("Alleen de leidinggevende of de FG voert papieren formulieren in.")
    today = timezone.localdate()
    categories = staff.active_categories(pupil.school_id)
    form = PaperForm(
        request.POST if request.method == "POST" else None,
        pupil=pupil,
        signers=staff.signers(pupil, today),
        categories=categories,
    )
    if request.method == "POST" and form.is_valid():
        try:
            staff.record_paper_form(
                pupil,
                form.cleaned_data["signer"],
                form.answers(),
                form_version=form.cleaned_data["form_version"],
                information_version=form.cleaned_data["information_version"],
                actor=request.user,
                ip=client_ip(request),
                today=today,
            )
        except ConsentRefused as exc:
            form.add_error(None, f"Niet opgeslagen: {exc}.")
        else:
            messages.success(request, "Het papieren formulier is ingevoerd.")
            return redirect("consent:pupil", pupil.pk)
    context = {"pupil": pupil, "form": form, "rows": answer_rows(form, categories, {})}
    return render(request, "consent/paper_form.html", context)


@login_required
def turned_16_page(request, school_id: int):
    """Pupils of 16+ who have not answered themselves yet, with a way to give them their own link."""
    policy = Policy(request.user)
    school = visible_school(policy, school_id)
    pupils = pupils_to_ask_at_16(school.pk, timezone.localdate())
    may_issue = bool(pupils) and policy.can_issue_portal_link(pupils[0])
    return render(request, "consent/turned_16.html", {"school": school, "pupils": pupils, "may_issue": may_issue})


@never_cache
@login_required
@require_POST
def pupil_link(request, pupil_id: int):
    """POST ``delivery=show|mail``: give a pupil of 16+ their own portal link (403 for other roles)."""
    policy = Policy(request.user)
    pupil = _pupil_or_404(policy, pupil_id)
    if not policy.can_issue_portal_link(pupil):
        raise PermissionDenied("Alleen de leidinggevende of de FG geeft leerlingen een eigen link.")
    delivery = "mail" if request.POST.get("delivery") == "mail" else "show"
    if delivery == "mail" and not pupil.email:
        messages.error(request, f"{pupil.first_name} heeft geen e-mailadres; laat de link zien of geef hem op papier.")
        return redirect("consent:turned_16", pupil.school_id)
    try:
        token = portal.issue_pupil_link(pupil, actor=request.user, ip=client_ip(request), today=timezone.localdate(), delivery=delivery)
    except ConsentRefused:
        raise PermissionDenied("Deze leerling is nog geen 16: de ouders/verzorgers beslissen.") from None
    url = request.build_absolute_uri(reverse("portal:link", args=[token]))
    if delivery == "mail":
        return _mail_link(request, pupil, url)
    return render(request, "consent/pupil_link.html", {"pupil": pupil, "url": url, "valid_days": portal.DEFAULT_MAX_AGE_DAYS})


def _mail_link(request, pupil: Pupil, url: str):
    try:
        portal.mail_pupil_link(pupil, url)
    except OSError:  # includes smtplib.SMTPException
        messages.error(request, "De e-mail kon niet worden verstuurd. Probeer het later opnieuw of laat de link zien.")
    else:
        messages.success(request, f"De link is gemaild naar {pupil.first_name}.")
    return redirect("consent:turned_16", pupil.school_id)
