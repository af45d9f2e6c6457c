"""Choices of the dispatch app (定期调度, DOMAIN.md §4): cycles, periods, reports, problems,
factor requests, meetings and decisions. Each status has its colour map and named subsets; the
allowed transitions are checked in ``services.py`` only."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class ItemKind(models.TextChoices):
    """What a cycle collects reports about."""

    PROJECT = "project", _("重点项目")
    TARGET = "target", _("攻坚目标")


class Frequency(models.TextChoices):
    WEEKLY = "weekly", _("每周")
    MONTHLY = "monthly", _("每月")
    QUARTERLY = "quarterly", _("每季度")


FREQUENCY_COLORS = {Frequency.WEEKLY: "cyan", Frequency.MONTHLY: "blue", Frequency.QUARTERLY: "purple"}


class Weekday(models.IntegerChoices):
    MONDAY = 0, _("周一")
    TUESDAY = 1, _("周二")
    WEDNESDAY = 2, _("周三")
    THURSDAY = 3, _("周四")
    FRIDAY = 4, _("周五")
    SATURDAY = 5, _("周六")
    SUNDAY = 6, _("周日")


class PeriodStatus(models.TextChoices):
    OPEN = "open", _("填报中")
    CLOSED = "closed", _("已关闭")


PERIOD_STATUS_COLORS = {PeriodStatus.OPEN: "green", PeriodStatus.CLOSED: "secondary"}


class ReportStatus(models.TextChoices):
    DRAFT = "draft", _("草稿")
    SUBMITTED = "submitted", _("待审核")
    RETURNED = "returned", _("已退回")
    APPROVED = "approved", _("已审核")
    LOCKED = "locked", _("已锁定")


REPORT_STATUS_COLORS = {
    ReportStatus.DRAFT: "secondary",
    ReportStatus.SUBMITTED: "blue",
    ReportStatus.RETURNED: "orange",
    ReportStatus.APPROVED: "green",
    ReportStatus.LOCKED: "dark",
}
#: The reporter may still change these.
EDITABLE_REPORT_STATES = frozenset({ReportStatus.DRAFT, ReportStatus.RETURNED})
#: Reports whose figures count in the cumulative sums and in the reporting rate (报了即计).
COUNTED_REPORT_STATES = frozenset({ReportStatus.SUBMITTED, ReportStatus.APPROVED, ReportStatus.LOCKED})
#: Reviewed and accepted.
ACCEPTED_REPORT_STATES = frozenset({ReportStatus.APPROVED, ReportStatus.LOCKED})


class ProblemStatus(models.TextChoices):
    RAISED = "raised", _("已提出")
    ASSIGNED = "assigned", _("已分派")
    IN_PROGRESS = "in_progress", _("办理中")
    RESOLVED = "resolved", _("已办结")
    CONFIRMED = "confirmed", _("已销号")
    REOPENED = "reopened", _("重新办理")


PROBLEM_STATUS_COLORS = {
    ProblemStatus.RAISED: "secondary",
    ProblemStatus.ASSIGNED: "cyan",
    ProblemStatus.IN_PROGRESS: "blue",
    ProblemStatus.RESOLVED: "teal",
    ProblemStatus.CONFIRMED: "green",
    ProblemStatus.REOPENED: "orange",
}
#: A lead department is working on these: their time limit runs and they can be overdue.
ACTIVE_PROBLEM_STATES = frozenset({ProblemStatus.ASSIGNED, ProblemStatus.IN_PROGRESS, ProblemStatus.REOPENED})
#: Not yet closed (销号).
OPEN_PROBLEM_STATES = frozenset(
    {
        ProblemStatus.RAISED,
        ProblemStatus.ASSIGNED,
        ProblemStatus.IN_PROGRESS,
        ProblemStatus.RESOLVED,
        ProblemStatus.REOPENED,
    }
)


class ProblemCategory(models.TextChoices):
    """DOMAIN.md §4.4."""

    LAND = "land", _("用地")
    PLANNING = "planning", _("规划")
    PERMITS = "permits", _("审批手续")
    FUNDS = "funds", _("资金")
    ENERGY = "energy", _("能耗指标")
    ENVIRONMENT = "environment", _("环保")
    UTILITIES = "utilities", _("水电气路配套")
    DEMOLITION = "demolition", _("征迁")
    LABOUR = "labour", _("用工")
    TALENT = "talent", _("人才")
    OTHER = "other", _("其他")


class ProblemLevel(models.IntegerChoices):
    """The four-level coordination ladder (DOMAIN.md §4.4); an overdue problem climbs one level."""

    PERSON = 1, _("一级：责任人协调")
    UNIT_HEAD = 2, _("二级：单位负责人")
    LEADER = 3, _("三级：挂钩区领导/链长")
    PRINCIPAL = 4, _("四级：主要领导督办")


PROBLEM_LEVEL_COLORS = {1: "secondary", 2: "yellow", 3: "orange", 4: "red"}


class StepVerb(models.TextChoices):
    """One row of a problem's history (ProblemStep)."""

    RAISED = "raised", _("提出")
    ASSIGNED = "assigned", _("分派")
    STARTED = "started", _("开始办理")
    REPLIED = "replied", _("会办答复")
    RESOLVED = "resolved", _("办结")
    CONFIRMED = "confirmed", _("销号")
    REOPENED = "reopened", _("重新办理")
    ESCALATED = "escalated", _("升级")
    COMMENTED = "commented", _("批示/意见")


