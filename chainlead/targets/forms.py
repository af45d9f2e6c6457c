"""Forms of the targets app."""

from __future__ import annotations

import datetime

from django import forms
from django.db.models import Q
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from chainlead.organization.choices import UnitKind
from chainlead.organization.models import Unit
from chainlead.organization.permissions import get_scope
from chainlead.projects.models import KeyProject
from chainlead.targets.choices import TargetStatus
from chainlead.targets.models import AttackTarget, Campaign, TargetMonthPlan, TargetProject
from chainlead.targets.services import duplicate_number_message, next_number
from chainlead.utilities.forms import BulkEditForm, ChainleadForm, ChainleadModelForm

NOT_A_ZONE = gettext_lazy("请选择战区：所选单位不是战区，或不在您负责的范围内。")
NOT_THE_ZONES_CAMPAIGN = gettext_lazy("请选择战区所在片区的攻坚战：所选攻坚战不在可选范围内。")


class MonthInput(forms.TextInput):
    """``<input type="month">``: the browser's month picker, value ``2021-11``."""

    input_type = "month"

    def format_value(self, value):
        if isinstance(value, datetime.date):
            return value.strftime("%Y-%m")
        return super().format_value(value)


class MonthField(forms.DateField):
    """A month, typed as 2021-11 (or any day of it); cleaned to the first day of the month."""

    input_formats = ["%Y-%m", "%Y-%m-%d", "%Y/%m", "%Y年%m月"]
    widget = MonthInput

    def to_python(self, value):
        day = super().to_python(value)
        return day.replace(day=1) if day else day


def _with_current(queryset, pk):
    """A restricted choice list that still offers the value the object already has."""
    if pk:
        return queryset.model.objects.filter(Q(pk__in=queryset.values("pk")) | Q(pk=pk))
    return queryset


class CampaignForm(ChainleadModelForm):
    class Meta:
        model = Campaign
        fields = ["name", "area", "year", "sort_order", "description", "comments"]
        widgets = {
            "description": forms.Textarea(attrs={"rows": 3}),
            "comments": forms.Textarea(attrs={"rows": 2}),
        }


class AttackTargetForm(ChainleadModelForm):
    """A target on a battle zone's list. Leaving 序号 empty takes the zone's next number."""

    class Meta:
        model = AttackTarget
        fields = [
            "battle_zone",
            "campaign",
            "number",
            "title",
            "goal_value",
            "goal_unit",
            "actual_value",
            "deadline",
            "status",
            "done_on",
            "responsible_leader",
            "responsible_unit",
            "responsible_person",
            "responsible_phone",
            "measures",
            "comments",
        ]
        widgets = {
            "measures": forms.Textarea(attrs={"rows": 3}),
            "comments": forms.Textarea(attrs={"rows": 2}),
        }

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        zones = Unit.objects.filter(kind=UnitKind.BATTLE_ZONE, is_active=True).select_related("parent")
        if user is not None:
            units = get_scope(user).units_for(AttackTarget, "add")
            if units is not None:
                zones = zones.filter(pk__in=units)
        zone_field = self.fields["battle_zone"]
        zone_field.queryset = _with_current(zones, self.instance.battle_zone_id).select_related("parent")
        zone_field.label_from_instance = lambda u: f"{u.parent} · {u}" if u.parent_id else str(u)
        zone_field.error_messages["invalid_choice"] = NOT_A_ZONE
        # Only the campaigns of the offered zones' areas (a target's campaign is its zone's area's).
        campaigns = Campaign.objects.filter(area__in=zone_field.queryset.values("parent"))
        self.fields["campaign"].queryset = (
            _with_current(campaigns, self.instance.campaign_id)
            .select_related("area")
            .order_by("area__sort_order", "-year", "sort_order")
        )
        self.fields["campaign"].label_from_instance = lambda c: f"{c.area} · {c}"
        self.fields["campaign"].error_messages["invalid_choice"] = NOT_THE_ZONES_CAMPAIGN
        self.fields["responsible_unit"].queryset = Unit.objects.filter(is_active=True)
        self.fields["number"].required = False
        self.fields["number"].help_text = _("留空则取本战区清单的下一个序号。")

    def clean(self):
        cleaned = super().clean()
        zone = cleaned.get("battle_zone")
        if zone is not None and cleaned.get("number") in (None, ""):
            cleaned["number"] = next_number(zone)
            self.instance.number = cleaned["number"]
        message = duplicate_number_message(zone, cleaned.get("number"), exclude_pk=self.instance.pk)
        if message:
            # On the field, and the model's constraint is then skipped (no second, vaguer message).
            self.add_error("number", message)
        return cleaned


