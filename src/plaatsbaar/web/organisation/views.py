"""Pages of the school's protocol: read it (every staff role), choose or upload it (managers)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect, render

from plaatsbaar.core.protocol.loader import ProtocolError
from plaatsbaar.web.audit.services import client_ip
from plaatsbaar.web.organisation.forms import BuiltinProtocolForm, UploadProtocolForm
from plaatsbaar.web.organisation.models import ProtocolVersion
from plaatsbaar.web.organisation.policy import Policy
from plaatsbaar.web.organisation.services import (
    MAX_PROTOCOL_BYTES,
    activate_protocol,
    read_upload,
    describe_scope,
    load_version,
    protocol_history,
    sections,
    visible_school,
)

BUILTIN, UPLOAD = "meegeleverd", "eigen"


@login_required
def protocol_page(request, school_id: int, version_id: int | None = None):
    """The active protocol (or one version of the history): articles and rules, read-only."""
    policy = Policy(request.user)
    school = visible_school(policy, school_id)
    if version_id is None:
        version = school.active_protocol()
    else:
        version = get_object_or_404(ProtocolVersion, pk=version_id, school=school)
    protocol, error = None, None
    if version is not None:
        try:
            protocol = load_version(version)
        except ProtocolError as exc:
            error = exc
    context = {
        "school": school,
        "version": version,
        "protocol": protocol,
        "error": error,
        "sections": sections(protocol) if protocol else [],
        "rules": [(rule, describe_scope(rule)) for rule in protocol.rules] if protocol else [],
        "can_manage": policy.can_manage_protocol(school),
    }
    return render(request, "organisation/protocol.html", context)


@login_required
def protocol_manage(request, school_id: int):
    """Choose a shipped protocol or upload the school's own; shows the version history."""
    policy = Policy(request.user)
    school = visible_school(policy, school_id)
    if not policy.can_manage_protocol(school):
        raise PermissionDenied("alleen de leidinggevende of het bestuur kiest het protocol")
    builtin_form = BuiltinProtocolForm(prefix=BUILTIN)
    upload_form = UploadProtocolForm(prefix=UPLOAD)
    problems = []
    if request.method == "POST":
        source = request.POST.get("bron")
        if source == BUILTIN:
            builtin_form = BuiltinProtocolForm(request.POST, prefix=BUILTIN)
            form, fields = builtin_form, lambda data: {"builtin_id": data["builtin_id"]}
        else:
            upload_form = UploadProtocolForm(request.POST, request.FILES, prefix=UPLOAD)
            form, fields = upload_form, _uploaded_yaml
        if form.is_valid():
            try:
                activate_protocol(school, actor=request.user, note=form.cleaned_data["note"], ip=client_ip(request),
                                  **fields(form.cleaned_data))
            except ProtocolError as exc:
                problems = exc.problems
            else:
                messages.success(request, "Het nieuwe protocol is actief. De vorige versie staat in de geschiedenis.")
                return redirect("organisation:protocol_manage", school_id=school.pk)
    context = {
        "school": school,
        "active": school.active_protocol(),
        "builtin_form": builtin_form,
        "upload_form": upload_form,
        "problems": problems,
        "history": protocol_history(school),
        "max_mb": MAX_PROTOCOL_BYTES // 1_000_000,
    }
    return render(request, "organisation/protocol_manage.html", context, status=400 if problems else 200)


def _uploaded_yaml(data: dict) -> dict:
    """The service arguments for an uploaded file; raises ``ProtocolError`` for a bad file."""
    return {"yaml_text": read_upload(data["yaml_file"])}
