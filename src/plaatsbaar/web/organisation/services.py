"""The school's protocol: loading a version, activating a new one (audited), showing it.

A school has exactly one active :class:`ProtocolVersion`: one of the shipped
protocols (by id) or its own YAML, validated by the engine before anything is
saved. Older versions are kept (deactivated) as the version history.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from django.db import transaction
from django.http import Http404

from plaatsbaar.core.protocol.loader import (
    ProtocolError,
    ProtocolProblem,
    builtin_protocol_dir,
    builtin_protocol_ids,
    load_protocol,
    parse_protocol,
)
from plaatsbaar.core.protocol.model import Protocol
from plaatsbaar.web.audit.services import record as audit
from plaatsbaar.web.organisation.models import ProtocolVersion, School
from plaatsbaar.web.organisation.policy import Policy

#: The largest protocol file accepted for upload (the shipped ones are below 100 kB).
MAX_PROTOCOL_BYTES = 1_000_000



def visible_school(policy: Policy, school_id: int) -> School:
    """The school with ``school_id`` when the user has a role there; else :class:`Http404`
    (another school's existence is not revealed)."""
    school = School.objects.select_related("board").filter(pk=school_id).first()
    if school is None or not policy.can_view_school(school):
        raise Http404("school niet gevonden")
    return school


@lru_cache(maxsize=16)
def builtin_protocol(protocol_id: str) -> Protocol:
    """A shipped protocol by id (validated, cached: the files never change at run time).

    Raises :class:`ProtocolError` for an id that is not shipped (never reads other paths).
    """
    if protocol_id not in builtin_protocol_ids():
        raise ProtocolError(protocol_id, [ProtocolProblem(None, "", "onbekend meegeleverd protocol")])
    return load_protocol(builtin_protocol_dir() / f"{protocol_id}.yaml")


@lru_cache(maxsize=32)
def _parse_cached(text: str) -> Protocol:
    return parse_protocol(text, "eigen protocol")


def load_version(version: ProtocolVersion) -> Protocol:
    """The validated protocol of ``version``; raises :class:`ProtocolError`."""
    if version.builtin_id:
        return builtin_protocol(version.builtin_id)
    return _parse_cached(version.yaml_text)


def builtin_options() -> list[tuple[str, str]]:
    """``(id, "title — organisation")`` of every shipped protocol, for a choice field."""
    options = []
    for protocol_id in builtin_protocol_ids():
        protocol = builtin_protocol(protocol_id)
        options.append((protocol_id, f"{protocol.title} — {protocol.organisation}"))
    return options


def read_upload(upload) -> str:
    """The text of an uploaded protocol file (a Django ``UploadedFile``: ``name``, ``size``, ``read()``).

    Raises :class:`ProtocolError` (Dutch) for a file that is too large or not UTF-8
    (naming the line of the first bad byte).
    """
    if upload.size > MAX_PROTOCOL_BYTES:
        problem = f"bestand is te groot (meer dan {MAX_PROTOCOL_BYTES // 1_000_000} MB)"
        raise ProtocolError(upload.name, [ProtocolProblem(None, "", problem)])
    data = upload.read()
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise ProtocolError(upload.name, [ProtocolProblem(line, "", "geen UTF-8-tekst; sla het bestand op als UTF-8")]) from None


@transaction.atomic
def activate_protocol(
    school: School,
    *,
    actor: Any,
    builtin_id: str = "",
    yaml_text: str = "",
    note: str = "",
    ip: str | None = None,
) -> ProtocolVersion:
    """Make a shipped protocol (``builtin_id``) or the school's own YAML the active one.

    Exactly one of ``builtin_id``/``yaml_text`` is given. The protocol is validated
    first; on :class:`ProtocolError` nothing is saved. The previous version is
    deactivated and kept. Audited as ``protocol.activated`` (protocol id, version
    ids; never the YAML itself). Raises ``ValueError`` when both or neither are given.
    """
    if bool(builtin_id) == bool(yaml_text.strip()):
        raise ValueError("kies een meegeleverd protocol of upload een eigen protocol (precies één)")
    protocol = builtin_protocol(builtin_id) if builtin_id else parse_protocol(yaml_text, "eigen protocol")
    School.objects.select_for_update().filter(pk=school.pk).first()  # one activation per school at a time
    previous = school.active_protocol()
    ProtocolVersion.objects.filter(school=school, active=True).update(active=False)
    version = ProtocolVersion.objects.create(
        school=school,
        builtin_id=builtin_id,
        yaml_text="" if builtin_id else yaml_text,
        note=note,
        active=True,
        created_by=actor if hasattr(actor, "get_username") else None,
    )
    changes = {
        "protocol": protocol.id,
        "source": "builtin" if builtin_id else "upload",
        "previous_version": previous.pk if previous else None,
    }
    audit("protocol.activated", version, actor=actor, school_id=school.pk, board_id=school.board_id, changes=changes, ip=ip)
    return version


def protocol_history(school: School) -> list[ProtocolVersion]:
    """Every version of the school's protocol, newest first."""
    return list(school.protocol_versions.select_related("created_by").order_by("-created_at", "-pk"))


@dataclass(frozen=True)
class Section:
    """Articles of one section of a protocol, in order (for display)."""

    title: str
    articles: list


def sections(protocol: Protocol) -> list[Section]:
    """The protocol's articles grouped by section, in the protocol's order."""
    grouped: dict[str, list] = {}
    for article in protocol.articles:
        grouped.setdefault(article.section, []).append(article)
    return [Section(title, articles) for title, articles in grouped.items()]


#: Dutch words for the vocabulary's values, as shown to staff.
CHANNEL_LABELS = {
    "facebook": "Facebook", "instagram": "Instagram", "x": "X (Twitter)", "youtube": "YouTube",
    "linkedin": "LinkedIn", "snapchat": "Snapchat", "tiktok": "TikTok", "website": "website",
    "newsletter": "nieuwsbrief", "group_app": "klassen-/groepsapp", "email": "e-mail", "blog": "blog",
    "social_media": "sociale media", "public": "openbare kanalen", "any": "alle kanalen",
}
ACTIVITY_LABELS = {"post": "bericht plaatsen", "reply": "reageren", "message": "privébericht", "connection": "connectieverzoek"}
ACCOUNT_LABELS = {"school": "schoolaccount", "personal": "privéaccount", "professional": "zakelijk account"}
ROLE_LABELS = {
    "staff": "medewerkers", "manager": "leidinggevenden", "board": "bestuur",
    "pupil": "leerlingen", "parent": "ouders", "other": "anderen",
}
SETTING_LABELS = {"work": "werksituatie", "private": "privésituatie"}


def _words(values, labels: dict[str, str]) -> str:
    return ", ".join(labels.get(getattr(v, "value", v), str(getattr(v, "value", v))) for v in values)


def describe_scope(rule) -> str:
    """Where a rule applies, in Dutch ("alle situaties" when its ``applies_to`` is empty)."""
    scope = rule.applies_to
    parts = [
        (scope.activities, "bij", ACTIVITY_LABELS),
        (scope.channels, "op", CHANNEL_LABELS),
        (scope.accounts, "met", ACCOUNT_LABELS),
        (scope.author_roles, "door", ROLE_LABELS),
        (scope.settings, "in", SETTING_LABELS),
        (scope.recipient_roles, "aan", ROLE_LABELS),
    ]
    text = "; ".join(f"{word} {_words(values, labels)}" for values, word, labels in parts if values)
    return text or "alle situaties"
