"""Freshness of the school's channels: the warning after the protocol's limit (tjongerschool INL.4:
90 days), on the pages and in a weekly e-mail through a real local SMTP server; the channels page."""

from __future__ import annotations

from datetime import datetime, timedelta
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.utils import timezone

from plaatsbaar.web.audit.models import AuditEvent
from plaatsbaar.web.publication import freshness, services
from plaatsbaar.web.publication.models import FreshnessMail, Publication, SchoolChannel
from tests.web.smtp import _smtp_controller, mail_server, smtp_settings  # noqa: F401 (fixtures)
from tests.web.test_publication_support import build_draft, consent, media_root, protocol  # noqa: F401 (fixtures)

TODAY = datetime(2026, 11, 23).date()  # a Monday


def _published_days_ago(newsroom, days: int, channel: str = "facebook") -> Publication:
    publication = services.publish(build_draft(newsroom, channel=channel, photo=False), newsroom.teacher)
    moment = timezone.make_aware(datetime.combine(TODAY - timedelta(days=days), datetime.min.time()).replace(hour=12))
    Publication.objects.filter(pk=publication.pk).update(published_at=moment)
    return publication


@pytest.fixture
def tjonger(consent, media_root):
    """The school follows the tjongerschool protocol and uses Facebook."""
    protocol(consent.world.school, "tjongerschool")
    SchoolChannel.objects.create(school=consent.world.school, channel="facebook", label="Facebook-pagina")
    return consent


def _row(school):
    [row] = freshness.channel_freshness(school, TODAY)
    return row


def test_a_channel_silent_for_100_days_is_stale_citing_inl4(tjonger):
    _published_days_ago(tjonger, 100)
    row = _row(tjonger.world.school)
    assert row.days_silent == 100 and row.stale
    assert row.warning == "Al 100 dagen stil (protocol INL.4: maximaal 90 dagen stil)."
    assert [r.channel.channel for r in freshness.stale_channels(tjonger.world.school, TODAY)] == ["facebook"]


def test_a_channel_silent_for_10_days_is_fine(tjonger):
    _published_days_ago(tjonger, 10)
    row = _row(tjonger.world.school)
    assert row.days_silent == 10 and not row.stale and row.warning == ""
    assert freshness.stale_channels(tjonger.world.school, TODAY) == []


def test_only_live_publications_count(tjonger):
    old = _published_days_ago(tjonger, 100)
    recent = _published_days_ago(tjonger, 5)
    services.mark_removed(recent, tjonger.teacher)
    assert freshness.last_publication_per_channel(tjonger.world.school)["facebook"] == \
        Publication.objects.get(pk=old.pk).published_at
    assert _row(tjonger.world.school).stale


def test_the_schools_own_limit_comes_before_the_protocol(tjonger):
    SchoolChannel.objects.filter(channel="facebook").update(freshness_days=7)
    _published_days_ago(tjonger, 10)
    row = _row(tjonger.world.school)
    assert row.stale and row.warning == "Al 10 dagen stil (school: maximaal 7 dagen stil)."


def test_a_channel_never_used_is_stale_and_an_inactive_one_is_not_listed(tjonger):
    SchoolChannel.objects.create(school=tjonger.world.school, channel="website", active=False)
    row = _row(tjonger.world.school)
    assert row.last is None and row.stale and "Nog niets gepubliceerd" in row.warning


def test_a_protocol_without_a_limit_gives_no_warning(consent, media_root):
    protocol(consent.world.school, "lucas-onderwijs")
    SchoolChannel.objects.create(school=consent.world.school, channel="facebook")
    _published_days_ago(consent, 400)
    row = _row(consent.world.school)
    assert row.limit is None and not row.stale


# --- the weekly e-mail ---


def _run(day) -> str:
    out = StringIO()
    call_command("send_freshness_warnings", "--today", day.isoformat(), stdout=out)
    return out.getvalue()


def test_the_weekly_mail_goes_to_communication_staff_once_per_week(tjonger, smtp_settings):
    _published_days_ago(tjonger, 100)
    school = tjonger.world.school
    output = _run(TODAY)
    [mail] = smtp_settings.delivered
    assert mail.envelope_to == ["communicatie@wilgenhoek.example"]
    assert "Facebook-pagina" in mail.body and "protocol INL.4: maximaal 90 dagen stil" in mail.body
    assert f"/publicaties/school/{school.pk}/kanalen/" in mail.body
    assert f"school {school.pk}: 1 te stil kanaal/kanalen, 1 e-mail(s) verstuurd" in output
    assert "deze week al gemaild" in _run(TODAY + timedelta(days=4))  # Friday, same ISO week
    assert len(smtp_settings.delivered) == 1
    assert FreshnessMail.objects.get().week == "2026-W48"
    _run(TODAY + timedelta(days=7))
    assert len(smtp_settings.delivered) == 2


