"""Issue 4 in a real browser: from a sports-day photo to a takedown.

A teacher posts a sports-day photo of six pupils, tags four faces, applies the
fix and submits; the leidinggevende approves; the teacher publishes; a
guardian then withdraws consent on a phone, and the teacher sees the takedown.
Debian's Chromium driven by Playwright against a live server; screenshots go
to /tmp for a human to look at.
"""

from __future__ import annotations

import io
from datetime import date

import numpy as np
import pytest
from PIL import Image
from playwright.sync_api import Page, expect

from plaatsbaar.core.detectors.faces import get_face_detector
from plaatsbaar.web.consent.services import Answer, record_answer
from plaatsbaar.web.drafts.models import Draft, DraftStatus
from plaatsbaar.web.organisation.models import Guardian, Guardianship, ProtocolVersion, Pupil
from plaatsbaar.web.portal.links import make_token
from plaatsbaar.web.publication.models import Publication, SchoolChannel
from plaatsbaar.web.takedown.models import Takedown
from tests.media_factory import write_group_photo
from tests.web.browser_support import (  # noqa: F401 (fixtures)
    CHECK_TIMEOUT_MS,
    DESKTOP,
    PASSWORD,
    PHONE,
    browser,
    open_page,
    orm_beside_playwright,
)

SPORTS_DAY = "Wat een sportdag! Sem de Vries won de sprint en groep 5 werd tweede bij het touwtrekken."
TAGGED = ["Sem", "Bram", "Fenna", "Jesse"]  # four of the six faces; the other two stay untagged


@pytest.fixture
def sports_day(newsroom, settings, tmp_path):
    """Lucas-onderwijs protocol; Facebook always goes past four eyes; groep 5 has Sem and three more
    pupils whose guardians said yes to photos on Facebook."""
    settings.MEDIA_ROOT = tmp_path / "media"
    world = newsroom.world
    ProtocolVersion.objects.create(school=world.school, builtin_id="lucas-onderwijs", active=True)
    SchoolChannel.objects.create(school=world.school, channel="facebook", label="Facebook-pagina", always_four_eyes=True)
    record_answer(world.pupil, world.facebook, "photo", True, Answer(guardian=world.guardian))
    for number, name in enumerate(TAGGED[1:], start=1):
        pupil = Pupil.objects.create(school=world.school, group=world.group, external_id=f"15{number}", first_name=name,
                                     last_name="Visser", date_of_birth=date(2018, 1, number))
        guardian = Guardian.objects.create(board=world.board, first_name="Ouder", last_name=f"Visser {number}")
        Guardianship.objects.create(guardian=guardian, pupil=pupil)
        record_answer(pupil, world.facebook, "photo", True, Answer(guardian=guardian))
    return newsroom


def _faces(image_bytes: bytes) -> int:
    with Image.open(io.BytesIO(image_bytes)) as image:
        return len(get_face_detector().detect(np.asarray(image.convert("RGB"))))


def _log_in(page: Page, base: str, username: str) -> None:
    page.goto(f"{base}/inloggen/")
    page.get_by_label("Gebruikersnaam").fill(username)
    page.get_by_label("Wachtwoord").fill(PASSWORD)
    page.get_by_role("button", name="Inloggen").click()


def _teacher_writes_and_submits(page: Page, base: str, photo) -> Draft:
    _log_in(page, base, "juf")
    page.goto(f"{base}/berichten/")
    page.get_by_label("Kanaal").select_option(label="Facebook")
    page.get_by_label("Groep/klas").select_option(label="groep 5 (2026-2027)")
    page.get_by_role("button", name="Nieuw bericht").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Bericht voor Facebook")
    draft = Draft.objects.get()

    page.get_by_role("textbox", name="Tekst", exact=True).fill(SPORTS_DAY)
    page.get_by_role("button", name="Opslaan en toetsen").click()
    expect(page.get_by_role("heading", name="Toets")).to_be_visible(timeout=CHECK_TIMEOUT_MS)
    page.get_by_label("Foto, film of geluidsopname").set_input_files(photo)
    page.get_by_role("button", name="Toevoegen").click()
    photo_box = page.locator("#bestand-1")
    expect(photo_box.get_by_role("combobox", name="Gezicht 6", exact=True)).to_be_visible(timeout=CHECK_TIMEOUT_MS)  # six faces found
    for number, name in enumerate(TAGGED, start=1):
        surname = "de Vries" if name == "Sem" else "Visser"
        photo_box.get_by_role("combobox", name=f"Gezicht {number}", exact=True).select_option(label=f"{name} {surname} — toestemming: ja")
    photo_box.get_by_role("button", name="Gezichten opslaan en toetsen").click()
    expect(page.locator("#bestand-1").get_by_role("combobox", name="Gezicht 4", exact=True)).to_have_value(str(Pupil.objects.get(first_name="Jesse").pk))

    page.get_by_role("button", name="Pas de oplossingen toe").click()
    expect(page.get_by_role("textbox", name="Tekst", exact=True)).not_to_have_value(SPORTS_DAY)
    assert "de Vries" not in page.get_by_role("textbox", name="Tekst", exact=True).input_value()
    page.screenshot(path="/tmp/newsroom-draft.png", full_page=True)
    page.get_by_role("button", name="Ter beoordeling aanbieden").click()
    expect(page.get_by_role("status").first).to_be_visible()
    draft.refresh_from_db()
    assert draft.status == DraftStatus.IN_REVIEW
    return draft


def _leidinggevende_approves(page: Page, base: str, draft: Draft) -> None:
    _log_in(page, base, "directeur")
    page.goto(f"{base}/beoordelen/")
    page.get_by_role("link", name="Beoordelen").click()
    page.get_by_role("button", name="Goedkeuren").click()
    draft.refresh_from_db()
    assert draft.status == DraftStatus.APPROVED


def test_sports_day_photo_from_draft_to_takedown(sports_day, live_server, open_page, tmp_path):
    world = sports_day.world
    photo = write_group_photo(tmp_path / "sportdag.jpg", 6)
    assert _faces(photo.read_bytes()) == 6
    base = live_server.url

    teacher = open_page(DESKTOP)
    draft = _teacher_writes_and_submits(teacher, base, photo)
    _leidinggevende_approves(open_page(DESKTOP), base, draft)

    teacher.goto(f"{base}/berichten/{draft.pk}/")
    teacher.get_by_role("button", name="Publiceren").click()
    publication = Publication.objects.get(draft=draft)
    published = publication.media.get()
    response = teacher.request.get(f"{base}/publicaties/{publication.pk}/bestand/{published.number}/")
    assert response.status == 200
    assert _faces(response.body()) == 4  # the four consenting pupils; the two untagged faces are blurred
    assert "de Vries" not in publication.text

    guardian = open_page(PHONE)
    guardian.goto(f"{base}/portaal/{make_token(world.guardian)}/")
    guardian.get_by_role("link", name="Bekijken of wijzigen voor Sem").click()
    guardian.get_by_role("button", name="Alles intrekken").click()
    expect(guardian.get_by_role("status")).to_contain_text("Alle toestemming is ingetrokken")
    takedown = Takedown.objects.get(publication=publication)
    assert takedown.pupil == world.pupil

    teacher.goto(f"{base}/verwijderen/")
    row = teacher.get_by_role("row", name=f"Publicatie {publication.pk}")
    expect(row).to_contain_text("toestemming ingetrokken")
    teacher.screenshot(path="/tmp/newsroom-takedown.png", full_page=True)
