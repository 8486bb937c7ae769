"""Drafts of posts: what staff want to publish, each save a checked version.

A :class:`Draft` belongs to one school and channel and moves through the
statuses of :class:`DraftStatus` (see :mod:`plaatsbaar.web.review.workflow`).
Its text is kept in append-only :class:`DraftVersion` records, each with the
verdict and findings of the check that ran when it was saved. Photos, video
and audio are :class:`DraftMedia`: the original file is private (author,
reviewers, privacy officer), the publishable file is blurred and stripped of
metadata. Staff tag each detected face with a pupil or "onbekend"
(:class:`FaceTag`) and say who is heard on a recording (:class:`VoiceTag`,
:attr:`DraftMedia.staff_or_no_voices`); nothing is ever matched by face or
voice recognition.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models

from plaatsbaar.core.vocabulary import Verdict
from plaatsbaar.web.audit.models import AppendOnlyModel
from plaatsbaar.web.consent.models import CHANNELS, MEDIA_KINDS
from plaatsbaar.web.organisation.models import Group, Pupil, School

VERDICTS = [(Verdict.ALLOW.value, "plaatsbaar"), (Verdict.REVISE.value, "aanpassen"),
            (Verdict.REVIEW.value, "leidinggevende beslist"), (Verdict.BLOCK.value, "niet plaatsen")]


class DraftStatus(models.TextChoices):
    """Where a draft is in its life."""

    CONCEPT = "concept", "concept"
    IN_REVIEW = "in_review", "bij de leidinggevende"
    SENT_BACK = "sent_back", "teruggestuurd"
    APPROVED = "approved", "goedgekeurd"
    REJECTED = "rejected", "afgewezen"
    PUBLISHED = "published", "gepubliceerd"


class Draft(models.Model):
    """A post in the making: school, channel, author, the class it is about, its status.

    ``group`` is the class whose pupils the author tags (and, for the class
    group app, the class the message goes to). ``unsure``: the author pressed
    "bij twijfel" and asks the leidinggevende.
    """

    school = models.ForeignKey(School, on_delete=models.PROTECT, related_name="drafts")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="drafts")
    channel = models.CharField("kanaal", max_length=20, choices=CHANNELS)
    group = models.ForeignKey(Group, null=True, blank=True, on_delete=models.SET_NULL, related_name="drafts",
                              verbose_name="groep")
    status = models.CharField(max_length=20, choices=DraftStatus.choices, default=DraftStatus.CONCEPT, db_index=True)
    unsure = models.BooleanField("bij twijfel", default=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = "concept"
        verbose_name_plural = "concepten"
        ordering = ["-updated_at", "-id"]
        indexes = [models.Index(fields=["school", "status"])]

    def __str__(self) -> str:
        return f"concept {self.pk} ({self.channel})"

    def latest_version(self) -> "DraftVersion | None":
        """The newest version, or ``None`` before the first save."""
        return self.versions.order_by("-number").first()


class DraftVersion(AppendOnlyModel):
    """One saved, checked version of a draft; never changed.

    ``findings``: the check's findings as JSON view objects (verdict, title,
    message, articles [{id, text}], evidence [str], fix, fix_applied);
    ``revised_text``: the text with the text fixes applied; ``tags``: the face
    tags at this version, ``{"<media number>": {"<face index>": pupil id or null}}``
    (for a recording: the pupils heard, numbered 0, 1, … in id order);
    ``shown``: the tagged pupils recognisable in the publishable files of this
    version (consenting and not blurred), ``{"<media number>": [pupil id, …]}``.
    """

    draft = models.ForeignKey(Draft, on_delete=models.CASCADE, related_name="versions")
    number = models.PositiveIntegerField()
    text = models.TextField("tekst", blank=True)
    function = models.CharField("functie", max_length=100, blank=True)
    posted_at = models.DateTimeField("plaatsen op", null=True, blank=True)
    verdict = models.CharField(max_length=10, choices=VERDICTS)
    findings = models.JSONField(default=list)
    revised_text = models.TextField(blank=True)
    tags = models.JSONField(default=dict)
    shown = models.JSONField(default=dict)
    protocol_label = models.CharField("protocol", max_length=200, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")

    class Meta:
        verbose_name = "versie"
        verbose_name_plural = "versies"
        ordering = ["draft", "number"]
        constraints = [models.UniqueConstraint(fields=["draft", "number"], name="unique_draft_version")]

    def __str__(self) -> str:
        return f"concept {self.draft_id} versie {self.number}"


class DraftMedia(models.Model):
    """A photo, video or audio file of a draft.

    ``original`` and ``publishable`` are paths relative to the private media
    folder (``MEDIA_ROOT``); neither is served by a public URL. ``faces``: the
    detected face boxes, ``[[x, y, width, height], …]`` in pixels of the
    original (first frame with faces for video), in the order tags refer to.
    ``staff_or_no_voices`` (recordings): the author states that, besides the
    pupils tagged as heard (:class:`VoiceTag`), only staff who agree to it are
    heard, or no recognisable voices at all.
    """

    draft = models.ForeignKey(Draft, on_delete=models.CASCADE, related_name="media")
    number = models.PositiveIntegerField()
    kind = models.CharField(max_length=10, choices=MEDIA_KINDS)
    original = models.CharField(max_length=300)
    publishable = models.CharField(max_length=300, blank=True)
    faces = models.JSONField(default=list)
    width = models.PositiveIntegerField(null=True, blank=True)
    height = models.PositiveIntegerField(null=True, blank=True)
    staff_or_no_voices = models.BooleanField("verder alleen medewerkers of geen herkenbare stemmen", default=False)
    uploaded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "bestand"
        verbose_name_plural = "bestanden"
        ordering = ["draft", "number"]
        constraints = [models.UniqueConstraint(fields=["draft", "number"], name="unique_draft_media_number")]

    def __str__(self) -> str:
        return f"concept {self.draft_id} bestand {self.number}"


class FaceTag(models.Model):
    """Who a detected face is: a pupil of the school, or ``pupil=None`` for "onbekend"."""

    media = models.ForeignKey(DraftMedia, on_delete=models.CASCADE, related_name="tags")
    face = models.PositiveIntegerField("gezicht")
    pupil = models.ForeignKey(Pupil, null=True, blank=True, on_delete=models.PROTECT, related_name="face_tags")
    tagged_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    tagged_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = "tag"
        verbose_name_plural = "tags"
        constraints = [models.UniqueConstraint(fields=["media", "face"], name="unique_tag_per_face")]

    def __str__(self) -> str:
        return f"bestand {self.media_id} gezicht {self.face}: {self.pupil_id or 'onbekend'}"


class VoiceTag(models.Model):
    """A pupil who is heard on a recording, as the author says (nothing is matched by voice recognition)."""

    media = models.ForeignKey(DraftMedia, on_delete=models.CASCADE, related_name="voices")
    pupil = models.ForeignKey(Pupil, on_delete=models.PROTECT, related_name="voice_tags")
    tagged_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    tagged_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "stem"
        verbose_name_plural = "stemmen"
        ordering = ["media", "pupil_id"]
        constraints = [models.UniqueConstraint(fields=["media", "pupil"], name="unique_voice_per_pupil")]

    def __str__(self) -> str:
        return f"bestand {self.media_id} stem van leerling {self.pupil_id}"
