"""Filters of the war room (list pages, API and export share them)."""

from __future__ import annotations

import django_filters
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from chainlead.chains.models import KeyChain
from chainlead.organization.choices import TERRITORIAL_KINDS
from chainlead.organization.models import Unit
from chainlead.projects.choices import Stage
from chainlead.projects.models import KeyProject
from chainlead.utilities.filtersets import BOOLEAN_CHOICES, BaseFilterSet
from chainlead.warroom.choices import Milestone, NodeStatus, ScheduleStatus, TargetKind
from chainlead.warroom.models import (
    OWNER_KINDS,
    Baseline,
    ProjectSchedule,
    ScheduleDependency,
    ScheduleNode,
    ScheduleTemplate,
    TemplateDependency,
    TemplateNode,
    ZoneMap,
)


def territorial_units():
    return Unit.objects.filter(kind__in=sorted(k.value for k in TERRITORIAL_KINDS)).order_by("path")


def owner_units():
    return Unit.objects.filter(kind__in=OWNER_KINDS).order_by("path")


def in_zone(queryset, prefix: str, unit):
    """Rows whose project lies in ``unit`` or in a battle zone below it."""
    if not unit:
        return queryset
    return queryset.filter(**{f"{prefix}area__path__startswith": unit.path})


class ScheduleTemplateFilterSet(BaseFilterSet):
    search_fields = ("name", "description")
    is_active = django_filters.BooleanFilter(label=_("启用"))

    class Meta:
        model = ScheduleTemplate
        fields = ["q", "investment_nature", "is_active"]


class TemplateNodeFilterSet(BaseFilterSet):
    search_fields = ("name", "owner_note", "description")
    template = django_filters.ModelChoiceFilter(queryset=ScheduleTemplate.objects.all(), label=_("计划模板"))
    owner_department = django_filters.ModelChoiceFilter(queryset=owner_units(), label=_("责任部门"))
    is_approval = django_filters.BooleanFilter(label=_("审批事项"))

    class Meta:
        model = TemplateNode
        fields = ["q", "template", "owner_department", "is_approval"]


class TemplateDependencyFilterSet(BaseFilterSet):
    search_fields = ("predecessor__name", "successor__name")
    template = django_filters.ModelChoiceFilter(queryset=ScheduleTemplate.objects.all(), label=_("计划模板"))

    class Meta:
        model = TemplateDependency
        fields = ["q", "template"]


class _ProjectScopeFilters(BaseFilterSet):
    """Chain, zone (area or battle zone, with the zones below it) and responsible unit of the project."""

    project_prefix = "project__"

    chain = django_filters.ModelChoiceFilter(
        queryset=KeyChain.objects.all(), label=_("产业链"), method="filter_chain"
    )
    zone = django_filters.ModelChoiceFilter(
        queryset=territorial_units(), label=_("片区/战区"), method="filter_zone"
    )
    unit = django_filters.ModelChoiceFilter(
        queryset=Unit.objects.order_by("path"), label=_("责任单位"), method="filter_unit"
    )

    def filter_chain(self, queryset, name, value: int):
        return queryset.filter(**{f"{self.project_prefix}chain": value}) if value else queryset

    def filter_zone(self, queryset, name, value: int):
        return in_zone(queryset, self.project_prefix, value)

    def filter_unit(self, queryset, name, value: int):
        return queryset.filter(**{f"{self.project_prefix}responsible_unit": value}) if value else queryset


class ProjectScheduleFilterSet(_ProjectScopeFilters):
    search_fields = ("project__name", "project__project_code", "project__responsible_person")
    primary_filters = ("chain", "zone", "status", "feasible")
    status = django_filters.MultipleChoiceFilter(choices=ScheduleStatus.choices, label=_("计划状态"))
    target_kind = django_filters.ChoiceFilter(choices=TargetKind.choices, label=_("目标节点"))
    feasible = django_filters.BooleanFilter(label=_("可行"))
    has_overdue = django_filters.BooleanFilter(label=_("有逾期节点"), method="filter_overdue")
    template = django_filters.ModelChoiceFilter(queryset=ScheduleTemplate.objects.all(), label=_("计划模板"))
    target_from = django_filters.DateFilter(
        field_name="target_date", lookup_expr="gte", label=_("目标日期起")
    )
    target_to = django_filters.DateFilter(field_name="target_date", lookup_expr="lte", label=_("目标日期止"))

    class Meta:
        model = ProjectSchedule
        fields = [
            "q",
            "chain",
            "zone",
            "unit",
            "status",
            "target_kind",
            "feasible",
            "has_overdue",
            "template",
            "target_from",
            "target_to",
        ]

    def filter_overdue(self, queryset, name, value: bool):
        if value is None:
            return queryset
        return queryset.filter(overdue_count__gt=0) if value else queryset.filter(overdue_count=0)


