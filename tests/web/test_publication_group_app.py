"""The class group app: guardians not in the app get the message by e-mail through a real local
SMTP server, once each; the school records who uses the app."""

from __future__ import annotations

from datetime import date

import pytest
from PIL import Image

from plaatsbaar.web.audit.models import AuditEvent
from plaatsbaar.web.organisation.models import Guardian, Guardianship, Pupil, Role, StaffRole
from plaatsbaar.web.publication import services
from plaatsbaar.web.publication.models import FallbackMail, GroupAppMember, Publication
from tests.web.smtp import _smtp_controller, free_port, mail_server, smtp_settings  # noqa: F401 (fixtures)
from tests.web.test_publication_support import REVISED, build_draft, consent, media_root  # noqa: F401 (fixtures)


def _guardian(world, first, email, *children):
    guardian = Guardian.objects.create(board=world.board, first_name=first, last_name="Test", email=email)
    for child in children:
        Guardianship.objects.create(guardian=guardian, pupil=child)
    return guardian


@pytest.fixture
def klas(consent):
    """Groep 5: Sem (Anne, Mark, Piet without address) and Noor (Anne again, Fleur who uses the app);
    a pupil who left (Kees); groep 7's Lotte (Lies)."""
    world = consent.world
    piet = _guardian(world, "Piet", "", world.pupil)
    fleur = _guardian(world, "Fleur", "fleur@example.org", world.older_pupil)
    left = Pupil.objects.create(school=world.school, group=world.group, external_id="1009", first_name="Bram",
                                last_name="Oud", date_of_birth=date(2017, 2, 2), left_on=date(2026, 9, 1))
    kees = _guardian(world, "Kees", "kees@example.org", left)
    lies = _guardian(world, "Lies", "lies@example.org", consent.pupil7)
    GroupAppMember.objects.create(group=world.group, guardian=fleur, uses_app=True)
    GroupAppMember.objects.create(group=world.group, guardian=world.second_guardian, uses_app=False)
    return {"piet": piet, "fleur": fleur, "kees": kees, "lies": lies}


def _publish_group_app(client, newsroom, capture):
    draft = build_draft(newsroom, channel="group_app", group=newsroom.world.group)
    client.force_login(newsroom.teacher)
    with capture(execute=True):
        response = client.post(f"/publicaties/publiceren/{draft.pk}/")
    assert response.status_code == 302
    return Publication.objects.get(draft=draft)


def test_exactly_the_guardians_not_in_the_app_get_one_mail_each(client, consent, klas, media_root, smtp_settings,
                                                                  django_capture_on_commit_callbacks):
    world = consent.world
    publication = _publish_group_app(client, consent, django_capture_on_commit_callbacks)

    delivered = smtp_settings.delivered
    assert sorted(d.envelope_to[0] for d in delivered) == ["anne@example.org", "mark@example.org"]
    assert all(len(d.envelope_to) == 1 for d in delivered)  # one mail each, nobody sees other addresses
    mail = smtp_settings.to("anne@example.org")[0]
    assert REVISED.splitlines()[0] in mail.body and "groepsapp van groep 5" in mail.body
    assert "Sem" not in mail.message["Subject"]
    [attachment] = list(mail.message.iter_attachments())
    assert attachment.get_filename() == "foto-1.jpg" and attachment.get_content_type() == "image/jpeg"
    assert attachment.get_content() == (media_root / publication.media.get().file).read_bytes()
    mailed = set(FallbackMail.objects.filter(publication=publication).values_list("guardian_id", flat=True))
    assert mailed == {world.guardian.pk, world.second_guardian.pk}
    entry = AuditEvent.objects.get(action="publication.fallback_mail")
    assert sorted(entry.changes["guardians"]) == sorted(mailed) and entry.changes["failed"] == 0


def test_the_attached_photo_has_no_metadata(client, consent, klas, media_root, smtp_settings, tmp_path,
                                            django_capture_on_commit_callbacks):
    _publish_group_app(client, consent, django_capture_on_commit_callbacks)
    [attachment] = list(smtp_settings.to("mark@example.org")[0].message.iter_attachments())
    path = tmp_path / "bijlage.jpg"
    path.write_bytes(attachment.get_content())
    with Image.open(path) as image:
        assert not image.getexif()


def test_sending_again_reaches_nobody_twice(client, consent, klas, media_root, smtp_settings,
                                            django_capture_on_commit_callbacks):
    publication = _publish_group_app(client, consent, django_capture_on_commit_callbacks)
    smtp_settings.clear()
    assert services.resend_fallback(publication, consent.teacher).sent == 0
    assert smtp_settings.delivered == [] and FallbackMail.objects.count() == 2


