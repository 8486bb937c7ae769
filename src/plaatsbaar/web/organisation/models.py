"""Board, schools, groups, pupils, guardians and staff roles."""

from __future__ import annotations

from datetime import date

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone

from plaatsbaar.core.protocol.loader import builtin_protocol_ids


def sixteen_years_before(day: date) -> date:
    """The birth date of someone who turns 16 on ``day`` (29 February → 28 February)."""
    try:
        return day.replace(year=day.year - 16)
    except ValueError:
        return date(day.year - 16, 2, 28)


class Role(models.TextChoices):
    """Roles of staff and board members; guardians and pupils use the portal."""

    STAFF = "medewerker", "Medewerker"
    MANAGER = "leidinggevende", "Leidinggevende"
    COMMUNICATION = "communicatie", "Communicatie / social-mediabeheerder"
    PRIVACY_OFFICER = "privacy_officer", "Functionaris gegevensbescherming (FG)"
    BOARD = "bestuur", "Bestuur"


class Board(models.Model):
    """A board (stichting) with one or more schools."""

    name = models.CharField("naam", max_length=200)

    class Meta:
        verbose_name = "bestuur"
        verbose_name_plural = "besturen"

    def __str__(self) -> str:
        return self.name


class School(models.Model):
    """A school of a board; its active protocol is one of its ProtocolVersions."""

    board = models.ForeignKey(Board, on_delete=models.PROTECT, related_name="schools", verbose_name="bestuur")
    name = models.CharField("naam", max_length=200)
    brin = models.CharField("BRIN", max_length=8, blank=True)

    class Meta:
        verbose_name = "school"
        verbose_name_plural = "scholen"

    def __str__(self) -> str:
        return self.name

    def active_protocol(self) -> "ProtocolVersion | None":
        """The protocol version in force, or ``None``."""
        return self.protocol_versions.filter(active=True).order_by("-created_at").first()


class ProtocolVersion(models.Model):
    """A version of the school's protocol: a shipped one by id, or the school's own YAML.

    Kept forever (version history); exactly one is active per school.
    """

    school = models.ForeignKey(School, on_delete=models.PROTECT, related_name="protocol_versions")
    builtin_id = models.CharField("meegeleverd protocol", max_length=100, blank=True)
    yaml_text = models.TextField("eigen protocol (YAML)", blank=True)
    note = models.CharField("toelichting", max_length=300, blank=True)
    active = models.BooleanField(default=False)
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL)

    class Meta:
        verbose_name = "protocolversie"
        verbose_name_plural = "protocolversies"
        constraints = [
            models.UniqueConstraint(fields=["school"], condition=models.Q(active=True), name="one_active_protocol_per_school")
        ]

    def __str__(self) -> str:
        return self.builtin_id or f"eigen protocol ({self.created_at:%d-%m-%Y})"

    @staticmethod
    def builtin_choices() -> list[str]:
        """Ids of the shipped protocols."""
        return builtin_protocol_ids()


class Group(models.Model):
    """A class (groep/klas) of a school in one school year, e.g. 'groep 5a', '2025-2026'."""

    school = models.ForeignKey(School, on_delete=models.PROTECT, related_name="groups")
    name = models.CharField("naam", max_length=50)
    school_year = models.CharField("schooljaar", max_length=9, help_text="bijv. 2025-2026")

    class Meta:
        verbose_name = "groep"
        verbose_name_plural = "groepen"
        constraints = [models.UniqueConstraint(fields=["school", "name", "school_year"], name="unique_group_per_year")]

    def __str__(self) -> str:
        return f"{self.name} ({self.school_year})"


