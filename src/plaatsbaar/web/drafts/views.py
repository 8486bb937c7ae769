"""The drafts pages: my drafts, one draft (text, files, face tags, check), and its private files.

Permissions: a draft of a school where the user has no role is a 404; its page
is open to the author and to leidinggevende, communicatie and FG; only the
author changes it, and only while :func:`workflow.can_edit` allows (else 403).
Originals are served only when :func:`services.can_see_original`; the
publishable files only to those who may open the draft page (published copies
are served by the publication app). Other users get 404 for files.
"""

from __future__ import annotations

import mimetypes

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import OuterRef, Subquery
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.urls import NoReverseMatch, reverse
from django.views.decorators.http import require_POST

from plaatsbaar.web.audit.services import client_ip
from plaatsbaar.web.checks.services import author_of
from plaatsbaar.web.drafts import services
from plaatsbaar.web.drafts.forms import NewDraftForm, TagForm, TextForm, UploadForm, VoiceForm
from plaatsbaar.web.drafts.models import Draft, DraftVersion
from plaatsbaar.web.drafts.pages import draft_context
from plaatsbaar.web.organisation.policy import Policy
from plaatsbaar.web.organisation.services import CHANNEL_LABELS, visible_school
from plaatsbaar.web.review import workflow

#: URL word for each file: original, publishable, a video's still.
FILE_WORDS = {"origineel": services.ORIGINAL, "publiceren": services.PUBLISHABLE, "beeld": services.STILL}


def _visible(request, pk: int) -> Draft:
    """The draft when the user has a role at its school, else 404 (no other school's data)."""
    draft = Draft.objects.select_related("school__board", "group", "author").filter(pk=pk).first()
    if draft is None or not Policy(request.user).can_view_school(draft.school):
        raise Http404("bericht niet gevonden")
    return draft


def _viewable(request, pk: int) -> Draft:
    draft = _visible(request, pk)
    if not services.can_view_draft(request.user, draft):
        raise PermissionDenied("alleen de auteur, de leidinggevende, communicatie en de FG zien dit bericht")
    return draft


def _editable(request, pk: int) -> Draft:
    draft = _viewable(request, pk)
    if draft.author_id != request.user.pk:
        raise PermissionDenied("alleen de auteur wijzigt dit bericht")
    if not workflow.can_edit(draft, request.user):
        raise PermissionDenied(f"dit bericht kan nu niet worden gewijzigd (status: {draft.get_status_display()}); "
                               "neem het eerst terug")
    return draft


def _new_forms(user) -> list[tuple[object, NewDraftForm]]:
    policy = Policy(user)
    schools = [s for s in policy.schools().order_by("name") if policy.can_write_drafts(s)]
    return [(s, NewDraftForm(channels=services.allowed_channels(s), groups=services.allowed_groups(s, user),
                             prefix=f"school{s.pk}")) for s in schools]


def _my_drafts(user) -> list[Draft]:
    """The user's drafts, newest change first, with ``verdict`` (latest version) and ``channel_label``."""
    verdicts = DraftVersion.objects.filter(draft=OuterRef("pk")).order_by("-number").values("verdict")[:1]
    drafts = list(Draft.objects.filter(author=user).select_related("school", "group").annotate(verdict=Subquery(verdicts)))
    for draft in drafts:
        draft.channel_label = CHANNEL_LABELS.get(draft.channel, draft.channel)
    return drafts


@login_required
def index(request):
    """My drafts (status, channel, verdict, last change) and a form per school for a new one."""
    return render(request, "drafts/index.html", {"drafts": _my_drafts(request.user), "new_forms": _new_forms(request.user)})


@login_required
@require_POST
def create(request, school_id: int):
    """Create a concept for the chosen channel and class; on to its page."""
    policy = Policy(request.user)
    school = visible_school(policy, school_id)
    if not policy.can_write_drafts(school):
        raise PermissionDenied("je maakt geen berichten voor deze school")
    form = NewDraftForm(request.POST, channels=services.allowed_channels(school),
                        groups=services.allowed_groups(school, request.user), prefix=f"school{school.pk}")
    if form.is_valid():
        try:
            draft = services.create_draft(school, request.user, form.cleaned_data["channel"],
                                          group=form.cleaned_data["group"], ip=client_ip(request))
        except services.DraftRefused as exc:
            form.add_error(None, str(exc))
        else:
            return redirect("drafts:detail", draft.pk)
    forms = [(s, form if s.pk == school.pk else f) for s, f in _new_forms(request.user)]
    return render(request, "drafts/index.html", {"drafts": _my_drafts(request.user), "new_forms": forms}, status=400)


