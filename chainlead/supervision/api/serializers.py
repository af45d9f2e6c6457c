"""Serializers of the supervision API. Workflow writes go through ``services``."""

from __future__ import annotations

from rest_framework import serializers

from chainlead.supervision.models import Bulletin, BulletinTemplate, ConsequenceStep, Light, WarningRule
from chainlead.utilities.api import BaseModelSerializer


class WarningRuleSerializer(BaseModelSerializer):
    thresholds_text = serializers.CharField(read_only=True)

    class Meta:
        model = WarningRule
        fields = [
            "id",
            "code",
            "name",
            "applies_to",
            "measure",
            "direction",
            "yellow_at",
            "yellow_strict",
            "orange_at",
            "orange_strict",
            "red_at",
            "red_strict",
            "min_annual_plan",
            "compare_average",
            "description",
            "source",
            "is_active",
            "thresholds_text",
            "comments",
            "version",
            "created",
            "last_updated",
        ]
        read_only_fields = ["created", "last_updated"]


class ConsequenceStepSerializer(BaseModelSerializer):
    class Meta:
        model = ConsequenceStep
        fields = [
            "id",
            "color",
            "min_streak",
            "measure",
            "by_whom",
            "sort_order",
            "is_active",
            "comments",
            "version",
            "created",
            "last_updated",
        ]
        read_only_fields = ["created", "last_updated"]


class BulletinTemplateSerializer(BaseModelSerializer):
    class Meta:
        model = BulletinTemplate
        fields = [
            "id",
            "name",
            "is_default",
            "issuer",
            "issuer_code",
            "signer",
            "addressee",
            "title_pattern",
            "basis_text",
            "requirements_text",
            "copy_to",
            "printer",
            "comments",
            "version",
            "created",
            "last_updated",
        ]
        read_only_fields = ["created", "last_updated"]


class LightSerializer(serializers.ModelSerializer):
    effective_color = serializers.CharField(read_only=True)
    period_label = serializers.CharField(source="period.label", read_only=True)

    class Meta:
        model = Light
        fields = [
            "id",
            "period",
            "period_label",
            "subject_kind",
            "subject_key",
            "subject_name",
            "project",
            "target",
            "unit",
            "responsible_unit",
            "component",
            "color",
            "effective_color",
            "reason_code",
            "reason",
            "value",
            "figures",
            "is_frozen",
            "frozen_at",
            "previous_color",
            "streak",
            "excused",
            "excused_by",
            "excused_at",
            "excuse_reason",
            "computed_at",
            "version",
        ]
        read_only_fields = fields


class ExcuseSerializer(serializers.Serializer):
    reason = serializers.CharField(max_length=300, allow_blank=True)


class BulletinSerializer(BaseModelSerializer):
    doc_number = serializers.CharField(read_only=True)
    issue_label = serializers.CharField(read_only=True)
    docx_url = serializers.SerializerMethodField()
    pdf_url = serializers.SerializerMethodField()

    class Meta:
        model = Bulletin
        fields = [
            "id",
            "period",
            "scope_kind",
            "scope_unit",
            "scope_chain",
            "template",
            "status",
            "title",
            "addressee",
            "issuer",
            "issuer_code",
            "signer",
            "year",
            "number",
            "issue_no",
            "doc_number",
            "issue_label",
            "basis_text",
            "overall_text",
            "good_text",
            "lagging_text",
            "problems_text",
            "requirements_text",
            "copy_to",
            "printer",
            "generated_at",
            "job",
            "issued_on",
            "issued_at",
            "issued_by",
            "docx_url",
            "pdf_url",
            "version",
            "created",
            "last_updated",
        ]
        read_only_fields = [
            "status",
            "year",
            "number",
            "issue_no",
            "generated_at",
            "job",
            "issued_on",
            "issued_at",
            "issued_by",
            "created",
            "last_updated",
        ]

    def _file_url(self, obj, kind):
        from django.urls import reverse

        return reverse("supervision:bulletin_file", args=[obj.pk, kind]) if getattr(obj, kind) else None

    def get_docx_url(self, obj) -> str | None:
        return self._file_url(obj, "docx")

    def get_pdf_url(self, obj) -> str | None:
        return self._file_url(obj, "pdf")


class IssueSerializer(serializers.Serializer):
    number = serializers.IntegerField(required=False, min_value=1)
