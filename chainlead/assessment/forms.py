"""Forms of the assessment app. Workflow forms (run, weights, manual entry, adjustment) are
plain forms whose ``cleaned_data`` go to one service verb."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from chainlead.assessment.choices import PeriodKind, SchemeStatus, SubjectKind
from chainlead.assessment.computations import computation_choices
from chainlead.assessment.models import Indicator, IndicatorGroup, Scheme
from chainlead.core import clock
from chainlead.utilities.forms import ChainleadForm, ChainleadModelForm


class SchemeForm(ChainleadModelForm):
    class Meta:
        model = Scheme
        fields = ["name", "code", "description", "total", "tiebreak", "comments"]


class IndicatorGroupForm(ChainleadModelForm):
    class Meta:
        model = IndicatorGroup
        fields = ["scheme", "name", "code", "kind", "weight", "sort_order"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["scheme"].queryset = Scheme.objects.filter(
            status=SchemeStatus.DRAFT
        ) | Scheme.objects.filter(pk=self.instance.scheme_id or 0)


class IndicatorForm(ChainleadModelForm):
    computation = forms.ChoiceField(label=_("计算口径"), required=False, choices=computation_choices)

    class Meta:
        model = Indicator
        fields = [
            "scheme",
            "group",
            "code",
            "name",
            "weight",
            "mode",
            "target",
            "value_unit",
            "cap",
            "points",
            "item_cap",
            "expression",
            "source",
            "computation",
            "when_no_base",
            "definition",
            "evidence_required",
            "sort_order",
        ]
        widgets = {
            "definition": forms.Textarea(attrs={"rows": 3}),
            "evidence_required": forms.Textarea(attrs={"rows": 2}),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        editable = Scheme.objects.filter(status=SchemeStatus.DRAFT) | Scheme.objects.filter(
            pk=self.instance.scheme_id or 0
        )
        self.fields["scheme"].queryset = editable
        self.fields["group"].queryset = IndicatorGroup.objects.filter(scheme__in=editable).select_related(
            "scheme"
        )
        self.fields["group"].label_from_instance = lambda g: f"{g.scheme} · {g.name}"


def weight_versions(scheme: Scheme) -> str:
    """The versions of a scheme's groups and indicators as the weights page saw them:
    ``g<id>:<version>,i<id>:<version>,…`` (the optimistic lock of the whole page)."""
    parts = [f"g{pk}:{v}" for pk, v in scheme.groups.order_by("pk").values_list("pk", "version")]
    parts += [f"i{pk}:{v}" for pk, v in scheme.indicators.order_by("pk").values_list("pk", "version")]
    return ",".join(parts)


def parse_weight_versions(token: str) -> dict[str, int]:
    out = {}
    for part in (token or "").split(","):
        key, _sep, version = part.partition(":")
        if key[:1] in ("g", "i") and key[1:].isdigit() and version.isdigit():
            out[key] = int(version)
    return out


class WeightsForm(ChainleadForm):
    """One decimal field per group and per indicator of a scheme: ``g<id>`` and ``i<id>``, plus
    ``versions``: what the page was opened on, so that two people editing the weights at once
    cannot overwrite each other."""

    versions = forms.CharField(
        widget=forms.HiddenInput,
        error_messages={"required": _("页面缺少权重的版本信息，无法确认您看到的是最新权重；请刷新页面后重新填写。")},
    )

    def __init__(self, scheme: Scheme, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.scheme = scheme
        self.fields["versions"].initial = weight_versions(scheme)
        for group in scheme.groups.order_by("sort_order", "pk"):
            self.fields[f"g{group.pk}"] = forms.DecimalField(
                label=group.name, initial=group.weight, min_value=0, max_digits=9, decimal_places=2
            )
            self.fields[f"g{group.pk}"].widget.attrs.update(
                {"class": "form-control text-end", "data-group": group.pk}
            )
        for ind in scheme.indicators.select_related("group").order_by(
            "group__sort_order", "sort_order", "pk"
        ):
            self.fields[f"i{ind.pk}"] = forms.DecimalField(
                label=ind.name, initial=ind.weight, min_value=0, max_digits=9, decimal_places=2
            )
            self.fields[f"i{ind.pk}"].widget.attrs.update(
                {"class": "form-control text-end", "data-in-group": ind.group_id}
            )

    def clean(self):
        cleaned = super().clean()
        if "versions" in cleaned and not parse_weight_versions(cleaned["versions"]):
            self.add_error(None, self.fields["versions"].error_messages["required"])
        return cleaned

    def weights(self) -> tuple[dict, dict]:
        groups = {int(k[1:]): v for k, v in self.cleaned_data.items() if k.startswith("g")}
        indicators = {int(k[1:]): v for k, v in self.cleaned_data.items() if k.startswith("i")}
        return indicators, groups

    def seen_versions(self) -> dict[str, int]:
        return parse_weight_versions(self.cleaned_data.get("versions", ""))


class RunForm(ChainleadForm):
    """考核计分: which scheme, which subjects, which period."""

    scheme = forms.ModelChoiceField(label=_("考核方案"), queryset=Scheme.objects.none())
    subject_kind = forms.ChoiceField(
        label=_("考核对象"), choices=SubjectKind.choices, initial=SubjectKind.ZONE
    )
    period_kind = forms.ChoiceField(
        label=_("考核周期"), choices=PeriodKind.choices, initial=PeriodKind.QUARTER
    )
    year = forms.IntegerField(label=_("年度"), min_value=2000, max_value=2100)
    number = forms.IntegerField(
        label=_("季度/月份"),
        min_value=1,
        max_value=12,
        required=False,
        help_text=_("季度填1–4，月份填1–12；年度考核不填。"),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["scheme"].queryset = Scheme.objects.exclude(status=SchemeStatus.RETIRED).order_by(
            "code", "-revision"
        )
        today = clock.today()
        self.fields["year"].initial = today.year
        self.fields["number"].initial = (today.month - 1) // 3 + 1
        published = Scheme.objects.filter(status=SchemeStatus.PUBLISHED).order_by("code", "-revision").first()
        if published:
            self.fields["scheme"].initial = published.pk


class ManualValueForm(ChainleadForm):
    value = forms.DecimalField(label=_("实际值"), max_digits=18, decimal_places=4)
    evidence = forms.FileField(
        label=_("佐证材料"), required=False, help_text=_("PDF、图片或 Word/Excel 文件，不超过20MB。")
    )
    evidence_note = forms.CharField(
        label=_("佐证说明"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("没有文件时写明依据，如文号、会议纪要。"),
    )


class AdjustForm(ChainleadForm):
    score = forms.DecimalField(label=_("调整后得分"), max_digits=9, decimal_places=2)
    reason = forms.CharField(
        label=_("调整原因"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("必填。调整原因、调整人和调整前后得分都会记入变更记录和审计事件。"),
    )
