"""Drafts (issue 4 §1) through their services: the check on every save with real photos, video and
sound, the real deduce and face model, the live consent registry; tags, blurring, fixes, refusals."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

import numpy as np
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from plaatsbaar.core.media.video import iter_frames, probe_video
from plaatsbaar.web.audit.models import AuditEvent
from plaatsbaar.web.audit.models import AppendOnlyError
from plaatsbaar.web.consent.services import Answer, record_answer
from plaatsbaar.web.drafts import services
from plaatsbaar.web.drafts.models import DraftStatus, DraftVersion, FaceTag
from plaatsbaar.web.organisation.models import Group, ProtocolVersion, Pupil
from plaatsbaar.web.review import workflow
from tests.media_factory import face_box, gps_exif, write_group_photo, write_video, write_wav
from tests.web.conftest import TODAY


@pytest.fixture(scope="module")
def group_photo(tmp_path_factory) -> bytes:
    """A JPEG of three astronauts side by side (three faces), with GPS in its EXIF."""
    path = write_group_photo(tmp_path_factory.mktemp("photos") / "groep.jpg", 3, exif=gps_exif())
    return path.read_bytes()


@pytest.fixture
def media_root(settings, tmp_path) -> Path:
    settings.MEDIA_ROOT = tmp_path / "media"
    return Path(settings.MEDIA_ROOT)


@pytest.fixture
def lucas(newsroom, media_root):
    """The newsroom with lucas-onderwijs active; Sem's guardian consented to Facebook photos, Noor (16) has not answered."""
    world = newsroom.world
    ProtocolVersion.objects.create(school=world.school, builtin_id="lucas-onderwijs", active=True)
    record_answer(world.pupil, world.facebook, "photo", True, Answer(guardian=world.guardian), today=TODAY)
    return newsroom


def upload(name: str, data: bytes) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, data)


def new_draft(room, channel: str = "facebook"):
    return services.create_draft(room.world.school, room.teacher, channel, group=room.world.group)


def pixels(path: Path) -> np.ndarray:
    with Image.open(path) as image:
        return np.asarray(image.convert("RGB"))


def difference(a: np.ndarray, b: np.ndarray, box) -> float:
    x, y, w, h = box
    return float(np.abs(a[y : y + h, x : x + w].astype(int) - b[y : y + h, x : x + w].astype(int)).mean())


def actions(draft) -> list[str]:
    return list(AuditEvent.objects.filter(object_type="draft", object_id=str(draft.pk)).order_by("id")
                .values_list("action", flat=True))


# --- the check on every save ---------------------------------------------------------------------


def test_a_pupils_full_name_on_facebook_is_found_with_its_article_and_each_save_is_a_new_version(lucas):
    draft = new_draft(lucas)
    first = services.save_version(draft, lucas.teacher, text="Gefeliciteerd Sem de Vries met je verjaardag!")
    assert first.number == 1 and first.verdict == "revise"
    [finding] = [f for f in first.findings if any(a["id"] == "A.2" for a in f["articles"])]
    assert finding["evidence"] == ["naam leerling: “Sem de Vries”"]
    assert finding["articles"][0]["text"]  # the article's own words, shown on the page
    assert finding["fix"] and finding["fix_applied"] is True
    assert first.revised_text == "Gefeliciteerd [naam] met je verjaardag!"
    second = services.save_version(draft, lucas.teacher, text="Wat een mooie sportdag!")
    assert second.number == 2 and second.verdict == "allow" and second.findings == []
    assert [v.verdict for v in draft.versions.order_by("number")] == ["revise", "allow"]  # kept per version
    with pytest.raises(AppendOnlyError):
        first.save()
    with pytest.raises(AppendOnlyError):
        DraftVersion.objects.filter(pk=first.pk).update(text="anders")
    assert actions(draft) == ["draft.created", "draft.saved", "draft.saved"]


