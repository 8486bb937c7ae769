"""Consent of a set of pupils for one channel and media kind, from the live registry.

Only pupils of the school asked about are looked up; any other id (of
another school, or of nobody) is returned as unknown, so the answer never
tells whether such a pupil exists. A pupil who left the school is never
"allowed": publications stop covering pupils who left.
"""

from __future__ import annotations

from typing import Any

from django.db.models import Q

from plaatsbaar.core.vocabulary import Channel, MediaKind
from plaatsbaar.web.consent.services import registry_for
from plaatsbaar.web.organisation.models import Pupil, School


def _unique(items: list) -> list:
    return list(dict.fromkeys(items))


def lookup_consent(school: School, channel: str, media_kind: str, pupil_ids: list[int], external_ids: list[str]) -> dict[str, Any]:
    """Per pupil ``allowed``/``current``, in the order asked (pupil ids first, each pupil once),
    and the ids that are no pupil of ``school``; the shape of ``ConsentLookupResultSerializer``."""
    pupil_ids, external_ids = _unique(pupil_ids), _unique(external_ids)
    found = list(Pupil.objects.filter(Q(pk__in=pupil_ids) | Q(external_id__in=external_ids), school=school))
    by_id = {p.pk: p for p in found}
    by_external = {p.external_id: p for p in found}
    registry = registry_for(found)
    wanted = [by_id[i] for i in pupil_ids if i in by_id] + [by_external[e] for e in external_ids if e in by_external]
    answers = []
    for pupil in _unique(wanted):
        current = pupil.left_on is None
        allowed = current and registry.allows(str(pupil.pk), Channel(channel), MediaKind(media_kind))
        answers.append({"pupil_id": pupil.pk, "external_id": pupil.external_id, "allowed": allowed, "current": current})
    unknown = {
        "pupil_ids": [i for i in pupil_ids if i not in by_id],
        "external_ids": [e for e in external_ids if e not in by_external],
    }
    return {"school": school.pk, "channel": channel, "media_kind": media_kind, "pupils": answers, "unknown": unknown}
