"""Dutch wording of audit entries for the privacy officer's page (the CSV export keeps the codes).

``changes`` of an entry hold codes (``{"answer": true, "media": "photo"}``);
:func:`describe_changes` turns them into "antwoord: ja; soort opname: foto".
Unknown codes (category codes, ids) are shown as they are.
"""

from __future__ import annotations

from typing import Any

#: Object types (model names) in plain Dutch.
OBJECT_LABELS = {
    "consentevent": "toestemmingsmoment", "consentcategory": "toestemmingscategorie", "pupil": "leerling",
    "guardian": "ouder/verzorger", "guardianship": "koppeling ouder–leerling", "group": "groep", "school": "school",
    "board": "bestuur", "staffrole": "rol", "protocolversion": "protocolversie", "consentround": "toestemmingsronde",
    "totpdevice": "authenticator-app", "draft": "concept", "draftmedia": "beeld of geluid van een concept",
    "publication": "publicatie", "schoolchannel": "kanaal", "groupappmember": "deelnemer groepsapp",
    "takedown": "verwijderverzoek", "apitoken": "API-sleutel",
}

#: Keys and code values of ``changes`` in plain Dutch.
WORDS = {
    "category": "categorie", "media": "soort opname", "answer": "antwoord", "by": "door", "method": "hoe",
    "photo": "foto", "video": "film", "audio": "geluid", "pupil": "leerling", "guardian": "ouder/verzorger",
    "portal": "portaal", "paper": "papier", "source": "bron", "builtin": "meegeleverd", "upload": "eigen bestand",
    "previous_version": "vorige versie", "kind": "soort", "external_id": "nummer", "group": "groep", "fields": "velden",
    "name": "naam", "school_year": "schooljaar", "deadline": "uiterste datum", "form_version": "formulierversie",
    "information_version": "versie informatietekst", "reminder_after_days": "herinnering na (dagen)",
    "sent": "verstuurd", "failed": "mislukt", "without_address": "zonder e-mailadres", "holder": "voor",
    "delivery": "hoe", "show": "getoond", "mail": "gemaild", "relation": "relatie", "label": "omschrijving",
    "explanation": "uitleg", "channel": "kanaal", "order": "volgorde", "active": "actief", "model": "soort",
    "via": "via", "beheer": "beheer", "lines": "regels", "imported": "ingelezen", "refused": "geweigerd",
    "missing": "niet in bestand", "consent": "toestemming", "recorded": "vastgelegd", "unchanged": "ongewijzigd",
    "not_taken": "niet overgenomen", "created": "nieuw", "updated": "gewijzigd", "pupils": "leerlingen",
    "groups": "groepen", "guardians": "ouders/verzorgers", "guardianships": "koppelingen", "invitation": "uitnodiging",
    "reminder": "herinnering", "first_name": "voornaam", "last_name": "achternaam", "date_of_birth": "geboortedatum",
    "email": "e-mail", "left_on": "uitgeschreven op", "role": "rol", "function": "functie", "user": "account",
    "protocol": "protocol", "code": "code", "note": "toelichting",
    "cause": "oorzaak", "user_deleted": "account verwijderd", "role_deleted": "rol verwijderd",
}


def object_label(object_type: str) -> str:
    """The Dutch name of an object type, e.g. ``consentevent`` → 'toestemmingsmoment'."""
    return OBJECT_LABELS.get(object_type, object_type)


def _value(value: Any) -> str:
    if value is True:
        return "ja"
    if value is False:
        return "nee"
    if value is None:
        return "—"
    if isinstance(value, dict):
        return ", ".join(f"{WORDS.get(k, k)} {_value(v)}" for k, v in value.items())
    if isinstance(value, list):
        return ", ".join(_value(v) for v in value)
    return WORDS.get(value, str(value)) if isinstance(value, str) else str(value)


def describe_changes(changes: dict[str, Any]) -> str:
    """The changes of an entry in Dutch: "antwoord: ja; soort opname: foto"."""
    return "; ".join(f"{WORDS.get(key, key)}: {_value(value)}" for key, value in changes.items())
