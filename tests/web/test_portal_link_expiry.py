"""How long a personal portal link works: 30 days, or for a consent round at least until its deadline."""

from __future__ import annotations

import re
import time
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.core import signing
from django.utils import timezone

from plaatsbaar.web.portal import links
from plaatsbaar.web.portal.links import LinkRefused, make_token, read_token
from plaatsbaar.web.rounds.services import open_round, send_invitations

AMSTERDAM = ZoneInfo("Europe/Amsterdam")
LINK = re.compile(r"/portaal/(\S+)/")


def at(day: date, hour: int, minute: int = 0, second: int = 0) -> datetime:
    return datetime(day.year, day.month, day.day, hour, minute, second, tzinfo=AMSTERDAM)


def in_days(days: float) -> datetime:
    return datetime.now(tz=AMSTERDAM) + timedelta(days=days)


def signed_days_ago(value: str, days: int) -> str:
    """A token signed as if ``days`` days ago (the real signer with an older clock)."""

    class Signer(signing.TimestampSigner):
        def timestamp(self) -> str:
            return signing.b62_encode(int(time.time()) - days * 86400)

    return Signer(salt=links.SALT).sign(value)


def test_a_link_outside_a_round_works_30_days(world):
    token = make_token(world.guardian)
    assert read_token(token, now=in_days(29.9)).guardian == world.guardian
    with pytest.raises(LinkRefused, match="verlopen"):
        read_token(token, now=in_days(30.01))


def test_a_round_link_works_until_the_end_of_a_late_deadline_in_amsterdam(world):
    deadline = timezone.localdate() + timedelta(days=45)
    token = make_token(world.guardian, valid_until=deadline)
    assert read_token(token, now=in_days(40)).guardian == world.guardian
    assert read_token(token, now=at(deadline, 23, 59, 59)).guardian == world.guardian
    with pytest.raises(LinkRefused, match="verlopen"):
        read_token(token, now=at(deadline + timedelta(days=1), 0, 0))
    with pytest.raises(LinkRefused):  # 23:30 UTC on the deadline is already the next day in Amsterdam
        read_token(token, now=datetime(deadline.year, deadline.month, deadline.day, 23, 30, tzinfo=ZoneInfo("UTC")))


def test_a_round_link_with_an_early_deadline_still_works_30_days(world):
    token = make_token(world.older_pupil, valid_until=timezone.localdate() + timedelta(days=3))
    assert read_token(token, now=in_days(29.9)).pupil == world.older_pupil
    with pytest.raises(LinkRefused):
        read_token(token, now=in_days(30.01))


def test_the_deadline_in_a_link_cannot_be_moved(world):
    token = make_token(world.guardian, valid_until=date(2030, 1, 1))
    forged = token.replace("2030-01-01", "2099-01-01")
    with pytest.raises(LinkRefused, match="ongeldig"):
        read_token(forged)


def test_the_portal_opens_a_round_link_older_than_30_days_before_the_deadline(world, client):
    deadline = timezone.localdate() + timedelta(days=10)
    old_round_link = signed_days_ago(f"g{world.guardian.pk}.{deadline.isoformat()}", 40)
    assert client.get(f"/portaal/{old_round_link}/").status_code == 200
    passed = signed_days_ago(f"g{world.guardian.pk}.{(timezone.localdate() - timedelta(days=1)).isoformat()}", 40)
    page = client.get(f"/portaal/{passed}/")
    assert page.status_code == 403 and "verlopen" in page.content.decode()
    plain = signed_days_ago(f"g{world.guardian.pk}", 40)
    assert client.get(f"/portaal/{plain}/").status_code == 403


def test_round_mails_carry_a_link_valid_until_the_deadline(world, client, mailoutbox):
    deadline = timezone.localdate() + timedelta(days=50)
    consent_round = open_round(world.school, school_year="2026-2027", deadline=deadline, form_version="1",
                               information_version="1", actor=world.users["manager"])
    assert send_invitations(consent_round).sent == 2
    for mail in mailoutbox:
        token = LINK.search(mail.body).group(1)
        assert client.get(f"/portaal/{token}/").status_code == 200
        assert read_token(token, now=in_days(45)).guardian is not None
        with pytest.raises(LinkRefused):
            read_token(token, now=at(deadline + timedelta(days=1), 0, 1))
        day = f"{deadline.day} "
        assert "De link werkt tot en met " + day in mail.body and "30 dagen" not in mail.body
