"""The class group app's e-mail fallback (lucas B.1): guardians not in the app get the message by mail.

When a draft for the ``group_app`` channel with a class is published, every
guardian of the class's current pupils who has an e-mail address and is not
recorded as using the app (:class:`GroupAppMember` ``uses_app=True``) gets
one e-mail of their own (no shared recipient list) with the same text and
the anonymised photos attached. Each delivered mail is a
:class:`FallbackMail`; sending again only reaches those without one, so a
guardian with two children in the class gets one mail, and a retry after a
mail server failure does not send twice.
"""

from __future__ import annotations

import logging
import smtplib
from dataclasses import dataclass

from django.conf import settings
from django.core.mail import EmailMessage, get_connection
from django.db.models import QuerySet

from plaatsbaar.core.vocabulary import Channel, MediaKind
from plaatsbaar.web.audit.services import record
from plaatsbaar.web.organisation.models import Group, Guardian
from plaatsbaar.web.publication.models import FallbackMail, GroupAppMember, Publication
from plaatsbaar.web.publication.storage import absolute, content_type

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class FallbackSummary:
    """What one sending did: mails delivered, mails refused by the server."""

    sent: int = 0
    failed: int = 0


def applies(publication: Publication) -> bool:
    """Whether ``publication`` goes to a class group app (channel ``group_app`` with a class)."""
    return publication.channel == Channel.GROUP_APP.value and publication.draft.group_id is not None


def class_guardians(group: Group) -> QuerySet[Guardian]:
    """The guardians of the current pupils of ``group``, once each, by name."""
    return (Guardian.objects.filter(pupils__group=group, pupils__left_on__isnull=True)
            .distinct().order_by("last_name", "first_name", "pk"))


def recipients(group: Group) -> QuerySet[Guardian]:
    """Guardians of ``group`` with an e-mail address who are not recorded as using its app."""
    in_app = GroupAppMember.objects.filter(group=group, uses_app=True).values("guardian_id")
    return class_guardians(group).exclude(email="").exclude(pk__in=in_app)


def pending(publication: Publication) -> QuerySet[Guardian]:
    """The recipients of ``publication``'s fallback who have not had it yet (none when it does not apply)."""
    if not applies(publication):
        return Guardian.objects.none()
    done = FallbackMail.objects.filter(publication=publication).values("guardian_id")
    return recipients(publication.draft.group).exclude(pk__in=done)


def without_address(group: Group) -> int:
    """How many guardians of ``group`` not in its app have no e-mail address (they need paper)."""
    in_app = GroupAppMember.objects.filter(group=group, uses_app=True).values("guardian_id")
    return class_guardians(group).filter(email="").exclude(pk__in=in_app).count()


def send_fallback(publication: Publication, *, actor=None, ip: str | None = None) -> FallbackSummary:
    """Mail ``publication`` to every pending recipient (see :func:`pending`), one message each.

    Records a :class:`FallbackMail` per delivered mail and one audit entry
    (guardian ids only). A refusing or unreachable mail server is logged
    (guardian id only) and counted in ``failed``; nothing is raised.
    """
    guardians = list(pending(publication))
    if not guardians:
        return FallbackSummary()
    attachments = _attachments(publication)
    sent, failed = [], 0
    connection = get_connection()
    for guardian in guardians:
        if _send_one(connection, publication, guardian, attachments):
            FallbackMail.objects.create(publication=publication, guardian=guardian)
            sent.append(guardian.pk)
        else:
            failed += 1
    _close(connection)
    record("publication.fallback_mail", publication, actor=actor, school_id=publication.school_id,
           board_id=publication.school.board_id, changes={"guardians": sent, "failed": failed}, ip=ip)
    return FallbackSummary(len(sent), failed)


def _send_one(connection, publication: Publication, guardian: Guardian, attachments: list[tuple]) -> bool:
    message = EmailMessage(_subject(publication), _body(publication, len(attachments)),
                           settings.DEFAULT_FROM_EMAIL, [guardian.email], connection=connection)
    for name, content, mime in attachments:
        message.attach(name, content, mime)
    try:
        message.send()
    except (smtplib.SMTPException, OSError) as exc:
        log.warning("group app fallback mail to guardian %s failed (%s)", guardian.pk, exc.__class__.__name__)
        return False
    return True


def _close(connection) -> None:
    try:
        connection.close()
    except (smtplib.SMTPException, OSError):
        pass


def _attachments(publication: Publication) -> list[tuple[str, bytes, str]]:
    files = []
    for media in publication.media.filter(kind=MediaKind.PHOTO.value):
        path = absolute(media.file)
        files.append((f"foto-{media.number}{path.suffix}", path.read_bytes(), content_type(path)))
    return files


def _subject(publication: Publication) -> str:
    return f"{publication.school.name}: bericht voor {publication.draft.group.name}"


def _body(publication: Publication, photos: int) -> str:
    group = publication.draft.group
    others = publication.media.exclude(kind=MediaKind.PHOTO.value).count()
    lines = [
        "Beste ouder/verzorger,",
        "",
        f"Dit bericht is geplaatst in de groepsapp van {group.name}. Omdat u de groepsapp niet gebruikt, "
        "krijgt u het per e-mail.",
        "",
        "-" * 40,
        publication.text.strip(),
        "-" * 40,
        "",
    ]
    if photos:
        lines.append("De foto's bij dit bericht staan in de bijlage." if photos > 1
                     else "De foto bij dit bericht staat in de bijlage.")
    if others:
        lines.append(f"Bij dit bericht horen ook {others} film- of geluidsopname(n); "
                     "die sturen we niet per e-mail mee.")
    lines += ["", "Met vriendelijke groet,", publication.school.name, ""]
    return "\n".join(lines)
