"""Publishing a draft: the review rules decide, the log keeps the text and the anonymised files
(never an original), the pupils shown are recorded for takedowns; the pages per role."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest
from django.contrib.messages import get_messages

from plaatsbaar.web.audit.models import AuditEvent
from plaatsbaar.web.consent.services import Answer, record_answer
from plaatsbaar.web.drafts.models import DraftStatus
from plaatsbaar.web.publication import services
from plaatsbaar.web.publication.models import Publication, PublicationStatus, PublishedPerson, SchoolChannel
from plaatsbaar.web.review import workflow
from plaatsbaar.web.review.models import ReviewStep, Step
from plaatsbaar.web.review.workflow import StepRefused
from tests.media_factory import face_box
from tests.web.conftest import TODAY
from tests.web.test_publication_support import (  # noqa: F401 (fixtures)
    REVISED,
    TEXT,
    add_version,
    build_draft,
    consent,
    exif_of,
    media_root,
    mean_difference,
    pixels,
)


def _sha(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _files(root: Path) -> list[Path]:
    folder = root / "publicaties"
    return sorted(p for p in folder.rglob("*") if p.is_file()) if folder.exists() else []


def _messages(response) -> list[str]:
    return [str(m) for m in get_messages(response.wsgi_request)]


# --- what a publication keeps ---


def test_the_publication_keeps_the_revised_text_and_the_anonymised_photo(consent, media_root):
    newsroom = consent
    draft = build_draft(newsroom)
    publication = services.publish(draft, newsroom.teacher, ip="10.0.0.1")

    assert publication.text == REVISED and publication.channel == "facebook" and publication.connector == "manual"
    assert publication.published_by == newsroom.teacher and publication.status == PublicationStatus.LIVE
    media = draft.media.get()
    [published] = publication.media.all()
    copy = media_root / published.file
    assert copy.is_file() and copy.parent == media_root / "publicaties" / str(publication.pk)
    assert _sha(copy) == _sha(media_root / media.publishable)
    assert exif_of(media_root / media.original) and not exif_of(copy)
    draft.refresh_from_db()
    assert draft.status == DraftStatus.PUBLISHED
    assert ReviewStep.objects.filter(draft=draft, step=Step.PUBLISHED, actor=newsroom.teacher).exists()


def test_the_unblurred_original_is_never_copied(consent, media_root):
    newsroom = consent
    draft = build_draft(newsroom)
    publication = services.publish(draft, newsroom.teacher)
    media = draft.media.get()
    original = media_root / media.original
    assert all(_sha(f) != _sha(original) for f in _files(media_root))
    published = pixels(media_root / publication.media.get().file)
    for face in (1, 2):  # Noor (no consent) and the unknown face are blurred in what was published
        assert mean_difference(published, pixels(original), face_box(face)) > 10
    assert mean_difference(published, pixels(original), face_box(0)) < 4


def test_a_publishable_file_that_is_the_original_is_refused_and_nothing_is_kept(consent, media_root):
    newsroom = consent
    draft = build_draft(newsroom)
    media = draft.media.get()
    media.publishable = media.original
    media.save()
    with pytest.raises(StepRefused, match="Bestand 1 heeft geen publiceerbare"):
        services.publish(draft, newsroom.teacher)
    assert not Publication.objects.exists() and not _files(media_root)
    draft.refresh_from_db()
    assert draft.status == DraftStatus.CONCEPT


def test_only_tagged_pupils_who_are_not_blurred_are_recorded_as_shown(consent, media_root):
    newsroom = consent
    publication = services.publish(build_draft(newsroom), newsroom.teacher)
    shown = list(PublishedPerson.objects.filter(publication=publication).values_list("pupil_id", flat=True))
    assert shown == [newsroom.world.pupil.pk]  # not Noor (blurred), not the unknown face
    assert PublishedPerson.objects.get().media == publication.media.get()


def test_a_tagged_face_left_sharp_in_the_file_is_recorded_even_if_the_check_did_not(consent, media_root):
    newsroom = consent
    draft = build_draft(newsroom, blur=(2,))  # Noor's face was not blurred in the publishable file
    publication = services.publish(draft, newsroom.teacher)
    shown = set(PublishedPerson.objects.filter(publication=publication).values_list("pupil_id", flat=True))
    assert shown == {newsroom.world.pupil.pk, newsroom.world.older_pupil.pk}


def test_publishing_is_audited_with_ids_only(consent, media_root):
    newsroom = consent
    publication = services.publish(build_draft(newsroom), newsroom.teacher, ip="10.0.0.1")
    entry = AuditEvent.objects.get(action="publication.published")
    assert entry.object_id == str(publication.pk) and entry.actor == newsroom.teacher and entry.ip == "10.0.0.1"
    assert entry.changes == {"draft": publication.draft_id, "version": 1, "channel": "facebook",
                             "connector": "manual", "media": 1, "people": 1, "replaces": None}
    assert "Sem" not in str(entry.changes) and "Sportdag" not in str(entry.changes)


# --- the review rules decide ---


def test_a_blocked_draft_is_refused_even_for_the_leidinggevende(consent, media_root):
    newsroom = consent
    draft = build_draft(newsroom, verdict="block")
    for user in (newsroom.teacher, newsroom.manager, newsroom.communication):
        with pytest.raises(StepRefused, match="protocol verbiedt"):
            services.publish(draft, user)
    assert not Publication.objects.exists() and not _files(media_root)


def test_a_draft_needing_review_is_refused_until_a_leidinggevende_approves(consent, media_root):
    newsroom = consent
    draft = build_draft(newsroom, verdict="review")
    with pytest.raises(StepRefused, match="Eerst naar de leidinggevende"):
        services.publish(draft, newsroom.teacher)
    workflow.submit(draft, newsroom.teacher)
    with pytest.raises(StepRefused, match="bij de leidinggevende"):
        services.publish(draft, newsroom.teacher)
    workflow.approve(draft, newsroom.manager)
    publication = services.publish(draft, newsroom.teacher)
    assert publication.version == draft.latest_version()


def test_a_change_after_approval_is_refused(consent, media_root):
    newsroom = consent
    draft = build_draft(newsroom, verdict="review")
    workflow.submit(draft, newsroom.teacher)
    workflow.approve(draft, newsroom.manager)
    add_version(draft, verdict="review", text=TEXT + " En daarna ijs!")
    with pytest.raises(StepRefused, match="goedgekeurde versie is daarna gewijzigd"):
        services.publish(draft, newsroom.teacher)
    workflow.after_new_version(draft)  # as the drafts service does on every save
    with pytest.raises(StepRefused, match="Eerst naar de leidinggevende"):
        services.publish(draft, newsroom.teacher)
    assert not Publication.objects.exists()


def test_a_four_eyes_channel_needs_approval_even_for_an_allowed_draft(consent, media_root):
    newsroom = consent
    SchoolChannel.objects.create(school=newsroom.world.school, channel="facebook", always_four_eyes=True)
    draft = build_draft(newsroom)
    with pytest.raises(StepRefused, match="altijd langs vier ogen"):
        services.publish(draft, newsroom.teacher)


def test_only_the_author_communicatie_or_leidinggevende_publish(consent, media_root, django_user_model):
    newsroom = consent
    world = newsroom.world
    draft = build_draft(newsroom)
    with pytest.raises(StepRefused, match="Alleen de auteur"):
        services.publish(draft, newsroom.fg)
    with pytest.raises(StepRefused, match="Alleen de auteur"):
        services.publish(draft, world.users["other_teacher"])
    publication = services.publish(draft, newsroom.communication)
    assert publication.published_by == newsroom.communication and publication.publisher_label == "communicatie"


def test_a_published_draft_is_not_published_a_second_time(consent, media_root):
    newsroom = consent
    draft = build_draft(newsroom)
    services.publish(draft, newsroom.teacher)
    with pytest.raises(StepRefused, match="status 'gepubliceerd'"):
        services.publish(draft, newsroom.teacher)  # the stale draft object of a double click
    assert Publication.objects.count() == 1


def test_consent_changed_after_the_check_refuses_publication(consent, media_root):
    newsroom = consent
    world = newsroom.world
    draft = build_draft(newsroom)
    record_answer(world.pupil, world.facebook, "photo", False, Answer(guardian=world.guardian), today=TODAY)
    with pytest.raises(StepRefused, match="toestemming van een getagde leerling is gewijzigd"):
        services.publish(draft, newsroom.teacher)
    assert not Publication.objects.exists()


def test_a_publication_can_be_marked_removed_once(consent, media_root):
    newsroom = consent
    publication = services.publish(build_draft(newsroom), newsroom.teacher)
    with pytest.raises(StepRefused, match="Alleen wie het bericht plaatste"):
        services.mark_removed(publication, newsroom.fg)
    services.mark_removed(publication, newsroom.teacher, ip="10.0.0.2")
    publication.refresh_from_db()
    assert publication.status == PublicationStatus.REMOVED and publication.removed_at is not None
    assert AuditEvent.objects.get(action="publication.removed").changes == {"status": "removed"}
    with pytest.raises(StepRefused, match="al niet meer online"):
        services.mark_removed(publication, newsroom.manager)


# --- pages ---


def test_the_publish_button_publishes_and_shows_the_publication(client, consent, media_root):
    newsroom = consent
    draft = build_draft(newsroom)
    client.force_login(newsroom.teacher)
    assert client.get(f"/publicaties/publiceren/{draft.pk}/").status_code == 405
    response = client.post(f"/publicaties/publiceren/{draft.pk}/")
    publication = Publication.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/publicaties/{publication.pk}/"


def test_a_refused_publication_returns_to_the_draft_with_the_reason(client, consent, media_root):
    newsroom = consent
    draft = build_draft(newsroom, verdict="block")
    client.force_login(newsroom.teacher)
    response = client.post(f"/publicaties/publiceren/{draft.pk}/")
    assert response.status_code == 302 and response["Location"] == f"/berichten/{draft.pk}/"
    assert any("protocol verbiedt" in m for m in _messages(response))
    assert not Publication.objects.exists()


def test_publishing_a_draft_of_another_school_is_not_found(client, consent, media_root):
    newsroom = consent
    draft = build_draft(newsroom)
    client.force_login(newsroom.world.users["other_teacher"])
    assert client.post(f"/publicaties/publiceren/{draft.pk}/").status_code == 404
    assert not Publication.objects.exists()


@pytest.fixture
def published(consent, media_root) -> Publication:
    return services.publish(build_draft(consent), consent.teacher)


@pytest.mark.parametrize("who", ["teacher", "manager", "second_manager", "communication", "fg"])
def test_every_role_at_the_school_sees_the_log_the_publication_and_its_files(client, consent, published, media_root,
                                                                           who):
    client.force_login(getattr(consent, who))
    log = client.get(f"/publicaties/school/{consent.world.school.pk}/").content.decode()
    assert f"/publicaties/{published.pk}/" in log and "juf" in log and "online" in log
    page = client.get(f"/publicaties/{published.pk}/").content.decode()
    assert "<textarea id=\"tekst\" readonly" in page and "Dit bericht is geplaatst door de school." in page
    assert 'data-copy="tekst"' in page and "navigator.clipboard" in page
    response = client.get(f"/publicaties/{published.pk}/bestand/1/")
    assert response.status_code == 200 and response["Cache-Control"] == "private, no-store"
    assert response["Content-Type"] == "image/jpeg"
    assert b"".join(response.streaming_content) == (media_root / published.media.get().file).read_bytes()


def test_a_file_can_be_downloaded_as_an_attachment(client, consent, published):
    client.force_login(consent.fg)
    response = client.get(f"/publicaties/{published.pk}/bestand/1/?download=1")
    assert response["Content-Disposition"].startswith("attachment") and "bestand-1.jpg" in response["Content-Disposition"]
    assert client.get(f"/publicaties/{published.pk}/bestand/2/").status_code == 404


@pytest.mark.parametrize("path", ["/publicaties/{pk}/", "/publicaties/{pk}/bestand/1/", "/publicaties/school/{school}/"])
def test_staff_of_another_school_get_not_found(client, consent, published, path):
    client.force_login(consent.world.users["other_teacher"])
    assert client.get(path.format(pk=published.pk, school=consent.world.school.pk)).status_code == 404


def test_anonymous_visitors_are_sent_to_log_in(client, published):
    response = client.get(f"/publicaties/{published.pk}/bestand/1/")
    assert response.status_code == 302 and response["Location"].startswith("/inloggen/")


def test_the_publisher_marks_it_removed_and_others_may_not(client, consent, published):
    client.force_login(consent.fg)
    assert client.post(f"/publicaties/{published.pk}/verwijderd/").status_code == 403
    client.force_login(consent.world.users["other_teacher"])
    assert client.post(f"/publicaties/{published.pk}/verwijderd/").status_code == 404
    published.refresh_from_db()
    assert published.status == PublicationStatus.LIVE
    client.force_login(consent.teacher)
    page = client.get(f"/publicaties/{published.pk}/").content.decode()
    assert "Markeer als verwijderd" in page
    response = client.post(f"/publicaties/{published.pk}/verwijderd/")
    assert response.status_code == 302
    published.refresh_from_db()
    assert published.status == PublicationStatus.REMOVED
    assert "Markeer als verwijderd" not in client.get(f"/publicaties/{published.pk}/").content.decode()
