"""URLs of the drafts area."""

from django.urls import path  # noqa: F401

app_name = "drafts"
urlpatterns: list = []
