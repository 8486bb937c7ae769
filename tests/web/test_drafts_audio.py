"""Recordings on drafts (issue 4 §1: "text, photos, video, audio"): who is heard, through the page and the
services, the check and publication that follow from it; and how uploads are recognised by their content,
with fixed Dutch reasons for files that cannot be used."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from plaatsbaar.web.audit.models import AuditEvent
from plaatsbaar.web.consent.services import Answer, record_answer
from plaatsbaar.web.drafts import services, storage
from plaatsbaar.web.drafts.models import DraftMedia, VoiceTag
from plaatsbaar.web.publication.models import PublishedPerson
from plaatsbaar.web.publication.services import publish
from plaatsbaar.web.review import workflow
from plaatsbaar.web.review.workflow import StepRefused
from tests.media_factory import write_group_photo, write_video, write_wav
from tests.web.conftest import TODAY
from tests.web.test_drafts_services import group_photo, lucas, media_root  # noqa: F401 - shared fixtures


@pytest.fixture(scope="module")
def tone(tmp_path_factory) -> bytes:
    """One second of a 440 Hz tone as a WAV file."""
    return write_wav(tmp_path_factory.mktemp("sound") / "interview.wav", 1.0).read_bytes()


@pytest.fixture
def heard(lucas):
    """Sem's guardian consented to recordings on Facebook; Noor (16) has not answered."""
    world = lucas.world
    record_answer(world.pupil, world.facebook, "audio", True, Answer(guardian=world.guardian), today=TODAY)
    return lucas


def _recording(room, sound: bytes, text: str = "Luister naar ons interview"):
    """The teacher's Facebook concept with the recording, saved once."""
    draft = services.create_draft(room.world.school, room.teacher, "facebook", group=room.world.group)
    media = services.add_media(draft, room.teacher, SimpleUploadedFile("interview.wav", sound))
    services.save_version(draft, room.teacher, text=text)
    return draft, media


def _recording_box(page: str) -> str:
    return re.search(r'<fieldset id="bestand-1">(.*)</form>', page, re.S).group(1)


def _say_heard(client, draft, pupils=(), staff_or_none=False):
    data = {"m1-pupils": [str(p.pk) for p in pupils]}
    if staff_or_none:
        data["m1-staff_or_none"] = "on"
    return client.post(f"/berichten/{draft.pk}/bestanden/1/stemmen/", data)


# --- who is heard ------------------------------------------------------------------------------------


def test_a_recording_offers_the_pupils_taught_with_their_consent_for_sound(client, heard, tone):
    draft, _ = _recording(heard, tone)
    client.force_login(heard.teacher)
    box = _recording_box(client.get(f"/berichten/{draft.pk}/").content.decode())
    assert "Wie is er te horen?" in box
    assert "Sem de Vries — toestemming: ja" in box and "Noor Bakker — toestemming: nee" in box
    assert "Lotte Jansen" not in box  # groep 7: not taught by this teacher
    assert "Verder alleen medewerkers die ermee instemmen, of geen herkenbare stemmen" in box
    assert "Geluidsopname 1 verwijderen" in box
    client.force_login(heard.manager)  # a reviewer sees what was said, cannot change it
    page = client.get(f"/berichten/{draft.pk}/").content.decode()
    assert "Nog niet aangegeven wie er te horen is" in page and "Wie is er te horen?" not in page


def test_a_recording_nobody_is_named_on_is_blocked_as_unknown_voices(heard, tone):
    _, media = _recording(heard, tone)
    version = media.draft.latest_version()
    assert version.verdict == "block" and version.shown == {}
    [finding] = [f for f in version.findings if f["verdict"] == "block"]
    assert any("onbekende stemmen" in e for e in finding["evidence"])
    assert [a["id"] for a in finding["articles"]] == ["A.5"]


def test_naming_a_consenting_pupil_lets_the_recording_be_published_with_that_pupil_recorded(client, heard, tone):
    draft, media = _recording(heard, tone)
    sem = heard.world.pupil
    client.force_login(heard.teacher)
    response = _say_heard(client, draft, [sem])
    assert response.status_code == 302 and response["Location"].endswith("#bestand-1")
    assert list(VoiceTag.objects.values_list("media", "pupil")) == [(media.pk, sem.pk)]
    version = draft.latest_version()
    assert version.number == 2 and version.verdict == "allow"
    assert version.tags == {"1": {"0": sem.pk}} and version.shown == {"1": [sem.pk]}
    event = AuditEvent.objects.get(action="draft.voices_tagged")
    assert event.changes == {"media": 1, "pupils": [sem.pk], "staff_or_none": False}
    assert "Sem" not in str(event.changes)
    box = _recording_box(client.get(f"/berichten/{draft.pk}/").content.decode())
    assert re.search(rf'value="{sem.pk}"[^>]*checked', box)
    publication = publish(draft, heard.teacher)
    [person] = PublishedPerson.objects.filter(publication=publication)
    assert person.pupil == sem and person.media.kind == "audio"  # found again when Sem's consent is withdrawn


