"""Template context for every page: the number of unread notifications (for the header).

Enable in settings ``TEMPLATES[0]["OPTIONS"]["context_processors"]``:
``"plaatsbaar.web.notices.context.unread_notices"``.
"""

from __future__ import annotations

from django.utils.functional import SimpleLazyObject

from plaatsbaar.web.notices.services import unread


def unread_notices(request) -> dict:
    """``unread_notices``: the signed-in user's unread count (0 for visitors), counted only when a template uses it."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"unread_notices": 0}
    return {"unread_notices": SimpleLazyObject(lambda: unread(user))}
