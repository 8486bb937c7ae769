"""A draft post, reply, message or connection request, as given in JSON."""

from __future__ import annotations

import json
from datetime import datetime
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

from plaatsbaar.core.vocabulary import Account, Activity, Channel, MediaKind, MediaSource, Role, Setting

_STRICT = ConfigDict(extra="forbid")


class PostError(ValueError):
    """A post that cannot be checked; the message names the file/line and field."""


class TaggedPerson(BaseModel):
    """A person tagged by staff in a photo, video or recording.

    ``box`` is optional: ``[x, y, width, height]`` in pixels of the original
    image, to say which face is this person's.
    """

    model_config = _STRICT
    id: str = Field(min_length=1)
    role: Role = Role.PUPIL
    box: tuple[float, float, float, float] | None = None


class MediaItem(BaseModel):
    """An attached file; ``path`` is relative to the JSON file."""

    model_config = _STRICT
    path: str = Field(min_length=1)
    kind: MediaKind = MediaKind.PHOTO
    source: MediaSource = MediaSource.OWN
    people: list[TaggedPerson] = Field(default_factory=list)


class Author(BaseModel):
    """Who writes it: role and, for staff, function (e.g. 'leerkracht groep 5')."""

    model_config = _STRICT
    role: Role = Role.STAFF
    function: str | None = None


class InReplyTo(BaseModel):
    """The message being replied to."""

    model_config = _STRICT
    text: str = ""
    author_role: Role = Role.OTHER


class Recipient(BaseModel):
    """The person a message or connection request goes to."""

    model_config = _STRICT
    role: Role = Role.OTHER


class Post(BaseModel):
    """What is checked. One of ``text``, ``media`` or ``activity: connection`` is required.

    Defaults: a post on a school account, by staff, in a work setting.
    """

    model_config = _STRICT
    id: str | None = None
    activity: Activity = Activity.POST
    channel: Channel = Channel.FACEBOOK
    account: Account = Account.SCHOOL
    author: Author = Field(default_factory=Author)  # a factory: no deep copy of a default per post
    setting: Setting | None = None
    posted_at: datetime | None = None
    during_lesson: bool | None = None
    during_work_hours: bool | None = None
    permission: bool = False
    unsure: bool = False
    text: str = ""
    in_reply_to: InReplyTo | None = None
    recipient: Recipient | None = None
    media: list[MediaItem] = Field(default_factory=list)
    expected: dict[str, Any] | None = Field(default=None, description="examples only: the expected verdict")

    @model_validator(mode="after")
    def _something_to_check(self) -> "Post":
        if not self.text.strip() and not self.media and self.activity is not Activity.CONNECTION:
            raise ValueError("een bericht heeft 'text', 'media' of activity 'connection' nodig")
        return self

    @property
    def effective_setting(self) -> Setting:
        """``setting`` as given; otherwise work for school accounts, private for personal ones."""
        if self.setting is not None:
            return self.setting
        return Setting.PRIVATE if self.account is Account.PERSONAL else Setting.WORK


def _describe(error: ValidationError) -> str:
    parts = []
    for item in error.errors():
        field = ".".join(str(x) for x in item["loc"]) or "bericht"
        parts.append(f"veld {field}: {item['msg'].removeprefix('Value error, ')}")
    return "; ".join(parts)


def parse_post(data: Any, where: str) -> Post:
    """Validate one post (already-decoded JSON); ``where`` names it in errors.

    Raises :class:`PostError`.
    """
    if not isinstance(data, dict):
        raise PostError(f"{where}: verwacht een JSON-object, geen {type(data).__name__}")
    try:
        return Post.model_validate(data)
    except ValidationError as exc:
        raise PostError(f"{where}: {_describe(exc)}") from None


def _read_text(path: Path) -> str:
    try:
        return path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise PostError(f"{path}: bestand niet gevonden") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise PostError(f"{path}: kan bestand niet lezen ({exc.__class__.__name__})") from None


def _decode(text: str, where: str) -> Any:
    try:
        return json.loads(text)
    except json.JSONDecodeError as exc:
        raise PostError(f"{where}, regel {exc.lineno}, kolom {exc.colno}: geen geldige JSON ({exc.msg})") from None


def load_post(path: Path) -> Post:
    """The post in a ``.json`` file; raises :class:`PostError` naming the file and line."""
    text = _read_text(path)
    return parse_post(_decode(text, str(path)), str(path))


def load_batch(path: Path) -> list[Post | PostError]:
    """The posts of a ``.jsonl`` file, one per non-empty line, in order.

    A bad line gives a :class:`PostError` in its place (the rest is still
    checked: nothing is lost); a missing/unreadable or empty file raises it.
    """
    items: list[Post | PostError] = []
    for number, line in enumerate(_read_text(path).splitlines(), start=1):
        if not line.strip():
            continue
        where = f"{path}, regel {number}"
        try:
            items.append(parse_post(_decode(line, where), where))
        except PostError as exc:
            items.append(exc)
    if not items:
        raise PostError(f"{path}: geen berichten in dit bestand")
    return items
