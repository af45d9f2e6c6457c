"""One django-tables2 Table per model (page, column chooser and Excel export)."""

from __future__ import annotations

import django_tables2 as tables
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from chainlead.supervision.choices import (
    BULLETIN_STATUS_COLORS,
    LIGHT_COLORS,
    SUBJECT_KIND_COLORS,
    LightColor,
)
from chainlead.supervision.models import Bulletin, BulletinTemplate, ConsequenceStep, Light, WarningRule
from chainlead.utilities.tables import BaseTable, ChoiceBadgeColumn

NUM = {"td": {"class": "text-end text-nowrap"}, "th": {"class": "text-end"}}


class LightColumn(tables.Column):
    """The effective colour as a dot + label (an excused light shows green with a mark)."""

    def render(self, record):
        color = record.effective_color
        mark = (
            format_html(
                ' <span class="badge bg-secondary-lt" title="{}">{}</span>', record.excuse_reason, _("免亮")
            )
            if record.excused
            else ""
        )
        return format_html(
            '<span class="badge bg-{} text-{}-fg light-{}">{}</span>{}',
            LIGHT_COLORS[LightColor(color)],
            LIGHT_COLORS[LightColor(color)],
            color,
            LightColor(color).label,
            mark,
        )

    def value(self, record):
        return str(LightColor(record.effective_color).label) + ("（免亮）" if record.excused else "")


class WarningRuleTable(BaseTable):
    code = tables.Column(linkify=True)
    name = tables.Column(linkify=True)
    thresholds = tables.Column(verbose_name=_("阈值"), orderable=False, empty_values=())

    class Meta(BaseTable.Meta):
        model = WarningRule
        fields = ("pk", "code", "name", "applies_to", "thresholds", "measure", "source", "is_active")

    def render_thresholds(self, record):
        return record.thresholds_text

    def value_thresholds(self, record):
        return record.thresholds_text


class ConsequenceStepTable(BaseTable):
    color = ChoiceBadgeColumn(LIGHT_COLORS)
    measure = tables.Column(linkify=True)

    class Meta(BaseTable.Meta):
        model = ConsequenceStep
        fields = ("pk", "sort_order", "color", "min_streak", "measure", "by_whom", "is_active")


class BulletinTemplateTable(BaseTable):
    name = tables.Column(linkify=True)

    class Meta(BaseTable.Meta):
        model = BulletinTemplate
        fields = ("pk", "name", "is_default", "issuer", "issuer_code", "addressee")


class LightTable(BaseTable):
    subject_name = tables.Column(linkify=True, verbose_name=_("对象"))
    subject_kind = ChoiceBadgeColumn(SUBJECT_KIND_COLORS)
    period = tables.Column(accessor="period__start", verbose_name=_("调度期"), order_by=("period__start",))
    color = LightColumn(verbose_name=_("灯色"), order_by=("color",))
    value = tables.Column(verbose_name=_("差距"), attrs=NUM)
    history = tables.Column(
        verbose_name=_("历史"), orderable=False, empty_values=(), exclude_from_export=True
    )

    class Meta(BaseTable.Meta):
        model = Light
        fields = (
            "pk",
            "subject_name",
            "subject_kind",
            "responsible_unit",
            "period",
            "component",
            "color",
            "reason",
            "value",
            "previous_color",
            "streak",
            "is_frozen",
            "excused",
            "excuse_reason",
            "history",
        )
        default_columns = (
            "subject_name",
            "subject_kind",
            "responsible_unit",
            "period",
            "component",
            "color",
            "reason",
            "value",
            "previous_color",
            "history",
        )

    def render_period(self, record):
        return record.period.short_label

    def value_period(self, record):
        return str(record.period.short_label)

    def render_value(self, value):
        return f"{value:f}" if value is not None else "—"

    def render_history(self, record):
        return format_html('<a href="{}">{}</a>', record.history_url, _("历史"))

    def render_reason(self, value):
        return value if len(value) <= 40 else value[:40] + "…"


class BulletinTable(BaseTable):
    title = tables.Column(linkify=True, verbose_name=_("标题"), empty_values=())
    doc = tables.Column(verbose_name=_("发文字号"), empty_values=(), orderable=False)
    period = tables.Column(accessor="period__start", verbose_name=_("调度期"), order_by=("period__start",))
    status = ChoiceBadgeColumn(BULLETIN_STATUS_COLORS)

    class Meta(BaseTable.Meta):
        model = Bulletin
        fields = (
            "pk",
            "doc",
            "issue_no",
            "title",
            "period",
            "scope_kind",
            "status",
            "issued_on",
            "generated_at",
        )

    def render_title(self, record):
        return record.title or str(record)

    def render_doc(self, record):
        return record.doc_number if record.is_issued else "—"

    def value_doc(self, record):
        return record.doc_number if record.is_issued else ""

    def render_period(self, record):
        return record.period.label

    def value_period(self, record):
        return str(record.period.label)

    def render_issue_no(self, record):
        return record.issue_label or "—"
