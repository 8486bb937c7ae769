from django.apps import AppConfig


class ReviewConfig(AppConfig):
    """The review queue: submitting, approving, sending back and rejecting drafts (four eyes)."""

    name = "plaatsbaar.web.review"
    label = "review"
    verbose_name = "Beoordelen"
