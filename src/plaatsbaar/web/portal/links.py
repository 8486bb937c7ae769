"""Personal portal links: signed, expiring, for one guardian (or one pupil of 16+).

A link carries ``g<id>`` or ``p<id>`` signed with the site's secret key and a
timestamp; it is refused after ``max_age_days`` or when tampered with.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.core import signing

from plaatsbaar.web.organisation.models import Guardian, Pupil

SALT = "plaatsbaar.portal.link"
DEFAULT_MAX_AGE_DAYS = 30


class LinkRefused(ValueError):
    """An expired, tampered or unknown link (the message is safe to show)."""


@dataclass(frozen=True)
class LinkHolder:
    """Who a valid link belongs to: exactly one of guardian / pupil."""

    guardian: Guardian | None = None
    pupil: Pupil | None = None


def make_token(holder: Guardian | Pupil) -> str:
    """The signed token for a guardian or a pupil."""
    prefix = "g" if isinstance(holder, Guardian) else "p"
    return signing.TimestampSigner(salt=SALT).sign(f"{prefix}{holder.pk}")


def read_token(token: str, max_age_days: int = DEFAULT_MAX_AGE_DAYS) -> LinkHolder:
    """The holder of a token; raises :class:`LinkRefused`."""
    try:
        value = signing.TimestampSigner(salt=SALT).unsign(token, max_age=max_age_days * 86400)
    except signing.SignatureExpired:
        raise LinkRefused("Deze link is verlopen. Vraag de school om een nieuwe link.") from None
    except signing.BadSignature:
        raise LinkRefused("Deze link is ongeldig.") from None
    kind, ident = value[0], value[1:]
    model = Guardian if kind == "g" else Pupil
    holder = model.objects.filter(pk=ident).first()
    if holder is None:
        raise LinkRefused("Deze link is ongeldig.")
    return LinkHolder(guardian=holder) if kind == "g" else LinkHolder(pupil=holder)
