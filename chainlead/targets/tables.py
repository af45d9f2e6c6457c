"""Tables of the targets app."""

import django_tables2 as tables
from django.urls import NoReverseMatch, reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from chainlead.projects.choices import STAGE_COLORS
from chainlead.targets.choices import TARGET_STATUS_COLORS
from chainlead.targets.formatting import format_quantity, format_rate
from chainlead.targets.models import AttackTarget, Campaign, TargetMonthPlan, TargetProject
from chainlead.utilities.tables import BaseTable, WanColumn

NUMBER_ATTRS = {"td": {"class": "text-end"}, "th": {"class": "text-end"}}
WRAP_ATTRS = {"td": {"class": "text-wrap", "style": "min-width:13rem;max-width:26rem"}}
NARROW_WRAP_ATTRS = {"td": {"class": "text-wrap", "style": "min-width:8rem;max-width:14rem"}}


def safe_url(obj) -> str | None:
    """``obj.get_absolute_url()``, or None while the other app has no such page yet."""
    try:
        return obj.get_absolute_url()
    except NoReverseMatch:
        return None


def status_badge(target) -> str:
    """The status badge; an overdue target reads "逾期" in red whatever its status."""
    if target.is_overdue:
        return format_html(
            '<span class="badge bg-red text-red-fg" title="{}" data-overdue>{}</span>',
            target.get_status_display(),
            _("逾期"),
        )
    if target.is_done_late:
        return format_html(
            '<span class="badge bg-orange-lt" title="{}" data-done-late>{}</span>',
            target.get_status_display(),
            _("逾期完成"),
        )
    return format_html(
        '<span class="badge bg-{}-lt">{}</span>',
        TARGET_STATUS_COLORS.get(target.status, "secondary"),
        target.get_status_display(),
    )


def status_text(target) -> str:
    if target.is_overdue:
        return "{}（{}）".format(_("逾期"), target.get_status_display())
    if target.is_done_late:
        return str(_("逾期完成"))
    return str(target.get_status_display())


class CampaignTable(BaseTable):
    name = tables.Column(linkify=True)
    area = tables.Column(linkify=False)
    target_count = tables.Column(verbose_name=_("攻坚目标数"), attrs=NUMBER_ATTRS)
    done_count = tables.Column(verbose_name=_("已完成"), attrs=NUMBER_ATTRS)
    overdue_count = tables.Column(verbose_name=_("逾期"), attrs=NUMBER_ATTRS)

    class Meta(BaseTable.Meta):
        model = Campaign
        fields = (
            "pk",
            "name",
            "area",
            "year",
            "target_count",
            "done_count",
            "overdue_count",
            "sort_order",
            "description",
            "last_updated",
        )
        default_columns = ("name", "area", "year", "target_count", "done_count", "overdue_count")

    def render_overdue_count(self, value):
        if value:
            return format_html('<span class="text-red fw-bold">{}</span>', value)
        return value


