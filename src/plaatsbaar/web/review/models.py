"""The review trail of drafts: every step, with who, when and which version.

Steps are append-only; the draft's status is the result of the last step
(see :mod:`plaatsbaar.web.review.workflow`).
"""

from __future__ import annotations

from django.conf import settings
from django.db import models

from plaatsbaar.web.audit.models import AppendOnlyModel
from plaatsbaar.web.drafts.models import Draft, DraftVersion


class Step(models.TextChoices):
    """What happened to a draft."""

    SUBMITTED = "submitted", "ter beoordeling aangeboden"
    APPROVED = "approved", "goedgekeurd"
    SENT_BACK = "sent_back", "teruggestuurd"
    REJECTED = "rejected", "afgewezen"
    PUBLISHED = "published", "gepubliceerd"
    WITHDRAWN = "withdrawn", "ingetrokken door de auteur"


class ReviewStep(AppendOnlyModel):
    """One step of a draft's review; ``version`` is the version it concerns.

    ``reason`` says why it went to review (``verdict``, ``unsure``,
    ``four_eyes``), for submitted steps; ``comment`` is the reviewer's or
    author's text (required when sending back or rejecting).
    """

    draft = models.ForeignKey(Draft, on_delete=models.CASCADE, related_name="steps")
    version = models.ForeignKey(DraftVersion, on_delete=models.PROTECT, related_name="steps")
    step = models.CharField(max_length=20, choices=Step.choices)
    reason = models.CharField(max_length=50, blank=True)  # comma-separated codes: "verdict,unsure,four_eyes"
    comment = models.TextField("toelichting", blank=True)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    actor_label = models.CharField("door", max_length=200)
    at = models.DateTimeField(auto_now_add=True, db_index=True)

    class Meta:
        verbose_name = "beoordelingsstap"
        verbose_name_plural = "beoordelingsstappen"
        ordering = ["at", "id"]

    def __str__(self) -> str:
        return f"concept {self.draft_id} v{self.version.number}: {self.step}"
