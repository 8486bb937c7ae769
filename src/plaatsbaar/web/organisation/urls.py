"""URLs of the school's protocol pages (included under ``school/``)."""

from django.urls import path

from plaatsbaar.web.organisation import views

app_name = "organisation"
urlpatterns = [
    path("<int:school_id>/protocol/", views.protocol_page, name="protocol"),
    path("<int:school_id>/protocol/versie/<int:version_id>/", views.protocol_page, name="protocol_version"),
    path("<int:school_id>/protocol/beheer/", views.protocol_manage, name="protocol_manage"),
]
