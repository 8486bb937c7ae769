"""The school's consent categories: list, add, edit, deactivate/activate, delete.

Only the leidinggevende and the FG of the school (``Policy.can_manage_consent_categories``;
other roles 403); a school or category of a school the user has no role at
answers 404. Every change goes through :mod:`plaatsbaar.web.consent.categories` (audited).
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from plaatsbaar.web.audit.services import client_ip
from plaatsbaar.web.consent import categories as service
from plaatsbaar.web.consent.category_forms import CHANNEL_CHOICES, CategoryForm
from plaatsbaar.web.consent.models import ConsentCategory
from plaatsbaar.web.organisation.models import School
from plaatsbaar.web.organisation.policy import Policy
from plaatsbaar.web.organisation.services import visible_school

FORBIDDEN = "Alleen de leidinggevende of de FG van de school beheert de toestemmingscategorieën."


def _managed_school(request, school_id: int) -> School:
    policy = Policy(request.user)
    school = visible_school(policy, school_id)
    if not policy.can_manage_consent_categories(school):
        raise PermissionDenied(FORBIDDEN)
    return school


def _managed_category(request, category_id: int) -> ConsentCategory:
    category = get_object_or_404(ConsentCategory.objects.select_related("school__board"), pk=category_id)
    policy = Policy(request.user)
    if not policy.can_view_school(category.school):
        raise Http404("onbekende categorie")
    if not policy.can_manage_consent_categories(category.school):
        raise PermissionDenied(FORBIDDEN)
    return category


@login_required
def category_list(request, school_id: int):
    """Every category of the school, also deactivated ones, with its number of answers."""
    school = _managed_school(request, school_id)
    labels = dict(CHANNEL_CHOICES)
    rows = [(c, labels.get(c.channel, c.channel) if c.channel else "") for c in service.categories_with_counts(school)]
    context = {"school": school, "rows": rows}
    return render(request, "consent/categories.html", context)


@login_required
def category_add(request, school_id: int):
    """Add a category (it is asked at once, in the portal and on the forms)."""
    school = _managed_school(request, school_id)
    form = CategoryForm(request.POST or None, with_code=True, initial={"order": service.next_order(school)})
    if request.method == "POST" and form.is_valid():
        try:
            category = service.create_category(school, form.data_object(), code=form.cleaned_data["code"],
                                               actor=request.user, ip=client_ip(request))
        except service.CategoryRefused as exc:
            form.add_error(None, f"Niet opgeslagen: {exc}.")
        else:
            messages.success(request, f"De categorie '{category.label}' is toegevoegd.")
            return redirect("consent:categories", school.pk)
    return render(request, "consent/category_form.html", {"school": school, "form": form, "category": None})


@login_required
def category_edit(request, category_id: int):
    """Change label, explanation, channel and order of a category."""
    category = _managed_category(request, category_id)
    initial = {"label": category.label, "explanation": category.explanation, "channel": category.channel, "order": category.order}
    form = CategoryForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            changed = service.update_category(category, form.data_object(), actor=request.user, ip=client_ip(request))
        except service.CategoryRefused as exc:
            form.add_error(None, f"Niet opgeslagen: {exc}.")
        else:
            messages.success(request, "De wijziging is opgeslagen." if changed else "Er was niets gewijzigd.")
            return redirect("consent:categories", category.school_id)
    context = {"school": category.school, "form": form, "category": category, "answers": category.events.count()}
    return render(request, "consent/category_form.html", context)


@login_required
@require_POST
def category_set_active(request, category_id: int, active: bool):
    """POST: deactivate (no longer asked, answers no longer count) or activate a category again."""
    category = _managed_category(request, category_id)
    service.set_active(category, active, actor=request.user, ip=client_ip(request))
    if active:
        messages.success(request, f"'{category.label}' wordt weer gevraagd.")
    else:
        messages.success(request, f"'{category.label}' staat uit: ouders zien hem niet meer en eerdere antwoorden tellen niet meer mee.")
    return redirect("consent:categories", category.school_id)


@login_required
@require_POST
def category_delete(request, category_id: int):
    """POST: delete a category without answers (one with answers is refused: deactivate it)."""
    category = _managed_category(request, category_id)
    label = category.label
    try:
        service.delete_category(category, actor=request.user, ip=client_ip(request))
    except service.CategoryRefused as exc:
        messages.error(request, f"Niet verwijderd: {exc}.")
    else:
        messages.success(request, f"De categorie '{label}' is verwijderd.")
    return redirect("consent:categories", category.school_id)
