from django.apps import AppConfig


class ApiConfig(AppConfig):
    """The JSON API for a school's own tools (token authentication, OpenAPI)."""

    name = "plaatsbaar.web.api"
    label = "api"
    verbose_name = "API"
