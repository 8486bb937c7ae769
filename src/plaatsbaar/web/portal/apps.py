from django.apps import AppConfig


class PortalConfig(AppConfig):
    """The guardians' and pupils' (16+) portal."""

    name = "plaatsbaar.web.portal"
    label = "portal"
    verbose_name = "Ouderportaal"
