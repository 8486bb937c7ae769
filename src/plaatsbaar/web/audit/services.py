"""Writing to the audit log."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from typing import Any

from django.db import models

from plaatsbaar.web.audit.models import AuditEvent

_ACTING: ContextVar[tuple[Any, str | None] | None] = ContextVar("plaatsbaar_audit_acting", default=None)


def actor_label(actor: Any) -> str:
    """A stable text for who acted: the username, or a description for the portal/system."""
    if actor is None:
        return "systeem"
    if isinstance(actor, str):
        return actor
    return actor.get_username() if hasattr(actor, "get_username") else str(actor)


def client_ip(request: Any) -> str | None:
    """The address a request came from (``REMOTE_ADDR``), for the audit log; ``None`` when unknown."""
    return request.META.get("REMOTE_ADDR") or None


def record(
    action: str,
    obj: models.Model,
    *,
    actor: Any = None,
    school_id: int | None = None,
    board_id: int | None = None,
    changes: dict[str, Any] | None = None,
    ip: str | None = None,
) -> AuditEvent:
    """Append one audit entry for ``obj`` (``actor``: a user, a label or ``None``)."""
    user = actor if hasattr(actor, "pk") and hasattr(actor, "get_username") else None
    return AuditEvent.objects.create(
        actor=user,
        actor_label=actor_label(actor),
        board_id=board_id,
        school_id=school_id,
        action=action,
        object_type=obj._meta.model_name,
        object_id=str(obj.pk),
        changes=changes or {},
        ip=ip,
    )


@contextmanager
def acting(actor: Any, ip: str | None = None) -> Iterator[None]:
    """Within this block, audit entries written by signal receivers (which see no request)
    name ``actor`` (a user or a label) and ``ip``; e.g. around a deletion that cascades."""
    token = _ACTING.set((actor, ip))
    try:
        yield
    finally:
        _ACTING.reset(token)


def current_actor() -> tuple[Any, str | None]:
    """``(actor, ip)`` of the innermost :func:`acting` block; ``(None, None)`` (the system) outside one."""
    return _ACTING.get() or (None, None)


def already_recorded(action: str, obj: models.Model) -> bool:
    """True when the log holds ``action`` for ``obj`` (its type and id) already."""
    return AuditEvent.objects.filter(action=action, object_type=obj._meta.model_name, object_id=str(obj.pk)).exists()
