"""An uploaded export waiting between its dry run and the real import."""

from __future__ import annotations

from django.conf import settings
from django.db import models

from plaatsbaar.web.organisation.models import School


class PendingImport(models.Model):
    """The file a user uploaded and saw the dry run of; deleted once imported,
    discarded, or older than a day (it holds personal data)."""

    school = models.ForeignKey(School, on_delete=models.CASCADE, related_name="+")
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    source = models.CharField("bron", max_length=32)
    school_year = models.CharField("schooljaar", max_length=9)
    content = models.BinaryField("bestand")
    sha256 = models.CharField(max_length=64)
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)

    class Meta:
        verbose_name = "import in afwachting"
        verbose_name_plural = "imports in afwachting"

    def __str__(self) -> str:
        return f"{self.source} {self.school_year} ({self.created_at:%d-%m-%Y %H:%M})"
