"""The REST API. Same permissions and services as the pages: every view resolves its trust through
``trust_for`` (tenancy + permission) and every write goes through a service (validation + audit)."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError as DjangoValidationError
from django.shortcuts import get_object_or_404, render
from drf_spectacular.utils import extend_schema
from rest_framework import generics, serializers, status
from rest_framework.exceptions import ValidationError
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from medlead.api import serializers as s
from medlead.core import kept
from medlead.core.dates import today
from medlead.core.policy import Perm
from medlead.development.selectors import catalogue_rows
from medlead.organisation import selectors as org_selectors
from medlead.organisation import services as org_services
from medlead.organisation.models import Division, Person, Specialty, Trust
from medlead.structure import selectors as structure_selectors
from medlead.structure import services as structure_services
from medlead.structure.fhir import bundle
from medlead.structure.models import Post
from medlead.talent.selectors import succession_plan


def _drf_error(exc: DjangoValidationError) -> ValidationError:
    return ValidationError(exc.message_dict if hasattr(exc, "error_dict") else {"non_field_errors": exc.messages})


class TrustScoped:
    """Resolves ``self.trust`` from the URL for the permission each method needs."""

    read_perm = Perm.VIEW_ORGANISATION
    write_perm = Perm.VIEW_ORGANISATION
    kwargs: dict[str, Any]

    @property
    def trust(self) -> Trust:
        if not hasattr(self, "_trust"):
            request: Request = self.request  # type: ignore[attr-defined]
            perm = self.read_perm if request.method in ("GET", "HEAD", "OPTIONS") else self.write_perm
            self._trust = org_selectors.trust_for(request.user, self.kwargs["trust_code"], perm)
        return self._trust

    def get_serializer_context(self) -> dict[str, Any]:
        context: dict[str, Any] = super().get_serializer_context()  # type: ignore[misc]
        context["trust"] = self.trust
        return context


class TrustList(generics.ListAPIView):
    serializer_class = s.TrustSerializer

    def get_queryset(self) -> Any:
        return org_selectors.visible_trusts(self.request.user).select_related("region").order_by("name")


class DivisionList(TrustScoped, generics.ListAPIView):
    serializer_class = s.DivisionSerializer

    def get_queryset(self) -> Any:
        return Division.objects.filter(trust=self.trust).order_by("name")


class SpecialtyList(TrustScoped, generics.ListAPIView):
    serializer_class = s.SpecialtySerializer

    def get_queryset(self) -> Any:
        return Specialty.objects.filter(trust=self.trust).order_by("name")


class PersonList(TrustScoped, generics.ListCreateAPIView):
    serializer_class = s.PersonSerializer
    read_perm = Perm.VIEW_PERSONAL_DETAILS
    write_perm = Perm.MANAGE_PEOPLE

    def get_queryset(self) -> Any:
        query = s.PeopleQuery(data=self.request.query_params)
        query.is_valid(raise_exception=True)  # a bad search is the caller's error: 400, with the reason
        return org_selectors.people(trust=self.trust, search=query.validated_data.get("q", ""))

    def perform_create(self, serializer: serializers.BaseSerializer) -> None:
        try:
            serializer.instance = org_services.person_create(
                actor=self.request.user, trust=self.trust, **serializer.validated_data
            )
        except DjangoValidationError as exc:
            raise _drf_error(exc) from exc


class PersonDetail(TrustScoped, generics.RetrieveUpdateAPIView):
    serializer_class = s.PersonSerializer
    read_perm = Perm.VIEW_PERSONAL_DETAILS
    write_perm = Perm.MANAGE_PEOPLE

    def get_object(self) -> Person:
        return get_object_or_404(Person, trust=self.trust, pk=self.kwargs["pk"])

    def perform_update(self, serializer: serializers.BaseSerializer) -> None:
        try:
            serializer.instance = org_services.person_update(
                actor=self.request.user, person=self.get_object(), **serializer.validated_data
            )
        except DjangoValidationError as exc:
            raise _drf_error(exc) from exc


class PostList(TrustScoped, generics.ListCreateAPIView):
    serializer_class = s.PostSerializer
    write_perm = Perm.MANAGE_STRUCTURE
    pagination_class = None

    def get_queryset(self) -> Any:
        return structure_selectors.posts(trust=self.trust)

    def list(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        """The trust's posts with their holders today: the same for everyone who may read them, so kept
        (``core.kept``) until a post or a holder changes."""

        def build() -> list[dict[str, Any]]:
            return [dict(row) for row in self.get_serializer(self.get_queryset(), many=True).data]

        return Response(kept.kept(("api:posts", self.trust.pk, today()), build))

    def perform_create(self, serializer: serializers.BaseSerializer) -> None:
        try:
            serializer.instance = structure_services.post_create(
                actor=self.request.user, trust=self.trust, **serializer.validated_data
            )
        except DjangoValidationError as exc:
            raise _drf_error(exc) from exc


class PostDetail(TrustScoped, generics.RetrieveUpdateAPIView):
    serializer_class = s.PostSerializer
    write_perm = Perm.MANAGE_STRUCTURE

    def get_object(self) -> Post:
        return get_object_or_404(Post, trust=self.trust, pk=self.kwargs["pk"])

    def perform_update(self, serializer: serializers.BaseSerializer) -> None:
        try:
            serializer.instance = structure_services.post_update(
                actor=self.request.user, post=self.get_object(), **serializer.validated_data
            )
        except DjangoValidationError as exc:
            raise _drf_error(exc) from exc


class Portfolio(TrustScoped, APIView):
    @extend_schema(responses=s.PortfolioSerializer(many=True))
    def get(self, request: Request, trust_code: str) -> Response:
        rows = [
            {
                "function": r["function"].code,
                "name": r["function"].name,
                "area": r["function"].area.name,
                "kind": r["function"].kind,
                "source": r["function"].source,
                "post_id": r["post"].pk if r["post"] else None,
            }
            for r in structure_selectors.portfolio(trust=self.trust)
        ]
        return Response(s.PortfolioSerializer(rows, many=True).data)


class OrgChart(TrustScoped, APIView):
    @extend_schema(responses=s.OrgChartSerializer)
    def get(self, request: Request, trust_code: str) -> Response:
        return Response(structure_selectors.org_chart(trust=self.trust))


class StructureHealth(TrustScoped, APIView):
    read_perm = Perm.VIEW_STRUCTURE_HEALTH

    @extend_schema(responses=s.FindingSerializer(many=True))
    def get(self, request: Request, trust_code: str) -> Response:
        findings = structure_selectors.findings_on(self.trust, today())
        return Response(s.FindingSerializer(findings, many=True).data, status=status.HTTP_200_OK)


class FhirPractitioners(TrustScoped, APIView):
    """The trust's doctors as a FHIR R4 Bundle of UK Core Practitioner and PractitionerRole resources."""

    read_perm = Perm.VIEW_PEOPLE

    @extend_schema(responses={200: dict})
    def get(self, request: Request, trust_code: str) -> Response:

        return Response(bundle(trust=self.trust, on=today()), content_type="application/fhir+json")


