"""The staff's consent pages: per group, per pupil with history, paper forms, pupils who turned 16."""

from __future__ import annotations

from datetime import timedelta
from html.parser import HTMLParser

import pytest
from django.core import mail
from django.utils import timezone

from plaatsbaar.core.vocabulary import Channel, MediaKind
from plaatsbaar.web.audit.models import AuditEvent
from plaatsbaar.web.consent.models import ConsentEvent, Method
from plaatsbaar.web.consent.services import Answer, pupils_to_ask_at_16, record_answer, registry_for
from plaatsbaar.web.organisation.models import Pupil, sixteen_years_before
from plaatsbaar.web.portal.links import make_token, read_token
from plaatsbaar.web.portal.services import categories_for, information_version

@pytest.fixture
def world(world):
    """The test world with Noor well past 16 (with an e-mail address) and Sem well under 16."""
    today = timezone.localdate()
    Pupil.objects.filter(pk=world.older_pupil.pk).update(date_of_birth=sixteen_years_before(today) - timedelta(days=400), email="noor@example.org")
    Pupil.objects.filter(pk=world.pupil.pk).update(date_of_birth=sixteen_years_before(today) + timedelta(days=2000))
    world.older_pupil.refresh_from_db()
    world.pupil.refresh_from_db()
    return world


def as_user(client, world, name: str):
    client.force_login(world.users[name])
    return client


def backdate(event: ConsentEvent, days: int) -> None:
    """Make an event as old as if it had been recorded ``days`` ago (test set-up only:
    the application itself can never change an event)."""
    ConsentEvent._base_manager.filter(pk=event.pk).update(at=event.at - timedelta(days=days))


def text(response) -> str:
    return response.content.decode()


# --- who may see what -----------------------------------------------------------------


@pytest.mark.parametrize("name", ["teacher", "manager", "fg", "board"])
def test_every_role_at_the_school_sees_the_pages(world, client, name):
    as_user(client, world, name)
    for url in (f"/toestemming/school/{world.school.pk}/", f"/toestemming/groep/{world.group.pk}/", f"/toestemming/leerling/{world.pupil.pk}/", f"/toestemming/school/{world.school.pk}/zestien/"):
        assert client.get(url).status_code == 200, url


def test_a_teacher_of_another_school_gets_404(world, client):
    as_user(client, world, "other_teacher")
    for url in (
        f"/toestemming/school/{world.school.pk}/",
        f"/toestemming/groep/{world.group.pk}/",
        f"/toestemming/leerling/{world.pupil.pk}/",
        f"/toestemming/leerling/{world.pupil.pk}/papier/",
        f"/toestemming/school/{world.school.pk}/zestien/",
    ):
        assert client.get(url).status_code == 404, url
    assert client.post(f"/toestemming/leerling/{world.older_pupil.pk}/link/", {"delivery": "show"}).status_code == 404


def test_the_pages_need_a_login(world, client):
    response = client.get(f"/toestemming/leerling/{world.pupil.pk}/")
    assert response.status_code == 302 and response["Location"].startswith("/inloggen/")


# --- group and pupil --------------------------------------------------------------------


def test_the_group_page_lists_each_pupil_with_their_state(world, client):
    record_answer(world.pupil, world.facebook, "photo", True, Answer(guardian=world.guardian))
    record_answer(world.pupil, world.facebook, "video", False, Answer(guardian=world.guardian))
    page = text(as_user(client, world, "teacher").get(f"/toestemming/groep/{world.group.pk}/"))
    assert "Sem de Vries" in page and "Noor Bakker" in page and "Daan" not in page
    row = page.split("Sem de Vries")[1].split("</tr>")[0]
    facebook_cell = row.split('data-label="Facebook">')[1].split("</td>")[0]
    assert 'foto <span class="ja">ja</span>' in facebook_cell
    assert 'film <span class="nee">nee</span>' in facebook_cell
    assert "geluid <abbr" in facebook_cell  # not answered


def test_a_portal_answer_shows_in_the_pupils_history(world, client):
    data = {"information_version": information_version(categories_for(world.pupil)), f"c{world.facebook.pk}-photo": "ja"}
    client.post(f"/portaal/{make_token(world.second_guardian)}/kind/{world.pupil.pk}/", data)
    page = text(as_user(client, world, "teacher").get(f"/toestemming/leerling/{world.pupil.pk}/"))
    history = page.split("Geschiedenis")[1]
    assert "ouder/verzorger Mark de Vries" in history
    assert "via het ouderportaal" in history
    assert "versie portaal-1" in history
    assert "gegeven door ouders" not in page  # Sem is far from 16


