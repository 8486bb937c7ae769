from django.apps import AppConfig


class ChecksConfig(AppConfig):
    """Checking a draft against the school's protocol in the web application."""

    name = "plaatsbaar.web.checks"
    label = "checks"
    verbose_name = "Toetsen"
