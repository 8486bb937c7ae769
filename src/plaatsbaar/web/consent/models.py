"""Consent categories per school and the append-only consent events.

The current state of a pupil's consent is derived from the events (the latest
answer per category and media kind); no answer means no consent.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models

from plaatsbaar.core.vocabulary import Channel, MediaKind
from plaatsbaar.web.audit.models import AppendOnlyModel
from plaatsbaar.web.organisation.models import Guardian, Pupil, School

MEDIA_KINDS = [(MediaKind.PHOTO.value, "foto"), (MediaKind.VIDEO.value, "film"), (MediaKind.AUDIO.value, "geluid")]
CHANNELS = [(c.value, c.value) for c in Channel]


class ConsentCategory(models.Model):
    """A purpose the school asks consent for, e.g. 'Facebook-pagina van de school'.

    ``channel`` links it to a channel of the checker (blank for purposes that
    are no channel, such as the school guide or the press).
    """

    school = models.ForeignKey(School, on_delete=models.PROTECT, related_name="consent_categories")
    code = models.SlugField(max_length=50)
    label = models.CharField("omschrijving", max_length=200)
    explanation = models.TextField("uitleg voor ouders", blank=True)
    channel = models.CharField("kanaal", max_length=20, choices=CHANNELS, blank=True)
    order = models.PositiveIntegerField(default=0)
    active = models.BooleanField(default=True)

    class Meta:
        verbose_name = "toestemmingscategorie"
        verbose_name_plural = "toestemmingscategorieën"
        ordering = ["order", "id"]
        constraints = [models.UniqueConstraint(fields=["school", "code"], name="unique_category_code")]

    def __str__(self) -> str:
        return self.label


class Method(models.TextChoices):
    """How an answer reached the school."""

    PORTAL = "portal", "via het ouderportaal"
    PAPER = "paper", "papieren formulier, ingevoerd door school"
    IMPORT = "import", "import uit de leerlingadministratie"


class ConsentEvent(AppendOnlyModel):
    """One answer (yes/no) for one pupil, category and media kind; never changed.

    Exactly one of ``given_by_guardian`` / ``given_by_pupil`` says who answered.
    """

    pupil = models.ForeignKey(Pupil, on_delete=models.PROTECT, related_name="consent_events")
    category = models.ForeignKey(ConsentCategory, on_delete=models.PROTECT, related_name="events")
    media_kind = models.CharField("soort opname", max_length=10, choices=MEDIA_KINDS)
    answer = models.BooleanField("toestemming")
    given_by_guardian = models.ForeignKey(Guardian, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    given_by_pupil = models.BooleanField(default=False)
    method = models.CharField(max_length=10, choices=Method.choices)
    form_version = models.CharField("formulierversie", max_length=50)
    information_version = models.CharField("versie informatietekst", max_length=50)
    at = models.DateTimeField(auto_now_add=True, db_index=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    recorded_by_label = models.CharField(max_length=200)

    class Meta:
        verbose_name = "toestemmingsmoment"
        verbose_name_plural = "toestemmingsmomenten"
        ordering = ["at", "id"]
        indexes = [models.Index(fields=["pupil", "category", "media_kind", "at"]), models.Index(fields=["pupil", "at", "answer"])]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(given_by_pupil=True, given_by_guardian__isnull=True)
                | models.Q(given_by_pupil=False, given_by_guardian__isnull=False),
                name="consent_given_by_exactly_one",
            )
        ]

    def __str__(self) -> str:
        return f"{self.pupil_id} {self.category_id} {self.media_kind}: {'ja' if self.answer else 'nee'}"