def test_the_history_marks_guardians_answers_given_before_16(world, client):
    noor = world.older_pupil
    early = record_answer(noor, world.website, "photo", True, Answer(guardian=world.guardian), today=noor.sixteenth_birthday() - timedelta(days=30))
    backdate(early, 500)
    record_answer(noor, world.facebook, "photo", False, Answer(by_pupil=True))
    page = text(as_user(client, world, "fg").get(f"/toestemming/leerling/{noor.pk}/"))
    history = page.split("Geschiedenis")[1].split("<tbody>")[1]
    rows = history.split("<tr>")[1:]
    assert "leerling zelf" in rows[0] and "gegeven door ouders" not in rows[0]
    assert "ouder/verzorger Anne de Vries" in rows[1] and "gegeven door ouders, vóór 16e verjaardag" in rows[1]
    current = page.split("<h2>Nu</h2>")[1].split("Geschiedenis")[0]
    assert "gegeven door ouders, vóór 16e verjaardag" in current  # the website answer still stands


# --- paper forms --------------------------------------------------------------------------


def paper(world, **answers) -> dict:
    data = {"signer": f"g{world.second_guardian.pk}", "form_version": "2025-1", "information_version": ""}
    data.update({f"c{world.facebook.pk}-{kind}": value for kind, value in answers.items()})
    return data


def test_a_teacher_cannot_enter_a_paper_form(world, client):
    as_user(client, world, "teacher")
    url = f"/toestemming/leerling/{world.pupil.pk}/papier/"
    assert client.get(url).status_code == 403
    assert client.post(url, paper(world, photo="ja")).status_code == 403
    assert "Papieren formulier invoeren" not in text(client.get(f"/toestemming/leerling/{world.pupil.pk}/"))
    assert not ConsentEvent.objects.exists()


@pytest.mark.parametrize("name", ["manager", "fg"])
def test_a_manager_or_privacy_officer_enters_a_paper_form(world, client, name):
    as_user(client, world, name)
    url = f"/toestemming/leerling/{world.pupil.pk}/papier/"
    form_page = text(client.get(url))
    assert "ouder/verzorger Anne de Vries" in form_page and "ouder/verzorger Mark de Vries" in form_page
    response = client.post(url, paper(world, photo="ja", video="nee", audio=""))
    assert response.status_code == 302 and response["Location"] == f"/toestemming/leerling/{world.pupil.pk}/"
    events = list(ConsentEvent.objects.order_by("id"))
    assert [(e.media_kind, e.answer) for e in events] == [("photo", True), ("video", False)]
    assert all(e.method == Method.PAPER and e.given_by_guardian == world.second_guardian for e in events)
    assert all(e.form_version == "2025-1" and e.information_version == "2025-1" for e in events)
    assert all(e.recorded_by == world.users[name] for e in events)
    assert registry_for([world.pupil]).allows(str(world.pupil.pk), Channel.FACEBOOK, MediaKind.PHOTO)
    audit = list(AuditEvent.objects.order_by("id"))
    assert [a.action for a in audit] == ["consent.given", "consent.refused"]
    assert all(a.actor == world.users[name] and a.changes["method"] == "paper" and a.ip == "127.0.0.1" for a in audit)
    assert "papieren formulier, ingevoerd door school" in text(client.get(response["Location"]))


def test_a_paper_form_without_answers_or_version_is_sent_back(world, client):
    as_user(client, world, "manager")
    url = f"/toestemming/leerling/{world.pupil.pk}/papier/"
    empty = client.post(url, paper(world, photo="", video=""))
    assert empty.status_code == 200 and "Vul minstens één antwoord in" in text(empty)
    no_version = client.post(url, {**paper(world, photo="ja"), "form_version": ""})
    assert no_version.status_code == 200 and "errorlist" in text(no_version)
    assert not ConsentEvent.objects.exists()


def test_a_paper_form_of_a_pupil_of_16_is_signed_by_the_pupil_only(world, client):
    as_user(client, world, "manager")
    url = f"/toestemming/leerling/{world.older_pupil.pk}/papier/"
    page = text(client.get(url))
    assert "Noor Bakker zelf" in page and "Anne de Vries" not in page
    by_guardian = client.post(url, {**paper(world, photo="ja"), "signer": f"g{world.guardian.pk}"})
    assert by_guardian.status_code == 200 and not ConsentEvent.objects.exists()
    client.post(url, {**paper(world, photo="ja"), "signer": "pupil"})
    assert ConsentEvent.objects.get().given_by_pupil


def test_a_paper_form_signed_by_someone_elses_guardian_is_refused(world, client):
    as_user(client, world, "manager")
    world.older_pupil.date_of_birth = world.pupil.date_of_birth
    world.older_pupil.save()  # Noor now young: only Anne is her guardian, Mark is not
    response = client.post(f"/toestemming/leerling/{world.older_pupil.pk}/papier/", {**paper(world, photo="ja"), "signer": f"g{world.second_guardian.pk}"})
    assert response.status_code == 200
    assert not ConsentEvent.objects.exists()


