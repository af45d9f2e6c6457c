"""Serializers of the assessment API. Workflow steps (publish, run, enter, adjust) go through
``services``; the scheme's parts validate through the model like the forms do."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from chainlead.assessment.choices import PeriodKind, SubjectKind
from chainlead.assessment.models import (
    Adjustment,
    Indicator,
    IndicatorGroup,
    IndicatorScore,
    Ranking,
    Scheme,
    Score,
)
from chainlead.utilities.api import BaseModelSerializer

META = ["version", "created", "last_updated"]


class SchemeSerializer(BaseModelSerializer):
    class Meta:
        model = Scheme
        fields = [
            "id",
            "name",
            "code",
            "revision",
            "status",
            "description",
            "total",
            "tiebreak",
            "previous",
            "published_at",
            "comments",
            *META,
        ]
        read_only_fields = ["revision", "status", "previous", "published_at", "created", "last_updated"]


class IndicatorGroupSerializer(BaseModelSerializer):
    class Meta:
        model = IndicatorGroup
        fields = ["id", "scheme", "name", "code", "kind", "weight", "sort_order", *META]
        read_only_fields = ["created", "last_updated"]


class IndicatorSerializer(BaseModelSerializer):
    formula_text = serializers.CharField(read_only=True)

    class Meta:
        model = Indicator
        fields = [
            "id",
            "scheme",
            "group",
            "code",
            "name",
            "weight",
            "mode",
            "target",
            "value_unit",
            "cap",
            "points",
            "item_cap",
            "expression",
            "source",
            "computation",
            "when_no_base",
            "definition",
            "evidence_required",
            "sort_order",
            "formula_text",
            *META,
        ]
        read_only_fields = ["created", "last_updated"]


class IndicatorScoreSerializer(serializers.ModelSerializer):
    indicator_code = serializers.CharField(source="indicator.code", read_only=True)
    indicator_name = serializers.CharField(source="indicator.name", read_only=True)

    class Meta:
        model = IndicatorScore
        fields = [
            "id",
            "score",
            "indicator",
            "indicator_code",
            "indicator_name",
            "value",
            "numerator",
            "denominator",
            "note",
            "computed_score",
            "adjusted_score",
            "final_score",
            "entered",
            "evidence_note",
            "version",
        ]
        read_only_fields = fields


class ScoreSerializer(serializers.ModelSerializer):
    change = serializers.IntegerField(
        read_only=True, allow_null=True, help_text=_("较上期名次变化，正数为上升。")
    )

    class Meta:
        model = Score
        fields = [
            "id",
            "ranking",
            "unit",
            "chain",
            "name",
            "total",
            "subtotals",
            "rank",
            "previous_rank",
            "change",
            "version",
        ]
        read_only_fields = fields


class RankingSerializer(serializers.ModelSerializer):
    class Meta:
        model = Ranking
        fields = [
            "id",
            "scheme",
            "subject_kind",
            "period_kind",
            "period_start",
            "period_end",
            "label",
            "status",
            "job",
            "previous",
            "computed_at",
            "published_at",
            "notes",
            "version",
            "created",
            "last_updated",
        ]
        read_only_fields = fields


class RunSerializer(serializers.Serializer):
    scheme = serializers.PrimaryKeyRelatedField(queryset=Scheme.objects.all())
    subject_kind = serializers.ChoiceField(choices=SubjectKind.choices)
    period_kind = serializers.ChoiceField(choices=PeriodKind.choices)
    year = serializers.IntegerField(min_value=2000, max_value=2100)
    number = serializers.IntegerField(min_value=1, max_value=12, required=False, default=1)


class EnterValueSerializer(serializers.Serializer):
    value = serializers.DecimalField(max_digits=18, decimal_places=4)
    evidence = serializers.FileField(required=False)
    evidence_note = serializers.CharField(required=False, allow_blank=True, default="")


class AdjustSerializer(serializers.Serializer):
    score = serializers.DecimalField(max_digits=9, decimal_places=2)
    reason = serializers.CharField(required=False, allow_blank=True, default="")


class AdjustmentSerializer(serializers.ModelSerializer):
    class Meta:
        model = Adjustment
        fields = ["id", "item", "old_score", "new_score", "reason", "by", "created"]
        read_only_fields = fields