def test_consent_withdrawn_after_the_check_stops_the_publication_until_it_is_checked_again(heard, tone):
    draft, media = _recording(heard, tone)
    world = heard.world
    services.tag_voices(media, [world.pupil.pk], False, heard.teacher)
    services.recheck(draft, heard.teacher)
    record_answer(world.pupil, world.facebook, "audio", False, Answer(guardian=world.guardian), today=TODAY)
    with pytest.raises(StepRefused, match="toestemming van een getagde leerling is gewijzigd"):
        publish(draft, heard.teacher)
    assert services.recheck(draft, heard.teacher).verdict == "block"


def test_a_pupil_heard_without_consent_blocks_the_recording_and_is_named(client, heard, tone):
    draft, _ = _recording(heard, tone)
    client.force_login(heard.teacher)
    assert _say_heard(client, draft, [heard.world.pupil, heard.world.older_pupil]).status_code == 302
    version = draft.latest_version()
    assert version.verdict == "block" and version.shown == {}
    evidence = [e for f in version.findings for e in f["evidence"]]
    assert "stem zonder toestemming: “geluid-1.wav: geen toestemming van Noor Bakker”" in evidence
    assert workflow.publish_refusal(draft, heard.teacher)


def test_only_staff_or_no_recognisable_voices_lets_the_recording_through_and_saying_nothing_blocks_again(
        client, heard, tone):
    draft, media = _recording(heard, tone)
    client.force_login(heard.teacher)
    assert _say_heard(client, draft, staff_or_none=True).status_code == 302
    version = draft.latest_version()
    assert version.verdict == "allow" and version.tags == {} and version.shown == {}
    media.refresh_from_db()
    assert media.staff_or_no_voices and not media.voices.exists()
    client.force_login(heard.manager)
    page = client.get(f"/berichten/{draft.pk}/").content.decode()
    assert "Te horen: verder alleen medewerkers die ermee instemmen, of geen herkenbare stemmen." in page
    client.force_login(heard.teacher)
    assert _say_heard(client, draft).status_code == 302
    assert draft.latest_version().verdict == "block"
    assert AuditEvent.objects.filter(action="draft.voices_tagged").count() == 2


@pytest.mark.parametrize("who", ["pupil7", "other_pupil", "missing", "tampered", "huge"])
def test_a_teacher_cannot_say_a_pupil_outside_their_classes_is_heard(client, heard, tone, who):
    draft, _ = _recording(heard, tone)
    value = {"pupil7": lambda: str(heard.pupil7.pk), "other_pupil": lambda: str(heard.world.other_pupil.pk),
             "missing": lambda: "999999", "tampered": lambda: "²", "huge": lambda: "9" * 25}[who]()
    client.force_login(heard.teacher)
    client.raise_request_exception = False
    response = client.post(f"/berichten/{draft.pk}/bestanden/1/stemmen/",
                           {"m1-pupils": [str(heard.world.pupil.pk), value]})
    assert response.status_code == 400
    reasons = ("Je kunt alleen leerlingen taggen uit de groepen waaraan je lesgeeft.",
               "Deze leerling hoort niet bij deze school.", "Deze leerling bestaat niet (meer).", "Onbekende leerling")
    assert any(reason in response.content.decode() for reason in reasons)
    assert not VoiceTag.objects.exists() and draft.versions.count() == 1
    assert not AuditEvent.objects.filter(action="draft.voices_tagged").exists()


def test_voices_are_for_recordings_and_said_by_the_author_while_the_draft_is_editable(client, heard, tone, group_photo):
    draft, media = _recording(heard, tone)
    photo = services.add_media(draft, heard.teacher, SimpleUploadedFile("klas.jpg", group_photo))
    with pytest.raises(services.DraftRefused, match="Bestand 2 is geen geluidsopname"):
        services.tag_voices(photo, [heard.world.pupil.pk], False, heard.teacher)
    with pytest.raises(services.DraftRefused, match="Alleen de auteur"):
        services.tag_voices(media, [heard.world.pupil.pk], False, heard.manager)
    client.force_login(heard.manager)
    assert _say_heard(client, draft, [heard.world.pupil]).status_code == 403
    services.recheck(draft, heard.teacher)
    workflow.submit(draft, heard.teacher, unsure=True)
    client.force_login(heard.teacher)
    assert _say_heard(client, draft, [heard.world.pupil]).status_code == 403
    assert client.get(f"/berichten/{draft.pk}/bestanden/1/stemmen/").status_code == 405
    assert not VoiceTag.objects.exists()