def test_apply_fixes_gives_a_version_without_the_name_that_no_longer_needs_revising(lucas):
    draft = new_draft(lucas)
    services.save_version(draft, lucas.teacher, text="Gefeliciteerd SEM DE VRIES met je verjaardag!")
    fixed = services.apply_fixes(draft, lucas.teacher)
    assert fixed.number == 2 and fixed.text == "Gefeliciteerd [naam] met je verjaardag!"
    assert fixed.verdict == "allow"
    assert actions(draft)[-2:] == ["draft.saved", "draft.fixes_applied"]
    with pytest.raises(services.DraftRefused, match="niets aan de tekst aan te passen"):
        services.apply_fixes(draft, lucas.teacher)


def test_a_draft_without_text_or_files_and_a_school_without_protocol_are_refused(newsroom, media_root):
    draft = services.create_draft(newsroom.world.school, newsroom.teacher, "facebook")
    with pytest.raises(services.DraftRefused, match="nog geen protocol"):
        services.save_version(draft, newsroom.teacher, text="Hallo")
    with pytest.raises(services.DraftRefused, match="Schrijf een tekst"):
        services.save_version(draft, newsroom.teacher, text="  ")
    assert not draft.versions.exists()


# --- photos, faces and tags ----------------------------------------------------------------------


def test_a_group_photo_gets_its_faces_left_to_right_and_untagged_faces_are_blurred(lucas, group_photo, media_root):
    draft = new_draft(lucas)
    media = services.add_media(draft, lucas.teacher, upload("sportdag.jpg", group_photo))
    assert media.kind == "photo" and (media.width, media.height) == (1536, 512)
    assert len(media.faces) == 3
    for index, (x, y, w, h) in enumerate(media.faces):
        fx, fy, fw, fh = face_box(index)
        assert abs(x - fx) < 40 and abs(y - fy) < 40 and w > 50 and h > 50, (index, media.faces)
    original = services.media_file(media, "original")
    assert original.parent == media_root.resolve() / "drafts" / str(draft.pk) / "origineel"
    assert original.name == "foto-1.jpg"  # never the uploader's file name

    services.tag_face(media, 0, lucas.world.pupil, lucas.teacher)  # Sem consented to Facebook photos
    services.tag_face(media, 1, None, lucas.teacher)  # onbekend
    version = services.save_version(draft, lucas.teacher, text="Wat een mooie sportdag!")
    media.refresh_from_db()
    published = services.media_file(media, "publishable")
    assert published.parent == media_root.resolve() / "drafts" / str(draft.pk) / "publiceren"
    before, after = pixels(original), pixels(published)
    assert difference(before, after, face_box(0)) < 3  # Sem stays recognisable
    assert difference(before, after, face_box(1)) > 8  # onbekend: blurred
    assert difference(before, after, face_box(2)) > 8  # untagged: blurred
    assert difference(before, after, (0, 400, 100, 100)) < 3  # the rest of the photo is kept
    assert version.verdict == "revise" and any(f["fix_applied"] for f in version.findings)
    assert version.tags == {"1": {"0": lucas.world.pupil.pk, "1": None}}
    assert services.shown_pupils(version) == {1: [lucas.world.pupil.pk]}
    with Image.open(original) as kept, Image.open(published) as out:
        assert kept.getexif().get_ifd(0x8825) and not out.getexif().get_ifd(0x8825)  # GPS stripped
        assert not out.getexif()


def test_a_tagged_pupil_without_consent_is_blurred_and_named_in_the_findings(lucas, group_photo):
    draft = new_draft(lucas)
    media = services.add_media(draft, lucas.teacher, upload("klas.jpg", group_photo))
    services.tag_faces(media, {0: lucas.world.pupil.pk, 1: lucas.world.older_pupil.pk, 2: None}, lucas.teacher)
    version = services.save_version(draft, lucas.teacher, text="")
    evidence = [e for f in version.findings for e in f["evidence"]]
    assert "gezicht zonder toestemming: “2 van 3 gezichten in foto-1.jpg”" in evidence  # Noor and onbekend
    media.refresh_from_db()
    before, after = pixels(services.media_file(media, "original")), pixels(services.media_file(media, "publishable"))
    assert difference(before, after, face_box(0)) < 3 and difference(before, after, face_box(1)) > 8
    assert services.shown_pupils(version) == {1: [lucas.world.pupil.pk]}


