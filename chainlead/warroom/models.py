"""挂图作战: node-plan templates, project schedules worked back from a target date (倒排工期), their
approved baselines, and the zone map.

- A ``ScheduleTemplate`` (kept as data the office edits) lists ``TemplateNode``s with a default
  duration in working days and an owner department, linked by finish-to-start
  ``TemplateDependency``s with an optional lag, so parallel branches are possible.
- Applying a template to a project with a target date for 开工 or 投产 copies it into a
  ``ProjectSchedule`` with ``ScheduleNode``s and ``ScheduleDependency``s; the engine
  (``warroom.engine``) computes the earliest and latest dates, slack, critical path and statuses.
- Approving a plan writes a numbered ``Baseline`` with its ``BaselineNode``s. A baseline is written
  once: saving or deleting it again raises, and every page, the API and the admin refuse.
- A ``ZoneMap`` is the zone's GeoJSON of areas and battle zones, drawn without any tile server.

The columns the engine computes (earliest/latest dates, slack, critical, due date, variance,
status) are derived from logged inputs (durations, dependencies, target, actual dates) and are
written without a change-log entry of their own, like ``Unit.path``.
"""

from __future__ import annotations

import datetime

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
from chainlead.organization.choices import Role, UnitKind
from chainlead.projects.choices import InvestmentNature
from chainlead.utilities.querysets import RestrictedQuerySet
from chainlead.warroom.choices import (
    EDITABLE_STATUSES,
    NODE_STATUS_COLORS,
    SCHEDULE_STATUS_COLORS,
    Milestone,
    NodeStatus,
    ScheduleStatus,
    TargetKind,
)

OFFICE_ONLY = {"add": {Role.OFFICE_ADMIN}, "change": {Role.OFFICE_ADMIN}, "delete": {Role.OFFICE_ADMIN}}
PROJECT_PATHS = ("project__responsible_unit", "project__area")
#: Bounds that keep every plan inside the working-day calendar (2004–2040).
MAX_DURATION_WD = 1000
MAX_LAG_WD = 250
OWNER_KINDS = [UnitKind.OFFICE, UnitKind.DEPARTMENT, UnitKind.AREA, UnitKind.BATTLE_ZONE, UnitKind.STREET]


def duration_field():
    return models.IntegerField(
        _("工期（工作日）"),
        default=0,
        validators=[
            MinValueValidator(0, message=_("工期不能为负数；里程碑节点的工期填 0。")),
            MaxValueValidator(MAX_DURATION_WD, message=_("工期不能超过1000个工作日（约4年）。")),
        ],
        help_text=_("按工作日计（自动扣除周末、法定节假日并计入调休上班日）；里程碑填 0。"),
    )


def lag_field():
    return models.IntegerField(
        _("间隔（工作日）"),
        default=0,
        validators=[
            MinValueValidator(0, message=_("间隔不能为负数。")),
            MaxValueValidator(MAX_LAG_WD, message=_("间隔不能超过250个工作日。")),
        ],
        help_text=_("前置节点完成后，再隔几个工作日开始本节点；0 表示下一个工作日开始。"),
    )


def _cycle_message(names: list[str]) -> str:
    chain = " → ".join([*names, names[0]]) if names else ""
    return _("依赖关系形成了循环：{}。请删除其中一条依赖。").format(chain)


# --- templates --------------------------------------------------------------------------------------
class ScheduleTemplate(PrimaryModel):
    """A node plan the office keeps as data: which steps, who owns them, how long they take."""

    name = models.CharField(_("模板名称"), max_length=100, unique=True)
    investment_nature = models.CharField(
        _("适用投资性质"),
        max_length=12,
        choices=InvestmentNature.choices,
        default=InvestmentNature.SOCIAL,
        help_text=_("社会投资项目主流程审批不超过45个工作日，政府投资项目不超过70个工作日（山东省2019年）。"),
    )
    description = models.TextField(_("说明"), blank=True)
    is_active = models.BooleanField(_("启用"), default=True)
    sort_order = models.PositiveIntegerField(_("排序"), default=100)

    public_actions = {"view"}
    permission_roles = OFFICE_ONLY

    class Meta:
        verbose_name = _("计划模板")
        verbose_name_plural = pgettext_lazy("plural", "计划模板")
        ordering = ["sort_order", "name"]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("warroom:scheduletemplate_detail", args=[self.pk])


