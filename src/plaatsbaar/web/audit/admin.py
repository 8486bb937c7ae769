from django.contrib import admin

from plaatsbaar.web.audit.models import AuditEvent
from plaatsbaar.web.audit.services import client_ip, record

#: Audit subject per model name (actions are ``<subject>.created|updated|deleted``); default: the model name.
ADMIN_SUBJECTS = {"pupil": "person", "guardian": "person", "staffrole": "role", "consentcategory": "category"}


class AppendOnlyAdmin(admin.ModelAdmin):
    """Admin for append-only records: viewable, never added, changed or deleted here."""

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


def _scope(obj) -> tuple[int | None, int | None]:
    """(school id, board id) an object belongs to, for the audit entry."""
    name = obj._meta.model_name
    if name == "school":
        return obj.pk, obj.board_id
    if name == "board":
        return None, obj.pk
    school = getattr(obj, "school", None) or getattr(getattr(obj, "pupil", None), "school", None)
    board_id = getattr(obj, "board_id", None) or (school.board_id if school else None)
    return (school.pk if school else None), board_id


def audit_admin_change(request, obj, verb: str, fields: list[str] | None = None) -> None:
    """Write one admin change (``verb``: created, updated, deleted) to the audit log:
    the names of the changed fields, never their values (they may be personal data)."""
    name = obj._meta.model_name
    school_id, board_id = _scope(obj)
    changes = {"via": "beheer", "model": name}
    if fields is not None:
        changes["fields"] = sorted(fields)
    record(f"{ADMIN_SUBJECTS.get(name, name)}.{verb}", obj, actor=request.user, school_id=school_id, board_id=board_id,
           changes=changes, ip=client_ip(request))


class AuditedAdmin(admin.ModelAdmin):
    """Admin whose every add, change and delete (also in inlines and bulk deletes) is audited."""

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        audit_admin_change(request, obj, "updated" if change else "created", form.changed_data)

    def delete_model(self, request, obj):
        audit_admin_change(request, obj, "deleted")
        super().delete_model(request, obj)

    def delete_queryset(self, request, queryset):
        for obj in queryset:
            audit_admin_change(request, obj, "deleted")
        super().delete_queryset(request, queryset)

    def save_formset(self, request, form, formset, change):
        for deleted in formset.deleted_forms:
            if deleted.instance.pk is not None:
                audit_admin_change(request, deleted.instance, "deleted")
        super().save_formset(request, form, formset, change)
        for obj in formset.new_objects:
            audit_admin_change(request, obj, "created")
        for obj, fields in formset.changed_objects:
            audit_admin_change(request, obj, "updated", fields)


@admin.register(AuditEvent)
class AuditEventAdmin(AppendOnlyAdmin):
    """The audit log."""

    list_display = ("at", "actor_label", "action", "object_type", "object_id", "school_id")
    list_filter = ("action",)
