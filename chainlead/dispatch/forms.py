"""Forms of the dispatch app. Forms validate input and build instances; the workflow verbs they
lead to run in ``services``."""

from __future__ import annotations

from decimal import Decimal

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from chainlead.dispatch import services
from chainlead.dispatch.choices import (
    DECISION_REVIEW_CHOICES,
    ItemKind,
    PeriodStatus,
)
from chainlead.dispatch.models import (
    Decision,
    DispatchMeeting,
    FactorRequest,
    Period,
    Problem,
    ProgressReport,
    ReportingCycle,
    TotalInvestmentChange,
)
from chainlead.dispatch.photos import MAX_PHOTO_BYTES
from chainlead.organization.models import Unit
from chainlead.organization.permissions import get_scope
from chainlead.utilities.forms import ChainleadForm, ChainleadModelForm


def _active_units():
    return Unit.objects.filter(is_active=True).order_by("path")


class UnitChoiceField(forms.ModelChoiceField):
    """A unit select that names a unit which is not (or no longer) there plainly."""

    default_error_messages = {"invalid_choice": _("所选单位不存在或已停用，请重新选择。")}


class UnitMultipleChoiceField(forms.ModelMultipleChoiceField):
    default_error_messages = {
        "invalid_choice": _("单位（编号 %(value)s）不存在或已停用，请重新选择。"),
        "invalid_pk_value": _("“%(pk)s”不是有效的单位编号。"),
    }


# --- cycles and periods ---------------------------------------------------------------------------
class ReportingCycleForm(ChainleadModelForm):
    class Meta:
        model = ReportingCycle
        fields = [
            "name",
            "item_kind",
            "frequency",
            "deadline_workdays",
            "deadline_weekday",
            "deadline_time",
            "remind_workdays",
            "starts_on",
            "is_active",
            "comments",
        ]
        widgets = {
            "deadline_time": forms.TimeInput(attrs={"type": "time"}, format="%H:%M"),
            "comments": forms.Textarea(attrs={"rows": 2}),
        }


class PeriodForm(ChainleadModelForm):
    """Office only: correct a period's dates or move its deadline (e.g. extended before a holiday)."""

    class Meta:
        model = Period
        fields = ["cycle", "start", "end", "due_at"]


class ClosePeriodForm(ChainleadForm):
    reason = forms.CharField(label=_("原因"), required=False, max_length=200)


# --- reports --------------------------------------------------------------------------------------
class MultipleImageInput(forms.ClearableFileInput):
    """Several photos at once, straight from the phone camera."""

    allow_multiple_selected = True

    def __init__(self, attrs=None):
        base = {"accept": "image/*", "capture": "environment", "multiple": True}
        super().__init__({**base, **(attrs or {})})


class MultipleImageField(forms.FileField):
    widget = MultipleImageInput

    def clean(self, data, initial=None):
        single = super().clean
        if isinstance(data, (list, tuple)):
            return [single(item, initial) for item in data if item]
        return [single(data, initial)] if data else []


class ItemChoiceField(forms.ModelChoiceField):
    default_error_messages = {"invalid_choice": _("所选对象不存在，或不在您负责的单位范围内。")}


