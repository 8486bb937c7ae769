"""Review steps through the web: offer, take back, approve, send back, reject — and every forbidden one.

Who may take a step is answered with 403 (not the author; not a leidinggevende;
one's own draft), a school where the user has no role with 404; a step that is
not possible now (status, ``block`` verdict, missing reason) is refused by the
workflow with a Dutch message on the draft page, and changes nothing.

Drafts and versions are built with the ORM here (the drafts pages are another
helper's); the helpers below are shared with the other review and notices tests.
"""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.contrib.messages import get_messages
from django.urls import reverse

from plaatsbaar.web.audit.models import AuditEvent
from plaatsbaar.web.drafts.models import Draft, DraftStatus, DraftVersion
from plaatsbaar.web.notices.models import Notification
from plaatsbaar.web.organisation.models import Role, StaffRole
from plaatsbaar.web.publication.models import SchoolChannel
from plaatsbaar.web.review import workflow
from plaatsbaar.web.review.models import ReviewStep, Step
from plaatsbaar.web.review.services import draft_url
from tests.web.smtp import _smtp_controller, mail_server, smtp_settings  # noqa: F401 (fixtures)

ARTICLE = {"id": "4.2", "text": "Namen van leerlingen worden niet bij foto's vermeld."}
FINDING = {"verdict": "review", "title": "Naam van een leerling", "message": "De tekst noemt een leerling bij naam.",
           "articles": [ARTICLE], "evidence": ["naam leerling"], "fix": None, "fix_applied": False}
BLOCKING = {"verdict": "block", "title": "Schelden", "message": "De tekst bevat een scheldwoord.",
            "articles": [{"id": "7.1", "text": "Medewerkers schelden niet."}], "evidence": ["scheldwoord"],
            "fix": None, "fix_applied": False}


# --- shared helpers (imported by test_review_pages and test_notices_pages) ---------------


def make_draft(author, school, *, verdict: str = "review", channel: str = "facebook", group=None,
               text: str = "Wat een mooie sportdag met groep 5!") -> Draft:
    """A concept with one checked version (``verdict``), as the drafts service would leave it."""
    draft = Draft.objects.create(school=school, author=author, channel=channel, group=group)
    add_version(draft, author, verdict=verdict, text=text)
    return draft


def add_version(draft: Draft, author, *, verdict: str = "review", text: str = "Een sportdag.") -> DraftVersion:
    """The next checked version of ``draft``, with the findings that go with ``verdict``."""
    number = (draft.versions.count() or 0) + 1
    findings = {"review": [FINDING], "block": [BLOCKING]}.get(verdict, [])
    return DraftVersion.objects.create(draft=draft, number=number, text=text, verdict=verdict, findings=findings,
                                       revised_text=text, created_by=author)


def in_review(draft: Draft, *, unsure: bool = False) -> Draft:
    """``draft`` offered to the leidinggevende by its author (through the workflow)."""
    draft.refresh_from_db()
    workflow.submit(draft, draft.author, unsure=unsure)
    draft.refresh_from_db()
    return draft


def backdate_steps(draft: Draft, days: int) -> None:
    """Make the draft's steps ``days`` older (test set-up only: the application never changes a step)."""
    for step in draft.steps.all():
        ReviewStep._base_manager.filter(pk=step.pk).update(at=step.at - timedelta(days=days))


def manager_elsewhere(newsroom, django_user_model):
    """A leidinggevende of the other school of the board."""
    user = django_user_model.objects.create_user(username="directeur-klimop", password="geheim-wachtwoord-1")
    StaffRole.objects.create(user=user, board=newsroom.world.board, school=newsroom.world.other_school,
                             role=Role.MANAGER)
    return user


def message(response) -> str:
    """The newest message the step left for the next page."""
    return [str(m) for m in get_messages(response.wsgi_request)][-1]


def url(name: str, draft: Draft) -> str:
    return reverse(f"review:{name}", args=[draft.pk])


@pytest.fixture
def draft(newsroom) -> Draft:
    """The teacher's concept for Facebook; its check says: ask the leidinggevende."""
    return make_draft(newsroom.teacher, newsroom.world.school, group=newsroom.world.group)


# --- submitting and taking back ------------------------------------------------------------


