"""/api/v1/drafts/: creating a draft (checked at once, through the drafts services) and reading
where drafts stand; who may do what, per role, as on the drafts pages."""

from __future__ import annotations

import pytest

from plaatsbaar.web.audit.models import AuditEvent
from plaatsbaar.web.drafts.models import Draft
from plaatsbaar.web.organisation.models import Group, ProtocolVersion
from plaatsbaar.web.publication.models import SchoolChannel
from plaatsbaar.web.review import workflow
from tests.web.test_api_support import api_for, assert_json_error

DRAFTS = "/api/v1/drafts/"
NAMES = "Sem de Vries en Noor Bakker hebben vandaag de voorleeswedstrijd gewonnen!"
PLAIN = "Morgen is de open dag van onze school. Iedereen is welkom!"


@pytest.fixture
def room(newsroom, deduce_engine):
    """The newsroom with the lucas-onderwijs protocol active at the school."""
    ProtocolVersion.objects.create(school=newsroom.world.school, builtin_id="lucas-onderwijs", active=True)
    return newsroom


def _new(room, **fields) -> dict:
    return {"school": room.world.school.pk, "channel": "facebook", "group": room.world.group.pk, "text": PLAIN, **fields}


def _create(client, user, body):
    return api_for(client, user).post(DRAFTS, body)


def test_a_teacher_creates_a_draft_that_is_checked_at_once(client, room):
    response = api_for(client, room.teacher).post(DRAFTS, _new(room, text=NAMES), REMOTE_ADDR="192.0.2.9")
    assert response.status_code == 201, response.content
    body = response.json()
    draft = Draft.objects.get(pk=body["id"])
    assert (draft.author, draft.school, draft.group, draft.channel) == (room.teacher, room.world.school, room.world.group, "facebook")
    assert body["status"] == "concept" and body["status_label"] == "concept"
    assert body["verdict"] == "revise" and body["author"] == room.teacher.get_username()
    assert "A.2" in [a["id"] for f in body["findings"] for a in f["articles"]]
    assert "Sem de Vries" not in body["revised_text"]
    assert [(v["number"], v["verdict"], v["text"]) for v in body["versions"]] == [(1, "revise", NAMES)]
    assert body["steps"] == []
    actions = set(AuditEvent.objects.filter(object_type="draft", object_id=str(draft.pk)).values_list("action", "ip"))
    assert actions == {("draft.created", "192.0.2.9"), ("draft.saved", "192.0.2.9")}


def test_a_teacher_writes_only_about_the_classes_they_teach(client, room):
    body = assert_json_error(_create(client, room.teacher, _new(room, group=room.group7.pk)), 400)
    assert "lesgeeft" in body["errors"]["group"][0]
    other_group = Group.objects.create(school=room.world.other_school, name="groep 3", school_year="2026-2027")
    body = assert_json_error(_create(client, room.teacher, _new(room, group=other_group.pk)), 400)
    assert "hoort niet bij deze school" in body["errors"]["group"][0]
    assert not Draft.objects.exists()


def test_the_manager_writes_about_any_class(client, room):
    assert _create(client, room.manager, _new(room, group=room.group7.pk)).status_code == 201


def test_a_channel_the_school_does_not_use_is_a_field_error(client, room):
    SchoolChannel.objects.create(school=room.world.school, channel="website")
    body = assert_json_error(_create(client, room.teacher, _new(room, channel="tiktok")), 400)
    assert "kanaal" in body["errors"]["channel"][0]


def test_without_a_protocol_nothing_is_kept(client, newsroom):
    body = assert_json_error(_create(client, newsroom.teacher, _new(newsroom)), 400)
    assert "protocol" in body["errors"]["non_field_errors"][0]
    assert not Draft.objects.exists()
    assert not AuditEvent.objects.filter(object_type="draft").exists()


def test_the_board_alone_writes_no_drafts_and_other_schools_are_not_found(client, room):
    assert "berichten schrijft" in assert_json_error(_create(client, room.world.users["board"], _new(room)), 403)["detail"]
    assert_json_error(_create(client, room.world.users["other_teacher"], _new(room)), 404)
    assert not Draft.objects.exists()


