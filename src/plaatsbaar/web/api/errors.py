"""Every API error as JSON: ``{"detail": "<Dutch message>"}``, plus ``errors`` for 400.

``errors`` maps a field path (``post.author.role``, ``pupil_ids.0``) to its
messages. Unexpected exceptions become a 500 with a neutral message: never a
traceback or an HTML page, and nothing of the request in the log.
"""

from __future__ import annotations

import logging
from typing import Any

from django.conf import settings
from django.core.exceptions import RequestDataTooBig
from django.http import JsonResponse
from rest_framework import exceptions, status
from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_exception_handler

logger = logging.getLogger(__name__)

INVALID_INPUT = "De invoer klopt niet; zie 'errors' per veld."
NO_TOKEN = "API-sleutel ontbreekt: stuur de kopregel 'Authorization: Bearer <sleutel>'."
NOT_JSON = "Stuur de gegevens als JSON (Content-Type: application/json)."
BAD_JSON = "De inhoud is geen geldige JSON."
FALLBACK = "Dit verzoek kan niet worden uitgevoerd."
TOO_LARGE = "Het verzoek is te groot (meer dan {kb} kB)."
SERVER_ERROR = "Er ging iets mis bij plaatsbaar; probeer het later opnieuw of meld het aan de beheerder."

#: Our own wording for DRF's generic errors (the rest keep their own, translated message).
_MESSAGES = {
    exceptions.NotAuthenticated: NO_TOKEN,
    exceptions.UnsupportedMediaType: NOT_JSON,
    exceptions.ParseError: BAD_JSON,
}


#: DRF messages that have no Dutch translation (by their start).
_UNTRANSLATED = {
    "No data provided": "Er is niets meegestuurd; stuur een JSON-object.",
    "Surrogate characters are not allowed": "De tekst bevat ongeldige tekens (losse surrogaten).",
}


def dutch(message: str) -> str:
    """``message``, or our Dutch wording for the few DRF messages without a translation."""
    for start, translation in _UNTRANSLATED.items():
        if message.startswith(start):
            return translation
    return message


def flatten(errors: Any, prefix: str = "") -> dict[str, list[str]]:
    """DRF's nested validation errors as ``{"a.b.0": ["message", …]}``."""
    if isinstance(errors, dict):
        flat: dict[str, list[str]] = {}
        for key, value in errors.items():
            flat.update(flatten(value, f"{prefix}.{key}" if prefix else str(key)))
        return flat
    if isinstance(errors, list) and errors and all(isinstance(e, (dict, list)) for e in errors):
        flat = {}
        for index, value in enumerate(errors):
            flat.update(flatten(value, f"{prefix}.{index}" if prefix else str(index)))
        return flat
    messages = errors if isinstance(errors, list) else [errors]
    return {prefix or "non_field_errors": [dutch(str(m)) for m in messages]} if messages else {}


def _body(exc: Exception, data: Any) -> dict[str, Any]:
    if isinstance(exc, exceptions.ValidationError):
        return {"detail": INVALID_INPUT, "errors": flatten(data)}
    for kind, message in _MESSAGES.items():
        if isinstance(exc, kind):
            return {"detail": message}
    detail = data.get("detail") if isinstance(data, dict) else None
    return {"detail": str(detail or FALLBACK)}


def exception_handler(exc: Exception, context: dict) -> Response:
    """DRF's ``EXCEPTION_HANDLER``: a JSON answer for every exception (headers such as
    ``WWW-Authenticate`` and ``Allow`` kept)."""
    if isinstance(exc, RequestDataTooBig):
        kb = settings.DATA_UPLOAD_MAX_MEMORY_SIZE // 1024
        return Response({"detail": TOO_LARGE.format(kb=kb)}, status=status.HTTP_413_REQUEST_ENTITY_TOO_LARGE)
    response = drf_exception_handler(exc, context)
    if response is None:
        view = type(context.get("view")).__name__
        # the type and view only; the traceback (code, not request data) in development only
        logger.error("API: onverwachte fout %s in %s", type(exc).__name__, view, exc_info=settings.DEBUG)
        return Response({"detail": SERVER_ERROR}, status=status.HTTP_500_INTERNAL_SERVER_ERROR)
    response.data = _body(exc, response.data)
    return response


def not_found(request, *args, **kwargs) -> JsonResponse:
    """A JSON 404 for any path under /api/ that is no endpoint (the token pages aside)."""
    return JsonResponse({"detail": "Dit adres bestaat niet in de API; zie /api/v1/schema/."}, status=404)
