"""Pages of the publication area (under ``/publicaties/``).

Any role at a school sees its publication log, each publication (text to
copy, anonymised files to download) and the freshness of its channels.
Publishing goes through :func:`plaatsbaar.web.review.workflow.publish_refusal`;
marking removed and re-sending the group-app mail:
:meth:`Policy.can_manage_publication`; the school's channels: communicatie
and leidinggevende; who uses a class's group app:
:meth:`Policy.can_record_app_use`. Objects of another school answer 404.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import NoReverseMatch, reverse
from django.views.decorators.http import require_POST

from plaatsbaar.web.audit.services import client_ip
from plaatsbaar.web.drafts.models import Draft
from plaatsbaar.web.organisation.models import Group
from plaatsbaar.web.organisation.policy import Policy
from plaatsbaar.web.organisation.services import visible_school
from plaatsbaar.web.publication import fallback, freshness, services, storage
from plaatsbaar.web.publication.forms import AppUseForm, ChannelForm
from plaatsbaar.web.publication.models import Publication, PublicationStatus, SchoolChannel
from plaatsbaar.web.review.workflow import StepRefused

PAGE_SIZE = 50
PRIVATE = "private, no-store"


def _visible_publication(policy: Policy, pk: int) -> Publication:
    publication = get_object_or_404(Publication.objects.select_related("school", "draft", "draft__group"), pk=pk)
    if not policy.can_view_school(publication.school):
        raise Http404
    return publication


def _draft_page(draft: Draft) -> str:
    try:
        return reverse("drafts:detail", args=[draft.pk])
    except NoReverseMatch:
        return reverse("publication:log", args=[draft.school_id])


@login_required
def index(request):
    """The schools the user sees, each with its log and channels; straight to the log when there is one."""
    schools = list(Policy(request.user).schools().order_by("name"))
    if len(schools) == 1:
        return redirect("publication:log", schools[0].pk)
    return render(request, "publication/index.html", {"schools": schools})


@login_required
def log(request, school_id: int):
    """The school's publication log: channel, time, publisher, status, link; newest first."""
    policy = Policy(request.user)
    school = visible_school(policy, school_id)
    publications = Publication.objects.filter(school=school).select_related("draft")
    page = Paginator(publications, PAGE_SIZE).get_page(request.GET.get("pagina"))
    stale = freshness.stale_channels(school)
    return render(request, "publication/log.html", {"school": school, "page": page, "stale": stale,
                                                    "can_manage_channels": policy.can_publish_for(school)})


@login_required
def detail(request, pk: int):
    """One publication: the text to copy, the anonymised files, its state and what may be done with it."""
    policy = Policy(request.user)
    publication = _visible_publication(policy, pk)
    group = publication.draft.group
    context = {
        "publication": publication,
        "school": publication.school,
        "media": publication.media.all(),
        "people": publication.people.count(),
        "can_manage": policy.can_manage_publication(publication),
        "live": publication.status == PublicationStatus.LIVE,
        "fallback": fallback.applies(publication),
        "mailed": publication.fallback_mails.count(),
        "pending": fallback.pending(publication).count(),
        "without_address": fallback.without_address(group) if group else 0,
        "replaced_by": publication.replaced_by.order_by("-published_at").first(),
    }
    return render(request, "publication/detail.html", context)


@login_required
def media_file(request, pk: int, number: int):
    """An anonymised file of a publication (any role at the school); ``?download=1`` saves it."""
    publication = _visible_publication(Policy(request.user), pk)
    media = get_object_or_404(publication.media, number=number)
    path = storage.absolute(media.file)
    if not path.is_file():
        raise Http404
    download = request.GET.get("download") == "1"
    response = FileResponse(path.open("rb"), content_type=storage.content_type(path), as_attachment=download,
                            filename=path.name)
    response["Cache-Control"] = PRIVATE
    return response


@login_required
@require_POST
def publish(request, draft_id: int):
    """Publish a draft (the button on the draft page); a refusal goes back to the draft with its reason."""
    draft = get_object_or_404(Draft.objects.select_related("school"), pk=draft_id)
    if not Policy(request.user).can_view_school(draft.school):
        raise Http404
    try:
        publication = services.publish(draft, request.user, ip=client_ip(request))
    except StepRefused as exc:
        messages.error(request, str(exc))
        return redirect(_draft_page(draft))
    messages.success(request, "Gepubliceerd. Download of kopieer de tekst en de bestanden en plaats ze op het kanaal.")
    return redirect("publication:detail", publication.pk)


