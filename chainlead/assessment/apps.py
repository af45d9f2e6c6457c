from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class AssessmentConfig(AppConfig):
    name = "chainlead.assessment"
    label = "assessment"
    verbose_name = _("工作考核")

    def ready(self):
        from chainlead.utilities.menu import register

        from . import jobs  # noqa: F401  (registers the scoring job)

        register("assessment", _("考核排名"), "assessment:ranking_list", model="assessment.Ranking")
        register("assessment", _("考核计分"), "assessment:run", model="assessment.Ranking", office_only=True)
        register(
            "assessment",
            pgettext_lazy("plural", "考核方案"),
            "assessment:scheme_list",
            model="assessment.Scheme",
        )
        register("assessment", _("指标口径"), "assessment:indicator_list", model="assessment.Indicator")
        register(
            "assessment",
            pgettext_lazy("plural", "得分调整"),
            "assessment:adjustment_list",
            model="assessment.Adjustment",
        )
        from chainlead.assessment.panels import register_panels

        register_panels()
