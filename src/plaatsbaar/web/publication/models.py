"""The publication log, the school's channels and the class group app.

A :class:`Publication` keeps exactly what left the school: the text and the
anonymised media of an approved draft version, the channel, when and by
whom, and which connector published it (today: download/copy by hand).
:class:`PublishedPerson` lists the pupils who can be recognised in it (tagged
and not blurred): the takedown register starts from there.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models

from plaatsbaar.web.consent.models import CHANNELS, MEDIA_KINDS
from plaatsbaar.web.drafts.models import Draft, DraftMedia, DraftVersion
from plaatsbaar.web.organisation.models import Group, Guardian, Pupil, School


class SchoolChannel(models.Model):
    """A channel the school publishes on, with its own settings.

    ``always_four_eyes``: every post on it goes to the leidinggevende;
    ``freshness_days``: warn when silent longer (blank: the protocol's
    ``freshness_days``, if any).
    """

    school = models.ForeignKey(School, on_delete=models.PROTECT, related_name="channels")
    channel = models.CharField("kanaal", max_length=20, choices=CHANNELS)
    label = models.CharField("naam", max_length=200, blank=True, help_text="bijv. 'Facebook-pagina De Wilgenhoek'")
    always_four_eyes = models.BooleanField("altijd vier ogen", default=False)
    freshness_days = models.PositiveIntegerField("maximaal stil (dagen)", null=True, blank=True)
    active = models.BooleanField("in gebruik", default=True)

    class Meta:
        verbose_name = "kanaal van de school"
        verbose_name_plural = "kanalen van de school"
        constraints = [models.UniqueConstraint(fields=["school", "channel"], name="unique_school_channel")]

    def __str__(self) -> str:
        return self.label or self.channel


class PublicationStatus(models.TextChoices):
    """Whether a publication is still online."""

    LIVE = "live", "online"
    REMOVED = "removed", "verwijderd"
    REPLACED = "replaced", "vervangen door een nieuwe versie"


class Publication(models.Model):
    """One published version of a draft, as it left the school.

    ``replaces``: the publication this one replaces (re-published with a
    pupil blurred after a takedown). ``connector``: the code of the
    connector used; ``external_ref``: its reference on the platform, if any.
    """

    school = models.ForeignKey(School, on_delete=models.PROTECT, related_name="publications")
    draft = models.ForeignKey(Draft, on_delete=models.PROTECT, related_name="publications")
    version = models.ForeignKey(DraftVersion, on_delete=models.PROTECT, related_name="publications")
    channel = models.CharField("kanaal", max_length=20, choices=CHANNELS)
    text = models.TextField("tekst", blank=True)
    published_at = models.DateTimeField("gepubliceerd op", auto_now_add=True, db_index=True)
    published_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    publisher_label = models.CharField("door", max_length=200)
    connector = models.CharField(max_length=50, default="manual")
    external_ref = models.CharField(max_length=300, blank=True)
    status = models.CharField(max_length=20, choices=PublicationStatus.choices, default=PublicationStatus.LIVE, db_index=True)
    removed_at = models.DateTimeField(null=True, blank=True)
    replaces = models.ForeignKey("self", null=True, blank=True, on_delete=models.PROTECT, related_name="replaced_by")

    class Meta:
        verbose_name = "publicatie"
        verbose_name_plural = "publicaties"
        ordering = ["-published_at", "-id"]
        indexes = [models.Index(fields=["school", "channel", "published_at"])]

    def __str__(self) -> str:
        return f"publicatie {self.pk} ({self.channel})"


class PublishedMedia(models.Model):
    """An anonymised file of a publication; ``file`` is relative to ``MEDIA_ROOT`` (private)."""

    publication = models.ForeignKey(Publication, on_delete=models.CASCADE, related_name="media")
    source = models.ForeignKey(DraftMedia, null=True, on_delete=models.SET_NULL, related_name="+")
    number = models.PositiveIntegerField()
    kind = models.CharField(max_length=10, choices=MEDIA_KINDS)
    file = models.CharField(max_length=300)

    class Meta:
        ordering = ["publication", "number"]


class PublishedPerson(models.Model):
    """A pupil recognisable in a publication (tagged and not blurred)."""

    publication = models.ForeignKey(Publication, on_delete=models.CASCADE, related_name="people")
    media = models.ForeignKey(PublishedMedia, null=True, on_delete=models.CASCADE, related_name="people")
    pupil = models.ForeignKey(Pupil, on_delete=models.PROTECT, related_name="publications_shown_in")

    class Meta:
        indexes = [models.Index(fields=["pupil", "publication"])]


class GroupAppMember(models.Model):
    """Whether a guardian of a class uses the class group app (recorded by the school)."""

    group = models.ForeignKey(Group, on_delete=models.CASCADE, related_name="app_members")
    guardian = models.ForeignKey(Guardian, on_delete=models.CASCADE, related_name="group_apps")
    uses_app = models.BooleanField("gebruikt de groepsapp", default=True)
    recorded_at = models.DateTimeField(auto_now=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")

    class Meta:
        verbose_name = "deelnemer groepsapp"
        verbose_name_plural = "deelnemers groepsapp"
        constraints = [models.UniqueConstraint(fields=["group", "guardian"], name="unique_group_app_member")]


class FallbackMail(models.Model):
    """The e-mail copy of a group-app message sent to a guardian who is not in the app."""

    publication = models.ForeignKey(Publication, on_delete=models.CASCADE, related_name="fallback_mails")
    guardian = models.ForeignKey(Guardian, on_delete=models.PROTECT, related_name="+")
    sent_at = models.DateTimeField(auto_now_add=True)


class FreshnessMail(models.Model):
    """The weekly e-mail about a school's silent channels, once per ISO week (``week``: ``"2026-W47"``)."""

    school = models.ForeignKey(School, on_delete=models.CASCADE, related_name="freshness_mails")
    week = models.CharField(max_length=8)
    channels = models.PositiveIntegerField("stille kanalen")
    recipients = models.PositiveIntegerField("ontvangers")
    sent_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "actualiteitsmail"
        verbose_name_plural = "actualiteitsmails"
        constraints = [models.UniqueConstraint(fields=["school", "week"], name="one_freshness_mail_per_week")]
