"""Who hears about a takedown: the publisher and the communication staff, in the application and by
e-mail through a real local SMTP server; the text names the publication and channel, never the pupil."""

from __future__ import annotations

from datetime import date

from plaatsbaar.web.notices.models import Notification
from plaatsbaar.web.portal.links import make_token
from plaatsbaar.web.takedown.models import Takedown
from tests.web.smtp import _smtp_controller, mail_server, smtp_settings  # noqa: F401 (fixtures)
from tests.web.test_takedown_opening import answer, consent_everywhere, published

PUPIL_WORDS = ("Sem", "Vries", "Noor", "Bakker")


def _no_pupil_named(text: str) -> None:
    for word in PUPIL_WORDS:
        assert word not in text


def test_withdrawal_notifies_publisher_and_communication_by_mail_without_the_pupils_name(
        newsroom, smtp_settings, django_capture_on_commit_callbacks):
    world = newsroom.world
    consent_everywhere(world, world.pupil)
    publication = published(world.school, newsroom.teacher, "facebook", [world.pupil, world.older_pupil])
    with django_capture_on_commit_callbacks(execute=True):
        answer(world, world.pupil, world.facebook, False)
    takedown = Takedown.objects.get()
    expected = f"Publicatie {publication.pk} op Facebook moet offline of opnieuw met een onherkenbare leerling."
    for user in (newsroom.teacher, newsroom.communication):
        (delivered,) = smtp_settings.to(user.email)
        assert expected in delivered.body
        assert f"/verwijderen/{takedown.pk}/" in delivered.body
        assert delivered.message["Subject"] == f"Verwijderverzoek: publicatie {publication.pk}"
        _no_pupil_named(delivered.body + delivered.message["Subject"])
        note = Notification.objects.get(user=user)
        assert note.text == expected and note.url == f"/verwijderen/{takedown.pk}/"
    assert {d.envelope_to[0] for d in smtp_settings.delivered} == {newsroom.teacher.email, newsroom.communication.email}
    assert not Notification.objects.filter(user__in=[newsroom.manager, newsroom.fg]).exists()


def test_a_publication_by_communication_staff_gives_them_one_notification(
        newsroom, smtp_settings, django_capture_on_commit_callbacks):
    world = newsroom.world
    consent_everywhere(world, world.pupil)
    published(world.school, newsroom.communication, "website", [world.pupil])
    with django_capture_on_commit_callbacks(execute=True):
        answer(world, world.pupil, world.website, False)
    assert len(smtp_settings.to(newsroom.communication.email)) == 1
    assert Notification.objects.filter(user=newsroom.communication).count() == 1
    assert smtp_settings.to(newsroom.teacher.email) == []


def test_the_author_hears_of_it_when_someone_else_published(newsroom, smtp_settings, django_capture_on_commit_callbacks):
    world = newsroom.world
    consent_everywhere(world, world.pupil)
    published(world.school, newsroom.teacher, "facebook", [world.pupil], publisher=newsroom.manager)
    with django_capture_on_commit_callbacks(execute=True):
        answer(world, world.pupil, world.facebook, False)
    receivers = sorted(d.envelope_to[0] for d in smtp_settings.delivered)
    assert receivers == sorted([newsroom.teacher.email, newsroom.manager.email, newsroom.communication.email])


def test_withdrawal_on_the_portal_page_mails_the_publisher(newsroom, client, smtp_settings, django_capture_on_commit_callbacks):
    world = newsroom.world
    consent_everywhere(world, world.pupil)
    publication = published(world.school, newsroom.teacher, "website", [world.pupil])
    with django_capture_on_commit_callbacks(execute=True):
        client.post(f"/portaal/{make_token(world.guardian)}/kind/{world.pupil.pk}/intrekken/")
    (delivered,) = smtp_settings.to(newsroom.teacher.email)
    assert f"Publicatie {publication.pk} op de website moet offline" in delivered.body
    _no_pupil_named(delivered.body)


def test_leaving_the_school_notifies_too(newsroom, smtp_settings, django_capture_on_commit_callbacks):
    world = newsroom.world
    publication = published(world.school, newsroom.teacher, "instagram", [world.pupil])
    with django_capture_on_commit_callbacks(execute=True):
        world.pupil.left_on = date(2026, 11, 20)
        world.pupil.save()
    for user in (newsroom.teacher, newsroom.communication):
        (delivered,) = smtp_settings.to(user.email)
        assert f"Publicatie {publication.pk} op Instagram moet offline" in delivered.body
        _no_pupil_named(delivered.body)


def test_nothing_to_take_down_sends_nothing(newsroom, smtp_settings, django_capture_on_commit_callbacks):
    world = newsroom.world
    consent_everywhere(world, world.pupil)
    published(world.school, newsroom.teacher, "facebook", [world.pupil])
    with django_capture_on_commit_callbacks(execute=True):
        answer(world, world.pupil, world.website, False)
    assert smtp_settings.delivered == []
    assert not Notification.objects.exists()
