"""The guardians' and pupils' portal: personal links, answering, withdrawal, the switch at 16."""

from __future__ import annotations

import time
from datetime import timedelta
from html.parser import HTMLParser

import pytest
from django.core import signing
from django.utils import timezone

from plaatsbaar.core.vocabulary import Channel, MediaKind
from plaatsbaar.web.audit.models import AuditEvent
from plaatsbaar.web.consent.models import ConsentEvent, Method
from plaatsbaar.web.consent.services import Answer, record_answer, registry_for
from plaatsbaar.web.organisation.models import Pupil, sixteen_years_before
from plaatsbaar.web.portal import links
from plaatsbaar.web.portal.links import make_token
from plaatsbaar.web.portal.services import FORM_VERSION, categories_for, information_version


def link(holder) -> str:
    return f"/portaal/{make_token(holder)}/"


def child_link(holder, pupil) -> str:
    return f"{link(holder)}kind/{pupil.pk}/"


def field(category, kind: str) -> str:
    return f"c{category.pk}-{kind}"


def form_data(pupil, **answers) -> dict:
    """POST data of the child page: the information version shown and the answers."""
    return {"information_version": information_version(categories_for(pupil)), **answers}


def allows(pupil, channel=Channel.FACEBOOK, kind=MediaKind.PHOTO) -> bool:
    return registry_for([pupil]).allows(str(pupil.pk), channel, kind)


@pytest.fixture
def world(world):
    """The test world with Noor well past 16 and Sem well under 16, whatever today is."""
    today = timezone.localdate()
    Pupil.objects.filter(pk=world.older_pupil.pk).update(date_of_birth=sixteen_years_before(today) - timedelta(days=400))
    Pupil.objects.filter(pk=world.pupil.pk).update(date_of_birth=sixteen_years_before(today) + timedelta(days=2000))
    world.older_pupil.refresh_from_db()
    world.pupil.refresh_from_db()
    world.facebook.explanation = "Foto's van activiteiten op de Facebookpagina van de school."
    world.facebook.save()
    return world


class _SignerFromThePast(signing.TimestampSigner):
    """Signs as if it were 31 days ago: the real signer then finds the link expired."""

    def timestamp(self) -> str:
        return signing.b62_encode(int(time.time()) - 31 * 86400)


# --- links -------------------------------------------------------------------------


def test_a_guardian_link_shows_each_child_and_category_in_plain_dutch(world, client):
    page = client.get(link(world.guardian))
    text = page.content.decode()
    assert page.status_code == 200
    assert "Sem de Vries" in text and "Noor Bakker" in text
    assert "Facebook" in text and "Website" in text
    assert "foto nog niet beantwoord" in text and "Nog niet beantwoord telt als nee" in text
    assert "Vanaf 16 jaar beslist Noor zelf" in text


def test_a_link_of_one_guardian_shows_only_that_guardians_children(world, client):
    text = client.get(link(world.second_guardian)).content.decode()
    assert "Sem de Vries" in text
    assert "Noor" not in text and "Daan" not in text


def test_the_child_page_shows_the_explanation_and_current_answers(world, client):
    record_answer(world.pupil, world.website, "video", False, Answer(guardian=world.second_guardian))
    text = client.get(child_link(world.guardian, world.pupil)).content.decode()
    assert "Foto&#x27;s van activiteiten op de Facebookpagina van de school." in text
    assert 'name="c%d-video" value="nee" id="id_c%d-video_1" checked' % (world.website.pk, world.website.pk) in text
    assert 'name="c%d-photo" value="ja"' % world.facebook.pk in text


@pytest.mark.parametrize("tamper", [lambda t: t[:-1] + ("A" if t[-1] != "A" else "B"), lambda t: "g999" + t[t.index(":"):], lambda t: "zomaar-iets"])
def test_a_tampered_link_is_refused(world, client, tamper):
    token = tamper(make_token(world.guardian))
    page = client.get(f"/portaal/{token}/")
    assert page.status_code == 403
    assert "Deze link is ongeldig" in page.content.decode()
    assert "Sem" not in page.content.decode()


def test_an_expired_link_is_refused(world, client):
    token = _SignerFromThePast(salt=links.SALT).sign(f"g{world.guardian.pk}")
    page = client.get(f"/portaal/{token}/kind/{world.pupil.pk}/")
    assert page.status_code == 403
    assert "verlopen" in page.content.decode()
    posted = client.post(f"/portaal/{token}/kind/{world.pupil.pk}/", form_data(world.pupil, **{field(world.facebook, "photo"): "ja"}))
    assert posted.status_code == 403
    assert not ConsentEvent.objects.exists()


def test_a_link_of_a_guardian_still_fresh_after_29_days_works(world, client):
    class Signer29DaysAgo(signing.TimestampSigner):
        def timestamp(self) -> str:
            return signing.b62_encode(int(time.time()) - 29 * 86400)

    token = Signer29DaysAgo(salt=links.SALT).sign(f"g{world.guardian.pk}")
    assert client.get(f"/portaal/{token}/").status_code == 200


