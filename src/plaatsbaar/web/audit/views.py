"""The audit log for the privacy officer (FG): filter by school, action and dates; export CSV.

Only schools where the user is FG (``Policy.can_view_audit``) are shown;
entries without a school (board level, accounts) are not part of this page.
"""

from __future__ import annotations

import csv
import json
from datetime import date

from django import forms
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import QuerySet
from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.utils import timezone

from plaatsbaar.web.audit.display import describe_changes, object_label
from plaatsbaar.web.audit.models import AuditEvent
from plaatsbaar.web.organisation.models import School
from plaatsbaar.web.organisation.policy import Policy

PAGE_SIZE = 50

#: Dutch descriptions of actions; unknown actions are shown by their code.
ACTION_LABELS = {
    "consent.given": "toestemming gegeven",
    "consent.refused": "toestemming geweigerd",
    "consent.withdrawn": "toestemming ingetrokken",
    "protocol.activated": "protocol geactiveerd",
    "person.created": "persoon toegevoegd",
    "person.updated": "persoon gewijzigd",
    "group.created": "groep toegevoegd",
    "guardianship.created": "ouder gekoppeld",
    "guardianship.updated": "koppeling ouder gewijzigd",
    "import.run": "import uitgevoerd",
    "round.opened": "toestemmingsronde geopend",
    "round.mailed": "ronde gemaild",
    "portal.link_issued": "portaallink uitgegeven",
    "person.deleted": "persoon verwijderd",
    "group.updated": "groep gewijzigd",
    "group.deleted": "groep verwijderd",
    "guardianship.deleted": "koppeling ouder verwijderd",
    "role.created": "rol toegekend",
    "role.updated": "rol gewijzigd",
    "role.deleted": "rol ingetrokken",
    "school.created": "school toegevoegd",
    "school.updated": "school gewijzigd",
    "category.created": "toestemmingscategorie toegevoegd",
    "category.updated": "toestemmingscategorie gewijzigd",
    "category.deactivated": "toestemmingscategorie uitgezet",
    "category.activated": "toestemmingscategorie aangezet",
    "category.deleted": "toestemmingscategorie verwijderd",
    "draft.created": "concept aangemaakt",
    "draft.saved": "concept opgeslagen",
    "draft.media_added": "beeld of geluid toegevoegd",
    "draft.face_tagged": "gezicht getagd",
    "draft.voices_tagged": "stemmen aangegeven",
    "draft.media_removed": "beeld of geluid verwijderd",
    "draft.fixes_applied": "oplossingen toegepast",
    "draft.reopened": "concept heropend",
    "draft.submitted": "ter beoordeling aangeboden",
    "draft.approved": "concept goedgekeurd",
    "draft.sent_back": "concept teruggestuurd",
    "draft.rejected": "concept afgewezen",
    "draft.published": "concept gepubliceerd",
    "draft.withdrawn": "concept teruggenomen",
    "publication.published": "gepubliceerd",
    "publication.removed": "publicatie verwijderd",
    "publication.fallback_mail": "groepsapp-bericht gemaild",
    "group_app.recorded": "gebruik groepsapp vastgelegd",
    "channel.created": "kanaal toegevoegd",
    "channel.updated": "kanaal gewijzigd",
    "takedown.opened": "verwijderverzoek geopend",
    "takedown.removed": "verwijderverzoek: verwijderd",
    "takedown.republished": "verwijderverzoek: opnieuw geplaatst, geblurd",
    "api_token.created": "API-sleutel aangemaakt",
    "api_token.revoked": "API-sleutel ingetrokken",
}
CSV_COLUMNS = ["tijdstip", "door", "actie", "soort", "object", "school", "wijziging", "vanaf"]


class AuditFilterForm(forms.Form):
    """The filters: one of the user's FG schools (or all of them), an action, a date range."""

    school = forms.TypedChoiceField(label="School", required=False, coerce=int, empty_value=None)
    action = forms.ChoiceField(label="Actie", required=False)
    from_date = forms.DateField(label="Vanaf", required=False, widget=forms.DateInput(attrs={"type": "date"}))
    to_date = forms.DateField(label="Tot en met", required=False, widget=forms.DateInput(attrs={"type": "date"}))

    def __init__(self, data, schools: list[School], actions: list[str]):
        super().__init__(data)
        self.fields["school"].choices = [("", "alle scholen")] + [(s.pk, s.name) for s in schools]
        self.fields["action"].choices = [("", "alle acties")] + [(a, ACTION_LABELS.get(a, a)) for a in actions]

    def clean(self):
        data = super().clean()
        start, end = data.get("from_date"), data.get("to_date")
        if start and end and start > end:
            raise forms.ValidationError("De begindatum ligt na de einddatum.")
        return data


