"""API tokens: made and revoked on /api/tokens/ (shown once, stored as a hash, audited),
and the bearer authentication of the API (401 without, with a wrong or a revoked token)."""

from __future__ import annotations

import hashlib
import re

from plaatsbaar.web.api.models import ApiToken
from plaatsbaar.web.audit.models import AuditEvent
from plaatsbaar.web.organisation.models import StaffRole
from tests.web.test_api_support import Api, api_for, assert_json_error

PAGE = "/api/tokens/"
DRAFTS = "/api/v1/drafts/"
SECRET = re.compile(r"pb_[A-Za-z0-9_-]{43}")


def _make_token(client, user, name="koppeling nieuwsbrief") -> str:
    client.force_login(user)
    response = client.post(PAGE, {"name": name})
    assert response.status_code == 200
    return SECRET.search(response.content.decode()).group(0)


def test_a_new_token_is_shown_once_and_only_its_hash_is_stored(client, world):
    secret = _make_token(client, world.users["teacher"])
    token = ApiToken.objects.get(user=world.users["teacher"])
    assert token.digest == hashlib.sha256(secret.encode()).hexdigest()
    stored = [str(v) for v in ApiToken.objects.values_list(flat=False).get()]
    assert not any(secret in value for value in stored)
    later = client.get(PAGE)
    assert secret not in later.content.decode()
    assert token.prefix in later.content.decode() and "koppeling nieuwsbrief" in later.content.decode()
    assert "no-store" in later["Cache-Control"] or "no-cache" in later["Cache-Control"]


def test_the_token_acts_as_its_user_and_records_when_it_was_used(client, world):
    secret = _make_token(client, world.users["teacher"])
    client.logout()
    response = Api(client, secret).get(DRAFTS)
    assert response.status_code == 200, response.content
    assert ApiToken.objects.get(user=world.users["teacher"]).last_used_at is not None


def test_creating_and_revoking_a_token_is_audited_for_the_users_school_without_the_secret(client, world):
    secret = _make_token(client, world.users["teacher"])
    token = ApiToken.objects.get(user=world.users["teacher"])
    client.post(f"{PAGE}{token.pk}/intrekken/", REMOTE_ADDR="192.0.2.7")
    events = AuditEvent.objects.filter(object_type="apitoken", object_id=str(token.pk))
    assert {(e.action, e.school_id) for e in events} == {("api_token.created", world.school.pk), ("api_token.revoked", world.school.pk)}
    assert all(e.actor == world.users["teacher"] for e in events)
    assert events.get(action="api_token.revoked").ip == "192.0.2.7"
    assert not any(secret in str(e.changes) for e in events)


def test_a_revoked_token_gets_401(client, world):
    secret = _make_token(client, world.users["teacher"])
    token = ApiToken.objects.get(user=world.users["teacher"])
    assert Api(client, secret).get(DRAFTS).status_code == 200
    response = client.post(f"{PAGE}{token.pk}/intrekken/")
    assert response.status_code == 302
    assert "ingetrokken" in client.get(PAGE).content.decode()
    body = assert_json_error(Api(client, secret).get(DRAFTS), 401)
    assert "ingetrokken" in body["detail"]


def test_nobody_revokes_another_users_token(client, world):
    secret = _make_token(client, world.users["teacher"])
    token = ApiToken.objects.get(user=world.users["teacher"])
    client.force_login(world.users["manager"])
    assert client.post(f"{PAGE}{token.pk}/intrekken/").status_code == 404
    assert client.get(f"{PAGE}{token.pk}/intrekken/").status_code == 405
    assert Api(client, secret).get(DRAFTS).status_code == 200


def test_only_staff_get_tokens(client, world, django_user_model):
    parent = django_user_model.objects.create_user(username="ouder", password="geheim-wachtwoord-1")
    client.force_login(parent)
    assert client.get(PAGE).status_code == 403
    assert client.post(PAGE, {"name": "x"}).status_code == 403
    assert not ApiToken.objects.exists()
    client.logout()
    assert client.get(PAGE).status_code == 302  # to the log-in page


def test_without_a_token_the_api_answers_401_json_with_a_bearer_challenge(client, world):
    response = Api(client, None).get(DRAFTS)
    body = assert_json_error(response, 401)
    assert response["WWW-Authenticate"].startswith("Bearer")
    assert "Authorization: Bearer" in body["detail"]
    assert_json_error(Api(client, None).post("/api/v1/check/", {"protocol": "msvr", "post": {"text": "Hoi"}}), 401)


def test_a_wrong_or_malformed_token_gets_401(client, world):
    api_for(client, world.users["teacher"])
    assert_json_error(Api(client, "pb_" + "x" * 43).get(DRAFTS), 401)
    assert_json_error(Api(client, "niet-eens-een-sleutel").get(DRAFTS), 401)
    assert_json_error(client.get(DRAFTS, headers={"Authorization": "Bearer"}), 401)
    assert_json_error(client.get(DRAFTS, headers={"Authorization": "Bearer a b"}), 401)
    assert_json_error(client.get(DRAFTS, headers={"Authorization": "Basic anVmOmdlaGVpbQ=="}), 401)


def test_a_token_of_a_deactivated_user_gets_401(client, world):
    api = api_for(client, world.users["teacher"])
    world.users["teacher"].is_active = False
    world.users["teacher"].save()
    assert_json_error(api.get(DRAFTS), 401)


def test_a_token_has_no_more_rights_than_its_user_has_now(client, world):
    api = api_for(client, world.users["teacher"])
    check = {"protocol": "msvr", "post": {"text": "Morgen is de open dag!"}}
    assert api.post("/api/v1/check/", check).status_code == 200
    StaffRole.objects.filter(user=world.users["teacher"]).delete()
    assert_json_error(api.post("/api/v1/check/", check), 403)
    assert_json_error(api.post("/api/v1/consent/lookup/", {"school": world.school.pk, "channel": "facebook", "pupil_ids": [world.pupil.pk]}), 404)
