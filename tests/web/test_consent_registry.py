"""The consent registry: append-only events, derived state, withdrawal, the switch at 16, audit."""

from __future__ import annotations

import pytest

from plaatsbaar.core.vocabulary import Channel, MediaKind
from plaatsbaar.web.audit.models import AppendOnlyError, AuditEvent
from plaatsbaar.web.consent.models import ConsentEvent, Method
from plaatsbaar.web.consent.services import (
    Answer,
    ConsentRefused,
    current_state,
    given_by_guardians_before_16,
    pupils_to_ask_at_16,
    record_answer,
    registry_for,
)
from tests.web.conftest import TODAY


def test_no_answer_means_no_consent(world):
    assert not registry_for([world.pupil]).allows(str(world.pupil.pk), Channel.FACEBOOK, MediaKind.PHOTO)


def test_latest_answer_is_the_state_and_history_is_kept(world):
    by_mother = Answer(guardian=world.guardian)
    record_answer(world.pupil, world.facebook, "photo", True, by_mother, today=TODAY)
    record_answer(world.pupil, world.facebook, "photo", False, Answer(guardian=world.second_guardian, method=Method.PAPER), actor=world.users["manager"], today=TODAY)
    state = current_state([world.pupil])[world.pupil.pk]
    assert state[(world.facebook.pk, "photo")].answer is False
    assert ConsentEvent.objects.filter(pupil=world.pupil).count() == 2
    assert not registry_for([world.pupil]).allows(str(world.pupil.pk), Channel.FACEBOOK, MediaKind.PHOTO)


def test_withdrawal_takes_effect_at_once_and_is_audited(world):
    answer = Answer(guardian=world.guardian)
    record_answer(world.pupil, world.facebook, "photo", True, answer, today=TODAY)
    assert registry_for([world.pupil]).allows(str(world.pupil.pk), Channel.FACEBOOK, MediaKind.PHOTO)
    record_answer(world.pupil, world.facebook, "photo", False, answer, today=TODAY)
    assert not registry_for([world.pupil]).allows(str(world.pupil.pk), Channel.FACEBOOK, MediaKind.PHOTO)
    assert list(AuditEvent.objects.order_by("id").values_list("action", flat=True)) == ["consent.given", "consent.withdrawn"]


def test_events_and_audit_entries_cannot_be_changed_or_deleted(world):
    event = record_answer(world.pupil, world.website, "video", True, Answer(guardian=world.guardian), today=TODAY)
    event.answer = False
    with pytest.raises(AppendOnlyError):
        event.save()
    with pytest.raises(AppendOnlyError):
        event.delete()
    with pytest.raises(AppendOnlyError):
        ConsentEvent.objects.all().delete()
    with pytest.raises(AppendOnlyError):
        AuditEvent.objects.all().update(action="x")


def test_a_guardian_of_another_child_cannot_answer(world):
    stranger = world.second_guardian
    with pytest.raises(ConsentRefused, match="niet gekoppeld"):
        record_answer(world.older_pupil, world.facebook, "photo", True, Answer(guardian=stranger), today=TODAY.replace(year=2025))


def test_category_of_another_school_is_refused(world):
    with pytest.raises(ConsentRefused, match="andere school"):
        record_answer(world.other_pupil, world.facebook, "photo", True, Answer(guardian=world.guardian), today=TODAY)


def test_at_16_the_pupil_decides(world):
    before = TODAY.replace(year=2026, month=11, day=20)  # Noor turns 16 on 21 November 2026
    record_answer(world.older_pupil, world.facebook, "photo", True, Answer(guardian=world.guardian), today=before)
    with pytest.raises(ConsentRefused, match="vanaf 16 jaar"):
        record_answer(world.older_pupil, world.facebook, "photo", False, Answer(guardian=world.guardian), today=TODAY)
    with pytest.raises(ConsentRefused, match="pas vanaf 16"):
        record_answer(world.pupil, world.facebook, "photo", True, Answer(by_pupil=True), today=TODAY)
    assert pupils_to_ask_at_16(world.school.pk, TODAY) == [world.older_pupil]
    record_answer(world.older_pupil, world.facebook, "photo", False, Answer(by_pupil=True), today=TODAY)
    assert pupils_to_ask_at_16(world.school.pk, TODAY) == []
    assert not registry_for([world.older_pupil]).allows(str(world.older_pupil.pk), Channel.FACEBOOK, MediaKind.PHOTO)


def test_guardians_answer_before_16_is_marked_as_theirs(world):
    guardians = record_answer(world.pupil, world.website, "photo", True, Answer(guardian=world.guardian), today=TODAY)
    own = record_answer(world.older_pupil, world.website, "photo", True, Answer(by_pupil=True), today=TODAY)
    assert given_by_guardians_before_16(guardians)  # Sem is 8: his guardians decide
    assert not given_by_guardians_before_16(own)


def test_audit_survives_deleting_the_user(world):
    manager = world.users["manager"]
    record_answer(world.pupil, world.website, "photo", True, Answer(guardian=world.guardian, method=Method.PAPER), actor=manager, today=TODAY)
    manager.delete()
    entry = AuditEvent.objects.get(action="consent.given")  # deleting the user also audits their role (role.deleted)
    assert entry.actor is None and entry.actor_label == "directeur" and entry.changes["method"] == "paper"
