"""Shared helpers for the API tests (no tests of its own): a JSON client with a real token.

Import what you need: ``from tests.web.test_api_support import Api, api_for``.
"""

from __future__ import annotations

import json
from typing import Any

from plaatsbaar.web.api.services import issue_token


class Api:
    """Django's test client speaking JSON with ``Authorization: Bearer <secret>`` (``secret=None``: no header)."""

    def __init__(self, client, secret: str | None):
        self.client = client
        self.secret = secret

    def _headers(self) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.secret}"} if self.secret else {}

    def post(self, path: str, body: Any, **extra):
        """POST ``body`` as JSON (``extra``: WSGI environ, e.g. ``REMOTE_ADDR``)."""
        return self.client.post(path, data=json.dumps(body), content_type="application/json", headers=self._headers(), **extra)

    def get(self, path: str, **params):
        """GET with query parameters."""
        return self.client.get(path, params, headers=self._headers())


def api_for(client, user) -> Api:
    """A JSON client acting as ``user`` through a freshly issued token."""
    _, secret = issue_token(user, "test")
    return Api(client, secret)


def assert_json_error(response, status: int) -> dict:
    """The response is a JSON error with this status and a Dutch ``detail``; its body."""
    assert response.status_code == status, response.content[:500]
    assert response["Content-Type"].startswith("application/json")
    body = response.json()
    assert isinstance(body["detail"], str) and body["detail"]
    assert "Traceback" not in response.content.decode()
    return body
