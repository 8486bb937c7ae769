"""URLs of the takedown area (under ``/verwijderen/``)."""

from django.urls import path

from plaatsbaar.web.takedown import views

app_name = "takedown"
urlpatterns = [
    path("", views.index, name="index"),
    path("<int:takedown_id>/", views.detail, name="detail"),
    path("<int:takedown_id>/verwijderd/", views.removed, name="removed"),
    path("<int:takedown_id>/opnieuw-plaatsen/", views.republish, name="republish"),
]