def test_a_mail_server_failure_is_retried_from_the_publication_page(client, consent, klas, media_root, smtp_settings,
                                                                     settings, django_capture_on_commit_callbacks):
    port = settings.EMAIL_PORT
    settings.EMAIL_PORT = free_port()  # nothing listens there
    publication = _publish_group_app(client, consent, django_capture_on_commit_callbacks)
    assert not FallbackMail.objects.exists() and publication.status == "live"
    page = client.get(f"/publicaties/{publication.pk}/").content.decode()
    assert "Nog niet afgeleverd: 2 e-mail(s)" in page and "1 ouder(s)/verzorger(s) zonder e-mailadres" in page
    settings.EMAIL_PORT = port
    client.force_login(consent.fg)
    assert client.post(f"/publicaties/{publication.pk}/email-opnieuw/").status_code == 403
    client.force_login(consent.teacher)
    client.post(f"/publicaties/{publication.pk}/email-opnieuw/")
    assert len(smtp_settings.delivered) == 2 and FallbackMail.objects.count() == 2


def test_other_channels_send_no_fallback_mail(client, consent, klas, media_root, smtp_settings,
                                              django_capture_on_commit_callbacks):
    draft = build_draft(consent, channel="facebook", group=consent.world.group)
    with django_capture_on_commit_callbacks(execute=True):
        services.publish(draft, consent.teacher)
    assert smtp_settings.delivered == [] and not FallbackMail.objects.exists()


# --- who uses the app ---


def test_set_app_use_records_and_audits_changes_only(consent, klas):
    world = consent.world
    member = services.set_app_use(world.group, world.guardian, True, consent.teacher, ip="10.0.0.3")
    assert member.uses_app and member.recorded_by == consent.teacher
    services.set_app_use(world.group, world.guardian, True, consent.teacher)
    entries = AuditEvent.objects.filter(action="group_app.recorded")
    assert entries.count() == 1
    assert entries.get().changes == {"group": world.group.pk, "guardian": world.guardian.pk, "uses_app": True}


def test_a_guardian_without_a_child_in_the_class_is_refused(consent, klas):
    with pytest.raises(services.AppUseRefused, match="geen kind in deze groep"):
        services.set_app_use(consent.world.group, klas["lies"], True, consent.manager)
    with pytest.raises(services.AppUseRefused):
        services.set_app_use(consent.world.group, klas["kees"], True, consent.manager)  # his child left


def test_the_teacher_ticks_who_uses_the_app_and_they_get_no_mail(client, consent, klas, media_root, smtp_settings,
                                                                  django_capture_on_commit_callbacks):
    world = consent.world
    client.force_login(consent.teacher)
    page = client.get(f"/publicaties/groep/{world.group.pk}/groepsapp/").content.decode()
    assert "Anne" in page and "Piet" in page and "geen adres" in page and "Lies" not in page and "Kees" not in page
    response = client.post(f"/publicaties/groep/{world.group.pk}/groepsapp/",
                           {"using": [world.guardian.pk, klas["fleur"].pk]})
    assert response.status_code == 302
    using = set(GroupAppMember.objects.filter(group=world.group, uses_app=True).values_list("guardian_id", flat=True))
    assert using == {world.guardian.pk, klas["fleur"].pk}
    _publish_group_app(client, consent, django_capture_on_commit_callbacks)
    assert [d.envelope_to for d in smtp_settings.delivered] == [["mark@example.org"]]


def test_a_guardian_of_another_class_cannot_be_ticked(client, consent, klas):
    client.force_login(consent.manager)
    response = client.post(f"/publicaties/groep/{consent.world.group.pk}/groepsapp/", {"using": [klas["lies"].pk]})
    assert response.status_code == 200 and not GroupAppMember.objects.filter(guardian=klas["lies"]).exists()


@pytest.mark.parametrize("who, status", [("manager", 200), ("communication", 200), ("fg", 403)])
def test_who_may_record_app_use(client, consent, klas, who, status):
    client.force_login(getattr(consent, who))
    assert client.get(f"/publicaties/groep/{consent.world.group.pk}/groepsapp/").status_code == status


def test_a_teacher_of_another_class_may_not_and_another_school_gets_not_found(client, consent, klas,
                                                                              django_user_model):
    world = consent.world
    colleague = django_user_model.objects.create_user(username="meester7", password="geheim-wachtwoord-1")
    StaffRole.objects.create(user=colleague, board=world.board, school=world.school,
                             role=Role.STAFF).groups.add(consent.group7)
    client.force_login(colleague)
    assert client.get(f"/publicaties/groep/{world.group.pk}/groepsapp/").status_code == 403
    assert client.get(f"/publicaties/groep/{consent.group7.pk}/groepsapp/").status_code == 200
    client.force_login(world.users["other_teacher"])
    assert client.get(f"/publicaties/groep/{world.group.pk}/groepsapp/").status_code == 404
