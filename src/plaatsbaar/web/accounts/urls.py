"""URLs of log-in step 2 and the second factor (included under ``account/``)."""

from django.urls import path

from plaatsbaar.web.accounts import views

app_name = "accounts"
urlpatterns = [
    path("code/", views.code, name="code"),
    path("tweestapsverificatie/", views.second_factor, name="second_factor"),
]
