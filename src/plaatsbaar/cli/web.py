"""``plaatsbaar serve`` and ``plaatsbaar demo``: the school's web application."""

from __future__ import annotations

import os

import typer
from rich.console import Console
from rich.table import Table


class WebConfigError(ValueError):
    """The web application cannot start: a clear message, no traceback."""


def setup_django(dev: bool) -> None:
    """Configure Django (development settings when ``dev``) and apply migrations.

    Raises :class:`WebConfigError` for a misconfiguration (missing secret key,
    bad DATABASE_URL, unreachable database).
    """
    import django
    from django.core.exceptions import ImproperlyConfigured
    from django.core.management import call_command
    from django.db.utils import OperationalError

    os.environ["DJANGO_SETTINGS_MODULE"] = "plaatsbaar.web.settings_dev" if dev else "plaatsbaar.web.settings"
    try:
        django.setup()
        call_command("migrate", interactive=False, verbosity=0)
    except ImproperlyConfigured as exc:
        raise WebConfigError(f"instelling ontbreekt of klopt niet: {exc}") from None
    except OperationalError as exc:
        raise WebConfigError(f"de database is niet bereikbaar: {exc}") from None


def serve(host: str, port: int, dev: bool, out: Console) -> None:
    """Start the web application (waitress; Django's development server with ``dev``)."""
    setup_django(dev)
    out.print(f"plaatsbaar draait op http://{host}:{port}/ (stoppen: Ctrl+C)")
    if dev:
        from django.core.management import call_command

        call_command("runserver", f"{host}:{port}", use_reloader=False)
        return
    import waitress

    from plaatsbaar.web.wsgi import application

    waitress.serve(application, host=host, port=port)


def demo(dev: bool, out: Console) -> None:
    """Fill the database with the demo board and print the log-ins."""
    setup_django(dev)
    from plaatsbaar.web.demo import create_demo

    try:
        logins = create_demo()
    except ValueError as exc:
        raise WebConfigError(str(exc)) from None
    table = Table("gebruikersnaam", "wachtwoord", "rol")
    for login in logins:
        table.add_row(login.username, login.password, login.description)
    out.print("Demo aangemaakt: Stichting Demo Onderwijs, 2 scholen, 60 leerlingen met ouders.")
    out.print(table)
    out.print("Start de webapplicatie met: plaatsbaar serve --dev  (en open http://127.0.0.1:8000/)")
