"""URLs of the rounds area."""

from django.urls import path  # noqa: F401

app_name = "rounds"
urlpatterns: list = []
