from django.apps import AppConfig


class ImportsConfig(AppConfig):
    """Import of pupils, guardians, groups and consent from the student administration."""

    name = "plaatsbaar.web.imports"
    label = "imports"
    verbose_name = "Import"
