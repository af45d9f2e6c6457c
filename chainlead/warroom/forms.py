"""Forms of the war room. Model forms validate through the models' ``full_clean()``; the workflow
forms (apply a template, complete a node, approve, re-plan, place on the map) only collect input
for the services."""

from __future__ import annotations

from django import forms
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from chainlead.organization.models import Unit
from chainlead.projects.models import KeyProject
from chainlead.utilities.forms import ChainleadForm, ChainleadModelForm
from chainlead.warroom.choices import TargetKind
from chainlead.warroom.models import (
    OWNER_KINDS,
    ProjectSchedule,
    ScheduleDependency,
    ScheduleNode,
    ScheduleTemplate,
    TemplateDependency,
    TemplateNode,
    ZoneMap,
)


def _owner_queryset():
    return Unit.objects.filter(kind__in=OWNER_KINDS, is_active=True).order_by("path")


class ScheduleTemplateForm(ChainleadModelForm):
    class Meta:
        model = ScheduleTemplate
        fields = ["name", "investment_nature", "description", "is_active", "sort_order", "comments"]
        widgets = {
            "description": forms.Textarea(attrs={"rows": 3}),
            "comments": forms.Textarea(attrs={"rows": 2}),
        }


class TemplateNodeForm(ChainleadModelForm):
    class Meta:
        model = TemplateNode
        fields = [
            "template",
            "name",
            "owner_department",
            "owner_note",
            "duration_wd",
            "is_approval",
            "milestone",
            "sort_order",
            "description",
            "comments",
        ]
        widgets = {"comments": forms.Textarea(attrs={"rows": 2})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["owner_department"].queryset = _owner_queryset()


class _NodeChoice(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return f"{obj.template} · {obj.name}" if hasattr(obj, "template") else str(obj)


class TemplateDependencyForm(ChainleadModelForm):
    predecessor = _NodeChoice(queryset=TemplateNode.objects.none(), label=_("前置节点"))
    successor = _NodeChoice(queryset=TemplateNode.objects.none(), label=_("后续节点"))

    class Meta:
        model = TemplateDependency
        fields = ["predecessor", "successor", "lag_wd", "comments"]
        widgets = {"comments": forms.Textarea(attrs={"rows": 2})}

    def __init__(self, *args, template=None, **kwargs):
        super().__init__(*args, **kwargs)
        template_id = template or (self.instance.template_id if self.instance.pk else None)
        qs = TemplateNode.objects.select_related("template").order_by("template__sort_order", "sort_order")
        if template_id:
            qs = qs.filter(template_id=template_id)
        for name in ("predecessor", "successor"):
            self.fields[name].queryset = qs


class ProjectScheduleForm(ChainleadModelForm):
    """Apply a template to a project: the plan is worked back from the target date."""

    class Meta:
        model = ProjectSchedule
        fields = ["project", "template", "target_kind", "target_date", "comments"]
        widgets = {"comments": forms.Textarea(attrs={"rows": 2})}
        help_texts = {
            "target_date": _("目标开工日期或目标投产日期；各节点的最迟开始、最迟完成日期由此倒排。"),
        }

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        projects = KeyProject.objects.select_related("area").order_by("name")
        if user is not None:
            projects = KeyProject.objects.restrict(user, "change").order_by("name")
        self.fields["project"].queryset = projects.filter(
            Q(schedule__isnull=True) | Q(pk=self.instance.project_id or 0)
        )
        self.fields["template"].queryset = ScheduleTemplate.objects.filter(is_active=True)


class ProjectScheduleEditForm(ChainleadModelForm):
    """Change the target. On an approved plan this is a re-plan and needs a reason."""

    reason = forms.CharField(
        label=_("调整原因"),
        required=False,
        max_length=300,
        help_text=_("计划已批准为基线时，修改目标须填写原因（记入审计日志）。"),
    )

    class Meta:
        model = ProjectSchedule
        fields = ["target_kind", "target_date", "comments"]
        widgets = {"comments": forms.Textarea(attrs={"rows": 2})}

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)


class ScheduleNodeForm(ChainleadModelForm):
    class Meta:
        model = ScheduleNode
        fields = [
            "schedule",
            "name",
            "owner_department",
            "owner_note",
            "duration_wd",
            "is_approval",
            "milestone",
            "sort_order",
            "comments",
        ]
        widgets = {"comments": forms.Textarea(attrs={"rows": 2})}

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["owner_department"].queryset = _owner_queryset()
        schedules = ProjectSchedule.objects.select_related("project")
        if user is not None:
            schedules = ProjectSchedule.objects.restrict(user, "change").select_related("project")
        self.fields["schedule"].queryset = schedules
        if self.instance.pk:
            self.fields["schedule"].disabled = True


class _ScheduleNodeChoice(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return f"{obj.schedule.project.name} · {obj.name}"


class ScheduleDependencyForm(ChainleadModelForm):
    predecessor = _ScheduleNodeChoice(queryset=ScheduleNode.objects.none(), label=_("前置节点"))
    successor = _ScheduleNodeChoice(queryset=ScheduleNode.objects.none(), label=_("后续节点"))

    class Meta:
        model = ScheduleDependency
        fields = ["predecessor", "successor", "lag_wd", "comments"]
        widgets = {"comments": forms.Textarea(attrs={"rows": 2})}

    def __init__(self, *args, user=None, schedule=None, **kwargs):
        super().__init__(*args, **kwargs)
        schedule_id = schedule or (self.instance.schedule_id if self.instance.pk else None)
        qs = ScheduleNode.objects.select_related("schedule__project").order_by("schedule", "sort_order")
        if user is not None:
            qs = qs.filter(schedule__in=ProjectSchedule.objects.restrict(user, "change").values("pk"))
        if schedule_id:
            qs = qs.filter(schedule_id=schedule_id)
        for name in ("predecessor", "successor"):
            self.fields[name].queryset = qs


class CompleteNodeForm(ChainleadForm):
    actual_start = forms.DateField(label=_("实际开始日期"), required=False)
    actual_finish = forms.DateField(label=_("实际完成日期"))
    evidence = forms.FileField(
        label=_("完成佐证"),
        required=False,
        help_text=_("批复文件、证照、现场照片等（PDF、图片、Word/Excel），不超过20 MB。"),
    )
    note = forms.CharField(label=_("完成情况说明"), required=False, max_length=300)


class StartNodeForm(ChainleadForm):
    actual_start = forms.DateField(label=_("实际开始日期"))


class ReopenNodeForm(ChainleadForm):
    reason = forms.CharField(label=_("撤销原因"), max_length=300)


class ApproveForm(ChainleadForm):
    reason = forms.CharField(
        label=_("批准说明"), required=False, max_length=500, widget=forms.Textarea(attrs={"rows": 2})
    )


class ReplanForm(ChainleadForm):
    target_kind = forms.ChoiceField(label=_("目标节点"), choices=TargetKind.choices)
    target_date = forms.DateField(label=_("目标日期"))
    reason = forms.CharField(label=_("调整原因"), max_length=300)


class ZoneMapForm(ChainleadModelForm):
    class Meta:
        model = ZoneMap
        fields = ["name", "file", "is_active", "comments"]
        widgets = {
            "file": forms.ClearableFileInput(attrs={"accept": ".geojson,.json,application/geo+json"}),
            "comments": forms.Textarea(attrs={"rows": 2}),
        }
        help_texts = {
            "file": _(
                "FeatureCollection，面要素（Polygon/MultiPolygon）须有 name 属性（片区或战区名称），坐标为[经度, 纬度]，不超过20 MB。"
            )
        }


class PlaceForm(ChainleadForm):
    project = forms.ModelChoiceField(queryset=KeyProject.objects.none(), label=_("项目"))
    latitude = forms.DecimalField(label=_("纬度"), max_digits=9, decimal_places=6)
    longitude = forms.DecimalField(label=_("经度"), max_digits=9, decimal_places=6)

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        if user is not None:
            self.fields["project"].queryset = KeyProject.objects.restrict(user, "change")
