"""Receivers that open takedowns when consent is withdrawn or a pupil leaves the school.

Connected in :meth:`TakedownConfig.ready`. They catch every path: the portal,
paper forms and imports all record consent through
``consent.services.record_answer`` (a new :class:`ConsentEvent`), and a
pupil's ``left_on`` is set by the people pages, the admin or an import
(a :class:`Pupil` save). Fixture loading (``raw``) is ignored. When the
publication log marks an item removed or replaced, its open takedowns close
(:func:`publication_left`).
"""

from __future__ import annotations

from plaatsbaar.web.consent.models import ConsentEvent
from plaatsbaar.web.organisation.models import Pupil
from plaatsbaar.web.takedown.models import Reason
from plaatsbaar.web.takedown.services import open_takedowns_for_pupil, settle_publication

_LEFT_BEFORE = "_takedown_left_on_before"


def consent_answered(sender, instance: ConsentEvent, created: bool, raw: bool = False, **kwargs) -> None:
    """post_save of a ConsentEvent: a new "no" may leave published items uncovered."""
    if created and not raw and instance.answer is False:
        open_takedowns_for_pupil(instance.pupil, Reason.WITHDRAWN)


def remember_left_on(sender, instance: Pupil, raw: bool = False, update_fields=None, **kwargs) -> None:
    """pre_save of a Pupil: remember the stored ``left_on`` (one query, only when a date is being saved)."""
    saves_left_on = update_fields is None or "left_on" in update_fields
    before = None
    if instance.pk is not None and instance.left_on is not None and saves_left_on and not raw:
        before = Pupil.objects.filter(pk=instance.pk).values_list("left_on", flat=True).first()
    setattr(instance, _LEFT_BEFORE, before)


def pupil_saved(sender, instance: Pupil, created: bool, raw: bool = False, update_fields=None, **kwargs) -> None:
    """post_save of a Pupil: ``left_on`` newly set (was empty) → the pupil left; open takedowns."""
    saves_left_on = update_fields is None or "left_on" in update_fields
    if created or raw or not saves_left_on or instance.left_on is None:
        return
    if getattr(instance, _LEFT_BEFORE, None) is None:
        open_takedowns_for_pupil(instance, Reason.LEFT)


def publication_left(sender, publication, user, ip=None, **kwargs) -> None:
    """publication.signals.publication_left: close the item's open takedowns (removed, or
    re-published with the pupil blurred), whichever page took it offline."""
    settle_publication(publication, user, ip=ip)