def test_a_guardian_cannot_see_or_change_another_familys_child(world, client):
    for pupil in (world.older_pupil, world.other_pupil):  # Mark is no guardian of Noor, nobody here of Daan
        assert client.get(child_link(world.second_guardian, pupil)).status_code == 404
        posted = client.post(child_link(world.second_guardian, pupil), form_data(pupil, **{field(world.facebook, "photo"): "ja"}))
        assert posted.status_code == 404
        assert client.post(child_link(world.second_guardian, pupil) + "intrekken/").status_code == 404
    assert not ConsentEvent.objects.exists()


# --- answering and withdrawing ------------------------------------------------------


def test_changing_an_answer_records_a_portal_event_by_that_guardian(world, client):
    page = client.post(child_link(world.second_guardian, world.pupil), form_data(world.pupil, **{field(world.facebook, "photo"): "ja", field(world.facebook, "video"): "nee"}))
    assert page.status_code == 302
    events = list(ConsentEvent.objects.order_by("id"))
    assert [(e.media_kind, e.answer) for e in events] == [("photo", True), ("video", False)]
    event = events[0]
    assert event.given_by_guardian == world.second_guardian and not event.given_by_pupil
    assert event.method == Method.PORTAL
    assert event.form_version == FORM_VERSION
    assert event.information_version == information_version(categories_for(world.pupil))
    assert allows(world.pupil) and not allows(world.pupil, kind=MediaKind.VIDEO)
    after = client.get(page["Location"]).content.decode()
    assert "Opgeslagen" in after


def test_fields_left_open_are_not_recorded(world, client):
    client.post(child_link(world.guardian, world.pupil), form_data(world.pupil, **{field(world.website, "audio"): "ja"}))
    assert list(ConsentEvent.objects.values_list("category_id", "media_kind")) == [(world.website.pk, "audio")]


def test_each_portal_answer_is_in_the_audit_log_without_names(world, client):
    client.post(child_link(world.guardian, world.pupil), form_data(world.pupil, **{field(world.facebook, "photo"): "ja"}))
    entry = AuditEvent.objects.get()
    assert entry.action == "consent.given"
    assert entry.actor_label == f"portaal-link ouder/verzorger #{world.guardian.pk}"
    assert entry.ip == "127.0.0.1" and entry.school_id == world.school.pk
    assert entry.changes == {"category": "facebook", "media": "photo", "answer": True, "by": "guardian", "method": "portal"}
    assert "Anne" not in str(entry.changes) + entry.actor_label


def test_withdrawal_with_one_click_takes_effect_at_once(world, client):
    client.post(child_link(world.guardian, world.pupil), form_data(world.pupil, **{field(world.facebook, "photo"): "ja", field(world.website, "photo"): "ja"}))
    assert allows(world.pupil) and allows(world.pupil, Channel.WEBSITE)
    page = client.get(child_link(world.guardian, world.pupil)).content.decode()
    assert "Alles intrekken" in page
    response = client.post(child_link(world.guardian, world.pupil) + "intrekken/")
    assert response.status_code == 302
    assert not allows(world.pupil) and not allows(world.pupil, Channel.WEBSITE)
    assert AuditEvent.objects.filter(action="consent.withdrawn").count() == 2
    assert "Alle toestemming is ingetrokken" in client.get(response["Location"]).content.decode()


def test_withdrawal_through_the_form_takes_effect_at_once(world, client):
    url = child_link(world.guardian, world.pupil)
    client.post(url, form_data(world.pupil, **{field(world.facebook, "photo"): "ja"}))
    client.post(url, form_data(world.pupil, **{field(world.facebook, "photo"): "nee"}))
    assert not allows(world.pupil)
    assert AuditEvent.objects.filter(action="consent.withdrawn").count() == 1


def test_withdrawal_needs_post(world, client):
    assert client.get(child_link(world.guardian, world.pupil) + "intrekken/").status_code == 405


def test_answers_are_refused_when_the_explanation_changed_meanwhile(world, client):
    data = form_data(world.pupil, **{field(world.facebook, "photo"): "ja"})
    world.facebook.explanation = "Nieuwe uitleg: ook op Instagram."
    world.facebook.save()
    response = client.post(child_link(world.guardian, world.pupil), data)
    assert not ConsentEvent.objects.exists()
    assert "De uitleg van de school is intussen gewijzigd" in client.get(response["Location"]).content.decode()


def test_a_bad_answer_value_is_not_recorded(world, client):
    page = client.post(child_link(world.guardian, world.pupil), form_data(world.pupil, **{field(world.facebook, "photo"): "misschien"}))
    assert page.status_code == 200 and "errorlist" in page.content.decode()
    assert not ConsentEvent.objects.exists()


# --- sixteen -------------------------------------------------------------------------