def test_consent_withdrawn_before_the_next_save_blurs_the_pupil(lucas, group_photo):
    draft = new_draft(lucas)
    media = services.add_media(draft, lucas.teacher, upload("klas.jpg", group_photo))
    services.tag_face(media, 0, lucas.world.pupil, lucas.teacher)
    services.save_version(draft, lucas.teacher, text="Sportdag")
    record_answer(lucas.world.pupil, lucas.world.facebook, "photo", False, Answer(guardian=lucas.world.guardian), today=TODAY)
    version = services.recheck(draft, lucas.teacher)
    media.refresh_from_db()
    before, after = pixels(services.media_file(media, "original")), pixels(services.media_file(media, "publishable"))
    assert difference(before, after, face_box(0)) > 8
    assert services.shown_pupils(version) == {} and version.text == "Sportdag"


def test_a_teacher_cannot_tag_a_pupil_of_another_class_or_school(lucas, group_photo):
    draft = new_draft(lucas)
    media = services.add_media(draft, lucas.teacher, upload("klas.jpg", group_photo))
    with pytest.raises(services.DraftRefused, match="groepen waaraan je lesgeeft"):
        services.tag_face(media, 0, lucas.pupil7, lucas.teacher)
    with pytest.raises(services.DraftRefused, match="hoort niet bij deze school"):
        services.tag_face(media, 0, lucas.world.other_pupil, lucas.teacher)
    with pytest.raises(services.DraftRefused, match="geen gezicht 4"):
        services.tag_face(media, 3, lucas.world.pupil, lucas.teacher)
    with pytest.raises(services.DraftRefused, match="groepen waaraan je lesgeeft"):  # all or nothing
        services.tag_faces(media, {0: lucas.world.pupil.pk, 1: lucas.pupil7.pk}, lucas.teacher)
    assert not FaceTag.objects.exists()
    assert "draft.face_tagged" not in actions(draft)


def test_who_may_be_tagged_depends_on_the_role(lucas):
    school = lucas.world.school
    left = Pupil.objects.create(school=school, group=lucas.world.group, external_id="1099", first_name="Bas",
                                last_name="Vertrokken", date_of_birth=TODAY.replace(year=2017), left_on=TODAY)
    taught = set(services.taggable_pupils(school, lucas.teacher))
    assert taught == {lucas.world.pupil, lucas.world.older_pupil}
    everyone = {lucas.world.pupil, lucas.world.older_pupil, lucas.pupil7}
    for user in (lucas.communication, lucas.manager, lucas.fg):
        assert set(services.taggable_pupils(school, user)) == everyone
    assert left not in everyone
    assert not services.taggable_pupils(school, lucas.world.users["other_teacher"]).exists()
    assert not services.taggable_pupils(school, lucas.world.users["board"]).exists()


def test_every_tag_writes_the_audit_log_without_names(lucas, group_photo):
    draft = new_draft(lucas)
    media = services.add_media(draft, lucas.teacher, upload("klas.jpg", group_photo))
    services.tag_faces(media, {0: lucas.world.pupil.pk, 1: None}, lucas.teacher, ip="192.0.2.7")
    services.tag_faces(media, {0: lucas.world.pupil.pk, 1: None}, lucas.teacher)  # nothing changed: no entry
    entries = AuditEvent.objects.filter(action="draft.face_tagged").order_by("id")
    assert [e.changes for e in entries] == [
        {"media": 1, "face": 0, "pupil": lucas.world.pupil.pk}, {"media": 1, "face": 1, "pupil": None}]
    assert {e.ip for e in entries} == {"192.0.2.7"} and {e.actor_id for e in entries} == {lucas.teacher.pk}
    assert "Sem" not in str([e.changes for e in AuditEvent.objects.all()])
    assert actions(draft)[:2] == ["draft.created", "draft.media_added"]


