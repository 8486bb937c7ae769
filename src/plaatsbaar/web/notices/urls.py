"""URLs of the notices area (/meldingen/)."""

from django.urls import path

from plaatsbaar.web.notices import views

app_name = "notices"
urlpatterns = [
    path("", views.index, name="index"),
    path("<int:notification_id>/gelezen/", views.read, name="read"),
    path("alles-gelezen/", views.read_all, name="read_all"),
]
