from django.apps import AppConfig


class PortalConfig(AppConfig):
    """The guardians' and pupils' (16+) portal."""

    name = "plaatsbaar.web.portal"
    label = "portal"
    verbose_name = "Ouderportaal"

    def ready(self) -> None:
        """Keep personal portal links out of Django's request logs."""
        from plaatsbaar.web.portal.logs import install

        install()
