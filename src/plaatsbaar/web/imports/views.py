"""Import page for the leidinggevende and the FG: upload, dry run, then import.

Thin views: the policy decides (``can_manage_people``), the services do the work.
"""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from plaatsbaar.web.audit.services import client_ip
from plaatsbaar.web.imports import services
from plaatsbaar.web.imports.forms import UploadForm
from plaatsbaar.web.imports.mappings import MappingError, available_mappings
from plaatsbaar.web.imports.models import PendingImport
from plaatsbaar.web.organisation.models import School
from plaatsbaar.web.organisation.policy import Policy


def _managed_school(request, school_id: int) -> School:
    """The school, if the user may import into it: 404 when not visible, 403 without the right role."""
    policy = Policy(request.user)
    school = get_object_or_404(policy.schools(), pk=school_id)
    if not policy.can_manage_people(school):
        raise PermissionDenied
    return school



@login_required
def index(request):
    """The schools the user may import into (straight to the one when there is one)."""
    policy = Policy(request.user)
    schools = [s for s in policy.schools().order_by("name") if policy.can_manage_people(s)]
    if not schools:
        raise PermissionDenied
    if len(schools) == 1:
        return redirect("imports:upload", school_id=schools[0].pk)
    return render(request, "imports/index.html", {"schools": schools})


@login_required
def upload(request, school_id: int):
    """GET: the form; POST: a dry run of the uploaded file, with 'Importeren' when it is usable."""
    school = _managed_school(request, school_id)
    try:
        mappings = available_mappings()
    except MappingError as exc:
        return render(request, "imports/upload.html", {"school": school, "mapping_error": str(exc)}, status=500)
    sources = {key: m.label for key, m in mappings.items()}
    form = UploadForm(sources, request.POST or None, request.FILES or None,
                      initial={"school_year": services.current_school_year()})
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            summary, pending = services.preview_upload(school, request.user, data["source"], data["school_year"], data["file"], ip=client_ip(request))
        except services.ImportRefused as exc:
            form.add_error(None, str(exc))
        else:
            return render(request, "imports/preview.html", {"school": school, "summary": summary, "pending": pending})
    return render(request, "imports/upload.html", {"school": school, "form": form, "mappings": mappings.values()})


@login_required
@require_POST
def confirm(request, school_id: int, pending_id: int):
    """Import the file whose dry run the user saw (only the uploader), or discard it."""
    school = _managed_school(request, school_id)
    pending = get_object_or_404(PendingImport, pk=pending_id, school=school, uploaded_by=request.user)
    if "annuleren" in request.POST:
        services.discard_pending(pending)
        return redirect("imports:upload", school_id=school.pk)
    summary = services.import_pending(pending, actor=request.user, ip=client_ip(request))
    return render(request, "imports/result.html", {"school": school, "summary": summary})
