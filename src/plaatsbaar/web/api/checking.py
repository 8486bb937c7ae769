"""The check endpoint's work: which protocol, then the engine's verdict as JSON-ready data.

The same engine as ``plaatsbaar check`` and the check page
(:class:`~plaatsbaar.core.checker.Checker`, :func:`~plaatsbaar.core.fixes.revise_text`);
with a school, its active protocol and its people (for name detection).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.core.exceptions import PermissionDenied

from plaatsbaar.core.checker import Checker
from plaatsbaar.core.findings import Finding
from plaatsbaar.core.fixes import revise_text
from plaatsbaar.core.post import Post
from plaatsbaar.core.protocol.model import Protocol
from plaatsbaar.core.roster import Roster
from plaatsbaar.web.checks.services import ADVICE, CheckRefused, school_protocol, school_roster
from plaatsbaar.web.organisation.policy import Policy
from plaatsbaar.web.organisation.services import builtin_protocol, visible_school

NO_STAFF_ROLE = "Alleen medewerkers van een school kunnen berichten toetsen."
NOT_ALLOWED = "Je hebt bij deze school geen rol waarmee je berichten toetst."


class NoProtocol(ValueError):
    """The school has no (valid) protocol; the message is Dutch."""


@dataclass(frozen=True)
class CheckBasis:
    """The protocol to check against and, with a school, its people for name detection."""

    protocol: Protocol
    roster: Roster | None


def check_basis(policy: Policy, school_id: int | None, protocol_id: str | None) -> CheckBasis:
    """The school's active protocol and roster, or a shipped protocol (no roster).

    Raises ``Http404`` for a school the user has no role at, ``PermissionDenied``
    for a user without the right (:meth:`Policy.can_check_drafts`; with a shipped
    protocol: any staff role), :class:`NoProtocol` for a school without protocol.
    """
    if school_id is None:
        if not policy.schools().exists():
            raise PermissionDenied(NO_STAFF_ROLE)
        return CheckBasis(builtin_protocol(protocol_id), None)
    school = visible_school(policy, school_id)
    if not policy.can_check_drafts(school):
        raise PermissionDenied(NOT_ALLOWED)
    try:
        protocol = school_protocol(school)
    except CheckRefused as exc:
        raise NoProtocol(str(exc)) from None
    return CheckBasis(protocol, school_roster(school))


def check_post(post: Post, basis: CheckBasis) -> dict[str, Any]:
    """The verdict on ``post`` (no media) in the shape of ``CheckResultSerializer``."""
    result = Checker(basis.protocol, roster=basis.roster).check(post)
    revised = revise_text(post.text, result.findings)
    protocol = basis.protocol
    return {
        "id": post.id,
        "protocol": {"id": protocol.id, "title": protocol.title, "organisation": protocol.organisation},
        "verdict": result.verdict.value,
        "verdict_label": result.verdict.dutch,
        "advice": ADVICE[result.verdict],
        "findings": [finding_data(f, protocol) for f in result.findings],
        "revised_text": revised,
        "text_changed": revised != post.text,
    }


def finding_data(finding: Finding, protocol: Protocol) -> dict[str, Any]:
    """One finding with the verbatim text of each article it cites."""
    data = finding.to_json()
    data["articles"] = [{"id": a, "text": protocol.article(a).text} for a in finding.articles]
    return data
