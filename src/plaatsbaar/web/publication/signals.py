"""Signals the publication log sends, so that other areas (the takedown register) can follow it
without the publication app depending on them."""

from django.dispatch import Signal

#: Sent after a publication stopped being live (marked removed, or replaced by a re-published
#: version): ``sender`` is the Publication class, with ``publication`` (its stored state),
#: ``user`` (who did it) and ``ip`` (``str | None``).
publication_left = Signal()
