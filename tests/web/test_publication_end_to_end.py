"""End to end through the real drafts service, check and face detection: a teacher's sports-day
photo is tagged, checked, published (only the consenting pupil recognisable) and, after a guardian
withdraws consent, re-published with that pupil blurred."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from plaatsbaar.web.consent.services import Answer, record_answer
from plaatsbaar.web.drafts import services as drafts
from plaatsbaar.web.drafts.models import DraftStatus
from plaatsbaar.web.publication import services
from plaatsbaar.web.publication.models import Publication, PublicationStatus, PublishedPerson
from plaatsbaar.web.review import workflow
from tests.media_factory import gps_exif, write_group_photo
from tests.web.conftest import TODAY
from tests.web.test_publication_support import (  # noqa: F401 (fixtures)
    consent,
    exif_of,
    media_root,
    mean_difference,
    pixels,
    protocol,
)


@pytest.fixture(scope="module")
def group_photo(tmp_path_factory) -> bytes:
    """A JPEG of three astronauts side by side (three faces), with GPS in its EXIF."""
    return write_group_photo(tmp_path_factory.mktemp("e2e") / "sportdag.jpg", 3, exif=gps_exif()).read_bytes()


def _shown(publication: Publication) -> set[int]:
    return set(PublishedPerson.objects.filter(publication=publication).values_list("pupil_id", flat=True))


def test_a_tagged_photo_is_published_and_republished_blurred_after_withdrawal(client, consent, media_root, group_photo):
    newsroom = consent
    world = newsroom.world
    protocol(world.school, "lucas-onderwijs")
    draft = drafts.create_draft(world.school, newsroom.teacher, "facebook", group=world.group)
    media = drafts.add_media(draft, newsroom.teacher, SimpleUploadedFile("IMG_0001.jpg", group_photo, "image/jpeg"))
    assert len(media.faces) == 3
    drafts.tag_face(media, 0, world.pupil, newsroom.teacher)  # Sem: consent for Facebook photos
    drafts.tag_face(media, 1, world.older_pupil, newsroom.teacher)  # Noor: no consent
    drafts.tag_face(media, 2, None, newsroom.teacher)  # onbekend
    version = drafts.save_version(draft, newsroom.teacher, text="Wat een mooie sportdag hadden we vandaag!")
    if workflow.review_reasons(draft, version):
        workflow.submit(draft, newsroom.teacher)
        workflow.approve(draft, newsroom.manager)

    client.force_login(newsroom.teacher)
    response = client.post(f"/publicaties/publiceren/{draft.pk}/")
    publication = Publication.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/publicaties/{publication.pk}/"
    assert _shown(publication) == {world.pupil.pk}
    media.refresh_from_db()
    original, copy = media_root / media.original, media_root / publication.media.get().file
    assert exif_of(original) and not exif_of(copy)
    before, after = pixels(original), pixels(copy)
    assert mean_difference(before, after, media.faces[0]) < 4  # Sem stays recognisable
    assert all(mean_difference(before, after, media.faces[i]) > 10 for i in (1, 2))

    record_answer(world.pupil, world.facebook, "photo", False, Answer(guardian=world.guardian), today=TODAY)
    replacement = services.republish(publication, newsroom.communication)
    publication.refresh_from_db()
    assert publication.status == PublicationStatus.REPLACED and replacement.replaces == publication
    assert replacement.status == PublicationStatus.LIVE and _shown(replacement) == set()
    blurred = pixels(media_root / replacement.media.get().file)
    assert all(mean_difference(before, blurred, media.faces[i]) > 10 for i in range(3))
    draft.refresh_from_db()
    assert draft.status == DraftStatus.PUBLISHED and replacement.version.number == version.number + 1
