"""One FilterSet per model: the list page, the API and the Excel export share them."""

from __future__ import annotations

import django_filters
from django.utils.translation import gettext_lazy as _

from chainlead.ledger.choices import BatchStatus
from chainlead.ledger.models import FIELD_CHOICES, ColumnMapping, FieldSynonym, ImportBatch
from chainlead.utilities.filtersets import BaseFilterSet


class FieldSynonymFilterSet(BaseFilterSet):
    search_fields = ("text",)
    field = django_filters.MultipleChoiceFilter(choices=FIELD_CHOICES, label=_("对应字段"))

    class Meta:
        model = FieldSynonym
        fields = ["q", "field"]


class ColumnMappingFilterSet(BaseFilterSet):
    search_fields = ("sheet_name",)

    class Meta:
        model = ColumnMapping
        fields = ["q"]


class ImportBatchFilterSet(BaseFilterSet):
    search_fields = ("original_name", "created_by__name", "message")
    status = django_filters.MultipleChoiceFilter(choices=BatchStatus.choices, label=_("状态"))
    created_after = django_filters.DateFilter(
        field_name="created", lookup_expr="date__gte", label=_("上传日期起")
    )
    created_before = django_filters.DateFilter(
        field_name="created", lookup_expr="date__lte", label=_("上传日期止")
    )

    class Meta:
        model = ImportBatch
        fields = ["q", "status", "created_after", "created_before"]
