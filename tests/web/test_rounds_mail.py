"""Opening a consent round and its e-mails, delivered through a real local SMTP server."""

from __future__ import annotations

import re
from io import StringIO
from datetime import timedelta

import pytest
from django.core.management import call_command
from django.utils import timezone

from plaatsbaar.web.audit.models import AuditEvent
from plaatsbaar.web.consent.services import Answer, record_answer
from plaatsbaar.web.organisation.models import Guardian, Guardianship, Pupil, Role, StaffRole
from plaatsbaar.web.portal.links import read_token
from plaatsbaar.web.rounds.models import ConsentRound, MailKind, RoundMail
from plaatsbaar.web.rounds.services import open_round, send_invitations, send_reminders
from tests.web.smtp import _smtp_controller, free_port, mail_server, smtp_settings  # noqa: F401 (fixtures)

SITE = "https://plaatsbaar.school.example"
LINK = re.compile(r"(https?://\S+)/portaal/(\S+)/")


def _form(deadline_days: int = 21) -> dict:
    deadline = timezone.localdate() + timedelta(days=deadline_days)
    return {"school_year": "2026-2027", "deadline": deadline.isoformat(), "form_version": "2026-1", "information_version": "3", "reminder_after_days": "7"}


def _open(world, **kwargs) -> ConsentRound:
    deadline = timezone.localdate() + timedelta(days=21)
    return open_round(world.school, school_year="2026-2027", deadline=deadline, form_version="2026-1", information_version="3", actor=world.users["manager"], **kwargs)


def _link_holder(delivered, site: str | None = None):
    """The holder of the portal link in a delivered mail (checking the site address when given)."""
    found_site, token = LINK.search(delivered.body).groups()
    assert site is None or found_site == site
    return read_token(token)


def _call(*args, **kwargs) -> str:
    out = StringIO()
    call_command(*args, stdout=out, **kwargs)
    return out.getvalue()


@pytest.fixture
def communication_user(world, django_user_model):
    user = django_user_model.objects.create_user(username="communicatie", password="geheim-wachtwoord-1")
    StaffRole.objects.create(user=user, board=world.board, school=world.school, role=Role.COMMUNICATION)
    return user


@pytest.mark.parametrize("who", ["teacher", "fg", "board"])
def test_other_roles_may_not_open_a_round(world, client, who):
    client.force_login(world.users[who])
    assert client.get(f"/ronde/school/{world.school.pk}/nieuw/").status_code == 403
    assert client.post(f"/ronde/school/{world.school.pk}/nieuw/", _form()).status_code == 403
    assert not ConsentRound.objects.exists()


def test_staff_of_another_school_gets_not_found(world, client):
    client.force_login(world.users["other_teacher"])
    assert client.get(f"/ronde/school/{world.school.pk}/nieuw/").status_code == 404


def test_communication_staff_opens_a_round_and_it_is_audited(world, client, communication_user, smtp_settings):
    client.force_login(communication_user)
    assert client.get(f"/ronde/school/{world.school.pk}/nieuw/").status_code == 200
    response = client.post(f"/ronde/school/{world.school.pk}/nieuw/", _form())
    consent_round = ConsentRound.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/ronde/{consent_round.pk}/"
    assert (consent_round.school, consent_round.form_version, consent_round.information_version) == (world.school, "2026-1", "3")
    assert consent_round.opened_by == communication_user
    entry = AuditEvent.objects.get(action="round.opened")
    assert entry.actor == communication_user and entry.school_id == world.school.pk and entry.changes["school_year"] == "2026-2027"


def test_a_second_round_for_the_same_school_year_is_refused(world, client, smtp_settings):
    client.force_login(world.users["manager"])
    client.post(f"/ronde/school/{world.school.pk}/nieuw/", _form())
    page = client.post(f"/ronde/school/{world.school.pk}/nieuw/", _form()).content.decode()
    assert "er is al een toestemmingsronde voor schooljaar 2026-2027" in page
    assert ConsentRound.objects.count() == 1


def test_a_deadline_in_the_past_is_refused(world, client):
    client.force_login(world.users["manager"])
    page = client.post(f"/ronde/school/{world.school.pk}/nieuw/", _form(deadline_days=-1)).content.decode()
    assert "De uiterste datum ligt in het verleden." in page and not ConsentRound.objects.exists()