STEP_VERB_COLORS = {
    StepVerb.RAISED: "secondary",
    StepVerb.ASSIGNED: "cyan",
    StepVerb.STARTED: "blue",
    StepVerb.REPLIED: "indigo",
    StepVerb.RESOLVED: "teal",
    StepVerb.CONFIRMED: "green",
    StepVerb.REOPENED: "orange",
    StepVerb.ESCALATED: "red",
    StepVerb.COMMENTED: "purple",
}


class FactorKind(models.TextChoices):
    """要素保障 (DOMAIN.md §2.2): what a project asks for, each in its own unit of measure."""

    LAND = "land", _("用地")
    ENERGY = "energy", _("能耗")
    EMISSION = "emission", _("排放总量")
    WATER = "water", _("用水")
    FUNDS = "funds", _("资金")
    TALENT = "talent", _("人才")
    APPROVAL = "approval", _("审批")


#: Unit of measure of each kind.
FACTOR_UNITS = {
    FactorKind.LAND: _("亩"),
    FactorKind.ENERGY: _("吨标准煤"),
    FactorKind.EMISSION: _("吨"),
    FactorKind.WATER: _("万立方米"),
    FactorKind.FUNDS: _("万元"),
    FactorKind.TALENT: _("人"),
    FactorKind.APPROVAL: _("件"),
}


class FactorStatus(models.TextChoices):
    PENDING = "pending", _("待保障")
    PARTIAL = "partial", _("部分保障")
    GRANTED = "granted", _("已保障")
    DECLINED = "declined", _("未予保障")


FACTOR_STATUS_COLORS = {
    FactorStatus.PENDING: "secondary",
    FactorStatus.PARTIAL: "yellow",
    FactorStatus.GRANTED: "green",
    FactorStatus.DECLINED: "red",
}


class MeetingKind(models.TextChoices):
    WEEKLY = "weekly", _("周调度会")
    MONTHLY = "monthly", _("月调度会")
    SPECIAL = "special", _("专题调度会")


class MeetingStatus(models.TextChoices):
    PLANNED = "planned", _("筹备中")
    HELD = "held", _("已召开")


MEETING_STATUS_COLORS = {MeetingStatus.PLANNED: "blue", MeetingStatus.HELD: "green"}


class DecisionStatus(models.TextChoices):
    OPEN = "open", _("落实中")
    DONE = "done", _("已完成")
    CARRIED = "carried", _("转下次会议")
    CANCELLED = "cancelled", _("已撤销")


DECISION_STATUS_COLORS = {
    DecisionStatus.OPEN: "blue",
    DecisionStatus.DONE: "green",
    DecisionStatus.CARRIED: "orange",
    DecisionStatus.CANCELLED: "secondary",
}
#: What the next meeting's opening review may do with an open decision.
DECISION_REVIEW_CHOICES = (
    (DecisionStatus.DONE, _("已完成")),
    (DecisionStatus.CARRIED, _("转下次会议继续落实")),
    (DecisionStatus.CANCELLED, _("撤销")),
)