@pytest.mark.parametrize(
    "fields, field",
    [({"text": "   "}, "text"), ({"text": "x" * 10_001}, "text"), ({"channel": "myspace"}, "channel"),
     ({"group": "groep 5"}, "group"), ({"media": []}, "media"),
     ({"posted_at": "0001-01-01T00:00:00"}, "posted_at"), ({"posted_at": "2390-05-01T10:00:00+02:00"}, "posted_at")],
)
def test_bad_drafts_are_400_per_field(client, room, fields, field):
    assert field in assert_json_error(_create(client, room.teacher, _new(room, **fields)), 400)["errors"]


@pytest.fixture
def drafts(client, room):
    """A draft by the teacher (submitted, approved by the manager) and one by communicatie."""
    teacher_id = _create(client, room.teacher, _new(room, text=NAMES)).json()["id"]
    own = Draft.objects.get(pk=teacher_id)
    workflow.submit(own, room.teacher, unsure=True)
    workflow.approve(own, room.manager, "Prima zo.")
    other_id = _create(client, room.communication, _new(room, group=None)).json()["id"]
    return own, Draft.objects.get(pk=other_id)


def _ids(response) -> list[int]:
    assert response.status_code == 200, response.content
    return [d["id"] for d in response.json()["results"]]


def test_a_teacher_lists_their_own_drafts_and_the_manager_all_of_the_school(client, room, drafts):
    own, other = drafts
    assert _ids(api_for(client, room.teacher).get(DRAFTS)) == [own.pk]
    for user in (room.manager, room.communication, room.fg):
        assert sorted(_ids(api_for(client, user).get(DRAFTS))) == sorted([own.pk, other.pk])
    assert _ids(api_for(client, room.world.users["other_teacher"]).get(DRAFTS)) == []


def test_the_list_filters_by_school_and_status_and_pages(client, room, drafts):
    own, other = drafts
    api = api_for(client, room.manager)
    assert _ids(api.get(DRAFTS, status="approved")) == [own.pk]
    assert _ids(api.get(DRAFTS, school=room.world.other_school.pk)) == []
    first, second = api.get(DRAFTS, limit=1).json(), api.get(DRAFTS, limit=1, offset=1).json()
    assert first["count"] == second["count"] == 2
    assert {first["results"][0]["id"], second["results"][0]["id"]} == {own.pk, other.pk}
    assert "status" in assert_json_error(api.get(DRAFTS, status="weg"), 400)["errors"]


def test_the_detail_shows_versions_and_each_review_step(client, room, drafts):
    own, _ = drafts
    body = api_for(client, room.teacher).get(f"{DRAFTS}{own.pk}/").json()
    assert body["status"] == "approved" and body["status_label"] == "goedgekeurd" and body["verdict"] == "revise"
    steps = [(s["step"], s["version"], s["actor"], s["comment"]) for s in body["steps"]]
    assert steps == [("submitted", 1, "juf", ""), ("approved", 1, "directeur", "Prima zo.")]
    assert "unsure" in body["steps"][0]["reasons"]


def test_who_reads_a_draft_teacher_versus_manager(client, room, drafts):
    own, other = drafts
    teacher = api_for(client, room.teacher)
    assert teacher.get(f"{DRAFTS}{own.pk}/").status_code == 200
    assert "auteur" in assert_json_error(teacher.get(f"{DRAFTS}{other.pk}/"), 403)["detail"]
    manager = api_for(client, room.manager)
    assert manager.get(f"{DRAFTS}{other.pk}/").status_code == 200
    outsider = api_for(client, room.world.users["other_teacher"])
    assert assert_json_error(outsider.get(f"{DRAFTS}{own.pk}/"), 404) == assert_json_error(outsider.get(f"{DRAFTS}987654/"), 404)
    assert_json_error(manager.get(f"{DRAFTS}{2**63}/"), 404)
