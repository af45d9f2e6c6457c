from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DashboardConfig(AppConfig):
    name = "chainlead.dashboard"
    label = "dashboard"
    verbose_name = _("驾驶舱")

    def ready(self):
        from chainlead.dashboard import jobs, signals  # noqa: F401  (job handlers, cron, signals)
        from chainlead.dashboard.builtin_panels import register_builtin_panels
        from chainlead.utilities.menu import register

        register("dashboard", _("驾驶舱"), "dashboard:index", model="projects.KeyProject")
        register("dashboard", _("大屏"), "dashboard:screen", model="projects.KeyProject")
        register("dashboard", _("指标口径"), "dashboard:definition_list", model="projects.KeyProject")
        register("dashboard", _("汇总表状态"), "dashboard:summary_status", office_only=True)
        register_builtin_panels()