# --- sixteen ----------------------------------------------------------------------------------


def test_pupils_who_turned_16_are_listed_until_they_answer_themselves(world, client):
    as_user(client, world, "teacher")
    url = f"/toestemming/school/{world.school.pk}/zestien/"
    page = text(client.get(url))
    assert "Noor Bakker" in page and "Sem" not in page
    assert "Link tonen" not in page  # a teacher may look, not hand out links
    record_answer(world.older_pupil, world.website, "photo", True, Answer(by_pupil=True))
    assert "Noor Bakker" not in text(client.get(url))


def test_a_manager_gives_a_pupil_of_16_their_own_link(world, client):
    as_user(client, world, "manager")
    page = text(client.get(f"/toestemming/school/{world.school.pk}/zestien/"))
    assert "Link tonen" in page and "Link mailen" in page
    shown = client.post(f"/toestemming/leerling/{world.older_pupil.pk}/link/", {"delivery": "show"})
    assert shown.status_code == 200
    url = text(shown).split('readonly value="')[1].split('"')[0]
    assert url.startswith("http://testserver/portaal/")
    token = url.removeprefix("http://testserver/portaal/").rstrip("/")
    assert read_token(token).pupil == world.older_pupil
    entry = AuditEvent.objects.get()
    assert entry.action == "portal.link_issued" and entry.actor == world.users["manager"]
    assert entry.changes == {"holder": "pupil", "delivery": "show"} and entry.object_id == str(world.older_pupil.pk)

    client.logout()
    own = client.get(url, follow=True)
    assert "Jouw toestemming" in text(own)
    data = {"information_version": information_version(categories_for(world.older_pupil)), f"c{world.website.pk}-photo": "nee"}
    client.post(own.redirect_chain[-1][0], data)
    assert pupils_to_ask_at_16(world.school.pk, timezone.localdate()) == []


def test_a_manager_mails_the_link_to_the_pupil(world, client):
    as_user(client, world, "manager")
    response = client.post(f"/toestemming/leerling/{world.older_pupil.pk}/link/", {"delivery": "mail"})
    assert response.status_code == 302
    assert len(mail.outbox) == 1 and mail.outbox[0].to == ["noor@example.org"]
    assert "http://testserver/portaal/" in mail.outbox[0].body
    assert AuditEvent.objects.get().changes["delivery"] == "mail"
    assert "De link is gemaild naar Noor" in text(client.get(response["Location"]))


def test_no_mail_without_an_address(world, client):
    Pupil.objects.filter(pk=world.older_pupil.pk).update(email="")
    as_user(client, world, "manager")
    response = client.post(f"/toestemming/leerling/{world.older_pupil.pk}/link/", {"delivery": "mail"})
    assert "geen e-mailadres" in text(client.get(response["Location"]))
    assert not mail.outbox and not AuditEvent.objects.exists()


def test_only_manager_or_privacy_officer_hand_out_links_and_only_to_pupils_of_16(world, client):
    as_user(client, world, "teacher")
    assert client.post(f"/toestemming/leerling/{world.older_pupil.pk}/link/", {"delivery": "show"}).status_code == 403
    as_user(client, world, "manager")
    assert client.post(f"/toestemming/leerling/{world.pupil.pk}/link/", {"delivery": "show"}).status_code == 403
    assert client.get(f"/toestemming/leerling/{world.older_pupil.pk}/link/").status_code == 405
    assert not AuditEvent.objects.exists()


# --- on a phone -----------------------------------------------------------------------------------


class _Cells(HTMLParser):
    """Per table: its class and whether every data cell names its column (for stacking on a phone)."""

    def __init__(self):
        super().__init__()
        self.tables: list[str] = []
        self.unlabelled_cells = 0

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "table":
            self.tables.append(attrs.get("class", ""))
        if tag == "td" and not attrs.get("data-label"):
            self.unlabelled_cells += 1


@pytest.mark.parametrize("page", ["group", "pupil"])
def test_staff_tables_stack_on_a_phone(world, client, page):
    record_answer(world.pupil, world.facebook, "photo", True, Answer(guardian=world.guardian))
    url = f"/toestemming/groep/{world.group.pk}/" if page == "group" else f"/toestemming/leerling/{world.pupil.pk}/"
    cells = _Cells()
    cells.feed(text(as_user(client, world, "teacher").get(url)))
    assert cells.tables and all(t == "stacked" for t in cells.tables)
    assert cells.unlabelled_cells == 0
