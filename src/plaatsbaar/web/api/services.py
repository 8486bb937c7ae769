"""API tokens: issue (shown once), find by the secret, revoke; audited.

Tokens are 256-bit random strings, so a plain SHA-256 is enough to store
them (no slow password hash is needed: there is nothing to guess).
Creation and revocation are written to the audit log of every school the
user has a role at (ids and the token's prefix only, never the token).
"""

from __future__ import annotations

import hashlib
import secrets
from datetime import timedelta

from django.db import transaction
from django.utils import timezone

from plaatsbaar.web.api.models import ApiToken
from plaatsbaar.web.audit.services import record
from plaatsbaar.web.organisation.policy import Policy

TOKEN_START = "pb_"
PREFIX_LENGTH = 10  # "pb_" and 7 random characters: enough to recognise, far too few to guess the rest
LAST_USED_PRECISION = timedelta(minutes=1)  # no database write on every request


class TokenRefused(PermissionError):
    """The user may not hold API tokens (no staff role at any school); the message is Dutch."""


def digest(secret: str) -> str:
    """The stored form of a token: SHA-256, hex (64 characters)."""
    return hashlib.sha256(secret.encode("utf-8")).hexdigest()


def may_hold_tokens(user) -> bool:
    """Staff with a role at one or more schools (any role, like the web pages)."""
    return Policy(user).schools().exists()


@transaction.atomic
def issue_token(user, name: str, *, ip: str | None = None) -> tuple[ApiToken, str]:
    """A new token for ``user``: the saved :class:`ApiToken` and the token itself (show it once).

    Raises :class:`TokenRefused` for a user without a staff role. Audited as ``api_token.created``.
    """
    if not may_hold_tokens(user):
        raise TokenRefused("Alleen medewerkers van een school kunnen een API-sleutel aanmaken.")
    secret = TOKEN_START + secrets.token_urlsafe(32)
    token = ApiToken.objects.create(user=user, name=name.strip()[:100], prefix=secret[:PREFIX_LENGTH], digest=digest(secret))
    _audit("api_token.created", token, user, ip)
    return token, secret


@transaction.atomic
def revoke_token(token: ApiToken, user, *, ip: str | None = None) -> None:
    """Revoke ``token`` (it stops working at once); a second revocation changes nothing.

    Audited as ``api_token.revoked``. The caller checks that ``user`` owns the token.
    """
    if token.revoked_at is not None:
        return
    token.revoked_at = timezone.now()
    token.save(update_fields=["revoked_at"])
    _audit("api_token.revoked", token, user, ip)


def tokens_of(user) -> list[ApiToken]:
    """The user's tokens, newest first (revoked ones included, marked by ``revoked_at``)."""
    return list(ApiToken.objects.filter(user=user))


def token_for_secret(secret: str) -> ApiToken | None:
    """The active token with this secret, with its user; ``None`` for an unknown or revoked one."""
    if not secret.startswith(TOKEN_START):
        return None
    return ApiToken.objects.select_related("user").filter(digest=digest(secret), revoked_at__isnull=True).first()


def mark_used(token: ApiToken) -> None:
    """Remember when the token was last used (to the minute)."""
    now = timezone.now()
    if token.last_used_at is None or now - token.last_used_at >= LAST_USED_PRECISION:
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
        token.last_used_at = now


def _audit(action: str, token: ApiToken, user, ip: str | None) -> None:
    """One audit entry per school the user has a role at, so each school's FG sees it."""
    for school in Policy(user).schools():
        record(action, token, actor=user, school_id=school.pk, board_id=school.board_id,
               changes={"token": token.pk, "prefix": token.prefix}, ip=ip)
