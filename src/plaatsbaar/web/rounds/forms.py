"""Forms of the rounds area (Dutch labels and errors)."""

from __future__ import annotations

import re

from django import forms
from django.utils import timezone

from plaatsbaar.web.consent.models import MEDIA_KINDS
from plaatsbaar.web.rounds.models import DEFAULT_REMINDER_AFTER_DAYS

SCHOOL_YEAR = re.compile(r"^(\d{4})-(\d{4})$")


class OpenRoundForm(forms.Form):
    """Open a round: school year, deadline, versions of form and information text, reminder interval."""

    school_year = forms.CharField(label="Schooljaar", max_length=9, help_text="bijvoorbeeld 2026-2027")
    deadline = forms.DateField(label="Uiterste datum voor antwoorden", widget=forms.DateInput(attrs={"type": "date"}))
    form_version = forms.CharField(label="Versie van het formulier", max_length=50, initial="1")
    information_version = forms.CharField(label="Versie van de informatietekst", max_length=50, initial="1")
    reminder_after_days = forms.IntegerField(
        label="Herinnering na (dagen)", min_value=1, max_value=60, initial=DEFAULT_REMINDER_AFTER_DAYS,
        help_text="Wie nog niet antwoordde, krijgt op zijn vroegst zoveel dagen na de vorige e-mail een herinnering.",
    )

    def clean_school_year(self) -> str:
        value = self.cleaned_data["school_year"].strip()
        match = SCHOOL_YEAR.match(value)
        if not match or int(match[2]) != int(match[1]) + 1:
            raise forms.ValidationError("Schrijf het schooljaar als 2026-2027.")
        return value

    def clean_deadline(self):
        value = self.cleaned_data["deadline"]
        if value < timezone.localdate():
            raise forms.ValidationError("De uiterste datum ligt in het verleden.")
        return value


class NoPhotoForm(forms.Form):
    """Which list to export: one category or all with a channel, and the media kind."""

    categorie = forms.ChoiceField(label="Onderdeel", required=False)
    soort = forms.ChoiceField(label="Soort opname", choices=MEDIA_KINDS, required=False)

    def __init__(self, *args, categories=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["categorie"].choices = [("", "alle kanalen (website, nieuwsbrief, sociale media)")] + [(c.code, c.label) for c in categories]
