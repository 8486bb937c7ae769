from django.apps import AppConfig


class AuditConfig(AppConfig):
    """The append-only audit log."""

    name = "plaatsbaar.web.audit"
    label = "audit"
    verbose_name = "Auditlog"
