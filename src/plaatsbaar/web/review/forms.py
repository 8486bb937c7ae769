"""Forms of the review area (Dutch labels).

Whether a comment is required is the workflow's rule (send back and reject
need one); these forms only bound the input.
"""

from __future__ import annotations

from django import forms

COMMENT_MAX = 2000  # characters


class SubmitForm(forms.Form):
    """The author offers the latest version to the leidinggevende; ``unsure``: "bij twijfel"."""

    unsure = forms.BooleanField(label="Ik twijfel: laat de leidinggevende meekijken", required=False)
    comment = forms.CharField(label="Toelichting voor de leidinggevende (niet verplicht)", required=False,
                              max_length=COMMENT_MAX, widget=forms.Textarea(attrs={"rows": 2}))


class DecisionForm(forms.Form):
    """A reviewer's comment with a decision (required for sending back and rejecting)."""

    comment = forms.CharField(label="Toelichting", required=False, max_length=COMMENT_MAX,
                              widget=forms.Textarea(attrs={"rows": 3}))
