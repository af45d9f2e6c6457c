"""The change log (one row per create, update or delete) and the audit events (one row per
workflow verb, for people to read)."""

from __future__ import annotations

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from chainlead.utilities.querysets import RestrictedQuerySet


class ChangeAction(models.TextChoices):
    CREATE = "create", _("新建")
    UPDATE = "update", _("修改")
    DELETE = "delete", _("删除")


CHANGE_ACTION_COLORS = {ChangeAction.CREATE: "green", ChangeAction.UPDATE: "blue", ChangeAction.DELETE: "red"}


AUDIT_VERBS = {
    "login": _("登录"),
    "logout": _("退出"),
    "login_failed": _("登录失败"),
    "locked": _("账户锁定"),
    "password_changed": _("修改密码"),
    "password_reset": _("重置密码"),
    "submitted": _("提交"),
    "returned": _("退回"),
    "approved": _("审核通过"),
    "issued": _("签发"),
    "scored": _("评分"),
    "stage_changed": _("阶段变更"),
    "fai_in_db": _("入库纳统"),
    "enterprise_in_stats": _("企业纳统"),
    "completed": _("标记完成"),
    "reopened": _("重新打开"),
}


class ImmutableQuerySet(RestrictedQuerySet):
    """Log rows are written once and never edited; only the retention job deletes old ones."""

    def update(self, **kwargs):
        raise PermissionError("change-log entries cannot be edited")


class ObjectChange(models.Model):
    """One write to one object: who, when, under which request or job, and the values before and
    after. Written by ``chainlead.core.changelog`` for every save, delete and bulk write."""

    time = models.DateTimeField(_("时间"), db_index=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("操作人"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    user_name = models.CharField(_("操作人姓名"), max_length=150, blank=True)
    request_id = models.UUIDField(_("请求/任务编号"), db_index=True)
    source = models.CharField(_("来源"), max_length=60, blank=True)
    batch_id = models.CharField(_("导入批次"), max_length=64, blank=True, db_index=True)
    action = models.CharField(_("操作"), max_length=10, choices=ChangeAction.choices)
    content_type = models.ForeignKey(
        ContentType, verbose_name=_("对象类型"), on_delete=models.PROTECT, related_name="+"
    )
    object_id = models.PositiveBigIntegerField(_("对象编号"))
    object_repr = models.CharField(_("对象"), max_length=200)
    related_content_type = models.ForeignKey(
        ContentType, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    related_object_id = models.PositiveBigIntegerField(null=True, blank=True)
    prechange_data = models.JSONField(_("修改前"), null=True, blank=True)
    postchange_data = models.JSONField(_("修改后"), null=True, blank=True)

    objects = ImmutableQuerySet.as_manager()
    ACTION_COLORS = CHANGE_ACTION_COLORS

    class Meta:
        verbose_name = _("变更记录")
        verbose_name_plural = pgettext_lazy("plural", "变更记录")
        ordering = ["-time", "-pk"]
        indexes = [
            models.Index(fields=["content_type", "object_id", "-time"], name="objectchange_object"),
            models.Index(fields=["related_content_type", "related_object_id"], name="objectchange_related"),
        ]

    def __str__(self):
        return f"{self.get_action_display()} {self.object_repr}"

    def save(self, *args, **kwargs):
        if self.pk is not None and not kwargs.get("force_insert"):
            raise PermissionError("change-log entries cannot be edited")
        super().save(*args, **kwargs)

    def diff(self) -> list[tuple[str, object, object]]:
        """(field, before, after) for the fields this change touched, in model order."""
        before = self.prechange_data or {}
        after = self.postchange_data or {}
        keys = list(after.keys() or before.keys())
        skip = {"last_updated", "version"}
        return [
            (k, before.get(k), after.get(k)) for k in keys if k not in skip and before.get(k) != after.get(k)
        ]


class AuditEvent(models.Model):
    """A workflow step a supervisor reads: "submitted", "returned", "approved", "issued", "scored"…

    Written by service functions (``chainlead.core.audit.record_event``), never by views."""

    time = models.DateTimeField(_("时间"), auto_now_add=True, db_index=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("操作人"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    user_name = models.CharField(_("操作人姓名"), max_length=150, blank=True)
    unit = models.ForeignKey(
        "organization.Unit",
        verbose_name=_("操作单位"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    verb = models.CharField(_("事件"), max_length=40, db_index=True)
    content_type = models.ForeignKey(
        ContentType,
        verbose_name=_("对象类型"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    object_id = models.PositiveBigIntegerField(_("对象编号"), null=True, blank=True)
    object_repr = models.CharField(_("对象"), max_length=200, blank=True)
    message = models.TextField(_("说明"), blank=True)
    data = models.JSONField(_("数据"), default=dict, blank=True)
    request_id = models.UUIDField(_("请求/任务编号"), null=True, blank=True)

    objects = ImmutableQuerySet.as_manager()

    class Meta:
        verbose_name = _("审计事件")
        verbose_name_plural = pgettext_lazy("plural", "审计事件")
        ordering = ["-time", "-pk"]
        indexes = [models.Index(fields=["content_type", "object_id", "-time"], name="auditevent_object")]

    def __str__(self):
        return f"{self.user_name} {self.verb_label} {self.object_repr}"

    @property
    def verb_label(self) -> str:
        return str(AUDIT_VERBS.get(self.verb, self.verb))

    def save(self, *args, **kwargs):
        if self.pk is not None and not kwargs.get("force_insert"):
            raise PermissionError("audit events cannot be edited")
        super().save(*args, **kwargs)
