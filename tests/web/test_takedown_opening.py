"""Opening takedowns when consent is withdrawn or a pupil leaves the school (issue 4 §4).

Publications are built here with the ORM (what the publication app stores):
a live publication on a channel whose PublishedPerson rows list the pupils
recognisable in it. Consent only changes through ``record_answer``.
"""

from __future__ import annotations

from datetime import date

import pytest

from plaatsbaar.web.audit.models import AuditEvent
from plaatsbaar.web.consent.services import Answer, record_answer
from plaatsbaar.web.drafts.models import Draft, DraftStatus, DraftVersion
from plaatsbaar.web.organisation.models import Guardianship, Pupil
from plaatsbaar.web.portal.links import make_token
from plaatsbaar.web.publication.models import Publication, PublicationStatus, PublishedMedia, PublishedPerson
from plaatsbaar.web.takedown.models import Reason, Takedown, TakedownStatus
from plaatsbaar.web.takedown.services import open_takedowns_for_pupil


def published(school, author, channel: str, pupils, *, kind: str = "photo", status: str = PublicationStatus.LIVE,
              text: str = "Wat een sportdag!", publisher=None) -> Publication:
    """A publication as the publication app stores it: ``author``'s draft, published by ``publisher``
    (default: the author), with ``pupils`` recognisable in its one media file."""
    publisher = publisher or author
    draft = Draft.objects.create(school=school, author=author, channel=channel, status=DraftStatus.PUBLISHED)
    version = DraftVersion.objects.create(draft=draft, number=1, text=text, verdict="allow", revised_text=text)
    publication = Publication.objects.create(school=school, draft=draft, version=version, channel=channel, text=text,
                                             published_by=publisher, publisher_label=publisher.get_username(),
                                             status=status)
    media = PublishedMedia.objects.create(publication=publication, number=1, kind=kind, file=f"publicaties/{publication.pk}/1.jpg")
    for pupil in pupils:
        PublishedPerson.objects.create(publication=publication, media=media, pupil=pupil)
    return publication


def answer(world, pupil, category, given: bool, kind: str = "photo"):
    """Record a guardian's answer (``world.guardian`` is Sem's guardian) through the one consent service."""
    return record_answer(pupil, category, kind, given, Answer(guardian=world.guardian), actor=world.users["manager"])


def consent_everywhere(world, pupil) -> None:
    """Yes for Facebook and website, photo and video."""
    for category in (world.facebook, world.website):
        for kind in ("photo", "video"):
            answer(world, pupil, category, True, kind)


@pytest.fixture
def sem(newsroom):
    world = newsroom.world
    consent_everywhere(world, world.pupil)
    return world.pupil


def open_items(pupil) -> list[tuple[int, str]]:
    return sorted(Takedown.objects.filter(pupil=pupil, status=TakedownStatus.OPEN).values_list("publication_id", "reason"))


# --- withdrawal ------------------------------------------------------------------------------


def test_withdrawal_for_facebook_opens_a_takedown_for_the_facebook_publication_only(newsroom, sem):
    world = newsroom.world
    on_facebook = published(world.school, newsroom.teacher, "facebook", [sem])
    on_website = published(world.school, newsroom.teacher, "website", [sem])
    answer(world, sem, world.facebook, False)
    assert open_items(sem) == [(on_facebook.pk, Reason.WITHDRAWN)]
    assert on_website.takedowns.count() == 0


def test_withdrawal_for_the_website_does_not_touch_a_facebook_publication(newsroom, sem):
    world = newsroom.world
    on_facebook = published(world.school, newsroom.teacher, "facebook", [sem])
    answer(world, sem, world.website, False)
    assert open_items(sem) == []
    assert on_facebook.takedowns.count() == 0


