"""One FilterSet per model: the list page, the API and the Excel export share them."""

from __future__ import annotations

import django_filters
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from chainlead.chains.models import KeyChain
from chainlead.core import clock
from chainlead.dispatch.choices import (
    ACTIVE_PROBLEM_STATES,
    DecisionStatus,
    FactorKind,
    FactorStatus,
    Frequency,
    ItemKind,
    MeetingKind,
    MeetingStatus,
    PeriodStatus,
    ProblemCategory,
    ProblemLevel,
    ProblemStatus,
    ReportStatus,
)
from chainlead.dispatch.models import (
    Decision,
    DispatchMeeting,
    FactorRequest,
    Period,
    Problem,
    ProgressReport,
    ReportingCycle,
    TotalInvestmentChange,
)
from chainlead.organization.choices import TERRITORIAL_KINDS
from chainlead.organization.models import Unit
from chainlead.utilities.filtersets import BaseFilterSet


def _subtree(queryset, name, value):
    """Filter a unit field by the unit and every unit below it (an area includes its battle zones)."""
    if not value:
        return queryset
    ids = Unit.objects.filter(path__startswith=value.path).values("pk")
    return queryset.filter(**{f"{name}__in": ids})


class ReportingCycleFilterSet(BaseFilterSet):
    search_fields = ("name",)
    item_kind = django_filters.ChoiceFilter(choices=ItemKind.choices, label=_("填报对象"))
    frequency = django_filters.ChoiceFilter(choices=Frequency.choices, label=_("频次"))
    is_active = django_filters.BooleanFilter(label=_("启用"))

    class Meta:
        model = ReportingCycle
        fields = ["q", "item_kind", "frequency", "is_active"]


class PeriodFilterSet(BaseFilterSet):
    search_fields = ("cycle__name",)
    cycle = django_filters.ModelChoiceFilter(queryset=ReportingCycle.objects.all(), label=_("报告周期"))
    item_kind = django_filters.ChoiceFilter(
        field_name="cycle__item_kind", choices=ItemKind.choices, label=_("填报对象")
    )
    status = django_filters.ChoiceFilter(choices=PeriodStatus.choices, label=_("状态"))
    year = django_filters.NumberFilter(field_name="start__year", label=_("年度"))

    class Meta:
        model = Period
        fields = ["q", "cycle", "item_kind", "status", "year"]


class ProgressReportFilterSet(BaseFilterSet):
    search_fields = ("project__name", "target__title", "progress_text", "responsible_unit__name")
    primary_filters = ("period", "status", "responsible_unit", "item_kind")
    period = django_filters.ModelChoiceFilter(
        queryset=Period.objects.select_related("cycle").order_by("-start"), label=_("调度期")
    )
    status = django_filters.MultipleChoiceFilter(choices=ReportStatus.choices, label=_("状态"))
    responsible_unit = django_filters.ModelChoiceFilter(
        queryset=Unit.objects.all(), method=_subtree, label=_("填报单位")
    )
    item_kind = django_filters.ChoiceFilter(
        choices=ItemKind.choices, method="filter_kind", label=_("填报对象")
    )
    is_late = django_filters.BooleanFilter(label=_("迟报"))
    project = django_filters.NumberFilter(field_name="project_id", label=_("项目编号"))
    target = django_filters.NumberFilter(field_name="target_id", label=_("攻坚目标编号"))
    year = django_filters.NumberFilter(field_name="period__end__year", label=_("年度"))

    class Meta:
        model = ProgressReport
        fields = [
            "q",
            "period",
            "status",
            "responsible_unit",
            "item_kind",
            "is_late",
            "project",
            "target",
            "year",
        ]

    def filter_kind(self, queryset, name, value):
        if value == ItemKind.PROJECT:
            return queryset.filter(project__isnull=False)
        if value == ItemKind.TARGET:
            return queryset.filter(target__isnull=False)
        return queryset


