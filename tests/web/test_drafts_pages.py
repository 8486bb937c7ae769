"""The drafts pages with Django's test client, per role: my drafts, a new draft, the draft page
(save = check, upload, numbered faces, tags with consent, fixes), the private files, forbidden cases."""

from __future__ import annotations

import re
from datetime import datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from plaatsbaar.web.audit.models import AuditEvent
from plaatsbaar.web.drafts import services
from plaatsbaar.web.drafts.models import Draft, DraftStatus, FaceTag
from plaatsbaar.web.organisation.models import Role, StaffRole
from plaatsbaar.web.review import workflow
from tests.web.test_drafts_services import group_photo, lucas, media_root  # noqa: F401 - shared fixtures


def _page(client, draft):
    return client.get(f"/berichten/{draft.pk}/")


def _with_photo(room, photo: bytes) -> tuple[Draft, object]:
    """A concept of the teacher with the group photo, saved once."""
    draft = services.create_draft(room.world.school, room.teacher, "facebook", group=room.world.group)
    media = services.add_media(draft, room.teacher, SimpleUploadedFile("sportdag.jpg", photo))
    services.save_version(draft, room.teacher, text="Wat een mooie sportdag!")
    return draft, media


def test_a_teacher_creates_a_draft_saves_it_and_sees_the_finding_with_its_article(client, lucas):
    client.force_login(lucas.teacher)
    page = client.get("/berichten/").content.decode()
    assert "Nieuw bericht" in page and "groep 5" in page and "groep 7" not in page  # only the classes taught
    response = client.post(f"/berichten/nieuw/{lucas.world.school.pk}/",
                           {f"school{lucas.world.school.pk}-channel": "facebook",
                            f"school{lucas.world.school.pk}-group": lucas.world.group.pk})
    draft = Draft.objects.get(author=lucas.teacher)
    assert response.status_code == 302 and response["Location"] == f"/berichten/{draft.pk}/"
    response = client.post(f"/berichten/{draft.pk}/opslaan/", {"text": "Gefeliciteerd Sem de Vries met je verjaardag!"})
    assert response.status_code == 302
    page = _page(client, draft).content.decode()
    assert "Aanpassen — Plaatsbaar na de aanpassingen hieronder." in page
    assert "<summary>Artikel A.2</summary>" in page and "naam leerling: “Sem de Vries”" in page
    assert "Gefeliciteerd [naam] met je verjaardag!" in page  # the publishable preview
    assert "Pas de oplossingen toe" in page
    response = client.post(f"/berichten/{draft.pk}/oplossen/")
    assert response.status_code == 302
    page = _page(client, draft).content.decode()
    assert "Toegestaan — Niets in het protocol staat plaatsing in de weg." in page
    assert [v.verdict for v in draft.versions.order_by("number")] == ["revise", "allow"]
    history = page[page.index('id="versies"'):]
    assert history.count("<tr><td>") == 2 and "juf" in history
    listing = client.get("/berichten/").content.decode()
    assert f"/berichten/{draft.pk}/" in listing and "Facebook" in listing and "toegestaan" in listing


def test_a_teacher_cannot_create_a_draft_for_a_class_they_do_not_teach(client, lucas):
    client.force_login(lucas.teacher)
    prefix = f"school{lucas.world.school.pk}"
    response = client.post(f"/berichten/nieuw/{lucas.world.school.pk}/",
                           {f"{prefix}-channel": "facebook", f"{prefix}-group": lucas.group7.pk})
    assert response.status_code == 400 and not Draft.objects.exists()
    client.force_login(lucas.world.users["other_teacher"])
    assert client.post(f"/berichten/nieuw/{lucas.world.school.pk}/", {f"{prefix}-channel": "facebook"}).status_code == 404
    client.force_login(lucas.world.users["board"])
    assert client.post(f"/berichten/nieuw/{lucas.world.school.pk}/", {f"{prefix}-channel": "facebook"}).status_code == 403