def test_withdrawal_for_video_does_not_touch_a_photo(newsroom, sem):
    world = newsroom.world
    photo = published(world.school, newsroom.teacher, "facebook", [sem], kind="photo")
    video = published(world.school, newsroom.teacher, "facebook", [sem], kind="video")
    answer(world, sem, world.facebook, False, kind="video")
    assert open_items(sem) == [(video.pk, Reason.WITHDRAWN)]
    assert photo.takedowns.count() == 0


def test_only_live_publications_that_show_the_pupil_are_listed(newsroom, sem):
    world = newsroom.world
    live = published(world.school, newsroom.teacher, "facebook", [sem])
    published(world.school, newsroom.teacher, "facebook", [sem], status=PublicationStatus.REMOVED)
    published(world.school, newsroom.teacher, "facebook", [sem], status=PublicationStatus.REPLACED)
    blurred = published(world.school, newsroom.teacher, "facebook", [world.older_pupil])  # Sem blurred: not listed
    answer(world, sem, world.facebook, False)
    assert open_items(sem) == [(live.pk, Reason.WITHDRAWN)]
    assert blurred.takedowns.count() == 0


def test_consent_given_again_and_withdrawn_again_keeps_one_open_takedown(newsroom, sem):
    world = newsroom.world
    publication = published(world.school, newsroom.teacher, "facebook", [sem])
    answer(world, sem, world.facebook, False)
    answer(world, sem, world.facebook, True)
    answer(world, sem, world.facebook, False)
    assert Takedown.objects.filter(publication=publication).count() == 1
    assert AuditEvent.objects.filter(action="takedown.opened").count() == 1


def test_a_takedown_per_pupil_of_the_publication(newsroom, sem):
    world = newsroom.world
    noor = world.older_pupil  # 16+: answers herself
    for kind in ("photo", "video"):
        record_answer(noor, world.facebook, kind, True, Answer(by_pupil=True), actor=newsroom.manager)
    publication = published(world.school, newsroom.teacher, "facebook", [sem, noor])
    answer(world, sem, world.facebook, False)
    record_answer(noor, world.facebook, "photo", False, Answer(by_pupil=True), actor=newsroom.manager)
    assert sorted(publication.takedowns.values_list("pupil_id", flat=True)) == sorted([sem.pk, noor.pk])


def test_a_pupil_never_asked_is_not_covered_when_a_no_arrives(newsroom):
    world = newsroom.world
    lotte = newsroom.pupil7
    Guardianship.objects.create(guardian=world.guardian, pupil=lotte)
    publication = published(world.school, newsroom.teacher, "facebook", [lotte])
    answer(world, lotte, world.website, False)  # a "no" for the website: Facebook was never allowed either
    assert open_items(lotte) == [(publication.pk, Reason.WITHDRAWN)]


def test_opening_is_audited_without_names(newsroom, sem):
    world = newsroom.world
    publication = published(world.school, newsroom.teacher, "facebook", [sem])
    answer(world, sem, world.facebook, False)
    takedown = Takedown.objects.get()
    entry = AuditEvent.objects.get(action="takedown.opened")
    assert (entry.object_type, entry.object_id, entry.school_id) == ("takedown", str(takedown.pk), world.school.pk)
    assert entry.changes == {"publication": publication.pk, "pupil": sem.pk, "reason": "withdrawn", "channel": "facebook"}
    assert "Sem" not in str(entry.changes) and "Vries" not in entry.actor_label


def test_withdrawal_through_the_portal_page_opens_takedowns(newsroom, sem, client):
    world = newsroom.world
    on_facebook = published(world.school, newsroom.teacher, "facebook", [sem])
    on_website = published(world.school, newsroom.communication, "website", [sem])
    untouched = published(world.school, newsroom.teacher, "facebook", [world.older_pupil])
    response = client.post(f"/portaal/{make_token(world.guardian)}/kind/{sem.pk}/intrekken/")
    assert response.status_code == 302
    assert open_items(sem) == sorted([(on_facebook.pk, Reason.WITHDRAWN), (on_website.pk, Reason.WITHDRAWN)])
    assert untouched.takedowns.count() == 0