def test_the_author_submits_bij_twijfel_and_the_leidinggevenden_are_told(newsroom, client, draft):
    client.force_login(newsroom.teacher)
    response = client.post(url("submit", draft), {"unsure": "1", "comment": "Mag dit zo?"})
    assert response.status_code == 302 and response["Location"] == draft_url(draft)
    draft.refresh_from_db()
    assert draft.status == DraftStatus.IN_REVIEW and draft.unsure
    step = ReviewStep.objects.get(draft=draft)
    assert (step.step, step.actor, step.version.number, step.comment) == (Step.SUBMITTED, newsroom.teacher, 1, "Mag dit zo?")
    assert set(step.reason.split(",")) == {"verdict", "unsure"}
    entry = AuditEvent.objects.get(action="draft.submitted")
    assert (entry.actor, entry.object_id, entry.changes["version"]) == (newsroom.teacher, str(draft.pk), 1)
    told = set(Notification.objects.values_list("user__username", flat=True))
    assert told == {"directeur", "adjunct"}
    assert "leidinggevende" in message(response)


def test_a_draft_with_every_reason_for_review_is_submitted(newsroom, client, draft):
    """Verdict, doubt and an "always four eyes" channel together: all three reasons are kept."""
    SchoolChannel.objects.create(school=newsroom.world.school, channel="facebook", always_four_eyes=True)
    client.force_login(newsroom.teacher)
    client.post(url("submit", draft), {"unsure": "1"})
    step = ReviewStep.objects.get(draft=draft)
    assert set(step.reason.split(",")) == {"verdict", "unsure", "four_eyes"}


def test_only_the_author_submits(newsroom, client, draft):
    client.force_login(newsroom.manager)
    assert client.post(url("submit", draft)).status_code == 403
    draft.refresh_from_db()
    assert draft.status == DraftStatus.CONCEPT and not ReviewStep.objects.exists()


def test_submitting_a_draft_already_in_review_is_refused_with_a_message(newsroom, client, draft):
    in_review(draft)
    client.force_login(newsroom.teacher)
    response = client.post(url("submit", draft))
    assert response.status_code == 302
    assert message(response) == "Een concept met status 'bij de leidinggevende' kan niet worden aangeboden."
    assert ReviewStep.objects.filter(draft=draft).count() == 1


def test_the_author_takes_a_draft_back(newsroom, client, draft):
    in_review(draft)
    client.force_login(newsroom.teacher)
    assert client.post(url("withdraw", draft)).status_code == 302
    draft.refresh_from_db()
    assert draft.status == DraftStatus.CONCEPT
    step = draft.steps.order_by("-id").first()
    assert (step.step, step.actor, step.version.number) == (Step.WITHDRAWN, newsroom.teacher, 1)
    assert AuditEvent.objects.filter(action="draft.withdrawn", object_id=str(draft.pk)).exists()


def test_only_the_author_takes_back_and_only_from_the_queue(newsroom, client, draft):
    client.force_login(newsroom.teacher)
    response = client.post(url("withdraw", draft))
    assert message(response) == "Dit concept staat niet ter beoordeling."
    in_review(draft)
    client.force_login(newsroom.manager)
    assert client.post(url("withdraw", draft)).status_code == 403
    draft.refresh_from_db()
    assert draft.status == DraftStatus.IN_REVIEW


# --- decisions -------------------------------------------------------------------------------


def test_the_leidinggevende_approves_and_the_step_is_recorded(newsroom, client, draft):
    in_review(draft)
    client.force_login(newsroom.manager)
    response = client.post(url("approve", draft), {"comment": "Prima."})
    assert response.status_code == 302 and response["Location"] == draft_url(draft)
    draft.refresh_from_db()
    assert draft.status == DraftStatus.APPROVED
    step = draft.steps.get(step=Step.APPROVED)
    assert (step.actor, step.actor_label, step.version.number, step.comment) == (newsroom.manager, "directeur", 1, "Prima.")
    entry = AuditEvent.objects.get(action="draft.approved")
    assert (entry.actor, entry.school_id, entry.changes) == (
        newsroom.manager, newsroom.world.school.pk, {"version": 1, "status": "approved", "reason": ""})
    note = Notification.objects.get(user=newsroom.teacher)
    assert "goedgekeurd" in note.text and note.url == draft_url(draft)
    assert workflow.may_publish(draft, newsroom.teacher)


@pytest.mark.parametrize("step_name, status, step", [("send_back", DraftStatus.SENT_BACK, Step.SENT_BACK),
                                                       ("reject", DraftStatus.REJECTED, Step.REJECTED)])
