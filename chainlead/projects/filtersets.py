"""One FilterSet per model: the list page, the API and the Excel export share them."""

from __future__ import annotations

import django_filters
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from chainlead.chains.models import ChainNode, KeyChain
from chainlead.enterprises.choices import SourceTag
from chainlead.organization.choices import TERRITORIAL_KINDS
from chainlead.organization.models import Unit
from chainlead.projects import search as search_index
from chainlead.projects.choices import InvestmentNature, Level, ProjectType, Purpose, Stage
from chainlead.projects.metrics import METRICS, Period
from chainlead.projects.models import ContactRecord, KeyProject, StageChange, StageEvidence
from chainlead.utilities.filtersets import BaseFilterSet

YES_NO = ((True, _("是")), (False, _("否")))


def _subtree(queryset, name, value):
    """Filter a unit field by the unit *and every unit below it* (an area includes its battle zones).
    The ids are resolved first (units are few): a literal IN list lets the database use the
    (unit, created) indexes, where a sub-select made SQLite scan a million projects."""
    if not value:
        return queryset
    ids = list(Unit.objects.filter(path__startswith=value.path).values_list("pk", flat=True))
    return queryset.filter(**{f"{name}__in": ids})


class KeyProjectFilterSet(BaseFilterSet):
    search_fields = (
        "name",
        "project_code",
        "investor_name",
        "enterprise__name",
        "address",
        "responsible_person",
    )
    primary_filters = ("chain", "chain_node", "stage", "area", "responsible_unit")

    def search(self, queryset, name, value):
        """The same rows as the plain search, through the trigram index where it can answer."""
        ids = search_index.indexed_ids((value or "").strip())
        return super().search(queryset, name, value) if ids is None else queryset.filter(id__in=ids)

    chain = django_filters.ModelMultipleChoiceFilter(queryset=KeyChain.objects.all(), label=_("产业链"))
    chain_node = django_filters.ModelChoiceFilter(
        queryset=ChainNode.objects.select_related("chain"), label=_("产业链节点")
    )
    stage = django_filters.MultipleChoiceFilter(choices=Stage.choices, label=_("阶段"))
    purpose = django_filters.MultipleChoiceFilter(choices=Purpose.choices, label=_("补强延"))
    area = django_filters.ModelChoiceFilter(
        queryset=Unit.objects.filter(kind__in=[k.value for k in TERRITORIAL_KINDS]),
        method=_subtree,
        label=_("片区/战区"),
    )
    responsible_unit = django_filters.ModelChoiceFilter(
        queryset=Unit.objects.all(), method=_subtree, label=_("责任单位")
    )
    responsible_leader = django_filters.CharFilter(lookup_expr="icontains", label=_("责任领导"))
    level = django_filters.MultipleChoiceFilter(choices=Level.choices, label=_("级别"))
    project_type = django_filters.MultipleChoiceFilter(choices=ProjectType.choices, label=_("项目类型"))
    investment_nature = django_filters.ChoiceFilter(choices=InvestmentNature.choices, label=_("投资性质"))
    investment_min = django_filters.NumberFilter(
        field_name="total_investment", lookup_expr="gte", label=_("总投资≥（万元）")
    )
    investment_max = django_filters.NumberFilter(
        field_name="total_investment", lookup_expr="lte", label=_("总投资≤（万元）")
    )
    tag = django_filters.MultipleChoiceFilter(
        choices=SourceTag.choices, method="filter_tags", label=_("企业来源标签")
    )
    landed = django_filters.BooleanFilter(method="filter_landed", label=_("已落地"))
    fai_in_db = django_filters.BooleanFilter(label=_("已入库纳统"))
    enterprise_in_stats = django_filters.BooleanFilter(label=_("企业已纳统"))
    started_after = django_filters.DateFilter(
        field_name="started_on", lookup_expr="gte", label=_("开工日期起")
    )
    started_before = django_filters.DateFilter(
        field_name="started_on", lookup_expr="lte", label=_("开工日期止")
    )
    # Drill-down from the dashboard: ?metric=attracted&period_start=2021-01-01&period_end=2021-11-30
    metric = django_filters.ChoiceFilter(
        choices=[(k, m.label) for k, m in METRICS.items()], method="filter_metric", label=_("统计口径")
    )
    period_start = django_filters.DateFilter(method="noop", label=_("统计期起"))
    period_end = django_filters.DateFilter(method="noop", label=_("统计期止"))

    class Meta:
        model = KeyProject
        fields = [
            "q",
            "chain",
            "chain_node",
            "stage",
            "purpose",
            "area",
            "responsible_unit",
            "responsible_leader",
            "level",
            "project_type",
            "investment_nature",
            "investment_min",
            "investment_max",
            "tag",
            "landed",
            "fai_in_db",
            "enterprise_in_stats",
            "started_after",
            "started_before",
            "metric",
            "period_start",
            "period_end",
        ]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Offer the nodes of the chosen chains only: all nodes of nine chains make a useless list
        # of hundreds (and cost a noticeable part of the page).
        chains = self.data.getlist("chain") if hasattr(self.data, "getlist") else []
        node_field = self.form.fields["chain_node"]
        chains = [c for c in chains if str(c).isdigit()]
        node_field.queryset = (
            node_field.queryset.filter(chain__in=chains) if chains else node_field.queryset.none()
        )
        if not chains:
            node_field.empty_label = _("请先选择产业链")

    def noop(self, queryset, name, value):
        return queryset

    def filter_tags(self, queryset, name, value):
        if not value:
            return queryset
        q = Q()
        for tag in value:
            q |= Q(enterprise__source_tags__icontains=f'"{tag}"')
        return queryset.filter(q)

    def filter_landed(self, queryset, name, value):
        if value is None:
            return queryset
        landed = Q(signed_on__isnull=False) | Q(registered_on__isnull=False)
        return queryset.filter(landed) if value else queryset.exclude(landed)

    def filter_metric(self, queryset, name, value):
        start = self.form.cleaned_data.get("period_start")
        end = self.form.cleaned_data.get("period_end")
        if not value or not start or not end:
            return queryset
        return queryset.filter(METRICS[value].filter(Period(start, end)))


class ContactRecordFilterSet(BaseFilterSet):
    search_fields = ("summary", "participants", "project__name")
    project = django_filters.ModelChoiceFilter(queryset=KeyProject.objects.all(), label=_("项目"))
    date_after = django_filters.DateFilter(field_name="date", lookup_expr="gte", label=_("日期起"))
    date_before = django_filters.DateFilter(field_name="date", lookup_expr="lte", label=_("日期止"))

    class Meta:
        model = ContactRecord
        fields = ["q", "project", "kind", "date_after", "date_before"]


class StageChangeFilterSet(BaseFilterSet):
    search_fields = ("project__name", "reason")
    project = django_filters.ModelChoiceFilter(queryset=KeyProject.objects.all(), label=_("项目"))
    to_stage = django_filters.MultipleChoiceFilter(choices=Stage.choices, label=_("新阶段"))
    on_after = django_filters.DateFilter(field_name="on", lookup_expr="gte", label=_("日期起"))
    on_before = django_filters.DateFilter(field_name="on", lookup_expr="lte", label=_("日期止"))

    class Meta:
        model = StageChange
        fields = ["q", "project", "to_stage", "is_correction", "on_after", "on_before"]


class StageEvidenceFilterSet(BaseFilterSet):
    search_fields = ("original_name", "description", "project__name")
    project = django_filters.ModelChoiceFilter(queryset=KeyProject.objects.all(), label=_("项目"))

    class Meta:
        model = StageEvidence
        fields = ["q", "project", "stage", "kind"]
