import json

from django.core.files.base import ContentFile
from django.utils.translation import gettext as _
from rest_framework import serializers

from chainlead.utilities.api import BaseModelSerializer
from chainlead.warroom.choices import TargetKind
from chainlead.warroom.models import (
    Baseline,
    BaselineNode,
    ProjectSchedule,
    ScheduleDependency,
    ScheduleNode,
    ScheduleTemplate,
    TemplateDependency,
    TemplateNode,
    ZoneMap,
)


class ScheduleTemplateSerializer(BaseModelSerializer):
    class Meta:
        model = ScheduleTemplate
        fields = [
            "id",
            "name",
            "investment_nature",
            "description",
            "is_active",
            "sort_order",
            "comments",
            "version",
            "created",
            "last_updated",
        ]
        read_only_fields = ["created", "last_updated"]


class TemplateNodeSerializer(BaseModelSerializer):
    class Meta:
        model = TemplateNode
        fields = [
            "id",
            "template",
            "name",
            "owner_department",
            "owner_note",
            "duration_wd",
            "is_approval",
            "milestone",
            "sort_order",
            "description",
            "comments",
            "version",
        ]


class TemplateDependencySerializer(BaseModelSerializer):
    template = serializers.PrimaryKeyRelatedField(read_only=True)

    class Meta:
        model = TemplateDependency
        fields = ["id", "template", "predecessor", "successor", "lag_wd", "comments", "version"]


class ScheduleNodeSerializer(BaseModelSerializer):
    status_display = serializers.CharField(source="get_status_display", read_only=True)
    owner_display = serializers.CharField(read_only=True)

    class Meta:
        model = ScheduleNode
        fields = [
            "id",
            "schedule",
            "name",
            "owner_department",
            "owner_note",
            "owner_display",
            "duration_wd",
            "is_approval",
            "milestone",
            "sort_order",
            "early_start",
            "early_finish",
            "late_start",
            "late_finish",
            "slack_wd",
            "is_critical",
            "due_on",
            "baseline_finish",
            "variance_wd",
            "status",
            "status_display",
            "actual_start",
            "actual_finish",
            "evidence_note",
            "comments",
            "version",
        ]
        read_only_fields = [
            "early_start",
            "early_finish",
            "late_start",
            "late_finish",
            "slack_wd",
            "is_critical",
            "due_on",
            "baseline_finish",
            "variance_wd",
            "status",
            "actual_start",
            "actual_finish",
            "evidence_note",
        ]

    def get_fields(self):
        fields = super().get_fields()
        if self.instance is not None and not isinstance(self.instance, list | tuple):
            fields["schedule"].read_only = True
        return fields


class ScheduleDependencySerializer(BaseModelSerializer):
    schedule = serializers.PrimaryKeyRelatedField(read_only=True)

    class Meta:
        model = ScheduleDependency
        fields = ["id", "schedule", "predecessor", "successor", "lag_wd", "comments", "version"]


class ProjectScheduleSerializer(BaseModelSerializer):
    """Creating one applies a template (``services.apply_template``); changing the target of an
    approved plan is a re-plan and needs ``reason``."""

    status_display = serializers.CharField(source="get_status_display", read_only=True)
    project_name = serializers.CharField(source="project.name", read_only=True)
    reason = serializers.CharField(write_only=True, required=False, allow_blank=True, max_length=300)
    approval_warnings = serializers.SerializerMethodField()

    class Meta:
        model = ProjectSchedule
        fields = [
            "id",
            "project",
            "project_name",
            "template",
            "target_kind",
            "target_date",
            "status",
            "status_display",
            "feasible",
            "shortfall_wd",
            "forecast_date",
            "approval_wd",
            "whole_approval_wd",
            "approval_warnings",
            "overdue_count",
            "problems",
            "computed_on",
            "reason",
            "comments",
            "version",
            "created",
            "last_updated",
        ]
        read_only_fields = [
            "status",
            "feasible",
            "shortfall_wd",
            "forecast_date",
            "approval_wd",
            "whole_approval_wd",
            "overdue_count",
            "problems",
            "computed_on",
            "created",
            "last_updated",
        ]

    def get_fields(self):
        fields = super().get_fields()
        if self.instance is not None and not isinstance(self.instance, list | tuple):
            fields["project"].read_only = True
            fields["template"].read_only = True
        return fields

    def get_approval_warnings(self, obj) -> list[str]:
        from chainlead.warroom.services import approval_check

        return approval_check(obj)

    def validate(self, attrs):
        attrs = dict(attrs)
        reason = attrs.pop("reason", None)
        attrs = super().validate(attrs)
        if reason is not None:
            attrs["reason"] = reason
        return attrs


