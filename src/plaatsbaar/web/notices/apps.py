from django.apps import AppConfig


class NoticesConfig(AppConfig):
    """Notifications to staff: in the application and by e-mail."""

    name = "plaatsbaar.web.notices"
    label = "notices"
    verbose_name = "Meldingen"
