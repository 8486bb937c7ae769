"""The protocol as data: metadata, verbatim articles and the rules that follow.

A protocol file (YAML) is validated into :class:`Protocol`. Conditions are data
in a closed vocabulary (:mod:`plaatsbaar.core.vocabulary`): ``fact`` with one
comparison, or ``all``/``any``/``not`` of conditions. Nothing is evaluated as
code.
"""

from __future__ import annotations

import re
from typing import Annotated, Any, Union

from pydantic import BaseModel, ConfigDict, Discriminator, Field, Tag, field_validator, model_validator

from plaatsbaar.core.vocabulary import (
    FACTS,
    Account,
    Activity,
    Channel,
    FixAction,
    Role,
    Setting,
    Verdict,
    expand_channels,
)

_STRICT = ConfigDict(extra="forbid", frozen=True)
ARTICLE_ID = re.compile(r"^[A-Z]{1,3}\.(\d+|[a-z])$|^\d+\.\d+$")
RULE_ID = re.compile(r"^[a-z0-9]+(-[a-z0-9]+)*$")


class ReferenceProblem(ValueError):
    """A rule citing an unknown or informative article; ``loc`` is the citation's place
    (``("rules", i, "articles", j)``), so the loader can name its line."""

    def __init__(self, message: str, loc: tuple[str | int, ...]):
        super().__init__(message)
        self.loc = loc


class FactCondition(BaseModel):
    """``{fact: NAME}`` is true when the fact is truthy; one comparison may be added.

    ``equals``/``in`` compare choices or booleans; ``at_least``/``at_most`` counts.
    """

    model_config = _STRICT

    fact: str
    equals: bool | int | str | None = None
    in_: list[str] | None = Field(default=None, alias="in")
    at_least: int | None = Field(default=None, ge=0)
    at_most: int | None = Field(default=None, ge=0)

    @field_validator("fact")
    @classmethod
    def _known_fact(cls, name: str) -> str:
        if name not in FACTS:
            raise ValueError(f"onbekend feit {name!r}; zie 'plaatsbaar protocol facts'")
        return name

    @model_validator(mode="after")
    def _one_comparison(self) -> "FactCondition":
        given = [k for k in ("equals", "in_", "at_least", "at_most") if getattr(self, k) is not None]
        if len(given) > 1:
            raise ValueError("één vergelijking per feit (equals, in, at_least of at_most)")
        spec = FACTS[self.fact]
        if spec.kind == "choice":
            for value in ([self.equals] if self.equals is not None else []) + (self.in_ or []):
                if value not in spec.choices:
                    raise ValueError(f"{value!r} is geen waarde van {self.fact}; kies uit {', '.join(spec.choices)}")
        if (self.at_least is not None or self.at_most is not None) and spec.kind != "count":
            raise ValueError(f"at_least/at_most alleen bij tellingen; {self.fact} is {spec.kind}")
        return self


class AllCondition(BaseModel):
    """True when every sub-condition is true."""

    model_config = _STRICT
    all: list["Condition"] = Field(min_length=1)


class AnyCondition(BaseModel):
    """True when at least one sub-condition is true."""

    model_config = _STRICT
    any: list["Condition"] = Field(min_length=1)


class NotCondition(BaseModel):
    """True when the sub-condition is false."""

    model_config = ConfigDict(extra="forbid", frozen=True, populate_by_name=True)
    not_: "Condition" = Field(alias="not")


CONDITION_TAG = "cond:"


def _condition_kind(value: Any) -> str:
    """Which kind of condition a mapping is, by its key (``fact`` when unclear)."""
    if isinstance(value, dict):
        for key in ("all", "any", "not"):
            if key in value:
                return CONDITION_TAG + key
    elif isinstance(value, BaseModel):
        return CONDITION_TAG + {AllCondition: "all", AnyCondition: "any", NotCondition: "not"}.get(type(value), "fact")
    return CONDITION_TAG + "fact"


Condition = Annotated[
    Union[
        Annotated[FactCondition, Tag(CONDITION_TAG + "fact")],
        Annotated[AllCondition, Tag(CONDITION_TAG + "all")],
        Annotated[AnyCondition, Tag(CONDITION_TAG + "any")],
        Annotated[NotCondition, Tag(CONDITION_TAG + "not")],
    ],
    Discriminator(_condition_kind),
]

AllCondition.model_rebuild()
AnyCondition.model_rebuild()
NotCondition.model_rebuild()


class AppliesTo(BaseModel):
    """The situations a rule applies to; an empty list means any."""

    model_config = _STRICT

    activities: list[Activity] = []
    channels: list[str] = []
    accounts: list[Account] = []
    author_roles: list[Role] = []
    settings: list[Setting] = []
    recipient_roles: list[Role] = []

    @field_validator("channels")
    @classmethod
    def _known_channels(cls, names: list[str]) -> list[str]:
        expand_channels(names)
        return names

    def channel_set(self) -> frozenset[Channel]:
        """The channels named, groups expanded (empty = any channel)."""
        return expand_channels(self.channels)


FUNCTION_PLACEHOLDER = "{function}"


