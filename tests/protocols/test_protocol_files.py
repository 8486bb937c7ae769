"""The shipped protocol files against their sources.

For each of the five protocols: the file loads; it holds exactly the article ids
of ``protocols-source/ARTICLE-IDS.md``, in that order; every article text is
verbatim from the source text; every enforceable article is cited by a rule;
every rule has a ``fires``/``passes`` case in ``tests/protocols/cases/<id>.yaml``.
Also: a broken protocol fails with a :class:`ProtocolError` that names the line.
"""

from __future__ import annotations

import re
from functools import cache
from pathlib import Path

import pytest
import yaml

from plaatsbaar.core.post import parse_post
from plaatsbaar.core.protocol.loader import ProtocolError, builtin_protocol_dir, load_protocol, parse_protocol
from plaatsbaar.core.protocol.model import Protocol
from plaatsbaar.core.vocabulary import FixAction

REPO = Path(__file__).resolve().parents[2]
SOURCES = REPO / "protocols-source"
CASES = Path(__file__).resolve().parent / "cases"
PROTOCOL_IDS = ["lucas-onderwijs", "edu-ley", "msvr", "tjongerschool", "roc-kop-van-noord-holland"]

ID_HEADING = re.compile(r"^## (?P<id>[a-z0-9-]+) \((?P<source>[^)]+)\)\s*$")
SINGLE_ID = re.compile(r"^(?P<prefix>[A-Z]{1,3}|\d+)\.(?P<item>\d+|[a-z])$")
FOOTNOTE_MARKER = re.compile(r"^[¹²³⁴⁵⁶⁷⁸⁹]\s*")


# --- ARTICLE-IDS.md ---------------------------------------------------------


def expand_ids(cell: str) -> list[str]:
    """Article ids in one table cell: ``"V.0 (hoofdregel), V.1 – V.3"`` → V.0 … V.3.

    Parenthesised remarks are dropped; ``A – B`` is an inclusive range of
    numbers or letters with the same prefix. Raises ``ValueError`` for
    anything else.
    """
    ids: list[str] = []
    for part in re.sub(r"\([^)]*\)", "", cell).split(","):
        bounds = [b.strip() for b in re.split(r"\s+[–-]\s+", part.strip())]
        if len(bounds) == 1:
            ids.append(_parse_single(bounds[0]).group(0))
        elif len(bounds) == 2:
            ids.extend(_expand_range(*bounds))
        else:
            raise ValueError(f"cannot read article ids {part!r}")
    return ids


def _parse_single(text: str) -> re.Match[str]:
    match = SINGLE_ID.match(text)
    if match is None:
        raise ValueError(f"not an article id: {text!r}")
    return match


def _expand_range(first: str, last: str) -> list[str]:
    start, end = _parse_single(first), _parse_single(last)
    prefix = start.group("prefix")
    if end.group("prefix") != prefix:
        raise ValueError(f"range {first} – {last} mixes sections")
    a, b = start.group("item"), end.group("item")
    if a.isdigit() and b.isdigit():
        items = [str(n) for n in range(int(a), int(b) + 1)]
    elif a.isalpha() and b.isalpha():
        items = [chr(c) for c in range(ord(a), ord(b) + 1)]
    else:
        raise ValueError(f"range {first} – {last} mixes numbers and letters")
    return [f"{prefix}.{item}" for item in items]


@cache
def article_ids_md() -> dict[str, tuple[str, list[str]]]:
    """Protocol id → (source file name, article ids in order), from ARTICLE-IDS.md."""
    result: dict[str, tuple[str, list[str]]] = {}
    current: str | None = None
    for line in (SOURCES / "ARTICLE-IDS.md").read_text(encoding="utf-8").splitlines():
        heading = ID_HEADING.match(line)
        if heading:
            current = heading.group("id")
            result[current] = (heading.group("source"), [])
        elif current and line.startswith("|") and not _is_header_row(line):
            cells = [c.strip() for c in line.strip().strip("|").split("|")]
            result[current][1].extend(expand_ids(cells[-1]))
    return result


def _is_header_row(line: str) -> bool:
    cells = [c.strip() for c in line.strip().strip("|").split("|")]
    return cells[-1] == "ids" or set("".join(cells)) <= set("- ")


# --- helpers --------------------------------------------------------------------


def normalise(text: str) -> str:
    """Drop the extraction artefact ``[image: ]`` and collapse whitespace runs."""
    return " ".join(text.replace("[image: ]", "").split())


