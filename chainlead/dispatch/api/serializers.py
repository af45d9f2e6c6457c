"""Serializers of the dispatch API. Writes that are workflow steps go through ``services``."""

from __future__ import annotations

from django.utils.translation import gettext as _
from rest_framework import serializers

from chainlead.dispatch import services
from chainlead.dispatch.choices import DecisionStatus
from chainlead.dispatch.models import (
    Decision,
    DispatchMeeting,
    FactorRequest,
    Period,
    Problem,
    ProblemCoHandler,
    ProblemStep,
    ProgressReport,
    ReportingCycle,
    ReportPhoto,
    TotalInvestmentChange,
)
from chainlead.organization.permissions import get_scope
from chainlead.utilities.api import BaseModelSerializer


def _user(serializer):
    request = serializer.context.get("request")
    return getattr(request, "user", None)


class ReportingCycleSerializer(BaseModelSerializer):
    deadline_rule = serializers.CharField(read_only=True)

    class Meta:
        model = ReportingCycle
        fields = [
            "id",
            "name",
            "item_kind",
            "frequency",
            "deadline_workdays",
            "deadline_weekday",
            "deadline_time",
            "remind_workdays",
            "starts_on",
            "is_active",
            "deadline_rule",
            "comments",
            "version",
            "created",
            "last_updated",
        ]
        read_only_fields = ["created", "last_updated"]


class PeriodSerializer(BaseModelSerializer):
    label = serializers.CharField(read_only=True)

    class Meta:
        model = Period
        fields = [
            "id",
            "cycle",
            "label",
            "start",
            "end",
            "due_at",
            "status",
            "closed_at",
            "version",
            "created",
        ]
        read_only_fields = ["status", "closed_at", "created"]


class ReportPhotoSerializer(serializers.ModelSerializer):
    url = serializers.CharField(source="get_absolute_url", read_only=True)

    class Meta:
        model = ReportPhoto
        fields = [
            "id",
            "report",
            "url",
            "original_name",
            "caption",
            "captured_at",
            "captured_from_exif",
            "width",
            "height",
        ]


class ProgressReportSerializer(BaseModelSerializer):
    """A report. Give ``period_completed``, or ``ytd_completed`` (the year-to-date figure, from which
    the period figure is derived), or both (they must agree). The cumulative figures are computed."""

    ytd_completed = serializers.DecimalField(
        max_digits=18,
        decimal_places=2,
        required=False,
        allow_null=True,
        help_text=_("本年累计完成：读取时为系统计算值；写入时可代替 period_completed（须与之对得上）。"),
    )
    period_completed = serializers.DecimalField(max_digits=18, decimal_places=2, required=False)
    photos = ReportPhotoSerializer(many=True, read_only=True)
    status_display = serializers.CharField(source="get_status_display", read_only=True)

    class Meta:
        model = ProgressReport
        fields = [
            "id",
            "period",
            "project",
            "target",
            "responsible_unit",
            "period_completed",
            "ytd_completed",
            "since_start_completed",
            "annual_plan",
            "opening_balance",
            "progress_text",
            "progress_percent",
            "milestones",
            "problems_text",
            "coordination_requests",
            "next_plan",
            "status",
            "status_display",
            "first_submitted_at",
            "submitted_at",
            "submitted_by",
            "reviewed_at",
            "reviewed_by",
            "review_comment",
            "return_reason",
            "is_late",
            "photos",
            "version",
            "created",
            "last_updated",
        ]
        read_only_fields = [
            "responsible_unit",
            "since_start_completed",
            "annual_plan",
            "status",
            "first_submitted_at",
            "submitted_at",
            "submitted_by",
            "reviewed_at",
            "reviewed_by",
            "review_comment",
            "return_reason",
            "is_late",
            "created",
            "last_updated",
        ]

    def get_fields(self):
        fields = super().get_fields()
        if (
            self.instance is not None
            and not isinstance(self.instance, (list, tuple))
            and getattr(self.instance, "pk", None)
        ):
            for name in ("period", "project", "target"):
                fields[name].read_only = True
        return fields

    def validate(self, attrs):
        ytd = attrs.pop("ytd_completed", None)
        self._ytd = ytd
        instance = self.instance
        if instance is None:
            probe = ProgressReport(
                period=attrs.get("period"), project=attrs.get("project"), target=attrs.get("target")
            )
            if not probe.project_id and not probe.target_id:
                raise serializers.ValidationError({"project": [_("请选择要填报的项目或攻坚目标。")]})
        else:
            probe = instance
        if ytd is not None and probe.period_id:
            derived, message = services.derive_period_completed(probe, ytd)
            if message:
                raise serializers.ValidationError({"ytd_completed": [message]})
            if "period_completed" not in attrs:
                attrs["period_completed"] = derived
        elif instance is None and "period_completed" not in attrs:
            raise serializers.ValidationError(
                {"period_completed": [_("请填写本期完成，或填写本年累计完成。")]}
            )
        if instance is None:
            item = probe.project or probe.target
            if item is not None:
                attrs["responsible_unit"] = item.responsible_unit
        return super().validate(attrs)

    def create(self, validated_data):
        validated_data.pop("version", None)
        report = ProgressReport(**validated_data)
        return services.save_report(report, by=_user(self), ytd_completed=self._ytd)

    def update(self, instance, validated_data):
        version = validated_data.pop("version", None)
        if version is not None:
            instance.expect_version(version)
        for key, value in validated_data.items():
            setattr(instance, key, value)
        return services.save_report(instance, by=_user(self), ytd_completed=self._ytd)


