"""Filters of the targets app (list pages, API and export share them)."""

import django_filters
from django import forms
from django.utils.translation import gettext_lazy as _

from chainlead.organization.choices import UnitKind
from chainlead.organization.models import Unit
from chainlead.projects.models import KeyProject
from chainlead.targets.choices import TargetStatus
from chainlead.targets.models import AttackTarget, Campaign, TargetMonthPlan, TargetProject
from chainlead.targets.queries import overdue_q
from chainlead.utilities.filtersets import BaseFilterSet


def _areas():
    return Unit.objects.filter(kind=UnitKind.AREA)


def _visible(model):
    """Choices the signed-in user may see (a select must not list other zones' targets)."""

    def queryset(request):
        user = getattr(request, "user", None)
        return model.objects.restrict(user, "view") if user is not None else model.objects.none()

    return queryset


def _zones():
    return Unit.objects.filter(kind=UnitKind.BATTLE_ZONE).select_related("parent")


class CampaignFilterSet(BaseFilterSet):
    search_fields = ("name", "description")
    area = django_filters.ModelChoiceFilter(queryset=_areas(), label=_("所属片区"))
    year = django_filters.NumberFilter(label=_("年度"))

    class Meta:
        model = Campaign
        fields = ["q", "area", "year"]


class AttackTargetFilterSet(BaseFilterSet):
    search_fields = (
        "title",
        "measures",
        "goal_unit",
        "responsible_leader",
        "responsible_person",
        "responsible_unit__name",
        "campaign__name",
        "battle_zone__name",
    )
    area = django_filters.ModelChoiceFilter(
        field_name="battle_zone__parent", queryset=_areas(), label=_("片区")
    )
    battle_zone = django_filters.ModelChoiceFilter(queryset=_zones(), label=_("战区"))
    campaign = django_filters.ModelChoiceFilter(
        queryset=Campaign.objects.select_related("area"), label=_("攻坚战")
    )
    status = django_filters.MultipleChoiceFilter(choices=TargetStatus.choices, label=_("状态"))
    responsible_unit = django_filters.ModelChoiceFilter(queryset=Unit.objects.all(), label=_("责任单位"))
    responsible_leader = django_filters.CharFilter(lookup_expr="icontains", label=_("责任领导"))
    deadline_from = django_filters.DateFilter(
        field_name="deadline", lookup_expr="gte", label=_("完成时限起"), widget=forms.DateInput
    )
    deadline_to = django_filters.DateFilter(
        field_name="deadline", lookup_expr="lte", label=_("完成时限止"), widget=forms.DateInput
    )
    overdue = django_filters.BooleanFilter(method="filter_overdue", label=_("只看逾期"))

    class Meta:
        model = AttackTarget
        fields = [
            "q",
            "area",
            "battle_zone",
            "campaign",
            "status",
            "responsible_unit",
            "responsible_leader",
            "deadline_from",
            "deadline_to",
            "overdue",
        ]

    def filter_overdue(self, queryset, name, value):
        if value is None:
            return queryset
        return queryset.filter(overdue_q()) if value else queryset.exclude(overdue_q())


class TargetMonthPlanFilterSet(BaseFilterSet):
    search_fields = ("milestone", "target__title")
    battle_zone = django_filters.ModelChoiceFilter(
        field_name="target__battle_zone", queryset=_zones(), label=_("战区")
    )
    target = django_filters.ModelChoiceFilter(queryset=_visible(AttackTarget), label=_("攻坚目标"))
    month_from = django_filters.DateFilter(
        field_name="month", lookup_expr="gte", label=_("月份起"), widget=forms.DateInput
    )
    month_to = django_filters.DateFilter(
        field_name="month", lookup_expr="lte", label=_("月份止"), widget=forms.DateInput
    )

    class Meta:
        model = TargetMonthPlan
        fields = ["q", "battle_zone", "target", "month_from", "month_to"]


class TargetProjectFilterSet(BaseFilterSet):
    search_fields = ("target__title", "project__name")
    battle_zone = django_filters.ModelChoiceFilter(
        field_name="target__battle_zone", queryset=_zones(), label=_("战区")
    )
    target = django_filters.ModelChoiceFilter(queryset=_visible(AttackTarget), label=_("攻坚目标"))
    project = django_filters.ModelChoiceFilter(queryset=_visible(KeyProject), label=_("项目"))

    class Meta:
        model = TargetProject
        fields = ["q", "battle_zone", "target", "project"]
