from django.apps import AppConfig


class ConsentConfig(AppConfig):
    """The consent registry (AVG): append-only consent events per pupil."""

    name = "plaatsbaar.web.consent"
    label = "consent"
    verbose_name = "Toestemmingen"