class ReturnSerializer(serializers.Serializer):
    reason = serializers.CharField(help_text=_("退回原因"))


class ApproveSerializer(serializers.Serializer):
    comment = serializers.CharField(required=False, allow_blank=True)


class PhotoUploadSerializer(serializers.Serializer):
    """multipart: one or more ``photos`` files; ``taken_at`` for photos without EXIF time."""

    photos = serializers.ListField(child=serializers.FileField())
    taken_at = serializers.DateTimeField(required=False, allow_null=True)


class TotalInvestmentChangeSerializer(BaseModelSerializer):
    class Meta:
        model = TotalInvestmentChange
        fields = [
            "id",
            "project",
            "old_total",
            "new_total",
            "filed_on",
            "document_no",
            "reason",
            "comments",
            "version",
            "created",
        ]
        read_only_fields = ["old_total", "created"]

    def create(self, validated_data):
        validated_data.pop("version", None)
        return services.file_investment_change(TotalInvestmentChange(**validated_data), by=_user(self))


class CoHandlerSerializer(serializers.ModelSerializer):
    unit_name = serializers.CharField(source="unit.name", read_only=True)

    class Meta:
        model = ProblemCoHandler
        fields = ["id", "unit", "unit_name", "due_on", "reply", "replied_on", "replied_by"]


class ProblemStepSerializer(serializers.ModelSerializer):
    class Meta:
        model = ProblemStep
        fields = [
            "id",
            "problem",
            "verb",
            "from_status",
            "to_status",
            "level",
            "on",
            "by",
            "unit",
            "note",
            "created",
        ]


class ProblemSerializer(BaseModelSerializer):
    cohandlers = CoHandlerSerializer(many=True, read_only=True)
    is_overdue = serializers.BooleanField(read_only=True)

    class Meta:
        model = Problem
        fields = [
            "id",
            "number",
            "title",
            "description",
            "category",
            "project",
            "target",
            "report",
            "raised_by_unit",
            "raised_by",
            "raised_on",
            "lead_unit",
            "cohandlers",
            "status",
            "level",
            "assigned_on",
            "due_on",
            "is_overdue",
            "escalated_on",
            "supervision_no",
            "resolution",
            "resolved_on",
            "confirmed_on",
            "reopened_count",
            "version",
            "created",
            "last_updated",
        ]
        read_only_fields = [
            "number",
            "raised_by",
            "lead_unit",
            "status",
            "level",
            "assigned_on",
            "due_on",
            "escalated_on",
            "supervision_no",
            "resolution",
            "resolved_on",
            "confirmed_on",
            "reopened_count",
            "created",
            "last_updated",
        ]

    def get_fields(self):
        fields = super().get_fields()
        if self.instance is not None and getattr(self.instance, "pk", None):
            for name in ("raised_by_unit", "raised_on", "report"):
                fields[name].read_only = True
        return fields

    def create(self, validated_data):
        validated_data.pop("version", None)
        return services.create_problem(Problem(**validated_data), by=_user(self))


