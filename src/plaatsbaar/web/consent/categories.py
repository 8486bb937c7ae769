"""Managing a school's consent categories (every change is audited).

Rules:

- ``code`` is a slug, unique per school, chosen when the category is added
  (made from the label when left empty) and never changed afterwards: the
  audit log and the import's consent columns refer to it.
- A category that has consent events is never deleted (its answers are part
  of the consent history); it is deactivated instead. A deactivated category is
  no longer asked (portal, paper form, import) and its answers no longer count
  as consent in the checker (:func:`consent.services.registry_for`); it can be
  activated again.
- Once a category has answers, its channel may be set (where it had none) or
  removed, but not switched to another channel: a "yes" for the website is no
  "yes" for Instagram. Add a new category for the other channel instead.

Audit actions: ``category.created``, ``category.updated``, ``category.deactivated``,
``category.activated`` and ``category.deleted``; ``changes`` holds the code, the
names of the changed fields and the new label, channel and order (never text
about people).
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import Any

from django.db import IntegrityError, transaction
from django.db.models import Count, ProtectedError, QuerySet
from django.utils.text import slugify

from plaatsbaar.web.audit.services import record as audit
from plaatsbaar.web.consent.models import ConsentCategory
from plaatsbaar.web.organisation.models import School

CODE_MAX = 50


class CategoryRefused(ValueError):
    """A change to a category that is not allowed (the message is Dutch and safe to show)."""


@dataclass(frozen=True)
class CategoryData:
    """The editable fields of a category: ``channel`` is a ``Channel`` value or ``""``;
    ``order`` sorts the categories (low first)."""

    label: str
    explanation: str = ""
    channel: str = ""
    order: int = 0


def categories_with_counts(school: School) -> QuerySet[ConsentCategory]:
    """Every category of the school (also deactivated ones) in the school's order,
    annotated with ``answers``: its number of consent events (one query)."""
    return school.consent_categories.annotate(answers=Count("events")).order_by("order", "id")


def next_order(school: School) -> int:
    """An order number after every existing category (steps of 10, to leave room)."""
    orders = list(school.consent_categories.values_list("order", flat=True))
    return (max(orders) // 10 + 1) * 10 if orders else 0


def _free_code(school: School, wanted: str, label: str) -> str:
    """``wanted`` (refused when taken), or a free slug made from ``label``."""
    taken = set(school.consent_categories.values_list("code", flat=True))
    if wanted:
        if wanted in taken:
            raise CategoryRefused(f"de code '{wanted}' bestaat al bij deze school; kies een andere")
        return wanted
    base = (slugify(label) or "categorie")[: CODE_MAX - 4].strip("-") or "categorie"
    code, number = base, 2
    while code in taken:
        code, number = f"{base}-{number}", number + 1
    return code


def _audit(action: str, category: ConsentCategory, changes: dict[str, Any], actor: Any, ip: str | None) -> None:
    school = category.school
    audit(action, category, actor=actor, school_id=school.pk, board_id=school.board_id,
          changes={"code": category.code, **changes}, ip=ip)


def _shown(data: CategoryData, fields: list[str]) -> dict[str, Any]:
    """The new values to keep in the audit log (the explanation only by name: it is long)."""
    values = asdict(data)
    return {name: values[name] for name in fields if name != "explanation"}


@transaction.atomic
def create_category(school: School, data: CategoryData, *, code: str = "", actor: Any, ip: str | None = None) -> ConsentCategory:
    """Add an active category to ``school``; raises :class:`CategoryRefused` for a code that is taken."""
    chosen = _free_code(school, code.strip(), data.label)
    try:
        with transaction.atomic():
            category = ConsentCategory.objects.create(school=school, code=chosen, **asdict(data))
    except IntegrityError:
        raise CategoryRefused(f"de code '{chosen}' bestaat al bij deze school; kies een andere") from None
    fields = ["label", "explanation", "channel", "order"]
    _audit("category.created", category, {"fields": fields, **_shown(data, fields)}, actor, ip)
    return category


def _check_channel_change(category: ConsentCategory, channel: str) -> None:
    switched = category.channel and channel and channel != category.channel
    if switched and category.events.exists():
        raise CategoryRefused(
            "deze categorie heeft al antwoorden van ouders of leerlingen, dus het kanaal kan niet naar een ander "
            "kanaal worden veranderd (toestemming voor het ene kanaal geldt niet voor het andere); "
            "voeg een nieuwe categorie toe en zet deze uit"
        )


@transaction.atomic
def update_category(category: ConsentCategory, data: CategoryData, *, actor: Any, ip: str | None = None) -> list[str]:
    """Change label, explanation, channel and order; returns the names of the changed fields
    (nothing is saved or audited when none changed). Raises :class:`CategoryRefused`
    (channel switch of a category with answers; rules in the module docstring)."""
    _check_channel_change(category, data.channel)
    wanted = asdict(data)
    changed = [name for name, value in wanted.items() if getattr(category, name) != value]
    if not changed:
        return []
    for name in changed:
        setattr(category, name, wanted[name])
    category.save(update_fields=changed)
    _audit("category.updated", category, {"fields": changed, **_shown(data, changed)}, actor, ip)
    return changed


@transaction.atomic
def set_active(category: ConsentCategory, active: bool, *, actor: Any, ip: str | None = None) -> bool:
    """Activate or deactivate a category; returns False (no audit entry) when it already was so."""
    if category.active == active:
        return False
    category.active = active
    category.save(update_fields=["active"])
    _audit("category.activated" if active else "category.deactivated", category, {"active": active}, actor, ip)
    return True


@transaction.atomic
def delete_category(category: ConsentCategory, *, actor: Any, ip: str | None = None) -> None:
    """Delete a category that has no consent events; raises :class:`CategoryRefused` when it has
    (deactivate it instead: its answers are history)."""
    if category.events.exists():
        raise CategoryRefused("deze categorie heeft al antwoorden en wordt daarom niet verwijderd; zet hem uit")
    _audit("category.deleted", category, {"label": category.label}, actor, ip)
    try:
        with transaction.atomic():
            category.delete()
    except ProtectedError:  # an answer arrived in the meantime
        raise CategoryRefused("deze categorie heeft al antwoorden en wordt daarom niet verwijderd; zet hem uit") from None
