"""Forms of the check page: step 1 chooses channel and class, step 2 is the draft itself."""

from __future__ import annotations

from django import forms
from django.utils import timezone

from plaatsbaar.core.vocabulary import Channel
from plaatsbaar.web.checks.services import Draft, DraftPhoto, PupilConsent
from plaatsbaar.web.organisation.models import Group
from plaatsbaar.web.organisation.services import ACCOUNT_LABELS, CHANNEL_LABELS

#: How many photos one check takes.
PHOTO_SLOTS = 3
MAX_TEXT = 10_000
CHANNEL_CHOICES = [(c.value, CHANNEL_LABELS[c.value]) for c in Channel]
ACTIVITY_CHOICES = [("post", "Een bericht plaatsen"), ("reply", "Reageren op een bericht")]
REPLY_AUTHOR_CHOICES = [("", "weet ik niet / iemand anders"), ("parent", "een ouder/verzorger"), ("pupil", "een leerling"),
                        ("staff", "een collega")]
ACCOUNT_CHOICES = [(value, label) for value, label in ACCOUNT_LABELS.items()]


class SetupForm(forms.Form):
    """Step 1: the channel (consent is per channel) and the class whose pupils can be tagged."""

    channel = forms.ChoiceField(label="Kanaal", choices=CHANNEL_CHOICES, initial=Channel.FACEBOOK.value)
    group = forms.ModelChoiceField(label="Groep/klas", queryset=Group.objects.none(), required=False,
                                   empty_label="geen leerlingen taggen")

    def __init__(self, data, groups, initial_group: Group | None):
        super().__init__(data, initial={"group": initial_group})
        self.fields["group"].queryset = groups

    def choice(self) -> tuple[str, Group | None]:
        """The chosen channel and class; the defaults when the data is missing or invalid."""
        if self.is_bound and self.is_valid():
            return self.cleaned_data["channel"], self.cleaned_data["group"]
        return self.fields["channel"].initial, self.initial.get("group")


class DraftForm(forms.Form):
    """Step 2: the draft. Needs text or a photo; pupils are tagged per photo from the class."""

    activity = forms.ChoiceField(label="Wat wil je doen?", choices=ACTIVITY_CHOICES, initial="post")
    account = forms.ChoiceField(label="Vanaf welk account?", choices=ACCOUNT_CHOICES, initial="school")
    text = forms.CharField(label="Tekst", required=False, max_length=MAX_TEXT, widget=forms.Textarea(attrs={"rows": 6}))
    reply_text = forms.CharField(label="Het bericht waarop je reageert (alleen bij reageren)", required=False,
                                 max_length=MAX_TEXT, widget=forms.Textarea(attrs={"rows": 3}))
    reply_author = forms.ChoiceField(label="Van wie is dat bericht?", choices=REPLY_AUTHOR_CHOICES,
                                     required=False)
    function = forms.CharField(label="Je functie (voor ondertekening)", required=False, max_length=100)
    posted_at = forms.DateTimeField(label="Wanneer plaats je het? (leeg: nog niet bekend)", required=False,
                                    widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"))
    permission = forms.BooleanField(label="De schoolleiding of leerkracht heeft toestemming gegeven", required=False)
    unsure = forms.BooleanField(label="Ik twijfel of dit mag", required=False)

    def __init__(self, *args, pupils: list[PupilConsent], **kwargs):
        super().__init__(*args, **kwargs)
        choices = [(str(pc.pupil.pk), pc.label) for pc in pupils]
        for number in range(1, PHOTO_SLOTS + 1):
            self.fields[f"photo_{number}"] = forms.FileField(label=f"Foto {number}", required=False)
            self.fields[f"tagged_{number}"] = forms.MultipleChoiceField(
                label=f"Leerlingen op foto {number}", choices=choices, required=False, widget=forms.CheckboxSelectMultiple
            )

    def draft_fields(self) -> list[forms.BoundField]:
        """The fields about the message itself (not the photo slots), for the template."""
        return [self[name] for name in self.fields if not name.startswith(("photo_", "tagged_"))]

    def photo_slots(self) -> list[tuple[forms.BoundField, forms.BoundField]]:
        """``(photo field, tagged field)`` per slot, for the template."""
        return [(self[f"photo_{n}"], self[f"tagged_{n}"]) for n in range(1, PHOTO_SLOTS + 1)]

    def clean(self):
        data = super().clean()
        photos = [n for n in range(1, PHOTO_SLOTS + 1) if data.get(f"photo_{n}")]
        if not (data.get("text") or "").strip() and not photos:
            raise forms.ValidationError("Schrijf een tekst of kies een foto om te toetsen.")
        for number in range(1, PHOTO_SLOTS + 1):
            if data.get(f"tagged_{number}") and number not in photos:
                self.add_error(f"photo_{number}", f"Je hebt leerlingen aangevinkt bij foto {number}, maar geen foto gekozen.")
        return data

    def draft(self, channel: str) -> Draft:
        """The cleaned data as a :class:`Draft` for ``channel`` (call after ``is_valid()``)."""
        data = self.cleaned_data
        posted_at = data.get("posted_at")
        photos = [
            DraftPhoto(n, data[f"photo_{n}"], [int(pid) for pid in data.get(f"tagged_{n}", [])])
            for n in range(1, PHOTO_SLOTS + 1)
            if data.get(f"photo_{n}")
        ]
        return Draft(
            channel=channel,
            account=data["account"],
            activity=data["activity"],
            text=data.get("text", ""),
            reply_text=data.get("reply_text", ""),
            reply_author=data.get("reply_author") or "other",
            function=data.get("function", ""),
            posted_at=timezone.localtime(posted_at).replace(tzinfo=None) if posted_at else None,
            permission=data.get("permission", False),
            unsure=data.get("unsure", False),
            photos=photos,
        )
