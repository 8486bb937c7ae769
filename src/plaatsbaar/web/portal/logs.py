"""Keeping personal portal links out of the logs.

A portal link (``/portaal/<token>/…``) works like a password: whoever has it
sees and changes a child's consent. Django logs the path of every 4xx/5xx
response (logger ``django.request``, e.g. ``Not Found: /portaal/<token>/kind/9/``)
and the development server logs every request (``django.server``).
:class:`RedactPortalTokens` replaces the token in those records by ``[link]``.
"""

from __future__ import annotations

import logging
import re

#: ``/portaal/<token>`` — not the pages of a logged-in guardian (``/portaal/kind/…``).
TOKEN_IN_PATH = re.compile(r"(/portaal/)(?!kind/)[^/\s?#\"']+")
LOGGERS = ("django.request", "django.server")


class RedactPortalTokens(logging.Filter):
    """A logging filter that hides portal tokens in a record's message (never drops a record)."""

    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        redacted = TOKEN_IN_PATH.sub(r"\1[link]", message)
        if redacted != message:
            record.msg, record.args = redacted, ()
        return True


def install() -> None:
    """Add the filter to the loggers that write request paths (once)."""
    for name in LOGGERS:
        logger = logging.getLogger(name)
        if not any(isinstance(f, RedactPortalTokens) for f in logger.filters):
            logger.addFilter(RedactPortalTokens())