class Opportunities(APIView):
    """The national catalogue of development opportunities, with the framework items each builds."""

    @extend_schema(responses=s.OpportunitySerializer(many=True))
    def get(self, request: Request) -> Response:

        rows = kept.kept(  # the same for everyone: kept until the catalogue changes
            ("api:opportunities",), lambda: [dict(r) for r in s.OpportunitySerializer(catalogue_rows(), many=True).data]
        )
        return Response(rows)


class Succession(TrustScoped, APIView):
    """Every medical management post's succession plan and risk, highest risk first."""

    read_perm = Perm.MANAGE_TALENT

    @extend_schema(responses=s.SuccessionSerializer(many=True))
    def get(self, request: Request, trust_code: str) -> Response:

        rows = [
            {
                "post_id": r["post"].pk,
                "post": r["post"].title,
                "holders": [h.person.display_name for h in r["holders"]],
                "successors": [{"person_id": x.person_id, "readiness": x.readiness} for x in r["successors"]],
                "risk_score": r["risk"].score,
                "at_risk": r["risk"].at_risk,
                "reasons": r["risk"].reasons,
            }
            for r in succession_plan(trust=self.trust, today=today())
        ]
        return Response(s.SuccessionSerializer(rows, many=True).data)


def api_docs(request: Any) -> Any:
    return render(request, "api_docs.jinja")
