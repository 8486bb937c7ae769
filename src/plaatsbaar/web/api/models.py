"""Per-user API tokens: only a hash of each token is stored.

The token itself (``pb_`` + 43 random characters) is shown once, when it is
made; afterwards only its first characters (:attr:`ApiToken.prefix`) are
shown, to recognise it. A token acts as its user, with the user's
:class:`~plaatsbaar.web.organisation.policy.Policy`; a revoked token never
works again.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models


class ApiToken(models.Model):
    """An API token of one user.

    ``digest``: the SHA-256 of the token (hex); ``prefix``: its first
    characters, shown in lists; ``revoked_at``: set once, when revoked.
    """

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="api_tokens")
    name = models.CharField("omschrijving", max_length=100)
    prefix = models.CharField("begint met", max_length=12)
    digest = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField("aangemaakt", auto_now_add=True)
    last_used_at = models.DateTimeField("laatst gebruikt", null=True, blank=True)
    revoked_at = models.DateTimeField("ingetrokken", null=True, blank=True)

    class Meta:
        verbose_name = "API-sleutel"
        verbose_name_plural = "API-sleutels"
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"{self.prefix}… ({self.name})"

    @property
    def active(self) -> bool:
        """True until the token is revoked."""
        return self.revoked_at is None
