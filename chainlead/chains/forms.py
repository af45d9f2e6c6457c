"""Forms of the chains app. Validation lives in the models (``full_clean``); the forms only pick
fields, widgets and sensible choice lists."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from chainlead.chains.choices import ChainRoleKind, NodeEnterpriseRole, Segment, Strength, Verification
from chainlead.chains.models import ChainNode, ChainRole, KeyChain, NodeEnterprise
from chainlead.organization.models import Unit, User
from chainlead.utilities.forms import BulkEditForm, ChainleadModelForm


class NodeChoiceField(forms.ModelChoiceField):
    """Nodes labelled "链简称 · 环节 · 节点" so nodes of several chains stay distinguishable."""

    def label_from_instance(self, obj):
        return f"{obj.chain.short_name or obj.chain.name} · {obj.get_segment_display()} · {obj.name}"


def _blank(choices):
    return [("", "—"), *choices]


class KeyChainForm(ChainleadModelForm):
    class Meta:
        model = KeyChain
        fields = [
            "name",
            "short_name",
            "code",
            "lead_department",
            "verification",
            "description",
            "sort_order",
            "is_active",
            "comments",
        ]
        widgets = {
            "description": forms.Textarea(attrs={"rows": 3}),
            "comments": forms.Textarea(attrs={"rows": 2}),
        }


class ChainRoleForm(ChainleadModelForm):
    class Meta:
        model = ChainRole
        fields = ["chain", "kind", "person_name", "title", "phone", "unit", "user", "sort_order", "comments"]
        widgets = {"comments": forms.Textarea(attrs={"rows": 2})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["user"].queryset = User.objects.filter(is_active=True).order_by("name")
        self.fields["user"].help_text = _("链长、副链长在平台上有账号时关联，便于其查看本链情况。")
        self.fields["unit"].queryset = Unit.objects.filter(is_active=True)


class ChainNodeForm(ChainleadModelForm):
    parent = NodeChoiceField(
        label=_("上级环节"),
        queryset=ChainNode.objects.select_related("chain"),
        required=False,
        help_text=_("必须是同一条产业链上的节点；不选则为该环节的顶层节点。"),
    )

    class Meta:
        model = ChainNode
        fields = [
            "chain",
            "segment",
            "parent",
            "name",
            "strength",
            "industry_code",
            "description",
            "sort_order",
            "comments",
        ]
        widgets = {
            "description": forms.Textarea(attrs={"rows": 3}),
            "comments": forms.Textarea(attrs={"rows": 2}),
        }
        help_texts = {
            "industry_code": _(
                "GB/T 4754-2017 国民经济行业分类：门类字母加2至4位数字，如 C3973（集成电路制造）。"
            ),
            "strength": _("已有：本地有成规模的企业；薄弱：有企业但规模或技术不足；缺失：本地尚无企业。"),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        nodes = ChainNode.objects.select_related("chain").order_by(
            "chain__sort_order", "segment", "sort_order"
        )
        if not self.is_bound:
            # Offer the nodes of the chain being edited; a bound form accepts any node so that a
            # parent on another chain gets the model's own, explicit message.
            chain_id = self.instance.chain_id or self.initial.get("chain")
            if chain_id:
                nodes = nodes.filter(chain_id=chain_id)
            if self.instance.pk:
                nodes = nodes.exclude(pk=self.instance.pk)
        self.fields["parent"].queryset = nodes


class NodeEnterpriseForm(ChainleadModelForm):
    node = NodeChoiceField(label=_("产业链节点"), queryset=ChainNode.objects.select_related("chain"))

    class Meta:
        model = NodeEnterprise
        fields = ["node", "enterprise", "role", "comments"]
        widgets = {"comments": forms.Textarea(attrs={"rows": 2})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["node"].queryset = ChainNode.objects.select_related("chain").order_by(
            "chain__sort_order", "segment", "sort_order"
        )


# --- bulk edit ------------------------------------------------------------------------------------
class KeyChainBulkEditForm(BulkEditForm):
    lead_department = forms.ModelChoiceField(label=_("牵头部门"), queryset=Unit.objects.all(), required=False)
    verification = forms.ChoiceField(
        label=_("核实情况"), choices=_blank(Verification.choices), required=False
    )
    is_active = forms.NullBooleanField(label=_("启用"), required=False)


class ChainRoleBulkEditForm(BulkEditForm):
    kind = forms.ChoiceField(label=_("职责"), choices=_blank(ChainRoleKind.choices), required=False)
    unit = forms.ModelChoiceField(label=_("所在单位"), queryset=Unit.objects.all(), required=False)


class ChainNodeBulkEditForm(BulkEditForm):
    strength = forms.ChoiceField(label=_("本地基础"), choices=_blank(Strength.choices), required=False)
    segment = forms.ChoiceField(label=_("环节"), choices=_blank(Segment.choices), required=False)
    sort_order = forms.IntegerField(label=_("排序"), min_value=0, required=False)


class NodeEnterpriseBulkEditForm(BulkEditForm):
    role = forms.ChoiceField(label=_("角色"), choices=_blank(NodeEnterpriseRole.choices), required=False)
