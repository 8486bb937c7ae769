"""Forms of the drafts pages: a new draft, its text, a file upload, the face tags of one file and
who is heard on a recording."""

from __future__ import annotations

from datetime import datetime

from django import forms

from plaatsbaar.web.drafts.models import DraftMedia
from plaatsbaar.web.drafts.services import FIRST_YEAR, LAST_YEAR, MAX_TEXT
from plaatsbaar.web.organisation.models import Group, Pupil
from plaatsbaar.web.organisation.services import CHANNEL_LABELS

#: The value of the "onbekend" choice of a face.
UNKNOWN = "onbekend"
#: The largest id the database holds (a signed 64-bit integer): larger posted ids are no pupil.
MAX_ID = 2**63 - 1
UNKNOWN_PUPIL = "Onbekende leerling: kies een leerling uit de lijst of 'onbekend'."


def pupil_id(value: str) -> int:
    """A posted pupil id: ASCII digits only, at most :data:`MAX_ID`; raises ``ValidationError``
    ("onbekende leerling") otherwise (``"²"``, ``"-1"``, 25 nines)."""
    text = (value or "").strip()
    if not (text.isascii() and text.isdigit()) or int(text) > MAX_ID:
        raise forms.ValidationError(UNKNOWN_PUPIL, code="unknown_pupil")
    return int(text)


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

    def clean_posted_at(self) -> datetime | None:
        """Only years :data:`FIRST_YEAR` to :data:`LAST_YEAR` (time zones cannot convert year 1)."""
        moment = self.cleaned_data.get("posted_at")
        if moment is not None and not FIRST_YEAR <= moment.year <= LAST_YEAR:
            raise forms.ValidationError(f"Kies een datum tussen {FIRST_YEAR} en {LAST_YEAR}.", code="out_of_range")
        return moment


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
        for name, value in list(data.items()):
            if value and value != UNKNOWN:
                try:
                    data[name] = str(pupil_id(value))
                except forms.ValidationError as exc:
                    self.add_error(name, exc)
        return data

    def choices(self) -> dict[int, int | None]:
        """Face index → pupil id (``None``: onbekend), for the faces in the form (after ``is_valid()``)."""
        result = {}
        for index in range(len(self.draft_media.faces)):
            value = self.cleaned_data.get(f"face_{index}") or UNKNOWN
            result[index] = None if value == UNKNOWN else int(value)
        return result


class PupilIdsField(forms.MultipleChoiceField):
    """Ticked pupils (checkboxes); an id outside the choices is passed on (the service refuses it with
    its Dutch reason), one that is no database id is "onbekende leerling"."""

    widget = forms.CheckboxSelectMultiple

    def valid_value(self, value) -> bool:
        return True

    def clean(self, value) -> list[int]:
        return list(dict.fromkeys(pupil_id(v) for v in super().clean(value)))


class VoiceForm(forms.Form):
    """Who is heard on a recording: the pupils (shown with their consent for audio on the channel) and,
    besides them, only staff who agree to it or no recognisable voices at all.

    Ticking nothing says nothing: the check then treats the voices as unknown
    (no consent) and blocks the recording.
    """

    pupils = PupilIdsField(label="Leerlingen die te horen zijn", required=False)
    staff_or_none = forms.BooleanField(
        label="Verder alleen medewerkers die ermee instemmen, of geen herkenbare stemmen (zoals muziek)",
        required=False)

    def __init__(self, *args, media: DraftMedia, pupils: list[tuple[Pupil, bool]], **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["pupils"].choices = grouped_choices(pupils)
        self.fields["pupils"].initial = [str(v.pupil_id) for v in media.voices.all()]
        self.fields["staff_or_none"].initial = media.staff_or_no_voices


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
