"""URLs of the checks area (included under ``toetsen/``)."""

from django.urls import path

from plaatsbaar.web.checks import views

app_name = "checks"
urlpatterns = [
    path("", views.start, name="start"),
    path("<int:school_id>/", views.check, name="check"),
    path("foto/<str:token>/<str:which>/<str:name>", views.photo, name="photo"),
    path("foto/<str:token>/verwijderen/", views.discard_photos, name="discard"),
]
