from rest_framework import serializers

from chainlead.core import clock
from chainlead.projects.choices import EvidenceKind, Stage
from chainlead.projects.models import ContactRecord, KeyProject, StageChange, StageEvidence
from chainlead.utilities.api import BaseModelSerializer


class KeyProjectSerializer(BaseModelSerializer):
    stage_display = serializers.CharField(source="get_stage_display", read_only=True)
    is_landed = serializers.BooleanField(read_only=True)

    class Meta:
        model = KeyProject
        fields = [
            "id",
            "name",
            "project_code",
            "enterprise",
            "investor_name",
            "content",
            "chain",
            "chain_node",
            "purpose",
            "area",
            "address",
            "latitude",
            "longitude",
            "responsible_leader",
            "responsible_unit",
            "responsible_person",
            "responsible_phone",
            "level",
            "project_type",
            "investment_nature",
            "source",
            "info_provider",
            "total_investment",
            "annual_plan",
            "intended_investment",
            "contracted_investment",
            "foreign_investment_usd",
            "expected_output",
            "expected_tax",
            "jobs",
            "land_mu",
            "first_output",
            "actual_output",
            "planned_start_on",
            "planned_completion_on",
            "planned_production_on",
            "stage",
            "stage_display",
            "is_landed",
            "lead_on",
            "negotiating_on",
            "signed_on",
            "registered_on",
            "started_on",
            "completed_on",
            "production_on",
            "capacity_on",
            "on_hold_on",
            "terminated_on",
            "agreement_type",
            "construction_permit_no",
            "fai_in_db",
            "fai_month",
            "enterprise_in_stats",
            "stats_month",
            "stats_category",
            "version",
            "created",
            "last_updated",
        ]
        # The stage machine owns these: POST …/advance/ moves a project (with evidence).
        read_only_fields = [
            "stage",
            "lead_on",
            "negotiating_on",
            "signed_on",
            "registered_on",
            "started_on",
            "completed_on",
            "production_on",
            "capacity_on",
            "on_hold_on",
            "terminated_on",
            "agreement_type",
            "construction_permit_no",
            "first_output",
            "actual_output",
            "fai_in_db",
            "fai_month",
            "enterprise_in_stats",
            "stats_month",
            "stats_category",
            "created",
            "last_updated",
        ]

    def create(self, validated_data):

        validated_data.setdefault("lead_on", clock.today())
        return super().create(validated_data)

    def validate(self, attrs):
        attrs = super().validate(attrs)
        if self.instance is None and not attrs.get("enterprise") and not attrs.get("investor_name"):
            raise serializers.ValidationError({"investor_name": ["请选择投资企业，或填写投资方名称。"]})
        return attrs


class AdvanceSerializer(serializers.Serializer):
    """POST body of …/advance/ (multipart when files are attached)."""

    to = serializers.ChoiceField(choices=Stage.choices)
    on = serializers.DateField()
    reason = serializers.CharField(required=False, allow_blank=True)
    data = serializers.JSONField(
        required=False, help_text='该阶段要填写的字段，如 {"contracted_investment": 50000}'
    )
    evidence_kind = serializers.ListField(
        child=serializers.ChoiceField(choices=EvidenceKind.choices), required=False
    )
    evidence_file = serializers.ListField(child=serializers.FileField(), required=False)


class ContactRecordSerializer(BaseModelSerializer):
    class Meta:
        model = ContactRecord
        fields = ["id", "project", "date", "kind", "participants", "summary", "version", "created"]
        read_only_fields = ["created"]


class StageChangeSerializer(serializers.ModelSerializer):
    class Meta:
        model = StageChange
        fields = ["id", "project", "from_stage", "to_stage", "on", "is_correction", "reason", "by", "created"]


class StageEvidenceSerializer(serializers.ModelSerializer):
    url = serializers.CharField(source="get_absolute_url", read_only=True)

    class Meta:
        model = StageEvidence
        fields = [
            "id",
            "project",
            "stage",
            "kind",
            "original_name",
            "description",
            "captured_at",
            "uploaded_by",
            "url",
            "created",
        ]
