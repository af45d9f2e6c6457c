"""Choices of the ledger app."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class BatchStatus(models.TextChoices):
    PARSING = "parsing", _("解析中")
    READY = "ready", _("待确认")
    INVALID = "invalid", _("有错误")
    REJECTED = "rejected", _("已拒绝")
    COMMITTING = "committing", _("导入中")
    COMMITTED = "committed", _("已导入")
    UNDOING = "undoing", _("撤销中")
    UNDONE = "undone", _("已撤销")


BATCH_STATUS_COLORS = {
    BatchStatus.PARSING: "blue",
    BatchStatus.READY: "cyan",
    BatchStatus.INVALID: "orange",
    BatchStatus.REJECTED: "red",
    BatchStatus.COMMITTING: "blue",
    BatchStatus.COMMITTED: "green",
    BatchStatus.UNDOING: "blue",
    BatchStatus.UNDONE: "secondary",
}
#: A batch in one of these states may still be previewed again and committed.
OPEN_STATES = frozenset({BatchStatus.READY, BatchStatus.INVALID})
#: States in which a job is working on the batch.
BUSY_STATES = frozenset({BatchStatus.PARSING, BatchStatus.COMMITTING, BatchStatus.UNDOING})


class FileKind(models.TextChoices):
    XLSX = "xlsx", "Excel (.xlsx)"
    XLS = "xls", "Excel 97-2003 (.xls)"
    ODS = "ods", "OpenDocument (.ods)"
    CSV = "csv", "CSV (.csv)"


class MatchHow(models.TextChoices):
    """How a column was mapped to a field (shown with the confidence on the preview)."""

    REMEMBERED = "remembered", _("已确认过的映射")
    EXACT = "exact", _("同义词完全一致")
    CONTAINS = "contains", _("包含同义词")
    FUZZY = "fuzzy", _("近似匹配")
    MANUAL = "manual", _("手工指定")
    NONE = "none", _("未识别")
