"""URLs of the publication area (under ``/publicaties/``)."""

from django.urls import path

from plaatsbaar.web.publication import views

app_name = "publication"
urlpatterns = [
    path("", views.index, name="index"),
    path("actualiteit/", views.freshness_overview, name="freshness"),
    path("school/<int:school_id>/", views.log, name="log"),
    path("school/<int:school_id>/kanalen/", views.channels, name="channels"),
    path("kanaal/<int:pk>/", views.channel_edit, name="channel_edit"),
    path("groep/<int:group_id>/groepsapp/", views.group_app, name="group_app"),
    path("publiceren/<int:draft_id>/", views.publish, name="publish"),
    path("<int:pk>/", views.detail, name="detail"),
    path("<int:pk>/bestand/<int:number>/", views.media_file, name="file"),
    path("<int:pk>/verwijderd/", views.remove, name="remove"),
    path("<int:pk>/email-opnieuw/", views.resend, name="resend"),
]
