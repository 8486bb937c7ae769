"""Consent answer forms: one yes/no radio group per category and media kind.

Shared by the portal (guardians, pupils of 16+) and the staff's paper-form page.
A field is named ``c<category id>-<media kind>``; its value is ``ja``, ``nee``
or empty (not answered).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from django import forms

from plaatsbaar.web.consent.models import MEDIA_KINDS, ConsentCategory, ConsentEvent
from plaatsbaar.web.consent.services import Key
from plaatsbaar.web.organisation.models import Pupil

YES, NO = "ja", "nee"
YES_NO = [(YES, "ja"), (NO, "nee")]
NOT_FILLED_IN = [("", "niet ingevuld")]
KIND_LABELS = dict(MEDIA_KINDS)


def answer_field_name(category_id: int, kind: str) -> str:
    """The form field for one category and media kind, e.g. ``c3-photo``."""
    return f"c{category_id}-{kind}"


def add_answer_fields(
    form: forms.Form,
    categories: Iterable[ConsentCategory],
    choices: list[tuple[str, str]],
    current: Mapping[Key, ConsentEvent] | None = None,
) -> None:
    """Add a radio group per category and media kind to ``form``; the current
    answer (if any, from ``current``) is the initial choice."""
    current = current or {}
    for category in categories:
        for kind, kind_label in MEDIA_KINDS:
            event = current.get((category.pk, kind))
            form.fields[answer_field_name(category.pk, kind)] = forms.ChoiceField(
                label=f"{category.label}, {kind_label}",
                choices=choices,
                required=False,
                widget=forms.RadioSelect,
                initial=(YES if event.answer else NO) if event else "",
            )


def chosen_answers(cleaned_data: Mapping[str, str], categories: Iterable[ConsentCategory]) -> dict[Key, bool]:
    """(category id, media kind) → True/False for every answered field; blanks are left out."""
    chosen: dict[Key, bool] = {}
    for category in categories:
        for kind, _ in MEDIA_KINDS:
            value = cleaned_data.get(answer_field_name(category.pk, kind), "")
            if value in (YES, NO):
                chosen[(category.pk, kind)] = value == YES
    return chosen


@dataclass(frozen=True)
class KindRow:
    """One media kind of a category on a form: its radio group and the current answer."""

    kind: str
    label: str
    field: forms.BoundField
    current: ConsentEvent | None


@dataclass(frozen=True)
class CategoryRow:
    """One category on a form, with a :class:`KindRow` per media kind."""

    category: ConsentCategory
    kinds: list[KindRow]


def answer_rows(form: forms.Form, categories: Iterable[ConsentCategory], current: Mapping[Key, ConsentEvent]) -> list[CategoryRow]:
    """The form's answer fields grouped per category, for the templates."""
    return [
        CategoryRow(
            category,
            [
                KindRow(kind, label, form[answer_field_name(category.pk, kind)], current.get((category.pk, kind)))
                for kind, label in MEDIA_KINDS
            ],
        )
        for category in categories
    ]


class PaperForm(forms.Form):
    """A signed paper form entered by the school: who signed, its versions, the answers.

    ``signer`` is ``pupil`` (16+) or ``g<guardian id>`` (under 16); answers left
    "niet ingevuld" are not recorded.
    """

    signer = forms.ChoiceField(label="Ondertekend door", widget=forms.RadioSelect)
    form_version = forms.CharField(
        label="Versie van het formulier", max_length=50, help_text="Staat op het formulier, bijvoorbeeld '2025-1'."
    )
    information_version = forms.CharField(
        label="Versie van de uitleg (informatietekst)",
        max_length=50,
        required=False,
        help_text="Leeg laten als de uitleg op het formulier zelf stond: dan geldt de versie van het formulier.",
    )

    def __init__(self, *args, pupil: Pupil, signers: list[tuple[str, str]], categories: list[ConsentCategory], **kwargs):
        super().__init__(*args, **kwargs)
        self.pupil = pupil
        self.categories = categories
        self.fields["signer"].choices = signers
        if len(signers) == 1:
            self.fields["signer"].initial = signers[0][0]
        add_answer_fields(self, categories, NOT_FILLED_IN + YES_NO)

    def clean(self):
        cleaned = super().clean()
        if not self.errors and not chosen_answers(cleaned, self.categories):
            raise forms.ValidationError("Vul minstens één antwoord in (ja of nee).")
        return cleaned

    def answers(self) -> dict[Key, bool]:
        """The answers filled in (call after ``is_valid()``)."""
        return chosen_answers(self.cleaned_data, self.categories)