class TemplateNode(PrimaryModel):
    """One step of a template."""

    template = models.ForeignKey(
        ScheduleTemplate, verbose_name=_("计划模板"), on_delete=models.CASCADE, related_name="nodes"
    )
    name = models.CharField(_("节点名称"), max_length=100)
    owner_department = models.ForeignKey(
        "organization.Unit",
        verbose_name=_("责任部门"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        limit_choices_to={"kind__in": OWNER_KINDS},
    )
    owner_note = models.CharField(
        _("责任主体说明"), max_length=50, blank=True, help_text=_("如：投资方、施工单位、市场监管部门。")
    )
    duration_wd = duration_field()
    is_approval = models.BooleanField(
        _("审批事项"), default=False, help_text=_("计入审批时限（主流程审批与全流程审批）。")
    )
    milestone = models.CharField(
        _("目标节点"),
        max_length=12,
        choices=Milestone.choices,
        blank=True,
        help_text=_("倒排工期时，目标开工日期或目标投产日期落在这个节点上。"),
    )
    sort_order = models.PositiveIntegerField(_("排序"), default=100)
    description = models.CharField(_("说明"), max_length=200, blank=True)

    public_actions = {"view"}
    permission_roles = OFFICE_ONLY

    class Meta:
        verbose_name = _("模板节点")
        verbose_name_plural = pgettext_lazy("plural", "模板节点")
        ordering = ["template", "sort_order", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["template", "name"],
                name="templatenode_unique_name",
                violation_error_message=_("该模板中已有同名节点。"),
            ),
            models.UniqueConstraint(
                fields=["template", "milestone"],
                condition=~Q(milestone=""),
                name="templatenode_unique_milestone",
                violation_error_message=_("该模板中已有这个目标节点（开工节点、投产节点各只能有一个）。"),
            ),
            models.CheckConstraint(
                condition=Q(duration_wd__gte=0),
                name="templatenode_duration_not_negative",
                violation_error_message=_("工期不能为负数。"),
            ),
        ]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("warroom:templatenode_detail", args=[self.pk])

    def changelog_parent(self):
        return self.template

    @property
    def owner_display(self) -> str:
        parts = [str(self.owner_department) if self.owner_department_id else "", self.owner_note]
        return " · ".join(p for p in parts if p) or "—"


class TemplateDependency(PrimaryModel):
    """``successor`` starts after ``predecessor`` finishes (plus ``lag_wd`` working days)."""

    template = models.ForeignKey(
        ScheduleTemplate,
        verbose_name=_("计划模板"),
        on_delete=models.CASCADE,
        related_name="dependencies",
        editable=False,
    )
    predecessor = models.ForeignKey(
        TemplateNode, verbose_name=_("前置节点"), on_delete=models.CASCADE, related_name="out_dependencies"
    )
    successor = models.ForeignKey(
        TemplateNode, verbose_name=_("后续节点"), on_delete=models.CASCADE, related_name="in_dependencies"
    )
    lag_wd = lag_field()

    public_actions = {"view"}
    permission_roles = OFFICE_ONLY

    class Meta:
        verbose_name = _("模板依赖")
        verbose_name_plural = pgettext_lazy("plural", "模板依赖")
        ordering = ["template", "successor__sort_order", "predecessor__sort_order"]
        constraints = [
            models.UniqueConstraint(
                fields=["predecessor", "successor"],
                name="templatedependency_unique",
                violation_error_message=_("这两个节点之间已有依赖。"),
            ),
        ]

    def __str__(self):
        lag = _("（间隔{}个工作日）").format(self.lag_wd) if self.lag_wd else ""
        return f"{self.predecessor_name} → {self.successor_name}{lag}"

    @property
    def predecessor_name(self) -> str:
        return self.predecessor.name if self.predecessor_id else "?"

    @property
    def successor_name(self) -> str:
        return self.successor.name if self.successor_id else "?"

    def get_absolute_url(self):
        return reverse("warroom:templatedependency_detail", args=[self.pk])

    def changelog_parent(self):
        return self.template

    def clean(self):
        super().clean()
        if not (self.predecessor_id and self.successor_id):
            return
        if self.predecessor_id == self.successor_id:
            raise ValidationError({"successor": _("节点不能依赖自己。")})
        if self.predecessor.template_id != self.successor.template_id:
            raise ValidationError({"successor": _("前置节点和后续节点必须属于同一个模板。")})
        self.template_id = self.predecessor.template_id
        from chainlead.warroom.services import template_cycle

        cycle = template_cycle(self.template_id, extra=self)
        if cycle:
            raise ValidationError({"successor": _cycle_message(cycle)})

    def save(self, *args, **kwargs):
        if self.predecessor_id and not self.template_id:
            self.template_id = self.predecessor.template_id
        super().save(*args, **kwargs)


