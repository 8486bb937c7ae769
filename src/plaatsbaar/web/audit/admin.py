from django.contrib import admin

from plaatsbaar.web.audit.models import AuditEvent


class AppendOnlyAdmin(admin.ModelAdmin):
    """Admin for append-only records: viewable, never added, changed or deleted here."""

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(AuditEvent)
class AuditEventAdmin(AppendOnlyAdmin):
    """The audit log."""

    list_display = ("at", "actor_label", "action", "object_type", "object_id", "school_id")
    list_filter = ("action",)