def _optional_url(name: str, *args) -> str | None:
    """The URL ``name`` when another area has installed it, else ``None``."""
    try:
        return reverse(name, args=args)
    except NoReverseMatch:
        return None


def _render(request, draft: Draft, *, text_form: TextForm | None = None, error: str | None = None,
            status: int = 200):
    user = request.user
    latest = draft.latest_version()
    if text_form is None:
        initial = {"function": author_of(user, draft.school, "").function or ""}
        if latest is not None:
            initial = {"text": latest.text, "function": latest.function, "posted_at": latest.posted_at}
        text_form = TextForm(initial=initial)
    context = draft_context(draft, user, latest)
    context.update({
        "text_form": text_form, "upload_form": UploadForm(), "error": error,
        "submit_url": _optional_url("review:submit", draft.pk),
        "publish_url": _optional_url("publication:publish", draft.pk),
        "withdraw_url": _optional_url("review:withdraw", draft.pk),
    })
    if context["can_edit"]:
        for item in context["media_views"]:
            pupils = context["pupil_choices"].get(item.media.kind, [])
            item.tag_form = TagForm(media=item.media, pupils=pupils, prefix=f"m{item.media.number}")
            if item.media.kind == "audio":
                item.voice_form = VoiceForm(media=item.media, pupils=pupils, prefix=f"m{item.media.number}")
    return render(request, "drafts/detail.html", context, status=status)


@login_required
def detail(request, pk: int):
    """The draft: text form (save = check), files with numbered faces to tag, findings, versions."""
    return _render(request, _viewable(request, pk))


@login_required
@require_POST
def save(request, pk: int):
    """Save the text as a new checked version."""
    draft = _editable(request, pk)
    form = TextForm(request.POST)
    if not form.is_valid():
        return _render(request, draft, text_form=form, status=400)
    data = form.cleaned_data
    try:
        version = services.save_version(draft, request.user, text=data["text"], function=data["function"],
                                        posted_at=data["posted_at"], ip=client_ip(request))
    except services.DraftRefused as exc:
        return _render(request, draft, text_form=form, error=str(exc), status=400)
    messages.success(request, f"Versie {version.number} is opgeslagen en getoetst.")
    return redirect("drafts:detail", draft.pk)


@login_required
@require_POST
def upload(request, pk: int):
    """Attach a file, find its faces and check the draft again."""
    draft = _editable(request, pk)
    form = UploadForm(request.POST, request.FILES)
    if not form.is_valid():
        return _render(request, draft, error="Kies een bestand om toe te voegen.", status=400)
    try:
        media = services.add_media(draft, request.user, form.cleaned_data["file"], ip=client_ip(request))
        services.recheck(draft, request.user, ip=client_ip(request))
    except services.DraftRefused as exc:
        return _render(request, draft, error=str(exc), status=400)
    faces = len(media.faces)
    if media.kind == "audio":
        messages.success(request, f"Bestand {media.number} is toegevoegd. Geef aan wie er te horen is.")
    else:
        messages.success(request, f"Bestand {media.number} is toegevoegd: {faces} gezicht{'en' if faces != 1 else ''} "
                                  "gevonden. Geef bij elk gezicht aan wie het is.")
    return redirect(reverse("drafts:detail", args=[draft.pk]) + f"#bestand-{media.number}")


def _form_error(form) -> str:
    """The form's first error message (Dutch), for the error line above the page."""
    return next((str(error) for errors in form.errors.values() for error in errors),
                "Controleer wat je hebt gekozen.")


def _media(draft: Draft, number: int):
    media = draft.media.filter(number=number).first()
    if media is None:
        raise Http404("bestand niet gevonden")
    return media


