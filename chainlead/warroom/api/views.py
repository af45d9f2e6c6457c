from django.db import transaction
from drf_spectacular.utils import extend_schema
from rest_framework import exceptions, generics, status
from rest_framework.decorators import action
from rest_framework.response import Response

from chainlead.core.exceptions import ServiceError
from chainlead.utilities.api import BaseViewSet
from chainlead.warroom import filtersets, services
from chainlead.warroom.api import serializers
from chainlead.warroom.models import (
    Baseline,
    BaselineImmutable,
    ProjectSchedule,
    ScheduleDependency,
    ScheduleNode,
    ScheduleTemplate,
    TemplateDependency,
    TemplateNode,
    ZoneMap,
)


class ScheduleTemplateViewSet(BaseViewSet):
    queryset = ScheduleTemplate.objects.all()
    serializer_class = serializers.ScheduleTemplateSerializer
    filterset_class = filtersets.ScheduleTemplateFilterSet


class TemplateNodeViewSet(BaseViewSet):
    queryset = TemplateNode.objects.select_related("template", "owner_department")
    serializer_class = serializers.TemplateNodeSerializer
    filterset_class = filtersets.TemplateNodeFilterSet


class TemplateDependencyViewSet(BaseViewSet):
    queryset = TemplateDependency.objects.select_related("template", "predecessor", "successor")
    serializer_class = serializers.TemplateDependencySerializer
    filterset_class = filtersets.TemplateDependencyFilterSet


class ProjectScheduleViewSet(BaseViewSet):
    """进度计划. Creating one applies the template to the project (倒排工期 from the target date)."""

    queryset = ProjectSchedule.objects.select_related("project", "template")
    serializer_class = serializers.ProjectScheduleSerializer
    filterset_class = filtersets.ProjectScheduleFilterSet

    def perform_create(self, serializer):
        data = serializer.validated_data
        with transaction.atomic():
            serializer.instance = services.apply_template(
                data["project"],
                data["template"],
                target_kind=data.get("target_kind") or "production",
                target_date=data["target_date"],
                by=self.request.user,
                comments=data.get("comments", ""),
            )

    def perform_update(self, serializer):
        instance = serializer.instance
        if_match = self.request.headers.get("If-Match")
        if if_match:
            try:
                instance.expect_version(int(if_match.strip('W/"')))
            except ValueError:
                raise exceptions.ValidationError({"If-Match": "If-Match 应为读取记录时得到的 ETag。"})
        elif serializer.validated_data.get("version") is not None:
            instance.expect_version(serializer.validated_data["version"])
        data = serializer.validated_data
        serializer.instance = services.change_target(
            instance,
            target_kind=data.get("target_kind", instance.target_kind),
            target_date=data.get("target_date", instance.target_date),
            by=self.request.user,
            reason=data.get("reason", ""),
            comments=data.get("comments", instance.comments),
        )

    @extend_schema(
        request=serializers.BaselineApproveSerializer, responses={201: serializers.BaselineSerializer}
    )
    @action(detail=True, methods=["post"], permission_action="approve")
    def approve(self, request, pk=None):
        """批准为基线（services.approve_baseline）：基线编号递增，一经写入不可修改。"""
        schedule = self.get_object()
        data = serializers.BaselineApproveSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        baseline = services.approve_baseline(
            schedule, by=request.user, reason=data.validated_data.get("reason", "")
        )
        return Response(serializers.BaselineSerializer(baseline).data, status=status.HTTP_201_CREATED)

    @extend_schema(
        request=serializers.ScheduleReplanSerializer, responses=serializers.ProjectScheduleSerializer
    )
    @action(detail=True, methods=["post"], permission_action="change")
    def replan(self, request, pk=None):
        """调整计划（services.replan，须填写原因，记入审计日志）。"""
        schedule = self.get_object()
        data = serializers.ScheduleReplanSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        schedule = services.replan(schedule, by=request.user, **data.validated_data)
        return Response(self.get_serializer(schedule).data)

    @extend_schema(request=None, responses=serializers.ProjectScheduleSerializer)
    @action(detail=True, methods=["post"], permission_action="view")
    def recompute(self, request, pk=None):
        """按今天重新计算（最早/最迟日期、总时差、关键路径、节点状态）。"""
        schedule = self.get_object()
        services.recompute(schedule)
        schedule.refresh_from_db()
        return Response(self.get_serializer(schedule).data)


