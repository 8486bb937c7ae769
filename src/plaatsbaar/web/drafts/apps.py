from django.apps import AppConfig


class DraftsConfig(AppConfig):
    """Drafts of posts: text, media, tagged faces and every checked version."""

    name = "plaatsbaar.web.drafts"
    label = "drafts"
    verbose_name = "Berichten"
