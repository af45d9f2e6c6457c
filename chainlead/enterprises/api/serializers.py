"""Serializers of the enterprises API. They validate through the models' ``full_clean()``."""

from __future__ import annotations

from django.core.exceptions import ValidationError as DjangoValidationError
from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from chainlead.enterprises.choices import SourceTag
from chainlead.enterprises.forms import clean_credit_code_value, order_tags
from chainlead.enterprises.models import Contact, Enterprise, EnterpriseRevenue, StatsThreshold
from chainlead.utilities.api import BaseModelSerializer


class EnterpriseSerializer(BaseModelSerializer):
    credit_code = serializers.CharField(
        label=_("统一社会信用代码"),
        required=False,
        allow_blank=True,
        help_text=_("18位，按 GB 32100 校验；小写字母会转为大写。"),
    )
    source_tags = serializers.ListField(
        child=serializers.ChoiceField(choices=SourceTag.choices),
        required=False,
        label=_("来源标签"),
        help_text=_('来源标签代码的列表，如 ["listed", "foreign"]。'),
    )
    source_tag_labels = serializers.ListField(
        child=serializers.CharField(), read_only=True, label=_("来源标签名称")
    )
    stats_category_display = serializers.CharField(source="get_stats_category_display", read_only=True)
    stats_status_display = serializers.CharField(source="get_stats_status_display", read_only=True)

    class Meta:
        model = Enterprise
        fields = [
            "id",
            "name",
            "credit_code",
            "legal_representative",
            "registered_capital",
            "established_on",
            "address",
            "hq_city",
            "industry",
            "industry_code",
            "source_tags",
            "source_tag_labels",
            "stats_category",
            "stats_category_display",
            "stats_status",
            "stats_status_display",
            "stats_entered_on",
            "responsible_unit",
            "comments",
            "version",
            "created",
            "last_updated",
        ]
        read_only_fields = ["created", "last_updated"]

    def validate_credit_code(self, value):
        try:
            return clean_credit_code_value(value)
        except DjangoValidationError as exc:
            raise serializers.ValidationError(exc.messages)

    def validate_source_tags(self, value):
        return order_tags(value)


class EnterpriseRevenueSerializer(BaseModelSerializer):
    enterprise_name = serializers.CharField(source="enterprise.name", read_only=True)

    class Meta:
        model = EnterpriseRevenue
        fields = [
            "id",
            "enterprise",
            "enterprise_name",
            "period",
            "revenue_ytd",
            "employees",
            "source",
            "comments",
            "version",
            "created",
            "last_updated",
        ]
        read_only_fields = ["created", "last_updated"]


class StatsThresholdSerializer(BaseModelSerializer):
    category_display = serializers.CharField(source="get_category_display", read_only=True)

    class Meta:
        model = StatsThreshold
        fields = [
            "id",
            "category",
            "category_display",
            "threshold",
            "basis",
            "valid_from",
            "valid_to",
            "source",
            "comments",
            "version",
            "created",
            "last_updated",
        ]
        read_only_fields = ["created", "last_updated"]


class ContactSerializer(BaseModelSerializer):
    enterprise_name = serializers.CharField(source="enterprise.name", read_only=True)

    class Meta:
        model = Contact
        fields = [
            "id",
            "enterprise",
            "enterprise_name",
            "name",
            "title",
            "phone",
            "email",
            "is_primary",
            "comments",
            "version",
            "created",
            "last_updated",
        ]
        read_only_fields = ["created", "last_updated"]
