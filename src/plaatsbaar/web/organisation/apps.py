from django.apps import AppConfig


class OrganisationConfig(AppConfig):
    """The board, its schools, groups, pupils, guardians and staff roles."""

    name = "plaatsbaar.web.organisation"
    label = "organisation"
    verbose_name = "Organisatie"

    def ready(self) -> None:
        """Connect the receiver that audits every deleted staff role (also when its user is deleted)."""
        from django.db.models.signals import post_delete

        from plaatsbaar.web.organisation import signals
        from plaatsbaar.web.organisation.models import StaffRole

        post_delete.connect(signals.role_deleted, sender=StaffRole, dispatch_uid="organisation.role_deleted")
