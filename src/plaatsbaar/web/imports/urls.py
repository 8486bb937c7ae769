"""URLs of the imports area."""

from django.urls import path  # noqa: F401

app_name = "imports"
urlpatterns: list = []
