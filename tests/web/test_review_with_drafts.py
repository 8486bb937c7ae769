"""Review of a draft made by the drafts service (the real check with deduce): a new version voids the approval."""

from __future__ import annotations

from django.urls import reverse

from plaatsbaar.web.drafts import services as drafts
from plaatsbaar.web.drafts.models import DraftStatus
from plaatsbaar.web.organisation.models import ProtocolVersion
from plaatsbaar.web.review import workflow
from plaatsbaar.web.review.models import Step


def test_a_checked_draft_is_offered_approved_and_a_new_version_voids_the_approval(newsroom, client):
    school = newsroom.world.school
    ProtocolVersion.objects.create(school=school, builtin_id="lucas-onderwijs", active=True)
    draft = drafts.create_draft(school, newsroom.teacher, "website", group=newsroom.world.group)
    first = drafts.save_version(draft, newsroom.teacher, text="Wat een mooie sportdag hadden we vandaag!")
    assert first.verdict != "block"

    client.force_login(newsroom.teacher)
    client.post(reverse("review:submit", args=[draft.pk]), {"unsure": "1"})
    client.force_login(newsroom.manager)
    page = client.get(reverse("review:detail", args=[draft.pk])).content.decode()
    assert "Wat een mooie sportdag hadden we vandaag!" in page and reverse("review:approve", args=[draft.pk]) in page
    client.post(reverse("review:approve", args=[draft.pk]))
    draft.refresh_from_db()
    assert draft.status == DraftStatus.APPROVED and workflow.may_publish(draft, newsroom.teacher)

    second = drafts.save_version(draft, newsroom.teacher, text="Wat een mooie sportdag! Sem de Vries won.")
    draft.refresh_from_db()
    assert draft.status == DraftStatus.CONCEPT
    assert not workflow.may_publish(draft, newsroom.teacher)  # bij twijfel: back to the leidinggevende first
    assert [(s.step, s.version.number) for s in draft.steps.order_by("id")] == [(Step.SUBMITTED, 1), (Step.APPROVED, 1)]
    assert second.number == 2