class AssignSerializer(serializers.Serializer):
    lead_unit = serializers.IntegerField(help_text=_("牵头单位编号"))
    cohandlers = serializers.ListField(
        child=serializers.IntegerField(), required=False, help_text=_("配合单位编号")
    )
    note = serializers.CharField(required=False, allow_blank=True)


class ReplySerializer(serializers.Serializer):
    unit = serializers.IntegerField(help_text=_("配合单位编号"))
    reply = serializers.CharField()


class ResolveSerializer(serializers.Serializer):
    resolution = serializers.CharField()


class NoteSerializer(serializers.Serializer):
    note = serializers.CharField(required=False, allow_blank=True)


class ReasonSerializer(serializers.Serializer):
    reason = serializers.CharField(required=False, allow_blank=True)


class FactorRequestSerializer(BaseModelSerializer):
    measure = serializers.CharField(read_only=True)

    class Meta:
        model = FactorRequest
        fields = [
            "id",
            "project",
            "kind",
            "measure",
            "department",
            "amount_requested",
            "requested_on",
            "amount_granted",
            "granted_on",
            "status",
            "description",
            "reply",
            "comments",
            "version",
            "created",
            "last_updated",
        ]
        read_only_fields = ["amount_granted", "granted_on", "status", "reply", "created", "last_updated"]


class GrantSerializer(serializers.Serializer):
    amount_granted = serializers.DecimalField(max_digits=18, decimal_places=2)
    granted_on = serializers.DateField(required=False)
    reply = serializers.CharField(required=False, allow_blank=True)


class DispatchMeetingSerializer(BaseModelSerializer):
    class Meta:
        model = DispatchMeeting
        fields = [
            "id",
            "title",
            "kind",
            "held_on",
            "location",
            "chair",
            "attendees",
            "period",
            "previous",
            "status",
            "minutes",
            "projects",
            "targets",
            "problems",
            "agenda_built_at",
            "comments",
            "version",
            "created",
            "last_updated",
        ]
        read_only_fields = [
            "previous",
            "status",
            "projects",
            "targets",
            "problems",
            "agenda_built_at",
            "created",
            "last_updated",
        ]


class HoldSerializer(serializers.Serializer):
    reviews = serializers.DictField(
        child=serializers.ChoiceField(
            choices=[DecisionStatus.DONE, DecisionStatus.CARRIED, DecisionStatus.CANCELLED]
        ),
        required=False,
        help_text=_("上次会议每项未完成议定事项的落实情况：{编号: done|carried|cancelled}"),
    )
    deadlines = serializers.DictField(child=serializers.DateField(), required=False)
    minutes = serializers.CharField(required=False, allow_blank=True)


class DecisionSerializer(BaseModelSerializer):
    carried_from_meeting = serializers.IntegerField(
        source="carried_from.meeting_id", read_only=True, allow_null=True
    )
    is_overdue = serializers.BooleanField(read_only=True)

    class Meta:
        model = Decision
        fields = [
            "id",
            "meeting",
            "number",
            "content",
            "owner_unit",
            "deadline",
            "project",
            "status",
            "is_overdue",
            "progress",
            "done_on",
            "carried_from",
            "carried_from_meeting",
            "version",
            "created",
            "last_updated",
        ]
        read_only_fields = ["number", "status", "done_on", "carried_from", "created", "last_updated"]

    def get_fields(self):
        fields = super().get_fields()
        user = _user(self)
        if user is not None and getattr(user, "is_authenticated", False) and not get_scope(user).is_office:
            # The owner unit reports progress; the office records the decision itself.
            for name in ("meeting", "content", "owner_unit", "deadline", "project"):
                fields[name].read_only = True
        return fields

    def create(self, validated_data):
        validated_data.pop("version", None)
        return services.add_decision(Decision(**validated_data), by=_user(self))

    def update(self, instance, validated_data):
        user = _user(self)
        version = validated_data.pop("version", None)
        if version is not None:
            instance.expect_version(version)
        if not get_scope(user).is_office:
            if "progress" in validated_data:
                return services.update_decision(instance, progress=validated_data["progress"], by=user)
            instance.save()
            return instance
        for key, value in validated_data.items():
            setattr(instance, key, value)
        return services.add_decision(instance, by=user)


class CompleteSerializer(serializers.Serializer):
    done_on = serializers.DateField(required=False)
    progress = serializers.CharField(required=False, allow_blank=True)
