"""Forms of the projects app."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from chainlead.chains.models import ChainNode, KeyChain
from chainlead.core import clock
from chainlead.enterprises.choices import StatsCategory
from chainlead.organization.choices import TERRITORIAL_KINDS
from chainlead.organization.models import Unit
from chainlead.projects.choices import AgreementType, EvidenceKind, Level, ProjectType, Purpose, Stage
from chainlead.projects.models import ContactRecord, KeyProject
from chainlead.projects.services import REQUIREMENTS
from chainlead.utilities.forms import BulkEditForm, ChainleadForm, ChainleadModelForm


class NodeChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return f"{obj.chain.short_name or obj.chain.name} · {obj.get_segment_display()} · {obj.name}"


class KeyProjectForm(ChainleadModelForm):
    """Create or edit a project's record. The stage and its dates are not here: they move only
    through the stage form (``services.advance_stage``)."""

    lead_on = forms.DateField(label=_("获取线索日期"), required=False, initial=clock.today)

    class Meta:
        model = KeyProject
        fields = [
            "name",
            "project_code",
            "enterprise",
            "investor_name",
            "content",
            "chain",
            "chain_node",
            "purpose",
            "area",
            "address",
            "latitude",
            "longitude",
            "responsible_leader",
            "responsible_unit",
            "responsible_person",
            "responsible_phone",
            "level",
            "project_type",
            "investment_nature",
            "source",
            "info_provider",
            "total_investment",
            "annual_plan",
            "intended_investment",
            "contracted_investment",
            "foreign_investment_usd",
            "expected_output",
            "expected_tax",
            "jobs",
            "land_mu",
            "planned_start_on",
            "planned_completion_on",
            "planned_production_on",
        ]
        widgets = {"content": forms.Textarea(attrs={"rows": 3})}
        field_classes = {"chain_node": NodeChoiceField}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["chain_node"].queryset = ChainNode.objects.select_related("chain").order_by(
            "chain__sort_order", "segment", "sort_order"
        )
        self.fields["area"].queryset = Unit.objects.filter(kind__in=[k.value for k in TERRITORIAL_KINDS])
        self.fields["enterprise"].queryset = self.fields["enterprise"].queryset.order_by("name")
        if self.instance.pk:
            del self.fields["lead_on"]

    def clean(self):
        cleaned = super().clean()
        if not cleaned.get("enterprise") and not cleaned.get("investor_name"):
            self.add_error("investor_name", _("请选择投资企业，或填写投资方名称。"))
        return cleaned

    def save(self, commit=True):
        project = super().save(commit=False)
        if project._state.adding:
            project.stage = Stage.LEAD
            project.lead_on = self.cleaned_data.get("lead_on") or clock.today()
        if commit:
            project.full_clean()
            project.save()
        return project


class KeyProjectBulkEditForm(BulkEditForm):
    chain = forms.ModelChoiceField(label=_("所属产业链"), queryset=KeyChain.objects.all(), required=False)
    purpose = forms.ChoiceField(label=_("补强延"), choices=[("", "—"), *Purpose.choices], required=False)
    level = forms.ChoiceField(label=_("重点项目级别"), choices=[("", "—"), *Level.choices], required=False)
    project_type = forms.ChoiceField(
        label=_("项目类型"), choices=[("", "—"), *ProjectType.choices], required=False
    )
    area = forms.ModelChoiceField(
        label=_("所在片区/战区"),
        queryset=Unit.objects.filter(kind__in=[k.value for k in TERRITORIAL_KINDS]),
        required=False,
    )
    responsible_unit = forms.ModelChoiceField(
        label=_("责任单位"), queryset=Unit.objects.all(), required=False
    )
    responsible_leader = forms.CharField(label=_("责任领导"), required=False)


EVIDENCE_ROWS = 3


class StageForm(ChainleadForm):
    """Move the project to another stage, with the milestone date, the data and the evidence."""

    to = forms.ChoiceField(label=_("推进到"))
    on = forms.DateField(label=_("节点日期"), help_text=_("该阶段实际发生的日期（不是今天的操作日期）。"))
    reason = forms.CharField(
        label=_("原因"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("暂缓、终止和回退（更正）时必填。"),
    )
    # The data a forward step may set (services.REQUIREMENTS[...].settable); the page shows the
    # ones the chosen stage needs.
    intended_investment = forms.DecimalField(label=_("意向投资（万元）"), required=False, min_value=0)
    responsible_leader = forms.CharField(label=_("责任领导"), required=False)
    responsible_person = forms.CharField(label=_("责任人"), required=False)
    responsible_phone = forms.CharField(label=_("责任人电话"), required=False)
    agreement_type = forms.ChoiceField(
        label=_("协议类型"), choices=[("", "—"), *AgreementType.choices], required=False
    )
    contracted_investment = forms.DecimalField(label=_("合同投资（万元）"), required=False, min_value=0)
    total_investment = forms.DecimalField(label=_("总投资（万元）"), required=False, min_value=0)
    expected_output = forms.DecimalField(label=_("达产后年产值（万元）"), required=False, min_value=0)
    expected_tax = forms.DecimalField(label=_("达产后年税收（万元）"), required=False, min_value=0)
    enterprise = forms.ModelChoiceField(label=_("项目企业"), queryset=None, required=False)
    project_code = forms.CharField(label=_("项目代码"), required=False)
    construction_permit_no = forms.CharField(label=_("施工许可证号"), required=False)
    first_output = forms.DecimalField(label=_("首批产值/销售（万元）"), required=False, min_value=0)
    actual_output = forms.DecimalField(label=_("实际年产值（万元）"), required=False, min_value=0)

    def __init__(self, *args, project: KeyProject, moves: list[tuple[str, str]], **kwargs):
        super().__init__(*args, **kwargs)
        from chainlead.enterprises.models import Enterprise

        self.project = project
        labels = dict(Stage.choices)
        kind_labels = {
            "forward": _("推进"),
            "hold": _("暂缓"),
            "resume": _("恢复"),
            "terminate": _("终止"),
            "correction": _("回退（更正）"),
        }
        self.fields["to"].choices = [("", "—")] + [(s, f"{labels[s]}（{kind_labels[k]}）") for s, k in moves]
        self.move_kinds = dict(moves)
        self.fields["enterprise"].queryset = Enterprise.objects.order_by("name")
        for i in range(EVIDENCE_ROWS):
            self.fields[f"evidence_kind_{i}"] = forms.ChoiceField(
                label=_("材料类型"), choices=[("", "—"), *EvidenceKind.choices], required=False
            )
            self.fields[f"evidence_file_{i}"] = forms.FileField(label=_("文件"), required=False)
            self.fields[f"evidence_time_{i}"] = forms.DateTimeField(
                label=_("拍摄/形成时间"),
                required=False,
                widget=forms.DateTimeInput(attrs={"type": "datetime-local"}),
            )
        # Prefill the data fields from the project.
        for name in self.data_fields():
            value = getattr(project, name, None)
            if value not in (None, ""):
                self.fields[name].initial = value
        from chainlead.utilities.forms import style_widgets

        style_widgets(self)

    @staticmethod
    def data_fields() -> list[str]:
        names: list[str] = []
        for req in REQUIREMENTS.values():
            names += [n for n in req.settable if n not in names]
        return names

    def stage_fields(self) -> dict[str, list[str]]:
        """Which data fields each target stage shows (for the page's script)."""
        return {stage: list(req.settable) for stage, req in REQUIREMENTS.items()}

    def clean(self):
        cleaned = super().clean()
        for i in range(EVIDENCE_ROWS):
            if cleaned.get(f"evidence_file_{i}") and not cleaned.get(f"evidence_kind_{i}"):
                self.add_error(f"evidence_kind_{i}", _("请选择这份材料的类型。"))
        return cleaned

    def data_for(self, stage: str) -> dict:
        req = REQUIREMENTS.get(stage)
        if req is None or self.move_kinds.get(stage) != "forward":
            return {}
        out = {}
        for name in req.settable:
            value = self.cleaned_data.get(name)
            if value not in (None, ""):
                out[name] = value
        return out

    def evidence(self):
        from chainlead.projects.services import EvidenceFile

        files = []
        for i in range(EVIDENCE_ROWS):
            upload = self.cleaned_data.get(f"evidence_file_{i}")
            if upload:
                files.append(
                    EvidenceFile(
                        kind=self.cleaned_data[f"evidence_kind_{i}"],
                        file=upload,
                        captured_at=self.cleaned_data.get(f"evidence_time_{i}"),
                    )
                )
        return files


class ContactRecordForm(ChainleadModelForm):
    class Meta:
        model = ContactRecord
        fields = ["project", "date", "kind", "participants", "summary"]
        widgets = {"summary": forms.Textarea(attrs={"rows": 4})}


class FaiForm(ChainleadForm):
    month = forms.DateField(label=_("入库月份"), help_text=_("填该月任意一天即可。"))


class EnterpriseStatsForm(ChainleadForm):
    month = forms.DateField(label=_("纳统月份"))
    category = forms.ChoiceField(label=_("四上类别"), choices=StatsCategory.choices)
