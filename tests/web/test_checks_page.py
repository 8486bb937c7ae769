"""The check page: a draft with real photos checked against the school's protocol, the live
consent registry and the school's roster; private originals; forbidden cases."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from plaatsbaar.web.checks.storage import SESSION_KEY
from plaatsbaar.web.consent.services import Answer, record_answer
from plaatsbaar.web.organisation.models import Group, ProtocolVersion, Pupil
from tests.media_factory import face_box, gps_exif, write_group_photo
from tests.web.conftest import TODAY


@pytest.fixture(scope="module")
def group_photo(tmp_path_factory) -> bytes:
    """A JPEG of three astronauts side by side (three faces), with GPS in its EXIF."""
    path = write_group_photo(tmp_path_factory.mktemp("photos") / "groep.jpg", 3, exif=gps_exif())
    return path.read_bytes()


@pytest.fixture
def media_root(settings, tmp_path) -> Path:
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


@pytest.fixture
def lucas(world):
    """The school's active protocol: lucas-onderwijs; Sem's guardian consented to Facebook photos."""
    ProtocolVersion.objects.create(school=world.school, builtin_id="lucas-onderwijs", active=True)
    record_answer(world.pupil, world.facebook, "photo", True, Answer(guardian=world.guardian), today=TODAY)
    return world


def _page(world) -> str:
    return f"/toetsen/{world.school.pk}/"


def _post(client, world, **fields):
    data = {"channel": "facebook", "group": world.group.pk, "activity": "post", "account": "school", "text": ""}
    data.update(fields)
    return client.post(_page(world), data)


def _workspaces(media_root: Path) -> list[Path]:
    root = media_root / "checks"
    return sorted(root.iterdir()) if root.exists() else []


def _pixels(path: Path) -> np.ndarray:
    with Image.open(path) as image:
        return np.asarray(image.convert("RGB"))


def _mean_difference(a: np.ndarray, b: np.ndarray, box) -> float:
    x, y, w, h = box
    return float(np.abs(a[y : y + h, x : x + w].astype(int) - b[y : y + h, x : x + w].astype(int)).mean())


def test_the_class_is_listed_with_each_pupils_consent_for_the_channel(client, lucas):
    client.force_login(lucas.users["teacher"])
    page = client.get(_page(lucas), {"channel": "facebook", "group": lucas.group.pk}).content.decode()
    assert "Sem de Vries — toestemming foto&#x27;s: ja" in page
    assert "Noor Bakker — toestemming foto&#x27;s: nee" in page
    website = client.get(_page(lucas), {"channel": "website", "group": lucas.group.pk}).content.decode()
    assert "Sem de Vries — toestemming foto&#x27;s: nee" in website


def test_a_group_photo_with_one_tagged_consenting_pupil_is_blurred_and_cites_A5(client, lucas, group_photo, media_root):
    client.force_login(lucas.users["teacher"])
    photo = SimpleUploadedFile("Sem en vriendjes.jpg", group_photo, content_type="image/jpeg")
    response = _post(client, lucas, text="Wat een mooie dag!", photo_1=photo, tagged_1=[str(lucas.pupil.pk)])
    page = response.content.decode()
    assert response.status_code == 200
    assert "Aanpassen" in page and "Artikel A.5" in page
    assert "De school vraagt aantoonbaar schriftelijke toestemming" in page  # the article text, behind <details>
    assert "3 gezichten gevonden, 3 vervaagd" in page
    [workspace] = _workspaces(media_root)
    blurred_path = workspace / "publiceren" / "foto-1.jpg"
    original, blurred = (_pixels(p) for p in (workspace / "origineel" / "foto-1.jpg", blurred_path))
    for index in range(3):  # one tagged pupil cannot tell whose face is whose: all three are blurred
        assert _mean_difference(original, blurred, face_box(index)) > 8, index
    assert _mean_difference(original, blurred, (0, 400, 100, 100)) < 3  # the rest of the photo is kept
    with Image.open(workspace / "origineel" / "foto-1.jpg") as kept, Image.open(blurred_path) as published:
        assert kept.getexif().get_ifd(0x8825) and not published.getexif().get_ifd(0x8825)  # GPS stripped
    preview = client.get(f"/toetsen/foto/{workspace.name}/publiceren/foto-1.jpg")
    assert preview.status_code == 200 and preview["Content-Type"] == "image/jpeg"
    assert b"".join(preview.streaming_content) == blurred_path.read_bytes()
    assert f"/toetsen/foto/{workspace.name}/publiceren/foto-1.jpg" in page  # shown inline


def test_as_many_consenting_tags_as_faces_leaves_the_photo_unblurred(client, lucas, group_photo, media_root):
    tagged = [lucas.pupil]
    for external_id, first_name in (("1003", "Lotte"), ("1004", "Bram")):
        pupil = Pupil.objects.create(school=lucas.school, group=lucas.group, external_id=external_id,
                                     first_name=first_name, last_name="Visser", date_of_birth=TODAY.replace(year=2016))
        lucas.guardian.pupils.add(pupil)
        record_answer(pupil, lucas.facebook, "photo", True, Answer(guardian=lucas.guardian), today=TODAY)
        tagged.append(pupil)
    client.force_login(lucas.users["teacher"])
    photo = SimpleUploadedFile("groep.jpg", group_photo, content_type="image/jpeg")
    page = _post(client, lucas, photo_1=photo, tagged_1=[str(p.pk) for p in tagged]).content.decode()
    assert "Artikel A.5" not in page and "Toegestaan" in page
    [workspace] = _workspaces(media_root)
    assert (workspace / "publiceren" / "foto-1.jpg").is_file()  # still a copy without metadata


def test_the_originals_are_served_only_to_the_uploader(client, lucas, group_photo, media_root, django_user_model):
    client.force_login(lucas.users["teacher"])
    _post(client, lucas, photo_1=SimpleUploadedFile("a.jpg", group_photo), tagged_1=[str(lucas.pupil.pk)])
    [workspace] = _workspaces(media_root)
    url = f"/toetsen/foto/{workspace.name}/origineel/foto-1.jpg"
    assert client.get(url).status_code == 200
    assert client.get(f"/toetsen/foto/{workspace.name}/origineel/../../x.jpg").status_code == 404
    colleague = client.__class__()
    colleague.force_login(lucas.users["manager"])
    assert colleague.get(url).status_code == 404
    anonymous = client.__class__()
    response = anonymous.get(url)
    assert response.status_code == 302 and "/inloggen/" in response["Location"]


def test_photos_can_be_deleted_at_once(client, lucas, group_photo, media_root):
    client.force_login(lucas.users["teacher"])
    _post(client, lucas, photo_1=SimpleUploadedFile("a.jpg", group_photo))
    [workspace] = _workspaces(media_root)
    response = client.post(f"/toetsen/foto/{workspace.name}/verwijderen/", {"next": _page(lucas)})
    assert response.status_code == 302 and response["Location"] == _page(lucas)
    assert not workspace.exists()
    assert workspace.name not in client.session.get(SESSION_KEY, [])


def test_a_file_that_is_no_image_gets_a_dutch_message(client, lucas, media_root):
    client.force_login(lucas.users["teacher"])
    fake = SimpleUploadedFile("verslag.jpg", b"Dit is een tekstbestand, geen foto.", content_type="image/jpeg")
    response = _post(client, lucas, text="Kijk eens", photo_2=fake)
    page = response.content.decode()
    assert response.status_code == 200
    assert "Foto 2 (verslag.jpg): dit is geen foto die plaatsbaar kan openen" in page
    assert "Uitkomst" not in page
    assert _workspaces(media_root) == []  # nothing of a refused upload is kept


def test_a_truncated_photo_gets_a_dutch_message(client, lucas, group_photo, media_root):
    client.force_login(lucas.users["teacher"])
    broken = SimpleUploadedFile("half.jpg", group_photo[: len(group_photo) // 3], content_type="image/jpeg")
    page = _post(client, lucas, photo_1=broken).content.decode()
    assert "foto-1.jpg: afbeelding is beschadigd of onvolledig" in page
    assert str(media_root) not in page and _workspaces(media_root) == []


def test_a_pupils_name_in_the_text_is_found_by_the_roster(client, lucas, media_root):
    client.force_login(lucas.users["teacher"])
    page = _post(client, lucas, text="Gefeliciteerd SEM DE VRIES met je verjaardag!").content.decode()
    assert "naam leerling: “SEM DE VRIES”" in page
    assert "[naam]" in page  # the revised text


def test_a_private_post_in_school_hours_asks_whether_it_is_during_a_lesson(client, lucas):
    client.force_login(lucas.users["teacher"])
    draft = {"text": "Wat een mooie herfstdag vandaag.", "account": "personal"}
    monday_morning = _post(client, lucas, posted_at="2026-11-23T10:15", **draft).content.decode()
    assert "Geplaatst onder schooltijd" in monday_morning and "maandag 23-11-2026 10:15" in monday_morning
    evening = _post(client, lucas, posted_at="2026-11-23T19:30", **draft).content.decode()
    assert "Geplaatst onder schooltijd" not in evening
    allowed = _post(client, lucas, posted_at="2026-11-23T10:15", permission="on", **draft).content.decode()
    assert "Geplaatst onder schooltijd" not in allowed


def test_a_reply_to_an_abusive_message_asks_to_consult_the_manager(client, lucas):
    client.force_login(lucas.users["teacher"])
    page = _post(client, lucas, activity="reply", text="Dank voor uw bericht.",
                 reply_text="Jullie zijn een stelletje idioten, ik maak jullie kapot.").content.decode()
    assert "Ontsporende discussie" in page and "Overleg eerst met je leidinggevende" in page


def test_an_empty_draft_is_refused_in_dutch(client, lucas):
    client.force_login(lucas.users["teacher"])
    page = _post(client, lucas, text="   ").content.decode()
    assert "Schrijf een tekst of kies een foto om te toetsen." in page


def test_a_pupil_of_another_class_cannot_be_tagged(client, lucas, group_photo, media_root):
    other_class = Group.objects.create(school=lucas.school, name="groep 8", school_year="2026-2027")
    stranger = Pupil.objects.create(school=lucas.school, group=other_class, external_id="1009", first_name="Bo",
                                    last_name="Kok", date_of_birth=TODAY.replace(year=2015))
    client.force_login(lucas.users["teacher"])
    page = _post(client, lucas, photo_1=SimpleUploadedFile("a.jpg", group_photo), tagged_1=[str(stranger.pk)]).content.decode()
    assert "Uitkomst" not in page and "geldige keuze" in page
    assert _workspaces(media_root) == []


def test_a_school_without_protocol_says_so(client, world):
    client.force_login(world.users["teacher"])
    page = client.get(_page(world)).content.decode()
    assert "Deze school heeft nog geen protocol" in page and "Toetsen</button>" not in page


def test_every_role_at_the_school_may_check(client, lucas):
    for name in ("teacher", "manager", "fg", "board"):
        client.force_login(lucas.users[name])
        assert client.get(_page(lucas)).status_code == 200, name


def test_another_schools_staff_gets_404(client, lucas):
    client.force_login(lucas.users["other_teacher"])
    assert client.get(_page(lucas)).status_code == 404
    assert client.post(_page(lucas), {"text": "hoi", "channel": "facebook"}).status_code == 404
    assert client.get("/toetsen/999999/").status_code == 404


def test_anonymous_visitors_are_sent_to_log_in(client, lucas):
    response = client.get(_page(lucas))
    assert response.status_code == 302 and "/inloggen/" in response["Location"]


def test_the_start_page_goes_straight_to_the_only_school(client, lucas):
    client.force_login(lucas.users["teacher"])
    response = client.get("/toetsen/")
    assert response.status_code == 302 and response["Location"] == _page(lucas)
    client.force_login(lucas.users["board"])
    page = client.get("/toetsen/").content.decode()
    assert "De Wilgenhoek" in page and "De Klimop" in page
