"""The API's JSON shapes: request validation (Dutch field errors) and the documented answers.

Requests are strict: a field the API does not know is an error (a typo such
as ``permision`` must not be ignored silently), as in the core post format.
The post of the check endpoint mirrors :class:`plaatsbaar.core.post.Post`
without ``media``; media are not accepted over the API.
"""

from __future__ import annotations

from collections.abc import Mapping
from enum import Enum

from rest_framework import serializers
from rest_framework.exceptions import ValidationError

from plaatsbaar.core.protocol.loader import builtin_protocol_ids
from plaatsbaar.core.vocabulary import Account, Activity, Channel, FixAction, MediaKind, Role, Setting, Verdict
from plaatsbaar.web.drafts.models import DraftStatus
from plaatsbaar.web.drafts.services import MAX_TEXT as DRAFT_MAX_TEXT
from plaatsbaar.web.review.models import Step

MAX_ID = 2**63 - 1  # the largest database id; larger numbers are refused, not looked up
MAX_TEXT = DRAFT_MAX_TEXT  # characters of a post's text, as on the drafts pages
MAX_PUPILS = 500  # ids per consent lookup
UNKNOWN_FIELD = "Onbekend veld."
NO_MEDIA = "Media (foto's, video, geluid) worden via de API niet aangenomen; laat 'media' weg."


def values(enum: type[Enum]) -> list[str]:
    """The values of a vocabulary enum, as choices."""
    return [member.value for member in enum]


def database_id(**kwargs) -> serializers.IntegerField:
    """An id field: a positive integer that fits the database."""
    return serializers.IntegerField(min_value=1, max_value=MAX_ID, **kwargs)


#: Years a post may be planned in; outside them a time cannot be a post's (and year 1 overflows time zones).
PLANNED_YEARS = (2000, 2100)


class PlannedTimeField(serializers.DateTimeField):
    """``posted_at``: an ISO 8601 time within :data:`PLANNED_YEARS` (Dutch field error otherwise).

    Django REST framework's own field raises ``OverflowError`` (a 500) for a
    naive time in year 1; this one answers 400.
    """

    def to_internal_value(self, value):
        try:
            parsed = super().to_internal_value(value)
        except OverflowError:
            parsed = None
        if parsed is None or not PLANNED_YEARS[0] <= parsed.year <= PLANNED_YEARS[1]:
            raise ValidationError(f"Kies een tijdstip tussen {PLANNED_YEARS[0]} en {PLANNED_YEARS[1]}.")
        return parsed


def planned_time(**kwargs) -> PlannedTimeField:
    """An optional ``posted_at`` field (see :class:`PlannedTimeField`)."""
    return PlannedTimeField(required=False, allow_null=True, **kwargs)


def body_text(**kwargs) -> serializers.CharField:
    """A post text, kept exactly as sent (evidence offsets point into it)."""
    return serializers.CharField(trim_whitespace=False, max_length=MAX_TEXT, **kwargs)


class StrictSerializer(serializers.Serializer):
    """A request serializer that refuses fields it does not know (400, per field)."""

    unknown_messages: dict[str, str] = {}

    def to_internal_value(self, data):
        unknown = {}
        if isinstance(data, Mapping):
            unknown = {key: [self.unknown_messages.get(key, UNKNOWN_FIELD)] for key in data if key not in self.fields}
        try:
            value = super().to_internal_value(data)
        except ValidationError as exc:
            if isinstance(exc.detail, dict):
                raise ValidationError({**exc.detail, **unknown}) from None
            raise
        if unknown:
            raise ValidationError(unknown)
        return value


# --- the post (core.post.Post without media) -------------------------------------------------


class AuthorSerializer(StrictSerializer):
    """Who writes it: role and, for staff, function (e.g. 'leerkracht groep 5')."""

    role = serializers.ChoiceField(choices=values(Role), required=False, help_text="standaard: staff")
    function = serializers.CharField(required=False, allow_null=True, allow_blank=True, max_length=200)


class InReplyToSerializer(StrictSerializer):
    """The message replied to and the role of its writer."""

    text = body_text(required=False, allow_blank=True)
    author_role = serializers.ChoiceField(choices=values(Role), required=False, help_text="standaard: other")


class RecipientSerializer(StrictSerializer):
    """The person a message or connection request goes to."""

    role = serializers.ChoiceField(choices=values(Role), required=False, help_text="standaard: other")


