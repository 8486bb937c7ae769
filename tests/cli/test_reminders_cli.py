"""``plaatsbaar reminders`` on the real (test) database: invitations, due reminders, counts only."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.utils import timezone
from typer.testing import CliRunner

from plaatsbaar.cli.app import app
from plaatsbaar.web.audit.models import AuditEvent
from plaatsbaar.web.consent.models import ConsentCategory
from plaatsbaar.web.consent.services import Answer, record_answer
from plaatsbaar.web.organisation.models import Board, Group, Guardian, Guardianship, Pupil, School
from plaatsbaar.web.rounds.models import MailKind, RoundMail
from plaatsbaar.web.rounds.services import open_round
from tests.web.smtp import free_port


@pytest.fixture
def consent_round(db):
    """An open round of a school with two pupils, each with one guardian who has an e-mail address."""
    school = School.objects.create(board=Board.objects.create(name="Stichting Herinnering"), name="De Vlinder")
    group = Group.objects.create(school=school, name="groep 4", school_year="2026-2027")
    ConsentCategory.objects.create(school=school, code="website", label="Website", channel="website")
    for n, (first, email) in enumerate([("Anne", "anne@example.org"), ("Youssef", "youssef@example.org")]):
        pupil = Pupil.objects.create(school=school, group=group, external_id=f"30{n}", first_name=f"Kind{n}",
                                     last_name="Visser", date_of_birth=date(2018, 1, 1 + n))
        guardian = Guardian.objects.create(board=school.board, first_name=first, last_name="Visser", email=email)
        Guardianship.objects.create(guardian=guardian, pupil=pupil)
    return open_round(school, school_year="2026-2027", deadline=timezone.localdate() + timedelta(days=21),
                      form_version="1", information_version="1")


def run(*args: str):
    result = CliRunner().invoke(app, ["reminders", *args])
    assert "Traceback" not in result.output
    return result


def day(offset: int) -> str:
    return (timezone.localdate() + timedelta(days=offset)).isoformat()


def test_reminders_are_sent_when_due_and_counted(consent_round, mailoutbox):
    first = run()
    assert first.exit_code == 0, first.output
    assert "0 herinnering(en) en 2 uitnodiging(en) verstuurd in 1 open ronde(s)." in first.stdout
    assert "De Vlinder" in first.stdout
    too_early = run("--today", day(6))
    assert "0 herinnering(en) en 0 uitnodiging(en)" in too_early.stdout
    answered = Pupil.objects.get(external_id="300")
    website = ConsentCategory.objects.get(school=consent_round.school, code="website")
    record_answer(answered, website, "photo", True, Answer(guardian=answered.guardians.get()))
    mailoutbox.clear()
    due = run("--today", day(7))
    assert due.exit_code == 0 and "1 herinnering(en) en 0 uitnodiging(en) verstuurd" in due.stdout
    assert [m.to for m in mailoutbox] == [["youssef@example.org"]] and "nog niet ontvangen" in mailoutbox[0].body
    assert RoundMail.objects.filter(kind=MailKind.REMINDER).count() == 1
    assert AuditEvent.objects.filter(action="round.mailed", actor_label="opdrachtregel").exists()
    for output in (first.stdout, due.stdout):
        assert "@" not in output and "Anne" not in output and "Kind" not in output


def test_a_closed_round_sends_nothing(consent_round, mailoutbox):
    result = run("--today", day(22))
    assert result.exit_code == 0 and "in 0 open ronde(s)" in result.stdout and not mailoutbox


def test_a_bad_date_is_refused_in_dutch(db):
    result = run("--today", "31-12-2026")
    assert result.exit_code == 2 and "--today: '31-12-2026' is geen datum" in result.stderr


def test_an_unreachable_mail_server_gives_status_2_and_a_clear_message(consent_round, settings):
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT, settings.EMAIL_TIMEOUT = "127.0.0.1", free_port(), 5
    result = run()
    assert result.exit_code == 2
    assert f"Fout: ronde {consent_round.pk}: de mailserver is niet bereikbaar" in result.stdout
    assert not RoundMail.objects.exists()