class AttackTargetTable(BaseTable):
    number = tables.Column(verbose_name=_("序号"), attrs=NUMBER_ATTRS)
    title = tables.Column(linkify=True, attrs=WRAP_ATTRS)
    battle_zone = tables.Column(order_by=("battle_zone__sort_order", "battle_zone__name", "number"))
    area = tables.Column(
        verbose_name=_("片区"), accessor="battle_zone__parent", order_by=("battle_zone__parent__name",)
    )
    campaign = tables.Column(
        verbose_name=_("攻坚战"),
        accessor="campaign__name",
        order_by=("campaign__sort_order", "campaign__name"),
    )
    goal = tables.Column(verbose_name=_("目标值"), accessor="goal_value", attrs=NUMBER_ATTRS)
    actual_value = tables.Column(attrs=NUMBER_ATTRS)
    completion = tables.Column(
        verbose_name=_("完成率"), accessor="completion", attrs=NUMBER_ATTRS, empty_values=()
    )
    deadline = tables.DateColumn(format="Y-m-d")
    status = tables.Column(empty_values=())
    done_on = tables.DateColumn(format="Y-m-d")
    responsibility = tables.Column(
        verbose_name=_("责任领导/单位/人"), empty_values=(), orderable=False, attrs=NARROW_WRAP_ATTRS
    )
    responsible_leader = tables.Column()
    responsible_unit = tables.Column()
    responsible_person = tables.Column()
    responsible_phone = tables.Column()

    class Meta(BaseTable.Meta):
        model = AttackTarget
        fields = (
            "pk",
            "number",
            "title",
            "battle_zone",
            "area",
            "campaign",
            "goal",
            "actual_value",
            "completion",
            "deadline",
            "status",
            "done_on",
            "responsibility",
            "responsible_leader",
            "responsible_unit",
            "responsible_person",
            "responsible_phone",
            "measures",
            "last_updated",
        )
        default_columns = (
            "number",
            "title",
            "battle_zone",
            "campaign",
            "goal",
            "actual_value",
            "completion",
            "deadline",
            "status",
            "responsibility",
        )

    def render_goal(self, record):
        return format_html(
            "{} <span class='text-secondary'>{}</span>", format_quantity(record.goal_value), record.goal_unit
        )

    def value_goal(self, record):
        return f"{format_quantity(record.goal_value)}{record.goal_unit}"

    def render_actual_value(self, record):
        return format_quantity(record.actual_value)

    def value_actual_value(self, record):
        return record.actual_value

    def render_completion(self, record):
        return format_rate(record.completion_rate)

    def value_completion(self, record):
        return record.completion_rate

    def render_status(self, record):
        return status_badge(record)

    def value_status(self, record):
        return status_text(record)

    def render_responsibility(self, record):
        # Leader · person on one line, the unit (short name) under it: fits a narrow column.
        return format_html(
            "{} · {}<br><span class='text-secondary small'>{}</span>",
            record.responsible_leader or "—",
            record.responsible_person or "—",
            record.responsible_unit.short_name or record.responsible_unit,
        )

    def value_responsibility(self, record):
        return " / ".join(
            [record.responsible_leader or "—", str(record.responsible_unit), record.responsible_person or "—"]
        )


class TargetMonthPlanTable(BaseTable):
    target = tables.Column(linkify=True, attrs=WRAP_ATTRS)
    battle_zone = tables.Column(verbose_name=_("战区"), accessor="target__battle_zone")
    month = tables.DateColumn(
        format="Y-m", linkify=lambda record: reverse("targets:targetmonthplan_detail", args=[record.pk])
    )
    planned_value = tables.Column(attrs=NUMBER_ATTRS)
    actual_value = tables.Column(attrs=NUMBER_ATTRS)

    class Meta(BaseTable.Meta):
        model = TargetMonthPlan
        fields = (
            "pk",
            "target",
            "battle_zone",
            "month",
            "planned_value",
            "actual_value",
            "milestone",
            "last_updated",
        )
        default_columns = ("target", "battle_zone", "month", "planned_value", "actual_value", "milestone")

    def render_planned_value(self, value):
        return format_quantity(value)

    def render_actual_value(self, value):
        return format_quantity(value)


class TargetProjectTable(BaseTable):
    target = tables.Column(linkify=True, attrs=WRAP_ATTRS)
    battle_zone = tables.Column(verbose_name=_("战区"), accessor="target__battle_zone")
    project = tables.Column(attrs=WRAP_ATTRS)
    stage = tables.Column(verbose_name=_("阶段"), accessor="project__stage")
    total_investment = WanColumn(verbose_name=_("总投资（万元）"), accessor="project__total_investment")

    class Meta(BaseTable.Meta):
        model = TargetProject
        fields = ("pk", "target", "battle_zone", "project", "stage", "total_investment", "created")
        default_columns = ("target", "battle_zone", "project", "stage", "total_investment")

    def render_project(self, record):
        url = safe_url(record.project)
        if url:
            return format_html('<a href="{}">{}</a>', url, record.project)
        return str(record.project)

    def render_stage(self, record):
        return format_html(
            '<span class="badge bg-{}-lt">{}</span>',
            STAGE_COLORS.get(record.project.stage, "secondary"),
            record.project.get_stage_display(),
        )

    def value_stage(self, record):
        return record.project.get_stage_display()