def test_the_photo_shows_numbered_face_boxes_and_a_picker_with_consent(client, lucas, group_photo):
    draft, media = _with_photo(lucas, group_photo)
    client.force_login(lucas.teacher)
    page = _page(client, draft).content.decode()
    assert f'viewBox="0 0 {media.width} {media.height}"' in page
    boxes = re.findall(r'<rect x="(\d+)" y="(\d+)" width="(\d+)" height="(\d+)"', page)
    assert [list(map(int, box)) for box in boxes] == media.faces
    assert f"/berichten/{draft.pk}/bestanden/1/origineel/" in page  # the author tags on the original
    assert "Sem de Vries — toestemming: ja" in page and "Noor Bakker — toestemming: nee" in page
    assert "Lotte Jansen" not in page  # groep 7: not taught by this teacher
    for number in (1, 2, 3):
        assert f"Gezicht {number}" in page
    client.force_login(lucas.manager)  # a reviewer sees the faces, cannot tag
    page = _page(client, draft).content.decode()
    assert "Gezicht 1: nog niet aangegeven" in page and "<select" not in page


def test_tagging_through_the_page_blurs_the_others_and_writes_the_audit_log(client, lucas, group_photo):
    draft, media = _with_photo(lucas, group_photo)
    client.force_login(lucas.teacher)
    response = client.post(f"/berichten/{draft.pk}/bestanden/1/taggen/",
                           {"m1-face_0": str(lucas.world.pupil.pk), "m1-face_1": "onbekend", "m1-face_2": "onbekend"})
    assert response.status_code == 302 and response["Location"].endswith("#bestand-1")
    assert {t.face: t.pupil_id for t in FaceTag.objects.all()} == {0: lucas.world.pupil.pk, 1: None, 2: None}
    latest = draft.latest_version()
    assert latest.number == 2 and latest.tags == {"1": {"0": lucas.world.pupil.pk, "1": None, "2": None}}
    assert AuditEvent.objects.filter(action="draft.face_tagged").count() == 3
    assert AuditEvent.objects.filter(action="draft.saved").count() == 2
    page = _page(client, draft).content.decode()
    assert f'<option value="{lucas.world.pupil.pk}" selected>Sem de Vries — toestemming: ja</option>' in page


def test_a_teacher_tagging_a_pupil_of_another_class_is_refused(client, lucas, group_photo):
    draft, media = _with_photo(lucas, group_photo)
    client.force_login(lucas.teacher)
    url = f"/berichten/{draft.pk}/bestanden/1/taggen/"
    response = client.post(url, {"m1-face_0": str(lucas.world.pupil.pk), "m1-face_1": str(lucas.pupil7.pk)})
    assert response.status_code == 400
    assert "Je kunt alleen leerlingen taggen uit de groepen waaraan je lesgeeft." in response.content.decode()
    response = client.post(url, {"m1-face_0": str(lucas.world.other_pupil.pk)})
    assert response.status_code == 400 and "Deze leerling hoort niet bij deze school." in response.content.decode()
    assert not FaceTag.objects.exists() and draft.versions.count() == 1
    assert not AuditEvent.objects.filter(action="draft.face_tagged").exists()


def test_uploading_a_photo_finds_its_faces_and_checks_again(client, lucas, group_photo):
    draft = services.create_draft(lucas.world.school, lucas.teacher, "facebook", group=lucas.world.group)
    client.force_login(lucas.teacher)
    response = client.post(f"/berichten/{draft.pk}/bestanden/", {"file": SimpleUploadedFile("a.jpg", group_photo)})
    assert response.status_code == 302
    media = draft.media.get()
    assert len(media.faces) == 3 and media.publishable  # checked at once: publishable written
    assert draft.latest_version().verdict == "revise"
    page = _page(client, draft).content.decode()
    assert "3 gezichten gevonden" in page
    bad = client.post(f"/berichten/{draft.pk}/bestanden/", {"file": SimpleUploadedFile("b.jpg", b"geen foto")})
    assert bad.status_code == 400 and "Foto 2 (b.jpg): dit is geen foto" in bad.content.decode()
    assert draft.media.count() == 1


