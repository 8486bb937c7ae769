"""The API endpoints (version 1): check a post, look up consent, create and read drafts.

Views are thin: validate the JSON (400 per field), check the user's
permission through the one :class:`Policy` (404 for another school, 403 for
the wrong role), call a service, answer JSON. Errors are shaped by
:mod:`plaatsbaar.web.api.errors`.
"""

from __future__ import annotations

from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import status
from rest_framework.exceptions import NotFound, ValidationError
from rest_framework.exceptions import PermissionDenied as ApiPermissionDenied
from rest_framework.response import Response
from rest_framework.serializers import Serializer
from rest_framework.views import APIView

from plaatsbaar.core.post import PostError, parse_post
from plaatsbaar.web.api import serializers as s
from plaatsbaar.web.api.checking import NoProtocol, check_basis, check_post
from plaatsbaar.web.api.consent_lookup import lookup_consent
from plaatsbaar.web.api.drafts import (
    NOT_A_WRITER,
    NOT_FOUND,
    DraftInputError,
    checked_input,
    create_checked_draft,
    draft_detail,
    draft_summary,
    readable_draft,
    visible_drafts,
    with_latest_verdict,
)
from plaatsbaar.web.audit.services import client_ip
from plaatsbaar.web.drafts.services import DraftRefused
from plaatsbaar.web.organisation.policy import Policy
from plaatsbaar.web.organisation.services import visible_school

_ERRORS = {
    400: "Ongeldige invoer; `errors` noemt per veld wat er mis is.",
    401: "Geen, een onbekende of een ingetrokken API-sleutel.",
    403: "De gebruiker van de sleutel heeft bij deze school niet de rol die hiervoor nodig is.",
    404: "Onbekend, of van een school waar de gebruiker geen rol heeft (wordt niet onderscheiden).",
    413: "Het verzoek is groter dan de webapplicatie aanneemt (standaard 2,5 MB).",
    415: "De inhoud is geen JSON (Content-Type: application/json).",
}


def errors(*codes: int) -> dict[int, OpenApiResponse]:
    """The documented error answers of an operation (all with :class:`ErrorSerializer`)."""
    return {code: OpenApiResponse(s.ErrorSerializer, description=_ERRORS[code]) for code in codes}


def validated(serializer_class: type[Serializer], data) -> dict:
    """The validated data; raises ``ValidationError`` (400, per field)."""
    serializer = serializer_class(data=data)
    serializer.is_valid(raise_exception=True)
    return serializer.validated_data


class CheckView(APIView):
    """POST /api/v1/check/: the verdict on a post, as ``plaatsbaar check`` gives it."""

    @extend_schema(
        operation_id="check_post",
        tags=["toetsen"],
        summary="Een bericht toetsen aan het protocol",
        description=(
            "Toetst een bericht (het formaat van `plaatsbaar check`, zonder media) aan het actieve protocol van "
            "`school` (met de namen van de leerlingen, ouders en medewerkers van die school) of aan een "
            "meegeleverd `protocol`. Recht: elke rol bij de school; met `protocol`: elke medewerker."
        ),
        request=s.CheckSerializer,
        responses={200: s.CheckResultSerializer, **errors(400, 401, 403, 404, 413, 415)},
    )
    def post(self, request):
        data = validated(s.CheckSerializer, request.data)
        try:
            basis = check_basis(Policy(request.user), data.get("school"), data.get("protocol"))
        except NoProtocol as exc:
            raise ValidationError({"school": [str(exc)]}) from None
        try:
            post = parse_post(data["post"], "post")
        except PostError as exc:
            raise ValidationError({"post": [str(exc)]}) from None
        return Response(s.CheckResultSerializer(check_post(post, basis)).data)


