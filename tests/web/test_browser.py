"""Two journeys in a real browser (Debian's Chromium driven by Playwright) against a live server:
a guardian withdrawing consent on a phone, and a teacher checking a draft with a group photo.

Chromium is Debian's package (``/usr/bin/chromium``, installed by ``.ci/run``), never a
browser downloaded by Playwright. The screenshots go to /tmp for a human to look at.
"""

from __future__ import annotations

import io
import os
from pathlib import Path

import numpy as np
import pytest
from PIL import Image

try:
    from playwright.sync_api import Browser, Page, expect, sync_playwright
except ImportError:  # pragma: no cover - a clear message instead of a bare traceback
    pytest.fail("The Python package 'playwright' is missing: install the test extras (pip install -e '.[test]').", pytrace=False)

from plaatsbaar.core.detectors.faces import get_face_detector
from plaatsbaar.core.vocabulary import Channel, MediaKind
from plaatsbaar.web.consent.services import Answer, record_answer, registry_for
from plaatsbaar.web.organisation.models import ProtocolVersion, StaffRole
from plaatsbaar.web.portal.links import make_token
from tests.media_factory import write_group_photo

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync"]
PHONE = {"width": 390, "height": 844}  # iPhone 12, CSS pixels
DESKTOP = {"width": 1280, "height": 900}
PASSWORD = "geheim-wachtwoord-1"  # the password of every user of the `world` fixture
CHECK_TIMEOUT_MS = 90_000  # the first check in a process loads deduce (10-60 s)


@pytest.fixture(scope="module")
def orm_beside_playwright():
    """Playwright's sync API keeps an event loop running in the test thread, which trips
    Django's async-unsafe guard on every ORM call of the test; allow them for this module only."""
    before = os.environ.get("DJANGO_ALLOW_ASYNC_UNSAFE")
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    yield
    if before is None:
        os.environ.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
    else:
        os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = before


@pytest.fixture(scope="module")
def browser(orm_beside_playwright) -> Browser | None:
    """Debian's headless Chromium, shared by the module's tests; ``None`` when it is not installed
    (``open_page`` then fails the test itself, so a missing browser is a failure, never a skip)."""
    if not CHROMIUM.is_file():
        yield None
        return
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture
def open_page(browser):
    """``open_page(viewport)``: a page in a fresh browser context (own cookies); closed afterwards.
    Fails the calling test when Chromium is missing."""
    contexts = []

    def opener(viewport: dict) -> Page:
        if browser is None:
            pytest.fail(f"{CHROMIUM} is missing: the browser tests need Debian's Chromium, which .ci/run installs "
                        "(apt-get install -y chromium).", pytrace=False)
        context = browser.new_context(viewport=viewport, locale="nl-NL")
        contexts.append(context)
        return context.new_page()

    yield opener
    for context in contexts:
        context.close()


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
