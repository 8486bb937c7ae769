"""The form of the consent-category page (Dutch labels and errors)."""

from __future__ import annotations

from django import forms

from plaatsbaar.core.vocabulary import Channel
from plaatsbaar.web.consent.categories import CODE_MAX, CategoryData
from plaatsbaar.web.organisation.services import CHANNEL_LABELS

NO_CHANNEL = [("", "geen kanaal (bijvoorbeeld schoolgids of pers)")]
CHANNEL_CHOICES = NO_CHANNEL + [(c.value, CHANNEL_LABELS.get(c.value, c.value)) for c in Channel]


class CategoryForm(forms.Form):
    """Label, explanation for parents, channel and order of a category; ``with_code``
    adds the (optional) code, which can only be chosen when the category is added."""

    label = forms.CharField(label="Omschrijving", max_length=200,
                            help_text="Zoals ouders het zien, bijvoorbeeld 'Instagram-account van de school'.")
    explanation = forms.CharField(label="Uitleg voor ouders", required=False, max_length=2000,
                                  widget=forms.Textarea(attrs={"rows": 4}),
                                  help_text="In gewone taal: wat de school ermee doet en wie het kan zien.")
    channel = forms.ChoiceField(label="Kanaal", choices=CHANNEL_CHOICES, required=False,
                                help_text="Het kanaal waarvoor het toetsen van berichten deze toestemming gebruikt.")
    order = forms.IntegerField(label="Volgorde", min_value=0, max_value=100_000,
                               help_text="Lage nummers staan bovenaan, in het portaal en op de formulieren.")

    def __init__(self, *args, with_code: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        if with_code:
            self.fields["code"] = forms.SlugField(
                label="Code (voor de import)", max_length=CODE_MAX, required=False,
                help_text="Kleine letters, cijfers en streepjes; leeg laten maakt er een van de omschrijving. "
                          "Later niet meer te wijzigen.",
            )

    def clean_label(self) -> str:
        label = " ".join(self.cleaned_data["label"].split())
        if not label:
            raise forms.ValidationError("Vul een omschrijving in.")
        return label

    def clean_code(self) -> str:
        return self.cleaned_data.get("code", "").lower()

    def data_object(self) -> CategoryData:
        """The cleaned fields as :class:`CategoryData` (call after ``is_valid()``)."""
        data = self.cleaned_data
        return CategoryData(data["label"], data["explanation"].strip(), data["channel"], data["order"])
