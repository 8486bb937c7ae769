"""URLs of the notices area."""

from django.urls import path  # noqa: F401

app_name = "notices"
urlpatterns: list = []