class ScheduleNodeViewSet(BaseViewSet):
    queryset = ScheduleNode.objects.select_related("schedule", "owner_department")
    serializer_class = serializers.ScheduleNodeSerializer
    filterset_class = filtersets.ScheduleNodeFilterSet

    def perform_create(self, serializer):
        super().perform_create(serializer)
        services.recompute(serializer.instance.schedule)

    def perform_update(self, serializer):
        super().perform_update(serializer)
        services.recompute(serializer.instance.schedule)

    def perform_destroy(self, instance):
        if not instance.schedule.is_editable:
            raise ServiceError("计划已批准为基线，不能删除节点。请先“调整计划”。")
        schedule = instance.schedule
        super().perform_destroy(instance)
        services.recompute(schedule)

    @extend_schema(request=serializers.NodeCompleteSerializer, responses=serializers.ScheduleNodeSerializer)
    @action(detail=True, methods=["post"], permission_action="change")
    def complete(self, request, pk=None):
        """填报节点完成（services.complete_node）：实际日期和佐证，随后重新计算。"""
        node = self.get_object()
        data = serializers.NodeCompleteSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        v = data.validated_data
        node = services.complete_node(
            node,
            finished_on=v["actual_finish"],
            started_on=v.get("actual_start"),
            evidence=v.get("evidence"),
            note=v.get("note", ""),
            by=request.user,
        )
        return Response(self.get_serializer(node).data)

    @extend_schema(request=serializers.NodeReopenSerializer, responses=serializers.ScheduleNodeSerializer)
    @action(detail=True, methods=["post"], permission_action="change")
    def reopen(self, request, pk=None):
        """撤销完成填报（须填写原因）。"""
        node = self.get_object()
        node = services.reopen_node(node, by=request.user, reason=request.data.get("reason", ""))
        return Response(self.get_serializer(node).data)


class ScheduleDependencyViewSet(BaseViewSet):
    queryset = ScheduleDependency.objects.select_related("schedule", "predecessor", "successor")
    serializer_class = serializers.ScheduleDependencySerializer
    filterset_class = filtersets.ScheduleDependencyFilterSet

    def perform_create(self, serializer):
        super().perform_create(serializer)
        services.recompute(serializer.instance.schedule)

    def perform_update(self, serializer):
        super().perform_update(serializer)
        services.recompute(serializer.instance.schedule)

    def perform_destroy(self, instance):
        if not instance.schedule.is_editable:
            raise ServiceError("计划已批准为基线，不能删除依赖关系。请先“调整计划”。")
        schedule = instance.schedule
        super().perform_destroy(instance)
        services.recompute(schedule)


class BaselineViewSet(BaseViewSet):
    """基线：只读。一经批准即不可修改或删除。"""

    queryset = Baseline.objects.select_related("approved_by").prefetch_related("nodes")
    serializer_class = serializers.BaselineSerializer
    filterset_class = filtersets.BaselineFilterSet

    def _refuse(self, *args, **kwargs):
        if self.kwargs.get("pk") is not None:
            # Outside the user's units: 404, like any other object (no permission check here:
            # the refusal below is the same for everyone).
            generics.get_object_or_404(self.get_queryset(), pk=self.kwargs["pk"])
        raise exceptions.PermissionDenied(BaselineImmutable().message)

    create = update = partial_update = destroy = _refuse


class ZoneMapViewSet(BaseViewSet):
    queryset = ZoneMap.objects.select_related("uploaded_by")
    serializer_class = serializers.ZoneMapSerializer
    filterset_class = filtersets.ZoneMapFilterSet

    def perform_create(self, serializer):
        with transaction.atomic():
            serializer.save(uploaded_by=self.request.user)
