"""Filters of the chains app: one per model, shared by the list pages, the API and the export."""

import django_filters
from django.utils.translation import gettext_lazy as _

from chainlead.chains.choices import ChainRoleKind, NodeEnterpriseRole, Segment, Strength, Verification
from chainlead.chains.models import ChainNode, ChainRole, KeyChain, NodeEnterprise
from chainlead.organization.models import Unit
from chainlead.utilities.filtersets import BaseFilterSet


def _chains(request=None):
    return KeyChain.objects.all()


class KeyChainFilterSet(BaseFilterSet):
    search_fields = ("name", "short_name", "code", "description")
    verification = django_filters.MultipleChoiceFilter(choices=Verification.choices, label=_("核实情况"))
    lead_department = django_filters.ModelChoiceFilter(queryset=Unit.objects.all(), label=_("牵头部门"))
    is_active = django_filters.BooleanFilter(label=_("启用"))

    class Meta:
        model = KeyChain
        fields = ["q", "verification", "lead_department", "is_active"]


class ChainRoleFilterSet(BaseFilterSet):
    search_fields = ("person_name", "title", "phone", "unit__name", "chain__name")
    chain = django_filters.ModelMultipleChoiceFilter(queryset=_chains, label=_("产业链"))
    kind = django_filters.MultipleChoiceFilter(choices=ChainRoleKind.choices, label=_("职责"))
    unit = django_filters.ModelChoiceFilter(queryset=Unit.objects.all(), label=_("所在单位"))

    class Meta:
        model = ChainRole
        fields = ["q", "chain", "kind", "unit"]


class ChainNodeFilterSet(BaseFilterSet):
    search_fields = ("name", "description", "industry_code")
    chain = django_filters.ModelMultipleChoiceFilter(queryset=_chains, label=_("产业链"))
    segment = django_filters.MultipleChoiceFilter(choices=Segment.choices, label=_("环节"))
    strength = django_filters.MultipleChoiceFilter(choices=Strength.choices, label=_("本地基础"))
    industry_code = django_filters.CharFilter(
        lookup_expr="istartswith", label=_("行业代码前缀"), help_text=_("如 C39 匹配 C3973、C3985 等。")
    )

    class Meta:
        model = ChainNode
        fields = ["q", "chain", "segment", "strength", "industry_code"]


class NodeEnterpriseFilterSet(BaseFilterSet):
    search_fields = ("enterprise__name", "enterprise__credit_code", "node__name")
    chain = django_filters.ModelMultipleChoiceFilter(
        field_name="node__chain", queryset=_chains, label=_("产业链")
    )
    role = django_filters.MultipleChoiceFilter(choices=NodeEnterpriseRole.choices, label=_("角色"))
    segment = django_filters.MultipleChoiceFilter(
        field_name="node__segment", choices=Segment.choices, label=_("环节")
    )
    strength = django_filters.MultipleChoiceFilter(
        field_name="node__strength", choices=Strength.choices, label=_("本地基础")
    )
    industry_code = django_filters.CharFilter(
        field_name="node__industry_code", lookup_expr="istartswith", label=_("行业代码前缀")
    )

    class Meta:
        model = NodeEnterprise
        fields = ["q", "chain", "role", "segment", "strength", "industry_code"]