class Pupil(models.Model):
    """A pupil (data subject). ``external_id`` is the id in the student administration."""

    school = models.ForeignKey(School, on_delete=models.PROTECT, related_name="pupils")
    group = models.ForeignKey(Group, null=True, blank=True, on_delete=models.SET_NULL, related_name="pupils")
    external_id = models.CharField("leerlingnummer", max_length=50)
    first_name = models.CharField("roepnaam", max_length=100)
    last_name = models.CharField("achternaam", max_length=150)
    date_of_birth = models.DateField("geboortedatum")
    email = models.EmailField("e-mail (16+)", blank=True)
    left_on = models.DateField("uitgeschreven op", null=True, blank=True)
    user = models.OneToOneField(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL)

    class Meta:
        verbose_name = "leerling"
        verbose_name_plural = "leerlingen"
        constraints = [models.UniqueConstraint(fields=["school", "external_id"], name="unique_pupil_per_school")]

    def __str__(self) -> str:
        return f"{self.first_name} {self.last_name}"

    def age_on(self, day: date) -> int:
        """Age in whole years on ``day``."""
        born = self.date_of_birth
        return day.year - born.year - ((day.month, day.day) < (born.month, born.day))

    def decides_own_consent(self, day: date | None = None) -> bool:
        """True from the 16th birthday on (AVG art. 8 / UAVG art. 5): the pupil decides.

        ``day``: default today in Europe/Amsterdam (``TIME_ZONE``), not the server's date."""
        return self.age_on(day or timezone.localdate()) >= 16

    def sixteenth_birthday(self) -> date:
        """The day the pupil turns 16 (29 February → 1 March)."""
        born = self.date_of_birth
        try:
            return born.replace(year=born.year + 16)
        except ValueError:
            return date(born.year + 16, 3, 1)


class Guardian(models.Model):
    """A parent or carer (ouder/verzorger) of one or more pupils."""

    board = models.ForeignKey(Board, on_delete=models.PROTECT, related_name="guardians")
    external_id = models.CharField("relatienummer", max_length=50, blank=True)
    first_name = models.CharField("voornaam", max_length=100)
    last_name = models.CharField("achternaam", max_length=150)
    email = models.EmailField("e-mail", blank=True)
    pupils = models.ManyToManyField(Pupil, through="Guardianship", related_name="guardians")
    user = models.OneToOneField(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL)

    class Meta:
        verbose_name = "ouder/verzorger"
        verbose_name_plural = "ouders/verzorgers"

    def __str__(self) -> str:
        return f"{self.first_name} {self.last_name}"


class Guardianship(models.Model):
    """The link between a guardian and a pupil."""

    RELATIONS = [("ouder", "ouder"), ("verzorger", "verzorger"), ("voogd", "voogd")]
    guardian = models.ForeignKey(Guardian, on_delete=models.CASCADE)
    pupil = models.ForeignKey(Pupil, on_delete=models.CASCADE)
    relation = models.CharField(max_length=20, choices=RELATIONS, default="ouder")

    class Meta:
        constraints = [models.UniqueConstraint(fields=["guardian", "pupil"], name="unique_guardianship")]


class StaffRole(models.Model):
    """A role of a user at a school (or, for bestuur, at the board), with function and groups taught."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="staff_roles")
    board = models.ForeignKey(Board, on_delete=models.PROTECT, related_name="staff_roles")
    school = models.ForeignKey(School, null=True, blank=True, on_delete=models.PROTECT, related_name="staff_roles")
    role = models.CharField(max_length=20, choices=Role.choices)
    function = models.CharField("functie", max_length=100, blank=True)
    groups = models.ManyToManyField(Group, blank=True, related_name="teachers")

    class Meta:
        verbose_name = "rol"
        verbose_name_plural = "rollen"
        constraints = [models.UniqueConstraint(fields=["user", "school", "role"], name="unique_role")]

    def __str__(self) -> str:
        return f"{self.get_role_display()} — {self.school or self.board}"

    def clean(self) -> None:
        """Refuse a school of another board (raises ``ValidationError`` on the field ``school``)."""
        super().clean()
        if self.school_id is None or self.board_id is None:
            return
        if not School.objects.filter(pk=self.school_id, board_id=self.board_id).exists():
            raise ValidationError({"school": "De school hoort niet bij het gekozen bestuur van deze rol. "
                                             "Kies bij ‘school’ een school van dit bestuur, of kies het juiste bestuur."})
