from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class CoreConfig(AppConfig):
    name = "chainlead.core"
    label = "core"
    verbose_name = _("平台")

    def ready(self):
        from django.db.models import fields

        from chainlead.utilities.menu import register

        # Django 6.1's new blank-choice label has no Chinese translation yet.
        fields.BLANK_CHOICE_LABEL = _("请选择")

        from . import changelog, exports, notifications, signals, tasks  # noqa: F401  (connect receivers, register tasks)

        register("system", pgettext_lazy("plural", "变更记录"), "core:objectchange_list")
        register("system", pgettext_lazy("plural", "审计事件"), "core:auditevent_list", office_only=True)
        register("system", pgettext_lazy("plural", "后台任务"), "core:job_list")
        register("system", pgettext_lazy("plural", "节假日调整"), "core:holidayoverride_list")
        register(
            "system", pgettext_lazy("plural", "群机器人"), "core:unitwebhook_list", model="core.UnitWebhook"
        )
        register("system", _("接口文档（API）"), "swagger-ui")
        register("system", _("管理后台"), "admin:index", office_only=True)
