"""The school's protocol: choose a shipped one or upload YAML (validated, history kept, audited),
and the read-only page every staff role sees."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from plaatsbaar.core.protocol.loader import builtin_protocol_dir
from plaatsbaar.web.audit.models import AuditEvent
from plaatsbaar.web.organisation.models import ProtocolVersion

OWN_PROTOCOL = """\
id: wilgenhoek
title: Protocol sociale media De Wilgenhoek
organisation: Basisschool De Wilgenhoek
names: [De Wilgenhoek]
kind_of_school: po
source: eigen document
roles: {leerkrachten: staff, ouders: parent}
articles:
  - id: W.1
    section: Algemeen
    text: Wij plaatsen geen foto's van kinderen zonder toestemming van hun ouders.
rules:
  - id: no-faces
    articles: [W.1]
    title: Geen gezichten zonder toestemming
    when: {fact: media.faces_to_blur, at_least: 1}
    verdict: revise
    message: Maak de gezichten onherkenbaar.
"""


def _manage(world, school=None) -> str:
    return f"/school/{(school or world.school).pk}/protocol/beheer/"


def _read(world, school=None) -> str:
    return f"/school/{(school or world.school).pk}/protocol/"


def _choose(client, world, protocol_id, note=""):
    return client.post(_manage(world), {"bron": "meegeleverd", "meegeleverd-builtin_id": protocol_id, "meegeleverd-note": note})


def _upload(client, world, content: bytes, name="protocol.yaml"):
    data = {"bron": "eigen", "eigen-note": "", "eigen-yaml_file": SimpleUploadedFile(name, content)}
    return client.post(_manage(world), data)


@pytest.fixture
def manager(client, world):
    client.force_login(world.users["manager"])
    return client


def test_choosing_a_shipped_protocol_activates_it_and_audits(manager, world):
    response = _choose(manager, world, "lucas-onderwijs", "vastgesteld door de MR")
    assert response.status_code == 302
    active = world.school.active_protocol()
    assert active.builtin_id == "lucas-onderwijs" and active.created_by == world.users["manager"]
    event = AuditEvent.objects.get(action="protocol.activated")
    assert (event.school_id, event.actor_label, event.ip) == (world.school.pk, "directeur", "127.0.0.1")
    assert event.changes == {"protocol": "lucas-onderwijs", "source": "builtin", "previous_version": None}


def test_a_new_version_replaces_the_old_which_stays_in_the_history(manager, world):
    _choose(manager, world, "lucas-onderwijs")
    first = world.school.active_protocol()
    _choose(manager, world, "tjongerschool")
    first.refresh_from_db()
    assert not first.active and world.school.active_protocol().builtin_id == "tjongerschool"
    page = manager.get(_manage(world)).content.decode()
    assert "lucas-onderwijs" in page and "tjongerschool" in page and "vervangen" in page
    assert AuditEvent.objects.filter(action="protocol.activated").first().changes["previous_version"] == first.pk
    old = manager.get(f"/school/{world.school.pk}/protocol/versie/{first.pk}/").content.decode()
    assert "Oude versie" in old and "Lucas Onderwijs" in old


def test_an_own_protocol_is_validated_and_activated(manager, world):
    response = _upload(manager, world, OWN_PROTOCOL.encode())
    assert response.status_code == 302
    active = world.school.active_protocol()
    assert active.builtin_id == "" and active.yaml_text == OWN_PROTOCOL
    page = manager.get(_read(world)).content.decode()
    assert "Wij plaatsen geen foto&#x27;s van kinderen zonder toestemming" in page
    assert "Geen gezichten zonder toestemming" in page and "Eigen protocol van de school" in page


def test_an_uploaded_protocol_with_an_error_shows_the_line_and_saves_nothing(manager, world):
    _choose(manager, world, "lucas-onderwijs")
    broken = OWN_PROTOCOL.replace("{fact: media.faces_to_blur, at_least: 1}", "{fact: media.gezichten, at_least: 1}")
    response = _upload(manager, world, broken.encode())
    page = response.content.decode()
    assert response.status_code == 400
    assert "regel 16, veld rules[0].when.fact: onbekend feit &#x27;media.gezichten&#x27;" in page
    assert "niet opgeslagen" in page
    assert ProtocolVersion.objects.filter(school=world.school).count() == 1
    assert world.school.active_protocol().builtin_id == "lucas-onderwijs"
    assert AuditEvent.objects.filter(action="protocol.activated").count() == 1


def test_yaml_that_is_not_yaml_or_not_utf8_gets_a_dutch_message(manager, world):
    page = _upload(manager, world, b"id: x\n  - : [\n").content.decode()
    assert "regel 2" in page and "geen geldige YAML" in page
    page = _upload(manager, world, "id: café\n".encode("latin-1")).content.decode()
    assert "geen UTF-8-tekst" in page
    assert not ProtocolVersion.objects.exists()


def test_a_shipped_protocol_uploaded_as_own_yaml_is_accepted(manager, world):
    text = (builtin_protocol_dir() / "msvr.yaml").read_bytes()
    assert _upload(manager, world, text).status_code == 302
    assert world.school.active_protocol().yaml_text.startswith(text.decode()[:20])


def test_only_managers_and_the_board_manage_the_protocol(client, world):
    for name in ("teacher", "fg"):
        client.force_login(world.users[name])
        assert client.get(_manage(world)).status_code == 403, name
        assert _choose(client, world, "lucas-onderwijs").status_code == 403, name
    client.force_login(world.users["board"])
    assert client.get(_manage(world, world.other_school)).status_code == 200
    assert not ProtocolVersion.objects.exists()


def test_another_schools_staff_gets_404(client, world):
    client.force_login(world.users["other_teacher"])
    assert client.get(_manage(world)).status_code == 404
    assert client.get(_read(world)).status_code == 404
    assert _choose(client, world, "lucas-onderwijs").status_code == 404


def test_a_version_of_another_school_is_not_shown(manager, world):
    elsewhere = ProtocolVersion.objects.create(school=world.other_school, builtin_id="msvr", active=True)
    assert manager.get(f"/school/{world.school.pk}/protocol/versie/{elsewhere.pk}/").status_code == 404


def test_every_staff_role_reads_the_active_protocol(client, world):
    ProtocolVersion.objects.create(school=world.school, builtin_id="lucas-onderwijs", active=True)
    for name in ("teacher", "manager", "fg", "board"):
        client.force_login(world.users[name])
        page = client.get(_read(world)).content.decode()
        assert "De school vraagt aantoonbaar schriftelijke toestemming" in page, name  # article A.5
        assert "Gezichten zonder toestemming onherkenbaar maken" in page, name  # its rule
    client.force_login(world.users["teacher"])
    assert "Protocol beheren" not in client.get(_read(world)).content.decode()


def test_a_school_without_protocol_says_so(client, world):
    client.force_login(world.users["teacher"])
    assert "nog geen protocol" in client.get(_read(world)).content.decode()


def test_anonymous_visitors_are_sent_to_log_in(client, world):
    for url in (_read(world), _manage(world)):
        response = client.get(url)
        assert response.status_code == 302 and "/inloggen/" in response["Location"]