def test_a_file_that_is_no_photo_is_refused_in_dutch_and_not_kept(lucas, media_root):
    draft = new_draft(lucas)
    with pytest.raises(services.DraftRefused, match=r"Foto 1 \(verslag.jpg\): dit is geen foto"):
        services.add_media(draft, lucas.teacher, upload("verslag.jpg", b"Dit is tekst, geen foto."))
    with pytest.raises(services.DraftRefused, match=r"Bestand 1 \(film.mp4\): dit is geen film"):
        services.add_media(draft, lucas.teacher, upload("film.mp4", b"ook geen film"))
    assert not draft.media.exists()
    assert list((media_root / "drafts" / str(draft.pk) / "origineel").iterdir()) == []


# --- video and sound ----------------------------------------------------------------------------


@pytest.fixture(scope="module")
def sports_video(tmp_path_factory) -> bytes:
    path = write_video(tmp_path_factory.mktemp("video") / "sportdag.mp4", 2, 10, location=True)
    return path.read_bytes()


def test_a_video_is_tagged_on_a_still_and_blurred_whole(lucas, sports_video):
    draft = new_draft(lucas)
    media = services.add_media(draft, lucas.teacher, upload("Sportdag.MP4", sports_video))
    assert media.kind == "video" and len(media.faces) == 1 and (media.width, media.height) == (640, 360)
    assert services.media_file(media, "still").is_file()
    version = services.save_version(draft, lucas.teacher, text="Sportdag!")
    assert version.verdict == "revise"
    media.refresh_from_db()
    published = services.media_file(media, "publishable")
    assert published.name == "film-1-vervaagd.mp4"
    original = services.media_file(media, "original")
    first_in = next(iter_frames(original, probe_video(original)))
    first_out = next(iter_frames(published, probe_video(published)))
    x, y, w, h = media.faces[0]
    assert difference(first_in, first_out, (x, y, w, h)) > 8
    assert difference(first_in, first_out, (600, 0, 40, 40)) < 4  # the background stays


def test_a_recording_has_no_faces_and_voices_without_consent_block(lucas, tmp_path):
    draft = new_draft(lucas)
    sound = write_wav(tmp_path / "interview.wav", 1.0).read_bytes()
    media = services.add_media(draft, lucas.teacher, upload("interview.wav", sound))
    assert media.kind == "audio" and media.faces == [] and media.width is None
    version = services.save_version(draft, lucas.teacher, text="Luister naar ons interview")
    assert version.verdict == "block"
    media.refresh_from_db()
    assert services.media_file(media, "publishable").is_file()
    with pytest.raises(FileNotFoundError):
        services.media_file(media, "still")


def test_removing_a_video_deletes_its_original_still_and_blurred_copy(lucas, sports_video, media_root,
                                                                     django_capture_on_commit_callbacks):
    draft = new_draft(lucas)
    media = services.add_media(draft, lucas.teacher, upload("sportdag.mp4", sports_video))
    services.save_version(draft, lucas.teacher, text="Sportdag!")
    media.refresh_from_db()
    files = [services.media_file(media, which) for which in ("original", "still", "publishable")]
    assert all(path.is_file() for path in files)
    with django_capture_on_commit_callbacks(execute=True):
        version = services.remove_media(media, lucas.teacher)
    assert version.number == 2 and version.verdict == "allow" and not draft.media.exists()
    assert not any(path.exists() for path in files)
    assert not list((media_root / "drafts" / str(draft.pk) / "publiceren").iterdir())
    assert actions(draft)[-2:] == ["draft.media_removed", "draft.saved"]


def test_a_removal_whose_new_check_is_refused_removes_nothing(lucas, group_photo,
                                                             django_capture_on_commit_callbacks):
    draft = new_draft(lucas)
    first = services.add_media(draft, lucas.teacher, upload("a.jpg", group_photo))
    services.add_media(draft, lucas.teacher, upload("b.jpg", group_photo))
    services.save_version(draft, lucas.teacher, text="")
    ProtocolVersion.objects.filter(school=lucas.world.school).update(active=False)
    with django_capture_on_commit_callbacks(execute=True), pytest.raises(services.DraftRefused, match="protocol"):
        services.remove_media(first, lucas.teacher)
    assert draft.media.count() == 2 and draft.versions.count() == 1
    assert services.media_file(draft.media.get(number=1), "original").is_file()
    assert "draft.media_removed" not in actions(draft)


