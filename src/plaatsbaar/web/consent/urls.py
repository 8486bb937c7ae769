"""URLs of the staff's consent pages (included under ``toestemming/``)."""

from django.urls import path

from plaatsbaar.web.consent import views

app_name = "consent"
urlpatterns = [
    path("school/<int:school_id>/", views.school_page, name="school"),
    path("school/<int:school_id>/zestien/", views.turned_16_page, name="turned_16"),
    path("groep/<int:group_id>/", views.group_page, name="group"),
    path("leerling/<int:pupil_id>/", views.pupil_page, name="pupil"),
    path("leerling/<int:pupil_id>/papier/", views.paper_form_page, name="paper"),
    path("leerling/<int:pupil_id>/link/", views.pupil_link, name="pupil_link"),
]
