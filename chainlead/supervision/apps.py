from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class SupervisionConfig(AppConfig):
    name = "chainlead.supervision"
    label = "supervision"
    verbose_name = _("督查通报")

    def ready(self):
        from chainlead.utilities.menu import register

        from . import jobs, receivers, tasks  # noqa: F401  (register the job, the receivers and the cron)

        register("supervision", _("红黄绿灯"), "supervision:light_list", model="supervision.Light")
        register(
            "supervision",
            pgettext_lazy("plural", "督查通报"),
            "supervision:bulletin_list",
            model="supervision.Bulletin",
        )
        register(
            "supervision",
            pgettext_lazy("plural", "预警规则"),
            "supervision:warningrule_list",
            model="supervision.WarningRule",
        )
        register(
            "supervision",
            pgettext_lazy("plural", "问责措施"),
            "supervision:consequencestep_list",
            model="supervision.ConsequenceStep",
        )
        register(
            "supervision",
            pgettext_lazy("plural", "通报模板"),
            "supervision:bulletintemplate_list",
            model="supervision.BulletinTemplate",
            office_only=True,
        )
        from chainlead.supervision.panels import register_panels

        register_panels()
