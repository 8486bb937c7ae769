"""Notifying staff: a notification in the application and the same text by e-mail.

Texts name drafts, channels and publications, never pupils (least data in
mailboxes); the link leads to the page that shows the details to those
allowed to see them.
"""

from __future__ import annotations

import logging
import smtplib
from collections.abc import Iterable

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.utils import timezone

from plaatsbaar.web.notices.models import Notification

log = logging.getLogger(__name__)


def absolute(url: str) -> str:
    """``url`` (a path such as ``/berichten/3/``) with the site address of ``PLAATSBAAR_BASE_URL``."""
    base = getattr(settings, "PLAATSBAAR_BASE_URL", "http://127.0.0.1:8000").rstrip("/")
    return url if url.startswith("http") else f"{base}{url}"


def notify(users: Iterable, subject: str, text: str, url: str = "") -> list[Notification]:
    """Notify each distinct user (``None`` skipped) in the application and by e-mail.

    ``subject``: the e-mail subject; ``text``: one Dutch sentence (≤ 300
    characters) shown in the application and as the mail body, followed by
    the link. Mail is sent after the surrounding transaction commits; a mail
    server that refuses is logged (user id only) and does not undo anything.
    Returns the notifications created.
    """
    distinct = {user.pk: user for user in users if user is not None}
    notes = [Notification.objects.create(user=user, text=text[:300], url=url) for user in distinct.values()]
    addresses = [(user.pk, user.email) for user in distinct.values() if user.email]
    if addresses:
        body = f"{text}\n\n{absolute(url)}\n" if url else f"{text}\n"
        transaction.on_commit(lambda: _mail(addresses, subject, body))
    return notes


def _mail(addresses: list[tuple[int, str]], subject: str, body: str) -> None:
    for user_id, address in addresses:
        try:
            send_mail(subject, body, settings.DEFAULT_FROM_EMAIL, [address])
        except (smtplib.SMTPException, OSError) as exc:
            log.warning("notification mail to user %s failed (%s)", user_id, exc.__class__.__name__)


def unread(user) -> int:
    """How many notifications ``user`` has not read yet."""
    return Notification.objects.filter(user=user, read_at__isnull=True).count()


def mark_read(user, notification_id: int | None = None) -> int:
    """Mark one (or, with ``None``, every) notification of ``user`` read; returns how many changed."""
    notes = Notification.objects.filter(user=user, read_at__isnull=True)
    if notification_id is not None:
        notes = notes.filter(pk=notification_id)
    return notes.update(read_at=timezone.now())
