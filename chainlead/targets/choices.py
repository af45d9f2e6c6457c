"""Choices of the targets app."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class TargetStatus(models.TextChoices):
    PLANNED = "planned", _("未启动")
    IN_PROGRESS = "in_progress", _("推进中")
    DONE = "done", _("已完成")
    CANCELLED = "cancelled", _("已取消")


TARGET_STATUS_COLORS = {
    TargetStatus.PLANNED: "secondary",
    TargetStatus.IN_PROGRESS: "blue",
    TargetStatus.DONE: "green",
    TargetStatus.CANCELLED: "dark",
}
#: Statuses after which a target no longer runs: it cannot be overdue, only reopened.
TERMINAL_STATUSES = frozenset({TargetStatus.DONE, TargetStatus.CANCELLED})
#: Statuses of a target still being fought for.
OPEN_STATUSES = frozenset({TargetStatus.PLANNED, TargetStatus.IN_PROGRESS})