def occurs_whole(text: str, normalised_source: str) -> bool:
    """Whether ``text`` occurs in the source, starting at a word boundary and
    ending before whitespace or the end (so a clipped ``ouders..`` fails)."""
    needle = normalise(text)
    pattern = r"(?<!\w)" + re.escape(needle) + r"(?=\s|$)"
    return bool(needle) and re.search(pattern, normalised_source) is not None


@cache
def protocol(protocol_id: str) -> Protocol:
    """The shipped protocol (loaded once)."""
    return load_protocol(builtin_protocol_dir() / f"{protocol_id}.yaml")


def load_cases(protocol_id: str) -> list[dict]:
    """The rule cases of a protocol as written in the YAML file."""
    path = CASES / f"{protocol_id}.yaml"
    cases = yaml.safe_load(path.read_text(encoding="utf-8"))
    assert isinstance(cases, list), f"{path}: expected a list of cases"
    return cases


# --- the helpers themselves -----------------------------------------------------------


@pytest.mark.parametrize(
    ("cell", "expected"),
    [
        ("U.1 – U.5", ["U.1", "U.2", "U.3", "U.4", "U.5"]),
        ("P.a – P.f", ["P.a", "P.b", "P.c", "P.d", "P.e", "P.f"]),
        ("V.0 (hoofdregel), V.1 – V.3", ["V.0", "V.1", "V.2", "V.3"]),
        ("VL.0, VL.1 – VL.3", ["VL.0", "VL.1", "VL.2", "VL.3"]),
        ("INL.0 – INL.5", [f"INL.{n}" for n in range(6)]),
        ("1.1 – 1.2", ["1.1", "1.2"]),
        ("D.1", ["D.1"]),
    ],
)
def test_article_id_cells_expand_to_every_id(cell: str, expected: list[str]) -> None:
    assert expand_ids(cell) == expected


@pytest.mark.parametrize("cell", ["U.1 – V.3", "A.1 – A.c", "section A", "U.1 – U.3 – U.5"])
def test_unreadable_article_id_cells_are_errors(cell: str) -> None:
    with pytest.raises(ValueError):
        expand_ids(cell)


def test_article_ids_md_names_all_five_protocols() -> None:
    listed = article_ids_md()
    assert sorted(listed) == sorted(PROTOCOL_IDS)
    assert listed["tjongerschool"][1][:6] == [f"INL.{n}" for n in range(6)]
    assert listed["lucas-onderwijs"][1][-3:] == ["N.1", "N.2", "N.3"]


def test_a_clipped_or_changed_article_is_not_verbatim() -> None:
    source = normalise("6. Het is toegestaan om te communiceren met leerlingen en ouders..\n7. Alle betrokkenen")
    assert occurs_whole("Het is toegestaan om te communiceren met leerlingen en ouders..", source)
    assert not occurs_whole("Het is toegestaan om te communiceren met leerlingen en ouders.", source)
    assert not occurs_whole("et is toegestaan", source)
    assert not occurs_whole("Het is toegestaan om te communiceren met leerlingen en oud", source)
    assert not occurs_whole("Het is toegestaan om te communiceren met leerlingen en ouders!", source)


# --- every protocol file --------------------------------------------------------------


@pytest.mark.parametrize("protocol_id", PROTOCOL_IDS)
def test_protocol_file_loads(protocol_id: str) -> None:
    loaded = protocol(protocol_id)
    assert loaded.id == protocol_id
    assert loaded.source == article_ids_md()[protocol_id][0]
    assert loaded.rules, "a protocol without rules checks nothing"


@pytest.mark.parametrize("protocol_id", PROTOCOL_IDS)
def test_protocol_holds_exactly_the_listed_article_ids_in_order(protocol_id: str) -> None:
    expected = article_ids_md()[protocol_id][1]
    actual = [a.id for a in protocol(protocol_id).articles]
    assert sorted(set(expected) - set(actual)) == [], "missing articles"
    assert sorted(set(actual) - set(expected)) == [], "articles not in ARTICLE-IDS.md"
    assert actual == expected, "articles out of order"


@pytest.mark.parametrize("protocol_id", PROTOCOL_IDS)
def test_article_texts_are_verbatim(protocol_id: str) -> None:
    loaded = protocol(protocol_id)
    source = normalise((SOURCES / loaded.source).read_text(encoding="utf-8"))
    not_verbatim = [a.id for a in loaded.articles if not occurs_whole(FOOTNOTE_MARKER.sub("", a.text), source)]
    assert not_verbatim == [], f"not found verbatim (whole words, up to the item's end) in {loaded.source}"


