from django.contrib import admin

from plaatsbaar.web.audit.admin import AppendOnlyAdmin, AuditedAdmin
from plaatsbaar.web.consent.models import ConsentCategory, ConsentEvent


@admin.register(ConsentCategory)
class ConsentCategoryAdmin(AuditedAdmin):
    """Categories (also on the school's category page); every change is audited."""

    list_display = ("label", "school", "code", "channel", "order", "active")
    list_filter = ("school", "active")


@admin.register(ConsentEvent)
class ConsentEventAdmin(AppendOnlyAdmin):
    """Consent is changed only through recorded answers."""

    list_display = ("at", "pupil", "category", "media_kind", "answer", "method")
