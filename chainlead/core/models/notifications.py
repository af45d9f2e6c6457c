"""In-app notifications (reminders, escalations, light changes) and group-robot webhooks."""

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from chainlead.core.models.base import PrimaryModel
from chainlead.utilities.querysets import RestrictedQuerySet


class NotificationLevel(models.TextChoices):
    INFO = "info", _("通知")
    WARNING = "warning", _("提醒")
    DANGER = "danger", _("预警")


class NotificationQuerySet(RestrictedQuerySet):
    def restrict(self, user, action="view"):
        """Everyone sees only their own notifications."""
        if user is None or not user.is_authenticated:
            return self.none()
        return self.filter(user=user)

    def unread(self):
        return self.filter(read_at__isnull=True)


class Notification(models.Model):
    """A message to one user. Platform bookkeeping (like jobs): the event that caused it is what the
    change log and the audit events record."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("接收人"),
        on_delete=models.CASCADE,
        related_name="notifications",
    )
    level = models.CharField(
        _("级别"), max_length=10, choices=NotificationLevel.choices, default=NotificationLevel.INFO
    )
    title = models.CharField(_("标题"), max_length=200)
    body = models.TextField(_("内容"), blank=True)
    url = models.CharField(_("链接"), max_length=300, blank=True)
    kind = models.CharField(_("类别"), max_length=40, blank=True, db_index=True)
    dedupe_key = models.CharField(max_length=200, blank=True, db_index=True)
    created = models.DateTimeField(_("时间"), auto_now_add=True, db_index=True)
    read_at = models.DateTimeField(_("已读时间"), null=True, blank=True)

    objects = NotificationQuerySet.as_manager()

    class Meta:
        verbose_name = _("站内通知")
        verbose_name_plural = pgettext_lazy("plural", "站内通知")
        ordering = ["-created"]
        indexes = [models.Index(fields=["user", "read_at"], name="notification_unread")]

    def __str__(self):
        return self.title


class WebhookKind(models.TextChoices):
    DINGTALK = "dingtalk", _("钉钉群机器人")
    WECOM = "wecom", _("企业微信群机器人")


class UnitWebhook(PrimaryModel):
    """A DingTalk or WeCom group robot that receives a unit's reminders."""

    unit = models.ForeignKey(
        "organization.Unit", verbose_name=_("单位"), on_delete=models.CASCADE, related_name="webhooks"
    )
    kind = models.CharField(_("类型"), max_length=12, choices=WebhookKind.choices)
    url = models.URLField(
        _("Webhook 地址"),
        max_length=500,
        help_text=_("群机器人的 Webhook 地址（政务内网可填内网代理地址）。"),
    )
    secret = models.CharField(
        _("加签密钥"), max_length=200, blank=True, help_text=_("钉钉“加签”安全设置的密钥（SEC 开头）。")
    )
    is_active = models.BooleanField(_("启用"), default=True)

    unit_paths = ("unit",)
    permission_roles = {
        "add": {"office_admin", "unit_head"},
        "change": {"office_admin", "unit_head"},
        "delete": {"office_admin", "unit_head"},
    }
    changelog_exclude = ("secret",)

    class Meta:
        verbose_name = _("群机器人")
        verbose_name_plural = pgettext_lazy("plural", "群机器人")
        ordering = ["unit", "kind"]

    def __str__(self):
        return f"{self.unit} · {self.get_kind_display()}"

    def get_absolute_url(self):
        return reverse("core:unitwebhook_detail", args=[self.pk])