# --- schedules -----------------------------------------------------------------------------------------
class ProjectSchedule(PrimaryModel):
    """A project's node plan, worked back from its target date for 开工 or 投产."""

    project = models.OneToOneField(
        "projects.KeyProject", verbose_name=_("项目"), on_delete=models.CASCADE, related_name="schedule"
    )
    template = models.ForeignKey(
        ScheduleTemplate, verbose_name=_("计划模板"), on_delete=models.PROTECT, related_name="schedules"
    )
    target_kind = models.CharField(
        _("目标节点"), max_length=12, choices=TargetKind.choices, default=TargetKind.PRODUCTION
    )
    target_date = models.DateField(_("目标日期"))
    status = models.CharField(
        _("计划状态"),
        max_length=12,
        choices=ScheduleStatus.choices,
        default=ScheduleStatus.DRAFT,
        editable=False,
    )
    replan_reason = models.CharField(_("调整原因"), max_length=300, blank=True, editable=False)
    # --- computed by the engine ---------------------------------------------------------------------
    computed_on = models.DateField(_("计算日期"), null=True, blank=True, editable=False)
    feasible = models.BooleanField(_("可行"), default=True, editable=False)
    shortfall_wd = models.IntegerField(_("缺口（工作日）"), default=0, editable=False)
    forecast_date = models.DateField(_("预测达成日期"), null=True, blank=True, editable=False)
    approval_wd = models.IntegerField(_("主流程审批（工作日）"), default=0, editable=False)
    whole_approval_wd = models.IntegerField(_("全流程审批（工作日）"), default=0, editable=False)
    overdue_count = models.IntegerField(_("逾期节点数"), default=0, editable=False)
    problems = models.JSONField(_("计算提示"), default=dict, blank=True, editable=False)

    unit_paths = PROJECT_PATHS
    STATUS_COLORS = SCHEDULE_STATUS_COLORS

    class Meta:
        verbose_name = _("进度计划")
        verbose_name_plural = pgettext_lazy("plural", "进度计划")
        ordering = ["target_date", "pk"]

    def __str__(self):
        return _("{}进度计划").format(self.project.name if self.project_id else "")

    def get_absolute_url(self):
        return reverse("warroom:projectschedule_detail", args=[self.pk])

    def changelog_parent(self):
        return self.project

    @property
    def is_editable(self) -> bool:
        return self.status in EDITABLE_STATUSES

    def clean(self):
        super().clean()
        first, last = calendar_bounds()
        if self.target_date and not first <= self.target_date <= last:
            raise ValidationError(
                {
                    "target_date": _("目标日期应在 {} 至 {} 之间（工作日历的范围）。").format(
                        first.isoformat(), last.isoformat()
                    )
                }
            )


