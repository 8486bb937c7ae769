"""The post.* facts: what the post's own fields say (no detection involved)."""

from __future__ import annotations

from datetime import time

from plaatsbaar.core.findings import Evidence, Fact
from plaatsbaar.core.post import Post
from plaatsbaar.core.vocabulary import Activity, Role

_PUPIL_OR_PARENT = (Role.PUPIL, Role.PARENT)
_DAYS = ("maandag", "dinsdag", "woensdag", "donderdag", "vrijdag", "zaterdag", "zondag")


def _in_school_hours(post: Post, school_hours: tuple[str, str]) -> bool:
    """True when ``posted_at`` is on a weekday between the school hours (local time as
    written) and the post does not say whether it was during a lesson."""
    if post.during_lesson is not None or post.posted_at is None or post.posted_at.weekday() >= 5:
        return False
    start, end = (time.fromisoformat(t) for t in school_hours)
    return start <= post.posted_at.time().replace(tzinfo=None) <= end


def _replies_to_pupil_or_parent(post: Post) -> bool:
    if post.activity is Activity.REPLY and post.in_reply_to is not None:
        return post.in_reply_to.author_role in _PUPIL_OR_PARENT
    if post.activity is Activity.MESSAGE and post.recipient is not None:
        return post.recipient.role in _PUPIL_OR_PARENT
    return False


def post_facts(post: Post, school_hours: tuple[str, str]) -> list[Fact]:
    """The post.* facts of ``post``; ``school_hours`` is ("HH:MM", "HH:MM").

    ``post.during_lesson``/``post.during_work_hours`` are as given (unset when
    the post does not say); ``post.in_school_hours`` is derived from
    ``posted_at`` only when ``during_lesson`` is not given, so that a rule can
    ask the author to confirm. ``unsure`` (the "bij twijfel" button) sets
    ``text.doubt``.
    """
    hours = _in_school_hours(post, school_hours)
    facts = [
        Fact("post.activity", post.activity.value),
        Fact("post.channel", post.channel.value),
        Fact("post.account", post.account.value),
        Fact("post.author_role", post.author.role.value),
        Fact("post.setting", post.effective_setting.value),
        Fact("post.recipient_role", post.recipient.role.value if post.recipient else None),
        Fact("post.during_lesson", post.during_lesson, _flag("tijdens de les", post.during_lesson)),
        Fact("post.during_work_hours", post.during_work_hours, _flag("tijdens werktijd", post.during_work_hours)),
        Fact("post.in_school_hours", hours, _posted_at(post) if hours else []),
        Fact("post.permission", post.permission),
        Fact("post.has_text", bool(post.text.strip())),
        Fact("post.has_media", bool(post.media)),
        Fact("post.reply_to_pupil_or_parent", _replies_to_pupil_or_parent(post)),
    ]
    if post.unsure:  # the author pressed "bij twijfel": the same as saying so in the text
        facts.append(Fact("text.doubt", True, [Evidence("auteur twijfelt", "bij twijfel", source="bericht")]))
    return facts


def _flag(label: str, value: bool | None) -> list[Evidence]:
    return [Evidence(label, "ja", source="bericht")] if value else []


def _posted_at(post: Post) -> list[Evidence]:
    when = post.posted_at
    stamp = f"{_DAYS[when.weekday()]} {when:%d-%m-%Y %H:%M}" if when else ""
    return [Evidence("geplaatst op", stamp, source="bericht")]