class ScheduleNodeFilterSet(_ProjectScopeFilters):
    project_prefix = "schedule__project__"
    search_fields = ("name", "schedule__project__name", "owner_note")
    primary_filters = ("status", "owner_department", "zone", "due_to")
    status = django_filters.MultipleChoiceFilter(choices=NodeStatus.choices, label=_("节点状态"))
    owner_department = django_filters.ModelChoiceFilter(queryset=owner_units(), label=_("责任部门"))
    schedule = django_filters.ModelChoiceFilter(
        queryset=ProjectSchedule.objects.select_related("project"), label=_("进度计划")
    )
    is_critical = django_filters.BooleanFilter(label=_("关键节点"))
    is_approval = django_filters.BooleanFilter(label=_("审批事项"))
    milestone = django_filters.ChoiceFilter(choices=Milestone.choices, label=_("目标节点"))
    done = django_filters.BooleanFilter(label=_("已完成"), method="filter_done")
    due_from = django_filters.DateFilter(field_name="due_on", lookup_expr="gte", label=_("完成时限起"))
    due_to = django_filters.DateFilter(field_name="due_on", lookup_expr="lte", label=_("完成时限止"))

    class Meta:
        model = ScheduleNode
        fields = [
            "q",
            "status",
            "owner_department",
            "zone",
            "chain",
            "unit",
            "schedule",
            "is_critical",
            "is_approval",
            "milestone",
            "done",
            "due_from",
            "due_to",
        ]

    def filter_done(self, queryset, name, value: bool):
        if value is None:
            return queryset
        return queryset.filter(actual_finish__isnull=not value)


class ScheduleDependencyFilterSet(BaseFilterSet):
    search_fields = ("predecessor__name", "successor__name", "schedule__project__name")
    schedule = django_filters.ModelChoiceFilter(
        queryset=ProjectSchedule.objects.select_related("project"), label=_("进度计划")
    )

    class Meta:
        model = ScheduleDependency
        fields = ["q", "schedule"]


class BaselineFilterSet(BaseFilterSet):
    search_fields = ("schedule__project__name", "reason")
    schedule = django_filters.ModelChoiceFilter(
        queryset=ProjectSchedule.objects.select_related("project"), label=_("进度计划")
    )
    approved_from = django_filters.DateFilter(
        field_name="approved_on", lookup_expr="gte", label=_("批准日期起")
    )
    approved_to = django_filters.DateFilter(
        field_name="approved_on", lookup_expr="lte", label=_("批准日期止")
    )

    class Meta:
        model = Baseline
        fields = ["q", "schedule", "approved_from", "approved_to"]


class ZoneMapFilterSet(BaseFilterSet):
    search_fields = ("name", "original_name")
    is_active = django_filters.BooleanFilter(label=_("启用"))

    class Meta:
        model = ZoneMap
        fields = ["q", "is_active"]


class MapFilterSet(BaseFilterSet):
    """The map's and the portfolio Gantt's filters: chain, zone, stage, unit."""

    search_fields = ("name",)
    chain = django_filters.ModelChoiceFilter(queryset=KeyChain.objects.all(), label=_("产业链"))
    zone = django_filters.ModelChoiceFilter(
        queryset=territorial_units(), label=_("片区/战区"), method="filter_zone"
    )
    stage = django_filters.MultipleChoiceFilter(choices=Stage.choices, label=_("阶段"))
    unit = django_filters.ModelChoiceFilter(
        field_name="responsible_unit", queryset=Unit.objects.order_by("path"), label=_("责任单位")
    )
    planned = django_filters.ChoiceFilter(
        choices=BOOLEAN_CHOICES[1:], label=_("有进度计划"), method="filter_planned", empty_label=_("全部")
    )

    class Meta:
        model = KeyProject
        fields = ["q", "chain", "zone", "stage", "unit", "planned"]

    def filter_zone(self, queryset, name, value: int):
        return in_zone(queryset, "", value)

    def filter_planned(self, queryset, name, value):
        if value == "true":
            return queryset.filter(schedule__isnull=False)
        if value == "false":
            return queryset.filter(schedule__isnull=True)
        return queryset


def zone_q(unit, prefix: str = "") -> Q:
    return Q(**{f"{prefix}area__path__startswith": unit.path})
