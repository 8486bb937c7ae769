"""POST /api/v1/consent/lookup/: the live consent registry per pupil (given, withdrawn, no
answer, left the school); ids of other schools are "unknown", indistinguishable from none."""

from __future__ import annotations

from datetime import date

import pytest

from plaatsbaar.web.consent.services import Answer, record_answer
from plaatsbaar.web.organisation.models import Pupil
from tests.web.conftest import TODAY
from tests.web.test_api_support import api_for, assert_json_error

LOOKUP = "/api/v1/consent/lookup/"


@pytest.fixture
def registry(world):
    """Sem: Facebook photos yes; website photos yes, then withdrawn. Noor: no answer.
    Jesse: Facebook photos yes, but left the school."""
    yes, no = True, False
    record_answer(world.pupil, world.facebook, "photo", yes, Answer(guardian=world.guardian), today=TODAY)
    record_answer(world.pupil, world.website, "photo", yes, Answer(guardian=world.guardian), today=TODAY)
    record_answer(world.pupil, world.website, "photo", no, Answer(guardian=world.second_guardian), today=TODAY)
    left = Pupil.objects.create(school=world.school, group=world.group, external_id="1003", first_name="Jesse",
                                last_name="Kok", date_of_birth=date(2018, 6, 1), left_on=date(2026, 10, 1))
    world.guardian.pupils.add(left)
    record_answer(left, world.facebook, "photo", yes, Answer(guardian=world.guardian), today=TODAY)
    world.left_pupil = left
    return world


@pytest.fixture
def api(client, world):
    return api_for(client, world.users["teacher"])


def _answers(body) -> dict[int, bool]:
    return {p["pupil_id"]: p["allowed"] for p in body["pupils"]}


def test_given_consent_allows_and_no_answer_does_not(api, registry):
    body = api.post(LOOKUP, {"school": registry.school.pk, "channel": "facebook", "media_kind": "photo",
                             "pupil_ids": [registry.pupil.pk, registry.older_pupil.pk]}).json()
    assert _answers(body) == {registry.pupil.pk: True, registry.older_pupil.pk: False}
    assert body["unknown"] == {"pupil_ids": [], "external_ids": []}
    assert body["pupils"][0] == {"pupil_id": registry.pupil.pk, "external_id": "1001", "allowed": True, "current": True}


def test_withdrawn_consent_no_longer_allows(api, registry):
    body = api.post(LOOKUP, {"school": registry.school.pk, "channel": "website", "pupil_ids": [registry.pupil.pk]}).json()
    assert body["media_kind"] == "photo"  # the default
    assert _answers(body) == {registry.pupil.pk: False}


def test_consent_is_per_media_kind_and_channel(api, registry):
    video = api.post(LOOKUP, {"school": registry.school.pk, "channel": "facebook", "media_kind": "video", "pupil_ids": [registry.pupil.pk]})
    instagram = api.post(LOOKUP, {"school": registry.school.pk, "channel": "instagram", "pupil_ids": [registry.pupil.pk]})
    assert _answers(video.json()) == _answers(instagram.json()) == {registry.pupil.pk: False}


def test_a_pupil_who_left_is_never_allowed(api, registry):
    body = api.post(LOOKUP, {"school": registry.school.pk, "channel": "facebook", "pupil_ids": [registry.left_pupil.pk]}).json()
    assert body["pupils"] == [{"pupil_id": registry.left_pupil.pk, "external_id": "1003", "allowed": False, "current": False}]


def test_pupils_by_student_number_in_the_order_asked_each_once(api, registry):
    body = api.post(LOOKUP, {"school": registry.school.pk, "channel": "facebook",
                             "pupil_ids": [registry.older_pupil.pk], "external_ids": ["1001", "1002", "1001"]}).json()
    assert [(p["external_id"], p["allowed"]) for p in body["pupils"]] == [("1002", False), ("1001", True)]


def test_pupils_of_other_schools_are_unknown_like_ids_of_nobody(api, registry):
    foreign = registry.other_pupil
    body = api.post(LOOKUP, {"school": registry.school.pk, "channel": "facebook",
                             "pupil_ids": [foreign.pk, 987_654, registry.pupil.pk], "external_ids": [foreign.external_id, "9999"]}).json()
    assert _answers(body) == {registry.pupil.pk: True}
    assert body["unknown"] == {"pupil_ids": [foreign.pk, 987_654], "external_ids": [foreign.external_id, "9999"]}


def test_another_school_is_not_found_alike_an_unknown_one(api, registry):
    foreign = {"school": registry.other_school.pk, "channel": "facebook", "pupil_ids": [registry.other_pupil.pk]}
    unknown = {"school": 987_654, "channel": "facebook", "pupil_ids": [registry.other_pupil.pk]}
    assert assert_json_error(api.post(LOOKUP, foreign), 404) == assert_json_error(api.post(LOOKUP, unknown), 404)


@pytest.mark.parametrize("role", ["manager", "fg", "board"])
def test_every_role_at_the_school_may_look_up(client, registry, role):
    response = api_for(client, registry.users[role]).post(LOOKUP, {"school": registry.school.pk, "channel": "facebook", "external_ids": ["1001"]})
    assert response.status_code == 200 and _answers(response.json()) == {registry.pupil.pk: True}


@pytest.mark.parametrize(
    "request_body, field",
    [
        ({"channel": "facebook", "pupil_ids": [1]}, "school"),
        ({"channel": "facebook", "pupil_ids": []}, "non_field_errors"),
        ({"channel": "telefoonboek", "pupil_ids": [1]}, "channel"),
        ({"channel": "facebook", "media_kind": "tekening", "pupil_ids": [1]}, "media_kind"),
        ({"channel": "facebook", "pupil_ids": ["Sem"]}, "pupil_ids.0"),
        ({"channel": "facebook", "pupil_ids": [0]}, "pupil_ids.0"),
        ({"channel": "facebook", "pupil_ids": list(range(1, 502))}, "pupil_ids"),
        ({"channel": "facebook", "pupil_ids": [1], "names": ["Sem"]}, "names"),
    ],
)
def test_bad_lookups_are_400_per_field(api, world, request_body, field):
    body = {"school": world.school.pk, **request_body} if field != "school" else request_body
    errors = assert_json_error(api.post(LOOKUP, body), 400)["errors"]
    assert field in errors, errors