class PostSerializer(StrictSerializer):
    """A draft post, reply, message or connection request, as in ``examples/*.json`` without ``media``."""

    unknown_messages = {"media": NO_MEDIA}

    id = serializers.CharField(required=False, allow_null=True, max_length=200)
    activity = serializers.ChoiceField(choices=values(Activity), required=False, help_text="standaard: post")
    channel = serializers.ChoiceField(choices=values(Channel), required=False, help_text="standaard: facebook")
    account = serializers.ChoiceField(choices=values(Account), required=False, help_text="standaard: school")
    author = AuthorSerializer(required=False)
    setting = serializers.ChoiceField(choices=values(Setting), required=False, allow_null=True)
    posted_at = planned_time()
    during_lesson = serializers.BooleanField(required=False, allow_null=True)
    during_work_hours = serializers.BooleanField(required=False, allow_null=True)
    permission = serializers.BooleanField(required=False)
    unsure = serializers.BooleanField(required=False)
    text = body_text(required=False, allow_blank=True)
    in_reply_to = InReplyToSerializer(required=False, allow_null=True)
    recipient = RecipientSerializer(required=False, allow_null=True)
    expected = serializers.DictField(required=False, allow_null=True, help_text="alleen in voorbeelden; wordt genegeerd")


class CheckSerializer(StrictSerializer):
    """What to check and against which protocol: ``school`` (its active protocol, and its
    people for name detection) or ``protocol`` (a shipped one), exactly one of them."""

    school = database_id(required=False, allow_null=True)
    protocol = serializers.ChoiceField(choices=builtin_protocol_ids(), required=False, allow_null=True)
    post = PostSerializer()

    def validate(self, attrs):
        if (attrs.get("school") is None) == (attrs.get("protocol") is None):
            raise ValidationError("Geef precies één van 'school' (het protocol van de school) of 'protocol' op.")
        return attrs


# --- the check's answer -----------------------------------------------------------------------


class ArticleSerializer(serializers.Serializer):
    """An article of the protocol: its id and verbatim text."""

    id = serializers.CharField()
    text = serializers.CharField()


class EvidenceSerializer(serializers.Serializer):
    """What made the rule fire: a label ('naam leerling'), the text found and where
    (character offsets into ``source``: ``text`` or ``in_reply_to``)."""

    label = serializers.CharField()
    text = serializers.CharField(allow_blank=True)
    start = serializers.IntegerField(allow_null=True)
    end = serializers.IntegerField(allow_null=True)
    source = serializers.CharField()


class FixSerializer(serializers.Serializer):
    """The change the finding asks for; ``applied`` when ``revised_text`` already has it."""

    action = serializers.ChoiceField(choices=values(FixAction))
    description = serializers.CharField()
    text = serializers.CharField(allow_null=True)
    applied = serializers.BooleanField()


class CheckFindingSerializer(serializers.Serializer):
    """A rule of the protocol that fired."""

    rule = serializers.CharField()
    title = serializers.CharField(allow_blank=True)
    verdict = serializers.ChoiceField(choices=values(Verdict))
    message = serializers.CharField()
    articles = ArticleSerializer(many=True)
    evidence = EvidenceSerializer(many=True)
    fix = FixSerializer(allow_null=True)


class ProtocolInfoSerializer(serializers.Serializer):
    """The protocol the post was checked against."""

    id = serializers.CharField()
    title = serializers.CharField()
    organisation = serializers.CharField()


class CheckResultSerializer(serializers.Serializer):
    """The verdict (allow, revise, review, block), the findings and the text with the fixes applied."""

    id = serializers.CharField(allow_null=True, help_text="het id van het bericht, als dat is meegestuurd")
    protocol = ProtocolInfoSerializer()
    verdict = serializers.ChoiceField(choices=values(Verdict))
    verdict_label = serializers.CharField(help_text="het oordeel in het Nederlands")
    advice = serializers.CharField()
    findings = CheckFindingSerializer(many=True)
    revised_text = serializers.CharField(allow_blank=True)
    text_changed = serializers.BooleanField()


# --- consent lookup ---------------------------------------------------------------------------


class ConsentLookupSerializer(StrictSerializer):
    """Pupils of one school, by our id and/or the student administration's number (``external_ids``)."""

    school = database_id()
    channel = serializers.ChoiceField(choices=values(Channel))
    media_kind = serializers.ChoiceField(choices=values(MediaKind), default=MediaKind.PHOTO.value)
    pupil_ids = serializers.ListField(child=database_id(), required=False, max_length=MAX_PUPILS)
    external_ids = serializers.ListField(child=serializers.CharField(max_length=50), required=False, max_length=MAX_PUPILS)

    def validate(self, attrs):
        if not attrs.get("pupil_ids") and not attrs.get("external_ids"):
            raise ValidationError("Geef minstens één leerling op in 'pupil_ids' of 'external_ids'.")
        return attrs


class PupilConsentSerializer(serializers.Serializer):
    """One pupil's answer: ``allowed`` only with consent for this channel and media kind
    and while the pupil is at the school (``current``)."""

    pupil_id = serializers.IntegerField()
    external_id = serializers.CharField()
    allowed = serializers.BooleanField()
    current = serializers.BooleanField(help_text="false: de leerling is uitgeschreven (dan nooit toegestaan)")


