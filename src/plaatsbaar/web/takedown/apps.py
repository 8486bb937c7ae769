from django.apps import AppConfig


class TakedownConfig(AppConfig):
    """Takedowns: published items that show a pupil on a channel no longer covered by consent."""

    name = "plaatsbaar.web.takedown"
    label = "takedown"
    verbose_name = "Verwijderverzoeken"
