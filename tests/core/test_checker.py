"""The checker: situations, facts from every source, findings in order of severity."""

from __future__ import annotations

import pytest

from plaatsbaar.core.checker import Checker, rule_applies
from plaatsbaar.core.post import parse_post
from plaatsbaar.core.protocol.loader import parse_protocol
from plaatsbaar.core.vocabulary import Verdict

PROTOCOL = """
id: testschool
title: Testprotocol
organisation: De Testschool
names: [De Testschool]
kind_of_school: po
source: test
roles: {leerlingen: pupil, medewerkers: staff}
school_hours: ["08:30", "14:30"]
articles:
  - {id: A.1, section: A, text: "Geen sociale media tijdens de les."}
  - {id: A.2, section: A, text: "Geen persoonsgegevens."}
  - {id: A.3, section: A, text: "Fatsoensnormen."}
  - {id: A.4, section: A, text: "Geen vrienden met leerlingen."}
  - {id: A.5, section: A, text: "Bij ontsporing: leidinggevende."}
  - {id: A.6, section: A, text: "Check de lestijd."}
rules:
  - id: no-lessons
    articles: [A.1]
    title: Les
    applies_to: {channels: [social_media], author_roles: [pupil, staff]}
    when: {all: [{fact: post.during_lesson}, {not: {fact: post.permission}}]}
    verdict: block
    message: Niet tijdens de les.
  - id: no-phone
    articles: [A.2]
    title: Telefoon
    when: {fact: personal_data.phone}
    verdict: revise
    message: Haal het nummer weg.
    fix: {action: redact, description: Nummer weggehaald.}
  - id: no-threats
    articles: [A.3]
    title: Dreiging
    when: {fact: abuse.threat}
    verdict: block
    message: Dreigen mag niet.
  - id: no-pupil-friends
    articles: [A.4]
    title: Vrienden
    applies_to: {activities: [connection], author_roles: [staff], recipient_roles: [pupil]}
    verdict: block
    message: Geen vriendschap met leerlingen.
  - id: derailing-thread
    articles: [A.5]
    title: Ontsporing
    applies_to: {activities: [reply], settings: [work]}
    when: {fact: thread.abusive}
    verdict: review
    message: Overleg met je leidinggevende.
  - id: school-hours
    articles: [A.6]
    title: Lestijd
    applies_to: {author_roles: [pupil]}
    when: {all: [{fact: post.in_school_hours}, {not: {fact: post.permission}}]}
    verdict: review
    message: Was dit tijdens de les?
"""


@pytest.fixture(scope="module")
def checker(deduce_engine) -> Checker:
    return Checker(parse_protocol(PROTOCOL, "test.yaml"))


def post(**data):
    return parse_post(data, "test")


def fired(checker, **data) -> list[str]:
    return [f.rule for f in checker.check(post(**data)).findings]


def test_nothing_against_it_is_allowed(checker):
    result = checker.check(post(text="Wat een mooie voorstelling vanmiddag!"))
    assert result.verdict is Verdict.ALLOW and result.findings == []


def test_channel_groups_and_roles_scope_a_rule(checker):
    rule = checker.protocol.rules[0]
    assert rule_applies(rule, post(text="x", channel="instagram", author={"role": "pupil"}))
    assert not rule_applies(rule, post(text="x", channel="website", author={"role": "pupil"}))
    assert not rule_applies(rule, post(text="x", channel="instagram", author={"role": "parent"}))


def test_recipient_role_scopes_connections(checker):
    assert fired(checker, activity="connection", recipient={"role": "pupil"}) == ["no-pupil-friends"]
    assert fired(checker, activity="connection", recipient={"role": "staff"}) == []
    assert fired(checker, activity="connection") == []


def test_findings_sorted_most_severe_first_and_verdict_is_the_worst(checker):
    result = checker.check(post(text="Bel me op 06-12345678, anders maak ik je af.", during_lesson=True, channel="x"))
    assert [f.verdict for f in result.findings][0] is Verdict.BLOCK
    assert {f.rule for f in result.findings} == {"no-lessons", "no-phone", "no-threats"}
    assert result.verdict is Verdict.BLOCK


def test_phone_evidence_points_into_the_text(checker):
    text = "Vragen? Bel 06-12345678."
    finding = checker.check(post(text=text)).findings[0]
    evidence = finding.evidence[0]
    assert text[evidence.start : evidence.end] == "06-12345678"


def test_abuse_in_the_replied_message_is_a_derailing_thread(checker):
    reply = dict(activity="reply", text="Laten we dit rustig bespreken op school.")
    angry = {"text": "Ik maak je af als je mijn kind nog eens straft", "author_role": "parent"}
    result = checker.check(post(**reply, in_reply_to=angry))
    assert [f.rule for f in result.findings] == ["derailing-thread"]
    assert result.findings[0].evidence[0].source == "in_reply_to"
    assert fired(checker, **reply, in_reply_to={"text": "Dank voor de info!", "author_role": "parent"}) == []


def test_school_hours_come_from_posted_at(checker):
    pupil = {"role": "pupil"}
    assert fired(checker, text="saai", author=pupil, posted_at="2026-11-16T10:15:00+01:00") == ["school-hours"]
    assert fired(checker, text="saai", author=pupil, posted_at="2026-11-16T16:15:00+01:00") == []
    assert fired(checker, text="saai", author=pupil, posted_at="2026-11-15T10:15:00+01:00") == []  # a Sunday


def test_an_explicit_answer_about_the_lesson_wins_over_the_clock(checker):
    pupil = {"role": "pupil"}
    assert fired(checker, text="pauze!", author=pupil, during_lesson=False, posted_at="2026-11-16T12:25:00+01:00") == []


FUNCTION_PROTOCOL = PROTOCOL.replace(
    """    when: {fact: thread.abusive}
    verdict: review
    message: Overleg met je leidinggevende.""",
    """    when: {fact: thread.abusive}
    verdict: review
    message: Overleg met je leidinggevende.
    fix: {action: append_text, description: Noem je functie., text: "(Mijn functie: {function}.)"}""",
)


def test_fix_text_names_the_authors_function_or_leaves_dots(deduce_engine):
    checker = Checker(parse_protocol(FUNCTION_PROTOCOL, "test.yaml"))
    angry = {"text": "Ik maak je af", "author_role": "parent"}
    with_function = checker.check(post(activity="reply", text="Rustig aan.", in_reply_to=angry, author={"function": "leerkracht groep 6"}))
    without = checker.check(post(activity="reply", text="Rustig aan.", in_reply_to=angry))
    assert with_function.findings[0].fix.text == "(Mijn functie: leerkracht groep 6.)"
    assert without.findings[0].fix.text == "(Mijn functie: ….)"


def test_fix_text_allows_no_other_placeholder():
    from plaatsbaar.core.protocol.loader import ProtocolError

    with pytest.raises(ProtocolError, match="alleen de invulplek"):
        parse_protocol(FUNCTION_PROTOCOL.replace("{function}", "{naam}"), "test.yaml")