class UnknownPupilsSerializer(serializers.Serializer):
    """Ids that are no pupil of this school (whether they exist elsewhere is not said)."""

    pupil_ids = serializers.ListField(child=serializers.IntegerField())
    external_ids = serializers.ListField(child=serializers.CharField())


class ConsentLookupResultSerializer(serializers.Serializer):
    """Per pupil whether they may be shown, in the order asked; unknown ids apart."""

    school = serializers.IntegerField()
    channel = serializers.ChoiceField(choices=values(Channel))
    media_kind = serializers.ChoiceField(choices=values(MediaKind))
    pupils = PupilConsentSerializer(many=True)
    unknown = UnknownPupilsSerializer()


# --- drafts -----------------------------------------------------------------------------------


class DraftCreateSerializer(StrictSerializer):
    """A new draft with its first version: school, channel, optional class, text."""

    school = database_id()
    channel = serializers.ChoiceField(choices=values(Channel))
    group = database_id(required=False, allow_null=True, help_text="de groep/klas waar het bericht over gaat")
    text = body_text()
    function = serializers.CharField(required=False, allow_blank=True, max_length=100)
    posted_at = planned_time()

    def validate_text(self, value: str) -> str:
        if not value.strip():
            raise ValidationError("De tekst is leeg.")
        return value


class DraftListQuerySerializer(serializers.Serializer):
    """Filters of the draft list (all optional) and the page (``limit``, ``offset``)."""

    school = database_id(required=False)
    status = serializers.ChoiceField(choices=DraftStatus.choices, required=False)
    limit = serializers.IntegerField(required=False, min_value=1, max_value=200, default=50)
    offset = serializers.IntegerField(required=False, min_value=0, max_value=MAX_ID, default=0)


class DraftFindingSerializer(serializers.Serializer):
    """A finding as stored with a draft version (evidence as Dutch text)."""

    verdict = serializers.ChoiceField(choices=values(Verdict))
    title = serializers.CharField(allow_blank=True)
    message = serializers.CharField()
    articles = ArticleSerializer(many=True)
    evidence = serializers.ListField(child=serializers.CharField())
    fix = serializers.CharField(allow_null=True)
    fix_applied = serializers.BooleanField()


class DraftVersionSerializer(serializers.Serializer):
    """One saved, checked version."""

    number = serializers.IntegerField()
    verdict = serializers.ChoiceField(choices=values(Verdict))
    text = serializers.CharField(allow_blank=True)
    revised_text = serializers.CharField(allow_blank=True)
    created_at = serializers.DateTimeField()
    created_by = serializers.CharField(allow_null=True)


class ReviewStepSerializer(serializers.Serializer):
    """One step of the review: who, when, which version; ``reasons`` for submissions."""

    step = serializers.ChoiceField(choices=Step.choices)
    label = serializers.CharField()
    version = serializers.IntegerField(help_text="het versienummer")
    reasons = serializers.ListField(child=serializers.CharField())
    comment = serializers.CharField(allow_blank=True)
    actor = serializers.CharField()
    at = serializers.DateTimeField()


class DraftSummarySerializer(serializers.Serializer):
    """A draft in a list: where it stands."""

    id = serializers.IntegerField()
    school = serializers.IntegerField()
    channel = serializers.ChoiceField(choices=values(Channel))
    group = serializers.IntegerField(allow_null=True)
    author = serializers.CharField(allow_null=True)
    status = serializers.ChoiceField(choices=DraftStatus.choices)
    status_label = serializers.CharField()
    verdict = serializers.ChoiceField(choices=values(Verdict), allow_null=True, help_text="van de nieuwste versie")
    created_at = serializers.DateTimeField()
    updated_at = serializers.DateTimeField()


class DraftDetailSerializer(DraftSummarySerializer):
    """A draft with the findings and revised text of its newest version, all versions and the review steps."""

    findings = DraftFindingSerializer(many=True)
    revised_text = serializers.CharField(allow_blank=True)
    versions = DraftVersionSerializer(many=True)
    steps = ReviewStepSerializer(many=True)


class DraftPageSerializer(serializers.Serializer):
    """A page of drafts, newest change first."""

    count = serializers.IntegerField()
    limit = serializers.IntegerField()
    offset = serializers.IntegerField()
    results = DraftSummarySerializer(many=True)


# --- errors -----------------------------------------------------------------------------------


class ErrorSerializer(serializers.Serializer):
    """Every error: a Dutch message; for 400 also ``errors``, messages per field path."""

    detail = serializers.CharField()
    errors = serializers.DictField(child=serializers.ListField(child=serializers.CharField()), required=False)