def calendar_bounds() -> tuple[datetime.date, datetime.date]:
    """Dates a plan may use: the working-day calendar's years, less a margin for the passes."""
    from chainlead.core.workdays import FIRST_YEAR, LAST_YEAR

    return datetime.date(FIRST_YEAR + 1, 1, 1), datetime.date(LAST_YEAR - 2, 12, 31)


def evidence_path(instance, filename: str) -> str:
    return f"warroom/evidence/{instance.schedule_id}/{instance.pk or 'new'}/{filename}"


class ScheduleNode(PrimaryModel):
    """One step of a project's plan, with its computed dates and its actual dates."""

    schedule = models.ForeignKey(
        ProjectSchedule, verbose_name=_("进度计划"), on_delete=models.CASCADE, related_name="nodes"
    )
    template_node = models.ForeignKey(
        TemplateNode,
        verbose_name=_("来源模板节点"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        editable=False,
    )
    name = models.CharField(_("节点名称"), max_length=100)
    owner_department = models.ForeignKey(
        "organization.Unit",
        verbose_name=_("责任部门"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="schedule_nodes",
        limit_choices_to={"kind__in": OWNER_KINDS},
    )
    owner_note = models.CharField(_("责任主体说明"), max_length=50, blank=True)
    duration_wd = duration_field()
    is_approval = models.BooleanField(_("审批事项"), default=False)
    milestone = models.CharField(_("目标节点"), max_length=12, choices=Milestone.choices, blank=True)
    sort_order = models.PositiveIntegerField(_("排序"), default=100)
    # --- actuals ------------------------------------------------------------------------------------
    actual_start = models.DateField(_("实际开始"), null=True, blank=True, editable=False)
    actual_finish = models.DateField(_("实际完成"), null=True, blank=True, editable=False)
    evidence = models.FileField(
        _("完成佐证"), upload_to=evidence_path, max_length=300, blank=True, editable=False
    )
    evidence_note = models.CharField(_("完成情况说明"), max_length=300, blank=True, editable=False)
    completed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("填报人"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        editable=False,
    )
    # --- computed by the engine ---------------------------------------------------------------------
    early_start = models.DateField(_("最早开始"), null=True, blank=True, editable=False)
    early_finish = models.DateField(_("最早完成"), null=True, blank=True, editable=False)
    late_start = models.DateField(_("最迟开始"), null=True, blank=True, editable=False)
    late_finish = models.DateField(_("最迟完成"), null=True, blank=True, editable=False)
    slack_wd = models.IntegerField(_("总时差（工作日）"), null=True, blank=True, editable=False)
    is_critical = models.BooleanField(_("关键节点"), default=False, editable=False)
    due_on = models.DateField(
        _("完成时限"),
        null=True,
        blank=True,
        editable=False,
        db_index=True,
        help_text=_("已批准基线的最迟完成日期；尚无基线时为当前计划的最迟完成日期。"),
    )
    baseline_finish = models.DateField(_("基线完成"), null=True, blank=True, editable=False)
    variance_wd = models.IntegerField(_("偏差（工作日）"), null=True, blank=True, editable=False)
    status = models.CharField(
        _("节点状态"),
        max_length=14,
        choices=NodeStatus.choices,
        default=NodeStatus.NOT_DUE,
        editable=False,
        db_index=True,
    )

    unit_paths = (
        "schedule__project__responsible_unit",
        "schedule__project__area",
        "owner_department",
    )
    STATUS_COLORS = NODE_STATUS_COLORS
    #: Plan fields: changing them on an approved plan is a re-plan.
    PLAN_FIELDS = ("duration_wd", "milestone")

    class Meta:
        verbose_name = _("计划节点")
        verbose_name_plural = pgettext_lazy("plural", "计划节点")
        ordering = ["schedule", "sort_order", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["schedule", "name"],
                name="schedulenode_unique_name",
                violation_error_message=_("该进度计划中已有同名节点。"),
            ),
            models.UniqueConstraint(
                fields=["schedule", "milestone"],
                condition=~Q(milestone=""),
                name="schedulenode_unique_milestone",
                violation_error_message=_("该进度计划中已有这个目标节点。"),
            ),
            models.CheckConstraint(
                condition=Q(duration_wd__gte=0),
                name="schedulenode_duration_not_negative",
                violation_error_message=_("工期不能为负数。"),
            ),
        ]
        indexes = [models.Index(fields=["status", "due_on"], name="schedulenode_status_due")]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("warroom:schedulenode_detail", args=[self.pk])

    def changelog_parent(self):
        return self.schedule

    @property
    def owner_display(self) -> str:
        parts = [str(self.owner_department) if self.owner_department_id else "", self.owner_note]
        return " · ".join(p for p in parts if p) or "—"

    @property
    def is_done(self) -> bool:
        return self.actual_finish is not None

    @property
    def days_overdue(self) -> int | None:
        """Calendar days past the due date (W4 counts calendar days), if overdue today."""
        if self.actual_finish or not self.due_on:
            return None
        days = (clock.today() - self.due_on).days
        return days if days > 0 else None

    def clean(self):
        super().clean()
        if self.schedule_id is None:
            return
        schedule = self.schedule
        if self.pk and not schedule.is_editable:
            old = type(self).objects.filter(pk=self.pk).values(*self.PLAN_FIELDS).first() or {}
            changed = [f for f in self.PLAN_FIELDS if old.get(f) != getattr(self, f)]
            if changed:
                raise ValidationError(
                    {
                        changed[0]: _(
                            "计划已批准为基线，不能直接修改工期或目标节点。请先在进度计划页面点“调整计划”并填写原因。"
                        )
                    }
                )
        if not self.pk and not schedule.is_editable:
            raise ValidationError(
                _("计划已批准为基线，不能直接增加节点。请先在进度计划页面点“调整计划”并填写原因。")
            )


class ScheduleDependency(PrimaryModel):
    """Finish-to-start between two nodes of one project's plan, with an optional lag."""

    schedule = models.ForeignKey(
        ProjectSchedule,
        verbose_name=_("进度计划"),
        on_delete=models.CASCADE,
        related_name="dependencies",
        editable=False,
    )
    predecessor = models.ForeignKey(
        ScheduleNode, verbose_name=_("前置节点"), on_delete=models.CASCADE, related_name="out_dependencies"
    )
    successor = models.ForeignKey(
        ScheduleNode, verbose_name=_("后续节点"), on_delete=models.CASCADE, related_name="in_dependencies"
    )
    lag_wd = lag_field()

    unit_paths = ("schedule__project__responsible_unit", "schedule__project__area")

    class Meta:
        verbose_name = _("节点依赖")
        verbose_name_plural = pgettext_lazy("plural", "节点依赖")
        ordering = ["schedule", "successor__sort_order", "predecessor__sort_order"]
        constraints = [
            models.UniqueConstraint(
                fields=["predecessor", "successor"],
                name="scheduledependency_unique",
                violation_error_message=_("这两个节点之间已有依赖。"),
            ),
        ]

    def __str__(self):
        lag = _("（间隔{}个工作日）").format(self.lag_wd) if self.lag_wd else ""
        pred = self.predecessor.name if self.predecessor_id else "?"
        succ = self.successor.name if self.successor_id else "?"
        return f"{pred} → {succ}{lag}"

    def get_absolute_url(self):
        return reverse("warroom:scheduledependency_detail", args=[self.pk])

    def changelog_parent(self):
        return self.schedule

    def clean(self):
        super().clean()
        if not (self.predecessor_id and self.successor_id):
            return
        if self.predecessor_id == self.successor_id:
            raise ValidationError({"successor": _("节点不能依赖自己。")})
        if self.predecessor.schedule_id != self.successor.schedule_id:
            raise ValidationError({"successor": _("前置节点和后续节点必须属于同一个进度计划。")})
        self.schedule_id = self.predecessor.schedule_id
        if not self.predecessor.schedule.is_editable:
            raise ValidationError(
                _("计划已批准为基线，不能直接修改依赖关系。请先在进度计划页面点“调整计划”并填写原因。")
            )
        from chainlead.warroom.services import schedule_cycle

        cycle = schedule_cycle(self.schedule_id, extra=self)
        if cycle:
            raise ValidationError({"successor": _cycle_message(cycle)})

    def save(self, *args, **kwargs):
        if self.predecessor_id and not self.schedule_id:
            self.schedule_id = self.predecessor.schedule_id
        super().save(*args, **kwargs)


# --- baselines (written once) ---------------------------------------------------------------------------
class BaselineImmutable(Exception):
    """An approved baseline is written once; nothing may change or delete it."""

    def __init__(self, message=None):
        from django.utils.translation import gettext

        self.message = message or gettext(
            "基线一经批准即不可修改或删除；如需调整，请“调整计划”后批准新的基线。"
        )
        super().__init__(self.message)


class ImmutableQuerySet(RestrictedQuerySet):
    def update(self, **kwargs):
        raise BaselineImmutable()

    def delete(self):
        raise BaselineImmutable()

    def bulk_update(self, objs, fields, *args, **kwargs):
        raise BaselineImmutable()


class ImmutableManager(models.Manager.from_queryset(ImmutableQuerySet)):
    pass


class Baseline(ChangeLoggedModel):
    """An approved plan, numbered 1, 2, … per schedule; never changed once written."""

    schedule = models.ForeignKey(
        ProjectSchedule, verbose_name=_("进度计划"), on_delete=models.PROTECT, related_name="baselines"
    )
    number = models.PositiveIntegerField(_("基线编号"))
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("批准人"), on_delete=models.PROTECT, related_name="+"
    )
    approved_at = models.DateTimeField(_("批准时间"))
    approved_on = models.DateField(_("批准日期"), help_text=_("业务日期。"))
    reason = models.TextField(_("批准说明/调整原因"), blank=True)
    target_kind = models.CharField(_("目标节点"), max_length=12, choices=TargetKind.choices)
    target_date = models.DateField(_("目标日期"))
    feasible = models.BooleanField(_("批准时可行"), default=True)
    shortfall_wd = models.IntegerField(_("批准时缺口（工作日）"), default=0)

    objects = ImmutableManager()
    unit_paths = ("schedule__project__responsible_unit", "schedule__project__area")
    #: Written only by ``services.approve_baseline``; nobody may add, change or delete one by hand.
    permission_roles = {"add": set(), "change": set(), "delete": set()}

    class Meta:
        verbose_name = _("基线")
        verbose_name_plural = pgettext_lazy("plural", "基线")
        ordering = ["schedule", "-number"]
        constraints = [
            models.UniqueConstraint(
                fields=["schedule", "number"],
                name="baseline_unique_number",
                violation_error_message=_("该进度计划已有这个编号的基线。"),
            ),
        ]

    def __str__(self):
        return _("基线{}（{}）").format(
            self.number, self.approved_on.strftime("%Y-%m-%d") if self.approved_on else ""
        )

    def get_absolute_url(self):
        return reverse("warroom:baseline_detail", args=[self.pk])

    def changelog_parent(self):
        return self.schedule

    def save(self, *args, **kwargs):
        if not self._state.adding:
            raise BaselineImmutable()
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise BaselineImmutable()


