"""One django-tables2 Table per model (page, column chooser and Excel export)."""

from __future__ import annotations

import django_tables2 as tables
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from chainlead.assessment.choices import (
    GROUP_KIND_COLORS,
    RANKING_STATUS_COLORS,
    SCHEME_STATUS_COLORS,
    SCORING_MODE_COLORS,
    SOURCE_COLORS,
)
from chainlead.assessment.models import Adjustment, Indicator, IndicatorGroup, Ranking, Scheme
from chainlead.assessment.texts import num
from chainlead.utilities.tables import BaseTable, ChoiceBadgeColumn

NUM = {"td": {"class": "text-end text-nowrap"}, "th": {"class": "text-end"}}


class NumberColumn(tables.Column):
    def __init__(self, *args, **kwargs):
        kwargs.setdefault("attrs", NUM)
        super().__init__(*args, **kwargs)

    def render(self, value):
        return num(value)


class SchemeTable(BaseTable):
    name = tables.Column(linkify=True)
    revision = tables.Column()
    status = ChoiceBadgeColumn(SCHEME_STATUS_COLORS)
    total = NumberColumn()
    indicator_count = tables.Column(
        verbose_name=_("指标数"), accessor="indicator_count", attrs=NUM, orderable=False
    )

    class Meta(BaseTable.Meta):
        model = Scheme
        fields = (
            "pk",
            "name",
            "code",
            "revision",
            "status",
            "total",
            "indicator_count",
            "published_at",
            "last_updated",
        )


class IndicatorGroupTable(BaseTable):
    name = tables.Column(linkify=True)
    scheme = tables.Column(linkify=True)
    kind = ChoiceBadgeColumn(GROUP_KIND_COLORS)
    weight = NumberColumn()

    class Meta(BaseTable.Meta):
        model = IndicatorGroup
        fields = ("pk", "name", "code", "scheme", "kind", "weight", "sort_order")


class IndicatorTable(BaseTable):
    name = tables.Column(linkify=True)
    scheme = tables.Column(linkify=True)
    group = tables.Column()
    weight = NumberColumn()
    mode = ChoiceBadgeColumn(SCORING_MODE_COLORS)
    source = ChoiceBadgeColumn(SOURCE_COLORS)
    target = NumberColumn()
    formula = tables.Column(
        verbose_name=_("计分公式"), accessor="formula_text", orderable=False, empty_values=()
    )

    class Meta(BaseTable.Meta):
        model = Indicator
        fields = (
            "pk",
            "name",
            "code",
            "scheme",
            "group",
            "weight",
            "mode",
            "target",
            "value_unit",
            "source",
            "formula",
        )
        default_columns = (
            "name",
            "scheme",
            "group",
            "weight",
            "mode",
            "target",
            "value_unit",
            "source",
            "formula",
        )

    def render_formula(self, record):
        return record.formula_text()

    def value_formula(self, record):
        return record.formula_text()


class RankingTable(BaseTable):
    label = tables.Column(linkify=True)
    subject_kind = tables.Column()
    status = ChoiceBadgeColumn(RANKING_STATUS_COLORS)
    scheme = tables.Column(linkify=True)

    class Meta(BaseTable.Meta):
        model = Ranking
        fields = (
            "pk",
            "label",
            "subject_kind",
            "period_kind",
            "period_start",
            "period_end",
            "scheme",
            "status",
            "computed_at",
            "published_at",
        )


class AdjustmentTable(BaseTable):
    subject = tables.Column(verbose_name=_("考核对象"), accessor="item__score__name")
    indicator = tables.Column(verbose_name=_("考核指标"), accessor="item__indicator__name")
    ranking = tables.Column(verbose_name=_("考核排名"), accessor="item__score__ranking", linkify=True)
    old_score = NumberColumn()
    new_score = NumberColumn()
    reason = tables.Column()
    by = tables.Column()
    created = tables.Column(verbose_name=_("调整时间"))

    class Meta(BaseTable.Meta):
        model = Adjustment
        fields = (
            "pk",
            "ranking",
            "subject",
            "indicator",
            "old_score",
            "new_score",
            "reason",
            "by",
            "created",
        )

    def render_reason(self, value):
        return format_html('<span class="text-wrap">{}</span>', value)
