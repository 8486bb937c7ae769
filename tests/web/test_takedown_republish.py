"""End to end with the real drafts and publication services, the check and face detection: a teacher's
tagged sports-day photo is published with Sem recognisable; Sem's consent is withdrawn on the portal page
(or Sem leaves the school); the teacher sees the takedown and re-publishes, and the new version shows
Sem blurred because the check runs again with today's consent."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import numpy as np
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from plaatsbaar.web.audit.models import AuditEvent
from plaatsbaar.web.consent.services import Answer, record_answer
from plaatsbaar.web.drafts import services as drafts
from plaatsbaar.web.organisation.models import ProtocolVersion
from plaatsbaar.web.portal.links import make_token
from plaatsbaar.web.publication import services as publication
from plaatsbaar.web.publication.models import Publication, PublicationStatus
from plaatsbaar.web.review import workflow
from plaatsbaar.web.takedown.models import Reason, Takedown, TakedownStatus
from plaatsbaar.web.takedown.services import settle_publication
from tests.media_factory import write_group_photo


@pytest.fixture(scope="module")
def group_photo(tmp_path_factory) -> bytes:
    """A JPEG of three astronauts side by side (three faces)."""
    return write_group_photo(tmp_path_factory.mktemp("takedown") / "sportdag.jpg", 3).read_bytes()


@pytest.fixture
def media_root(settings, tmp_path) -> Path:
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.MEDIA_ROOT.mkdir()
    return settings.MEDIA_ROOT


@pytest.fixture
def live(newsroom, media_root, group_photo):
    """The teacher's published photo: face 0 Sem (consent for Facebook photos), face 1 Noor (none), face 2 onbekend."""
    world = newsroom.world
    ProtocolVersion.objects.create(school=world.school, builtin_id="lucas-onderwijs", active=True)
    record_answer(world.pupil, world.facebook, "photo", True, Answer(guardian=world.guardian))
    draft = drafts.create_draft(world.school, newsroom.teacher, "facebook", group=world.group)
    media = drafts.add_media(draft, newsroom.teacher, SimpleUploadedFile("IMG_0001.jpg", group_photo, "image/jpeg"))
    for face, pupil in ((0, world.pupil), (1, world.older_pupil), (2, None)):
        drafts.tag_face(media, face, pupil, newsroom.teacher)
    version = drafts.save_version(draft, newsroom.teacher, text="Wat een mooie sportdag hadden we vandaag!")
    if workflow.review_reasons(draft, version):
        workflow.submit(draft, newsroom.teacher)
        workflow.approve(draft, newsroom.manager)
    published = publication.publish(draft, newsroom.teacher)
    assert list(published.people.values_list("pupil_id", flat=True)) == [world.pupil.pk]
    return published