class ProblemFilterSet(BaseFilterSet):
    search_fields = ("number", "title", "description", "project__name", "target__title")
    primary_filters = ("status", "level", "category", "department", "overdue")
    status = django_filters.MultipleChoiceFilter(choices=ProblemStatus.choices, label=_("状态"))
    level = django_filters.MultipleChoiceFilter(choices=ProblemLevel.choices, label=_("协调层级"))
    category = django_filters.MultipleChoiceFilter(choices=ProblemCategory.choices, label=_("类别"))
    department = django_filters.ModelChoiceFilter(
        field_name="lead_unit",
        queryset=Unit.objects.all(),
        method="filter_department",
        label=_("承办单位（牵头或配合）"),
    )
    lead_unit = django_filters.ModelChoiceFilter(queryset=Unit.objects.all(), label=_("牵头单位"))
    raised_by_unit = django_filters.ModelChoiceFilter(
        queryset=Unit.objects.all(), method=_subtree, label=_("提出单位")
    )
    overdue = django_filters.BooleanFilter(method="filter_overdue", label=_("已超期"))
    supervised = django_filters.BooleanFilter(method="filter_supervised", label=_("督办"))
    project = django_filters.NumberFilter(field_name="project_id", label=_("项目编号"))

    class Meta:
        model = Problem
        fields = ["q", "status", "level", "category", "department", "lead_unit", "raised_by_unit", "overdue"]

    def filter_department(self, queryset, name, value):
        if not value:
            return queryset
        return queryset.filter(Q(lead_unit=value) | Q(cohandlers__unit=value)).distinct()

    def filter_overdue(self, queryset, name, value):
        overdue = Q(status__in=list(ACTIVE_PROBLEM_STATES), due_on__lt=clock.today())
        if value is True:
            return queryset.filter(overdue)
        if value is False:
            return queryset.exclude(overdue)
        return queryset

    def filter_supervised(self, queryset, name, value):
        if value is True:
            return queryset.filter(level__gte=ProblemLevel.PRINCIPAL)
        if value is False:
            return queryset.filter(level__lt=ProblemLevel.PRINCIPAL)
        return queryset


class FactorRequestFilterSet(BaseFilterSet):
    search_fields = ("project__name", "description", "reply")
    primary_filters = ("kind", "status", "department", "chain", "zone")
    kind = django_filters.MultipleChoiceFilter(choices=FactorKind.choices, label=_("要素类型"))
    status = django_filters.MultipleChoiceFilter(choices=FactorStatus.choices, label=_("状态"))
    department = django_filters.ModelChoiceFilter(queryset=Unit.objects.all(), label=_("保障部门"))
    chain = django_filters.ModelChoiceFilter(
        field_name="project__chain", queryset=KeyChain.objects.all(), label=_("产业链")
    )
    zone = django_filters.ModelChoiceFilter(
        field_name="project__area",
        queryset=Unit.objects.filter(kind__in=[k.value for k in TERRITORIAL_KINDS]),
        method=_subtree,
        label=_("片区/战区"),
    )
    project = django_filters.NumberFilter(field_name="project_id", label=_("项目编号"))

    class Meta:
        model = FactorRequest
        fields = ["q", "kind", "status", "department", "chain", "zone", "project"]


class DispatchMeetingFilterSet(BaseFilterSet):
    search_fields = ("title", "chair", "minutes")
    kind = django_filters.ChoiceFilter(choices=MeetingKind.choices, label=_("会议类型"))
    status = django_filters.ChoiceFilter(choices=MeetingStatus.choices, label=_("状态"))

    class Meta:
        model = DispatchMeeting
        fields = ["q", "kind", "status"]


class DecisionFilterSet(BaseFilterSet):
    search_fields = ("content", "progress", "meeting__title")
    primary_filters = ("status", "owner_unit", "meeting", "overdue")
    status = django_filters.MultipleChoiceFilter(choices=DecisionStatus.choices, label=_("状态"))
    owner_unit = django_filters.ModelChoiceFilter(
        queryset=Unit.objects.all(), method=_subtree, label=_("责任单位")
    )
    meeting = django_filters.ModelChoiceFilter(queryset=DispatchMeeting.objects.all(), label=_("调度会"))
    overdue = django_filters.BooleanFilter(method="filter_overdue", label=_("已超期"))

    class Meta:
        model = Decision
        fields = ["q", "status", "owner_unit", "meeting", "overdue"]

    def filter_overdue(self, queryset, name, value):
        overdue = Q(status=DecisionStatus.OPEN, deadline__lt=clock.today())
        if value is True:
            return queryset.filter(overdue)
        if value is False:
            return queryset.exclude(overdue)
        return queryset


class TotalInvestmentChangeFilterSet(BaseFilterSet):
    search_fields = ("project__name", "document_no", "reason")
    project = django_filters.NumberFilter(field_name="project_id", label=_("项目编号"))

    class Meta:
        model = TotalInvestmentChange
        fields = ["q", "project"]