def _auditable_schools(policy: Policy) -> list[School]:
    """The schools whose audit log the user may see; :class:`PermissionDenied` when none."""
    schools = [s for s in policy.schools().order_by("name") if policy.can_view_audit(s)]
    if not schools:
        raise PermissionDenied("alleen de functionaris gegevensbescherming (FG) ziet het auditlog")
    return schools


def _refuse_foreign_school(policy: Policy, school_id: str | None, allowed: list[School]) -> None:
    """A school in the query that is not the user's: 404 (not revealed), or 403 when the user
    has another role there."""
    if not school_id or not school_id.isdigit() or int(school_id) in {s.pk for s in allowed}:
        return
    school = School.objects.filter(pk=int(school_id)).first()
    if school is not None and policy.can_view_school(school):
        raise PermissionDenied("alleen de FG van deze school ziet het auditlog")
    raise Http404("school niet gevonden")


def filtered_events(schools: list[School], school_id: int | None, action: str, start: date | None,
                    end: date | None) -> QuerySet[AuditEvent]:
    """Audit entries of ``schools`` (or of the one with ``school_id``), newest first; dates are
    local (Europe/Amsterdam) and inclusive."""
    ids = [school_id] if school_id else [s.pk for s in schools]
    events = AuditEvent.objects.filter(school_id__in=ids)
    if action:
        events = events.filter(action=action)
    if start:
        events = events.filter(at__date__gte=start)
    if end:
        events = events.filter(at__date__lte=end)
    return events.order_by("-at", "-id")


def _filter(request) -> tuple[AuditFilterForm, QuerySet[AuditEvent], dict[int, str]]:
    policy = Policy(request.user)
    schools = _auditable_schools(policy)
    _refuse_foreign_school(policy, request.GET.get("school"), schools)
    actions = AuditEvent.objects.filter(school_id__in=[s.pk for s in schools]).order_by("action")
    form = AuditFilterForm(request.GET or None, schools, list(actions.values_list("action", flat=True).distinct()))
    names = {s.pk: s.name for s in schools}
    if form.is_bound and not form.is_valid():
        return form, AuditEvent.objects.none(), names
    data = form.cleaned_data if form.is_bound else {}
    events = filtered_events(schools, data.get("school"), data.get("action", ""), data.get("from_date"), data.get("to_date"))
    return form, events, names


@login_required
def audit_log(request):
    """The filtered audit log, 50 entries a page."""
    form, events, names = _filter(request)
    page = Paginator(events, PAGE_SIZE).get_page(request.GET.get("pagina"))
    rows = [
        (event, names.get(event.school_id, ""), ACTION_LABELS.get(event.action, event.action),
         object_label(event.object_type), describe_changes(event.changes))
        for event in page
    ]
    query = request.GET.copy()
    query.pop("pagina", None)
    context = {"form": form, "page": page, "rows": rows, "query": query.urlencode()}
    return render(request, "audit/log.html", context)


def _cell(value) -> str:
    """A CSV cell that a spreadsheet never runs as a formula."""
    text = str(value)
    return "'" + text if text[:1] in ("=", "+", "-", "@", "\t", "\r") else text


@login_required
def audit_export(request):
    """The filtered audit log as CSV (UTF-8 with BOM, for Excel)."""
    _form, events, names = _filter(request)
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    stamp = timezone.localtime().strftime("%Y%m%d-%H%M")
    response["Content-Disposition"] = f'attachment; filename="auditlog-{stamp}.csv"'
    response.write("\ufeff")
    writer = csv.writer(response, delimiter=";")
    writer.writerow(CSV_COLUMNS)
    for event in events.iterator():
        writer.writerow([_cell(v) for v in (
            timezone.localtime(event.at).strftime("%Y-%m-%d %H:%M:%S"),
            event.actor_label,
            event.action,
            event.object_type,
            event.object_id,
            names.get(event.school_id, ""),
            json.dumps(event.changes, ensure_ascii=False, sort_keys=True),
            event.ip or "",
        )])
    return response
