"""The connector interface: the manual connector, the registry, and how a platform connector plugs in."""

from __future__ import annotations

import pytest

from plaatsbaar.web.audit.models import AuditEvent
from plaatsbaar.web.drafts.models import DraftStatus
from plaatsbaar.web.publication import services
from plaatsbaar.web.publication.connectors import (
    Connector,
    ConnectorError,
    ManualConnector,
    UnknownConnector,
    connectors,
    get_connector,
    register,
    unregister,
)
from plaatsbaar.web.publication.models import Publication, PublicationStatus
from plaatsbaar.web.review.workflow import StepRefused
from tests.web.test_publication_support import build_draft, consent, media_root  # noqa: F401 (fixtures)


class Platform(Connector):
    """A platform that keeps its posts in a dict (a stand-in for a real platform's API)."""

    code = "testplatform"
    label = "testplatform"

    def __init__(self, refuse: str = ""):
        self.refuse = refuse
        self.posts: dict[str, tuple[str, list[str]]] = {}

    def publish(self, publication):
        if self.refuse:
            raise ConnectorError(self.refuse)
        ref = f"post-{len(self.posts) + 1}"
        self.posts[ref] = (publication.text, [m.file for m in publication.media.all()])
        return ref

    def remove(self, publication):
        if self.refuse:
            raise ConnectorError(self.refuse)
        del self.posts[publication.external_ref]


@pytest.fixture
def platform():
    connector = register(Platform())
    yield connector
    unregister(connector.code)


@pytest.fixture
def refusing_platform():
    connector = register(Platform(refuse="Het platform is niet bereikbaar."))
    yield connector
    unregister(connector.code)


def test_the_manual_connector_is_registered_as_manual():
    connector = get_connector("manual")
    assert isinstance(connector, ManualConnector) and connector.label.startswith("handmatig")
    assert "manual" in [c.code for c in connectors()]


def test_an_unknown_code_is_a_clear_error():
    with pytest.raises(UnknownConnector, match="onbekende koppeling 'facebook'; bekend: .*manual"):
        get_connector("facebook")


def test_a_code_cannot_be_registered_twice(platform):
    with pytest.raises(ValueError, match="al een koppeling met code 'testplatform'"):
        register(Platform())


def test_publishing_through_an_unknown_connector_records_nothing(consent, media_root):
    draft = build_draft(consent)
    with pytest.raises(UnknownConnector):
        services.publish(draft, consent.teacher, connector="facebook")
    assert not Publication.objects.exists()


def test_a_platform_connector_posts_the_anonymised_files_and_removes_the_post(consent, media_root, platform):
    publication = services.publish(build_draft(consent), consent.teacher, connector="testplatform")
    assert publication.connector == "testplatform" and publication.external_ref == "post-1"
    text, files = platform.posts["post-1"]
    assert text == publication.text and files == [f"publicaties/{publication.pk}/bestand-1.jpg"]
    services.mark_removed(publication, consent.teacher)
    assert platform.posts == {}
    assert Publication.objects.get().status == PublicationStatus.REMOVED


def test_a_refusing_platform_leaves_no_publication_and_no_files(consent, media_root, refusing_platform):
    draft = build_draft(consent)
    with pytest.raises(StepRefused, match="niet bereikbaar"):
        services.publish(draft, consent.teacher, connector="testplatform")
    draft.refresh_from_db()
    assert not Publication.objects.exists() and draft.status == DraftStatus.CONCEPT
    assert not (media_root / "publicaties").exists() or not any((media_root / "publicaties").rglob("*.jpg"))
    assert not AuditEvent.objects.filter(action="publication.published").exists()


def test_when_the_platform_cannot_remove_the_post_it_stays_online_in_the_log(consent, media_root, platform):
    publication = services.publish(build_draft(consent), consent.teacher, connector="testplatform")
    platform.refuse = "Het platform is niet bereikbaar."
    with pytest.raises(StepRefused, match="niet bereikbaar"):
        services.mark_removed(publication, consent.teacher)
    assert Publication.objects.get().status == PublicationStatus.LIVE and "post-1" in platform.posts
