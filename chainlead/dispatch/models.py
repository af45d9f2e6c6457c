"""Regular dispatch (定期调度, DOMAIN.md §4) and cross-department linkage (部门联动):

- ``ReportingCycle`` / ``Period``: how often each kind of item reports, and the periods with their
  deadlines (generated automatically);
- ``ProgressReport`` (+ ``ReportPhoto``, ``TotalInvestmentChange``): one report per item and period,
  draft → submitted → returned/approved → locked, with computed cumulative figures;
- ``Problem`` (+ ``ProblemCoHandler``, ``ProblemStep``): blocking problems routed to a lead
  department and co-handlers, with working-day time limits and escalation;
- ``FactorRequest``: 要素保障 requests of a project;
- ``DispatchMeeting`` / ``Decision``: the dispatch meeting and its 议定事项, carried from meeting
  to meeting until done.

Workflow state moves only through ``chainlead.dispatch.services``.
"""

from __future__ import annotations

import datetime
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from chainlead.core import clock
from chainlead.core.models import ChangeLoggedModel, PrimaryModel
from chainlead.dispatch.choices import (
    ACTIVE_PROBLEM_STATES,
    DECISION_STATUS_COLORS,
    EDITABLE_REPORT_STATES,
    FACTOR_STATUS_COLORS,
    FACTOR_UNITS,
    FREQUENCY_COLORS,
    MEETING_STATUS_COLORS,
    PERIOD_STATUS_COLORS,
    PROBLEM_LEVEL_COLORS,
    PROBLEM_STATUS_COLORS,
    REPORT_STATUS_COLORS,
    STEP_VERB_COLORS,
    DecisionStatus,
    FactorKind,
    FactorStatus,
    Frequency,
    ItemKind,
    MeetingKind,
    MeetingStatus,
    PeriodStatus,
    ProblemCategory,
    ProblemLevel,
    ProblemStatus,
    ReportStatus,
    StepVerb,
    Weekday,
)
from chainlead.organization.choices import Role

MONEY = {"max_digits": 18, "decimal_places": 2}
#: 1万亿元 in 万元: above this the figure was almost surely typed in 元.
ABSURD_WAN = Decimal("100000000")
OFFICE_ONLY = {"add": {Role.OFFICE_ADMIN}, "change": {Role.OFFICE_ADMIN}, "delete": {Role.OFFICE_ADMIN}}


def _user_fk(label, related_name="+"):
    return models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=label,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name=related_name,
    )


# --- cycles and periods ---------------------------------------------------------------------------
class ReportingCycle(PrimaryModel):
    """How often one kind of item reports, and the deadline rule (DOMAIN.md §4.1).

    Weekly: the period is Monday–Sunday and the report is due on ``deadline_weekday`` of that week
    at ``deadline_time`` (the previous working day if that day is a holiday). Monthly and quarterly:
    due ``deadline_workdays`` working days after the period ends, at ``deadline_time``."""

    name = models.CharField(_("名称"), max_length=50)
    item_kind = models.CharField(_("填报对象"), max_length=10, choices=ItemKind.choices)
    frequency = models.CharField(_("频次"), max_length=10, choices=Frequency.choices)
    deadline_workdays = models.PositiveSmallIntegerField(
        _("期末后工作日数"),
        default=5,
        validators=[MaxValueValidator(30)],
        help_text=_("月报、季报：期末后第几个工作日截止（默认月末后5个工作日内）。"),
    )
    deadline_weekday = models.PositiveSmallIntegerField(
        _("周报截止日"),
        choices=Weekday.choices,
        default=Weekday.FRIDAY,
        help_text=_("周报：本周哪一天截止（遇节假日提前到前一个工作日）。"),
    )
    deadline_time = models.TimeField(_("截止时刻"), default=datetime.time(17, 0))
    remind_workdays = models.PositiveSmallIntegerField(
        _("提前提醒（工作日）"),
        default=2,
        validators=[MaxValueValidator(10)],
        help_text=_("截止前几个工作日开始提醒尚未提交的单位。"),
    )
    starts_on = models.DateField(_("启用日期"), help_text=_("从这一天所在的期开始生成调度期。"))
    is_active = models.BooleanField(_("启用"), default=True)

    public_actions = frozenset({"view"})
    permission_roles = OFFICE_ONLY
    FREQUENCY_COLORS = FREQUENCY_COLORS

    class Meta:
        verbose_name = _("报告周期")
        verbose_name_plural = pgettext_lazy("plural", "报告周期")
        ordering = ["item_kind", "frequency"]
        constraints = [
            models.UniqueConstraint(
                fields=["item_kind"],
                condition=Q(is_active=True),
                name="dispatch_cycle_one_active_per_kind",
                violation_error_message=_("每类填报对象只能有一个启用的报告周期，请先停用原周期。"),
            ),
        ]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("dispatch:reportingcycle_detail", args=[self.pk])

    @property
    def deadline_rule(self) -> str:
        time = self.deadline_time.strftime("%H:%M") if self.deadline_time else ""
        if self.frequency == Frequency.WEEKLY:
            return _("每周{}{}前").format(Weekday(self.deadline_weekday).label, time)
        return _("期末后{}个工作日内（{}前）").format(self.deadline_workdays, time)