class BaselineNode(ChangeLoggedModel):
    """A node as it stood in an approved baseline."""

    baseline = models.ForeignKey(
        Baseline, verbose_name=_("基线"), on_delete=models.PROTECT, related_name="nodes"
    )
    node = models.ForeignKey(
        ScheduleNode, verbose_name=_("计划节点"), on_delete=models.PROTECT, related_name="baseline_nodes"
    )
    name = models.CharField(_("节点名称"), max_length=100)
    owner = models.CharField(_("责任部门"), max_length=150, blank=True)
    duration_wd = models.IntegerField(_("工期（工作日）"))
    early_start = models.DateField(_("最早开始"), null=True)
    early_finish = models.DateField(_("最早完成"), null=True)
    late_start = models.DateField(_("最迟开始"), null=True)
    late_finish = models.DateField(_("最迟完成"), null=True)
    slack_wd = models.IntegerField(_("总时差（工作日）"), null=True)
    is_critical = models.BooleanField(_("关键节点"), default=False)
    sort_order = models.PositiveIntegerField(_("排序"), default=100)

    objects = ImmutableManager()
    unit_paths = ("baseline__schedule__project__responsible_unit", "baseline__schedule__project__area")
    permission_roles = {"add": set(), "change": set(), "delete": set()}

    class Meta:
        verbose_name = _("基线节点")
        verbose_name_plural = pgettext_lazy("plural", "基线节点")
        ordering = ["baseline", "sort_order", "pk"]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("warroom:baseline_detail", args=[self.baseline_id])

    def changelog_parent(self):
        return self.baseline

    def save(self, *args, **kwargs):
        if not self._state.adding:
            raise BaselineImmutable()
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise BaselineImmutable()


