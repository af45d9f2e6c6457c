"""Tables of the projects app."""

import django_tables2 as tables
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from chainlead.projects.choices import LEVEL_COLORS, PURPOSE_COLORS, STAGE_COLORS
from chainlead.projects.models import ContactRecord, KeyProject, StageChange, StageEvidence
from chainlead.utilities.tables import BaseTable, ChoiceBadgeColumn, WanColumn


class KeyProjectTable(BaseTable):
    name = tables.Column(linkify=True)
    stage = ChoiceBadgeColumn(STAGE_COLORS)
    chain = tables.Column(linkify=True)
    chain_node = tables.Column(verbose_name=_("节点"), accessor="chain_node__name")
    purpose = ChoiceBadgeColumn(PURPOSE_COLORS)
    level = ChoiceBadgeColumn(LEVEL_COLORS)
    area = tables.Column()
    investor = tables.Column(
        verbose_name=_("投资/建设企业"),
        accessor="enterprise__name",
        order_by=("enterprise__name", "investor_name"),
    )
    total_investment = WanColumn()
    annual_plan = WanColumn()
    contracted_investment = WanColumn()
    intended_investment = WanColumn()
    expected_output = WanColumn()
    expected_tax = WanColumn()
    responsible_unit = tables.Column()

    class Meta(BaseTable.Meta):
        model = KeyProject
        fields = (
            "pk",
            "name",
            "project_code",
            "stage",
            "chain",
            "chain_node",
            "purpose",
            "level",
            "project_type",
            "investment_nature",
            "area",
            "investor",
            "total_investment",
            "annual_plan",
            "intended_investment",
            "contracted_investment",
            "expected_output",
            "expected_tax",
            "jobs",
            "land_mu",
            "responsible_leader",
            "responsible_unit",
            "responsible_person",
            "responsible_phone",
            "negotiating_on",
            "signed_on",
            "registered_on",
            "started_on",
            "completed_on",
            "production_on",
            "fai_in_db",
            "enterprise_in_stats",
            "address",
            "last_updated",
        )
        default_columns = (
            "name",
            "stage",
            "chain",
            "purpose",
            "area",
            "investor",
            "total_investment",
            "responsible_leader",
            "responsible_unit",
            "negotiating_on",
            "started_on",
        )

    def render_investor(self, record, value):
        return value or record.investor_name or "—"

    def value_investor(self, record, value):
        return value or record.investor_name


class ContactRecordTable(BaseTable):
    date = tables.DateColumn(format="Y-m-d", linkify=lambda record: record.project.get_absolute_url())
    project = tables.Column(linkify=True)

    class Meta(BaseTable.Meta):
        model = ContactRecord
        fields = ("pk", "date", "project", "kind", "participants", "summary")
        default_columns = ("date", "project", "kind", "participants", "summary")

    def render_summary(self, value):
        return value if len(value) <= 60 else value[:60] + "…"


class StageChangeTable(BaseTable):
    pk = None
    project = tables.Column(linkify=True)
    from_stage = ChoiceBadgeColumn(STAGE_COLORS)
    to_stage = ChoiceBadgeColumn(STAGE_COLORS)
    on = tables.DateColumn(format="Y-m-d")
    by = tables.Column()

    class Meta(BaseTable.Meta):
        model = StageChange
        fields = ("project", "from_stage", "to_stage", "on", "is_correction", "reason", "by", "created")


class StageEvidenceTable(BaseTable):
    pk = None
    original_name = tables.Column(verbose_name=_("文件"))
    project = tables.Column(linkify=True)
    stage = ChoiceBadgeColumn(STAGE_COLORS)

    class Meta(BaseTable.Meta):
        model = StageEvidence
        fields = (
            "project",
            "stage",
            "kind",
            "original_name",
            "description",
            "captured_at",
            "uploaded_by",
            "created",
        )

    def render_original_name(self, record, value):
        return format_html('<a href="{}">{}</a>', record.get_absolute_url(), value or record.file.name)
