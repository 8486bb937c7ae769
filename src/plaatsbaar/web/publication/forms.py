"""Forms of the publication area: a channel of the school, who uses a class's group app."""

from __future__ import annotations

from django import forms

from plaatsbaar.web.organisation.models import Group
from plaatsbaar.web.publication.fallback import class_guardians
from plaatsbaar.web.publication.models import SchoolChannel


class ChannelForm(forms.ModelForm):
    """Add or edit a channel of the school; the channel itself is fixed once added."""

    class Meta:
        model = SchoolChannel
        fields = ["channel", "label", "always_four_eyes", "freshness_days", "active"]
        help_texts = {
            "always_four_eyes": "Elk bericht op dit kanaal gaat eerst naar de leidinggevende.",
            "freshness_days": "Waarschuw als dit kanaal langer stil is. Leeg: wat het protocol zegt.",
            "active": "Uit: het kanaal staat niet meer in de actualiteitscontrole.",
        }

    def __init__(self, *args, school, **kwargs):
        super().__init__(*args, **kwargs)
        self.school = school
        if self.instance.pk:
            self.fields["channel"].disabled = True

    def clean_channel(self):
        channel = self.cleaned_data["channel"]
        taken = SchoolChannel.objects.filter(school=self.school, channel=channel).exclude(pk=self.instance.pk)
        if taken.exists():
            raise forms.ValidationError("Dit kanaal staat al in de lijst van de school.")
        return channel


class AppUseForm(forms.Form):
    """Tick the guardians of the class who use its group app."""

    using = forms.ModelMultipleChoiceField(queryset=None, required=False, widget=forms.CheckboxSelectMultiple,
                                           label="Gebruikt de groepsapp")

    def __init__(self, *args, group: Group, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["using"].queryset = class_guardians(group)