class NodeCompleteSerializer(serializers.Serializer):
    actual_finish = serializers.DateField(label=_("实际完成日期"))
    actual_start = serializers.DateField(label=_("实际开始日期"), required=False, allow_null=True)
    note = serializers.CharField(label=_("完成情况说明"), required=False, allow_blank=True, max_length=300)
    evidence = serializers.FileField(label=_("完成佐证"), required=False, allow_null=True)


class NodeReopenSerializer(serializers.Serializer):
    reason = serializers.CharField(label=_("原因"), max_length=300)


class BaselineApproveSerializer(serializers.Serializer):
    reason = serializers.CharField(label=_("批准说明"), required=False, allow_blank=True, max_length=500)


class ScheduleReplanSerializer(serializers.Serializer):
    reason = serializers.CharField(label=_("调整原因"), max_length=300)
    target_kind = serializers.ChoiceField(label=_("目标节点"), choices=TargetKind.choices, required=False)
    target_date = serializers.DateField(label=_("目标日期"), required=False)


class BaselineNodeSerializer(serializers.ModelSerializer):
    class Meta:
        model = BaselineNode
        fields = [
            "id",
            "node",
            "name",
            "owner",
            "duration_wd",
            "early_start",
            "early_finish",
            "late_start",
            "late_finish",
            "slack_wd",
            "is_critical",
        ]


class BaselineSerializer(serializers.ModelSerializer):
    nodes = BaselineNodeSerializer(many=True, read_only=True)
    approved_by_name = serializers.CharField(source="approved_by.name", read_only=True)

    class Meta:
        model = Baseline
        fields = [
            "id",
            "schedule",
            "number",
            "approved_by",
            "approved_by_name",
            "approved_at",
            "approved_on",
            "reason",
            "target_kind",
            "target_date",
            "feasible",
            "shortfall_wd",
            "nodes",
            "version",
        ]
        read_only_fields = fields


class ZoneMapSerializer(BaseModelSerializer):
    """Upload the GeoJSON as ``file`` (multipart) or as ``geojson`` (the JSON itself, in a JSON body)."""

    geojson = serializers.JSONField(
        write_only=True, required=False, help_text=_("GeoJSON 内容（JSON 请求时使用）")
    )
    file = serializers.FileField(required=False)

    class Meta:
        model = ZoneMap
        fields = [
            "id",
            "name",
            "file",
            "geojson",
            "original_name",
            "size",
            "feature_count",
            "bbox",
            "features",
            "unmatched",
            "is_active",
            "comments",
            "version",
            "created",
        ]
        read_only_fields = [
            "original_name",
            "size",
            "feature_count",
            "bbox",
            "features",
            "unmatched",
            "created",
        ]

    def validate(self, attrs):
        geojson = attrs.pop("geojson", None)
        if geojson is not None:
            text = geojson if isinstance(geojson, str) else json.dumps(geojson, ensure_ascii=False)
            attrs["file"] = ContentFile(text.encode("utf-8"), name=f"{attrs.get('name') or 'zone'}.geojson")
        if self.instance is None and not attrs.get("file"):
            raise serializers.ValidationError(
                {"file": [_("请上传 GeoJSON 文件（file）或提供 geojson 内容。")]}
            )
        return super().validate(attrs)
