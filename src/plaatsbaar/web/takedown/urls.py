"""URLs of the takedown area."""

from django.urls import path  # noqa: F401

app_name = "takedown"
urlpatterns: list = []
