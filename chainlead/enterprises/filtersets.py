"""Filters of the enterprises app: one FilterSet per model, shared by the list page, the API and
the Excel export."""

from __future__ import annotations

import django_filters
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from chainlead.enterprises.choices import SourceTag, StatsCategory, StatsStatus
from chainlead.enterprises.models import Contact, Enterprise, EnterpriseRevenue, StatsThreshold
from chainlead.organization.models import Unit
from chainlead.utilities.filtersets import BaseFilterSet


def source_tags_any(queryset, name, value):
    """Enterprises carrying at least one of the chosen source tags.

    The tags are a JSON list. ``__contains`` on a JSONField is not available on SQLite, so match
    the quoted code in the stored JSON text: ``"listed"`` cannot be part of another code."""
    if not value:
        return queryset
    q = Q()
    for code in value:
        q |= Q(**{f"{name}__icontains": f'"{code}"'})
    return queryset.filter(q)


class EnterpriseFilterSet(BaseFilterSet):
    search_fields = ("name", "credit_code", "address")
    #: Shown at once; capital range and industry code fold under “更多条件”.
    primary_filters = ("source_tags", "stats_category", "stats_status", "responsible_unit")
    source_tags = django_filters.MultipleChoiceFilter(
        choices=SourceTag.choices, method=source_tags_any, label=_("来源标签")
    )
    stats_category = django_filters.MultipleChoiceFilter(choices=StatsCategory.choices, label=_("四上类别"))
    stats_status = django_filters.MultipleChoiceFilter(choices=StatsStatus.choices, label=_("纳统状态"))
    responsible_unit = django_filters.ModelMultipleChoiceFilter(
        queryset=Unit.objects.all(), label=_("服务单位")
    )
    capital_min = django_filters.NumberFilter(
        field_name="registered_capital", lookup_expr="gte", label=_("注册资本下限（万元）")
    )
    capital_max = django_filters.NumberFilter(
        field_name="registered_capital", lookup_expr="lte", label=_("注册资本上限（万元）")
    )
    industry_code = django_filters.CharFilter(
        field_name="industry_code", lookup_expr="istartswith", label=_("行业代码前缀")
    )

    class Meta:
        model = Enterprise
        fields = [
            "q",
            "source_tags",
            "stats_category",
            "stats_status",
            "responsible_unit",
            "capital_min",
            "capital_max",
            "industry_code",
        ]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        hints = {
            "q": _("名称、信用代码或地址"),
            "capital_min": "1000",
            "capital_max": "50000",
            "industry_code": "C39",
        }
        for name, hint in hints.items():
            self.form.fields[name].widget.attrs["placeholder"] = hint


class EnterpriseRevenueFilterSet(BaseFilterSet):
    search_fields = ("enterprise__name", "enterprise__credit_code", "source")
    enterprise = django_filters.ModelChoiceFilter(queryset=Enterprise.objects.all(), label=_("企业"))
    year = django_filters.NumberFilter(field_name="period__year", label=_("年度"))
    period_from = django_filters.DateFilter(field_name="period", lookup_expr="gte", label=_("月份从"))
    period_to = django_filters.DateFilter(field_name="period", lookup_expr="lte", label=_("月份至"))
    stats_category = django_filters.MultipleChoiceFilter(
        field_name="enterprise__stats_category", choices=StatsCategory.choices, label=_("四上类别")
    )

    class Meta:
        model = EnterpriseRevenue
        fields = ["q", "enterprise", "year", "period_from", "period_to", "stats_category"]


class StatsThresholdFilterSet(BaseFilterSet):
    search_fields = ("basis", "source")
    category = django_filters.MultipleChoiceFilter(choices=StatsCategory.choices, label=_("四上类别"))
    valid_on = django_filters.DateFilter(method="filter_valid_on", label=_("在该日有效"))

    class Meta:
        model = StatsThreshold
        fields = ["q", "category", "valid_on"]

    def filter_valid_on(self, queryset, name, value):
        return queryset.valid_on(value) if value else queryset


class ContactFilterSet(BaseFilterSet):
    search_fields = ("name", "title", "phone", "email", "enterprise__name")
    enterprise = django_filters.ModelChoiceFilter(queryset=Enterprise.objects.all(), label=_("企业"))
    is_primary = django_filters.BooleanFilter(label=_("主要联系人"))

    class Meta:
        model = Contact
        fields = ["q", "enterprise", "is_primary"]