# --- the zone map ----------------------------------------------------------------------------------------
def zonemap_path(instance, filename: str) -> str:
    return f"warroom/maps/{filename}"


class ZoneMap(PrimaryModel):
    """The zone's GeoJSON of areas and battle zones, uploaded by the office; the newest active
    map is the one drawn."""

    name = models.CharField(_("地图名称"), max_length=100)
    file = models.FileField(_("GeoJSON 文件"), upload_to=zonemap_path, max_length=300)
    original_name = models.CharField(_("原文件名"), max_length=200, blank=True, editable=False)
    size = models.PositiveIntegerField(_("文件大小（字节）"), default=0, editable=False)
    feature_count = models.PositiveIntegerField(_("要素数"), default=0, editable=False)
    bbox = models.JSONField(_("范围"), default=list, blank=True, editable=False)
    features = models.JSONField(_("要素与单位"), default=list, blank=True, editable=False)
    unmatched = models.JSONField(_("未匹配单位的要素"), default=list, blank=True, editable=False)
    is_active = models.BooleanField(_("启用"), default=True)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("上传人"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        editable=False,
    )

    public_actions = {"view"}
    permission_roles = OFFICE_ONLY

    class Meta:
        verbose_name = _("区域地图")
        verbose_name_plural = pgettext_lazy("plural", "区域地图")
        ordering = ["-created"]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("warroom:zonemap_detail", args=[self.pk])

    def clean(self):
        """Check the GeoJSON (when a new file is given) and link its features to units."""
        super().clean()
        upload = self.file
        if not upload or getattr(upload, "_committed", True):
            return
        from chainlead.organization.choices import TERRITORIAL_KINDS
        from chainlead.organization.models import Unit
        from chainlead.warroom.geojson import MAX_GEOJSON_BYTES, check_geojson

        name = getattr(upload, "name", "") or ""
        size = getattr(upload, "size", None) or 0
        if size > MAX_GEOJSON_BYTES:
            raise ValidationError(
                {
                    "file": _("文件“{}”有 {:.1f} MB，超过 {} MB 的上限。").format(
                        name, size / 1024 / 1024, MAX_GEOJSON_BYTES // 1024 // 1024
                    )
                }
            )
        upload.seek(0)
        data = upload.read()
        upload.seek(0)
        units = Unit.objects.filter(kind__in=sorted(k.value for k in TERRITORIAL_KINDS)).values_list(
            "pk", "name", "short_name"
        )
        try:
            checked = check_geojson(data, name=name, units=list(units))
        except ValidationError as exc:
            raise ValidationError({"file": exc.messages})
        self.original_name = name.rsplit("/", 1)[-1][:200]
        self.size = len(data)
        self.feature_count = len(checked.features)
        self.bbox = checked.bbox
        self.features = checked.features
        self.unmatched = checked.unmatched
