"""Tables of the enterprises app (list pages, column chooser and Excel export)."""

from __future__ import annotations

import django_tables2 as tables
from django.utils.formats import date_format
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from chainlead.enterprises.choices import STATS_STATUS_COLORS, SourceTag, StatsCategory
from chainlead.enterprises.models import Contact, Enterprise, EnterpriseRevenue, StatsThreshold
from chainlead.enterprises.templatetags.enterprise_tags import source_tag_badges
from chainlead.utilities.money import format_wan
from chainlead.utilities.tables import BaseTable, ChoiceBadgeColumn, WanColumn

_TAG_LABELS = dict(SourceTag.choices)


class SourceTagsColumn(tables.Column):
    """The source-tag list as coloured badges on screen and as “上市公司、外资” in the export."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("orderable", False)
        super().__init__(*args, **kwargs)

    def render(self, value):
        return source_tag_badges(value)

    def value(self, value):
        return "、".join(str(_TAG_LABELS.get(t, t)) for t in value or [])


#: Short names of the 四上 categories for narrow table cells (the export keeps the full name).
CATEGORY_SHORT = {
    StatsCategory.INDUSTRY: _("规上工业"),
    StatsCategory.CONSTRUCTION: _("资质建筑业"),
    StatsCategory.WHOLESALE: _("限上批发"),
    StatsCategory.RETAIL: _("限上零售"),
    StatsCategory.HOTEL_CATERING: _("限上住餐"),
    StatsCategory.REAL_ESTATE: _("房地产开发"),
    StatsCategory.SERVICE_A: _("规上服务业（交通信息）"),
    StatsCategory.SERVICE_B: _("规上服务业（商务科研）"),
    StatsCategory.SERVICE_C: _("规上服务业（居民文体）"),
}


class CategoryColumn(tables.Column):
    """The 四上 category by its short name, the full name as a tooltip and in the export."""

    def render(self, record, value):
        code = getattr(record, "stats_category", "")
        return format_html('<span title="{}">{}</span>', value, CATEGORY_SHORT.get(code, value))

    def value(self, value):
        return value


class MonthColumn(tables.Column):
    """A date that stands for a month (the 1st), shown as “2021年11月”; exported as a date."""

    def render(self, value):
        return date_format(value, "YEAR_MONTH_FORMAT")

    def value(self, value):
        return value


class DefaultColumnsMixin:
    """Show ``Meta.default_columns`` until the user chooses.

    django-tables2 drops unknown ``Meta`` options, so ``BaseTable`` never sees
    ``default_columns`` through ``self._meta``; read it from the class's own ``Meta``."""

    def __init__(self, *args, selected_columns=None, **kwargs):
        default = getattr(type(self).Meta, "default_columns", None)
        super().__init__(*args, selected_columns=selected_columns or default, **kwargs)


class EnterpriseTable(DefaultColumnsMixin, BaseTable):
    name = tables.Column(linkify=True)
    source_tags = SourceTagsColumn()
    stats_category = CategoryColumn()
    stats_status = ChoiceBadgeColumn(STATS_STATUS_COLORS)
    stats_entered_on = MonthColumn()
    registered_capital = WanColumn()
    responsible_unit = tables.Column(linkify=True)

    class Meta(BaseTable.Meta):
        model = Enterprise
        fields = (
            "pk",
            "name",
            "credit_code",
            "source_tags",
            "stats_category",
            "stats_status",
            "stats_entered_on",
            "responsible_unit",
            "registered_capital",
            "industry",
            "industry_code",
            "legal_representative",
            "established_on",
            "address",
            "hq_city",
            "last_updated",
        )
        default_columns = (
            "name",
            "credit_code",
            "source_tags",
            "stats_category",
            "stats_status",
            "responsible_unit",
            "registered_capital",
        )


class EnterpriseRevenueTable(DefaultColumnsMixin, BaseTable):
    enterprise = tables.Column(linkify=True)
    period = MonthColumn(linkify=("enterprises:enterpriserevenue_detail", [tables.A("pk")]))
    revenue_ytd = WanColumn()

    class Meta(BaseTable.Meta):
        model = EnterpriseRevenue
        fields = ("pk", "enterprise", "period", "revenue_ytd", "employees", "source", "last_updated")
        default_columns = ("enterprise", "period", "revenue_ytd", "employees", "source")


class StatsThresholdTable(DefaultColumnsMixin, BaseTable):
    category = tables.Column(linkify=True)
    threshold = WanColumn(default=_("无收入门槛"))

    class Meta(BaseTable.Meta):
        model = StatsThreshold
        fields = ("pk", "category", "threshold", "basis", "valid_from", "valid_to", "source", "last_updated")
        default_columns = ("category", "threshold", "basis", "valid_from", "valid_to", "source")


class ContactTable(DefaultColumnsMixin, BaseTable):
    name = tables.Column(linkify=("enterprises:contact_detail", [tables.A("pk")]))
    enterprise = tables.Column(linkify=True)

    class Meta(BaseTable.Meta):
        model = Contact
        fields = ("pk", "name", "enterprise", "title", "phone", "email", "is_primary", "last_updated")
        default_columns = ("name", "enterprise", "title", "phone", "email", "is_primary")


class StatsCandidateTable(tables.Table):
    """The monthly 纳统 candidates (an annotated Enterprise queryset from
    ``services.stats_candidates``)."""

    name = tables.Column(verbose_name=_("企业"), linkify=True)
    stats_category = CategoryColumn(verbose_name=_("四上类别"))
    threshold = WanColumn(verbose_name=_("门槛（万元）"), default=_("无收入门槛"))
    ytd_revenue = WanColumn(verbose_name=_("本年累计营业收入（万元）"))
    reported_month = MonthColumn(verbose_name=_("填报月份"))
    excess = WanColumn(verbose_name=_("超出门槛（万元）"), default=_("须核实资质"))
    responsible_unit = tables.Column(verbose_name=_("服务单位"), linkify=True)

    class Meta:
        attrs = {"class": "table table-vcenter card-table table-striped table-hover text-nowrap"}
        template_name = "chainlead/table.html"
        order_by = ("-excess",)

    def render_excess(self, value, record):
        if not record.threshold:
            return format_wan(value)
        share = value / record.threshold * 100
        return format_html(
            '{} <span class="text-secondary small">（+{}%）</span>', format_wan(value), f"{share:.0f}"
        )
