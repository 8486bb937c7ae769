from django.apps import AppConfig


class RoundsConfig(AppConfig):
    """The yearly consent round, its e-mails and dashboard, and the exports."""

    name = "plaatsbaar.web.rounds"
    label = "rounds"
    verbose_name = "Toestemmingsronde"
