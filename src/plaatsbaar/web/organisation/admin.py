"""Django admin for the organisation: every change is audited; protocol versions are read-only
(a protocol is activated on the protocol page, which validates it)."""

from django.contrib import admin

from plaatsbaar.web.audit.admin import AppendOnlyAdmin, AuditedAdmin
from plaatsbaar.web.organisation.models import Board, Group, Guardian, Guardianship, ProtocolVersion, Pupil, School, StaffRole


class GuardianshipInline(admin.TabularInline):
    model = Guardianship
    extra = 0


@admin.register(Pupil)
class PupilAdmin(AuditedAdmin):
    list_display = ("first_name", "last_name", "school", "group")
    list_filter = ("school",)
    inlines = [GuardianshipInline]


@admin.register(ProtocolVersion)
class ProtocolVersionAdmin(AppendOnlyAdmin):
    """The version history, read-only."""

    list_display = ("school", "builtin_id", "active", "created_at")


for model in (Board, School, Group, Guardian, StaffRole):
    admin.site.register(model, AuditedAdmin)
