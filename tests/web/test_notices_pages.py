"""The notifications page (/meldingen/): one's own notifications, newest first, unread in bold; marking read."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from django.urls import reverse

from plaatsbaar.web.notices.models import Notification
from plaatsbaar.web.notices.services import notify, unread
from plaatsbaar.web.review.services import draft_url
from tests.web.test_review_steps import in_review, make_draft, url

PAGE = "/meldingen/"


def text(response) -> str:
    return response.content.decode()


def items(response) -> list[tuple[str, str]]:
    """(class, text) of each notification on the page, in order."""
    found = re.findall(r'<li class="(gelezen|ongelezen)">\s*<span>\s*<span class="tekst">(.*?)</span>', text(response), re.S)
    return [(kind, " ".join(re.sub(r"<[^>]+>", " ", body).split())) for kind, body in found]


@pytest.fixture
def notes(newsroom):
    """Three notifications for the teacher (the oldest read) and one for the manager."""
    first, = notify([newsroom.teacher], "Oud", "Een oude melding.", "/beoordelen/")
    Notification.objects.filter(pk=first.pk).update(created_at=first.created_at - timedelta(days=2),
                                                    read_at=first.created_at)
    second, = notify([newsroom.teacher], "Middel", "Een melding van gisteren.", "/beoordelen/")
    Notification.objects.filter(pk=second.pk).update(created_at=second.created_at - timedelta(days=1))
    newest, = notify([newsroom.teacher], "Nieuw", "De nieuwste melding.", "/meldingen/")
    other, = notify([newsroom.manager], "Voor de directeur", "Alleen voor de directeur.", "/beoordelen/")
    return {"first": first, "second": second, "newest": newest, "other": other}


def test_the_page_lists_ones_own_notifications_newest_first_unread_bold(newsroom, client, notes):
    client.force_login(newsroom.teacher)
    response = client.get(PAGE)
    assert response.status_code == 200
    assert items(response) == [("ongelezen", "nieuw: De nieuwste melding."),
                               ("ongelezen", "nieuw: Een melding van gisteren."),
                               ("gelezen", "Een oude melding.")]
    assert ".meldingen li.ongelezen .tekst { font-weight: 700; }" in text(response)
    assert "2 ongelezen." in text(response)
    assert "Alleen voor de directeur." not in text(response)


def test_marking_one_read(newsroom, client, notes):
    client.force_login(newsroom.teacher)
    response = client.post(reverse("notices:read", args=[notes["second"].pk]))
    assert response.status_code == 302 and response["Location"] == reverse("notices:index")
    assert unread(newsroom.teacher) == 1
    assert items(client.get(PAGE))[1] == ("gelezen", "Een melding van gisteren.")


def test_opening_one_marks_it_read_and_goes_to_its_page(newsroom, client, notes):
    client.force_login(newsroom.teacher)
    response = client.post(reverse("notices:read", args=[notes["second"].pk]), {"open": "1"})
    assert response["Location"] == "/beoordelen/"
    notes["second"].refresh_from_db()
    assert notes["second"].read_at is not None


def test_marking_all_read(newsroom, client, notes):
    client.force_login(newsroom.teacher)
    response = client.post(reverse("notices:read_all"), follow=True)
    assert "2 meldingen gemarkeerd als gelezen." in text(response)
    assert unread(newsroom.teacher) == 0 and unread(newsroom.manager) == 1
    assert "Alles gelezen." in text(response)


def test_another_users_notification_is_404_and_stays_unread(newsroom, client, notes):
    client.force_login(newsroom.teacher)
    assert client.post(reverse("notices:read", args=[notes["other"].pk])).status_code == 404
    assert unread(newsroom.manager) == 1


def test_marking_read_wants_post_and_a_signed_in_user(newsroom, client, notes):
    assert client.get(PAGE)["Location"].startswith(reverse("login"))
    client.force_login(newsroom.teacher)
    assert client.get(reverse("notices:read", args=[notes["newest"].pk])).status_code == 405
    assert client.get(reverse("notices:read_all")).status_code == 405
    assert unread(newsroom.teacher) == 2


def test_no_notifications_yet(newsroom, client):
    client.force_login(newsroom.fg)
    assert "Je hebt nog geen meldingen." in text(client.get(PAGE))


def test_the_author_finds_the_decision_on_the_page(newsroom, client):
    draft = in_review(make_draft(newsroom.teacher, newsroom.world.school))
    client.force_login(newsroom.manager)
    client.post(url("reject", draft), {"comment": "Dit past niet bij de school."})
    client.force_login(newsroom.teacher)
    response = client.get(PAGE)
    assert items(response) == [("ongelezen", "nieuw: Je concept voor facebook (versie 1) is afgewezen. "
                                             "De toelichting staat in plaatsbaar.")]
    response = client.post(reverse("notices:read", args=[Notification.objects.get(user=newsroom.teacher).pk]),
                           {"open": "1"})
    assert response["Location"] == draft_url(draft)


def test_the_leidinggevenden_find_the_submission_on_the_page(newsroom, client):
    draft = make_draft(newsroom.teacher, newsroom.world.school)
    client.force_login(newsroom.teacher)
    client.post(url("submit", draft))
    client.force_login(newsroom.second_manager)
    assert items(client.get(PAGE)) == [("ongelezen", "nieuw: Een concept voor facebook wacht op je beoordeling (versie 1).")]


def test_the_context_processor_counts_unread_notifications(newsroom, client, notes, settings):
    templates = [dict(t, OPTIONS=dict(t["OPTIONS"])) for t in settings.TEMPLATES]
    templates[0]["OPTIONS"]["context_processors"] = [*templates[0]["OPTIONS"]["context_processors"],
                                                     "plaatsbaar.web.notices.context.unread_notices"]
    settings.TEMPLATES = templates
    client.force_login(newsroom.teacher)
    assert client.get("/").context["unread_notices"] == 2
    client.logout()
    assert client.get(reverse("login")).context["unread_notices"] == 0
