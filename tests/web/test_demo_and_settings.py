"""The demo board and the start-up checks of the web application."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest

from plaatsbaar.web.consent.models import ConsentEvent
from plaatsbaar.web.demo import create_demo
from plaatsbaar.web.organisation.models import Guardian, Pupil, Role, School, StaffRole
from plaatsbaar.web.publication.models import GroupAppMember, SchoolChannel
from tests.web.conftest import TODAY


def test_demo_has_two_schools_60_pupils_every_role_and_every_consent_state(db):
    logins = create_demo(today=TODAY)
    assert School.objects.count() == 2 and Pupil.objects.count() == 60
    assert all(p.guardians.exists() for p in Pupil.objects.all()) and Guardian.objects.count() >= 60
    assert {r.role for r in StaffRole.objects.all()} == set(Role.values)
    answers = set(ConsentEvent.objects.values_list("answer", flat=True))
    assert answers == {True, False}
    assert Pupil.objects.exclude(consent_events__isnull=False).exists()  # pupils without any answer
    assert ConsentEvent.objects.filter(given_by_pupil=True).exists()  # 16+ pupils decide themselves
    assert len(logins) == 9 and all(len(login.password) >= 12 for login in logins)
    with pytest.raises(ValueError, match="staat al"):
        create_demo(today=TODAY)


def test_demo_schools_have_channels_with_four_eyes_on_facebook_and_group_app_users(db):
    create_demo(today=TODAY)
    for school in School.objects.all():
        channels = dict(SchoolChannel.objects.filter(school=school).values_list("channel", "always_four_eyes"))
        assert channels["facebook"] is True and channels["website"] is False
    uses = set(GroupAppMember.objects.values_list("uses_app", flat=True))
    assert uses == {True, False}  # some guardians of a class are not in the app: they get the e-mail


def _start(env_changes: dict[str, str]) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("PLAATSBAAR_", "DATABASE_URL", "DJANGO_"))}
    env.update(env_changes)
    code = "from plaatsbaar.cli.app import main; main()"
    return subprocess.run([sys.executable, "-c", code, "demo", "--production"], env=env, capture_output=True, text=True, timeout=120)


def test_production_without_secret_key_is_a_clear_start_up_error(tmp_path):
    result = _start({"PLAATSBAAR_DATA_DIR": str(tmp_path)})
    assert result.returncode == 2 and "PLAATSBAAR_SECRET_KEY ontbreekt" in result.stderr
    assert "Traceback" not in result.stderr


def test_unreachable_database_is_a_clear_start_up_error(tmp_path):
    result = _start({"PLAATSBAAR_SECRET_KEY": "k" * 50, "DATABASE_URL": "postgres://nobody@127.0.0.1:1/none"})
    assert result.returncode == 2 and "database is niet bereikbaar" in result.stderr


def test_production_settings_are_safe(tmp_path):
    code = "import plaatsbaar.web.settings as s; print(s.DEBUG, s.SESSION_COOKIE_SECURE, s.CSRF_COOKIE_SECURE)"
    env = {"PATH": os.environ["PATH"], "PLAATSBAAR_SECRET_KEY": "k" * 50, "PLAATSBAAR_DATA_DIR": str(tmp_path)}
    result = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True, timeout=60)
    assert result.stdout.split() == ["False", "True", "True"]


def test_the_suite_runs_on_the_configured_database(db):
    from django.db import connection

    expected = "postgresql" if os.environ.get("DATABASE_URL", "").startswith("postgres") else "sqlite"
    assert connection.vendor == expected
