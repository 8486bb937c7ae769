"""The closed vocabulary shared by posts, protocols and detectors.

Everything a protocol file may name lives here: activities, channels, accounts,
roles, settings, media kinds, verdicts, fix actions and the *facts* that
detectors establish about a post. A protocol that names anything else fails
validation on load. Nothing here is evaluated as code.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import Enum


class Activity(str, Enum):
    """What the author is about to do."""

    POST = "post"
    REPLY = "reply"
    MESSAGE = "message"
    CONNECTION = "connection"


class Channel(str, Enum):
    """Where it goes out."""

    FACEBOOK = "facebook"
    INSTAGRAM = "instagram"
    X = "x"
    YOUTUBE = "youtube"
    LINKEDIN = "linkedin"
    SNAPCHAT = "snapchat"
    TIKTOK = "tiktok"
    WEBSITE = "website"
    NEWSLETTER = "newsletter"
    GROUP_APP = "group_app"
    EMAIL = "email"
    BLOG = "blog"


class Account(str, Enum):
    """Whose account is used."""

    SCHOOL = "school"
    PERSONAL = "personal"
    PROFESSIONAL = "professional"


class Role(str, Enum):
    """The common roles; each protocol maps its own words onto these."""

    STAFF = "staff"
    MANAGER = "manager"
    BOARD = "board"
    PUPIL = "pupil"
    PARENT = "parent"
    OTHER = "other"


class Setting(str, Enum):
    """Whether the author acts in a work situation or privately."""

    WORK = "work"
    PRIVATE = "private"


class MediaKind(str, Enum):
    """Kinds of media attached to a post."""

    PHOTO = "photo"
    VIDEO = "video"
    AUDIO = "audio"


class MediaSource(str, Enum):
    """Who made the media: the author/school, or someone else."""

    OWN = "own"
    THIRD_PARTY = "third_party"


class Verdict(str, Enum):
    """Verdicts from mild to severe; the overall verdict is the most severe."""

    ALLOW = "allow"
    REVISE = "revise"
    REVIEW = "review"
    BLOCK = "block"

    @property
    def severity(self) -> int:
        """0 (allow) to 3 (block)."""
        return list(Verdict).index(self)

    @property
    def dutch(self) -> str:
        """The verdict as shown to a Dutch user."""
        return _VERDICT_DUTCH[self]


_VERDICT_DUTCH = {
    Verdict.ALLOW: "toegestaan",
    Verdict.REVISE: "aanpassen",
    Verdict.REVIEW: "overleggen met leidinggevende",
    Verdict.BLOCK: "niet plaatsen",
}


class FixAction(str, Enum):
    """What the tool can do (or tell) to make a post publishable.

    - ``redact``: remove the text spans that made the rule fire.
    - ``blur_faces``: blur every face not covered by a consenting tagged person.
    - ``append_text``: add the rule's ``text`` (a disclaimer, the author's function).
    - ``consult_manager``: ask the leidinggevende before publishing.
    - ``remove_media``: leave the media out.
    """

    REDACT = "redact"
    BLUR_FACES = "blur_faces"
    APPEND_TEXT = "append_text"
    CONSULT_MANAGER = "consult_manager"
    REMOVE_MEDIA = "remove_media"


#: Channel groups a rule may name instead of listing channels one by one.
CHANNEL_GROUPS: dict[str, frozenset[Channel]] = {
    "social_media": frozenset(
        {
            Channel.FACEBOOK,
            Channel.INSTAGRAM,
            Channel.X,
            Channel.YOUTUBE,
            Channel.LINKEDIN,
            Channel.SNAPCHAT,
            Channel.TIKTOK,
            Channel.BLOG,
            Channel.GROUP_APP,
        }
    ),
    "public": frozenset(
        {
            Channel.FACEBOOK,
            Channel.INSTAGRAM,
            Channel.X,
            Channel.YOUTUBE,
            Channel.LINKEDIN,
            Channel.TIKTOK,
            Channel.BLOG,
            Channel.WEBSITE,
        }
    ),
    "any": frozenset(Channel),
}


@dataclass(frozen=True)
class FactSpec:
    """One fact a detector may establish: its name, value type and meaning.

    ``kind`` is ``bool``, ``count`` (int >= 0) or ``choice`` (one of ``choices``).
    """

    name: str
    kind: str
    meaning: str
    choices: tuple[str, ...] = ()


def _choice(name: str, enum: type[Enum], meaning: str) -> FactSpec:
    return FactSpec(name, "choice", meaning, tuple(e.value for e in enum))


_FACTS: list[FactSpec] = [
    # --- the post itself
    _choice("post.activity", Activity, "post, reply, message or connection"),
    _choice("post.channel", Channel, "the channel it goes out on"),
    _choice("post.account", Account, "school, personal or professional account"),
    _choice("post.author_role", Role, "the author's role"),
    _choice("post.setting", Setting, "work or private situation"),
    _choice("post.recipient_role", Role, "role of the recipient (message, connection)"),
    FactSpec("post.during_lesson", "bool", "posted during a lesson"),
    FactSpec("post.during_work_hours", "bool", "posted during working hours"),
    FactSpec("post.in_school_hours", "bool", "posted_at in school hours, during_lesson not given"),
    FactSpec("post.permission", "bool", "school leadership or a teacher gave permission"),
    FactSpec("post.has_text", "bool", "the post has text"),
    FactSpec("post.has_media", "bool", "the post has media"),
    FactSpec("post.reply_to_pupil_or_parent", "bool", "a reply to a pupil or parent"),
    # --- what the text says about itself and the school
    FactSpec("text.about_school", "bool", "the text is about the school or its people"),
    FactSpec("text.personal_title", "bool", "the text says it is a personal opinion"),
    FactSpec("text.states_function", "bool", "the text names the author's function or school"),
    FactSpec("text.opinion", "bool", "the text states an opinion"),
    FactSpec("text.informal", "bool", "chat-speak, kisses, over-popular language"),
    FactSpec("text.question", "bool", "the text asks a question"),
    FactSpec("text.absence_notice", "bool", "a sick note or leave request"),
    FactSpec("text.negative", "bool", "complaint or negative sentiment about the school"),
    FactSpec("text.confidential", "bool", "confidential school matters"),
    FactSpec("text.private_life", "bool", "holiday, party or drinking cues"),
    FactSpec("text.doubt", "bool", "the author says they are unsure"),
    FactSpec("text.correction", "bool", "the text corrects a factual inaccuracy"),
    # --- the message being replied to
    FactSpec("thread.abusive", "bool", "the message replied to is abusive or threatening"),
    FactSpec("thread.negative", "bool", "the message replied to is negative or a complaint"),
    FactSpec("thread.about_school", "bool", "the message replied to is about the school"),
    # --- Dutch personal data in the text
    FactSpec("personal_data.pupil_name", "count", "names of pupils"),
    FactSpec("personal_data.parent_name", "count", "names of parents or guardians"),
    FactSpec("personal_data.staff_name", "count", "names of staff (juf/meester …)"),
    FactSpec("personal_data.person_name", "count", "names of any person"),
    FactSpec("personal_data.address", "count", "street addresses, postcodes"),
    FactSpec("personal_data.phone", "count", "phone numbers"),
    FactSpec("personal_data.email", "count", "e-mail addresses"),
    FactSpec("personal_data.bsn", "count", "BSN numbers (elfproef)"),
    FactSpec("personal_data.birth_date", "count", "dates of birth"),
    FactSpec("personal_data.age", "count", "a person's age"),
    FactSpec("personal_data.special_category", "count", "health, religion, origin … (AVG art. 9)"),
    FactSpec("personal_data.contact", "count", "address, phone, e-mail, BSN or birth date"),
    # --- abusive language
    FactSpec("abuse.insult", "count", "insults, belittling, bullying"),
    FactSpec("abuse.profanity", "count", "profanity, schuttingtaal"),
    FactSpec("abuse.threat", "count", "threats"),
    FactSpec("abuse.defamation", "count", "defamation, smearing (zwartmaken)"),
    FactSpec("abuse.discrimination", "count", "discrimination"),
    FactSpec("abuse.radicalisation", "count", "radicalisation, extremism"),
    FactSpec("abuse.sexual", "count", "sexual intimidation"),
    FactSpec("abuse.any", "count", "any abusive language"),
    # --- media
    FactSpec("media.photos", "count", "photos attached"),
    FactSpec("media.videos", "count", "videos attached"),
    FactSpec("media.audio", "count", "audio recordings attached"),
    FactSpec("media.faces", "count", "faces detected in photos and videos"),
    FactSpec("media.faces_to_blur", "count", "faces not covered by a consenting tagged person"),
    FactSpec("media.people_without_consent", "count", "tagged people without consent for this channel and kind"),
    FactSpec("media.single_child_photos", "count", "photos that show one child alone"),
    FactSpec("media.audio_without_consent", "count", "recordings with sound of people without consent"),
    FactSpec("media.third_party", "count", "media made by someone else"),
]

FACTS: dict[str, FactSpec] = {spec.name: spec for spec in _FACTS}


def expand_channels(names: list[str]) -> frozenset[Channel]:
    """Expand channel ids and group names (``social_media``, ``public``, ``any``).

    Raises ``ValueError`` naming the unknown entry.
    """
    channels: set[Channel] = set()
    for name in names:
        if name in CHANNEL_GROUPS:
            channels |= CHANNEL_GROUPS[name]
        else:
            try:
                channels.add(Channel(name))
            except ValueError:
                known = ", ".join([c.value for c in Channel] + list(CHANNEL_GROUPS))
                raise ValueError(f"onbekend kanaal {name!r}; bekend: {known}") from None
    return frozenset(channels)