def test_the_service_is_idempotent(newsroom, sem):
    world = newsroom.world
    published(world.school, newsroom.teacher, "facebook", [sem])
    answer(world, sem, world.facebook, False)
    assert open_takedowns_for_pupil(sem, Reason.WITHDRAWN) == []
    assert open_takedowns_for_pupil(sem, Reason.LEFT) == []
    assert Takedown.objects.count() == 1


# --- leaving the school ----------------------------------------------------------------------


def test_a_pupil_who_leaves_gets_a_takedown_for_every_live_publication(newsroom, sem):
    world = newsroom.world
    on_facebook = published(world.school, newsroom.teacher, "facebook", [sem])
    on_website = published(world.school, newsroom.communication, "website", [sem])
    published(world.school, newsroom.teacher, "facebook", [sem], status=PublicationStatus.REMOVED)
    published(world.school, newsroom.teacher, "facebook", [world.older_pupil])
    sem.left_on = date(2026, 11, 20)
    sem.save()
    assert open_items(sem) == sorted([(on_facebook.pk, Reason.LEFT), (on_website.pk, Reason.LEFT)])


def test_leaving_is_seen_when_only_left_on_is_saved_as_imports_do(newsroom, sem):
    world = newsroom.world
    publication = published(world.school, newsroom.teacher, "facebook", [sem])
    pupil = Pupil.objects.get(pk=sem.pk)  # a fresh instance, as an import loads it
    pupil.left_on = date(2026, 11, 20)
    pupil.save(update_fields=["left_on"])
    assert open_items(sem) == [(publication.pk, Reason.LEFT)]


def test_saving_a_pupil_who_left_earlier_opens_nothing_new(newsroom, sem):
    world = newsroom.world
    sem.left_on = date(2026, 11, 20)
    sem.save()
    publication = published(world.school, newsroom.teacher, "facebook", [sem])  # e.g. restored from a backup
    sem.first_name = "Semmie"
    sem.left_on = date(2026, 11, 21)
    sem.save()
    pupil = Pupil.objects.get(pk=sem.pk)
    pupil.group = None
    pupil.save(update_fields=["group"])
    assert publication.takedowns.count() == 0


def test_other_changes_to_a_current_pupil_open_nothing(newsroom, sem):
    world = newsroom.world
    published(world.school, newsroom.teacher, "facebook", [sem])
    sem.last_name = "Visser"
    sem.save()
    assert Takedown.objects.count() == 0


def test_leaving_after_a_withdrawal_does_not_duplicate_the_open_takedown(newsroom, sem):
    world = newsroom.world
    on_facebook = published(world.school, newsroom.teacher, "facebook", [sem])
    on_website = published(world.school, newsroom.teacher, "website", [sem])
    answer(world, sem, world.facebook, False)
    sem.left_on = date(2026, 11, 20)
    sem.save()
    assert open_items(sem) == sorted([(on_facebook.pk, Reason.WITHDRAWN), (on_website.pk, Reason.LEFT)])


def test_a_pupil_marked_as_left_in_the_admin_gets_takedowns(newsroom, sem, admin_client):
    world = newsroom.world
    publication = published(world.school, newsroom.teacher, "facebook", [sem])
    form = {
        "school": sem.school_id, "group": sem.group_id, "external_id": sem.external_id, "first_name": sem.first_name,
        "last_name": sem.last_name, "date_of_birth": sem.date_of_birth.isoformat(), "email": "", "user": "",
        "left_on": "2026-11-20",
        "guardianship_set-TOTAL_FORMS": "0", "guardianship_set-INITIAL_FORMS": "0",
        "guardianship_set-MIN_NUM_FORMS": "0", "guardianship_set-MAX_NUM_FORMS": "1000",
    }
    response = admin_client.post(f"/beheer/organisation/pupil/{sem.pk}/change/", form)
    assert response.status_code == 302
    assert open_items(sem) == [(publication.pk, Reason.LEFT)]
