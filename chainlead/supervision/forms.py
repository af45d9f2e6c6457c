"""Forms of the supervision app. The workflow verbs they lead to run in ``services``."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from chainlead.chains.models import KeyChain
from chainlead.dispatch.choices import ItemKind, PeriodStatus
from chainlead.dispatch.models import Period
from chainlead.organization.choices import UnitKind
from chainlead.organization.models import Unit
from chainlead.supervision.models import Bulletin, BulletinTemplate, ConsequenceStep, WarningRule
from chainlead.utilities.forms import ChainleadForm, ChainleadModelForm


class WarningRuleForm(ChainleadModelForm):
    class Meta:
        model = WarningRule
        fields = [
            "code",
            "name",
            "applies_to",
            "measure",
            "direction",
            "yellow_at",
            "yellow_strict",
            "orange_at",
            "orange_strict",
            "red_at",
            "red_strict",
            "min_annual_plan",
            "compare_average",
            "description",
            "source",
            "is_active",
            "comments",
        ]
        widgets = {
            "description": forms.Textarea(attrs={"rows": 3}),
            "comments": forms.Textarea(attrs={"rows": 2}),
        }


class ConsequenceStepForm(ChainleadModelForm):
    class Meta:
        model = ConsequenceStep
        fields = ["color", "min_streak", "measure", "by_whom", "sort_order", "is_active", "comments"]
        widgets = {"comments": forms.Textarea(attrs={"rows": 2})}


class BulletinTemplateForm(ChainleadModelForm):
    class Meta:
        model = BulletinTemplate
        fields = [
            "name",
            "is_default",
            "issuer",
            "issuer_code",
            "signer",
            "addressee",
            "title_pattern",
            "basis_text",
            "requirements_text",
            "copy_to",
            "printer",
            "comments",
        ]
        widgets = {
            "basis_text": forms.Textarea(attrs={"rows": 4}),
            "requirements_text": forms.Textarea(attrs={"rows": 8}),
            "comments": forms.Textarea(attrs={"rows": 2}),
        }


class BulletinCreateForm(ChainleadModelForm):
    """Step one: choose the period and the scope; the rest is generated."""

    class Meta:
        model = Bulletin
        fields = ["period", "scope_kind", "scope_unit", "scope_chain", "template"]

    def __init__(self, *args, **kwargs):
        kwargs.pop("user", None)
        super().__init__(*args, **kwargs)
        self.fields["period"].queryset = (
            Period.objects.select_related("cycle")
            .filter(cycle__item_kind=ItemKind.PROJECT)
            .order_by("-start")
        )
        self.fields["period"].label_from_instance = lambda p: (
            f"{p.label}" + ("" if p.status == PeriodStatus.CLOSED else "（未关闭）")
        )
        self.fields["period"].help_text = _("只能为已关闭的调度期起草通报（数据以关闭时冻结的为准）。")
        self.fields["scope_unit"].queryset = Unit.objects.filter(
            is_active=True, kind__in=[UnitKind.AREA, UnitKind.BATTLE_ZONE, UnitKind.STREET]
        ).order_by("path")
        self.fields["scope_chain"].queryset = KeyChain.objects.order_by("name")
        self.fields["template"].queryset = BulletinTemplate.objects.all()
        if not self.initial.get("template"):
            default = BulletinTemplate.objects.filter(is_default=True).first()
            if default:
                self.initial["template"] = default.pk


class BulletinForm(ChainleadModelForm):
    """Step two: the text sections, editable until the bulletin is issued."""

    class Meta:
        model = Bulletin
        fields = [
            "title",
            "addressee",
            "basis_text",
            "overall_text",
            "good_text",
            "lagging_text",
            "problems_text",
            "requirements_text",
            "signer",
            "copy_to",
        ]
        widgets = {
            name: forms.Textarea(attrs={"rows": rows})
            for name, rows in (
                ("basis_text", 3),
                ("overall_text", 6),
                ("good_text", 6),
                ("lagging_text", 10),
                ("problems_text", 6),
                ("requirements_text", 8),
            )
        }

    def __init__(self, *args, **kwargs):
        kwargs.pop("user", None)
        super().__init__(*args, **kwargs)
        for name in ("overall_text", "good_text", "lagging_text", "problems_text", "requirements_text"):
            self.fields[name].help_text = _(
                "一段一行；以“（一）”开头的行作为二级标题，以“1.”开头的行作为条目。"
            )


class ExcuseForm(ChainleadForm):
    reason = forms.CharField(
        label=_("正当理由"),
        max_length=300,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("如：因规划调整经区政府同意延期开工（附批复文号）。"),
    )


class IssueForm(ChainleadForm):
    number = forms.IntegerField(
        label=_("发文序号"),
        required=False,
        min_value=1,
        help_text=_("留空则按本年度该发文机关代字顺序编号。"),
    )
