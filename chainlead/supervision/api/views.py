"""The supervision API. Workflow steps are POST actions calling one service verb each."""

from __future__ import annotations

from drf_spectacular.utils import extend_schema
from rest_framework import exceptions, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from chainlead.supervision import filtersets, services
from chainlead.supervision.api import serializers
from chainlead.supervision.models import Bulletin, BulletinTemplate, ConsequenceStep, Light, WarningRule
from chainlead.utilities.api import BaseViewSet
from chainlead.utilities.api_defaults import RestrictedObjectPermissions


class WarningRuleViewSet(BaseViewSet):
    queryset = WarningRule.objects.all()
    serializer_class = serializers.WarningRuleSerializer
    filterset_class = filtersets.WarningRuleFilterSet


class ConsequenceStepViewSet(BaseViewSet):
    queryset = ConsequenceStep.objects.all()
    serializer_class = serializers.ConsequenceStepSerializer
    filterset_class = filtersets.ConsequenceStepFilterSet


class BulletinTemplateViewSet(BaseViewSet):
    queryset = BulletinTemplate.objects.all()
    serializer_class = serializers.BulletinTemplateSerializer
    filterset_class = filtersets.BulletinTemplateFilterSet


class LightViewSet(viewsets.ReadOnlyModelViewSet):
    """Lights are computed, never written by hand; an excuse is an action."""

    queryset = Light.objects.select_related("period__cycle")
    serializer_class = serializers.LightSerializer
    filterset_class = filtersets.LightFilterSet
    permission_classes = [RestrictedObjectPermissions]
    permission_action: str | None = None

    def get_queryset(self):
        return super().get_queryset().restrict(self.request.user, "view")

    @extend_schema(request=serializers.ExcuseSerializer, responses=serializers.LightSerializer)
    @action(detail=True, methods=["post"], permission_action="view")
    def excuse(self, request, pk=None):
        """Excuse a component light with a justified reason (approver: office or leader)."""
        body = serializers.ExcuseSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        light = services.excuse_light(
            self.get_object(), by=request.user, reason=body.validated_data["reason"]
        )
        return Response(serializers.LightSerializer(light, context={"request": request}).data)


class BulletinViewSet(BaseViewSet):
    queryset = Bulletin.objects.select_related("period__cycle")
    serializer_class = serializers.BulletinSerializer
    filterset_class = filtersets.BulletinFilterSet

    def perform_create(self, serializer):
        data = serializer.validated_data
        user = self.request.user
        from chainlead.organization.permissions import get_scope

        if not get_scope(user).is_office:
            raise exceptions.PermissionDenied()
        serializer.instance = services.create_bulletin(
            period=data["period"],
            by=user,
            scope_kind=data.get("scope_kind", "all"),
            scope_unit=data.get("scope_unit"),
            scope_chain=data.get("scope_chain"),
            template=data.get("template"),
        )

    def perform_update(self, serializer):
        bulletin = serializer.instance
        if_match = self.request.headers.get("If-Match")
        if if_match:
            bulletin.expect_version(int(if_match.strip('W/"')))
        values = {k: v for k, v in serializer.validated_data.items() if k in services.EDITABLE_FIELDS}
        if "version" in serializer.validated_data:
            bulletin.expect_version(serializer.validated_data["version"])
        services.save_bulletin(bulletin, by=self.request.user, **values)

    def perform_destroy(self, instance):
        services.delete_bulletin(instance, by=self.request.user)

    @extend_schema(request=serializers.IssueSerializer, responses=serializers.BulletinSerializer)
    @action(detail=True, methods=["post"], permission_action="change")
    def issue(self, request, pk=None):
        """Issue (印发): number it (发文字号, 第X期) and freeze it."""
        body = serializers.IssueSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        bulletin = services.issue_bulletin(
            self.get_object(), by=request.user, number=body.validated_data.get("number")
        )
        return Response(serializers.BulletinSerializer(bulletin, context={"request": request}).data)
