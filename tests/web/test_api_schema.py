"""Schema-driven tests (schemathesis): every operation of /api/v1/schema/, called through the
Django WSGI application with a valid token, answers as its OpenAPI description says.

Generated ids are mostly unknown (404); to reach the success paths too, about
two thirds of the generated school, class and draft ids are pointed at the
test world (a school with an active protocol, a class, a draft). Texts are cut
to 2 000 characters: on the longest allowed text (10 000 digits) the engine
takes seconds, which is not what this test is about (the limit itself is
tested in test_api_drafts). Runs are derandomized: the same cases every time.
"""

from __future__ import annotations

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from hypothesis import HealthCheck, settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from plaatsbaar.web.organisation.models import ProtocolVersion
from tests.web.test_api_support import api_for

CHECKS = [not_a_server_error, status_code_conformance, content_type_conformance, response_schema_conformance]
SCHEMA = "/api/v1/schema/"
LONGEST_TEXT = 2_000


@pytest.fixture
def scene(client, newsroom, deduce_engine):
    """A school with the lucas-onderwijs protocol, a class, a draft, and the manager's token."""
    world = newsroom.world
    ProtocolVersion.objects.create(school=world.school, builtin_id="lucas-onderwijs", active=True)
    api = api_for(client, newsroom.manager)
    draft = api.post("/api/v1/drafts/", {"school": world.school.pk, "channel": "facebook", "text": "Welkom op de open dag!"})
    assert draft.status_code == 201, draft.content
    return {"secret": api.secret, "school": world.school.pk, "group": world.group.pk, "draft": draft.json()["id"]}


@pytest.fixture
def wsgi_scene(scene):
    """The scene, with the test's database transaction kept open across WSGI requests as Django's
    test client does (the handler would otherwise close the connection after each request on
    PostgreSQL). After ``scene``: the test client reconnects the handler when it is done."""
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield scene
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


def _real(value, real):
    """``real`` for two of every three generated integers, else the generated value."""
    return real if isinstance(value, int) and not isinstance(value, bool) and value % 3 else value


def _cut_text(body: dict) -> None:
    if isinstance(body.get("text"), str):
        body["text"] = body["text"][:LONGEST_TEXT]


def point_at_world(case, scene) -> None:
    """Replace generated ids by ids of the test world, for some cases, and cut long texts
    (see module docstring)."""
    if isinstance(case.body, dict):
        _cut_text(case.body)
        if isinstance(case.body.get("post"), dict):
            _cut_text(case.body["post"])
        for field in ("school", "group"):
            if field in case.body:
                case.body[field] = _real(case.body[field], scene[field])
    if case.query and "school" in case.query:
        case.query["school"] = _real(case.query["school"], scene["school"])
    if case.path_parameters and "draft_id" in case.path_parameters:
        case.path_parameters["draft_id"] = _real(case.path_parameters["draft_id"], scene["draft"])


# Loaded once at collection, from the application itself (WSGI, no server; the schema needs no
# database). schemathesis.pytest.from_fixture would be the lazy way, but schemathesis 4.32.5 does
# not work with pytest 9 there (it uses the removed ``Function._nodeid``).
schema = schemathesis.openapi.from_wsgi(SCHEMA, get_wsgi_application())


@schema.parametrize()
@settings(max_examples=25, deadline=None, derandomize=True, database=None, suppress_health_check=list(HealthCheck))
def test_every_operation_answers_as_documented(case, wsgi_scene):
    point_at_world(case, wsgi_scene)
    case.call_and_validate(headers={"Authorization": f"Bearer {wsgi_scene['secret']}"}, checks=CHECKS)


def test_the_schema_documents_every_endpoint_with_token_security(client, db):
    document = client.get(SCHEMA).json()
    operations = {(path, method) for path, item in document["paths"].items() for method in item}
    assert operations == {
        ("/api/v1/check/", "post"),
        ("/api/v1/consent/lookup/", "post"),
        ("/api/v1/drafts/", "get"),
        ("/api/v1/drafts/", "post"),
        ("/api/v1/drafts/{draft_id}/", "get"),
    }
    assert document["components"]["securitySchemes"]["apiSleutel"] == {
        "type": "http", "scheme": "bearer", "description": "Een API-sleutel van /api/tokens/ (begint met pb_)."}
    assert all(op["security"] == [{"apiSleutel": []}] for item in document["paths"].values() for op in item.values())
    assert all("401" in op["responses"] for item in document["paths"].values() for op in item.values())


def test_the_docs_page_works_offline(client, db):
    page = client.get("/api/v1/docs/")
    assert page.status_code == 200
    html = page.content.decode()
    assert "swagger-ui" in html and "/api/v1/schema/" in html
    assert "cdn" not in html.lower() and "https://" not in html
    scripts = [part.split('"')[0] for part in html.split('src="')[1:]]
    assert scripts and all(src.startswith("/static/") for src in scripts)
    for src in scripts:
        assert b"".join(client.get(src).streaming_content), src

