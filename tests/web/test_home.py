"""The start page: the way to drafts, the review queue, takedowns and silent channels."""

from __future__ import annotations

from datetime import timedelta

from django.utils import timezone

from plaatsbaar.web.publication.models import Publication
from plaatsbaar.web.review import workflow
from tests.web.test_publication_freshness import _published_days_ago, tjonger  # noqa: F401 (fixture)
from tests.web.test_publication_support import build_draft, consent, media_root, protocol  # noqa: F401 (fixtures)

WARNING = "Al 100 dagen stil (protocol INL.4: maximaal 90 dagen stil)."


def _home(client, user) -> str:
    client.force_login(user)
    return client.get("/").content.decode()


def _silent_for_100_days(newsroom) -> None:
    publication = _published_days_ago(newsroom, 100)
    Publication.objects.filter(pk=publication.pk).update(published_at=timezone.now() - timedelta(days=100))


def test_communication_staff_see_a_silent_channel_on_the_start_page(client, tjonger):
    _silent_for_100_days(tjonger)
    page = _home(client, tjonger.communication)
    assert "Kanalen te lang stil" in page and WARNING in page


def test_a_teacher_is_not_warned_about_channels_they_do_not_run(client, tjonger):
    _silent_for_100_days(tjonger)
    page = _home(client, tjonger.teacher)
    assert "Kanalen te lang stil" not in page and "/berichten/nieuw/" in page


def test_a_fresh_channel_gives_no_warning(client, tjonger):
    _published_days_ago(tjonger, 10)
    assert "Kanalen te lang stil" not in _home(client, tjonger.communication)


def test_the_leidinggevende_sees_how_many_drafts_wait(client, consent):
    draft = build_draft(consent, photo=False)
    workflow.submit(draft, consent.teacher, unsure=True)
    assert "Te beoordelen (1)" in _home(client, consent.manager)
    assert "Te beoordelen" not in _home(client, consent.teacher)