def test_originals_go_to_author_manager_and_fg_and_blurred_files_to_who_opens_the_page(client, lucas, group_photo, django_user_model):
    draft, media = _with_photo(lucas, group_photo)
    colleague = django_user_model.objects.create_user(username="meester", password="x")
    StaffRole.objects.create(user=colleague, board=lucas.world.board, school=lucas.world.school, role=Role.STAFF)
    original = f"/berichten/{draft.pk}/bestanden/1/origineel/"
    publishable = f"/berichten/{draft.pk}/bestanden/1/publiceren/"
    for user in (lucas.teacher, lucas.manager, lucas.fg):
        client.force_login(user)
        response = client.get(original)
        assert response.status_code == 200, user
        assert response["Cache-Control"] == "private, no-store"
        assert b"".join(response.streaming_content) == services.media_file(media, "original").read_bytes()
    for user in (colleague, lucas.communication, lucas.world.users["other_teacher"]):
        client.force_login(user)
        assert client.get(original).status_code == 404, user
    for user in (lucas.teacher, lucas.manager, lucas.communication, lucas.fg):  # those who open the draft page
        client.force_login(user)
        response = client.get(publishable)
        assert response.status_code == 200 and response["Content-Type"] == "image/jpeg", user
        assert response["Cache-Control"] == "private, no-store"
    for user in (colleague, lucas.world.users["board"], lucas.world.users["other_teacher"]):
        client.force_login(user)  # a colleague and the board get 403 for the page: not its files either
        assert client.get(publishable).status_code == 404, user
        assert client.get(publishable + "?download=1").status_code == 404, user
    client.force_login(lucas.teacher)
    assert client.get(f"/berichten/{draft.pk}/bestanden/1/geheim/").status_code == 404
    assert client.get(f"/berichten/{draft.pk}/bestanden/9/origineel/").status_code == 404
    download = client.get(publishable + "?download=1")
    assert 'attachment; filename="plaatsbaar-foto-1.jpg"' == download["Content-Disposition"]
    client.logout()
    assert client.get(publishable).status_code == 302


def test_the_draft_page_per_role(client, lucas, group_photo, django_user_model):
    draft, _ = _with_photo(lucas, group_photo)
    for user in (lucas.teacher, lucas.manager, lucas.communication, lucas.fg):
        client.force_login(user)
        assert _page(client, draft).status_code == 200, user
    colleague = django_user_model.objects.create_user(username="meester", password="x")
    StaffRole.objects.create(user=colleague, board=lucas.world.board, school=lucas.world.school, role=Role.STAFF)
    client.force_login(colleague)
    assert _page(client, draft).status_code == 403
    client.force_login(lucas.world.users["other_teacher"])
    assert _page(client, draft).status_code == 404
    assert client.post(f"/berichten/{draft.pk}/opslaan/", {"text": "overgenomen"}).status_code == 404
    assert client.get("/berichten/999999/").status_code == 404
    client.force_login(lucas.manager)  # not the author: no changes
    assert client.post(f"/berichten/{draft.pk}/opslaan/", {"text": "Van de directeur"}).status_code == 403
    assert draft.versions.count() == 1


def test_editing_through_the_pages_is_refused_while_in_review(client, lucas, group_photo):
    draft, _ = _with_photo(lucas, group_photo)
    workflow.submit(draft, lucas.teacher)
    client.force_login(lucas.teacher)
    response = client.post(f"/berichten/{draft.pk}/opslaan/", {"text": "Toch anders"})
    assert response.status_code == 403 and "neem het eerst terug" in response.content.decode()
    assert client.post(f"/berichten/{draft.pk}/bestanden/1/taggen/", {"m1-face_0": "onbekend"}).status_code == 403
    assert client.post(f"/berichten/{draft.pk}/oplossen/").status_code == 403
    upload = client.post(f"/berichten/{draft.pk}/bestanden/", {"file": SimpleUploadedFile("a.jpg", group_photo)})
    assert upload.status_code == 403
    draft.refresh_from_db()
    assert draft.status == DraftStatus.IN_REVIEW and draft.versions.count() == 1 and draft.media.count() == 1
    page = _page(client, draft).content.decode()
    assert "bij de leidinggevende" in page and "Opslaan en toetsen" not in page
    assert "ter beoordeling aangeboden (versie 1)" in page