class ConsentLookupView(APIView):
    """POST /api/v1/consent/lookup/: may these pupils be shown on this channel?"""

    @extend_schema(
        operation_id="lookup_consent",
        tags=["toestemming"],
        summary="Toestemming van leerlingen opzoeken",
        description=(
            "Per leerling van `school` of die op `channel` in `media_kind` getoond mag worden (de actuele "
            "toestemming; uitgeschreven leerlingen nooit). Ids die geen leerling van deze school zijn, staan "
            "onder `unknown`. Recht: elke rol bij de school."
        ),
        request=s.ConsentLookupSerializer,
        responses={200: s.ConsentLookupResultSerializer, **errors(400, 401, 403, 404, 413, 415)},
    )
    def post(self, request):
        data = validated(s.ConsentLookupSerializer, request.data)
        policy = Policy(request.user)
        school = visible_school(policy, data["school"])
        if not policy.can_check_drafts(school):
            raise ApiPermissionDenied("Je hebt bij deze school geen rol waarmee je toestemming inziet.")
        answer = lookup_consent(school, data["channel"], data["media_kind"],
                                data.get("pupil_ids", []), data.get("external_ids", []))
        return Response(s.ConsentLookupResultSerializer(answer).data)


class DraftListView(APIView):
    """GET /api/v1/drafts/: the drafts the user may read; POST: a new draft with its first version."""

    @extend_schema(
        operation_id="list_drafts",
        tags=["concepten"],
        summary="Concepten en hun status",
        description=(
            "De concepten die de gebruiker mag zien: eigen concepten, en bij leidinggevende, communicatie of "
            "FG alle concepten van die school. Nieuwste wijziging eerst."
        ),
        parameters=[s.DraftListQuerySerializer],
        responses={200: s.DraftPageSerializer, **errors(400, 401)},
    )
    def get(self, request):
        query = validated(s.DraftListQuerySerializer, request.query_params)
        drafts = with_latest_verdict(visible_drafts(Policy(request.user))).order_by("-updated_at", "-id")
        if "school" in query:
            drafts = drafts.filter(school_id=query["school"])
        if "status" in query:
            drafts = drafts.filter(status=query["status"])
        limit, offset = query["limit"], query["offset"]
        page = {"count": drafts.count(), "limit": limit, "offset": offset,
                "results": [draft_summary(d, d.latest_verdict) for d in drafts[offset : offset + limit]]}
        return Response(s.DraftPageSerializer(page).data)

    @extend_schema(
        operation_id="create_draft",
        tags=["concepten"],
        summary="Een concept aanmaken (en meteen toetsen)",
        description=(
            "Maakt een concept voor een kanaal van de school met een eerste versie van de tekst en toetst die "
            "aan het protocol van de school. Daarna gaat het verder in plaatsbaar (tags, beoordeling, "
            "publicatie). Recht: een medewerkersrol bij de school (niet alleen bestuur)."
        ),
        request=s.DraftCreateSerializer,
        responses={201: s.DraftDetailSerializer, **errors(400, 401, 403, 404, 413, 415)},
    )
    def post(self, request):
        data = validated(s.DraftCreateSerializer, request.data)
        policy = Policy(request.user)
        school = visible_school(policy, data["school"])
        if not policy.can_write_drafts(school):
            raise ApiPermissionDenied(NOT_A_WRITER)
        try:
            group = checked_input(school, request.user, data["channel"], data.get("group"))
            draft = create_checked_draft(policy, school, channel=data["channel"], group=group, text=data["text"],
                                         function=data.get("function", ""), posted_at=data.get("posted_at"),
                                         ip=client_ip(request))
        except DraftInputError as exc:
            raise ValidationError({exc.field: [str(exc)]}) from None
        except DraftRefused as exc:
            raise ValidationError(str(exc)) from None
        return Response(s.DraftDetailSerializer(draft_detail(draft)).data, status=status.HTTP_201_CREATED)


class DraftDetailView(APIView):
    """GET /api/v1/drafts/{id}/: status, verdict, versions and review steps of one draft."""

    @extend_schema(
        operation_id="get_draft",
        tags=["concepten"],
        summary="Eén concept: status, oordeel, versies en beoordeling",
        description=(
            "De status, het oordeel en de bevindingen van de nieuwste versie, alle versies en de stappen van de "
            "beoordeling (wie, wanneer, welke versie). Recht: de auteur, en leidinggevende, communicatie en FG "
            "van de school."
        ),
        responses={200: s.DraftDetailSerializer, **errors(401, 403, 404)},
    )
    def get(self, request, draft_id: int):
        if draft_id > s.MAX_ID:
            raise NotFound(NOT_FOUND)
        draft = readable_draft(Policy(request.user), draft_id)
        return Response(s.DraftDetailSerializer(draft_detail(draft)).data)
