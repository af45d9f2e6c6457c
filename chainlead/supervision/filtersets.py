"""One FilterSet per model: the list page, the API and the Excel export share them."""

from __future__ import annotations

import django_filters
from django.utils.translation import gettext_lazy as _

from chainlead.dispatch.choices import ItemKind
from chainlead.dispatch.models import Period
from chainlead.organization.models import Unit
from chainlead.supervision.choices import BulletinStatus, Component, LightColor, ScopeKind, SubjectKind
from chainlead.supervision.models import Bulletin, BulletinTemplate, ConsequenceStep, Light, WarningRule
from chainlead.utilities.filtersets import BaseFilterSet


def light_periods():
    return Period.objects.select_related("cycle").filter(cycle__item_kind=ItemKind.PROJECT).order_by("-start")


class WarningRuleFilterSet(BaseFilterSet):
    search_fields = ("name", "code", "description")
    is_active = django_filters.BooleanFilter(label=_("启用"))

    class Meta:
        model = WarningRule
        fields = ["q", "is_active"]


class ConsequenceStepFilterSet(BaseFilterSet):
    search_fields = ("measure", "by_whom")
    color = django_filters.ChoiceFilter(choices=LightColor.choices, label=_("灯色"))

    class Meta:
        model = ConsequenceStep
        fields = ["q", "color"]


class BulletinTemplateFilterSet(BaseFilterSet):
    search_fields = ("name", "issuer", "issuer_code")

    class Meta:
        model = BulletinTemplate
        fields = ["q"]


class LightFilterSet(BaseFilterSet):
    """Default (no filter chosen): the list page shows the overall lights; choose 预警项 to see
    one rule's lights."""

    search_fields = ("subject_name", "reason")
    primary_filters = ("period", "component", "color", "subject_kind")
    period = django_filters.ModelChoiceFilter(queryset=light_periods(), label=_("调度期"))
    component = django_filters.ChoiceFilter(choices=Component.choices, label=_("预警项"))
    color = django_filters.MultipleChoiceFilter(choices=LightColor.choices, label=_("灯色"))
    subject_kind = django_filters.ChoiceFilter(choices=SubjectKind.choices, label=_("对象类型"))
    responsible_unit = django_filters.ModelChoiceFilter(
        queryset=Unit.objects.filter(is_active=True).order_by("path"), label=_("责任单位"), method="subtree"
    )
    excused = django_filters.BooleanFilter(label=_("已说明免亮"))
    is_frozen = django_filters.BooleanFilter(label=_("已冻结"))

    class Meta:
        model = Light
        fields = [
            "q",
            "period",
            "component",
            "color",
            "subject_kind",
            "responsible_unit",
            "excused",
            "is_frozen",
        ]

    def subtree(self, queryset, name, value):
        if not value:
            return queryset
        return queryset.filter(
            responsible_unit__in=Unit.objects.filter(path__startswith=value.path).values("pk")
        )


class BulletinFilterSet(BaseFilterSet):
    search_fields = ("title", "issuer_code")
    status = django_filters.ChoiceFilter(choices=BulletinStatus.choices, label=_("状态"))
    scope_kind = django_filters.ChoiceFilter(choices=ScopeKind.choices, label=_("范围"))
    year = django_filters.NumberFilter(label=_("年份"))

    class Meta:
        model = Bulletin
        fields = ["q", "status", "scope_kind", "year"]