def _manageable_publication(request, pk: int) -> Publication:
    """The publication ``pk`` if the user may manage it; 404 when not visible, 403 when not theirs to manage."""
    policy = Policy(request.user)
    publication = _visible_publication(policy, pk)
    if not policy.can_manage_publication(publication):
        raise PermissionDenied
    return publication


@login_required
@require_POST
def remove(request, pk: int):
    """Mark a publication removed from its channel."""
    publication = _manageable_publication(request, pk)
    try:
        services.mark_removed(publication, request.user, ip=client_ip(request))
    except StepRefused as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, "De publicatie staat als verwijderd in het logboek.")
    return redirect("publication:detail", publication.pk)


@login_required
@require_POST
def resend(request, pk: int):
    """Mail the group-app message to the guardians not in the app who did not get it yet."""
    publication = _manageable_publication(request, pk)
    summary = services.resend_fallback(publication, request.user, ip=client_ip(request))
    messages.success(request, f"{summary.sent} e-mail(s) verstuurd.")
    if summary.failed:
        messages.warning(request, f"{summary.failed} e-mail(s) konden niet worden afgeleverd; "
                                  "probeer het later opnieuw.")
    return redirect("publication:detail", publication.pk)


@login_required
def channels(request, school_id: int):
    """The school's channels with their freshness; communicatie and leidinggevende add channels here."""
    policy = Policy(request.user)
    school = visible_school(policy, school_id)
    can_edit = policy.can_publish_for(school)
    if request.method == "POST" and not can_edit:
        raise PermissionDenied
    form = ChannelForm(request.POST or None, school=school) if can_edit else None
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        services.save_channel(school, request.user, channel=data["channel"], ip=client_ip(request),
                              **{name: data[name] for name in services.CHANNEL_FIELDS})
        messages.success(request, "Kanaal toegevoegd.")
        return redirect("publication:channels", school.pk)
    context = {
        "school": school, "form": form, "can_edit": can_edit,
        "rows": freshness.channel_freshness(school),
        "inactive": SchoolChannel.objects.filter(school=school, active=False).order_by("channel"),
        "groups": [g for g in school.groups.order_by("-school_year", "name") if policy.can_record_app_use(g)],
    }
    return render(request, "publication/channels.html", context)


@login_required
def channel_edit(request, pk: int):
    """Edit a channel's name, four eyes, freshness limit and whether it is in use."""
    policy = Policy(request.user)
    channel = get_object_or_404(SchoolChannel.objects.select_related("school"), pk=pk)
    if not policy.can_view_school(channel.school):
        raise Http404
    if not policy.can_publish_for(channel.school):
        raise PermissionDenied
    form = ChannelForm(request.POST or None, instance=channel, school=channel.school)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        services.save_channel(channel.school, request.user, instance=channel, ip=client_ip(request),
                              **{name: data[name] for name in services.CHANNEL_FIELDS})
        messages.success(request, "Kanaal opgeslagen.")
        return redirect("publication:channels", channel.school_id)
    context = {"form": form, "channel": channel, "school": channel.school}
    return render(request, "publication/channel_form.html", context)


@login_required
def freshness_overview(request):
    """Per visible school: every channel, its last publication, days silent and the warning."""
    schools = Policy(request.user).schools().order_by("name")
    blocks = [{"school": school, "rows": freshness.channel_freshness(school)} for school in schools]
    return render(request, "publication/freshness.html", {"blocks": blocks})


@login_required
def group_app(request, group_id: int):
    """Tick which guardians of a class use its group app; the others get group-app messages by e-mail."""
    policy = Policy(request.user)
    group = get_object_or_404(Group.objects.select_related("school"), pk=group_id)
    if not policy.can_view_school(group.school):
        raise Http404
    if not policy.can_record_app_use(group):
        raise PermissionDenied
    rows = services.app_rows(group)
    form = AppUseForm(request.POST or None, group=group, initial={"using": [r.guardian for r in rows if r.uses_app]})
    if request.method == "POST" and form.is_valid():
        using = {g.pk for g in form.cleaned_data["using"]}
        for row in rows:
            services.set_app_use(group, row.guardian, row.guardian.pk in using, request.user, ip=client_ip(request))
        messages.success(request, "Opgeslagen.")
        return redirect("publication:group_app", group.pk)
    return render(request, "publication/group_app.html", {"group": group, "school": group.school, "rows": rows,
                                                          "form": form})
