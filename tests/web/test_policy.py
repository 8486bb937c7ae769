"""One permission policy: schools, pupils, consent entry and the audit log."""

from __future__ import annotations

from plaatsbaar.web.organisation.policy import Policy


def test_a_teacher_sees_only_their_own_school(world):
    policy = Policy(world.users["teacher"])
    assert list(policy.schools()) == [world.school]
    assert policy.can_view_pupil(world.pupil)
    assert not policy.can_view_pupil(world.other_pupil)
    assert not policy.can_view_school(world.other_school)


def test_the_board_sees_every_school_of_the_board(world):
    policy = Policy(world.users["board"])
    assert set(policy.schools()) == {world.school, world.other_school}
    assert policy.can_manage_protocol(world.other_school)


def test_only_the_privacy_officer_sees_the_audit_log(world):
    assert Policy(world.users["fg"]).can_view_audit(world.school)
    for name in ("teacher", "manager", "board", "other_teacher"):
        assert not Policy(world.users[name]).can_view_audit(world.school), name


def test_consent_is_entered_by_manager_or_privacy_officer_of_that_school(world):
    assert Policy(world.users["manager"]).can_record_consent(world.pupil)
    assert not Policy(world.users["teacher"]).can_record_consent(world.pupil)
    assert not Policy(world.users["manager"]).can_record_consent(world.other_pupil)


def test_anonymous_visitors_may_do_nothing(world):
    from django.contrib.auth.models import AnonymousUser

    policy = Policy(AnonymousUser())
    assert not policy.schools().exists() and not policy.can_view_school(world.school)


def test_home_page_lists_only_visible_schools(world, client):
    client.force_login(world.users["teacher"])
    page = client.get("/").content.decode()
    assert "De Wilgenhoek" in page and "De Klimop" not in page


def test_home_page_requires_log_in(client, db):
    response = client.get("/")
    assert response.status_code == 302 and "/inloggen/" in response["Location"]


def test_a_guardian_logging_in_lands_in_the_portal(world, client, django_user_model):
    world.guardian.user = django_user_model.objects.create_user(username="anne", password="x-geheim-12345")
    world.guardian.save()
    client.force_login(world.guardian.user)
    response = client.get("/")
    assert response.status_code == 302 and response["Location"] == "/portaal/"
