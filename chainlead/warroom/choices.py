"""Choices of the war-room app (挂图作战): target kinds, plan and node statuses, approval caps."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from chainlead.projects.choices import InvestmentNature
from chainlead.warroom import engine


class TargetKind(models.TextChoices):
    """What the target date of a plan is for: the 开工 or the 投产 milestone (倒排工期 anchor)."""

    START = "start", _("开工")
    PRODUCTION = "production", _("投产")


class Milestone(models.TextChoices):
    """Marks the template node a target date pins."""

    START = "start", _("开工节点")
    PRODUCTION = "production", _("投产节点")


#: The milestone a target kind pins.
MILESTONE_FOR_TARGET = {TargetKind.START: Milestone.START, TargetKind.PRODUCTION: Milestone.PRODUCTION}


class ScheduleStatus(models.TextChoices):
    DRAFT = "draft", _("编制中")
    APPROVED = "approved", _("已批准")
    REPLANNING = "replanning", _("调整中")


SCHEDULE_STATUS_COLORS = {
    ScheduleStatus.DRAFT: "secondary",
    ScheduleStatus.APPROVED: "green",
    ScheduleStatus.REPLANNING: "orange",
}
#: Plans whose nodes, dependencies and target may be edited freely (no approved baseline is open).
EDITABLE_STATUSES = frozenset({ScheduleStatus.DRAFT, ScheduleStatus.REPLANNING})


class NodeStatus(models.TextChoices):
    """DOMAIN.md §3.2: a node against its due date (the approved baseline's latest finish)."""

    NOT_DUE = engine.NOT_DUE, _("未到期")
    DUE_SOON = engine.DUE_SOON, _("临近到期")
    DONE_ON_TIME = engine.DONE_ON_TIME, _("按期完成")
    DONE_LATE = engine.DONE_LATE, _("逾期完成")
    OVERDUE = engine.OVERDUE, _("逾期未完成")


NODE_STATUS_COLORS = {
    NodeStatus.NOT_DUE: "secondary",
    NodeStatus.DUE_SOON: "yellow",
    NodeStatus.DONE_ON_TIME: "green",
    NodeStatus.DONE_LATE: "orange",
    NodeStatus.OVERDUE: "red",
}
DONE_STATUSES = frozenset({NodeStatus.DONE_ON_TIME, NodeStatus.DONE_LATE})
OPEN_STATUSES = frozenset({NodeStatus.NOT_DUE, NodeStatus.DUE_SOON, NodeStatus.OVERDUE})

#: Shandong 2019: main-process approval ≤ 45 working days for social investment, ≤ 70 for
#: government investment; the whole process ≤ 100 (DOMAIN.md §2.4).
MAIN_PROCESS_CAP_WD = {InvestmentNature.SOCIAL: 45, InvestmentNature.GOVERNMENT: 70}
WHOLE_PROCESS_CAP_WD = 100


class MapColoring(models.TextChoices):
    STAGE = "stage", _("按阶段")
    LIGHT = "light", _("按预警灯")


class Light(models.TextChoices):
    """The schedule light of a project (W4, milestone overdue in calendar days, DOMAIN.md §5)."""

    GREEN = "green", _("绿灯")
    YELLOW = "yellow", _("黄灯")
    RED = "red", _("红灯")
    NONE = "none", _("无计划")


LIGHT_COLORS = {Light.GREEN: "#2fb344", Light.YELLOW: "#f59f00", Light.RED: "#d63939", Light.NONE: "#9aa0ac"}
#: W4: overdue 1–14 calendar days → yellow, ≥ 15 → red.
W4_RED_DAYS = 15
