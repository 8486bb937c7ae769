"""URLs of the drafts area (included under ``berichten/``)."""

from django.urls import path

from plaatsbaar.web.drafts import views

app_name = "drafts"
urlpatterns = [
    path("", views.index, name="list"),
    path("nieuw/<int:school_id>/", views.create, name="create"),
    path("<int:pk>/", views.detail, name="detail"),
    path("<int:pk>/opslaan/", views.save, name="save"),
    path("<int:pk>/oplossen/", views.fix, name="fix"),
    path("<int:pk>/bestanden/", views.upload, name="upload"),
    path("<int:pk>/bestanden/<int:number>/taggen/", views.tag, name="tag"),
    path("<int:pk>/bestanden/<int:number>/stemmen/", views.voices, name="voices"),
    path("<int:pk>/bestanden/<int:number>/verwijderen/", views.remove, name="remove"),
    path("<int:pk>/bestanden/<int:number>/<str:which>/", views.media_file, name="file"),
]
