"""``plaatsbaar freshness-warnings``: the weekly mail about silent channels, from the command line."""

from __future__ import annotations

from datetime import timedelta

from typer.testing import CliRunner

from plaatsbaar.cli.app import app
from tests.web.conftest import newsroom, world  # noqa: F401 (fixtures)
from tests.web.smtp import _smtp_controller, mail_server, smtp_settings  # noqa: F401 (fixtures)
from tests.web.test_publication_freshness import TODAY, _published_days_ago, tjonger  # noqa: F401 (fixture)
from tests.web.test_publication_support import build_draft, consent, media_root, protocol  # noqa: F401 (fixtures)


def run(*args: str):
    result = CliRunner().invoke(app, ["freshness-warnings", *args])
    assert "Traceback" not in result.output
    return result


def test_a_silent_channel_is_mailed_once_per_week(tjonger, smtp_settings):
    _published_days_ago(tjonger, 100)
    first = run("--today", TODAY.isoformat())
    assert first.exit_code == 0, first.output
    assert "De Wilgenhoek: 1 te stil kanaal/kanalen, 1 e-mail(s) verstuurd." in first.output
    [mail] = smtp_settings.delivered
    assert mail.envelope_to == ["communicatie@wilgenhoek.example"]
    again = run("--today", (TODAY + timedelta(days=2)).isoformat())
    assert "deze week al gemaild" in again.output and len(smtp_settings.delivered) == 1


def test_a_bad_date_is_bad_input(db):
    result = run("--today", "23-11-2026")
    assert result.exit_code == 2 and "JJJJ-MM-DD" in result.output