def test_a_school_without_protocol_gets_a_dutch_message_on_save(client, newsroom, media_root):
    draft = services.create_draft(newsroom.world.school, newsroom.teacher, "facebook")
    client.force_login(newsroom.teacher)
    response = client.post(f"/berichten/{draft.pk}/opslaan/", {"text": "Hallo"})
    assert response.status_code == 400 and "Deze school heeft nog geen protocol" in response.content.decode()
    assert not draft.versions.exists()


def test_anonymous_visitors_are_sent_to_log_in(client, lucas):
    for url in ("/berichten/", "/berichten/1/"):
        response = client.get(url)
        assert response.status_code == 302 and "/inloggen/" in response["Location"]


def test_the_page_offers_submit_with_bij_twijfel_and_publish_as_post_forms(client, lucas):
    from django.urls import reverse

    draft = services.create_draft(lucas.world.school, lucas.teacher, "facebook", group=lucas.world.group)
    services.save_version(draft, lucas.teacher, text="Wat een mooie sportdag!")
    client.force_login(lucas.teacher)
    page = _page(client, draft).content.decode()
    submit, publish = reverse("review:submit", args=[draft.pk]), reverse("publication:publish", args=[draft.pk])
    assert f'<form method="post" action="{submit}">' in page and 'name="unsure" value="1"' in page
    assert f'<form method="post" action="{publish}">' in page  # allow, no reason for review: the author may publish
    response = client.post(submit, {"unsure": "1", "comment": ""})
    assert response.status_code == 302
    draft.refresh_from_db()
    assert draft.status == DraftStatus.IN_REVIEW and draft.unsure
    page = _page(client, draft).content.decode()
    assert f'action="{reverse("review:withdraw", args=[draft.pk])}"' in page
    assert f'<form method="post" action="{submit}">' not in page and "Publiceren kan nog niet" in page


# --- tampered and out-of-range input: a Dutch 400, never a server error --------------------------


@pytest.mark.parametrize("value", ["9" * 25, str(2**63), "²", "١", "-1", "3.0"])
def test_a_tampered_face_tag_is_a_dutch_400_not_a_server_error(client, lucas, group_photo, value):
    draft, _ = _with_photo(lucas, group_photo)
    client.force_login(lucas.teacher)
    client.raise_request_exception = False
    response = client.post(f"/berichten/{draft.pk}/bestanden/1/taggen/", {"m1-face_0": value})
    assert response.status_code == 400
    assert "Onbekende leerling" in response.content.decode()
    assert not FaceTag.objects.exists() and draft.versions.count() == 1


def test_the_largest_database_id_is_accepted_as_a_number_and_refused_as_no_pupil(client, lucas, group_photo):
    draft, _ = _with_photo(lucas, group_photo)
    client.force_login(lucas.teacher)
    response = client.post(f"/berichten/{draft.pk}/bestanden/1/taggen/", {"m1-face_0": str(2**63 - 1)})
    assert response.status_code == 400 and "Deze leerling bestaat niet (meer)." in response.content.decode()


@pytest.mark.parametrize("moment", ["0001-01-01T00:00", "9999-12-31T23:59", "1999-12-31T23:59", "2101-01-01T00:00"])
def test_a_planned_time_out_of_range_is_a_400_with_a_dutch_field_error(client, lucas, moment):
    draft = services.create_draft(lucas.world.school, lucas.teacher, "facebook", group=lucas.world.group)
    client.force_login(lucas.teacher)
    client.raise_request_exception = False
    response = client.post(f"/berichten/{draft.pk}/opslaan/", {"text": "Sportdag", "posted_at": moment})
    assert response.status_code == 400
    assert "Kies een datum tussen 2000 en 2100." in response.content.decode()
    assert not draft.versions.exists()


