from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from chainlead.utilities import fastdisplay

# Before any model class is defined (they bind _get_FIELD_display when created).
fastdisplay.install()


class CoreConfig(AppConfig):
    name = "chainlead.core"
    label = "core"
    verbose_name = _("平台")

    def ready(self):
        from django.db.models import fields

        from chainlead.utilities.menu import register

        # Django 6.1's new blank-choice label has no Chinese translation yet.
        fields.BLANK_CHOICE_LABEL = _("请选择")

        import importlib
        import importlib.util

        from django.apps import apps
        from django.db.models.signals import post_migrate

        from . import changelog, exports, notifications, signals, tasks  # noqa: F401  (connect receivers, register tasks)
        from .models.changelog import AUDIT_VERBS
        from .seeds import reseed

        # Each app names its own audit verbs in chainlead/<app>/audit_verbs.py (VERBS = {...}), so a new
        # app never edits core to get its events labelled.
        for config in apps.get_app_configs():
            if config.name.startswith("chainlead.") and importlib.util.find_spec(f"{config.name}.audit_verbs"):
                AUDIT_VERBS.update(importlib.import_module(f"{config.name}.audit_verbs").VERBS)

        # Shipped rows come back after a flush (see core/seeds.py). Connected for core only: Django
        # sends post_migrate once per app, and core's copy is enough.
        post_migrate.connect(reseed, sender=self, dispatch_uid="chainlead.core.reseed")

        register("system", pgettext_lazy("plural", "变更记录"), "core:objectchange_list")
        register("system", pgettext_lazy("plural", "审计事件"), "core:auditevent_list", office_only=True)
        register("system", pgettext_lazy("plural", "后台任务"), "core:job_list")
        register("system", pgettext_lazy("plural", "节假日调整"), "core:holidayoverride_list")
        register(
            "system", pgettext_lazy("plural", "群机器人"), "core:unitwebhook_list", model="core.UnitWebhook"
        )
        register("system", _("接口文档（API）"), "swagger-ui")
        register("system", _("管理后台"), "admin:index", office_only=True)
