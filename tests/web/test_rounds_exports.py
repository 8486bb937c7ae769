"""The "no photo" list per class as CSV and printable PDF, and who may download it."""

from __future__ import annotations

import csv
import io
from datetime import date

import pytest
from pypdf import PdfReader

from plaatsbaar.web.consent.services import Answer, record_answer
from plaatsbaar.web.organisation.models import Guardian, Guardianship, Pupil


@pytest.fixture
def answers(world):
    """Sem: no to Facebook photos, yes to website; Noor (16): yes to both; Zoë and Bram: no answer at all."""
    sem_parent = Answer(guardian=world.guardian)
    record_answer(world.pupil, world.facebook, "photo", False, sem_parent)
    record_answer(world.pupil, world.website, "photo", True, sem_parent)
    record_answer(world.pupil, world.website, "video", True, sem_parent)
    for category in (world.facebook, world.website):
        record_answer(world.older_pupil, category, "photo", True, Answer(by_pupil=True))
    zoe = Pupil.objects.create(school=world.school, group=world.group, external_id="1009", first_name="Zoë", last_name="Yılmaz", date_of_birth=date(2018, 6, 1))
    parent = Guardian.objects.create(board=world.board, first_name="Hasan", last_name="Yılmaz", email="hasan@example.org")
    Guardianship.objects.create(guardian=parent, pupil=zoe)
    Pupil.objects.create(school=world.school, group=world.group, external_id="1010", first_name="Bram", last_name="Evers", date_of_birth=date(2018, 2, 1))
    return zoe


def _csv_rows(response) -> list[dict]:
    text = response.content.decode("utf-8")
    assert text.startswith("\ufeff")
    return list(csv.DictReader(io.StringIO(text[1:]), delimiter=";"))


def test_csv_lists_pupils_without_yes_for_any_channel(world, answers, client):
    client.force_login(world.users["teacher"])
    response = client.get(f"/ronde/groep/{world.group.pk}/geen-foto.csv")
    assert response.status_code == 200 and response["Content-Type"].startswith("text/csv")
    assert 'filename="geen-foto-groep-5-2026-2027.csv"' in response["Content-Disposition"]
    rows = _csv_rows(response)
    # Noor said yes; Dutch order: "de Vries" under V
    assert [(r["achternaam"], r["roepnaam"]) for r in rows] == [("Evers", "Bram"), ("de Vries", "Sem"), ("Yılmaz", "Zoë")]
    assert rows[1]["nee gezegd voor"] == "Facebook" and rows[1]["geen antwoord voor"] == ""
    assert rows[2]["geen antwoord voor"] == "Facebook, Website" and rows[2]["groep"] == "groep 5"


def test_one_category_and_another_media_kind_can_be_chosen(world, answers, client):
    client.force_login(world.users["teacher"])
    website = _csv_rows(client.get(f"/ronde/groep/{world.group.pk}/geen-foto.csv?categorie=website"))
    assert [r["roepnaam"] for r in website] == ["Bram", "Zoë"]
    video = _csv_rows(client.get(f"/ronde/groep/{world.group.pk}/geen-foto.csv?categorie=website&soort=video"))
    assert [r["roepnaam"] for r in video] == ["Noor", "Bram", "Zoë"]  # Noor answered photos only


def test_withdrawal_puts_a_pupil_on_the_list_at_once(world, answers, client):
    record_answer(world.older_pupil, world.website, "photo", False, Answer(by_pupil=True))
    client.force_login(world.users["teacher"])
    rows = _csv_rows(client.get(f"/ronde/groep/{world.group.pk}/geen-foto.csv"))
    assert ("Noor", "Website") in [(r["roepnaam"], r["nee gezegd voor"]) for r in rows]


def test_pdf_is_printable_and_names_the_pupils(world, answers, client):
    client.force_login(world.users["manager"])
    response = client.get(f"/ronde/groep/{world.group.pk}/geen-foto.pdf")
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")
    text = "".join(page.extract_text() for page in PdfReader(io.BytesIO(response.content)).pages)
    assert "de Vries, Sem" in text and "Yılmaz, Zoë" in text and "Bakker" not in text
    assert "groep 5" in text and "Vertrouwelijk" in text


def test_unknown_category_or_media_kind_is_a_clear_error(world, answers, client):
    client.force_login(world.users["teacher"])
    response = client.get(f"/ronde/groep/{world.group.pk}/geen-foto.csv?categorie=tiktok")
    assert response.status_code == 400 and "onbekende toestemmingscategorie" in response.content.decode()
    assert client.get(f"/ronde/groep/{world.group.pk}/geen-foto.pdf?soort=geur").status_code == 400


def test_the_choice_page_links_every_class_with_the_chosen_options(world, answers, client):
    client.force_login(world.users["teacher"])
    page = client.get(f"/ronde/school/{world.school.pk}/geen-foto/?categorie=facebook&soort=photo").content.decode()
    assert f"/ronde/groep/{world.group.pk}/geen-foto.pdf?categorie=facebook&amp;soort=photo" in page


@pytest.mark.parametrize("suffix", ["csv", "pdf"])
def test_staff_of_another_school_gets_not_found(world, answers, client, suffix):
    client.force_login(world.users["other_teacher"])
    assert client.get(f"/ronde/groep/{world.group.pk}/geen-foto.{suffix}").status_code == 404
    assert client.get(f"/ronde/school/{world.school.pk}/geen-foto/").status_code == 404


def test_anonymous_visitors_are_sent_to_log_in(world, client):
    response = client.get(f"/ronde/groep/{world.group.pk}/geen-foto.csv")
    assert response.status_code == 302 and "/inloggen/" in response["Location"]


def test_csv_cells_cannot_run_as_spreadsheet_formulas(world, client):
    Pupil.objects.create(school=world.school, group=world.group, external_id="1011", first_name="Kim", last_name='=HYPERLINK("http://x")', date_of_birth=date(2018, 2, 1))
    client.force_login(world.users["teacher"])
    rows = _csv_rows(client.get(f"/ronde/groep/{world.group.pk}/geen-foto.csv"))
    assert "'=HYPERLINK(\"http://x\")" in [r["achternaam"] for r in rows]