def test_a_planned_time_within_range_is_kept(client, lucas):
    draft = services.create_draft(lucas.world.school, lucas.teacher, "facebook", group=lucas.world.group)
    client.force_login(lucas.teacher)
    response = client.post(f"/berichten/{draft.pk}/opslaan/", {"text": "Sportdag", "posted_at": "2100-12-31T18:30"})
    assert response.status_code == 302
    assert timezone.localtime(draft.latest_version().posted_at).replace(tzinfo=None) == datetime(2100, 12, 31, 18, 30)


# --- removing a file --------------------------------------------------------------------------------


def test_the_author_removes_a_file_and_the_draft_is_checked_again(client, lucas, group_photo,
                                                                  django_capture_on_commit_callbacks):
    draft, media = _with_photo(lucas, group_photo)
    services.tag_face(media, 0, lucas.world.pupil, lucas.teacher)
    media.refresh_from_db()
    files = [services.media_file(media, "original"), services.media_file(media, "publishable")]
    assert all(path.is_file() for path in files)
    client.force_login(lucas.teacher)
    assert "Foto 1 verwijderen" in _page(client, draft).content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(f"/berichten/{draft.pk}/bestanden/1/verwijderen/")
    assert response.status_code == 302
    assert not draft.media.exists() and not FaceTag.objects.exists()
    latest = draft.latest_version()
    assert latest.number == 2 and latest.verdict == "allow" and latest.tags == {} and latest.shown == {}
    assert not any(path.exists() for path in files)
    removed = AuditEvent.objects.get(action="draft.media_removed")
    assert removed.changes == {"media": 1, "kind": "photo"} and removed.actor == lucas.teacher
    assert "Bestand 1 is verwijderd; versie 2 is getoetst." in _page(client, draft).content.decode()


def test_only_the_author_removes_files_and_only_while_editable(client, lucas, group_photo):
    draft, media = _with_photo(lucas, group_photo)
    url = f"/berichten/{draft.pk}/bestanden/1/verwijderen/"
    client.force_login(lucas.manager)
    assert client.post(url).status_code == 403
    assert "Foto 1 verwijderen" not in _page(client, draft).content.decode()
    client.force_login(lucas.world.users["other_teacher"])
    assert client.post(url).status_code == 404
    client.force_login(lucas.teacher)
    assert client.get(url).status_code == 405
    assert client.post(f"/berichten/{draft.pk}/bestanden/9/verwijderen/").status_code == 404
    workflow.submit(draft, lucas.teacher)
    assert client.post(url).status_code == 403
    assert draft.media.count() == 1 and draft.versions.count() == 1
    assert services.media_file(media, "original").is_file()
    assert not AuditEvent.objects.filter(action="draft.media_removed").exists()


def test_the_only_file_of_a_draft_without_text_stays_until_there_is_text(client, lucas, group_photo):
    draft = services.create_draft(lucas.world.school, lucas.teacher, "facebook", group=lucas.world.group)
    client.force_login(lucas.teacher)
    client.post(f"/berichten/{draft.pk}/bestanden/", {"file": SimpleUploadedFile("a.jpg", group_photo)})
    response = client.post(f"/berichten/{draft.pk}/bestanden/1/verwijderen/")
    assert response.status_code == 400 and "Schrijf eerst een tekst" in response.content.decode()
    assert draft.media.count() == 1 and draft.versions.count() == 1
    client.post(f"/berichten/{draft.pk}/opslaan/", {"text": "Sportdag"})
    assert client.post(f"/berichten/{draft.pk}/bestanden/1/verwijderen/").status_code == 302
    assert not draft.media.exists() and draft.latest_version().number == 3
