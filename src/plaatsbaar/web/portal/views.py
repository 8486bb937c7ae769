"""Portal pages for guardians and pupils of 16+: by personal link or after logging in.

Every page exists twice: ``portaal/…`` for a logged-in guardian or pupil and
``portaal/link/<token>/…`` for a personal link. A child who is not the
holder's, or who has left the school (``left_on`` today or earlier), gives
404; a refused link gives 403 with the reason.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from plaatsbaar.web.audit.services import client_ip
from plaatsbaar.web.consent.forms import answer_rows
from plaatsbaar.web.consent.services import ConsentRefused, current_state
from plaatsbaar.web.organisation.models import Pupil
from plaatsbaar.web.portal import services
from plaatsbaar.web.portal.forms import ChildConsentForm
from plaatsbaar.web.portal.links import LinkHolder, LinkRefused, read_token


@dataclass(frozen=True)
class PortalUrls:
    """The portal's addresses for one way in: a token, or the logged-in user (``token=None``)."""

    token: str | None

    def overview(self) -> str:
        return reverse("portal:link", args=[self.token]) if self.token else reverse("portal:home")

    def child(self, pupil: Pupil) -> str:
        return reverse("portal:link_child", args=[self.token, pupil.pk]) if self.token else reverse("portal:child", args=[pupil.pk])

    def withdraw(self, pupil: Pupil) -> str:
        return reverse("portal:link_withdraw", args=[self.token, pupil.pk]) if self.token else reverse("portal:withdraw", args=[pupil.pk])



def _refused(request, message: str, status: int = 403):
    return render(request, "portal/refused.html", {"message": message}, status=status)


def _child_or_404(holder: LinkHolder, pupil_id: int) -> Pupil:
    pupil = services.children_of(holder).filter(pk=pupil_id).first()
    if pupil is None:
        raise Http404("Geen kind van u, of niet meer op school")
    return pupil


def overview(request, holder: LinkHolder, urls: PortalUrls):
    """The guardian's children still at school with a summary of their consent (a pupil goes
    straight to their own page; 404 for a pupil who left)."""
    today = timezone.localdate()
    children = list(services.children_of(holder, today))
    if holder.pupil is not None:
        if not children:
            raise Http404("Leerling niet meer op school")
        return redirect(urls.child(holder.pupil))
    state = current_state(children)
    categories = services.categories_by_school(children)
    cards = [
        {
            "pupil": child,
            "url": urls.child(child),
            "reason": services.refusal_reason(holder, child, today),
            "summary": services.answer_summary(child, state[child.pk], categories[child.school_id]),
        }
        for child in children
    ]
    return render(request, "portal/overview.html", {"holder": holder, "cards": cards})


def child(request, holder: LinkHolder, pupil_id: int, urls: PortalUrls):
    """One child's consent per category and media kind: shown and, on POST, changed (404 if not theirs)."""
    pupil = _child_or_404(holder, pupil_id)
    today = timezone.localdate()
    reason = services.refusal_reason(holder, pupil, today)
    categories = services.categories_for(pupil)
    current = current_state([pupil])[pupil.pk]
    form = ChildConsentForm(
        request.POST if request.method == "POST" else None,
        categories=categories,
        current=current,
        information_version=services.information_version(categories),
    )
    if request.method == "POST":
        if reason:
            return _refused(request, reason)
        if form.is_valid():
            return _save(request, holder, pupil, form, urls, today)
    context = {
        "holder": holder,
        "as_pupil": holder.pupil is not None,
        "pupil": pupil,
        "reason": reason,
        "form": form,
        "rows": answer_rows(form, categories, current),
        "has_yes": any(e.answer for e in current.values()),
        "urls": {"overview": urls.overview(), "withdraw": urls.withdraw(pupil)},
        "form_version": services.FORM_VERSION,
    }
    return render(request, "portal/child.html", context)


def _save(request, holder: LinkHolder, pupil: Pupil, form: ChildConsentForm, urls: PortalUrls, today):
    try:
        events = services.save_answers(
            holder,
            pupil,
            form.answers(),
            shown_information_version=form.cleaned_data["information_version"],
            actor=services.actor_for(holder, request.user),
            ip=client_ip(request),
            today=today,
        )
    except services.InformationChanged as exc:
        messages.error(request, str(exc))
        return redirect(urls.child(pupil))
    except ConsentRefused:
        return _refused(request, "Deze keuze kunt u niet (meer) doorgeven. Vraag de school om hulp.")
    if not events:
        messages.info(request, "U heeft niets gekozen." if holder.guardian else "Je hebt niets gekozen.")
    else:
        messages.success(request, "Opgeslagen. Uw keuzes gelden vanaf nu." if holder.guardian else "Opgeslagen. Je keuzes gelden vanaf nu.")
    return redirect(urls.child(pupil))


def withdraw(request, holder: LinkHolder, pupil_id: int, urls: PortalUrls):
    """POST: withdraw all of a child's consent in one step (404 if not theirs)."""
    pupil = _child_or_404(holder, pupil_id)
    today = timezone.localdate()
    reason = services.refusal_reason(holder, pupil, today)
    if reason:
        return _refused(request, reason)
    services.withdraw_all(holder, pupil, actor=services.actor_for(holder, request.user), ip=client_ip(request), today=today)
    messages.success(request, "Alle toestemming is ingetrokken. Dat geldt vanaf nu.")
    return redirect(urls.child(pupil))


def _from_token(view):
    """Wrap a page so it runs for the holder of the link ``token``; 403 for a refused link."""

    @never_cache
    def wrapped(request, token: str, *args, **kwargs):
        try:
            holder = read_token(token)
        except LinkRefused as exc:
            return _refused(request, str(exc))
        return view(request, holder, *args, urls=PortalUrls(token), **kwargs)

    wrapped.__doc__ = view.__doc__
    return wrapped


def _from_login(view):
    """Wrap a page so it runs for the logged-in guardian or pupil; 403 for other accounts."""

    @never_cache
    @login_required
    def wrapped(request, *args, **kwargs):
        holder = services.holder_for_user(request.user)
        if holder is None:
            return _refused(request, "Dit account is niet gekoppeld aan een ouder/verzorger of leerling.")
        return view(request, holder, *args, urls=PortalUrls(None), **kwargs)

    wrapped.__doc__ = view.__doc__
    return wrapped


home = _from_login(overview)
my_child = _from_login(child)
my_withdraw = require_POST(_from_login(withdraw))
link_overview = _from_token(overview)
link_child = _from_token(child)
link_withdraw = require_POST(_from_token(withdraw))
