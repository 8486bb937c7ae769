"""The append-only audit log: who changed what, when, from where.

An entry keeps a text label of its actor, so it survives the deletion of the
user; entries can be neither changed nor deleted through the application.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models


class AppendOnlyError(RuntimeError):
    """Raised on any attempt to change or delete an append-only record."""


class AppendOnlyQuerySet(models.QuerySet):
    """A queryset that refuses bulk updates and deletes."""

    def update(self, **kwargs):  # noqa: D401 - Django API
        raise AppendOnlyError("append-only: records cannot be changed")

    def delete(self):
        raise AppendOnlyError("append-only: records cannot be deleted")


class AppendOnlyModel(models.Model):
    """Base for records that are written once: save() only inserts, delete() refuses."""

    objects = AppendOnlyQuerySet.as_manager()

    class Meta:
        abstract = True

    def save(self, *args, **kwargs):
        if self.pk is not None and type(self).objects.filter(pk=self.pk).exists():
            raise AppendOnlyError("append-only: records cannot be changed")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise AppendOnlyError("append-only: records cannot be deleted")


class AuditEvent(AppendOnlyModel):
    """One change: ``action`` like ``consent.given``; the object by type and id;
    ``changes`` holds the new values (ids and codes, no free text about people)."""

    at = models.DateTimeField(auto_now_add=True, db_index=True)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    actor_label = models.CharField("door", max_length=200)
    board_id = models.IntegerField(null=True, blank=True, db_index=True)
    school_id = models.IntegerField(null=True, blank=True, db_index=True)
    action = models.CharField("actie", max_length=50, db_index=True)
    object_type = models.CharField("soort", max_length=50)
    object_id = models.CharField("object", max_length=50)
    changes = models.JSONField("wijziging", default=dict)
    ip = models.GenericIPAddressField("vanaf", null=True, blank=True)

    class Meta:
        verbose_name = "auditregel"
        verbose_name_plural = "auditlog"
        ordering = ["-at", "-id"]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.actor_label} {self.action} {self.object_type}#{self.object_id}"
