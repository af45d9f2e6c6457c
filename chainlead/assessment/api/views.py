"""The assessment API. Schemes, groups and indicators are edited like any model (office only;
a published version refuses changes); rankings, scores and adjustments are read-only, and the
workflow steps are POST actions that call one service verb each."""

from __future__ import annotations

from drf_spectacular.utils import extend_schema
from rest_framework import mixins, viewsets
from rest_framework.decorators import action
from rest_framework.parsers import FormParser, JSONParser, MultiPartParser
from rest_framework.response import Response

from chainlead.assessment import filtersets, services
from chainlead.assessment.api import serializers
from chainlead.assessment.models import (
    Adjustment,
    Indicator,
    IndicatorGroup,
    IndicatorScore,
    Ranking,
    Scheme,
    Score,
)
from chainlead.core.context import set_user
from chainlead.utilities.api import BaseViewSet
from chainlead.utilities.api_defaults import RestrictedObjectPermissions


class SchemeViewSet(BaseViewSet):
    queryset = Scheme.objects.all()
    serializer_class = serializers.SchemeSerializer
    filterset_class = filtersets.SchemeFilterSet

    @extend_schema(request=None, responses=serializers.SchemeSerializer)
    @action(detail=True, methods=["post"], permission_action="change")
    def publish(self, request, pk=None):
        """Publish the draft (refused when the weights do not add up)."""
        scheme = services.publish_scheme(self.get_object(), by=request.user)
        return Response(serializers.SchemeSerializer(scheme, context={"request": request}).data)

    @extend_schema(request=None, responses={201: serializers.SchemeSerializer})
    @action(detail=True, methods=["post"], url_path="new-version", permission_action="add")
    def new_version(self, request, pk=None):
        """A draft copy with the next version number."""
        scheme = services.new_version(self.get_object(), by=request.user)
        return Response(serializers.SchemeSerializer(scheme, context={"request": request}).data, status=201)


class IndicatorGroupViewSet(BaseViewSet):
    queryset = IndicatorGroup.objects.select_related("scheme")
    serializer_class = serializers.IndicatorGroupSerializer
    filterset_class = filtersets.IndicatorGroupFilterSet


class IndicatorViewSet(BaseViewSet):
    queryset = Indicator.objects.select_related("scheme", "group")
    serializer_class = serializers.IndicatorSerializer
    filterset_class = filtersets.IndicatorFilterSet


class ReadOnlyViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """Read-only, restricted like ``BaseViewSet``."""

    permission_classes = [RestrictedObjectPermissions]
    permission_action: str | None = None

    def initial(self, request, *args, **kwargs):
        super().initial(request, *args, **kwargs)
        if request.user and request.user.is_authenticated:
            set_user(request.user)

    def get_queryset(self):
        return super().get_queryset().restrict(self.request.user, "view")

    def retrieve(self, request, *args, **kwargs):
        response = super().retrieve(request, *args, **kwargs)
        if isinstance(response.data, dict) and response.data.get("version") is not None:
            response["ETag"] = f'"{response.data["version"]}"'
        return response


class RankingViewSet(ReadOnlyViewSet):
    queryset = Ranking.objects.select_related("scheme")
    serializer_class = serializers.RankingSerializer
    filterset_class = filtersets.RankingFilterSet

    @extend_schema(request=serializers.RunSerializer, responses={201: serializers.RankingSerializer})
    @action(detail=False, methods=["post"], permission_action="approve")
    def run(self, request):
        """Start a scoring run (a job); poll the ranking until its status is "computed"."""
        body = serializers.RunSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        ranking = services.start_ranking(by=request.user, **body.validated_data)
        return Response(serializers.RankingSerializer(ranking).data, status=201)

    @extend_schema(request=None, responses=serializers.RankingSerializer)
    @action(detail=True, methods=["post"], permission_action="approve")
    def publish(self, request, pk=None):
        ranking = services.publish_ranking(self.get_object(), by=request.user)
        return Response(serializers.RankingSerializer(ranking).data)


class ScoreViewSet(ReadOnlyViewSet):
    queryset = Score.objects.select_related("ranking")
    serializer_class = serializers.ScoreSerializer
    filterset_class = filtersets.ScoreFilterSet


class IndicatorScoreViewSet(ReadOnlyViewSet):
    queryset = IndicatorScore.objects.select_related("indicator")
    serializer_class = serializers.IndicatorScoreSerializer
    filterset_class = filtersets.IndicatorScoreFilterSet
    parser_classes = [JSONParser, MultiPartParser, FormParser]

    @extend_schema(request=serializers.EnterValueSerializer, responses=serializers.IndicatorScoreSerializer)
    @action(detail=True, methods=["post"], permission_action="change")
    def enter(self, request, pk=None):
        """Enter a manual indicator's value with evidence (file or note)."""
        # The object (and the permission) first: a forbidden user gets 403/404, not a 400 about
        # the body of a request they may not make.
        item = self.get_object()
        body = serializers.EnterValueSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        item = services.enter_value(item, by=request.user, **body.validated_data)
        return Response(serializers.IndicatorScoreSerializer(item).data)

    @extend_schema(request=serializers.AdjustSerializer, responses=serializers.AdjustmentSerializer)
    @action(detail=True, methods=["post"], permission_action="change")
    def adjust(self, request, pk=None):
        """Adjust the score by hand; the reason is required (400 without it, nothing changes)."""
        item = self.get_object()  # permission before validation (403/404, not 400)
        body = serializers.AdjustSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        adjustment = services.adjust_score(item, by=request.user, **body.validated_data)
        return Response(serializers.AdjustmentSerializer(adjustment).data, status=201)


class AdjustmentViewSet(ReadOnlyViewSet):
    queryset = Adjustment.objects.select_related("item")
    serializer_class = serializers.AdjustmentSerializer
    filterset_class = filtersets.AdjustmentFilterSet