def test_no_weekly_mail_while_channels_are_fresh(tjonger, smtp_settings):
    _published_days_ago(tjonger, 10)
    _run(TODAY)
    assert smtp_settings.delivered == [] and not FreshnessMail.objects.exists()


def test_a_mail_server_that_refuses_leaves_the_week_open(tjonger, smtp_settings, settings):
    from tests.web.smtp import free_port

    _published_days_ago(tjonger, 100)
    port, settings.EMAIL_PORT = settings.EMAIL_PORT, free_port()
    assert "geen e-mail verstuurd" in _run(TODAY)
    assert not FreshnessMail.objects.exists()
    settings.EMAIL_PORT = port
    _run(TODAY + timedelta(days=1))
    assert len(smtp_settings.delivered) == 1


def test_a_bad_date_is_a_clear_error(db):
    with pytest.raises(CommandError, match="geen datum"):
        call_command("send_freshness_warnings", "--today", "23-11-2026")


# --- pages ---


@pytest.mark.parametrize("who", ["teacher", "fg", "communication"])
def test_every_role_sees_the_freshness_overview_with_the_warning(client, tjonger, who):
    publication = _published_days_ago(tjonger, 100)
    Publication.objects.filter(pk=publication.pk).update(published_at=timezone.now() - timedelta(days=100))
    client.force_login(getattr(tjonger, who))
    page = client.get("/publicaties/actualiteit/").content.decode()
    assert "Facebook-pagina" in page and "Al 100 dagen stil (protocol INL.4: maximaal 90 dagen stil)." in page
    log = client.get(f"/publicaties/school/{tjonger.world.school.pk}/").content.decode()
    assert "Te lang stil" in log


def test_communication_adds_and_edits_a_channel_and_it_is_audited(client, tjonger):
    school = tjonger.world.school
    client.force_login(tjonger.communication)
    response = client.post(f"/publicaties/school/{school.pk}/kanalen/",
                           {"channel": "website", "label": "Website", "freshness_days": "30", "active": "on"})
    assert response.status_code == 302
    channel = SchoolChannel.objects.get(school=school, channel="website")
    assert (channel.label, channel.freshness_days, channel.active, channel.always_four_eyes) == ("Website", 30, True, False)
    assert AuditEvent.objects.get(action="channel.created").changes["freshness_days"] == 30
    client.force_login(tjonger.manager)
    client.post(f"/publicaties/kanaal/{channel.pk}/", {"channel": "facebook", "label": "Website", "always_four_eyes": "on",
                                                      "active": "on"})
    channel.refresh_from_db()
    assert channel.channel == "website" and channel.always_four_eyes and channel.freshness_days is None
    assert AuditEvent.objects.filter(action="channel.updated").exists()


def test_a_channel_cannot_be_added_twice(client, tjonger):
    client.force_login(tjonger.manager)
    response = client.post(f"/publicaties/school/{tjonger.world.school.pk}/kanalen/", {"channel": "facebook", "active": "on"})
    assert response.status_code == 200 and "staat al in de lijst" in response.content.decode()
    assert SchoolChannel.objects.filter(channel="facebook").count() == 1


def test_other_roles_see_the_channels_but_may_not_change_them(client, tjonger):
    school = tjonger.world.school
    channel = SchoolChannel.objects.get(school=school)
    for user in (tjonger.teacher, tjonger.fg):
        client.force_login(user)
        page = client.get(f"/publicaties/school/{school.pk}/kanalen/")
        assert page.status_code == 200 and "Kanaal toevoegen" not in page.content.decode()
        assert client.post(f"/publicaties/school/{school.pk}/kanalen/", {"channel": "x", "active": "on"}).status_code == 403
        assert client.get(f"/publicaties/kanaal/{channel.pk}/").status_code == 403
    assert SchoolChannel.objects.count() == 1


def test_another_schools_channels_are_not_found(client, tjonger):
    channel = SchoolChannel.objects.get(school=tjonger.world.school)
    client.force_login(tjonger.world.users["other_teacher"])
    assert client.get(f"/publicaties/school/{tjonger.world.school.pk}/kanalen/").status_code == 404
    assert client.get(f"/publicaties/kanaal/{channel.pk}/").status_code == 404
    assert "Facebook-pagina" not in client.get("/publicaties/actualiteit/").content.decode()