class AttackTargetBulkEditForm(BulkEditForm):
    campaign = forms.ModelChoiceField(
        label=gettext_lazy("攻坚战"), queryset=Campaign.objects.select_related("area"), required=False
    )
    status = forms.ChoiceField(
        label=gettext_lazy("状态"), choices=[("", "—"), *TargetStatus.choices], required=False
    )
    done_on = forms.DateField(label=gettext_lazy("完成日期"), required=False, widget=forms.DateInput)
    deadline = forms.DateField(label=gettext_lazy("完成时限"), required=False, widget=forms.DateInput)
    responsible_leader = forms.CharField(label=gettext_lazy("责任领导"), required=False, max_length=50)
    responsible_unit = forms.ModelChoiceField(
        label=gettext_lazy("责任单位"), queryset=Unit.objects.filter(is_active=True), required=False
    )
    responsible_person = forms.CharField(label=gettext_lazy("责任人"), required=False, max_length=50)


class CampaignBulkEditForm(BulkEditForm):
    year = forms.IntegerField(label=gettext_lazy("年度"), required=False, min_value=2000, max_value=2100)
    sort_order = forms.IntegerField(label=gettext_lazy("排序"), required=False, min_value=0)


class TargetMonthPlanForm(ChainleadModelForm):
    month = MonthField(label=gettext_lazy("月份"), help_text=gettext_lazy("按 2021-11 的格式填写。"))

    class Meta:
        model = TargetMonthPlan
        fields = ["target", "month", "planned_value", "actual_value", "milestone", "comments"]
        widgets = {"comments": forms.Textarea(attrs={"rows": 2})}

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        targets = AttackTarget.objects.select_related("battle_zone")
        if user is not None:
            targets = targets.restrict(user, "change")
        self.fields["target"].queryset = _with_current(targets, self.instance.target_id).select_related(
            "battle_zone"
        )
        self.fields["target"].label_from_instance = lambda t: f"{t.battle_zone} · {t}"

    def clean(self):
        cleaned = super().clean()
        target, month = cleaned.get("target"), cleaned.get("month")
        if target and month:
            taken = TargetMonthPlan.objects.filter(target=target, month=month)
            if self.instance.pk:
                taken = taken.exclude(pk=self.instance.pk)
            if taken.exists():
                self.add_error(
                    "month", _("{}已有月度计划，请直接修改那一条。").format(month.strftime("%Y-%m"))
                )
        return cleaned


class TargetMonthPlanBulkEditForm(BulkEditForm):
    milestone = forms.CharField(label=gettext_lazy("节点任务"), required=False, max_length=200)


class TargetProjectForm(ChainleadModelForm):
    class Meta:
        model = TargetProject
        fields = ["target", "project", "comments"]
        widgets = {"comments": forms.Textarea(attrs={"rows": 2})}

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        targets = AttackTarget.objects.select_related("battle_zone")
        projects = KeyProject.objects.order_by("name")
        if user is not None:
            targets = targets.restrict(user, "change")
            projects = projects.restrict(user, "view")
        self.fields["target"].queryset = _with_current(targets, self.instance.target_id).select_related(
            "battle_zone"
        )
        self.fields["target"].label_from_instance = lambda t: f"{t.battle_zone} · {t}"
        self.fields["project"].queryset = _with_current(projects, self.instance.project_id)

    def clean(self):
        cleaned = super().clean()
        target, project = cleaned.get("target"), cleaned.get("project")
        if target and project:
            taken = TargetProject.objects.filter(target=target, project=project)
            if self.instance.pk:
                taken = taken.exclude(pk=self.instance.pk)
            if taken.exists():
                self.add_error("project", _("项目“{}”已关联到这个攻坚目标。").format(project))
        return cleaned


class TargetProjectBulkEditForm(BulkEditForm):
    comments = forms.CharField(label=gettext_lazy("备注"), required=False)


class CompleteTargetForm(ChainleadForm):
    """The 标记完成 button's form."""

    done_on = forms.DateField(label=gettext_lazy("完成日期"), widget=forms.DateInput)
    actual_value = forms.DecimalField(
        label=gettext_lazy("完成值"), max_digits=18, decimal_places=2, min_value=0
    )


class ReopenTargetForm(ChainleadForm):
    """The 重新打开 button's form: the reason is required."""

    reason = forms.CharField(
        label=gettext_lazy("重新打开的原因"), widget=forms.Textarea(attrs={"rows": 3}), max_length=500
    )