def test_a_pupil_of_16_answers_and_the_guardian_no_longer_can(world, client):
    record_answer(world.older_pupil, world.facebook, "photo", True, Answer(guardian=world.guardian), today=world.older_pupil.sixteenth_birthday() - timedelta(days=1))
    own_link = link(world.older_pupil)
    own = client.get(own_link)
    assert own.status_code == 302 and own["Location"] == f"{own_link}kind/{world.older_pupil.pk}/"  # same token
    page = client.get(own["Location"]).content.decode()
    assert "Jouw toestemming" in page and "je beslist zelf" in page
    client.post(own["Location"], form_data(world.older_pupil, **{field(world.facebook, "photo"): "nee"}))
    event = ConsentEvent.objects.latest("id")
    assert event.given_by_pupil and event.given_by_guardian is None and not event.answer
    assert not allows(world.older_pupil)

    guardian_page = client.get(child_link(world.guardian, world.older_pupil)).content.decode()
    assert "Vanaf 16 jaar beslist Noor zelf" in guardian_page and "<form" not in guardian_page.split("<main>")[1]
    refused = client.post(child_link(world.guardian, world.older_pupil), form_data(world.older_pupil, **{field(world.facebook, "photo"): "ja"}))
    assert refused.status_code == 403
    assert client.post(child_link(world.guardian, world.older_pupil) + "intrekken/").status_code == 403
    assert not allows(world.older_pupil)


def test_a_pupil_under_16_cannot_answer_with_an_own_link(world, client):
    url = child_link(world.pupil, world.pupil)
    assert "Tot je 16e verjaardag beslissen je ouders" in client.get(url).content.decode()
    assert client.post(url, form_data(world.pupil, **{field(world.facebook, "photo"): "ja"})).status_code == 403
    assert not ConsentEvent.objects.exists()


def test_a_pupil_link_shows_no_other_pupil(world, client):
    assert client.get(child_link(world.older_pupil, world.pupil)).status_code == 404


# --- logging in -----------------------------------------------------------------------


def test_a_logged_in_guardian_uses_the_same_portal(world, client, django_user_model):
    world.guardian.user = django_user_model.objects.create_user(username="anne", password="x-geheim-1234")
    world.guardian.save()
    client.force_login(world.guardian.user)
    overview = client.get("/portaal/").content.decode()
    assert "Sem de Vries" in overview and f"/portaal/kind/{world.pupil.pk}/" in overview
    client.post(f"/portaal/kind/{world.pupil.pk}/", form_data(world.pupil, **{field(world.facebook, "photo"): "ja"}))
    event = ConsentEvent.objects.get()
    assert event.given_by_guardian == world.guardian and event.recorded_by == world.guardian.user
    assert AuditEvent.objects.get().actor == world.guardian.user
    assert client.get(f"/portaal/kind/{world.other_pupil.pk}/").status_code == 404


def test_a_logged_in_pupil_of_16_answers_for_themself(world, client, django_user_model):
    world.older_pupil.user = django_user_model.objects.create_user(username="noor", password="x-geheim-1234")
    world.older_pupil.save()
    client.force_login(world.older_pupil.user)
    assert client.get("/portaal/")["Location"] == f"/portaal/kind/{world.older_pupil.pk}/"
    client.post(f"/portaal/kind/{world.older_pupil.pk}/", form_data(world.older_pupil, **{field(world.website, "photo"): "ja"}))
    assert ConsentEvent.objects.get().given_by_pupil
    assert allows(world.older_pupil, Channel.WEBSITE)


def test_the_portal_needs_a_login_or_a_link(world, client):
    assert client.get("/portaal/")["Location"].startswith("/inloggen/")
    client.force_login(world.users["teacher"])
    page = client.get("/portaal/")
    assert page.status_code == 403 and "niet gekoppeld" in page.content.decode()


# --- on a phone -----------------------------------------------------------------------


class _Structure(HTMLParser):
    """Collects what matters for a small screen: tables, inputs and the labels pointing at them."""

    def __init__(self):
        super().__init__()
        self.tags: list[str] = []
        self.inputs: list[dict] = []
        self.label_targets: set[str] = set()
        self.legends = 0
        self.viewport = False

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        self.tags.append(tag)
        if tag == "input" and attrs.get("type") not in ("hidden",):
            self.inputs.append(attrs)
        if tag == "label" and attrs.get("for"):
            self.label_targets.add(attrs["for"])
        if tag == "legend":
            self.legends += 1
        if tag == "meta" and attrs.get("name") == "viewport":
            self.viewport = "width=device-width" in attrs.get("content", "")


def test_the_child_page_is_built_for_a_phone(world, client):
    page = _Structure()
    page.feed(client.get(child_link(world.guardian, world.pupil)).content.decode())
    assert page.viewport
    assert "table" not in page.tags  # one column of questions, nothing to scroll sideways
    radios = [i for i in page.inputs if i.get("type") == "radio"]
    assert len(radios) == 2 * 3 * 2  # two categories, three media kinds, ja/nee
    assert all(r["id"] in page.label_targets for r in radios)  # every control has its label
    assert page.legends == 2 + 2 * 3  # a legend per category and per media kind
    assert "fieldset" in page.tags and page.tags.count("button") >= 1