def test_sending_back_and_rejecting_with_a_reason(newsroom, client, draft, step_name, status, step):
    in_review(draft)
    client.force_login(newsroom.second_manager)
    assert client.post(url(step_name, draft), {"comment": "  Haal de naam weg.  "}).status_code == 302
    draft.refresh_from_db()
    assert draft.status == status
    entry = draft.steps.get(step=step)
    assert (entry.actor, entry.version.number, entry.comment) == (newsroom.second_manager, 1, "Haal de naam weg.")
    assert AuditEvent.objects.filter(action=f"draft.{step.value}", object_id=str(draft.pk)).exists()
    note = Notification.objects.get(user=newsroom.teacher).text
    assert "De toelichting staat in plaatsbaar." in note and "Haal de naam weg." not in note  # free text may name pupils


@pytest.mark.parametrize("step_name", ["send_back", "reject"])
@pytest.mark.parametrize("comment", ["", "   \n "])
def test_sending_back_or_rejecting_without_a_reason_is_refused(newsroom, client, draft, step_name, comment):
    in_review(draft)
    client.force_login(newsroom.manager)
    response = client.post(url(step_name, draft), {"comment": comment})
    assert response.status_code == 302
    assert message(response) == "Geef een reden, zodat de auteur weet wat er moet veranderen."
    draft.refresh_from_db()
    assert draft.status == DraftStatus.IN_REVIEW and draft.steps.count() == 1
    assert not Notification.objects.filter(user=newsroom.teacher).exists()


def test_a_manager_cannot_approve_their_own_draft_but_the_second_manager_can(newsroom, client):
    own = in_review(make_draft(newsroom.manager, newsroom.world.school))
    client.force_login(newsroom.manager)
    for step_name in ("approve", "send_back", "reject"):
        response = client.post(url(step_name, own), {"comment": "Zelf goedgekeurd."})
        assert response.status_code == 403, step_name
        assert "eigen bericht" in response.content.decode()
    own.refresh_from_db()
    assert own.status == DraftStatus.IN_REVIEW and own.steps.count() == 1
    client.force_login(newsroom.second_manager)
    assert client.post(url("approve", own)).status_code == 302
    own.refresh_from_db()
    assert own.status == DraftStatus.APPROVED
    assert own.steps.get(step=Step.APPROVED).actor == newsroom.second_manager


def test_a_block_verdict_is_never_approved_only_sent_back_with_a_reason(newsroom, client):
    blocked = in_review(make_draft(newsroom.teacher, newsroom.world.school, verdict="block"))
    client.force_login(newsroom.manager)
    for step_name in ("approve", "reject"):
        response = client.post(url(step_name, blocked), {"comment": "Toch maar doen."})
        assert message(response) == "Het protocol verbiedt dit bericht: je kunt het alleen terugsturen, met een reden."
    blocked.refresh_from_db()
    assert blocked.status == DraftStatus.IN_REVIEW
    response = client.post(url("send_back", blocked), {"comment": ""})
    assert message(response) == "Geef een reden, zodat de auteur weet wat er moet veranderen."
    client.post(url("send_back", blocked), {"comment": "Het scheldwoord moet eruit."})
    blocked.refresh_from_db()
    assert blocked.status == DraftStatus.SENT_BACK
    assert not workflow.may_publish(blocked, newsroom.teacher)


@pytest.mark.parametrize("who", ["teacher", "communication", "fg"])
def test_only_a_leidinggevende_decides(newsroom, client, who):
    colleague = make_draft(newsroom.communication if who != "communication" else newsroom.second_manager,
                           newsroom.world.school)
    in_review(colleague)
    client.force_login(getattr(newsroom, who))
    for step_name in ("approve", "send_back", "reject"):
        response = client.post(url(step_name, colleague), {"comment": "Goed zo."})
        assert response.status_code == 403, step_name
        assert "Alleen een leidinggevende" in response.content.decode()
    colleague.refresh_from_db()
    assert colleague.status == DraftStatus.IN_REVIEW and colleague.steps.count() == 1


def test_the_board_does_not_decide(newsroom, client, draft):
    in_review(draft)
    client.force_login(newsroom.world.users["board"])
    assert client.post(url("approve", draft)).status_code == 403


def test_a_leidinggevende_of_the_other_school_gets_404(newsroom, client, draft, django_user_model):
    in_review(draft)
    client.force_login(manager_elsewhere(newsroom, django_user_model))
    for step_name in ("approve", "send_back", "reject", "submit", "withdraw"):
        assert client.post(url(step_name, draft), {"comment": "x"}).status_code == 404, step_name
    assert client.get(url("detail", draft)).status_code == 404
    draft.refresh_from_db()
    assert draft.status == DraftStatus.IN_REVIEW


