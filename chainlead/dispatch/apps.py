from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class DispatchConfig(AppConfig):
    name = "chainlead.dispatch"
    label = "dispatch"
    verbose_name = _("定期调度")

    def ready(self):
        from chainlead.utilities.menu import register

        from . import tasks  # noqa: F401  (registers the 09:00 job)

        register("dispatch", _("填报"), "dispatch:my_reports", model="dispatch.ProgressReport")
        register("dispatch", _("审核"), "dispatch:review", model="dispatch.ProgressReport")
        register("dispatch", _("填报情况"), "dispatch:tracking", model="dispatch.ProgressReport")
        register("dispatch", _("单位调度页"), "dispatch:unit_index", model="dispatch.ProgressReport")
        register(
            "dispatch",
            pgettext_lazy("plural", "进度报告"),
            "dispatch:progressreport_list",
            model="dispatch.ProgressReport",
        )
        register("dispatch", _("问题"), "dispatch:problem_list", model="dispatch.Problem")
        register("dispatch", _("要素保障"), "dispatch:factorrequest_list", model="dispatch.FactorRequest")
        register("dispatch", _("调度会"), "dispatch:dispatchmeeting_list", model="dispatch.DispatchMeeting")
        register(
            "dispatch",
            pgettext_lazy("plural", "议定事项"),
            "dispatch:decision_list",
            model="dispatch.Decision",
        )
        register(
            "dispatch",
            pgettext_lazy("plural", "总投资调整备案"),
            "dispatch:totalinvestmentchange_list",
            model="dispatch.TotalInvestmentChange",
        )
        register(
            "dispatch",
            pgettext_lazy("plural", "报告周期"),
            "dispatch:reportingcycle_list",
            model="dispatch.ReportingCycle",
            office_only=True,
        )
        register(
            "dispatch",
            pgettext_lazy("plural", "调度期"),
            "dispatch:period_list",
            model="dispatch.Period",
            office_only=True,
        )
        from chainlead.dispatch.panels import register_panels

        register_panels()
