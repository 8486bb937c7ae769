"""URLs of the staff's consent pages (included under ``toestemming/``)."""

from django.urls import path

from plaatsbaar.web.consent import category_views, views

app_name = "consent"
urlpatterns = [
    path("school/<int:school_id>/", views.school_page, name="school"),
    path("school/<int:school_id>/zestien/", views.turned_16_page, name="turned_16"),
    path("school/<int:school_id>/categorieen/", category_views.category_list, name="categories"),
    path("school/<int:school_id>/categorieen/nieuw/", category_views.category_add, name="category_add"),
    path("categorie/<int:category_id>/", category_views.category_edit, name="category_edit"),
    path("categorie/<int:category_id>/uitzetten/", category_views.category_set_active, {"active": False}, name="category_deactivate"),
    path("categorie/<int:category_id>/aanzetten/", category_views.category_set_active, {"active": True}, name="category_activate"),
    path("categorie/<int:category_id>/verwijderen/", category_views.category_delete, name="category_delete"),
    path("groep/<int:group_id>/", views.group_page, name="group"),
    path("leerling/<int:pupil_id>/", views.pupil_page, name="pupil"),
    path("leerling/<int:pupil_id>/papier/", views.paper_form_page, name="paper"),
    path("leerling/<int:pupil_id>/link/", views.pupil_link, name="pupil_link"),
]
