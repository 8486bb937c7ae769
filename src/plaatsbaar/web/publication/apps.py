from django.apps import AppConfig


class PublicationConfig(AppConfig):
    """The publication log: published versions, connectors, the class group app fallback, freshness."""

    name = "plaatsbaar.web.publication"
    label = "publication"
    verbose_name = "Publicaties"
