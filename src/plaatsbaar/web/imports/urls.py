"""URLs of the imports area (under /import/)."""

from django.urls import path

from plaatsbaar.web.imports import views

app_name = "imports"
urlpatterns = [
    path("", views.index, name="index"),
    path("school/<int:school_id>/", views.upload, name="upload"),
    path("school/<int:school_id>/bestand/<int:pending_id>/", views.confirm, name="confirm"),
]