def test_a_draft_that_does_not_exist_is_404(newsroom, client):
    client.force_login(newsroom.manager)
    assert client.post(reverse("review:approve", args=[999999])).status_code == 404


@pytest.mark.parametrize("status", [DraftStatus.CONCEPT, DraftStatus.APPROVED, DraftStatus.REJECTED])
def test_deciding_on_a_draft_not_in_review_is_refused(newsroom, client, draft, status):
    Draft.objects.filter(pk=draft.pk).update(status=status)
    client.force_login(newsroom.manager)
    response = client.post(url("approve", draft))
    assert response.status_code == 302
    label = dict(DraftStatus.choices)[status]
    assert message(response) == f"Dit concept wacht niet op beoordeling (status: {label})."
    assert not ReviewStep.objects.filter(draft=draft).exists()


def test_a_new_version_after_approval_voids_it(newsroom, client, draft):
    in_review(draft)
    client.force_login(newsroom.manager)
    client.post(url("approve", draft))
    draft.refresh_from_db()
    assert workflow.may_publish(draft, newsroom.teacher)
    add_version(draft, newsroom.teacher, text="Wat een mooie sportdag met groep 5 en Sem!")
    workflow.after_new_version(draft)
    draft.refresh_from_db()
    assert draft.status == DraftStatus.CONCEPT
    assert workflow.publish_refusal(draft, newsroom.teacher).startswith("Eerst naar de leidinggevende")
    response = client.post(url("approve", draft))
    assert message(response) == "Dit concept wacht niet op beoordeling (status: concept)."
    client.force_login(newsroom.teacher)
    client.post(url("submit", draft))
    client.force_login(newsroom.second_manager)
    client.post(url("approve", draft))
    approvals = draft.steps.filter(step=Step.APPROVED).order_by("id")
    assert [(s.actor, s.version.number) for s in approvals] == [(newsroom.manager, 1), (newsroom.second_manager, 2)]


def test_the_steps_want_post_and_a_signed_in_user(newsroom, client, draft):
    in_review(draft)
    assert client.post(url("approve", draft))["Location"].startswith(reverse("login"))
    client.force_login(newsroom.manager)
    for step_name in ("approve", "send_back", "reject", "submit", "withdraw"):
        assert client.get(url(step_name, draft)).status_code == 405, step_name
    draft.refresh_from_db()
    assert draft.status == DraftStatus.IN_REVIEW


def test_the_steps_need_a_csrf_token(newsroom, draft):
    from django.test import Client

    in_review(draft)
    strict = Client(enforce_csrf_checks=True)
    strict.force_login(newsroom.manager)
    assert strict.post(url("approve", draft)).status_code == 403
    draft.refresh_from_db()
    assert draft.status == DraftStatus.IN_REVIEW


def test_next_leads_back_to_a_page_of_the_site_only(newsroom, client, draft):
    in_review(draft)
    client.force_login(newsroom.manager)
    response = client.post(url("send_back", draft), {"comment": "Naam weg.", "next": "https://elders.example/"})
    assert response["Location"] == draft_url(draft)
    in_review(draft)
    response = client.post(url("approve", draft), {"next": url("detail", draft)})
    assert response["Location"] == url("detail", draft)


def test_a_too_long_comment_is_refused(newsroom, client, draft):
    in_review(draft)
    client.force_login(newsroom.manager)
    response = client.post(url("send_back", draft), {"comment": "x" * 2001})
    assert message(response) == "De toelichting is te lang (hoogstens 2000 tekens)."
    draft.refresh_from_db()
    assert draft.status == DraftStatus.IN_REVIEW


# --- the author's e-mail --------------------------------------------------------------------


def test_the_author_gets_an_email_through_the_smtp_server(newsroom, client, draft, smtp_settings,
                                                           django_capture_on_commit_callbacks, settings):
    settings.PLAATSBAAR_BASE_URL = "https://plaatsbaar.school.example"
    in_review(draft)
    smtp_settings.clear()
    client.force_login(newsroom.manager)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(url("send_back", draft), {"comment": "Zet er geen naam bij."})
    delivered = smtp_settings.to(newsroom.teacher.email)
    assert len(delivered) == 1
    assert delivered[0].message["Subject"] == "Je bericht is teruggestuurd"
    assert "De toelichting staat in plaatsbaar." in delivered[0].body
    assert "Zet er geen naam bij." not in delivered[0].body  # a reviewer's free text may name pupils: not in mailboxes
    assert f"https://plaatsbaar.school.example{draft_url(draft)}" in delivered[0].body
    assert not smtp_settings.to(newsroom.manager.email)