@pytest.mark.parametrize("protocol_id", PROTOCOL_IDS)
def test_every_enforceable_article_is_cited_by_a_rule(protocol_id: str) -> None:
    loaded = protocol(protocol_id)
    cited = {article_id for rule in loaded.rules for article_id in rule.articles}
    uncited = [a.id for a in loaded.articles if not a.informative and a.id not in cited]
    assert uncited == [], "mark them informative or write a rule"


@pytest.mark.parametrize("protocol_id", PROTOCOL_IDS)
def test_every_rule_has_a_case_that_fires_and_one_that_passes(protocol_id: str) -> None:
    rule_ids = {rule.id for rule in protocol(protocol_id).rules}
    cases = load_cases(protocol_id)
    by_rule = {case.get("rule"): case for case in cases}
    assert sorted(rule_ids - set(by_rule)) == [], "rules without a case"
    assert sorted(set(by_rule) - rule_ids) == [], "cases for rules that do not exist"
    assert len(by_rule) == len(cases), "more than one case for a rule"
    for rule_id, case in by_rule.items():
        fires = parse_post(case.get("fires"), f"{protocol_id}: {rule_id}.fires")
        passes = parse_post(case.get("passes"), f"{protocol_id}: {rule_id}.passes")
        assert fires != passes, f"{rule_id}: fires and passes are the same post"


WITHOUT_DISCLAIMER = ("tjongerschool", "roc-kop-van-noord-holland")


@pytest.mark.parametrize("protocol_id", WITHOUT_DISCLAIMER)
def test_protocols_without_a_disclaimer_article_have_none(protocol_id: str) -> None:
    assert protocol(protocol_id).disclaimer is None


@pytest.mark.parametrize("protocol_id", [p for p in PROTOCOL_IDS if p not in WITHOUT_DISCLAIMER])
def test_the_disclaimer_is_what_a_rule_appends(protocol_id: str) -> None:
    loaded = protocol(protocol_id)
    appended = [r.fix.text for r in loaded.rules if r.fix is not None and r.fix.action is FixAction.APPEND_TEXT]
    assert loaded.disclaimer in appended, "no rule appends the protocol's disclaimer"


# --- broken protocols --------------------------------------------------------------

VALID = """\
id: proef
title: Proefprotocol
organisation: Proefschool
names: [Proefschool]
kind_of_school: po
source: proef.txt
roles: {leerlingen: pupil}
articles:
  - {id: A.1, section: A, text: "Geen sociale media tijdens de les."}
  - {id: A.2, section: A, text: "De school vindt sociale media belangrijk.", informative: true}
rules:
  - id: no-social-media-in-lessons
    articles: [A.1]
    title: Geen sociale media tijdens de les
    when:
      all:
        - fact: post.during_lesson
        - not: {fact: post.permission}
    verdict: block
    message: Niet tijdens de les.
"""


def test_the_valid_example_loads() -> None:
    assert parse_protocol(VALID, "proef.yaml").rules[0].articles == ["A.1"]


@pytest.mark.parametrize(
    ("what", "old", "new", "line", "words"),
    [
        ("unknown fact", "fact: post.during_lesson", "fact: post.during_les", 17, "post.during_les"),
        ("unknown article", "articles: [A.1]", "articles: [A.9]", 13, "A.9"),
        ("informative article cited", "articles: [A.1]", "articles: [A.2]", 13, "A.2"),
        ("bad YAML", "title: Geen sociale media tijdens de les", "title: Let op: geen telefoon", 14, "YAML"),
        ("unknown freshness article", "source: proef.txt", "source: proef.txt\nfreshness_article: INL.4", 7, "INL.4"),
    ],
)
def test_broken_protocol_fails_naming_the_line(what: str, old: str, new: str, line: int, words: str) -> None:
    assert old in VALID
    with pytest.raises(ProtocolError) as caught:
        parse_protocol(VALID.replace(old, new), "proef.yaml")
    message = str(caught.value)
    assert "proef.yaml" in message and words in message, message
    assert [p.line for p in caught.value.problems] == [line], f"{what}: {message}"
    assert f"regel {line}:" in message or f"regel {line}," in message, message


def test_broken_protocol_file_on_disk_names_file_and_line(tmp_path: Path) -> None:
    path = tmp_path / "kapot.yaml"
    path.write_text(VALID.replace("verdict: block", "verdict: verbieden"), encoding="utf-8")
    with pytest.raises(ProtocolError) as caught:
        load_protocol(path)
    assert str(path) in str(caught.value)
    assert [p.line for p in caught.value.problems] == [19]