def test_invitations_carry_a_personal_link_and_16_plus_pupils_are_mailed_themselves(world, client, settings, smtp_settings):
    settings.PLAATSBAAR_BASE_URL = SITE + "/"
    Pupil.objects.filter(pk=world.older_pupil.pk).update(email="noor@example.org")  # Noor is 16: she decides
    client.force_login(world.users["manager"])
    client.post(f"/ronde/school/{world.school.pk}/nieuw/", _form())
    assert sorted(a for d in smtp_settings.delivered for a in d.envelope_to) == ["anne@example.org", "mark@example.org", "noor@example.org"]
    for address, guardian in (("anne@example.org", world.guardian), ("mark@example.org", world.second_guardian)):
        [delivered] = smtp_settings.to(address)
        holder = _link_holder(delivered, SITE)
        assert holder.guardian == guardian and holder.pupil is None
        assert "De Wilgenhoek" in delivered.message["Subject"] and "Beste ouder of verzorger" in delivered.body
        assert "Sem" not in delivered.body  # no children's names in the mail
    [to_noor] = smtp_settings.to("noor@example.org")
    assert _link_holder(to_noor, SITE).pupil == world.older_pupil and "je beslist daarom zelf" in to_noor.body
    assert RoundMail.objects.filter(kind=MailKind.INVITATION).count() == 3


def test_a_16_plus_pupil_without_address_is_counted_and_guardians_are_not_mailed_for_her(world, smtp_settings):
    sem = world.pupil
    Guardianship.objects.filter(pupil=sem).delete()
    summary = send_invitations(_open(world))
    assert summary.sent == 0 and summary.without_address == 2  # Sem has no guardians any more, Noor no address
    assert smtp_settings.delivered == []


def test_invitations_are_sent_once_and_later_pupils_are_invited_by_the_daily_job(world, smtp_settings):
    consent_round = _open(world)
    assert send_invitations(consent_round).sent == 2
    assert send_invitations(consent_round).sent == 0
    newcomer = Pupil.objects.create(school=world.school, group=world.group, external_id="1003", first_name="Lotte", last_name="Bos", date_of_birth=world.pupil.date_of_birth)
    parent = Guardian.objects.create(board=world.board, first_name="Ingrid", last_name="Bos", email="ingrid@example.org")
    Guardianship.objects.create(guardian=parent, pupil=newcomer)
    smtp_settings.clear()
    call_command("send_consent_reminders")
    assert [d.envelope_to for d in smtp_settings.delivered] == [["ingrid@example.org"]]
    assert _link_holder(smtp_settings.delivered[0]).guardian == parent


def test_reminders_go_only_to_non_responders_after_n_days_and_once(world, smtp_settings):
    Pupil.objects.filter(pk=world.older_pupil.pk).update(email="noor@example.org")
    consent_round = _open(world)
    send_invitations(consent_round)
    record_answer(world.pupil, world.facebook, "photo", True, Answer(guardian=world.second_guardian))
    smtp_settings.clear()
    today = timezone.localdate()
    assert send_reminders(consent_round, today + timedelta(days=6)).sent == 0  # too early
    summary = send_reminders(consent_round, today + timedelta(days=7))
    assert summary.sent == 1 and [d.envelope_to for d in smtp_settings.delivered] == [["noor@example.org"]]
    assert "nog niet ontvangen" in smtp_settings.delivered[0].body
    assert _link_holder(smtp_settings.delivered[0]).pupil == world.older_pupil
    assert send_reminders(consent_round, today + timedelta(days=7)).sent == 0  # not twice
    assert send_reminders(consent_round, today + timedelta(days=13)).sent == 0  # N days after the reminder
    assert send_reminders(consent_round, today + timedelta(days=14)).sent == 1
    assert send_reminders(consent_round, consent_round.deadline + timedelta(days=1)).sent == 0  # round closed
    assert list(RoundMail.objects.filter(kind=MailKind.REMINDER).values_list("pupil", flat=True)) == [world.older_pupil.pk] * 2


def test_the_daily_command_sends_reminders_through_smtp(world, smtp_settings):
    consent_round = _open(world)
    send_invitations(consent_round)
    smtp_settings.clear()
    later = (timezone.localdate() + timedelta(days=8)).isoformat()
    out = _call("send_consent_reminders", today=later)
    assert sorted(a for d in smtp_settings.delivered for a in d.envelope_to) == ["anne@example.org", "mark@example.org"]
    assert f"ronde {consent_round.pk}: 0 uitnodiging(en), 2 herinnering(en)" in out and "@" not in out


def test_an_unreachable_mail_server_leaves_the_round_open_with_a_clear_message(world, client, settings):
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT, settings.EMAIL_TIMEOUT = "127.0.0.1", free_port(), 5
    client.force_login(world.users["manager"])
    page = client.post(f"/ronde/school/{world.school.pk}/nieuw/", _form(), follow=True).content.decode()
    assert "de mailserver is niet bereikbaar" in page
    assert ConsentRound.objects.count() == 1 and not RoundMail.objects.exists()


def test_staff_may_send_due_mails_from_the_dashboard_but_teachers_may_not(world, client, smtp_settings):
    consent_round = _open(world)
    client.force_login(world.users["teacher"])
    assert client.post(f"/ronde/{consent_round.pk}/versturen/").status_code == 403
    client.force_login(world.users["manager"])
    page = client.post(f"/ronde/{consent_round.pk}/versturen/", follow=True).content.decode()
    assert "Uitnodigingen: 2 e-mail(s) verstuurd." in page and len(smtp_settings.delivered) == 2