class FixSpec(BaseModel):
    """What to do about it: an action and, for ``append_text``, the text.

    The text may hold ``{function}``: the author's function from the post,
    or "…" for the author to fill in. No other placeholder exists.
    """

    model_config = _STRICT

    action: FixAction
    description: str
    text: str | None = None

    @model_validator(mode="after")
    def _text_for_append(self) -> "FixSpec":
        if self.action is FixAction.APPEND_TEXT and not self.text:
            raise ValueError("append_text heeft een 'text' nodig")
        rest = (self.text or "").replace(FUNCTION_PLACEHOLDER, "")
        if "{" in rest or "}" in rest:
            raise ValueError("in 'text' is alleen de invulplek {function} toegestaan")
        return self

    def text_for(self, function: str | None) -> str | None:
        """The text with ``{function}`` filled in (or "…" when unknown)."""
        if self.text is None:
            return None
        return self.text.replace(FUNCTION_PLACEHOLDER, function.strip() if function and function.strip() else "…")


class Rule(BaseModel):
    """One enforceable rule: the article(s) it implements, when, how severe."""

    model_config = _STRICT

    id: str
    articles: list[str] = Field(min_length=1)
    title: str
    applies_to: AppliesTo = AppliesTo()
    when: Condition | None = None
    verdict: Verdict
    message: str
    fix: FixSpec | None = None

    @field_validator("id")
    @classmethod
    def _rule_id(cls, value: str) -> str:
        if not RULE_ID.match(value):
            raise ValueError("regel-id: kleine letters, cijfers en streepjes (bijv. 'no-faces-without-consent')")
        return value

    @field_validator("verdict")
    @classmethod
    def _not_allow(cls, value: Verdict) -> Verdict:
        if value is Verdict.ALLOW:
            raise ValueError("een regel geeft revise, review of block, nooit allow")
        return value


class Article(BaseModel):
    """An article, bullet or paragraph of the protocol, quoted verbatim."""

    model_config = _STRICT

    id: str
    section: str
    text: str = Field(min_length=1)
    informative: bool = False

    @field_validator("id")
    @classmethod
    def _article_id(cls, value: str) -> str:
        if not ARTICLE_ID.match(value):
            raise ValueError(f"artikel-id {value!r} volgt niet de vorm SECTIE.N (zie ARTICLE-IDS.md)")
        return value


class Adoption(BaseModel):
    """Who adopted the protocol or consented to it, and when (ISO date or null)."""

    model_config = _STRICT

    body: str
    role: str = Field(pattern="^(adopted|consented)$")
    date: str | None = None


class Protocol(BaseModel):
    """A school's social media protocol: metadata, articles, rules.

    Raises ``pydantic.ValidationError`` (turned into file/line messages by the
    loader) when a rule cites an unknown or informative article, ids repeat,
    or anything falls outside the vocabulary.
    """

    model_config = _STRICT

    id: str = Field(pattern=r"^[a-z0-9]+(-[a-z0-9]+)*$")
    title: str
    organisation: str
    names: list[str] = Field(min_length=1, description="names by which texts refer to the organisation")
    kind_of_school: str = Field(pattern="^(po|vo|mbo|staff_code)$")
    version: str | None = None
    date: str | None = None
    document: str | None = None
    adopted_by: list[Adoption] = []
    source: str
    roles: dict[str, Role] = Field(min_length=1, description="the protocol's words for people → common roles")
    disclaimer: str | None = None
    freshness_days: int | None = Field(default=None, ge=1, description="how long a school channel may be silent (days)")
    freshness_article: str | None = Field(default=None, description="the article that sets freshness_days")
    school_hours: tuple[str, str] = ("08:30", "15:00")
    articles: list[Article] = Field(min_length=1)
    rules: list[Rule] = []

    @model_validator(mode="after")
    def _references(self) -> "Protocol":
        ids = [a.id for a in self.articles]
        duplicates = {i for i in ids if ids.count(i) > 1}
        if duplicates:
            raise ValueError(f"artikel-id's komen dubbel voor: {', '.join(sorted(duplicates))}")
        by_id = {a.id: a for a in self.articles}
        if self.freshness_article is not None and self.freshness_article not in by_id:
            raise ReferenceProblem(f"freshness_article noemt onbekend artikel {self.freshness_article!r}",
                                   ("freshness_article",))
        rule_ids = [r.id for r in self.rules]
        dup_rules = {i for i in rule_ids if rule_ids.count(i) > 1}
        if dup_rules:
            raise ValueError(f"regel-id's komen dubbel voor: {', '.join(sorted(dup_rules))}")
        for r, rule in enumerate(self.rules):
            for a, article_id in enumerate(rule.articles):
                where = ("rules", r, "articles", a)
                if article_id not in by_id:
                    raise ReferenceProblem(f"regel {rule.id!r} noemt onbekend artikel {article_id!r}", where)
                if by_id[article_id].informative:
                    raise ReferenceProblem(f"regel {rule.id!r} noemt artikel {article_id!r}, dat informatief is", where)
        return self

    def article(self, article_id: str) -> Article:
        """The article with this id; raises ``KeyError``."""
        for article in self.articles:
            if article.id == article_id:
                return article
        raise KeyError(article_id)
