"""Tables of the war room (list pages, column chooser and Excel export)."""

from __future__ import annotations

import django_tables2 as tables
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from chainlead.projects.choices import STAGE_COLORS
from chainlead.utilities.tables import BaseTable, ChoiceBadgeColumn
from chainlead.warroom.choices import NODE_STATUS_COLORS, SCHEDULE_STATUS_COLORS
from chainlead.warroom.models import (
    Baseline,
    ProjectSchedule,
    ScheduleDependency,
    ScheduleNode,
    ScheduleTemplate,
    TemplateDependency,
    TemplateNode,
    ZoneMap,
)


class ScheduleTemplateTable(BaseTable):
    name = tables.Column(linkify=True)
    node_count = tables.Column(verbose_name=_("节点数"), accessor="node_count", orderable=False)

    class Meta(BaseTable.Meta):
        model = ScheduleTemplate
        fields = ("pk", "name", "investment_nature", "node_count", "is_active", "sort_order", "last_updated")
        default_columns = ("name", "investment_nature", "node_count", "is_active")


class TemplateNodeTable(BaseTable):
    name = tables.Column(linkify=True)
    template = tables.Column(linkify=True)
    owner_department = tables.Column(verbose_name=_("责任部门"))

    class Meta(BaseTable.Meta):
        model = TemplateNode
        fields = (
            "pk",
            "template",
            "sort_order",
            "name",
            "owner_department",
            "owner_note",
            "duration_wd",
            "is_approval",
            "milestone",
            "description",
        )
        default_columns = (
            "template",
            "name",
            "owner_department",
            "owner_note",
            "duration_wd",
            "is_approval",
            "milestone",
        )


class TemplateDependencyTable(BaseTable):
    template = tables.Column(linkify=True)
    predecessor = tables.Column(linkify=lambda record: record.get_absolute_url())
    successor = tables.Column()

    class Meta(BaseTable.Meta):
        model = TemplateDependency
        fields = ("pk", "template", "predecessor", "successor", "lag_wd")
        default_columns = ("template", "predecessor", "successor", "lag_wd")


class ProjectScheduleTable(BaseTable):
    project = tables.Column(linkify=lambda record: record.get_absolute_url(), verbose_name=_("项目"))
    area = tables.Column(accessor="project__area", verbose_name=_("片区/战区"), orderable=False)
    responsible_unit = tables.Column(accessor="project__responsible_unit", verbose_name=_("责任单位"))
    stage = ChoiceBadgeColumn(STAGE_COLORS, accessor="project__stage", verbose_name=_("项目阶段"))
    status = ChoiceBadgeColumn(SCHEDULE_STATUS_COLORS)
    feasible = tables.Column(verbose_name=_("可行"))
    overdue_count = tables.Column()

    class Meta(BaseTable.Meta):
        model = ProjectSchedule
        fields = (
            "pk",
            "project",
            "area",
            "responsible_unit",
            "stage",
            "template",
            "target_kind",
            "target_date",
            "forecast_date",
            "status",
            "feasible",
            "shortfall_wd",
            "overdue_count",
            "approval_wd",
            "whole_approval_wd",
            "computed_on",
        )
        default_columns = (
            "project",
            "area",
            "target_kind",
            "target_date",
            "forecast_date",
            "status",
            "feasible",
            "overdue_count",
        )

    def render_feasible(self, record, value):
        if value:
            return format_html('<span class="badge bg-green-lt">{}</span>', _("可行"))
        return format_html(
            '<span class="badge bg-red-lt" data-infeasible>{}</span>',
            _("差{}个工作日").format(record.shortfall_wd),
        )

    def value_feasible(self, record, value):
        return _("可行") if value else _("不可行（差{}个工作日）").format(record.shortfall_wd)

    def render_overdue_count(self, value):
        if value:
            return format_html('<span class="text-red fw-bold">{}</span>', value)
        return "0"


class ScheduleNodeTable(BaseTable):
    name = tables.Column(linkify=True)
    project = tables.Column(
        accessor="schedule__project",
        verbose_name=_("项目"),
        linkify=lambda record: record.schedule.get_absolute_url(),
    )
    owner = tables.Column(accessor="owner_display", verbose_name=_("责任部门"), orderable=False)
    status = ChoiceBadgeColumn(NODE_STATUS_COLORS)
    is_critical = tables.BooleanColumn(verbose_name=_("关键"))
    days_overdue = tables.Column(accessor="days_overdue", verbose_name=_("逾期天数"), orderable=False)

    class Meta(BaseTable.Meta):
        model = ScheduleNode
        fields = (
            "pk",
            "project",
            "name",
            "owner",
            "duration_wd",
            "early_start",
            "early_finish",
            "late_start",
            "late_finish",
            "slack_wd",
            "is_critical",
            "due_on",
            "actual_start",
            "actual_finish",
            "variance_wd",
            "status",
            "days_overdue",
        )
        default_columns = (
            "project",
            "name",
            "owner",
            "due_on",
            "actual_finish",
            "status",
            "days_overdue",
            "is_critical",
        )


class ScheduleDependencyTable(BaseTable):
    project = tables.Column(accessor="schedule__project", verbose_name=_("项目"))
    predecessor = tables.Column(linkify=lambda record: record.get_absolute_url())
    successor = tables.Column()

    class Meta(BaseTable.Meta):
        model = ScheduleDependency
        fields = ("pk", "project", "predecessor", "successor", "lag_wd")
        default_columns = ("project", "predecessor", "successor", "lag_wd")


class BaselineTable(BaseTable):
    number = tables.Column(linkify=True)
    project = tables.Column(accessor="schedule__project", verbose_name=_("项目"))
    approved_by = tables.Column()

    class Meta(BaseTable.Meta):
        model = Baseline
        fields = (
            "pk",
            "project",
            "number",
            "approved_on",
            "approved_by",
            "target_kind",
            "target_date",
            "feasible",
            "reason",
        )
        default_columns = (
            "project",
            "number",
            "approved_on",
            "approved_by",
            "target_kind",
            "target_date",
            "reason",
        )


class ZoneMapTable(BaseTable):
    name = tables.Column(linkify=True)
    unmatched = tables.Column(verbose_name=_("未匹配"), orderable=False)

    class Meta(BaseTable.Meta):
        model = ZoneMap
        fields = (
            "pk",
            "name",
            "original_name",
            "feature_count",
            "unmatched",
            "is_active",
            "uploaded_by",
            "created",
        )
        default_columns = ("name", "original_name", "feature_count", "unmatched", "is_active", "created")

    def render_unmatched(self, value):
        return "、".join(value) if value else "—"

    def value_unmatched(self, value):
        return "、".join(value) if value else ""
