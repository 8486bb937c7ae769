"""URLs of the audit log (included under ``audit/``)."""

from django.urls import path

from plaatsbaar.web.audit import views

app_name = "audit"
urlpatterns = [
    path("", views.audit_log, name="log"),
    path("export.csv", views.audit_export, name="export"),
]
