"""Forms for choosing or uploading the school's protocol."""

from __future__ import annotations

from django import forms

from plaatsbaar.web.organisation.services import builtin_options

NOTE_HELP = "Bijvoorbeeld: vastgesteld door de MR op 12 maart."


class BuiltinProtocolForm(forms.Form):
    """Choose one of the shipped protocols."""

    builtin_id = forms.ChoiceField(label="Meegeleverd protocol", choices=())
    note = forms.CharField(label="Toelichting", max_length=300, required=False, help_text=NOTE_HELP)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["builtin_id"].choices = builtin_options()


class UploadProtocolForm(forms.Form):
    """Upload the school's own protocol (YAML); validated by the engine in the service."""

    yaml_file = forms.FileField(label="Eigen protocol (YAML-bestand)")
    note = forms.CharField(label="Toelichting", max_length=300, required=False, help_text=NOTE_HELP)
