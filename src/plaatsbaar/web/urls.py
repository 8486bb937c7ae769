"""URL configuration of the plaatsbaar web application."""

from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path

from plaatsbaar.web import views

urlpatterns = [
    path("", views.home, name="home"),
    path("inloggen/", auth_views.LoginView.as_view(), name="login"),
    path("uitloggen/", auth_views.LogoutView.as_view(), name="logout"),
    path("beheer/", admin.site.urls),
    path("portaal/", include("plaatsbaar.web.portal.urls")),
    path("toestemming/", include("plaatsbaar.web.consent.urls")),
    path("import/", include("plaatsbaar.web.imports.urls")),
    path("ronde/", include("plaatsbaar.web.rounds.urls")),
    path("toetsen/", include("plaatsbaar.web.checks.urls")),
]
