from django.contrib import admin

from plaatsbaar.web.organisation.models import Board, Group, Guardian, Guardianship, ProtocolVersion, Pupil, School, StaffRole


class GuardianshipInline(admin.TabularInline):
    model = Guardianship
    extra = 0


@admin.register(Pupil)
class PupilAdmin(admin.ModelAdmin):
    list_display = ("first_name", "last_name", "school", "group")
    list_filter = ("school",)
    inlines = [GuardianshipInline]


for model in (Board, School, Group, Guardian, ProtocolVersion, StaffRole):
    admin.site.register(model)
