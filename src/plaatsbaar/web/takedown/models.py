"""The takedown register: published items that show a pupil on a channel no longer covered."""

from __future__ import annotations

from django.conf import settings
from django.db import models

from plaatsbaar.web.organisation.models import Pupil
from plaatsbaar.web.publication.models import Publication


class Reason(models.TextChoices):
    """Why the item must come down."""

    WITHDRAWN = "withdrawn", "toestemming ingetrokken"
    LEFT = "left", "leerling heeft de school verlaten"


class TakedownStatus(models.TextChoices):
    """Where a takedown is."""

    OPEN = "open", "open"
    REMOVED = "removed", "verwijderd"
    REPUBLISHED = "republished", "opnieuw geplaatst met de leerling onherkenbaar"


class Takedown(models.Model):
    """One publication that must come down (or be re-published blurred) because of one pupil.

    At most one open takedown per publication and pupil. ``republication``:
    the new publication, when re-published with the pupil blurred.
    """

    publication = models.ForeignKey(Publication, on_delete=models.PROTECT, related_name="takedowns")
    pupil = models.ForeignKey(Pupil, on_delete=models.PROTECT, related_name="takedowns")
    reason = models.CharField(max_length=20, choices=Reason.choices)
    status = models.CharField(max_length=20, choices=TakedownStatus.choices, default=TakedownStatus.OPEN, db_index=True)
    opened_at = models.DateTimeField(auto_now_add=True, db_index=True)
    closed_at = models.DateTimeField(null=True, blank=True)
    closed_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    republication = models.ForeignKey(Publication, null=True, blank=True, on_delete=models.PROTECT, related_name="+")

    class Meta:
        verbose_name = "verwijderverzoek"
        verbose_name_plural = "verwijderverzoeken"
        ordering = ["opened_at", "id"]
        constraints = [
            models.UniqueConstraint(fields=["publication", "pupil"], condition=models.Q(status="open"),
                                    name="one_open_takedown_per_item_and_pupil")
        ]

    def __str__(self) -> str:
        return f"verwijderverzoek {self.pk} ({self.get_status_display()})"