def test_a_planned_time_that_no_time_zone_can_convert_is_refused_in_dutch(lucas):
    draft = new_draft(lucas)
    for moment in (datetime(1, 1, 1), datetime(9999, 12, 31, 23, 59)):
        with pytest.raises(services.DraftRefused, match="kies een datum tussen 2000 en 2100"):
            services.save_version(draft, lucas.teacher, text="Sportdag", posted_at=moment)
    assert not draft.versions.exists()


# --- who may change a draft -----------------------------------------------------------------------


def test_editing_is_refused_while_the_draft_is_in_review(lucas, group_photo):
    draft = new_draft(lucas)
    media = services.add_media(draft, lucas.teacher, upload("klas.jpg", group_photo))
    services.save_version(draft, lucas.teacher, text="Sportdag")
    workflow.submit(draft, lucas.teacher)
    assert draft.status == DraftStatus.IN_REVIEW
    for attempt in (
        lambda: services.save_version(draft, lucas.teacher, text="Anders"),
        lambda: services.tag_face(media, 0, lucas.world.pupil, lucas.teacher),
        lambda: services.add_media(draft, lucas.teacher, upload("b.jpg", group_photo)),
        lambda: services.apply_fixes(draft, lucas.teacher),
    ):
        with pytest.raises(services.DraftRefused, match="kan nu niet worden gewijzigd"):
            attempt()
    assert draft.versions.count() == 1 and draft.media.count() == 1 and not FaceTag.objects.exists()


def test_a_new_version_makes_a_sent_back_draft_a_concept_again(lucas):
    draft = new_draft(lucas)
    services.save_version(draft, lucas.teacher, text="Sportdag")
    workflow.submit(draft, lucas.teacher)
    workflow.send_back(draft, lucas.manager, "Graag zonder achternamen.")
    services.save_version(draft, lucas.teacher, text="Sportdag, zonder namen")
    draft.refresh_from_db()
    assert draft.status == DraftStatus.CONCEPT


def test_only_the_author_edits(lucas):
    draft = new_draft(lucas)
    with pytest.raises(services.DraftRefused, match="Alleen de auteur"):
        services.save_version(draft, lucas.manager, text="Van de directeur")


def test_creating_a_draft_checks_school_channel_and_class(lucas):
    school = lucas.world.school
    with pytest.raises(services.DraftRefused, match="groep waaraan je lesgeeft"):
        services.create_draft(school, lucas.teacher, "facebook", group=lucas.group7)
    assert services.create_draft(school, lucas.communication, "facebook", group=lucas.group7).group == lucas.group7
    with pytest.raises(services.DraftRefused, match="groepsapp"):
        services.create_draft(school, lucas.teacher, "group_app")
    with pytest.raises(services.DraftRefused, match="geen berichten maken"):
        services.create_draft(school, lucas.world.users["other_teacher"], "facebook")
    with pytest.raises(services.DraftRefused, match="geen berichten maken"):
        services.create_draft(school, lucas.world.users["board"], "facebook")
    from plaatsbaar.web.publication.models import SchoolChannel

    SchoolChannel.objects.create(school=school, channel="website")
    assert services.allowed_channels(school) == ["website", "group_app"]
    with pytest.raises(services.DraftRefused, match="kanaal niet"):
        services.create_draft(school, lucas.teacher, "facebook")
    other_group = Group.objects.create(school=lucas.world.other_school, name="groep 1", school_year="2026-2027")
    with pytest.raises(services.DraftRefused, match="groep waaraan je lesgeeft"):
        services.create_draft(school, lucas.manager, "website", group=other_group)


def test_originals_are_for_the_author_the_manager_and_the_fg(lucas):
    draft = new_draft(lucas)
    assert services.can_see_original(lucas.teacher, draft)
    assert services.can_see_original(lucas.manager, draft) and services.can_see_original(lucas.second_manager, draft)
    assert services.can_see_original(lucas.fg, draft)
    assert not services.can_see_original(lucas.communication, draft)
    assert not services.can_see_original(lucas.world.users["other_teacher"], draft)
