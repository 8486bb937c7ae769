"""The audit log page of the privacy officer (FG): filters, CSV export, who may see it."""

from __future__ import annotations

import csv
import io
from datetime import timedelta

import pytest
from django.utils import timezone

from plaatsbaar.web.audit.services import record
from plaatsbaar.web.consent.services import Answer, record_answer
from plaatsbaar.web.organisation.models import Role, StaffRole
from plaatsbaar.web.organisation.services import activate_protocol
from tests.web.conftest import TODAY


@pytest.fixture
def history(world):
    """Real changes: a consent answer by the manager, a protocol choice, and an entry at the other school."""
    record_answer(world.pupil, world.facebook, "photo", True, Answer(guardian=world.guardian), actor=world.users["manager"],
                  ip="10.0.0.7", today=TODAY)
    activate_protocol(world.school, actor=world.users["manager"], builtin_id="lucas-onderwijs", ip="10.0.0.8")
    record("consent.given", world.other_pupil, actor="import", school_id=world.other_school.pk, board_id=world.board.pk)
    return world


@pytest.fixture
def fg(client, history):
    client.force_login(history.users["fg"])
    return client


def _rows(response) -> list[dict]:
    text = b"".join(response.streaming_content if response.streaming else [response.content]).decode("utf-8-sig")
    return list(csv.DictReader(io.StringIO(text), delimiter=";"))


def test_the_privacy_officer_sees_who_changed_what_from_where(fg, history):
    page = fg.get("/audit/").content.decode()
    assert "toestemming gegeven" in page and "protocol geactiveerd" in page
    assert "directeur" in page and "10.0.0.7" in page and "10.0.0.8" in page
    assert "import" not in page  # the other school's entry


def test_filter_by_action(fg):
    page = fg.get("/audit/", {"action": "protocol.activated"}).content.decode()
    assert "protocol geactiveerd" in page and "10.0.0.7" not in page


def test_filter_by_date_range(fg):
    today = timezone.localdate()
    assert "10.0.0.7" in fg.get("/audit/", {"from_date": today, "to_date": today}).content.decode()
    assert "10.0.0.7" not in fg.get("/audit/", {"from_date": today + timedelta(days=1)}).content.decode()
    assert "10.0.0.7" not in fg.get("/audit/", {"to_date": today - timedelta(days=1)}).content.decode()
    page = fg.get("/audit/", {"from_date": today, "to_date": today - timedelta(days=1)}).content.decode()
    assert "De begindatum ligt na de einddatum." in page and "10.0.0.7" not in page


def test_filter_by_school_for_an_fg_of_two_schools(fg, history):
    StaffRole.objects.create(user=history.users["fg"], board=history.board, school=history.other_school, role=Role.PRIVACY_OFFICER)
    assert "import" in fg.get("/audit/").content.decode()
    only_other = fg.get("/audit/", {"school": history.other_school.pk}).content.decode()
    assert "import" in only_other and "10.0.0.7" not in only_other


def test_export_as_csv_with_the_same_filters(fg, history):
    response = fg.get("/audit/export.csv", {"action": "consent.given"})
    assert response["Content-Type"].startswith("text/csv") and "attachment" in response["Content-Disposition"]
    [row] = _rows(response)
    assert (row["door"], row["actie"], row["school"], row["vanaf"]) == ("directeur", "consent.given", "De Wilgenhoek", "10.0.0.7")
    assert '"answer": true' in row["wijziging"] and '"category": "facebook"' in row["wijziging"]
    assert len(_rows(fg.get("/audit/export.csv"))) == 2


def test_export_never_yields_a_spreadsheet_formula(fg, history):
    record("consent.given", history.pupil, actor="=HYPERLINK(\"http://x\")", school_id=history.school.pk)
    rows = _rows(fg.get("/audit/export.csv"))
    assert rows[0]["door"] == "'=HYPERLINK(\"http://x\")"


def test_entries_survive_the_deletion_of_the_user(fg, history):
    history.users["manager"].delete()
    page = fg.get("/audit/").content.decode()
    assert "directeur" in page and "protocol geactiveerd" in page


def test_other_roles_are_refused(client, history):
    for name in ("teacher", "manager", "board", "other_teacher"):
        client.force_login(history.users[name])
        assert client.get("/audit/").status_code == 403, name
        assert client.get("/audit/export.csv").status_code == 403, name


def test_another_schools_audit_log_is_not_revealed(fg, history):
    assert fg.get("/audit/", {"school": history.other_school.pk}).status_code == 404
    assert fg.get("/audit/export.csv", {"school": history.other_school.pk}).status_code == 404


def test_a_school_where_the_fg_has_another_role_is_refused(fg, history):
    StaffRole.objects.create(user=history.users["fg"], board=history.board, school=history.other_school, role=Role.STAFF)
    assert fg.get("/audit/", {"school": history.other_school.pk}).status_code == 403


def test_anonymous_visitors_are_sent_to_log_in(client, history):
    response = client.get("/audit/")
    assert response.status_code == 302 and "/inloggen/" in response["Location"]
