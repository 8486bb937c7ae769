"""The leidinggevende's queue (/beoordelen/) and a draft's review page, per role."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse

from plaatsbaar.web.drafts.models import DraftMedia, DraftStatus
from plaatsbaar.web.review import workflow
from tests.web.test_review_steps import add_version, backdate_steps, in_review, make_draft, manager_elsewhere, url

QUEUE = "/beoordelen/"


def text(response) -> str:
    return response.content.decode()


def rows(response) -> list[str]:
    """The queue's table rows as plain text, in order."""
    body = re.search(r"<tbody>(.*)</tbody>", text(response), re.S)
    return [re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", row)).strip() for row in body.group(1).split("</tr>")[:-1]] if body else []


def forms(response) -> set[str]:
    """The actions (URL paths) of the forms on the page."""
    return set(re.findall(r'<form method="post" action="([^"]+)"', text(response)))


@pytest.fixture
def queue_world(newsroom, django_user_model):
    """Three drafts in review (oldest: the teacher's, then the manager's own, then communication's
    "bij twijfel"), a concept, and a draft in review at the other school."""
    school = newsroom.world.school
    oldest = in_review(make_draft(newsroom.teacher, school, channel="website", group=newsroom.world.group))
    backdate_steps(oldest, 3)
    own = in_review(make_draft(newsroom.manager, school, channel="instagram"))
    backdate_steps(own, 1)
    doubt = in_review(make_draft(newsroom.communication, school, verdict="allow", channel="newsletter"), unsure=True)
    concept = make_draft(newsroom.teacher, school, channel="x")
    elsewhere_author = newsroom.world.users["other_teacher"]
    elsewhere = in_review(make_draft(elsewhere_author, newsroom.world.other_school, channel="youtube"))
    return {"oldest": oldest, "own": own, "doubt": doubt, "concept": concept, "elsewhere": elsewhere}


def test_the_queue_lists_drafts_in_review_oldest_first(newsroom, client, queue_world):
    client.force_login(newsroom.manager)
    response = client.get(QUEUE)
    assert response.status_code == 200
    found = rows(response)
    assert len(found) == 3
    assert found[0].startswith("3 dagen") and "website" in found[0] and "juf" in found[0]
    assert "het protocol vraagt om overleg" in found[0] and "leidinggevende beslist" in found[0]
    assert "instagram" in found[1] and "eigen bericht — een andere leidinggevende beoordeelt" in found[1]
    assert "newsletter" in found[2] and "de auteur twijfelt" in found[2] and "plaatsbaar" in found[2]
    assert "youtube" not in text(response)  # the other school's; the concept (x) is not in review either


def test_the_queue_links_to_the_review_pages_but_not_as_reviewer_of_ones_own(newsroom, client, queue_world):
    client.force_login(newsroom.manager)
    page = text(client.get(QUEUE))
    assert f'<a href="{url("detail", queue_world["oldest"])}">Beoordelen</a>' in page
    assert f'<a href="{url("detail", queue_world["own"])}">Bekijken</a>' in page
    client.force_login(newsroom.second_manager)
    assert f'<a href="{url("detail", queue_world["own"])}">Beoordelen</a>' in text(client.get(QUEUE))


def test_a_leidinggevende_of_the_other_school_sees_only_their_school(newsroom, client, queue_world, django_user_model):
    client.force_login(manager_elsewhere(newsroom, django_user_model))
    found = rows(client.get(QUEUE))
    assert len(found) == 1 and "youtube" in found[0]


@pytest.mark.parametrize("who", ["teacher", "communication", "fg"])
def test_only_leidinggevenden_have_a_queue(newsroom, client, who):
    client.force_login(getattr(newsroom, who))
    assert client.get(QUEUE).status_code == 403


def test_an_empty_queue_says_so(newsroom, client):
    client.force_login(newsroom.manager)
    assert "Er wachten geen berichten op beoordeling." in text(client.get(QUEUE))


def test_the_review_page_shows_version_findings_history_and_decisions(newsroom, client):
    draft = in_review(make_draft(newsroom.teacher, newsroom.world.school, text="Sem won de zaklopen!"))
    client.force_login(newsroom.manager)
    response = client.get(url("detail", draft))
    assert response.status_code == 200
    page = text(response)
    assert "Versie 1" in page and "Sem won de zaklopen!" in page and "leidinggevende beslist" in page
    assert "Naam van een leerling" in page and "Artikel 4.2" in page
    assert "Namen van leerlingen worden niet bij foto&#x27;s vermeld." in page
    assert "ter beoordeling aangeboden" in page and "het protocol vraagt om overleg" in page and ">juf<" in page
    assert forms(response) == {url("approve", draft), url("send_back", draft), url("reject", draft), reverse("logout")}


def cells(fragment: str) -> list[list[str]]:
    """The cell texts of each body row of the first table in ``fragment``."""
    body = re.search(r"<tbody>(.*?)</tbody>", fragment, re.S).group(1)
    return [[" ".join(re.sub(r"<[^>]+>", " ", cell).split()) for cell in re.findall(r"<td>(.*?)</td>", row, re.S)]
            for row in body.split("</tr>")[:-1]]


def test_the_review_page_history_names_who_did_what_to_which_version(newsroom, client):
    draft = in_review(make_draft(newsroom.teacher, newsroom.world.school))
    client.force_login(newsroom.manager)
    client.post(url("send_back", draft), {"comment": "Zonder achternaam graag."})
    add_version(draft, newsroom.teacher, text="Tweede poging")  # what drafts.services.save_version does
    workflow.after_new_version(draft)
    client.force_login(newsroom.teacher)
    client.post(url("submit", draft), {"unsure": "1"})
    client.force_login(newsroom.second_manager)
    client.post(url("approve", draft))
    page = text(client.get(url("detail", draft)))
    history = [row[1:] for row in cells(page[page.index('id="geschiedenis"'):])]
    assert history == [
        ["ter beoordeling aangeboden het protocol vraagt om overleg", "juf", "1", ""],
        ["teruggestuurd", "directeur", "1", "Zonder achternaam graag."],
        ["ter beoordeling aangeboden het protocol vraagt om overleg; de auteur twijfelt", "juf", "2", ""],
        ["goedgekeurd", "adjunct", "2", ""],
    ]
    assert "Tweede poging" in page and "Versie 2" in page


def test_a_block_verdict_offers_only_sending_back(newsroom, client):
    draft = in_review(make_draft(newsroom.teacher, newsroom.world.school, verdict="block"))
    client.force_login(newsroom.manager)
    response = client.get(url("detail", draft))
    assert forms(response) == {url("send_back", draft), reverse("logout")}
    assert "je kunt het alleen terugsturen, met een reden" in text(response)
    assert "Artikel 7.1" in text(response)


def test_the_author_sees_their_page_without_decisions(newsroom, client):
    own = in_review(make_draft(newsroom.manager, newsroom.world.school))
    client.force_login(newsroom.manager)
    response = client.get(url("detail", own))
    assert response.status_code == 200
    assert forms(response) == {url("withdraw", own), reverse("logout")}
    assert "Eigen bericht — een andere leidinggevende beoordeelt het." in text(response)


def test_the_author_can_offer_a_concept_from_the_review_page(newsroom, client):
    draft = make_draft(newsroom.teacher, newsroom.world.school)
    client.force_login(newsroom.teacher)
    response = client.get(url("detail", draft))
    assert forms(response) == {url("submit", draft), reverse("logout")}
    assert 'name="unsure"' in text(response)


def test_nothing_to_decide_once_approved(newsroom, client):
    draft = in_review(make_draft(newsroom.teacher, newsroom.world.school))
    client.force_login(newsroom.manager)
    client.post(url("approve", draft))
    response = client.get(url("detail", draft))
    assert forms(response) == {reverse("logout")} and "goedgekeurd" in text(response)


@pytest.mark.parametrize("who", ["communication", "fg"])
def test_colleagues_who_neither_wrote_nor_review_get_403(newsroom, client, who):
    draft = in_review(make_draft(newsroom.teacher, newsroom.world.school))
    client.force_login(getattr(newsroom, who))
    assert client.get(url("detail", draft)).status_code == 403


def test_another_teachers_draft_is_not_shown_to_a_teacher(newsroom, client):
    draft = make_draft(newsroom.communication, newsroom.world.school)
    client.force_login(newsroom.teacher)
    assert client.get(url("detail", draft)).status_code == 403


def test_a_teacher_of_the_other_school_gets_404(newsroom, client):
    draft = make_draft(newsroom.teacher, newsroom.world.school)
    client.force_login(newsroom.world.users["other_teacher"])
    assert client.get(url("detail", draft)).status_code == 404


def test_the_publishable_media_are_listed(newsroom, client):
    draft = in_review(make_draft(newsroom.teacher, newsroom.world.school))
    DraftMedia.objects.create(draft=draft, number=1, kind="photo", original="drafts/1/origineel/1.jpg",
                              publishable="drafts/1/publiceren/1.jpg", faces=[[1, 2, 3, 4], [5, 6, 7, 8]])
    DraftMedia.objects.create(draft=draft, number=2, kind="video", original="drafts/1/origineel/2.mp4")
    client.force_login(newsroom.manager)
    page = text(client.get(url("detail", draft)))
    assert "Foto 1" in page and "2 gezichten gevonden" in page
    assert "Film 2" not in page
    publishable = reverse("drafts:file", args=[draft.pk, 1, "publiceren"])
    assert f'<img src="{publishable}"' in page and f'href="{publishable}?download=1"' in page
    assert "origineel" not in page


def test_the_concept_status_is_shown(newsroom, client):
    draft = make_draft(newsroom.teacher, newsroom.world.school)
    client.force_login(newsroom.teacher)
    assert f"<strong>{DraftStatus.CONCEPT.label}</strong>" in text(client.get(url("detail", draft)))