def test_a_recording_can_be_removed_from_the_draft(client, heard, tone, django_capture_on_commit_callbacks):
    draft, media = _recording(heard, tone)
    services.tag_voices(media, [heard.world.pupil.pk], False, heard.teacher)
    media.refresh_from_db()
    files = [services.media_file(media, "original"), services.media_file(media, "publishable")]
    client.force_login(heard.teacher)
    with django_capture_on_commit_callbacks(execute=True):
        assert client.post(f"/berichten/{draft.pk}/bestanden/1/verwijderen/").status_code == 302
    assert not DraftMedia.objects.exists() and not VoiceTag.objects.exists()
    assert not any(path.exists() for path in files)
    assert draft.latest_version().verdict == "allow"  # the text alone
    assert AuditEvent.objects.get(action="draft.media_removed").changes == {"media": 1, "kind": "audio"}


# --- what an upload is, by its content ----------------------------------------------------------------


def _codec_unknown(sound: bytes) -> bytes:
    """The WAV with a codec number no decoder knows: ffmpeg opens it, but cannot decode the sound."""
    data = bytearray(sound)
    data[20:22] = (0x3412).to_bytes(2, "little")
    return bytes(data)


def _refusal(room, name: str, data: bytes) -> str:
    draft = services.create_draft(room.world.school, room.teacher, "facebook", group=room.world.group)
    with pytest.raises(services.DraftRefused) as refused:
        services.add_media(draft, room.teacher, SimpleUploadedFile(name, data))
    assert not draft.media.exists()
    assert list(storage.originals_folder(draft.pk).iterdir()) == []  # nothing of it is kept
    return str(refused.value)


def test_a_broken_recording_gets_a_fixed_dutch_reason_without_paths_or_ffmpeg_output(lucas, tone):
    assert _refusal(lucas, "geluid.wav", _codec_unknown(tone)) == \
        "Bestand 1 (geluid.wav): de geluidsopname is beschadigd of onvolledig."
    garbage = _refusal(lucas, "geluid.wav", b"RIFF\x00\x00\x00\x00WAVEjunkjunkjunk")
    assert garbage.startswith("Bestand 1 (geluid.wav): dit is geen geluidsopname die plaatsbaar kan openen")
    assert "MP3" in garbage and "/" not in garbage and "Error" not in garbage


def test_a_file_of_no_known_kind_is_refused_naming_what_was_expected(lucas):
    message = _refusal(lucas, "notities.txt", b"Boodschappen: melk, brood.")
    assert message.startswith("Bestand 1 (notities.txt): dit is geen foto, film of geluidsopname")
    assert "JPEG" in message and "MP4" in message and "MP3" in message


def test_a_recording_that_became_unreadable_is_named_in_a_fixed_reason_on_save(heard, tone):
    draft, media = _recording(heard, tone)
    services.media_file(media, "original").write_bytes(_codec_unknown(tone))
    with pytest.raises(services.DraftRefused) as refused:
        services.save_version(draft, heard.teacher, text="Nog eens")
    assert str(refused.value) == ("Bestand 1 kan niet worden gelezen: het is beschadigd of onvolledig. "
                                  "Verwijder het en voeg het opnieuw toe.")


def test_the_kind_is_decided_by_the_content_not_the_name(lucas, tone, tmp_path):
    draft = services.create_draft(lucas.world.school, lucas.teacher, "facebook", group=lucas.world.group)
    sound = services.add_media(draft, lucas.teacher, SimpleUploadedFile("interview.mp4", tone))
    assert sound.kind == "audio" and Path(sound.original).name == "geluid-1.wav"
    photo_bytes = write_group_photo(tmp_path / "klas.jpg", 1).read_bytes()
    photo = services.add_media(draft, lucas.teacher, SimpleUploadedFile("klas.wav", photo_bytes))
    assert photo.kind == "photo" and Path(photo.original).name == "foto-2.jpg" and len(photo.faces) == 1
    film_bytes = write_video(tmp_path / "film.mp4", 1, 5, audio=True).read_bytes()
    film = services.add_media(draft, lucas.teacher, SimpleUploadedFile("sportdag.m4a", film_bytes))
    assert film.kind == "video" and Path(film.original).name == "film-3.mp4"
    version = services.save_version(draft, lucas.teacher, text="Sportdag")
    assert version.number == 1
