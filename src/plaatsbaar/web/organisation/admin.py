"""Django admin for the organisation: every change is audited; protocol versions are read-only
(a protocol is activated on the protocol page, which validates it); deleting a user account
names the administrator in the audit entries of the roles removed with it."""

from django.contrib import admin
from django.contrib.auth import admin as auth_admin
from django.contrib.auth import get_user_model

from plaatsbaar.web.audit.admin import AppendOnlyAdmin, AuditedAdmin
from plaatsbaar.web.audit.services import acting, actor_label, client_ip
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


User = get_user_model()
_RegisteredUserAdmin = type(admin.site.get_model_admin(User)) if admin.site.is_registered(User) else auth_admin.UserAdmin


class UserAdminNamingWhoDeletes(_RegisteredUserAdmin):
    """Django's user admin, but deleting accounts names the administrator (and IP) in the
    ``role.deleted`` audit entries of the roles removed with them (see organisation.signals)."""

    def delete_model(self, request, obj):
        with acting(self._actor(request, User.objects.filter(pk=obj.pk)), client_ip(request)):
            super().delete_model(request, obj)

    def delete_queryset(self, request, queryset):
        with acting(self._actor(request, queryset), client_ip(request)):
            super().delete_queryset(request, queryset)

    @staticmethod
    def _actor(request, deleted):
        """The administrator; only their name when they delete their own account (the entry outlives it)."""
        return actor_label(request.user) if deleted.filter(pk=request.user.pk).exists() else request.user


if admin.site.is_registered(User):
    admin.site.unregister(User)
admin.site.register(User, UserAdminNamingWhoDeletes)
