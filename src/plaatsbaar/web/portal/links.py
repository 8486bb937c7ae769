"""Personal portal links: signed, expiring, for one guardian (or one pupil of 16+).

A link carries ``g<id>`` or ``p<id>`` signed with the site's secret key and a
timestamp (Django's ``TimestampSigner``); a tampered link is refused.

How long a link is valid:

- A link issued outside a consent round (e.g. a pupil's own link handed out
  by staff) expires :data:`DEFAULT_MAX_AGE_DAYS` days after it was issued.
- A link sent for a consent round also carries the round's deadline
  (``g<id>.<YYYY-MM-DD>``, signed as well) and stays valid until at least
  the end of that day in Europe/Amsterdam (23:59:59 local time): it expires at
  the later of "issued + :data:`DEFAULT_MAX_AGE_DAYS` days" and the end of the
  deadline day. So a round whose deadline is more than 30 days away never
  leaves a parent with a dead link, and a reminder sent shortly before the
  deadline still gives the full 30 days.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from django.core import signing

from plaatsbaar.web.organisation.models import Guardian, Pupil

SALT = "plaatsbaar.portal.link"
DEFAULT_MAX_AGE_DAYS = 30
DEADLINE_ZONE = ZoneInfo("Europe/Amsterdam")
_DEADLINE_MARK = "."  # URL-safe, never part of the holder id
EXPIRED = "Deze link is verlopen. Vraag de school om een nieuwe link."
INVALID = "Deze link is ongeldig."


class LinkRefused(ValueError):
    """An expired, tampered or unknown link (the message is safe to show)."""


@dataclass(frozen=True)
class LinkHolder:
    """Who a valid link belongs to: exactly one of guardian / pupil."""

    guardian: Guardian | None = None
    pupil: Pupil | None = None


def make_token(holder: Guardian | Pupil, valid_until: date | None = None) -> str:
    """The signed token for a guardian or a pupil.

    ``valid_until``: the deadline of the consent round the link is sent for;
    the link then works until at least the end of that day (Europe/Amsterdam).
    ``None`` (outside a round): :data:`DEFAULT_MAX_AGE_DAYS` days.
    """
    prefix = "g" if isinstance(holder, Guardian) else "p"
    value = f"{prefix}{holder.pk}"
    if valid_until is not None:
        value += f"{_DEADLINE_MARK}{valid_until.isoformat()}"
    return signing.TimestampSigner(salt=SALT).sign(value)


def end_of_day(day: date) -> datetime:
    """The first moment after ``day`` in Europe/Amsterdam (an aware datetime)."""
    return datetime.combine(day + timedelta(days=1), time.min, tzinfo=DEADLINE_ZONE)


def valid_through(valid_until: date | None, issued: date, max_age_days: int = DEFAULT_MAX_AGE_DAYS) -> date:
    """The last whole day (Europe/Amsterdam) a link issued on ``issued`` can be used, to tell
    in e-mails: the round's deadline (``valid_until``) or the day before the link's age
    runs out (``issued + max_age_days - 1``), whichever is later."""
    by_age = issued + timedelta(days=max_age_days - 1)
    return max(by_age, valid_until) if valid_until else by_age


def read_token(token: str, max_age_days: int = DEFAULT_MAX_AGE_DAYS, *, now: datetime | None = None) -> LinkHolder:
    """The holder of a token; raises :class:`LinkRefused` (expired, tampered, unknown holder).

    ``now`` (aware; default: the current time) is the moment the link is used.
    The validity rule is in the module docstring.
    """
    value, issued = _unsign(token)
    moment = now or datetime.now(tz=DEADLINE_ZONE)
    holder_part, _, deadline = value.partition(_DEADLINE_MARK)
    expires = issued + timedelta(days=max_age_days)
    if deadline:
        expires = max(expires, end_of_day(_deadline(deadline)))
    if moment >= expires:
        raise LinkRefused(EXPIRED)
    return _holder(holder_part)


def _unsign(token: str) -> tuple[str, datetime]:
    """The signed value and the moment it was signed; :class:`LinkRefused` for a bad signature."""
    try:
        signed = signing.Signer(salt=SALT).unsign(token)  # "value:timestamp", as TimestampSigner signs it
        value, stamp = signed.rsplit(":", 1)
        issued = datetime.fromtimestamp(signing.b62_decode(stamp), tz=DEADLINE_ZONE)
    except (signing.BadSignature, ValueError, OverflowError, OSError):
        raise LinkRefused(INVALID) from None
    return value, issued


def _deadline(text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise LinkRefused(INVALID) from None


def _holder(value: str) -> LinkHolder:
    kind, ident = value[:1], value[1:]
    if kind not in ("g", "p") or not ident.isdigit():
        raise LinkRefused(INVALID)
    model = Guardian if kind == "g" else Pupil
    holder = model.objects.filter(pk=int(ident)).first()
    if holder is None:
        raise LinkRefused(INVALID)
    return LinkHolder(guardian=holder) if kind == "g" else LinkHolder(pupil=holder)
