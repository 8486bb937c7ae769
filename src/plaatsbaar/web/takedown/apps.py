from django.apps import AppConfig


class TakedownConfig(AppConfig):
    """Takedowns: published items that show a pupil on a channel no longer covered by consent."""

    name = "plaatsbaar.web.takedown"
    label = "takedown"
    verbose_name = "Verwijderverzoeken"

    def ready(self) -> None:
        """Connect the receivers that open takedowns on withdrawal and on leaving the school, and close them
        when the publication log takes an item offline."""
        from django.db.models.signals import post_save, pre_save

        from plaatsbaar.web.consent.models import ConsentEvent
        from plaatsbaar.web.organisation.models import Pupil
        from plaatsbaar.web.publication.signals import publication_left
        from plaatsbaar.web.takedown import signals

        post_save.connect(signals.consent_answered, sender=ConsentEvent, dispatch_uid="takedown.consent_answered")
        pre_save.connect(signals.remember_left_on, sender=Pupil, dispatch_uid="takedown.remember_left_on")
        post_save.connect(signals.pupil_saved, sender=Pupil, dispatch_uid="takedown.pupil_saved")
        publication_left.connect(signals.publication_left, dispatch_uid="takedown.publication_left")
