"""The upload form of the import page."""

from __future__ import annotations

from django import forms

from plaatsbaar.web.imports.reading import MAX_BYTES
from plaatsbaar.web.imports.services import ImportRefused, check_school_year


class UploadForm(forms.Form):
    """Export file, its source and the school year its groups belong to.

    ``sources``: source id → label (from the mappings); ``cleaned_data['file']``
    becomes the file's bytes.
    """

    source = forms.ChoiceField(label="Leerlingadministratie")
    school_year = forms.CharField(label="Schooljaar", max_length=9, help_text="Bijvoorbeeld 2026-2027; de groepen horen bij dit schooljaar.")
    file = forms.FileField(label="Exportbestand (CSV)", help_text="Puntkomma- of kommagescheiden, UTF-8 of Windows-1252; hoogstens 5 MB.")

    def __init__(self, sources: dict[str, str], *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["source"].choices = list(sources.items())

    def clean_school_year(self) -> str:
        try:
            return check_school_year(self.cleaned_data["school_year"])
        except ImportRefused as exc:
            raise forms.ValidationError(str(exc)) from None

    def clean_file(self) -> bytes:
        upload = self.cleaned_data["file"]
        if upload.size > MAX_BYTES:
            raise forms.ValidationError(f"Het bestand is groter dan {MAX_BYTES // (1024 * 1024)} MB.")
        return upload.read()