class ProgressReportForm(ChainleadModelForm):
    """The report form, one column on a phone. A new report names its period and item; an existing
    one shows its existing photos with their capture times (taken from the photo) to correct."""

    ytd_completed = forms.DecimalField(
        label=_("本年累计完成"),
        required=False,
        max_digits=18,
        decimal_places=2,
        help_text=_("手头只有累计数时填这里，系统算出本期完成；两项都填须对得上。"),
    )
    photos = MultipleImageField(
        label=_("现场照片"),
        required=False,
        help_text=_("可一次选多张，或直接拍照；每张不超过 20 MB，只接受 JPG、PNG、WebP。"),
    )
    photo_taken_at = forms.DateTimeField(
        label=_("拍摄时间"),
        required=False,
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
        help_text=_("照片里记录了拍摄时间的，自动读取；没有记录的，按这里填写的时间。"),
    )

    class Meta:
        model = ProgressReport
        fields = [
            "period",
            "project",
            "target",
            "period_completed",
            "opening_balance",
            "progress_text",
            "progress_percent",
            "milestones",
            "problems_text",
            "coordination_requests",
            "next_plan",
        ]
        widgets = {
            "progress_text": forms.Textarea(attrs={"rows": 3}),
            "milestones": forms.Textarea(attrs={"rows": 2}),
            "problems_text": forms.Textarea(attrs={"rows": 2}),
            "coordination_requests": forms.Textarea(attrs={"rows": 2}),
            "next_plan": forms.Textarea(attrs={"rows": 2}),
            "period_completed": forms.NumberInput(attrs={"inputmode": "decimal", "step": "0.01"}),
            "progress_percent": forms.NumberInput(attrs={"inputmode": "numeric", "min": 0, "max": 100}),
        }
        field_classes = {"project": ItemChoiceField, "target": ItemChoiceField}

    def __init__(self, *args, user=None, submit: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        self.submit = submit
        report = self.instance
        self.fields["period_completed"].required = False
        self.fields["ytd_completed"].widget.attrs.update({"inputmode": "decimal", "step": "0.01"})
        if report.pk:
            for name in ("period", "project", "target"):
                del self.fields[name]
            kind_label = report.figure_unit
            self.fields["period_completed"].label = _("本期完成（{}）").format(kind_label)
            self.fields["ytd_completed"].label = _("本年累计完成（{}）").format(kind_label)
            if report.target_id:
                del self.fields["opening_balance"]
                self.fields["period_completed"].help_text = _("本期完成量，单位：{}。").format(kind_label)
            else:
                self.fields["period_completed"].help_text = _("本期新完成的投资额（万元）。")
                if self._has_earlier():
                    del self.fields["opening_balance"]
            self.existing_photos = list(report.photos.all()) if report.pk else []
            for photo in self.existing_photos:
                local = timezone.localtime(photo.captured_at) if photo.captured_at else None
                self.fields[f"photo_time_{photo.pk}"] = forms.DateTimeField(
                    label=_("拍摄时间"),
                    required=False,
                    initial=local.strftime("%Y-%m-%dT%H:%M") if local else None,
                    widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
                )
                self.fields[f"photo_remove_{photo.pk}"] = forms.BooleanField(label=_("删除"), required=False)
        else:
            self.existing_photos = []
            periods = (
                Period.objects.select_related("cycle").filter(status=PeriodStatus.OPEN).order_by("-start")
            )
            self.fields["period"].queryset = periods
            self.fields["period"].label_from_instance = lambda p: (
                f"{p.label}（{p.cycle.get_item_kind_display()}）"
            )
            from chainlead.projects.models import KeyProject
            from chainlead.targets.models import AttackTarget

            scope_units = get_scope(user).units_for(ProgressReport, "add") if user else frozenset()
            projects = KeyProject.objects.filter(started_on__isnull=False).order_by("name")
            targets = AttackTarget.objects.select_related("battle_zone").order_by(
                "battle_zone__sort_order", "number"
            )
            if scope_units is not None:
                projects = projects.filter(responsible_unit__in=scope_units)
                targets = targets.filter(responsible_unit__in=scope_units)
            self.fields["project"].queryset = projects
            self.fields["target"].queryset = targets
        self.fields["progress_text"].required = False
        if "opening_balance" in self.fields:
            self.fields["opening_balance"].required = False

    def _has_earlier(self) -> bool:
        report = self.instance
        return (
            ProgressReport.objects.filter(project_id=report.project_id, period__end__lt=report.period.start)
            .exclude(pk=report.pk)
            .exists()
        )

    def photo_rows(self):
        return [(p, self[f"photo_time_{p.pk}"], self[f"photo_remove_{p.pk}"]) for p in self.existing_photos]

    def clean_opening_balance(self):
        return self.cleaned_data.get("opening_balance") or Decimal(0)

    def clean_photos(self):
        files = self.cleaned_data.get("photos") or []
        for f in files:
            if f.size > MAX_PHOTO_BYTES:
                raise forms.ValidationError(
                    _("照片“{}”有 {:.1f} MB，超过 20 MB 的上限。").format(f.name, f.size / 1024 / 1024)
                )
        return files

    def clean(self):
        cleaned = super().clean()
        report = self.instance
        if not report.pk:
            project, target = cleaned.get("project"), cleaned.get("target")
            if project and target:
                self.add_error("target", _("一份报告只能对应一个项目或一个攻坚目标，请只选一个。"))
                return cleaned
            if not project and not target and "project" not in self.errors and "target" not in self.errors:
                self.add_error("project", _("请选择要填报的项目或攻坚目标。"))
                return cleaned
            period = cleaned.get("period")
            if period and (project or target):
                kind = ItemKind.PROJECT if project else ItemKind.TARGET
                if period.cycle.item_kind != kind:
                    self.add_error(
                        "period",
                        _("{}是{}的调度期，不能填报{}。").format(
                            period.label, period.cycle.get_item_kind_display(), ItemKind(kind).label
                        ),
                    )
                    return cleaned
            probe = ProgressReport(period=period, project=project, target=target)
        else:
            probe = report
        period_value = cleaned.get("period_completed")
        ytd = cleaned.get("ytd_completed")
        if period_value is None and ytd is None and "period_completed" not in self.errors:
            self.add_error("period_completed", _("请填写本期完成，或填写本年累计完成。"))
        elif ytd is not None and getattr(probe, "period_id", None) and (probe.project_id or probe.target_id):
            derived, message = services.derive_period_completed(probe, ytd)
            if message:
                self.add_error("ytd_completed", message)
            elif period_value is None:
                cleaned["period_completed"] = derived
        if self.submit and not (cleaned.get("progress_text") or "").strip():
            self.add_error("progress_text", _("请填写形象进度后再提交。"))
        if cleaned.get("photos") and not cleaned.get("photo_taken_at"):
            pass  # photos without EXIF time are caught by the service with the file's name
        return cleaned

    def photo_uploads(self):
        taken = self.cleaned_data.get("photo_taken_at")
        return [services.PhotoUpload(file=f, taken_at=taken) for f in self.cleaned_data.get("photos") or []]

    def photo_times(self) -> dict:
        out = {}
        for photo in self.existing_photos:
            value = self.cleaned_data.get(f"photo_time_{photo.pk}")
            if value:
                out[photo.pk] = value
        return out

    def removed_photos(self) -> list[int]:
        return [p.pk for p in self.existing_photos if self.cleaned_data.get(f"photo_remove_{p.pk}")]


class ReturnReportForm(ChainleadForm):
    reason = forms.CharField(
        label=_("退回原因"), max_length=300, widget=forms.Textarea(attrs={"rows": 2}), required=True
    )


class ApproveReportForm(ChainleadForm):
    comment = forms.CharField(label=_("审核意见"), max_length=300, required=False)


class TotalInvestmentChangeForm(ChainleadModelForm):
    class Meta:
        model = TotalInvestmentChange
        fields = ["project", "new_total", "filed_on", "document_no", "reason", "comments"]
        widgets = {"comments": forms.Textarea(attrs={"rows": 2})}

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        from chainlead.projects.models import KeyProject

        units = get_scope(user).units_for(TotalInvestmentChange, "add") if user else frozenset()
        projects = KeyProject.objects.order_by("name")
        if units is not None:
            projects = projects.filter(responsible_unit__in=units)
        if self.instance.pk:
            projects = projects | KeyProject.objects.filter(pk=self.instance.project_id)
        self.fields["project"].queryset = projects


# --- problems -------------------------------------------------------------------------------------
class ProblemForm(ChainleadModelForm):
    """Raise a problem (and later correct its wording). Routing and status go through the actions."""

    raised_by_unit = UnitChoiceField(label=_("提出单位"), queryset=Unit.objects.none())

    class Meta:
        model = Problem
        fields = [
            "title",
            "category",
            "description",
            "project",
            "target",
            "report",
            "raised_by_unit",
            "raised_on",
        ]
        widgets = {"description": forms.Textarea(attrs={"rows": 4}), "report": forms.HiddenInput}

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        from chainlead.projects.models import KeyProject
        from chainlead.targets.models import AttackTarget

        scope = get_scope(user) if user else None
        units = scope.units_for(Problem, "add") if scope else frozenset()
        unit_qs = _active_units()
        if units is not None:
            unit_qs = unit_qs.filter(pk__in=units)
        self.fields["raised_by_unit"].queryset = unit_qs
        if user is not None and getattr(user, "unit_id", None) and (units is None or user.unit_id in units):
            self.fields["raised_by_unit"].initial = user.unit_id
        visible_projects = KeyProject.objects.restrict(user, "view") if user else KeyProject.objects.none()
        self.fields["project"].queryset = visible_projects.order_by("name")
        self.fields["target"].queryset = (
            AttackTarget.objects.restrict(user, "view") if user else AttackTarget.objects.none()
        ).select_related("battle_zone")
        self.fields["report"].queryset = (
            ProgressReport.objects.restrict(user, "view") if user else ProgressReport.objects.none()
        )
        self.fields["report"].required = False
        if self.instance.pk:
            for name in ("raised_by_unit", "raised_on", "report"):
                del self.fields[name]


class AssignProblemForm(ChainleadForm):
    lead_unit = UnitChoiceField(label=_("牵头单位"), queryset=Unit.objects.none())
    cohandlers = UnitMultipleChoiceField(
        label=_("配合单位"), queryset=Unit.objects.none(), required=False, widget=forms.CheckboxSelectMultiple
    )
    note = forms.CharField(label=_("分派说明"), required=False, max_length=200)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        units = _active_units().exclude(kind="enterprise")
        self.fields["lead_unit"].queryset = units
        self.fields["cohandlers"].queryset = units

    def clean(self):
        cleaned = super().clean()
        lead, co = cleaned.get("lead_unit"), cleaned.get("cohandlers") or []
        if lead and lead in co:
            self.add_error("cohandlers", _("“{}”已是牵头单位，不能同时作为配合单位。").format(lead))
        return cleaned


class NoteForm(ChainleadForm):
    note = forms.CharField(
        label=_("说明"), required=False, max_length=500, widget=forms.Textarea(attrs={"rows": 2})
    )


class RequiredNoteForm(ChainleadForm):
    note = forms.CharField(label=_("批示/意见"), max_length=1000, widget=forms.Textarea(attrs={"rows": 2}))


class ReplyProblemForm(ChainleadForm):
    unit = UnitChoiceField(label=_("配合单位"), queryset=Unit.objects.none())
    reply = forms.CharField(label=_("会办意见"), widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args, units=None, **kwargs):
        super().__init__(*args, **kwargs)
        units = list(units or [])
        self.fields["unit"].queryset = Unit.objects.filter(pk__in=[u.pk for u in units])
        if len(units) == 1:
            self.fields["unit"].initial = units[0].pk


class ResolveProblemForm(ChainleadForm):
    resolution = forms.CharField(label=_("办理结果"), widget=forms.Textarea(attrs={"rows": 3}))


class ReasonForm(ChainleadForm):
    reason = forms.CharField(label=_("原因"), max_length=300, widget=forms.Textarea(attrs={"rows": 2}))


# --- factor requests ------------------------------------------------------------------------------
class FactorRequestForm(ChainleadModelForm):
    department = UnitChoiceField(label=_("保障部门"), queryset=Unit.objects.none())

    class Meta:
        model = FactorRequest
        fields = [
            "project",
            "kind",
            "amount_requested",
            "department",
            "requested_on",
            "description",
            "comments",
        ]
        widgets = {
            "description": forms.Textarea(attrs={"rows": 3}),
            "comments": forms.Textarea(attrs={"rows": 2}),
        }

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        from chainlead.projects.models import KeyProject

        self.fields["department"].queryset = _active_units().exclude(kind="enterprise")
        units = get_scope(user).units_for(FactorRequest, "add") if user else frozenset()
        projects = KeyProject.objects.order_by("name")
        if units is not None:
            projects = projects.filter(responsible_unit__in=units)
        if self.instance.pk:
            projects = projects | KeyProject.objects.filter(pk=self.instance.project_id)
        self.fields["project"].queryset = projects
        self.fields["amount_requested"].help_text = _(
            "按要素的单位填写：用地（亩）、能耗（吨标准煤）、排放（吨）、用水（万立方米）、资金（万元）、人才（人）、审批（件）。"
        )


class GrantFactorForm(ChainleadForm):
    amount_granted = forms.DecimalField(
        label=_("保障数量"), min_value=Decimal(0), max_digits=18, decimal_places=2
    )
    granted_on = forms.DateField(label=_("保障日期"), widget=forms.DateInput)
    reply = forms.CharField(label=_("保障情况"), required=False, widget=forms.Textarea(attrs={"rows": 2}))


# --- meetings and decisions -----------------------------------------------------------------------
class DispatchMeetingForm(ChainleadModelForm):
    class Meta:
        model = DispatchMeeting
        fields = [
            "title",
            "kind",
            "held_on",
            "location",
            "chair",
            "attendees",
            "period",
            "minutes",
            "comments",
        ]
        widgets = {
            "attendees": forms.Textarea(attrs={"rows": 2}),
            "minutes": forms.Textarea(attrs={"rows": 6}),
            "comments": forms.Textarea(attrs={"rows": 2}),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["period"].queryset = Period.objects.select_related("cycle").order_by("-start")


class DecisionForm(ChainleadModelForm):
    """The office records a decision; the owner unit only reports progress."""

    owner_unit = UnitChoiceField(label=_("责任单位"), queryset=Unit.objects.none())

    class Meta:
        model = Decision
        fields = ["meeting", "content", "owner_unit", "deadline", "project", "progress"]
        widgets = {
            "content": forms.Textarea(attrs={"rows": 3}),
            "progress": forms.Textarea(attrs={"rows": 3}),
        }

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["owner_unit"].queryset = _active_units()
        from chainlead.projects.models import KeyProject

        self.fields["project"].queryset = KeyProject.objects.filter(started_on__isnull=False).order_by("name")
        self.is_office = bool(user and get_scope(user).is_office)
        if not self.is_office:
            for name in ("meeting", "content", "owner_unit", "deadline", "project"):
                del self.fields[name]
            self.fields["progress"].required = True
        elif self.instance.pk:
            del self.fields["meeting"]


class CompleteDecisionForm(ChainleadForm):
    done_on = forms.DateField(label=_("完成日期"), widget=forms.DateInput)
    progress = forms.CharField(label=_("落实情况"), required=False, widget=forms.Textarea(attrs={"rows": 2}))


class HoldMeetingForm(ChainleadForm):
    """The opening review: one verdict (and an optional new deadline) per open decision of the
    previous meeting."""

    minutes = forms.CharField(label=_("会议纪要"), required=False, widget=forms.Textarea(attrs={"rows": 4}))

    def __init__(self, *args, decisions=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.decisions = list(decisions)
        for d in self.decisions:
            self.fields[f"review_{d.pk}"] = forms.ChoiceField(
                label=_("第{}项").format(d.number),
                choices=DECISION_REVIEW_CHOICES,
                widget=forms.RadioSelect(attrs={"class": "form-check-input"}),
            )
            self.fields[f"deadline_{d.pk}"] = forms.DateField(
                label=_("新的完成时限"), required=False, widget=forms.DateInput
            )
        from chainlead.utilities.forms import style_widgets

        style_widgets(self)

    def rows(self):
        return [(d, self[f"review_{d.pk}"], self[f"deadline_{d.pk}"]) for d in self.decisions]

    def reviews(self) -> dict:
        return {d.pk: self.cleaned_data[f"review_{d.pk}"] for d in self.decisions}

    def deadlines(self) -> dict:
        return {d.pk: self.cleaned_data.get(f"deadline_{d.pk}") for d in self.decisions}
