"""Forms of the drafts pages: a new draft, its text, a file upload and the face tags of one file."""

from __future__ import annotations

from django import forms

from plaatsbaar.web.drafts.models import DraftMedia
from plaatsbaar.web.drafts.services import MAX_TEXT
from plaatsbaar.web.organisation.models import Group, Pupil
from plaatsbaar.web.organisation.services import CHANNEL_LABELS

#: The value of the "onbekend" choice of a face.
UNKNOWN = "onbekend"


class NewDraftForm(forms.Form):
    """Channel (of the school) and, optionally, the class the message is about."""

    channel = forms.ChoiceField(label="Kanaal")
    group = forms.ModelChoiceField(label="Groep/klas", queryset=Group.objects.none(), required=False,
                                   empty_label="geen groep")

    def __init__(self, *args, channels: list[str], groups, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["channel"].choices = [(c, CHANNEL_LABELS.get(c, c)) for c in channels]
        self.fields["group"].queryset = groups


class TextForm(forms.Form):
    """The message itself: text, the author's function (for signing) and when it will be posted."""

    text = forms.CharField(label="Tekst", required=False, max_length=MAX_TEXT, widget=forms.Textarea(attrs={"rows": 6}))
    function = forms.CharField(label="Je functie (voor ondertekening)", required=False, max_length=100)
    posted_at = forms.DateTimeField(label="Wanneer plaats je het? (leeg: nog niet bekend)", required=False,
                                    widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"))


class UploadForm(forms.Form):
    """One photo, video or recording."""

    file = forms.FileField(label="Foto, film of geluidsopname",
                           widget=forms.ClearableFileInput(attrs={"accept": "image/*,video/*,audio/*"}))


class TagForm(forms.Form):
    """Per face of one file a choice: "onbekend" or a pupil (shown with their consent).

    The choices only offer the pupils the user may tag; a posted id outside
    them is passed on, so that the service refuses it with its Dutch reason.
    """

    def __init__(self, *args, media: DraftMedia, pupils: list[tuple[Pupil, bool]], **kwargs):
        super().__init__(*args, **kwargs)
        self.draft_media = media
        choices = [(UNKNOWN, "onbekend"), *grouped_choices(pupils)]
        current = {t.face: t.pupil_id for t in media.tags.all()}
        for index in range(len(media.faces)):
            initial = current.get(index)
            self.fields[f"face_{index}"] = forms.CharField(
                label=f"Gezicht {index + 1}", required=False, initial=str(initial) if initial else UNKNOWN,
                widget=forms.Select(choices=choices),
            )

    def clean(self):
        data = super().clean()
        for name, value in data.items():
            if value and value != UNKNOWN and not value.isdigit():
                self.add_error(name, "Kies een leerling of 'onbekend'.")
        return data

    def choices(self) -> dict[int, int | None]:
        """Face index → pupil id (``None``: onbekend), for the faces in the form (after ``is_valid()``)."""
        result = {}
        for index in range(len(self.draft_media.faces)):
            value = self.cleaned_data.get(f"face_{index}") or UNKNOWN
            result[index] = None if value == UNKNOWN else int(value)
        return result


def consent_label(pupil: Pupil, consent: bool) -> str:
    """"Sem de Vries — toestemming: ja"."""
    return f"{pupil.first_name} {pupil.last_name} — toestemming: {'ja' if consent else 'nee'}"


def grouped_choices(pupils: list[tuple[Pupil, bool]]) -> list[tuple[str, list[tuple[str, str]]]]:
    """Select choices per class (an ``<optgroup>`` each), in the order given."""
    groups: dict[str, list[tuple[str, str]]] = {}
    for pupil, consent in pupils:
        name = pupil.group.name if pupil.group_id else "zonder groep"
        groups.setdefault(name, []).append((str(pupil.pk), consent_label(pupil, consent)))
    return list(groups.items())
