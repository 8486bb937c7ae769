"""Importing an export of the student administration (the only way an import changes data).

:func:`import_file` reads a CSV export (see :mod:`.mappings`), refuses each
bad line with its line number and reason, and upserts the rest:

- groups by (school, name, school year);
- pupils by (school, leerlingnummer): updated, never duplicated; a pupil of
  the school missing from the file is reported ("niet in bestand"), never deleted;
- guardians by (board, relatienummer), else (board, e-mail + name), else by
  name among the pupil's guardians; guardianships are added, never removed;
- consent through :func:`consent.services.record_answer` with method
  ``import``, given by the first guardian on the line, and only where the
  answer differs from the current state. Consent events are never deleted.
  Not taken over (a notice says so): answers for a pupil of 16 or older
  (the pupil decides), answers that contradict one a guardian or pupil gave
  directly (portal or paper: that answer stays), lines without a guardian.

A dry run does all of this in a transaction that is rolled back, so it
reports exactly what the import would do. Every change is audited
(``person.created``, ``person.updated``, ``group.created``,
``guardianship.created``/``updated``, ``consent.*``, and ``import.run``).
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

from django.db import DatabaseError, transaction
from django.db.models import Q
from django.utils import timezone

from plaatsbaar.web.audit.services import record as audit
from plaatsbaar.web.consent.models import ConsentCategory, Method
from plaatsbaar.web.consent.services import Answer, ConsentRefused, current_state, record_answer
from plaatsbaar.web.imports.consent_columns import ConsentPlan, line_answers, plan_consent
from plaatsbaar.web.imports.lines import GuardianLine, PupilLine, known_headings, parse_line, resolve_columns
from plaatsbaar.web.imports.mappings import MappingError, SourceMapping, get_mapping
from plaatsbaar.web.imports.models import PendingImport
from plaatsbaar.web.imports.reading import FileRefused, LineProblem, decode, read_table
from plaatsbaar.web.organisation.models import Group, Guardian, Guardianship, Pupil, School

KIND_LABELS = {"pupils": "leerlingen", "groups": "groepen", "guardians": "ouders/verzorgers", "guardianships": "koppelingen ouder–leerling"}
MEDIA_LABELS = {"photo": "foto", "video": "film", "audio": "geluid"}
STATUS_ORDER = {"unchanged": 0, "updated": 1, "created": 2}
PENDING_LIFETIME = timedelta(days=1)


class ImportRefused(ValueError):
    """The import cannot start: unknown source, bad school year, broken mapping file."""


def check_school_year(value: str) -> str:
    """``value`` when it is a school year like '2025-2026'; raises :class:`ImportRefused`."""
    match = re.fullmatch(r"(\d{4})-(\d{4})", value.strip())
    if not match or int(match[2]) != int(match[1]) + 1:
        raise ImportRefused(f"ongeldig schooljaar {value!r}: schrijf het als 2025-2026")
    return value.strip()


def current_school_year(today: date | None = None) -> str:
    """The school year of ``today`` (a new one starts on 1 August)."""
    today = today or timezone.localdate()
    start = today.year if today.month >= 8 else today.year - 1
    return f"{start}-{start + 1}"


@dataclass
class Tally:
    """How many of one kind were created, updated or left unchanged."""

    created: int = 0
    updated: int = 0
    unchanged: int = 0


@dataclass(frozen=True)
class MissingPupil:
    """A pupil of the school that the file does not mention (kept, only reported)."""

    external_id: str
    name: str
    group: str


@dataclass
class ImportSummary:
    """What an import did (or, for a dry run, would do).

    ``tallies``: kind (pupils, groups, guardians, guardianships) → :class:`Tally`,
    each object counted once; ``consent_*``: answers (per category and media
    kind) recorded, already equal, or not taken over; ``refused``: lines not
    imported; ``notices``: lines imported with a remark; ``warnings``: about
    the file (ignored columns); ``file_refused``: set when nothing could be read.
    """

    source: str
    source_label: str
    school_year: str
    dry_run: bool
    lines: int = 0
    imported_lines: int = 0
    tallies: dict[str, Tally] = field(default_factory=lambda: {kind: Tally() for kind in KIND_LABELS})
    consent_recorded: int = 0
    consent_unchanged: int = 0
    consent_not_taken: int = 0
    refused: list[LineProblem] = field(default_factory=list)
    notices: list[LineProblem] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    missing: list[MissingPupil] = field(default_factory=list)
    file_refused: LineProblem | None = None

    @property
    def usable(self) -> bool:
        """False when the file as a whole was refused."""
        return self.file_refused is None

    def rows(self) -> list[tuple[str, Tally]]:
        """(Dutch label, tally) per kind, for display."""
        return [(KIND_LABELS[kind], tally) for kind, tally in self.tallies.items()]

    def problems(self) -> list[LineProblem]:
        """Every refused line (the file-level refusal first), in line order."""
        head = [self.file_refused] if self.file_refused else []
        return head + sorted(self.refused, key=lambda p: p.line)

    def counts(self) -> dict[str, Any]:
        """Numbers only (for the audit log)."""
        return {
            "lines": self.lines, "imported": self.imported_lines, "refused": len(self.refused),
            **{kind: vars(t) for kind, t in self.tallies.items()},
            "consent": {"recorded": self.consent_recorded, "unchanged": self.consent_unchanged, "not_taken": self.consent_not_taken},
            "missing": len(self.missing),
        }


@dataclass
class _ConsentCount:
    """Consent answers of one line: recorded, already equal, not taken over."""

    recorded: int = 0
    unchanged: int = 0
    not_taken: int = 0


@dataclass
class _Context:
    """One run: where, by whom, and the object statuses of the line being applied."""

    school: School
    school_year: str
    mapping: SourceMapping
    actor: Any
    ip: str | None
    today: date
    plan: ConsentPlan | None = None
    categories: dict[int, ConsentCategory] = field(default_factory=dict)
    statuses: dict[tuple[str, int], str] = field(default_factory=dict)
    known: dict[tuple[str, int], str] = field(default_factory=dict)

    def audit(self, action: str, obj, changes: dict) -> None:
        audit(action, obj, actor=self.actor, school_id=self.school.pk, board_id=self.school.board_id, changes=changes, ip=self.ip)


class _DryRun(Exception):
    """Raised to roll back a dry run; carries the summary."""

    def __init__(self, summary: ImportSummary):
        self.summary = summary


def import_file(
    data: bytes,
    *,
    school: School,
    source: str,
    school_year: str,
    actor: Any = None,
    ip: str | None = None,
    dry_run: bool = False,
    today: date | None = None,
) -> ImportSummary:
    """Import ``data`` (the bytes of a CSV export of ``source``) into ``school``.

    ``actor``: the user (or a label such as 'opdrachtregel') who imports;
    ``today``: the day for age checks (default: today). Bad lines and bad files
    are reported in the summary, never raised; raises :class:`ImportRefused`
    only for an unknown source, a bad school year or a broken mapping file.
    """
    try:
        mapping = get_mapping(source)
    except MappingError as exc:
        raise ImportRefused(str(exc)) from None
    ctx = _Context(school, check_school_year(school_year), mapping, actor or "systeem", ip, today or timezone.localdate())
    summary = ImportSummary(source, mapping.label, ctx.school_year, dry_run)
    try:
        with transaction.atomic():
            _run(ctx, data, summary)
            if dry_run:
                raise _DryRun(summary)
    except _DryRun as rolled_back:
        return rolled_back.summary
    return summary


def _run(ctx: _Context, data: bytes, summary: ImportSummary) -> None:
    try:
        table = read_table(decode(data), known_headings(ctx.mapping))
        columns = resolve_columns(ctx.mapping, table.headings, table.heading_line)
    except FileRefused as exc:
        summary.file_refused = exc.problem
        return
    categories = list(ctx.school.consent_categories.filter(active=True))
    ctx.categories = {c.pk: c for c in categories}
    ctx.plan = plan_consent(ctx.mapping, columns.consent, categories)
    summary.warnings += ctx.plan.warnings
    summary.refused += table.problems
    summary.lines = len(table.rows) + len(table.problems)
    seen: dict[str, int] = {}
    id_column = columns.pupil["external_id"].index
    for line, cells in table.rows:
        external_id = " ".join(cells[id_column].split())
        if external_id in seen:
            summary.refused.append(LineProblem(line, f"leerlingnummer {external_id} staat ook op regel {seen[external_id]}"))
            continue
        if external_id:
            seen[external_id] = line
        _import_line(ctx, parse_line(ctx.mapping, columns, line, cells, ctx.today), line, summary)
    summary.missing = _missing(ctx.school, set(seen))
    if not summary.dry_run:
        ctx.audit("import.run", ctx.school, {"source": ctx.mapping.source, "school_year": ctx.school_year,
                                             "sha256": hashlib.sha256(data).hexdigest(), **summary.counts()})


def _import_line(ctx: _Context, parsed: PupilLine | list[str], line: int, summary: ImportSummary) -> None:
    """Validate the consent cells, then apply the line in its own savepoint."""
    if isinstance(parsed, list):
        summary.refused.append(LineProblem(line, "; ".join(parsed)))
        return
    answers = line_answers(ctx.plan, parsed.consent_cells)
    if answers.reasons:
        summary.refused.append(LineProblem(line, "; ".join(answers.reasons)))
        return
    ctx.statuses = {}
    consent = _ConsentCount()
    try:
        with transaction.atomic():
            notices = answers.notices + _apply(ctx, parsed, answers.answers, consent)
    except DatabaseError:
        summary.refused.append(LineProblem(line, "kon niet worden opgeslagen (databasefout); probeer het opnieuw of meld het"))
        return
    _merge(ctx, summary, consent)
    summary.notices += [LineProblem(line, n) for n in notices]


def _merge(ctx: _Context, summary: ImportSummary, consent: _ConsentCount) -> None:
    """Add one line's object statuses to the summary, each object counted once per run
    (a guardian of two siblings is one guardian; created beats updated beats unchanged)."""
    for key, status in ctx.statuses.items():
        before = ctx.known.get(key)
        if before is not None and STATUS_ORDER[before] >= STATUS_ORDER[status]:
            continue
        tally = summary.tallies[key[0]]
        if before is not None:
            setattr(tally, before, getattr(tally, before) - 1)
        setattr(tally, status, getattr(tally, status) + 1)
        ctx.known[key] = status
    summary.imported_lines += 1
    summary.consent_recorded += consent.recorded
    summary.consent_unchanged += consent.unchanged
    summary.consent_not_taken += consent.not_taken


def _note(ctx: _Context, kind: str, obj, status: str) -> None:
    key = (kind, obj.pk)
    if STATUS_ORDER[status] >= STATUS_ORDER.get(ctx.statuses.get(key, "unchanged"), 0):
        ctx.statuses[key] = status


def _apply(ctx: _Context, line: PupilLine, answers: dict[int, bool], consent: "_ConsentCount") -> list[str]:
    group = _upsert_group(ctx, line.group)
    pupil = _upsert_pupil(ctx, line, group)
    guardians = []
    for given in line.guardians:
        guardian = _upsert_guardian(ctx, pupil, given)
        _link(ctx, guardian, pupil, given.relation)
        guardians.append(guardian)
    return _take_over_consent(ctx, pupil, guardians, answers, consent)


def _upsert_group(ctx: _Context, name: str) -> Group:
    group, created = Group.objects.get_or_create(school=ctx.school, name=name, school_year=ctx.school_year)
    if created:
        ctx.audit("group.created", group, {"name": name, "school_year": ctx.school_year, "via": "import"})
    _note(ctx, "groups", group, "created" if created else "unchanged")
    return group


def _upsert_pupil(ctx: _Context, line: PupilLine, group: Group) -> Pupil:
    wanted = {"first_name": line.first_name, "last_name": line.last_name, "date_of_birth": line.date_of_birth, "group_id": group.pk}
    if line.email:
        wanted["email"] = line.email
    pupil = Pupil.objects.filter(school=ctx.school, external_id=line.external_id).first()
    if pupil is None:
        pupil = Pupil.objects.create(school=ctx.school, external_id=line.external_id, **wanted)
        ctx.audit("person.created", pupil, {"kind": "pupil", "external_id": line.external_id, "group": group.pk, "via": "import"})
        _note(ctx, "pupils", pupil, "created")
        return pupil
    changed = _assign(pupil, wanted)
    if changed:
        ctx.audit("person.updated", pupil, {"kind": "pupil", "fields": changed, "group": group.pk, "via": "import"})
    _note(ctx, "pupils", pupil, "updated" if changed else "unchanged")
    return pupil


def _assign(obj, wanted: dict[str, Any]) -> list[str]:
    """Set the differing fields and save them; returns their names (``group_id`` → ``group``)."""
    changed = [name for name, value in wanted.items() if getattr(obj, name) != value]
    for name in changed:
        setattr(obj, name, wanted[name])
    if changed:
        obj.save(update_fields=changed)
    return [name.removesuffix("_id") for name in changed]


def _find_guardian(ctx: _Context, pupil: Pupil, given: GuardianLine) -> Guardian | None:
    """By relatienummer; else by e-mail and name; else by name among the pupil's guardians.
    A guardian with another relatienummer is never taken for this one."""
    board_guardians = Guardian.objects.filter(board_id=ctx.school.board_id)
    if given.external_id:
        found = board_guardians.filter(external_id=given.external_id).order_by("pk").first()
        if found:
            return found
    same_name = Q(first_name__iexact=given.first_name, last_name__iexact=given.last_name)
    compatible = Q(external_id="") | Q(external_id=given.external_id)
    if given.email:
        found = board_guardians.filter(same_name & compatible, email__iexact=given.email).order_by("pk").first()
        if found:
            return found
    return pupil.guardians.filter(same_name & compatible).order_by("pk").first()


def _upsert_guardian(ctx: _Context, pupil: Pupil, given: GuardianLine) -> Guardian:
    guardian = _find_guardian(ctx, pupil, given)
    wanted = {"first_name": given.first_name, "last_name": given.last_name}
    wanted.update({k: v for k, v in (("email", given.email), ("external_id", given.external_id)) if v})
    if guardian is None:
        guardian = Guardian.objects.create(board_id=ctx.school.board_id, **wanted)
        ctx.audit("person.created", guardian, {"kind": "guardian", "external_id": given.external_id, "via": "import"})
        _note(ctx, "guardians", guardian, "created")
        return guardian
    changed = _assign(guardian, wanted)
    if changed:
        ctx.audit("person.updated", guardian, {"kind": "guardian", "fields": changed, "via": "import"})
    _note(ctx, "guardians", guardian, "updated" if changed else "unchanged")
    return guardian


def _link(ctx: _Context, guardian: Guardian, pupil: Pupil, relation: str) -> None:
    link, created = Guardianship.objects.get_or_create(guardian=guardian, pupil=pupil, defaults={"relation": relation or "ouder"})
    changes = {"guardian": guardian.pk, "pupil": pupil.pk, "relation": relation or link.relation, "via": "import"}
    if created:
        ctx.audit("guardianship.created", link, changes)
        _note(ctx, "guardianships", link, "created")
    elif relation and relation != link.relation:
        _assign(link, {"relation": relation})
        ctx.audit("guardianship.updated", link, changes)
        _note(ctx, "guardianships", link, "updated")
    else:
        _note(ctx, "guardianships", link, "unchanged")


def _take_over_consent(ctx: _Context, pupil: Pupil, guardians: list[Guardian], answers: dict[int, bool], count: _ConsentCount) -> list[str]:
    """Record the answers that differ from the current state; returns notices for those not taken over."""
    state = current_state([pupil])[pupil.pk]
    wanted = [(cid, kind.value, given) for cid, given in answers.items() for kind in ctx.mapping.consent_media]
    differing = [(cid, kind, given) for cid, kind, given in wanted if (cid, kind) not in state or state[(cid, kind)].answer != given]
    count.unchanged += len(wanted) - len(differing)
    direct = [w for w in differing if (w[0], w[1]) in state and state[(w[0], w[1])].method != Method.IMPORT]
    to_record = [w for w in differing if w not in direct]
    notices = [f"toestemming {_describe(ctx, direct)} niet overgenomen: de ouder of leerling heeft dit zelf anders "
               "doorgegeven (portaal of papier); dat antwoord blijft gelden"] if direct else []
    if to_record and pupil.decides_own_consent(ctx.today):
        notices.append(f"toestemming {_describe(ctx, to_record)} niet overgenomen: de leerling is 16 jaar of ouder "
                       "en beslist zelf (vraag het de leerling via het portaal)")
        to_record = []
    elif to_record and not guardians:
        notices.append(f"toestemming {_describe(ctx, to_record)} niet overgenomen: geen ouder/verzorger op deze regel")
        to_record = []
    count.not_taken += len(differing) - len(to_record)
    for cid, kind, given in to_record:
        notices += _record(ctx, pupil, guardians[0], cid, kind, given, count)
    return notices


def _record(ctx: _Context, pupil: Pupil, guardian: Guardian, category_id: int, kind: str, given: bool, count: _ConsentCount) -> list[str]:
    answer = Answer(guardian=guardian, method=Method.IMPORT, form_version=f"import {ctx.mapping.source}", information_version="onbekend")
    try:
        record_answer(pupil, ctx.categories[category_id], kind, given, answer, actor=ctx.actor, ip=ctx.ip, today=ctx.today)
    except ConsentRefused as exc:
        count.not_taken += 1
        return [f"toestemming {_describe(ctx, [(category_id, kind, given)])} niet overgenomen: {exc}"]
    count.recorded += 1
    return []


def _describe(ctx: _Context, answers: list[tuple[int, str, bool]]) -> str:
    """'website (foto, film), facebook (foto)' for a list of (category id, kind, answer)."""
    kinds: dict[int, list[str]] = {}
    for cid, kind, _ in answers:
        kinds.setdefault(cid, []).append(MEDIA_LABELS.get(kind, kind))
    return ", ".join(f"{ctx.categories[cid].code} ({', '.join(k)})" for cid, k in kinds.items())


def _missing(school: School, seen: set[str]) -> list[MissingPupil]:
    pupils = Pupil.objects.filter(school=school, left_on__isnull=True).select_related("group").order_by("last_name", "first_name")
    return [MissingPupil(p.external_id, str(p), p.group.name if p.group else "") for p in pupils if p.external_id not in seen]


def stash_upload(school: School, user, source: str, school_year: str, data: bytes) -> PendingImport:
    """Keep an uploaded file for the real import after its dry run (older ones are purged)."""
    PendingImport.objects.filter(created_at__lt=timezone.now() - PENDING_LIFETIME).delete()
    return PendingImport.objects.create(school=school, uploaded_by=user, source=source, school_year=check_school_year(school_year),
                                        content=data, sha256=hashlib.sha256(data).hexdigest())


def preview_upload(school: School, user, source: str, school_year: str, data: bytes, *, ip: str | None = None,
                   today: date | None = None) -> tuple[ImportSummary, PendingImport | None]:
    """The dry run of an uploaded file, and the kept upload to import (``None`` when the file is unusable)."""
    summary = import_file(data, school=school, source=source, school_year=school_year, actor=user, ip=ip, dry_run=True, today=today)
    if not summary.usable or not summary.imported_lines:
        return summary, None
    return summary, stash_upload(school, user, source, school_year, data)


def import_pending(pending: PendingImport, *, actor, ip: str | None = None, today: date | None = None) -> ImportSummary:
    """Import a kept upload for real, then delete it."""
    try:
        return import_file(bytes(pending.content), school=pending.school, source=pending.source,
                           school_year=pending.school_year, actor=actor, ip=ip, today=today)
    finally:
        pending.delete()


def discard_pending(pending: PendingImport) -> None:
    """Throw away a kept upload without importing it."""
    pending.delete()
