"""URLs of the checks area."""

from django.urls import path  # noqa: F401

app_name = "checks"
urlpatterns: list = []
