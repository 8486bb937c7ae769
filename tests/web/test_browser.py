"""Two journeys in a real browser (Debian's Chromium driven by Playwright) against a live server:
a guardian withdrawing consent on a phone, and a teacher checking a draft with a group photo.

Chromium is Debian's package (``/usr/bin/chromium``, installed by ``.ci/run``), never a
browser downloaded by Playwright. The screenshots go to /tmp for a human to look at.
"""

from __future__ import annotations

import io

import numpy as np
import pytest
from PIL import Image
from playwright.sync_api import Page, expect

from plaatsbaar.core.detectors.faces import get_face_detector
from plaatsbaar.core.vocabulary import Channel, MediaKind
from plaatsbaar.web.consent.services import Answer, record_answer, registry_for
from plaatsbaar.web.organisation.models import ProtocolVersion, StaffRole
from plaatsbaar.web.portal.links import make_token
from tests.media_factory import write_group_photo
from tests.web.browser_support import CHECK_TIMEOUT_MS, DESKTOP, PASSWORD, PHONE, browser, open_page, orm_beside_playwright  # noqa: F401 (fixtures)


def _has_no_horizontal_scroll(page: Page) -> bool:
    return page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")


def _photo_allowed(pupil, channel: Channel) -> bool:
    return registry_for([pupil]).allows(str(pupil.pk), channel, MediaKind.PHOTO)


def test_a_guardian_withdraws_consent_on_a_phone_and_it_holds_at_once(world, live_server, open_page):
    for category in (world.facebook, world.website):
        record_answer(world.pupil, category, "photo", True, Answer(guardian=world.guardian))
    page = open_page(PHONE)

    page.goto(f"{live_server.url}/portaal/{make_token(world.guardian)}/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Toestemming voor foto's, films en geluid")
    assert _has_no_horizontal_scroll(page), "the overview scrolls sideways on a phone"
    page.get_by_role("link", name="Bekijken of wijzigen voor Sem").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Toestemming voor Sem de Vries")
    assert _has_no_horizontal_scroll(page), "the child's page scrolls sideways on a phone"

    website_photo = page.get_by_role("group", name="Website").get_by_role("group", name="Foto", exact=True)
    website_photo.get_by_role("radio", name="nee", exact=True).check()
    page.get_by_role("button", name="Opslaan").click()
    expect(page.get_by_role("status")).to_contain_text("Opgeslagen. Uw keuzes gelden vanaf nu.")
    assert not _photo_allowed(world.pupil, Channel.WEBSITE)
    assert _photo_allowed(world.pupil, Channel.FACEBOOK)  # one "nee" leaves the other answers alone

    page.get_by_role("button", name="Alles intrekken").click()
    expect(page.get_by_role("status")).to_contain_text("Alle toestemming is ingetrokken. Dat geldt vanaf nu.")
    assert not _photo_allowed(world.pupil, Channel.FACEBOOK)
    assert not _photo_allowed(world.pupil, Channel.WEBSITE)
    for category in ("Facebook", "Website"):
        photo = page.get_by_role("group", name=category).get_by_role("group", name="Foto", exact=True)
        expect(photo.locator("p.now")).to_have_text("Nu: nee")
        expect(photo.get_by_role("radio", name="nee", exact=True)).to_be_checked()
    expect(page.get_by_text("Nu: ja")).to_have_count(0)
    expect(page.get_by_role("button", name="Alles intrekken")).to_have_count(0)  # nothing left to withdraw
    assert _has_no_horizontal_scroll(page), "the page after withdrawing scrolls sideways on a phone"
    page.screenshot(path="/tmp/portal-phone.png", full_page=True)


@pytest.fixture
def lucas_teacher(world, settings, tmp_path):
    """The school checks against lucas-onderwijs; Sem may be on Facebook photos; the teacher teaches Sem's class."""
    settings.MEDIA_ROOT = tmp_path / "media"
    ProtocolVersion.objects.create(school=world.school, builtin_id="lucas-onderwijs", active=True)
    record_answer(world.pupil, world.facebook, "photo", True, Answer(guardian=world.guardian))
    StaffRole.objects.get(user=world.users["teacher"], school=world.school).groups.add(world.group)
    return world


def _faces(image_bytes: bytes) -> int:
    with Image.open(io.BytesIO(image_bytes)) as image:
        return len(get_face_detector().detect(np.asarray(image.convert("RGB"))))


def test_a_teacher_checks_a_group_photo_and_sees_the_untagged_faces_blurred(lucas_teacher, live_server, open_page, tmp_path):
    world = lucas_teacher
    photo = write_group_photo(tmp_path / "groepsfoto.jpg", 3)
    assert _faces(photo.read_bytes()) == 3
    page = open_page(DESKTOP)

    page.goto(f"{live_server.url}/inloggen/")
    page.get_by_label("Gebruikersnaam").fill("juf")
    page.get_by_label("Wachtwoord").fill(PASSWORD)
    page.get_by_role("button", name="Inloggen").click()
    page.get_by_role("link", name="Bericht toetsen").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Bericht toetsen")
    assert page.url == f"{live_server.url}/toetsen/{world.school.pk}/"

    page.get_by_label("Tekst", exact=True).fill("Wat een mooie dag in groep 5!")
    slot = page.get_by_role("group", name="Foto 1")
    slot.locator("input[type=file]").set_input_files(photo)
    slot.get_by_label("Sem de Vries — toestemming foto's: ja").check()
    page.get_by_role("button", name="Toetsen").click()
    expect(page.get_by_role("heading", name="Uitkomst")).to_be_visible(timeout=CHECK_TIMEOUT_MS)

    expect(page.locator(".bevinding summary", has_text="Artikel A.5")).not_to_have_count(0)
    expect(page.locator("figure.foto figcaption")).to_contain_text("3 gezichten gevonden, 3 vervaagd")
    preview = page.locator("figure.foto img")
    expect(preview).to_have_js_property("complete", True)  # loaded, or failed to load
    assert preview.evaluate("img => img.naturalWidth") > 0, "the preview does not load in the browser"
    response = page.request.get(live_server.url + preview.get_attribute("src"))  # with the teacher's session
    assert response.status == 200 and response.headers["content-type"] == "image/jpeg"
    assert _faces(response.body()) == 0  # one tag cannot say whose face it is: all three are blurred
    page.screenshot(path="/tmp/check-page.png", full_page=True)