def _face_sharpness(path: Path, box) -> float:
    """Variance of the Laplacian inside the inner half of ``box`` [x, y, w, h]: near 0 when blurred."""
    with Image.open(path) as image:
        grey = np.asarray(image.convert("L"), dtype=np.float64)
    x, y, w, h = box
    region = grey[y + h // 4:y + h - h // 4, x + w // 4:x + w - w // 4]
    laplacian = 4 * region[1:-1, 1:-1] - region[:-2, 1:-1] - region[2:, 1:-1] - region[1:-1, :-2] - region[1:-1, 2:]
    return float(laplacian.var())


def _sem_box(publication_row: Publication) -> list[int]:
    media = publication_row.draft.media.get()
    return media.faces[0]


def test_withdrawal_on_the_portal_then_republish_blurs_the_pupil(newsroom, client, live, media_root):
    world = newsroom.world
    client.post(f"/portaal/{make_token(world.guardian)}/kind/{world.pupil.pk}/intrekken/")
    takedown = Takedown.objects.get()
    assert (takedown.publication, takedown.pupil, takedown.reason) == (live, world.pupil, Reason.WITHDRAWN)

    client.force_login(newsroom.teacher)
    assert [row.takedown for row in client.get("/verwijderen/").context["rows"]] == [takedown]
    response = client.post(f"/verwijderen/{takedown.pk}/opnieuw-plaatsen/")
    assert response.status_code == 302 and response["Location"] == f"/verwijderen/{takedown.pk}/"

    takedown.refresh_from_db()
    live.refresh_from_db()
    new = Publication.objects.get(replaces=live)
    assert (takedown.status, takedown.republication, takedown.closed_by) == (TakedownStatus.REPUBLISHED, new, newsroom.teacher)
    assert live.status == PublicationStatus.REPLACED and new.status == PublicationStatus.LIVE
    assert not new.people.exists()
    box = _sem_box(live)
    before = _face_sharpness(media_root / live.media.get().file, box)
    after = _face_sharpness(media_root / new.media.get().file, box)
    assert after < 0.2 * before
    entry = AuditEvent.objects.get(action="takedown.republished")
    assert entry.changes["republication"] == new.pk and entry.actor == newsroom.teacher
    assert Takedown.objects.filter(status=TakedownStatus.OPEN).count() == 0
    assert client.get("/verwijderen/").context["rows"] == []


def test_a_pupil_who_left_is_blurred_when_communication_republishes(newsroom, client, live, media_root):
    world = newsroom.world
    world.pupil.left_on = date(2026, 11, 20)
    world.pupil.save()
    takedown = Takedown.objects.get()
    assert takedown.reason == Reason.LEFT
    client.force_login(newsroom.communication)
    client.post(f"/verwijderen/{takedown.pk}/opnieuw-plaatsen/")
    takedown.refresh_from_db()
    assert takedown.status == TakedownStatus.REPUBLISHED
    assert not takedown.republication.people.exists()


def test_marking_removed_takes_the_publication_offline(newsroom, client, live):
    world = newsroom.world
    record_answer(world.pupil, world.facebook, "photo", False, Answer(guardian=world.guardian))
    takedown = Takedown.objects.get()
    client.force_login(newsroom.manager)
    client.post(f"/verwijderen/{takedown.pk}/verwijderd/")
    live.refresh_from_db()
    takedown.refresh_from_db()
    assert live.status == PublicationStatus.REMOVED and takedown.status == TakedownStatus.REMOVED
    assert AuditEvent.objects.filter(action="publication.removed", object_id=str(live.pk)).exists()
    response = client.post(f"/verwijderen/{takedown.pk}/opnieuw-plaatsen/", follow=True)
    assert "al afgehandeld" in response.content.decode()
    assert not Publication.objects.filter(replaces=live).exists()


def test_an_item_replaced_on_the_publication_page_is_settled_with_its_replacement(newsroom, client, live):
    world = newsroom.world
    record_answer(world.pupil, world.facebook, "photo", False, Answer(guardian=world.guardian))
    takedown = Takedown.objects.get()
    new = publication.republish(live, newsroom.communication)  # the publication log's own button
    takedown.refresh_from_db()
    assert (takedown.status, takedown.republication, takedown.closed_by) == (
        TakedownStatus.REPUBLISHED, new, newsroom.communication)
    client.force_login(newsroom.teacher)
    assert client.get("/verwijderen/").context["rows"] == []


def test_an_item_marked_removed_on_the_publication_page_closes_its_takedown(newsroom, client, live):
    world = newsroom.world
    record_answer(world.pupil, world.facebook, "photo", False, Answer(guardian=world.guardian))
    takedown = Takedown.objects.get()
    client.force_login(newsroom.teacher)
    client.post(f"/publicaties/{live.pk}/verwijderd/")
    takedown.refresh_from_db()
    assert (takedown.status, takedown.closed_by) == (TakedownStatus.REMOVED, newsroom.teacher)
    assert client.get("/verwijderen/").context["rows"] == []


def test_a_replacement_shown_again_after_a_new_withdrawal_gets_its_own_takedown(newsroom, live):
    world = newsroom.world
    record_answer(world.pupil, world.facebook, "photo", False, Answer(guardian=world.guardian))
    old_takedown = Takedown.objects.get()
    record_answer(world.pupil, world.facebook, "photo", True, Answer(guardian=world.guardian))
    new = publication.republish(live, newsroom.communication)  # consent is back: Sem stays recognisable
    assert list(new.people.values_list("pupil_id", flat=True)) == [world.pupil.pk]
    old_takedown.refresh_from_db()
    assert (old_takedown.status, old_takedown.republication) == (TakedownStatus.REPUBLISHED, new)
    record_answer(world.pupil, world.facebook, "photo", False, Answer(guardian=world.guardian))  # and gone again
    live.refresh_from_db()
    assert settle_publication(live, newsroom.communication) == []  # nothing open on the old item
    assert Takedown.objects.get(status=TakedownStatus.OPEN).publication == new
