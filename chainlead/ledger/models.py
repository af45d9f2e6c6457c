"""Models of the ledger app: the synonym table, remembered column mappings and import batches."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from chainlead.core.models import PrimaryModel
from chainlead.ledger.choices import BATCH_STATUS_COLORS, BatchStatus, FileKind
from chainlead.ledger.fields import FIELDS
from chainlead.organization.choices import Role
from chainlead.utilities.querysets import RestrictedQuerySet

FIELD_CHOICES = [(f.key, f.label) for f in FIELDS]


class FieldSynonym(PrimaryModel):
    """A column title that means a field: "计划总投资" → 总投资. Titles are compared after removing
    spaces, line breaks and the unit in brackets, so "总投资（亿元）" needs only "总投资"."""

    field = models.CharField(_("对应字段"), max_length=40, choices=FIELD_CHOICES)
    text = models.CharField(
        _("列名"),
        max_length=60,
        unique=True,
        help_text=_("表头中的写法，不含单位，如：计划总投资、项目业主。"),
    )

    public_actions = {"view"}
    permission_roles = {
        "add": {Role.OFFICE_ADMIN},
        "change": {Role.OFFICE_ADMIN},
        "delete": {Role.OFFICE_ADMIN},
    }

    class Meta:
        verbose_name = _("列名同义词")
        verbose_name_plural = pgettext_lazy("plural", "列名同义词")
        ordering = ["field", "text"]

    def __str__(self):
        return f"{self.text} → {self.get_field_display()}"

    def get_absolute_url(self):
        return reverse("ledger:fieldsynonym_detail", args=[self.pk])

    def clean(self):
        super().clean()
        from chainlead.ledger.normalise import header_unit

        if self.text:
            self.text = header_unit(self.text)[0]


class ColumnMapping(models.Model):
    """A mapping a user confirmed for a header: the next file with the same header (same titles,
    same order) is mapped the same way without asking."""

    signature = models.CharField(_("表头指纹"), max_length=64, unique=True)
    sheet_name = models.CharField(_("工作表"), max_length=100, blank=True)
    headers = models.JSONField(_("表头"), default=list)
    mapping = models.JSONField(_("列映射"), default=dict, help_text=_("列序号 → 字段。"))
    confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("确认人"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    confirmed_at = models.DateTimeField(_("确认时间"), default=timezone.now)
    use_count = models.PositiveIntegerField(_("使用次数"), default=1)

    objects = RestrictedQuerySet.as_manager()
    #: Remembered mappings are the office's to see and forget (a user confirms one by importing).
    permission_roles = {
        "view": {Role.OFFICE_ADMIN},
        "add": {Role.OFFICE_ADMIN},
        "change": {Role.OFFICE_ADMIN},
        "delete": {Role.OFFICE_ADMIN},
    }

    class Meta:
        verbose_name = _("已记住的列映射")
        verbose_name_plural = pgettext_lazy("plural", "已记住的列映射")
        ordering = ["-confirmed_at"]

    def __str__(self):
        return f"{self.sheet_name or '—'}（{len(self.headers)}列）"

    def get_absolute_url(self):
        return reverse("ledger:columnmapping_list") + f"#mapping-{self.pk}"

    def field_labels(self) -> list[tuple[str, str]]:
        labels = dict(FIELD_CHOICES)
        out = []
        for i, header in enumerate(self.headers):
            key = self.mapping.get(str(i), "")
            out.append((header, str(labels.get(key, "—")) if key else "—"))
        return out


class ImportBatchQuerySet(RestrictedQuerySet):
    def restrict(self, user, action: str = "view"):
        """A user sees the batches they uploaded; the office sees all."""
        from chainlead.organization.permissions import get_scope

        if user is None or not getattr(user, "is_authenticated", False):
            return self.none()
        if get_scope(user).is_office:
            return self
        return self.filter(created_by=user)


def import_path(instance, filename: str) -> str:
    return f"imports/{timezone.localdate():%Y/%m}/{filename}"


class ImportBatch(models.Model):
    """One uploaded ledger: its preview, its commit and (maybe) its undo.

    Every object the commit creates or changes is logged with ``batch_id = str(pk)``, which is how
    the batch page lists them and how an undo finds them."""

    created = models.DateTimeField(_("上传时间"), default=timezone.now, db_index=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("上传人"),
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
    )
    unit = models.ForeignKey(
        "organization.Unit",
        verbose_name=_("上传单位"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    file = models.FileField(_("文件"), upload_to=import_path, max_length=300)
    original_name = models.CharField(_("文件名"), max_length=200)
    size = models.PositiveBigIntegerField(_("大小（字节）"), default=0)
    kind = models.CharField(_("格式"), max_length=8, choices=FileKind.choices)
    status = models.CharField(
        _("状态"), max_length=12, choices=BatchStatus.choices, default=BatchStatus.PARSING, db_index=True
    )
    default_unit = models.ForeignKey(
        "organization.Unit",
        verbose_name=_("默认责任单位"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        help_text=_("文件没有“责任单位”列或该列为空时使用。"),
    )
    overrides = models.JSONField(_("手工映射"), default=dict, blank=True)
    preview = models.JSONField(_("预览"), default=dict, blank=True)
    message = models.TextField(_("说明"), blank=True)
    job = models.ForeignKey(
        "core.Job",
        verbose_name=_("后台任务"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    row_count = models.PositiveIntegerField(_("数据行"), default=0)
    created_count = models.PositiveIntegerField(_("新增"), default=0)
    updated_count = models.PositiveIntegerField(_("更新"), default=0)
    unchanged_count = models.PositiveIntegerField(_("无变化"), default=0)
    error_count = models.PositiveIntegerField(_("错误"), default=0)
    warning_count = models.PositiveIntegerField(_("提示"), default=0)
    committed_at = models.DateTimeField(_("导入时间"), null=True, blank=True)
    committed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("确认导入人"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    undone_at = models.DateTimeField(_("撤销时间"), null=True, blank=True)
    undone_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("撤销人"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )

    objects = ImportBatchQuerySet.as_manager()
    STATUS_COLORS = BATCH_STATUS_COLORS

    class Meta:
        verbose_name = _("导入批次")
        verbose_name_plural = pgettext_lazy("plural", "导入批次")
        ordering = ["-created"]

    def __str__(self):
        return "{}（{}）".format(
            self.original_name, timezone.localtime(self.created).strftime("%Y-%m-%d %H:%M")
        )

    def get_absolute_url(self):
        return reverse("ledger:importbatch_detail", args=[self.pk])

    @property
    def batch_id(self) -> str:
        """The id written into every change-log entry of this batch."""
        return str(self.pk)
