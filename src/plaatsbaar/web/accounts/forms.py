"""The code form of the second factor."""

from django import forms


class CodeForm(forms.Form):
    """A six-digit code from the authenticator app."""

    code = forms.RegexField(
        label="Code uit je authenticator-app",
        regex=r"^\s*\d{6}\s*$",
        error_messages={"invalid": "Vul de zes cijfers uit je app in."},
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "one-time-code", "maxlength": "8", "autofocus": True}),
    )
