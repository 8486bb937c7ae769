from django.apps import AppConfig


class ApiConfig(AppConfig):
    """The JSON API for a school's own tools (token authentication, OpenAPI)."""

    name = "plaatsbaar.web.api"
    label = "api"
    verbose_name = "API"

    def ready(self) -> None:
        from plaatsbaar.web.api import authentication, schema  # noqa: F401 - registers the OpenAPI extensions
