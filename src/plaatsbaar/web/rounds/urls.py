"""URLs of the rounds area (under ``/ronde/``)."""

from django.urls import path

from plaatsbaar.web.rounds import views

app_name = "rounds"
urlpatterns = [
    path("", views.index, name="index"),
    path("school/<int:school_id>/nieuw/", views.open_round, name="open"),
    path("school/<int:school_id>/geen-foto/", views.no_photo_page, name="no_photo"),
    path("groep/<int:group_id>/geen-foto.csv", views.no_photo_export, {"fmt": "csv"}, name="no_photo_csv"),
    path("groep/<int:group_id>/geen-foto.pdf", views.no_photo_export, {"fmt": "pdf"}, name="no_photo_pdf"),
    path("<int:round_id>/", views.round_dashboard, name="dashboard"),
    path("<int:round_id>/versturen/", views.send_due_mails, name="send"),
    path("<int:round_id>/groep/<int:group_id>/", views.class_names, name="class"),
    path("<int:round_id>/zonder-groep/", views.class_names, name="no_class"),
]
