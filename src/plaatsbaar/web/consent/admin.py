from django.contrib import admin

from plaatsbaar.web.audit.admin import AppendOnlyAdmin
from plaatsbaar.web.consent.models import ConsentCategory, ConsentEvent

admin.site.register(ConsentCategory)


@admin.register(ConsentEvent)
class ConsentEventAdmin(AppendOnlyAdmin):
    """Consent is changed only through recorded answers."""

    list_display = ("at", "pupil", "category", "media_kind", "answer", "method")
