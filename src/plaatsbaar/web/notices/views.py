"""The notifications page: a user's own notifications, newest first; marking them read.

Every user sees only their own notifications; another user's notification
answers 404.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST

from plaatsbaar.web.notices.models import Notification
from plaatsbaar.web.notices.services import mark_read, unread

PER_PAGE = 50


@login_required
def index(request):
    """The user's notifications, newest first, unread in bold; 50 a page (``?pagina=2``)."""
    notes = Notification.objects.filter(user=request.user).order_by("-created_at", "-id")
    page = Paginator(notes, PER_PAGE).get_page(request.GET.get("pagina"))
    return render(request, "notices/index.html", {"page": page, "unread": unread(request.user)})


@login_required
@require_POST
def read(request, notification_id: int):
    """Mark one notification read; with ``open=1`` go on to its page, else back to the list."""
    note = get_object_or_404(Notification, pk=notification_id, user=request.user)
    mark_read(request.user, note.pk)
    safe = url_has_allowed_host_and_scheme(note.url, {request.get_host()}, require_https=request.is_secure())
    if request.POST.get("open") and note.url and safe:
        return redirect(note.url)
    return redirect("notices:index")


@login_required
@require_POST
def read_all(request):
    """Mark every notification of the user read."""
    count = mark_read(request.user)
    messages.success(request, f"{count} melding{'en' if count != 1 else ''} gemarkeerd als gelezen.")
    return redirect("notices:index")
