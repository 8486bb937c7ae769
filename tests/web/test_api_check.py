"""POST /api/v1/check/: the same verdict as the engine (``plaatsbaar check``) on the shipped
examples; the school's own protocol and people; errors as JSON with the right status."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from plaatsbaar.core.checker import Checker
from plaatsbaar.core.fixes import revise_text
from plaatsbaar.core.post import parse_post
from plaatsbaar.core.protocol.loader import builtin_protocol_ids, get_protocol
from plaatsbaar.web.organisation.models import ProtocolVersion
from tests.web.test_api_support import api_for, assert_json_error

CHECK = "/api/v1/check/"
EXAMPLES = Path(__file__).resolve().parents[2] / "examples"


def _media_free_examples():
    for protocol_id in builtin_protocol_ids():
        for path in sorted((EXAMPLES / protocol_id).glob("*.json")):
            data = json.loads(path.read_text(encoding="utf-8"))
            if not data.get("media"):
                yield pytest.param(protocol_id, data, id=f"{protocol_id}/{path.name}")


EXAMPLES_WITHOUT_MEDIA = list(_media_free_examples())


@pytest.fixture(scope="module")
def engines(deduce_engine) -> dict[str, Checker]:
    """The engine as ``plaatsbaar check --protocol ID`` runs it (no consent file, no roster)."""
    return {pid: Checker(get_protocol(pid)) for pid in builtin_protocol_ids()}


@pytest.fixture
def api(client, world):
    return api_for(client, world.users["teacher"])


@pytest.fixture
def lucas(world):
    ProtocolVersion.objects.create(school=world.school, builtin_id="lucas-onderwijs", active=True)
    return world


def test_every_protocol_has_media_free_examples():
    assert {p.values[0] for p in EXAMPLES_WITHOUT_MEDIA} == set(builtin_protocol_ids())
    assert len(EXAMPLES_WITHOUT_MEDIA) >= 30


@pytest.mark.parametrize("protocol_id, example", EXAMPLES_WITHOUT_MEDIA)
def test_an_example_gets_the_engines_verdict_findings_and_revised_text(api, engines, protocol_id, example):
    response = api.post(CHECK, {"protocol": protocol_id, "post": example})
    assert response.status_code == 200, response.content
    body = response.json()
    post = parse_post(example, "example")
    expected = engines[protocol_id].check(post)
    assert body["verdict"] == expected.verdict.value == example["expected"]["verdict"]
    assert [(f["rule"], [a["id"] for a in f["articles"]]) for f in body["findings"]] == [(f.rule, f.articles) for f in expected.findings]
    assert body["revised_text"] == revise_text(post.text, expected.findings)
    assert body["id"] == example["id"] and body["protocol"]["id"] == protocol_id


def test_findings_quote_the_articles_and_point_into_the_text_sent(api, deduce_engine):
    example = json.loads((EXAMPLES / "lucas-onderwijs" / "01-pupil-full-names-facebook.json").read_text(encoding="utf-8"))
    body = api.post(CHECK, {"protocol": "lucas-onderwijs", "post": example}).json()
    protocol = get_protocol("lucas-onderwijs")
    assert body["verdict"] == "revise" and body["verdict_label"] == "aanpassen" and body["text_changed"]
    finding = body["findings"][0]
    ids = [a["id"] for a in finding["articles"]]
    assert "A.2" in ids
    assert finding["articles"] == [{"id": a, "text": protocol.article(a).text} for a in ids]
    assert finding["fix"]["action"] == "redact" and finding["fix"]["applied"]
    for evidence in finding["evidence"]:
        assert example["text"][evidence["start"] : evidence["end"]] == evidence["text"]
        assert evidence["text"] not in body["revised_text"]


def test_with_a_school_its_protocol_and_its_pupils_names_are_used(api, lucas, deduce_engine):
    post = {"channel": "facebook", "text": "Sem heeft vandaag de tekenwedstrijd gewonnen!"}
    at_school = api.post(CHECK, {"school": lucas.school.pk, "post": post}).json()
    assert at_school["protocol"]["id"] == "lucas-onderwijs"
    assert [e["label"] for f in at_school["findings"] for e in f["evidence"]] == ["naam leerling"]
    shipped = api.post(CHECK, {"protocol": "lucas-onderwijs", "post": post}).json()
    assert [e["label"] for f in shipped["findings"] for e in f["evidence"]] == ["naam"]


def test_the_board_checks_at_its_schools(client, lucas, deduce_engine):
    response = api_for(client, lucas.users["board"]).post(CHECK, {"school": lucas.school.pk, "post": {"text": "Fijne vakantie!"}})
    assert response.status_code == 200, response.content


def test_another_school_or_an_unknown_one_is_not_found_alike(api, lucas):
    post = {"text": "Fijne vakantie!"}
    other = assert_json_error(api.post(CHECK, {"school": lucas.other_school.pk, "post": post}), 404)
    unknown = assert_json_error(api.post(CHECK, {"school": 999_999, "post": post}), 404)
    assert other == unknown


def test_a_school_without_protocol_is_a_field_error(api, world):
    body = assert_json_error(api.post(CHECK, {"school": world.school.pk, "post": {"text": "Hallo"}}), 400)
    assert "nog geen protocol" in body["errors"]["school"][0]


@pytest.mark.parametrize(
    "request_body, field, words",
    [
        ({"post": {"text": "Hallo"}}, "non_field_errors", "precies één"),
        ({"school": 1, "protocol": "msvr", "post": {"text": "Hallo"}}, "non_field_errors", "precies één"),
        ({"protocol": "bestaat-niet", "post": {"text": "Hallo"}}, "protocol", "geldige keuze"),
        ({"protocol": "msvr", "post": {"text": "Hallo", "media": [{"path": "foto.jpg"}]}}, "post.media", "niet aangenomen"),
        ({"protocol": "msvr", "post": {"text": "Hallo", "permision": True}}, "post.permision", "Onbekend veld"),
        ({"protocol": "msvr", "post": {"text": "Hallo", "channel": "myspace"}}, "post.channel", "geldige keuze"),
        ({"protocol": "msvr", "post": {"text": "Hallo", "author": {"role": "ouder"}}}, "post.author.role", "geldige keuze"),
        ({"protocol": "msvr", "post": {"text": "   "}}, "post", "'text', 'media' of activity 'connection'"),
        ({"protocol": "msvr", "post": {"text": "Hallo"}, "extra": 1}, "extra", "Onbekend veld"),
        ({"protocol": "msvr", "post": {"text": "Hallo", "posted_at": "0001-01-01T00:00:00"}}, "post.posted_at",
         "tussen 2000 en 2100"),
        ({"protocol": "msvr", "post": {"text": "Hallo", "posted_at": "gisteren"}}, "post.posted_at", "ongeldig formaat"),
    ],
)
def test_bad_input_is_400_with_a_dutch_message_per_field(api, request_body, field, words):
    body = assert_json_error(api.post(CHECK, request_body), 400)
    assert words in " ".join(body["errors"][field]), body


def test_non_json_wrong_method_bad_json_and_unknown_paths_answer_json(api, client):
    headers = {"Authorization": f"Bearer {api.secret}"}
    form = client.post(CHECK, {"protocol": "msvr"}, headers=headers)
    assert "JSON" in assert_json_error(form, 415)["detail"]
    text = client.post(CHECK, "protocol=msvr", content_type="text/plain", headers=headers)
    assert_json_error(text, 415)
    broken = client.post(CHECK, "{niet: json", content_type="application/json", headers=headers)
    assert "geen geldige JSON" in assert_json_error(broken, 400)["detail"]
    wrong_method = client.get(CHECK, headers=headers)
    assert_json_error(wrong_method, 405)
    assert "POST" in wrong_method["Allow"]
    assert_json_error(client.get("/api/v1/bestaat-niet/", headers=headers), 404)
    assert_json_error(client.get("/api/v2/check/", headers=headers), 404)
    assert_json_error(client.post("/api/v1/check", "{}", content_type="application/json", headers=headers), 404)


def test_a_browser_asking_for_html_still_gets_json(api, client):
    response = client.get("/api/v1/drafts/", headers={"Authorization": f"Bearer {api.secret}", "Accept": "text/html"})
    assert response.status_code == 200 and response["Content-Type"] == "application/json"


@pytest.mark.parametrize(
    "raw, status, words",
    [
        ('{"protocol": "msvr", "post": {"text": "\\ud800 hallo"}}', 400, "ongeldige tekens"),
        ('{"protocol": "msvr", "post": {"text": "a\\u0000b"}}', 400, "Null-tekens"),
        ("null", 400, "niets meegestuurd"),
        ("[" * 100_000 + "]" * 100_000, 400, "geen geldige JSON"),
        ('{"protocol": "msvr", "post": {"text": "' + "x" * 3_000_000 + '"}}', 413, "te groot"),
    ],
)
def test_hostile_bodies_get_a_dutch_json_error_not_a_crash(api, client, raw, status, words):
    response = client.post(CHECK, raw, content_type="application/json", headers={"Authorization": f"Bearer {api.secret}"})
    body = assert_json_error(response, status)
    assert words in json.dumps(body, ensure_ascii=False), body