@login_required
@require_POST
def tag(request, pk: int, number: int):
    """Store who each face of one file is, and check the draft again."""
    draft = _editable(request, pk)
    media = _media(draft, number)
    form = TagForm(request.POST, media=media, pupils=[], prefix=f"m{number}")
    if not form.is_valid():
        return _render(request, draft, error=_form_error(form), status=400)
    try:
        services.tag_faces(media, form.choices(), request.user, ip=client_ip(request))
        version = services.recheck(draft, request.user, ip=client_ip(request))
    except services.DraftRefused as exc:
        return _render(request, draft, error=str(exc), status=400)
    messages.success(request, f"De gezichten van bestand {number} zijn opgeslagen; versie {version.number} is getoetst.")
    return redirect(reverse("drafts:detail", args=[draft.pk]) + f"#bestand-{number}")


@login_required
@require_POST
def voices(request, pk: int, number: int):
    """Store who is heard on a recording, and check the draft again."""
    draft = _editable(request, pk)
    media = _media(draft, number)
    form = VoiceForm(request.POST, media=media, pupils=[], prefix=f"m{number}")
    if not form.is_valid():
        return _render(request, draft, error=_form_error(form), status=400)
    try:
        services.tag_voices(media, form.cleaned_data["pupils"], form.cleaned_data["staff_or_none"], request.user,
                            ip=client_ip(request))
        version = services.recheck(draft, request.user, ip=client_ip(request))
    except services.DraftRefused as exc:
        return _render(request, draft, error=str(exc), status=400)
    messages.success(request, f"Wie er te horen is op bestand {number} is opgeslagen; "
                              f"versie {version.number} is getoetst.")
    return redirect(reverse("drafts:detail", args=[draft.pk]) + f"#bestand-{number}")


@login_required
@require_POST
def remove(request, pk: int, number: int):
    """Remove a file from the draft (its original and publishable versions too) and check again."""
    draft = _editable(request, pk)
    media = _media(draft, number)
    try:
        version = services.remove_media(media, request.user, ip=client_ip(request))
    except services.DraftRefused as exc:
        return _render(request, draft, error=str(exc), status=400)
    checked = f"; versie {version.number} is getoetst" if version else ""
    messages.success(request, f"Bestand {number} is verwijderd{checked}.")
    return redirect(reverse("drafts:detail", args=[draft.pk]) + "#bestanden")


@login_required
@require_POST
def fix(request, pk: int):
    """Apply the fixes: a new version with the revised text."""
    draft = _editable(request, pk)
    try:
        version = services.apply_fixes(draft, request.user, ip=client_ip(request))
    except services.DraftRefused as exc:
        return _render(request, draft, error=str(exc), status=400)
    messages.success(request, f"De oplossingen zijn toegepast in versie {version.number}.")
    return redirect("drafts:detail", draft.pk)


@login_required
def media_file(request, pk: int, number: int, which: str):
    """One file of a draft: ``origineel`` and ``beeld`` (a video's still) only for those who may see
    originals, ``publiceren`` for those who may open the draft page; others get 404.
    ``?download=1`` offers it as a download."""
    draft = _visible(request, pk)
    if not services.can_view_draft(request.user, draft):
        raise Http404("bestand niet gevonden")
    kind = FILE_WORDS.get(which)
    media = draft.media.filter(number=number).first()
    if kind is None or media is None:
        raise Http404("bestand niet gevonden")
    if kind != services.PUBLISHABLE and not services.can_see_original(request.user, draft):
        raise Http404("bestand niet gevonden")
    try:
        path = services.media_file(media, kind)
    except (FileNotFoundError, ValueError):
        raise Http404("bestand niet gevonden") from None
    if not path.is_file():
        raise Http404("bestand niet gevonden")
    prefix = "plaatsbaar" if kind == services.PUBLISHABLE else "origineel"
    response = FileResponse(path.open("rb"), content_type=mimetypes.guess_type(path.name)[0] or "application/octet-stream",
                            as_attachment=request.GET.get("download") == "1", filename=f"{prefix}-{path.name}")
    response["Cache-Control"] = "private, no-store"
    return response
