"""The portal's consent form: yes/no per category and media kind for one child."""

from __future__ import annotations

from collections.abc import Mapping

from django import forms

from plaatsbaar.web.consent.forms import YES_NO, add_answer_fields, chosen_answers
from plaatsbaar.web.consent.models import ConsentCategory, ConsentEvent
from plaatsbaar.web.consent.services import Key


class ChildConsentForm(forms.Form):
    """All answers for one child on one page, with the version of the explanations shown.

    Fields: ``c<category id>-<media kind>`` (``ja``/``nee``; left empty = not
    answered yet) and the hidden ``information_version``.
    """

    information_version = forms.CharField(widget=forms.HiddenInput, max_length=50)

    def __init__(self, *args, categories: list[ConsentCategory], current: Mapping[Key, ConsentEvent], information_version: str, **kwargs):
        super().__init__(*args, **kwargs)
        self.categories = categories
        self.fields["information_version"].initial = information_version
        add_answer_fields(self, categories, YES_NO, current)

    def answers(self) -> dict[Key, bool]:
        """The answers chosen (call after ``is_valid()``)."""
        return chosen_answers(self.cleaned_data, self.categories)
