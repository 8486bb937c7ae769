"""Signal receivers of the organisation: a staff role removed any way at all is audited.

The admin writes its own ``role.deleted`` entry before it deletes; a role removed
otherwise (with its user, from code, in bulk) is recorded here, after the fact,
inside the deleting transaction.
"""

from __future__ import annotations

from typing import Any

from django.contrib.auth import get_user_model
from django.db.models import QuerySet

from plaatsbaar.web.audit.services import already_recorded, current_actor, record
from plaatsbaar.web.organisation.models import StaffRole


def role_deleted(sender: type, instance: StaffRole, origin: Any = None, **kwargs: Any) -> None:
    """post_delete of a :class:`StaffRole`: record ``role.deleted`` unless already recorded for it.

    The actor and IP come from :func:`plaatsbaar.web.audit.services.acting` (the system
    when none is set). ``changes`` holds ids and codes only: the role, the user's id,
    and ``cause`` ``user_deleted`` (removed with its account) or ``role_deleted``.
    """
    if already_recorded("role.deleted", instance):
        return
    actor, ip = current_actor()
    origin_model = origin.model if isinstance(origin, QuerySet) else type(origin)
    changes = {
        "via": "beheer" if actor is not None else "systeem",
        "model": "staffrole",
        "role": instance.role,
        "user": instance.user_id,
        "cause": "user_deleted" if origin_model is get_user_model() else "role_deleted",
    }
    record("role.deleted", instance, actor=actor, school_id=instance.school_id, board_id=instance.board_id, changes=changes, ip=ip)
