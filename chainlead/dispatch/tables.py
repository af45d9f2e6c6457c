"""One django-tables2 Table per model (page, column chooser and Excel export)."""

from __future__ import annotations

import django_tables2 as tables
from django.utils import timezone
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from chainlead.dispatch.choices import (
    DECISION_STATUS_COLORS,
    FACTOR_STATUS_COLORS,
    FACTOR_UNITS,
    FREQUENCY_COLORS,
    MEETING_STATUS_COLORS,
    PERIOD_STATUS_COLORS,
    PROBLEM_LEVEL_COLORS,
    PROBLEM_STATUS_COLORS,
    REPORT_STATUS_COLORS,
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
from chainlead.utilities.tables import BaseTable, ChoiceBadgeColumn, WanColumn

NUM = {"td": {"class": "text-end text-nowrap"}, "th": {"class": "text-end"}}


def _moment(value) -> str:
    return timezone.localtime(value).strftime("%Y-%m-%d %H:%M") if value else "—"


class MomentColumn(tables.Column):
    """A timestamp in local time, minutes precision."""

    def render(self, value):
        return _moment(value)

    def value(self, value):
        return _moment(value) if value else ""


class ReportingCycleTable(BaseTable):
    name = tables.Column(linkify=True)
    frequency = ChoiceBadgeColumn(FREQUENCY_COLORS)
    deadline_rule = tables.Column(verbose_name=_("截止规则"), orderable=False, empty_values=())

    class Meta(BaseTable.Meta):
        model = ReportingCycle
        fields = (
            "pk",
            "name",
            "item_kind",
            "frequency",
            "deadline_rule",
            "remind_workdays",
            "starts_on",
            "is_active",
        )

    def render_deadline_rule(self, record):
        return record.deadline_rule

    def value_deadline_rule(self, record):
        return record.deadline_rule


class PeriodTable(BaseTable):
    label = tables.Column(verbose_name=_("调度期"), linkify=True, order_by=("start",), empty_values=())
    cycle = tables.Column(linkify=True)
    due_at = MomentColumn()
    status = ChoiceBadgeColumn(PERIOD_STATUS_COLORS)

    class Meta(BaseTable.Meta):
        model = Period
        fields = ("pk", "label", "cycle", "start", "end", "due_at", "status", "closed_at")

    def render_label(self, record):
        return record.label

    def value_label(self, record):
        return record.label

    def render_closed_at(self, value):
        return _moment(value)


class ProgressReportTable(BaseTable):
    item = tables.Column(
        verbose_name=_("项目/攻坚目标"),
        accessor="pk",
        order_by=("project__name", "target__title"),
        linkify=lambda record: record.get_absolute_url(),
    )
    period = tables.Column(verbose_name=_("调度期"), order_by=("period__start",))
    responsible_unit = tables.Column()
    period_completed = tables.Column(attrs=NUM)
    ytd_completed = tables.Column(attrs=NUM)
    since_start_completed = tables.Column(attrs=NUM)
    annual_plan = tables.Column(attrs=NUM)
    plan_rate = tables.Column(verbose_name=_("完成率"), accessor="pk", orderable=False, attrs=NUM)
    progress_percent = tables.Column(attrs=NUM)
    status = ChoiceBadgeColumn(REPORT_STATUS_COLORS)
    is_late = tables.BooleanColumn()
    submitted_at = MomentColumn()
    submitted_by = tables.Column()
    reviewed_by = tables.Column()

    class Meta(BaseTable.Meta):
        model = ProgressReport
        fields = (
            "pk",
            "item",
            "period",
            "responsible_unit",
            "period_completed",
            "ytd_completed",
            "since_start_completed",
            "annual_plan",
            "plan_rate",
            "progress_percent",
            "progress_text",
            "status",
            "is_late",
            "submitted_at",
            "submitted_by",
            "reviewed_by",
            "return_reason",
        )
        default_columns = (
            "item",
            "period",
            "responsible_unit",
            "period_completed",
            "ytd_completed",
            "plan_rate",
            "status",
            "is_late",
            "submitted_at",
        )

    def render_item(self, record):
        return str(record.item)

    def value_item(self, record):
        return str(record.item)

    def render_period(self, record):
        return record.period.short_label

    def value_period(self, record):
        return record.period.label

    def _num(self, value):
        return f"{value:,.2f}"

    def render_period_completed(self, value):
        return self._num(value)

    def render_ytd_completed(self, value):
        return self._num(value)

    def render_since_start_completed(self, value):
        return self._num(value)

    def render_annual_plan(self, value):
        return self._num(value)

    def render_plan_rate(self, record):
        rate = record.plan_rate
        return f"{rate}%" if rate is not None else "—"

    def value_plan_rate(self, record):
        return record.plan_rate

    def render_progress_text(self, value):
        return value if len(value) <= 30 else value[:30] + "…"

    def value_progress_text(self, value):
        return value


class TotalInvestmentChangeTable(BaseTable):
    project = tables.Column(linkify=lambda record: record.get_absolute_url())
    old_total = WanColumn()
    new_total = WanColumn()

    class Meta(BaseTable.Meta):
        model = TotalInvestmentChange
        fields = ("pk", "project", "old_total", "new_total", "filed_on", "document_no", "reason")


class ProblemTable(BaseTable):
    number = tables.Column(linkify=True)
    title = tables.Column(linkify=True)
    status = ChoiceBadgeColumn(PROBLEM_STATUS_COLORS)
    level = ChoiceBadgeColumn(PROBLEM_LEVEL_COLORS)
    overdue = tables.Column(verbose_name=_("超期"), accessor="pk", orderable=False, empty_values=())
    item = tables.Column(
        verbose_name=_("项目/攻坚目标"),
        accessor="pk",
        order_by=("project__name", "target__title"),
        empty_values=(),
    )

    class Meta(BaseTable.Meta):
        model = Problem
        fields = (
            "pk",
            "number",
            "title",
            "category",
            "status",
            "level",
            "item",
            "raised_by_unit",
            "lead_unit",
            "raised_on",
            "due_on",
            "overdue",
            "supervision_no",
            "resolved_on",
        )
        default_columns = (
            "number",
            "title",
            "category",
            "status",
            "level",
            "item",
            "raised_by_unit",
            "lead_unit",
            "due_on",
            "overdue",
        )

    def render_overdue(self, record):
        if record.is_overdue:
            return format_html('<span class="badge bg-red-lt">{}</span>', _("已超期"))
        return ""

    def value_overdue(self, record):
        return _("已超期") if record.is_overdue else ""

    def render_item(self, record):
        item = record.item
        return str(item) if item else "—"

    def value_item(self, record):
        return str(record.item or "")


class FactorRequestTable(BaseTable):
    project = tables.Column(linkify=lambda record: record.get_absolute_url())
    amount_requested = tables.Column(attrs=NUM)
    amount_granted = tables.Column(attrs=NUM)
    measure = tables.Column(verbose_name=_("单位"), accessor="kind", orderable=False)
    status = ChoiceBadgeColumn(FACTOR_STATUS_COLORS)
    chain = tables.Column(verbose_name=_("产业链"), accessor="project__chain__name")
    zone = tables.Column(verbose_name=_("片区/战区"), accessor="project__area__name")

    class Meta(BaseTable.Meta):
        model = FactorRequest
        fields = (
            "pk",
            "project",
            "kind",
            "amount_requested",
            "amount_granted",
            "measure",
            "department",
            "status",
            "requested_on",
            "granted_on",
            "chain",
            "zone",
        )

    def render_amount_requested(self, value):
        return f"{value:,.2f}"

    def render_amount_granted(self, value):
        return f"{value:,.2f}"

    def render_measure(self, value):
        return FACTOR_UNITS.get(value, "")

    def value_measure(self, value):
        return str(FACTOR_UNITS.get(value, ""))


class DispatchMeetingTable(BaseTable):
    title = tables.Column(linkify=True)
    status = ChoiceBadgeColumn(MEETING_STATUS_COLORS)
    decision_count = tables.Column(verbose_name=_("议定事项"), attrs=NUM)
    open_count = tables.Column(verbose_name=_("落实中"), attrs=NUM)

    class Meta(BaseTable.Meta):
        model = DispatchMeeting
        fields = (
            "pk",
            "title",
            "kind",
            "held_on",
            "chair",
            "location",
            "status",
            "decision_count",
            "open_count",
        )


class DecisionTable(BaseTable):
    meeting = tables.Column(linkify=True)
    content = tables.Column(linkify=lambda record: record.get_absolute_url())
    status = ChoiceBadgeColumn(DECISION_STATUS_COLORS)
    overdue = tables.Column(verbose_name=_("超期"), accessor="pk", orderable=False, empty_values=())
    carried_from = tables.Column(verbose_name=_("延续自"), accessor="carried_from__meeting__title")

    class Meta(BaseTable.Meta):
        model = Decision
        fields = (
            "pk",
            "meeting",
            "number",
            "content",
            "owner_unit",
            "deadline",
            "status",
            "overdue",
            "done_on",
            "progress",
            "carried_from",
        )
        default_columns = (
            "meeting",
            "number",
            "content",
            "owner_unit",
            "deadline",
            "status",
            "overdue",
            "done_on",
        )

    def render_content(self, value):
        return value if len(value) <= 40 else value[:40] + "…"

    def value_content(self, value):
        return value

    def render_overdue(self, record):
        if record.is_overdue:
            return format_html('<span class="badge bg-red-lt">{}</span>', _("已超期"))
        return ""

    def value_overdue(self, record):
        return _("已超期") if record.is_overdue else ""

    def render_progress(self, value):
        return value if len(value) <= 30 else value[:30] + "…"