class Period(ChangeLoggedModel):
    """One reporting period of a cycle, with its deadline. Generated by ``services.ensure_periods``.

    A closed period takes no new or changed reports; closing it locks its approved reports."""

    cycle = models.ForeignKey(
        ReportingCycle, verbose_name=_("报告周期"), on_delete=models.PROTECT, related_name="periods"
    )
    start = models.DateField(_("开始日期"))
    end = models.DateField(_("结束日期"))
    due_at = models.DateTimeField(_("截止时间"))
    status = models.CharField(
        _("状态"), max_length=10, choices=PeriodStatus.choices, default=PeriodStatus.OPEN, db_index=True
    )
    closed_at = models.DateTimeField(_("关闭时间"), null=True, blank=True)
    closed_by = _user_fk(_("关闭人"))

    public_actions = frozenset({"view"})
    permission_roles = OFFICE_ONLY
    STATUS_COLORS = PERIOD_STATUS_COLORS

    class Meta:
        verbose_name = _("调度期")
        verbose_name_plural = pgettext_lazy("plural", "调度期")
        ordering = ["-start", "cycle"]
        constraints = [
            models.UniqueConstraint(
                fields=["cycle", "start"],
                name="dispatch_period_unique_start",
                violation_error_message=_("该报告周期已有从这一天开始的调度期。"),
            ),
        ]
        indexes = [models.Index(fields=["cycle", "status", "start"], name="dispatch_period_open")]

    def __str__(self):
        return f"{self.label} · {self.cycle}"

    def get_absolute_url(self):
        return reverse("dispatch:period_detail", args=[self.pk])

    def clean(self):
        super().clean()
        if self.start and self.end and self.end < self.start:
            raise ValidationError({"end": _("结束日期不能早于开始日期。")})

    @property
    def frequency(self) -> str:
        return self.cycle.frequency

    @property
    def label(self) -> str:
        """2021年11月 · 2021年第47周（11月22日—28日） · 2021年第4季度."""
        if not self.start:
            return ""
        frequency = self.cycle.frequency if self.cycle_id else Frequency.MONTHLY
        if frequency == Frequency.WEEKLY:
            year, week, _weekday = self.start.isocalendar()
            return _("{}年第{}周（{}月{}日—{}月{}日）").format(
                year, week, self.start.month, self.start.day, self.end.month, self.end.day
            )
        if frequency == Frequency.QUARTERLY:
            return _("{}年第{}季度").format(self.start.year, (self.start.month - 1) // 3 + 1)
        return _("{}年{}月").format(self.start.year, self.start.month)

    @property
    def short_label(self) -> str:
        frequency = self.cycle.frequency if self.cycle_id else Frequency.MONTHLY
        if frequency == Frequency.WEEKLY:
            return _("{}.{}—{}.{}").format(self.start.month, self.start.day, self.end.month, self.end.day)
        if frequency == Frequency.QUARTERLY:
            return _("{}年Q{}").format(self.start.year, (self.start.month - 1) // 3 + 1)
        return _("{}年{}月").format(self.start.year, self.start.month)

    @property
    def is_open(self) -> bool:
        return self.status == PeriodStatus.OPEN

    @property
    def is_past_due(self) -> bool:
        return clock.now() > self.due_at


# --- reports --------------------------------------------------------------------------------------
class ProgressReport(PrimaryModel):
    """One progress report of one item (a key project or an attack target) for one period
    (DOMAIN.md §4.2). The responsible unit is copied from the item when the report is started, so
    a later hand-over does not rewrite who reported.

    ``period_completed`` is what the reporter enters (万元 for projects, the target's own unit for
    targets); ``ytd_completed`` and ``since_start_completed`` are computed by the services from the
    item's earlier counted reports (see ``services.compute_figures``)."""

    period = models.ForeignKey(
        Period, verbose_name=_("调度期"), on_delete=models.PROTECT, related_name="reports"
    )
    project = models.ForeignKey(
        "projects.KeyProject",
        verbose_name=_("项目"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="progress_reports",
    )
    target = models.ForeignKey(
        "targets.AttackTarget",
        verbose_name=_("攻坚目标"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="progress_reports",
    )
    responsible_unit = models.ForeignKey(
        "organization.Unit",
        verbose_name=_("填报单位"),
        on_delete=models.PROTECT,
        related_name="progress_reports",
    )
    # --- figures -----------------------------------------------------------------------------------
    period_completed = models.DecimalField(
        _("本期完成"),
        **MONEY,
        default=0,
        validators=[
            MinValueValidator(Decimal(0), message=_("本期完成不能为负数：累计完成投资不能减少。")),
            MaxValueValidator(ABSURD_WAN, message=_("金额超过1万亿元，请确认单位是万元而不是元。")),
        ],
        help_text=_("项目填本期完成投资（万元）；攻坚目标填本期完成量。"),
    )
    opening_balance = models.DecimalField(
        _("开工至上年底累计（万元）"),
        **MONEY,
        default=0,
        validators=[MinValueValidator(Decimal(0)), MaxValueValidator(ABSURD_WAN)],
        help_text=_("只在项目的第一份报告中填写：项目在开始填报之前已完成的投资。"),
    )
    ytd_completed = models.DecimalField(_("本年累计完成"), **MONEY, default=0, editable=False)
    since_start_completed = models.DecimalField(_("开工以来累计完成"), **MONEY, default=0, editable=False)
    annual_plan = models.DecimalField(_("年度计划"), **MONEY, default=0, editable=False)
    progress_text = models.TextField(_("形象进度"), blank=True, help_text=_("如：3#厂房主体施工至三层。"))
    progress_percent = models.PositiveSmallIntegerField(
        _("形象进度（%）"), null=True, blank=True, validators=[MaxValueValidator(100)]
    )
    milestones = models.TextField(_("本期完成节点"), blank=True)
    problems_text = models.TextField(_("存在问题"), blank=True)
    coordination_requests = models.TextField(
        _("需协调事项"), blank=True, help_text=_("需要哪个部门、在什么时间前协调解决什么事项。")
    )
    next_plan = models.TextField(_("下步计划"), blank=True)
    # --- workflow ----------------------------------------------------------------------------------
    status = models.CharField(
        _("状态"), max_length=10, choices=ReportStatus.choices, default=ReportStatus.DRAFT, db_index=True
    )
    first_submitted_at = models.DateTimeField(_("首次提交时间"), null=True, blank=True)
    submitted_at = models.DateTimeField(_("提交时间"), null=True, blank=True)
    submitted_by = _user_fk(_("提交人"))
    reviewed_at = models.DateTimeField(_("审核时间"), null=True, blank=True)
    reviewed_by = _user_fk(_("审核人"))
    review_comment = models.CharField(_("审核意见"), max_length=300, blank=True)
    return_reason = models.CharField(_("退回原因"), max_length=300, blank=True)
    is_late = models.BooleanField(_("迟报"), default=False, help_text=_("首次提交晚于截止时间。"))

    unit_paths = ("responsible_unit",)
    permission_roles = {
        "add": {Role.OFFICE_ADMIN, Role.UNIT_HEAD, Role.REPORTER},
        "change": {Role.OFFICE_ADMIN, Role.UNIT_HEAD, Role.REPORTER},
        "submit": {Role.OFFICE_ADMIN, Role.UNIT_HEAD, Role.REPORTER},
        "approve": {Role.OFFICE_ADMIN, Role.UNIT_HEAD},
        "delete": {Role.OFFICE_ADMIN, Role.UNIT_HEAD},
    }
    STATUS_COLORS = REPORT_STATUS_COLORS

    class Meta:
        verbose_name = _("进度报告")
        verbose_name_plural = pgettext_lazy("plural", "进度报告")
        ordering = ["-period__start", "responsible_unit__path", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(project__isnull=False, target__isnull=True)
                | Q(project__isnull=True, target__isnull=False),
                name="dispatch_report_one_item",
                violation_error_message=_("一份进度报告须对应一个项目或一个攻坚目标（二选一）。"),
            ),
            models.UniqueConstraint(
                fields=["period", "project"],
                condition=Q(project__isnull=False),
                name="dispatch_report_unique_project",
                violation_error_message=_("该项目在这一期已有进度报告，请打开原报告修改。"),
            ),
            models.UniqueConstraint(
                fields=["period", "target"],
                condition=Q(target__isnull=False),
                name="dispatch_report_unique_target",
                violation_error_message=_("该攻坚目标在这一期已有进度报告，请打开原报告修改。"),
            ),
        ]
        indexes = [
            models.Index(fields=["project", "status"], name="dispatch_report_project"),
            models.Index(fields=["target", "status"], name="dispatch_report_target"),
            models.Index(fields=["responsible_unit", "status"], name="dispatch_report_unit"),
        ]

    def __str__(self):
        period = self.period.short_label if self.period_id else ""
        return f"{self.item} · {period}"

    def get_absolute_url(self):
        return reverse("dispatch:progressreport_detail", args=[self.pk])

    @property
    def item(self):
        return self.project if self.project_id else self.target

    @property
    def item_kind(self) -> str:
        return ItemKind.PROJECT if self.project_id else ItemKind.TARGET

    @property
    def figure_unit(self) -> str:
        """万元 for a project; the target's own unit (个, 公里…) for an attack target."""
        if self.project_id or not self.target_id:
            return str(_("万元"))
        return self.target.goal_unit

    @property
    def is_editable(self) -> bool:
        return self.status in EDITABLE_REPORT_STATES and (not self.period_id or self.period.is_open)

    @property
    def plan_rate(self) -> Decimal | None:
        """本年累计 / 年度计划, in %."""
        if not self.annual_plan:
            return None
        return (self.ytd_completed / self.annual_plan * 100).quantize(Decimal("0.1"))

    def clean(self):
        super().clean()
        if self.project_id and self.target_id:
            raise ValidationError(_("一份进度报告须对应一个项目或一个攻坚目标（二选一）。"))


def photo_path(instance, filename: str) -> str:
    return f"dispatch/photos/{instance.report_id}/{filename}"


class ReportPhoto(ChangeLoggedModel):
    """A site photo attached to a report: re-encoded to JPEG (no EXIF, no polyglot), with the
    capture time taken from EXIF DateTimeOriginal or entered by the reporter."""

    report = models.ForeignKey(
        ProgressReport, verbose_name=_("进度报告"), on_delete=models.CASCADE, related_name="photos"
    )
    image = models.FileField(_("照片"), upload_to=photo_path, max_length=300)
    original_name = models.CharField(_("原文件名"), max_length=200, blank=True)
    caption = models.CharField(_("说明"), max_length=200, blank=True)
    captured_at = models.DateTimeField(_("拍摄时间"), null=True, blank=True)
    captured_from_exif = models.BooleanField(_("拍摄时间取自照片"), default=False)
    width = models.PositiveIntegerField(_("宽"), default=0)
    height = models.PositiveIntegerField(_("高"), default=0)
    uploaded_by = _user_fk(_("上传人"))

    unit_paths = ("report__responsible_unit",)
    permission_roles = ProgressReport.permission_roles

    class Meta:
        verbose_name = _("现场照片")
        verbose_name_plural = pgettext_lazy("plural", "现场照片")
        ordering = ["report", "captured_at", "pk"]

    def __str__(self):
        return self.original_name or self.image.name.rsplit("/", 1)[-1]

    def get_absolute_url(self):
        return reverse("dispatch:reportphoto_file", args=[self.pk])

    def changelog_parent(self):
        return self.report


class TotalInvestmentChange(PrimaryModel):
    """A filed change of a project's total investment (总投资调整备案). With it, the cumulative
    figures may exceed the total investment recorded on the project, up to ``new_total``."""

    project = models.ForeignKey(
        "projects.KeyProject",
        verbose_name=_("项目"),
        on_delete=models.PROTECT,
        related_name="investment_changes",
    )
    old_total = models.DecimalField(_("原总投资（万元）"), **MONEY, editable=False, default=0)
    new_total = models.DecimalField(
        _("调整后总投资（万元）"),
        **MONEY,
        validators=[MinValueValidator(Decimal(0)), MaxValueValidator(ABSURD_WAN)],
    )
    filed_on = models.DateField(_("备案日期"))
    document_no = models.CharField(_("备案文号"), max_length=60, blank=True)
    reason = models.CharField(_("调整原因"), max_length=300)

    unit_paths = ("project__responsible_unit",)
    permission_roles = {
        "add": {Role.OFFICE_ADMIN, Role.UNIT_HEAD, Role.REPORTER},
        "change": {Role.OFFICE_ADMIN, Role.UNIT_HEAD},
        "delete": {Role.OFFICE_ADMIN, Role.UNIT_HEAD},
    }

    class Meta:
        verbose_name = _("总投资调整备案")
        verbose_name_plural = pgettext_lazy("plural", "总投资调整备案")
        ordering = ["-filed_on", "-pk"]

    def __str__(self):
        return _("{}：总投资调整为{}万元").format(self.project, f"{self.new_total:,.2f}")

    def get_absolute_url(self):
        return reverse("dispatch:totalinvestmentchange_detail", args=[self.pk])

    def changelog_parent(self):
        return self.project

    def clean(self):
        super().clean()
        if self.filed_on and self.filed_on > clock.today():
            raise ValidationError({"filed_on": _("备案日期不能晚于今天。")})


# --- problems -------------------------------------------------------------------------------------
class Problem(PrimaryModel):
    """A blocking, hard or painful problem (堵点难点痛点), raised from a report or on its own, routed
    to one lead department and co-handling departments (部门联动), with working-day time limits
    and escalation up the four-level ladder (DOMAIN.md §4.4)."""

    number = models.CharField(_("编号"), max_length=20, blank=True, editable=False, db_index=True)
    title = models.CharField(_("问题"), max_length=200)
    description = models.TextField(_("问题描述"), blank=True)
    category = models.CharField(_("类别"), max_length=12, choices=ProblemCategory.choices)
    project = models.ForeignKey(
        "projects.KeyProject",
        verbose_name=_("项目"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="problems",
    )
    target = models.ForeignKey(
        "targets.AttackTarget",
        verbose_name=_("攻坚目标"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="problems",
    )
    report = models.ForeignKey(
        ProgressReport,
        verbose_name=_("来源报告"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="problems",
    )
    raised_by_unit = models.ForeignKey(
        "organization.Unit",
        verbose_name=_("提出单位"),
        on_delete=models.PROTECT,
        related_name="raised_problems",
    )
    raised_by = _user_fk(_("提出人"))
    raised_on = models.DateField(_("提出日期"), default=clock.today)
    lead_unit = models.ForeignKey(
        "organization.Unit",
        verbose_name=_("牵头单位"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="led_problems",
    )
    status = models.CharField(
        _("状态"), max_length=12, choices=ProblemStatus.choices, default=ProblemStatus.RAISED, db_index=True
    )
    level = models.PositiveSmallIntegerField(
        _("协调层级"), choices=ProblemLevel.choices, default=ProblemLevel.PERSON, db_index=True
    )
    assigned_on = models.DateField(_("分派日期"), null=True, blank=True)
    due_on = models.DateField(_("答复时限"), null=True, blank=True, db_index=True)
    next_escalation_on = models.DateField(_("下次升级检查日"), null=True, blank=True, editable=False)
    escalated_on = models.DateField(_("最近升级日期"), null=True, blank=True)
    supervision_no = models.CharField(_("督办单号"), max_length=40, blank=True)
    resolution = models.TextField(_("办理结果"), blank=True)
    resolved_on = models.DateField(_("办结日期"), null=True, blank=True)
    confirmed_on = models.DateField(_("销号日期"), null=True, blank=True)
    reopened_count = models.PositiveSmallIntegerField(_("重新办理次数"), default=0)

    unit_paths = ("raised_by_unit", "lead_unit", "cohandlers__unit")
    permission_roles = {"delete": {Role.OFFICE_ADMIN}}
    STATUS_COLORS = PROBLEM_STATUS_COLORS
    LEVEL_COLORS = PROBLEM_LEVEL_COLORS

    class Meta:
        verbose_name = _("问题")
        verbose_name_plural = pgettext_lazy("plural", "问题")
        ordering = ["-raised_on", "-pk"]
        indexes = [models.Index(fields=["status", "due_on"], name="dispatch_problem_due")]

    def __str__(self):
        return f"{self.number} {self.title}".strip()

    def get_absolute_url(self):
        return reverse("dispatch:problem_detail", args=[self.pk])

    def clean(self):
        super().clean()
        if self.raised_on and self.raised_on > clock.today():
            raise ValidationError({"raised_on": _("提出日期不能晚于今天。")})

    @property
    def item(self):
        return self.project or self.target

    @property
    def is_overdue(self) -> bool:
        return bool(self.status in ACTIVE_PROBLEM_STATES and self.due_on and self.due_on < clock.today())

    @property
    def is_supervised(self) -> bool:
        return self.level >= ProblemLevel.PRINCIPAL


class ProblemCoHandler(ChangeLoggedModel):
    """A co-handling department of a problem and its reply (会办单位须在3个工作日内答复)."""

    problem = models.ForeignKey(
        Problem, verbose_name=_("问题"), on_delete=models.CASCADE, related_name="cohandlers"
    )
    unit = models.ForeignKey(
        "organization.Unit",
        verbose_name=_("配合单位"),
        on_delete=models.PROTECT,
        related_name="cohandled_problems",
    )
    due_on = models.DateField(_("答复时限"), null=True, blank=True)
    reply = models.TextField(_("答复意见"), blank=True)
    replied_on = models.DateField(_("答复日期"), null=True, blank=True)
    replied_by = _user_fk(_("答复人"))

    unit_paths = ("problem__raised_by_unit", "problem__lead_unit", "unit")

    class Meta:
        verbose_name = _("配合单位")
        verbose_name_plural = pgettext_lazy("plural", "配合单位")
        ordering = ["problem", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["problem", "unit"],
                name="dispatch_cohandler_unique",
                violation_error_message=_("该单位已是这个问题的配合单位。"),
            ),
        ]

    def __str__(self):
        return f"{self.problem} · {self.unit}"

    def get_absolute_url(self):
        return self.problem.get_absolute_url()

    def changelog_parent(self):
        return self.problem

    @property
    def is_overdue(self) -> bool:
        return bool(
            not self.replied_on
            and self.due_on
            and self.due_on < clock.today()
            and self.problem.status in ACTIVE_PROBLEM_STATES
        )


class ProblemStep(ChangeLoggedModel):
    """One step of a problem's history: who did what, when, at which level (every step audited)."""

    problem = models.ForeignKey(
        Problem, verbose_name=_("问题"), on_delete=models.CASCADE, related_name="steps"
    )
    verb = models.CharField(_("动作"), max_length=12, choices=StepVerb.choices)
    from_status = models.CharField(_("原状态"), max_length=12, choices=ProblemStatus.choices, blank=True)
    to_status = models.CharField(_("新状态"), max_length=12, choices=ProblemStatus.choices)
    level = models.PositiveSmallIntegerField(_("协调层级"), choices=ProblemLevel.choices)
    on = models.DateField(_("日期"))
    by = _user_fk(_("操作人"))
    unit = models.ForeignKey(
        "organization.Unit",
        verbose_name=_("操作单位"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    note = models.TextField(_("说明"), blank=True)

    unit_paths = ("problem__raised_by_unit", "problem__lead_unit", "problem__cohandlers__unit")
    VERB_COLORS = STEP_VERB_COLORS

    class Meta:
        verbose_name = _("办理记录")
        verbose_name_plural = pgettext_lazy("plural", "办理记录")
        ordering = ["problem", "on", "pk"]

    def __str__(self):
        return f"{self.problem} · {self.get_verb_display()} · {self.on:%Y-%m-%d}"

    def get_absolute_url(self):
        return self.problem.get_absolute_url() + "#steps"

    def changelog_parent(self):
        return self.problem


# --- factor requests ------------------------------------------------------------------------------
class FactorRequest(PrimaryModel):
    """A project's request for a production factor (要素保障): land, energy, emission quota, water,
    funds, talent or approvals, addressed to the department that grants it."""

    project = models.ForeignKey(
        "projects.KeyProject",
        verbose_name=_("项目"),
        on_delete=models.PROTECT,
        related_name="factor_requests",
    )
    kind = models.CharField(_("要素类型"), max_length=10, choices=FactorKind.choices)
    department = models.ForeignKey(
        "organization.Unit",
        verbose_name=_("保障部门"),
        on_delete=models.PROTECT,
        related_name="factor_requests",
        help_text=_("负责保障这项要素的部门，如用地找自然资源局。"),
    )
    amount_requested = models.DecimalField(
        _("申请数量"), max_digits=18, decimal_places=2, validators=[MinValueValidator(Decimal("0.01"))]
    )
    requested_on = models.DateField(_("申请日期"), default=clock.today)
    amount_granted = models.DecimalField(
        _("保障数量"),
        max_digits=18,
        decimal_places=2,
        null=True,
        blank=True,
        editable=False,
        validators=[MinValueValidator(Decimal(0))],
    )
    granted_on = models.DateField(_("保障日期"), null=True, blank=True, editable=False)
    status = models.CharField(
        _("状态"),
        max_length=10,
        choices=FactorStatus.choices,
        default=FactorStatus.PENDING,
        editable=False,
        db_index=True,
    )
    description = models.TextField(_("需求说明"), blank=True)
    reply = models.TextField(_("保障情况"), blank=True, editable=False)

    unit_paths = ("project__responsible_unit", "department")
    STATUS_COLORS = FACTOR_STATUS_COLORS

    class Meta:
        verbose_name = _("要素保障")
        verbose_name_plural = pgettext_lazy("plural", "要素保障")
        ordering = ["-requested_on", "-pk"]
        indexes = [models.Index(fields=["kind", "status"], name="dispatch_factor_kind")]

    def __str__(self):
        return f"{self.project} · {self.get_kind_display()} {self.amount_requested:,.2f}{self.measure}"

    def get_absolute_url(self):
        return reverse("dispatch:factorrequest_detail", args=[self.pk])

    @property
    def measure(self) -> str:
        return str(FACTOR_UNITS.get(self.kind, ""))

    def clean(self):
        super().clean()
        today = clock.today()
        if self.requested_on and self.requested_on > today:
            raise ValidationError({"requested_on": _("申请日期不能晚于今天。")})


# --- meetings and decisions -----------------------------------------------------------------------
class DispatchMeeting(PrimaryModel):
    """A dispatch meeting (调度会): chair, date, attendees, the items it covered and its minutes.

    Its agenda is built from lagging projects, overdue problems and the previous meeting's open
    decisions (``services.prepare_agenda``); it opens by reviewing those decisions."""

    title = models.CharField(_("会议名称"), max_length=100)
    kind = models.CharField(
        _("会议类型"), max_length=10, choices=MeetingKind.choices, default=MeetingKind.MONTHLY
    )
    held_on = models.DateField(_("会议日期"))
    location = models.CharField(_("地点"), max_length=100, blank=True)
    chair = models.CharField(_("主持人"), max_length=50)
    attendees = models.TextField(_("参会人员"), blank=True)
    period = models.ForeignKey(
        Period,
        verbose_name=_("调度期"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="meetings",
        help_text=_("本次会议调度的是哪一期的进度。"),
    )
    previous = models.ForeignKey(
        "self",
        verbose_name=_("上次会议"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        editable=False,
        related_name="+",
    )
    status = models.CharField(
        _("状态"), max_length=10, choices=MeetingStatus.choices, default=MeetingStatus.PLANNED, editable=False
    )
    minutes = models.TextField(_("会议纪要"), blank=True)
    projects = models.ManyToManyField(
        "projects.KeyProject", verbose_name=_("调度项目"), blank=True, related_name="dispatch_meetings"
    )
    targets = models.ManyToManyField(
        "targets.AttackTarget", verbose_name=_("调度攻坚目标"), blank=True, related_name="dispatch_meetings"
    )
    problems = models.ManyToManyField(
        Problem, verbose_name=_("研究问题"), blank=True, related_name="meetings"
    )
    agenda_built_at = models.DateTimeField(_("议程生成时间"), null=True, blank=True, editable=False)

    public_actions = frozenset({"view"})
    permission_roles = OFFICE_ONLY
    STATUS_COLORS = MEETING_STATUS_COLORS

    class Meta:
        verbose_name = _("调度会")
        verbose_name_plural = pgettext_lazy("plural", "调度会")
        ordering = ["-held_on", "-pk"]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("dispatch:dispatchmeeting_detail", args=[self.pk])


class Decision(PrimaryModel):
    """A decision (议定事项) of a meeting: owner unit, deadline, status, follow-up. An open decision
    reviewed at the next meeting is done, cancelled, or carried over: the next meeting then holds a
    new decision whose ``carried_from`` is this one."""

    meeting = models.ForeignKey(
        DispatchMeeting, verbose_name=_("调度会"), on_delete=models.CASCADE, related_name="decisions"
    )
    number = models.PositiveSmallIntegerField(_("序号"), default=1)
    content = models.TextField(_("议定事项"))
    owner_unit = models.ForeignKey(
        "organization.Unit", verbose_name=_("责任单位"), on_delete=models.PROTECT, related_name="decisions"
    )
    deadline = models.DateField(_("完成时限"))
    project = models.ForeignKey(
        "projects.KeyProject",
        verbose_name=_("相关项目"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="decisions",
    )
    status = models.CharField(
        _("状态"),
        max_length=10,
        choices=DecisionStatus.choices,
        default=DecisionStatus.OPEN,
        editable=False,
        db_index=True,
    )
    progress = models.TextField(_("落实情况"), blank=True)
    done_on = models.DateField(_("完成日期"), null=True, blank=True, editable=False)
    carried_from = models.ForeignKey(
        "self",
        verbose_name=_("延续自"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        editable=False,
        related_name="carried_to",
    )

    unit_paths = ("owner_unit",)
    public_actions = frozenset({"view"})
    permission_roles = {
        "add": {Role.OFFICE_ADMIN},
        "change": {Role.OFFICE_ADMIN, Role.UNIT_HEAD, Role.REPORTER},
        "delete": {Role.OFFICE_ADMIN},
    }
    STATUS_COLORS = DECISION_STATUS_COLORS

    class Meta:
        verbose_name = _("议定事项")
        verbose_name_plural = pgettext_lazy("plural", "议定事项")
        ordering = ["meeting", "number", "pk"]

    def __str__(self):
        content = self.content if len(self.content) <= 40 else self.content[:40] + "…"
        return f"{self.number}. {content}"

    def get_absolute_url(self):
        return reverse("dispatch:decision_detail", args=[self.pk])

    def changelog_parent(self):
        return self.meeting

    @property
    def carried_from_meeting(self):
        return self.carried_from.meeting if self.carried_from_id else None

    @property
    def is_overdue(self) -> bool:
        return self.status == DecisionStatus.OPEN and self.deadline < clock.today()
