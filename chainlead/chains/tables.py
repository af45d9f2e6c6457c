"""Tables of the chains app (list pages, column chooser and Excel export)."""

import django_tables2 as tables
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from chainlead.chains.choices import (
    CHAIN_ROLE_COLORS,
    NODE_ENTERPRISE_ROLE_COLORS,
    SEGMENT_COLORS,
    STRENGTH_COLORS,
    VERIFICATION_COLORS,
)
from chainlead.chains.models import ChainNode, ChainRole, KeyChain, NodeEnterprise
from chainlead.chains.templatetags.chain_tags import url_of
from chainlead.utilities.tables import BaseTable, ChoiceBadgeColumn, WanColumn


class RelatedChoiceBadgeColumn(tables.Column):
    """A choice field of a related object (``node.segment``) as a coloured badge."""

    def __init__(self, colors: dict, *args, **kwargs):
        self.colors = colors
        super().__init__(*args, **kwargs)

    def _display(self, record, bound_column):
        path = str(bound_column.accessor).replace(".", "__").split("__")
        owner = tables.A("__".join(path[:-1])).resolve(record) if len(path) > 1 else record
        if owner is None:
            return None, None
        raw = getattr(owner, path[-1])
        return raw, getattr(owner, f"get_{path[-1]}_display")()

    def render(self, record, value, bound_column):
        raw, label = self._display(record, bound_column)
        return format_html('<span class="badge bg-{}-lt">{}</span>', self.colors.get(raw, "secondary"), label)

    def value(self, record, value, bound_column):
        return self._display(record, bound_column)[1]


class CountColumn(tables.Column):
    """A right-aligned count; zero shown as a dash so the figures that matter stand out."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("attrs", {"td": {"class": "text-end"}, "th": {"class": "text-end"}})
        kwargs.setdefault("default", 0)
        super().__init__(*args, **kwargs)

    def render(self, value):
        return value if value else "—"

    def value(self, value):
        return value or 0


class KeyChainTable(BaseTable):
    name = tables.Column(linkify=True)
    lead_department = tables.Column(linkify=True)
    verification = ChoiceBadgeColumn(VERIFICATION_COLORS)
    leaders = tables.Column(verbose_name=_("链长"), accessor="pk", orderable=False)
    node_count = CountColumn(verbose_name=_("节点数"))
    present_count = CountColumn(verbose_name=_("已有"))
    weak_count = CountColumn(verbose_name=_("薄弱"))
    missing_count = CountColumn(verbose_name=_("缺失"))
    project_count = CountColumn(verbose_name=_("项目数"))
    project_investment = WanColumn(verbose_name=_("项目总投资（亿元）"), yi=True)

    class Meta(BaseTable.Meta):
        model = KeyChain
        fields = (
            "pk",
            "name",
            "short_name",
            "code",
            "lead_department",
            "leaders",
            "verification",
            "node_count",
            "present_count",
            "weak_count",
            "missing_count",
            "project_count",
            "project_investment",
            "sort_order",
            "is_active",
            "last_updated",
        )
        default_columns = (
            "name",
            "lead_department",
            "leaders",
            "verification",
            "node_count",
            "present_count",
            "weak_count",
            "missing_count",
            "project_count",
            "project_investment",
        )

    def _leaders(self, record) -> str:
        return "、".join(r.person_name for r in record.leaders())

    def render_leaders(self, record):
        return self._leaders(record) or "—"

    def value_leaders(self, record):
        return self._leaders(record)

    def render_missing_count(self, value):
        if not value:
            return "—"
        return format_html('<span class="text-danger fw-bold">{}</span>', value)

    def render_weak_count(self, value):
        if not value:
            return "—"
        return format_html('<span class="text-warning fw-bold">{}</span>', value)


class ChainRoleTable(BaseTable):
    person_name = tables.Column(linkify=True)
    kind = ChoiceBadgeColumn(CHAIN_ROLE_COLORS)
    chain = tables.Column(linkify=True, default=_("全部产业链"))
    unit = tables.Column(linkify=True)
    user = tables.Column(linkify=True)

    class Meta(BaseTable.Meta):
        model = ChainRole
        fields = (
            "pk",
            "person_name",
            "kind",
            "chain",
            "title",
            "unit",
            "phone",
            "user",
            "sort_order",
            "last_updated",
        )
        default_columns = ("person_name", "kind", "chain", "title", "unit", "phone")


class ChainNodeTable(BaseTable):
    name = tables.Column(linkify=True)
    chain = tables.Column(linkify=True)
    segment = ChoiceBadgeColumn(SEGMENT_COLORS)
    parent = tables.Column(linkify=True, accessor="parent__name", verbose_name=_("上级环节"))
    strength = ChoiceBadgeColumn(STRENGTH_COLORS)
    industry_code = tables.Column(verbose_name=_("行业代码"))
    master_count = CountColumn(verbose_name=_("链主企业"))
    supporting_count = CountColumn(verbose_name=_("配套企业"))
    project_count = CountColumn(verbose_name=_("项目数"))
    fill_count = CountColumn(verbose_name=_("补链"))
    strengthen_count = CountColumn(verbose_name=_("强链"))
    extend_count = CountColumn(verbose_name=_("延链"))

    class Meta(BaseTable.Meta):
        model = ChainNode
        fields = (
            "pk",
            "name",
            "chain",
            "segment",
            "parent",
            "strength",
            "industry_code",
            "master_count",
            "supporting_count",
            "project_count",
            "fill_count",
            "strengthen_count",
            "extend_count",
            "sort_order",
            "last_updated",
        )
        default_columns = (
            "name",
            "chain",
            "segment",
            "parent",
            "strength",
            "industry_code",
            "master_count",
            "supporting_count",
            "project_count",
            "fill_count",
            "strengthen_count",
            "extend_count",
        )

    def render_parent(self, record, value):
        return format_html('<a href="{}">{}</a>', record.parent.get_absolute_url(), value)


class NodeEnterpriseTable(BaseTable):
    enterprise = tables.Column(accessor="enterprise__name", verbose_name=_("企业"))
    role = ChoiceBadgeColumn(NODE_ENTERPRISE_ROLE_COLORS, linkify=True)
    node = tables.Column(linkify=True, accessor="node__name", verbose_name=_("产业链节点"))
    chain = tables.Column(
        accessor="node__chain", verbose_name=_("产业链"), order_by=("node__chain__sort_order",)
    )
    segment = RelatedChoiceBadgeColumn(SEGMENT_COLORS, accessor="node__segment", verbose_name=_("环节"))
    strength = RelatedChoiceBadgeColumn(
        STRENGTH_COLORS, accessor="node__strength", verbose_name=_("本地基础")
    )
    industry_code = tables.Column(accessor="node__industry_code", verbose_name=_("行业代码"))

    class Meta(BaseTable.Meta):
        model = NodeEnterprise
        fields = (
            "pk",
            "enterprise",
            "role",
            "chain",
            "node",
            "segment",
            "strength",
            "industry_code",
            "last_updated",
        )
        default_columns = ("enterprise", "role", "chain", "node", "segment", "strength")

    def render_enterprise(self, record, value):
        url = url_of(record.enterprise)
        return format_html('<a href="{}">{}</a>', url, value) if url else value

    def render_node(self, record, value):
        return format_html('<a href="{}">{}</a>', record.node.get_absolute_url(), value)

    def render_chain(self, record, value):
        chain = record.node.chain
        return format_html('<a href="{}">{}</a>', chain.get_absolute_url(), chain)
