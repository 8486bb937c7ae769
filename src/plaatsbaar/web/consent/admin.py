from django.contrib import admin

from plaatsbaar.web.consent.models import ConsentCategory, ConsentEvent

admin.site.register(ConsentCategory)


@admin.register(ConsentEvent)
class ConsentEventAdmin(admin.ModelAdmin):
    """Read-only: consent is changed only through recorded answers."""

    list_display = ("at", "pupil", "category", "media_kind", "answer", "method")

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
