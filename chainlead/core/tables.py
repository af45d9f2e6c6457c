"""Tables of the change log, the audit events and the jobs."""

import django_tables2 as tables
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from chainlead.core.models import (
    CHANGE_ACTION_COLORS,
    JOB_STATUS_COLORS,
    AuditEvent,
    HolidayOverride,
    Job,
    ObjectChange,
    UnitWebhook,
)
from chainlead.core.models.changelog import AUDIT_VERBS
from chainlead.utilities.tables import BaseTable, ChoiceBadgeColumn


def verb_label(verb: str) -> str:
    return str(AUDIT_VERBS.get(verb, verb))


class ObjectChangeTable(BaseTable):
    pk = None
    time = tables.DateTimeColumn(
        verbose_name=_("时间"),
        format="Y-m-d H:i:s",
        linkify=lambda record: reverse("core:objectchange_detail", args=[record.pk]),
    )
    user_name = tables.Column(verbose_name=_("操作人"))
    action = ChoiceBadgeColumn(CHANGE_ACTION_COLORS, verbose_name=_("操作"))
    content_type = tables.Column(verbose_name=_("对象类型"), orderable=False)
    object_repr = tables.Column(verbose_name=_("对象"))
    source = tables.Column(verbose_name=_("来源"))
    request_id = tables.Column(verbose_name=_("请求/任务编号"), orderable=False)

    class Meta(BaseTable.Meta):
        model = ObjectChange
        fields = ("time", "user_name", "action", "content_type", "object_repr", "source", "request_id")

    def render_content_type(self, value):
        model = value.model_class()
        return model._meta.verbose_name if model else value

    def value_content_type(self, value):
        return str(self.render_content_type(value))

    def render_request_id(self, value):
        return format_html(
            '<a href="?request_id={}" class="text-secondary font-monospace small">{}</a>',
            value,
            str(value)[:8],
        )

    def render_source(self, value):
        labels = {"web": _("网页"), "api": _("接口"), "admin": _("管理后台"), "system": _("系统")}
        if value.startswith("command:"):
            return format_html("{}：{}", _("命令"), value.split(":", 1)[1])
        if value.startswith("job:"):
            return format_html("{}：{}", _("后台任务"), value.split(":", 1)[1])
        if value.startswith("import"):
            return _("导入")
        return labels.get(value, value)


class AuditEventTable(BaseTable):
    pk = None
    time = tables.DateTimeColumn(verbose_name=_("时间"), format="Y-m-d H:i:s")
    user_name = tables.Column(verbose_name=_("操作人"))
    unit = tables.Column(verbose_name=_("操作单位"))
    verb = tables.Column(verbose_name=_("事件"))
    object_repr = tables.Column(verbose_name=_("对象"))
    message = tables.Column(verbose_name=_("说明"))

    class Meta(BaseTable.Meta):
        model = AuditEvent
        fields = ("time", "user_name", "unit", "verb", "object_repr", "message")

    def render_verb(self, value):
        return verb_label(value)

    def value_verb(self, value):
        return verb_label(value)


class JobTable(BaseTable):
    pk = None
    label = tables.Column(
        verbose_name=_("名称"), linkify=lambda record: reverse("core:job_detail", args=[record.pk])
    )
    status = ChoiceBadgeColumn(JOB_STATUS_COLORS, verbose_name=_("状态"))
    percent = tables.Column(verbose_name=_("进度"), orderable=False, empty_values=())
    user = tables.Column(verbose_name=_("发起人"))
    created = tables.DateTimeColumn(verbose_name=_("创建时间"), format="Y-m-d H:i")
    finished = tables.DateTimeColumn(verbose_name=_("结束时间"), format="Y-m-d H:i")

    class Meta(BaseTable.Meta):
        model = Job
        fields = ("label", "status", "percent", "user", "created", "finished")

    def render_percent(self, record):
        return f"{record.percent}%"


class UnitWebhookTable(BaseTable):
    unit = tables.Column(linkify=lambda record: record.get_absolute_url())

    class Meta(BaseTable.Meta):
        model = UnitWebhook
        fields = ("pk", "unit", "kind", "is_active", "last_updated")


class HolidayOverrideTable(BaseTable):
    date = tables.DateColumn(format="Y-m-d", linkify=True)

    class Meta(BaseTable.Meta):
        model = HolidayOverride
        fields = ("pk", "date", "is_workday", "name", "comments")
