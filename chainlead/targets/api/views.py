from drf_spectacular.utils import extend_schema
from rest_framework import status
from rest_framework.decorators import action
from rest_framework.response import Response

from chainlead.targets import filtersets, services
from chainlead.targets.api import serializers
from chainlead.targets.models import AttackTarget, Campaign, TargetMonthPlan, TargetProject
from chainlead.utilities.api import BaseViewSet


class CampaignViewSet(BaseViewSet):
    queryset = Campaign.objects.select_related("area")
    serializer_class = serializers.CampaignSerializer
    filterset_class = filtersets.CampaignFilterSet


class AttackTargetViewSet(BaseViewSet):
    queryset = AttackTarget.objects.select_related("battle_zone", "campaign", "responsible_unit")
    serializer_class = serializers.AttackTargetSerializer
    filterset_class = filtersets.AttackTargetFilterSet

    @extend_schema(request=serializers.CompleteTargetSerializer, responses=serializers.AttackTargetSerializer)
    @action(detail=True, methods=["post"], permission_action="change")
    def complete(self, request, pk=None):
        """标记完成（services.complete_target）。"""
        target = self.get_object()
        data = serializers.CompleteTargetSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        target = services.complete_target(
            target,
            on=data.validated_data["done_on"],
            actual_value=data.validated_data["actual_value"],
            by=request.user,
        )
        return Response(self.get_serializer(target).data, status=status.HTTP_200_OK)

    @extend_schema(request=serializers.ReopenTargetSerializer, responses=serializers.AttackTargetSerializer)
    @action(detail=True, methods=["post"], permission_action="change")
    def reopen(self, request, pk=None):
        """重新打开（services.reopen_target，须填写原因）。"""
        target = self.get_object()
        target = services.reopen_target(target, by=request.user, reason=request.data.get("reason", ""))
        return Response(self.get_serializer(target).data, status=status.HTTP_200_OK)


class TargetMonthPlanViewSet(BaseViewSet):
    queryset = TargetMonthPlan.objects.select_related("target")
    serializer_class = serializers.TargetMonthPlanSerializer
    filterset_class = filtersets.TargetMonthPlanFilterSet


class TargetProjectViewSet(BaseViewSet):
    queryset = TargetProject.objects.select_related("target", "project").order_by("target_id", "pk")
    serializer_class = serializers.TargetProjectSerializer
    filterset_class = filtersets.TargetProjectFilterSet
