"""Consent columns of an export → the school's consent categories; cells → answers.

A column "Toestemming website" holds ja/nee for the category whose code or
label is "website". A general column ("Toestemming beeldmateriaal") holds
either "nee" (no to every category), or answers per category in one cell
("website: ja, facebook: nee"). A bare "ja" in a general column is not taken
over: consent must be given per purpose (AVG art. 4 punt 11 and art. 7).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from plaatsbaar.web.consent.models import ConsentCategory
from plaatsbaar.web.imports.lines import Column
from plaatsbaar.web.imports.mappings import SourceMapping, normalise_heading

YES = {"ja", "j", "yes", "y", "1", "true", "waar", "x", "akkoord", "toestemming"}
NO = {"nee", "n", "no", "0", "false", "onwaar", "geen toestemming", "geen"}


@dataclass(frozen=True)
class ConsentPlan:
    """Which column answers for which category (``specific``: heading → category),
    which columns answer for all (``general``), and warnings about ignored columns."""

    specific: dict[str, ConsentCategory]
    general: tuple[str, ...]
    by_name: dict[str, ConsentCategory]
    warnings: list[str] = field(default_factory=list)


@dataclass
class LineAnswers:
    """The answers of one line: category id → yes/no, plus reasons (refuse) and notices."""

    answers: dict[int, bool] = field(default_factory=dict)
    reasons: list[str] = field(default_factory=list)
    notices: list[str] = field(default_factory=list)


def plan_consent(mapping: SourceMapping, columns: tuple[Column, ...], categories: list[ConsentCategory]) -> ConsentPlan:
    """Match the consent columns to the school's active ``categories`` (by code or label)."""
    by_name: dict[str, ConsentCategory] = {}
    for category in categories:
        by_name.setdefault(normalise_heading(category.code), category)
        by_name.setdefault(normalise_heading(category.label), category)
    general_words = {normalise_heading(w) for w in mapping.general_consent}
    prefix_length = len(normalise_heading(mapping.consent_prefix))
    specific: dict[str, ConsentCategory] = {}
    general: list[str] = []
    warnings: list[str] = []
    for column in columns:
        name = normalise_heading(column.heading)[prefix_length:].strip()
        if name in general_words:
            general.append(column.heading)
        elif name in by_name:
            specific[column.heading] = by_name[name]
        else:
            known = ", ".join(sorted(c.code for c in categories)) or "geen"
            warnings.append(f"kolom '{column.heading}' genegeerd: de school heeft geen toestemmingscategorie "
                            f"'{name}' (bekende codes: {known})")
    return ConsentPlan(specific, tuple(general), by_name, warnings)


def line_answers(plan: ConsentPlan, cells: dict[str, str]) -> LineAnswers:
    """The answers in one line's consent cells; general columns first, specific columns win."""
    result = LineAnswers()
    for heading in plan.general:
        if heading in cells:
            _general_cell(plan, heading, cells[heading], result)
    for heading, category in plan.specific.items():
        if heading in cells:
            answer = yes_or_no(cells[heading])
            if answer is None:
                result.reasons.append(f"onbekende waarde '{cells[heading][:30]}' in kolom '{heading}' (verwacht ja of nee)")
            else:
                result.answers[category.pk] = answer
    return result


def yes_or_no(value: str) -> bool | None:
    """``True`` for ja, ``False`` for nee (and their usual spellings), else ``None``."""
    word = " ".join(value.split()).casefold()
    return True if word in YES else False if word in NO else None


def _general_cell(plan: ConsentPlan, heading: str, value: str, result: LineAnswers) -> None:
    answer = yes_or_no(value)
    if answer is False:
        result.answers.update({c.pk: False for c in set(plan.by_name.values())})
        return
    if answer is True:
        result.notices.append(f"algemene 'ja' in kolom '{heading}' niet overgenomen: toestemming geldt per doel "
                              "(geef per categorie ja of nee)")
        return
    for item in (part.strip() for part in re.split(r"[,;|]", value) if part.strip()):
        name, _, raw = item.replace("=", ":").rpartition(":")
        category = plan.by_name.get(normalise_heading(name))
        given = yes_or_no(raw)
        if category is None or given is None:
            result.reasons.append(f"onbegrijpelijk antwoord '{item[:40]}' in kolom '{heading}' "
                                  "(verwacht 'nee' of per categorie, bijv. 'website: ja, facebook: nee')")
            continue
        result.answers[category.pk] = given
