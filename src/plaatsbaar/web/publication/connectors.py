"""Connectors: the one step where a publication leaves plaatsbaar for a platform.

Today there is one connector, :class:`ManualConnector` (code ``"manual"``,
"handmatig"): plaatsbaar keeps the text and the anonymised files, and staff
download or copy them and post them by hand. Connectors that post to real
platforms come later; they plug in behind the same interface.

How a platform connector plugs in
---------------------------------
1. Subclass :class:`Connector` in a module of its own (e.g. ``facebook.py``),
   with a unique ``code`` (stored in ``Publication.connector``) and a Dutch
   ``label``.
2. ``publish(publication)`` posts ``publication.text`` and the files of
   ``publication.media`` (paths relative to ``MEDIA_ROOT``; they are already
   anonymised) and returns the platform's id or URL of the post, which is
   stored as ``Publication.external_ref``. It is called inside the database
   transaction of :func:`plaatsbaar.web.publication.services.publish`: raise
   :class:`ConnectorError` (Dutch message) and nothing is recorded.
3. ``remove(publication)`` deletes the post from the platform (using
   ``external_ref``) when staff mark it removed or a takedown asks for it;
   raise :class:`ConnectorError` when that fails, so the publication stays
   "online" in the log.
4. Register an instance with :func:`register` (e.g. in the app's
   ``AppConfig.ready``). Credentials come from settings or the environment,
   never from the database in plain text, and are never logged.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # pragma: no cover - typing only
    from plaatsbaar.web.publication.models import Publication


class ConnectorError(RuntimeError):
    """A platform refused or could not be reached; ``str()`` is a Dutch message for staff."""


class UnknownConnector(ValueError):
    """No connector is registered under this code."""


class Connector(ABC):
    """Posts a :class:`~plaatsbaar.web.publication.models.Publication` to a platform and removes it.

    ``code``: stored with each publication (≤ 50 characters, ``[a-z_]``);
    ``label``: Dutch, shown to staff.
    """

    code: str
    label: str

    @abstractmethod
    def publish(self, publication: "Publication") -> str | None:
        """Post ``publication``; returns the platform's reference (id or URL), or ``None``.

        Raises :class:`ConnectorError` when the platform refuses.
        """

    @abstractmethod
    def remove(self, publication: "Publication") -> None:
        """Take ``publication`` off the platform; raises :class:`ConnectorError` when that fails."""


class ManualConnector(Connector):
    """"Handmatig": plaatsbaar keeps the files; staff download or copy them and post by hand.

    Publishing and removing do nothing on a platform: staff do it themselves
    and mark the publication removed in plaatsbaar.
    """

    code = "manual"
    label = "handmatig (downloaden of kopiëren en zelf plaatsen)"

    def publish(self, publication: "Publication") -> str | None:
        """Nothing to post: the files wait on the publication page. Returns ``None``."""
        return None

    def remove(self, publication: "Publication") -> None:
        """Nothing to remove: staff take the post down by hand."""
        return None


_REGISTRY: dict[str, Connector] = {}


def register(connector: Connector) -> Connector:
    """Make ``connector`` available under its ``code``; raises ``ValueError`` for a code in use."""
    existing = _REGISTRY.get(connector.code)
    if existing is not None and existing is not connector:
        raise ValueError(f"er is al een koppeling met code {connector.code!r}")
    _REGISTRY[connector.code] = connector
    return connector


def unregister(code: str) -> None:
    """Remove the connector registered under ``code`` (e.g. a platform switched off); missing is fine."""
    _REGISTRY.pop(code, None)


def get_connector(code: str) -> Connector:
    """The connector registered under ``code``; raises :class:`UnknownConnector` naming the known codes."""
    try:
        return _REGISTRY[code]
    except KeyError:
        known = ", ".join(sorted(_REGISTRY))
        raise UnknownConnector(f"onbekende koppeling {code!r}; bekend: {known}") from None


def connectors() -> list[Connector]:
    """Every registered connector, by code."""
    return [_REGISTRY[code] for code in sorted(_REGISTRY)]


register(ManualConnector())
