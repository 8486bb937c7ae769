"""Bearer-token authentication for the API (``Authorization: Bearer pb_…``).

A request with a valid, unrevoked token acts as the token's user; a request
without the header is anonymous (the views then answer 401); a wrong,
revoked or malformed token is refused with 401 at once.
"""

from __future__ import annotations

from drf_spectacular.extensions import OpenApiAuthenticationExtension
from rest_framework.authentication import BaseAuthentication, get_authorization_header
from rest_framework.exceptions import AuthenticationFailed

from plaatsbaar.web.api.services import mark_used, token_for_secret

KEYWORD = b"bearer"
INVALID = "Ongeldige of ingetrokken API-sleutel."
MALFORMED = "Stuur de API-sleutel als 'Authorization: Bearer <sleutel>'."


class BearerTokenAuthentication(BaseAuthentication):
    """DRF authentication: ``(user, ApiToken)`` for a valid token; raises ``AuthenticationFailed``
    (401, Dutch) for a bad one; ``None`` when no bearer token is sent."""

    def authenticate(self, request):
        parts = get_authorization_header(request).split()
        if not parts or parts[0].lower() != KEYWORD:
            return None
        if len(parts) != 2:
            raise AuthenticationFailed(MALFORMED)
        try:
            secret = parts[1].decode("ascii")
        except UnicodeDecodeError:
            raise AuthenticationFailed(INVALID) from None
        token = token_for_secret(secret)
        if token is None or not token.user.is_active:
            raise AuthenticationFailed(INVALID)
        mark_used(token)
        return token.user, token

    def authenticate_header(self, request) -> str:
        """The ``WWW-Authenticate`` value of a 401 answer."""
        return 'Bearer realm="plaatsbaar"'


class BearerTokenScheme(OpenApiAuthenticationExtension):
    """The OpenAPI security scheme of :class:`BearerTokenAuthentication`."""

    target_class = "plaatsbaar.web.api.authentication.BearerTokenAuthentication"
    name = "apiSleutel"

    def get_security_definition(self, auto_schema):
        return {"type": "http", "scheme": "bearer", "description": "Een API-sleutel van /api/tokens/ (begint met pb_)."}
