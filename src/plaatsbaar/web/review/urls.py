"""URLs of the review area."""

from django.urls import path  # noqa: F401

app_name = "review"
urlpatterns: list = []
