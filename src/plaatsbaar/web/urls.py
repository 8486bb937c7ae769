"""URL configuration of the plaatsbaar web application."""

from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path
from django.views.generic import RedirectView

from plaatsbaar.web import views
from plaatsbaar.web.accounts import views as account_views

urlpatterns = [
    path("", views.home, name="home"),
    path("inloggen/", account_views.LoginView.as_view(), name="login"),
    path("uitloggen/", auth_views.LogoutView.as_view(), name="logout"),
    path("account/", include("plaatsbaar.web.accounts.urls")),
    path("beheer/login/", RedirectView.as_view(pattern_name="login", query_string=True)),  # one log-in, with the second factor
    path("beheer/", admin.site.urls),
    path("portaal/", include("plaatsbaar.web.portal.urls")),
    path("toestemming/", include("plaatsbaar.web.consent.urls")),
    path("import/", include("plaatsbaar.web.imports.urls")),
    path("ronde/", include("plaatsbaar.web.rounds.urls")),
    path("toetsen/", include("plaatsbaar.web.checks.urls")),
    path("audit/", include("plaatsbaar.web.audit.urls")),
    path("berichten/", include("plaatsbaar.web.drafts.urls")),
    path("beoordelen/", include("plaatsbaar.web.review.urls")),
    path("publicaties/", include("plaatsbaar.web.publication.urls")),
    path("verwijderen/", include("plaatsbaar.web.takedown.urls")),
    path("meldingen/", include("plaatsbaar.web.notices.urls")),
    path("api/", include("plaatsbaar.web.api.urls")),
    path("school/", include("plaatsbaar.web.organisation.urls")),
]
