from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from chainlead.targets.models import AttackTarget, Campaign, TargetMonthPlan, TargetProject
from chainlead.targets.services import duplicate_number_message
from chainlead.utilities.api import BaseModelSerializer


class CampaignSerializer(BaseModelSerializer):
    area_name = serializers.CharField(source="area.name", read_only=True)

    class Meta:
        model = Campaign
        fields = [
            "id",
            "name",
            "area",
            "area_name",
            "year",
            "description",
            "sort_order",
            "comments",
            "version",
            "created",
            "last_updated",
        ]
        read_only_fields = ["created", "last_updated"]


class AttackTargetSerializer(BaseModelSerializer):
    status_display = serializers.CharField(source="get_status_display", read_only=True)
    battle_zone_name = serializers.CharField(source="battle_zone.name", read_only=True)
    campaign_name = serializers.CharField(source="campaign.name", read_only=True)
    responsible_unit_name = serializers.CharField(source="responsible_unit.name", read_only=True)
    is_overdue = serializers.BooleanField(read_only=True)
    completion_rate = serializers.DecimalField(max_digits=10, decimal_places=1, read_only=True)

    class Meta:
        model = AttackTarget
        fields = [
            "id",
            "battle_zone",
            "battle_zone_name",
            "campaign",
            "campaign_name",
            "number",
            "title",
            "goal_value",
            "goal_unit",
            "actual_value",
            "completion_rate",
            "deadline",
            "status",
            "status_display",
            "is_overdue",
            "done_on",
            "responsible_leader",
            "responsible_unit",
            "responsible_unit_name",
            "responsible_person",
            "responsible_phone",
            "measures",
            "comments",
            "version",
            "created",
            "last_updated",
        ]
        read_only_fields = ["created", "last_updated"]
        extra_kwargs = {
            "battle_zone": {
                "error_messages": {"does_not_exist": _("编号为 {pk_value} 的单位不是战区，请选择战区。")}
            },
        }
        # The zone/number uniqueness is checked in validate() and reported on 序号.
        validators = []

    def validate(self, attrs):
        zone = attrs.get("battle_zone", getattr(self.instance, "battle_zone", None))
        number = attrs.get("number", getattr(self.instance, "number", None))
        if "battle_zone" in attrs or "number" in attrs:
            message = duplicate_number_message(zone, number, exclude_pk=getattr(self.instance, "pk", None))
            if message:
                raise serializers.ValidationError({"number": [message]})
        return super().validate(attrs)


class TargetMonthPlanSerializer(BaseModelSerializer):
    class Meta:
        model = TargetMonthPlan
        fields = [
            "id",
            "target",
            "month",
            "planned_value",
            "actual_value",
            "milestone",
            "comments",
            "version",
            "created",
            "last_updated",
        ]
        read_only_fields = ["created", "last_updated"]

    def validate_month(self, value):
        return value.replace(day=1) if value else value


class TargetProjectSerializer(BaseModelSerializer):
    project_name = serializers.CharField(source="project.name", read_only=True)
    project_stage = serializers.CharField(source="project.get_stage_display", read_only=True)
    project_total_investment = serializers.DecimalField(
        source="project.total_investment", max_digits=18, decimal_places=2, read_only=True
    )

    class Meta:
        model = TargetProject
        fields = [
            "id",
            "target",
            "project",
            "project_name",
            "project_stage",
            "project_total_investment",
            "comments",
            "version",
            "created",
            "last_updated",
        ]
        read_only_fields = ["created", "last_updated"]


class CompleteTargetSerializer(serializers.Serializer):
    done_on = serializers.DateField(label=_("完成日期"))
    actual_value = serializers.DecimalField(label=_("完成值"), max_digits=18, decimal_places=2, min_value=0)


class ReopenTargetSerializer(serializers.Serializer):
    reason = serializers.CharField(label=_("重新打开的原因"), max_length=500)
