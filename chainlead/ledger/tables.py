"""Tables of the ledger app."""

import django_tables2 as tables
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from chainlead.ledger.choices import BATCH_STATUS_COLORS
from chainlead.ledger.models import ColumnMapping, FieldSynonym, ImportBatch
from chainlead.utilities.tables import BaseTable, ChoiceBadgeColumn


class FieldSynonymTable(BaseTable):
    text = tables.Column(linkify=True)
    field = tables.Column()

    class Meta(BaseTable.Meta):
        model = FieldSynonym
        fields = ("pk", "text", "field", "last_updated")
        default_columns = ("text", "field", "last_updated")

    def value_field(self, record):
        return record.get_field_display()

    def render_field(self, record):
        return record.get_field_display()


class ColumnMappingTable(BaseTable):
    sheet_name = tables.Column(linkify=lambda record: record.get_absolute_url())
    headers = tables.Column(verbose_name=_("列映射"), orderable=False)
    confirmed_by = tables.Column()

    class Meta(BaseTable.Meta):
        model = ColumnMapping
        fields = ("pk", "sheet_name", "headers", "confirmed_by", "confirmed_at", "use_count")

    def render_headers(self, record):
        pairs = [f"{h or '—'} → {f}" for h, f in record.field_labels() if f != "—"]
        text = "；".join(pairs)
        return text if len(text) <= 80 else text[:80] + "…"

    def value_headers(self, record):
        return "；".join(f"{h or '—'} → {f}" for h, f in record.field_labels())


class ImportBatchTable(BaseTable):
    pk = None
    original_name = tables.Column(linkify=True)
    status = ChoiceBadgeColumn(BATCH_STATUS_COLORS)
    created_by = tables.Column()
    counts = tables.Column(verbose_name=_("新增/更新/无变化"), empty_values=(), orderable=False)

    class Meta(BaseTable.Meta):
        model = ImportBatch
        fields = (
            "original_name",
            "status",
            "row_count",
            "counts",
            "error_count",
            "warning_count",
            "created_by",
            "unit",
            "created",
            "committed_at",
        )

    def render_counts(self, record):
        return format_html(
            '<span class="text-green">{}</span> / <span class="text-blue">{}</span> / {}',
            record.created_count,
            record.updated_count,
            record.unchanged_count,
        )

    def value_counts(self, record):
        return f"{record.created_count}/{record.updated_count}/{record.unchanged_count}"
