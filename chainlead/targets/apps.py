from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class TargetsConfig(AppConfig):
    name = "chainlead.targets"
    label = "targets"
    verbose_name = _("攻坚目标")

    def ready(self):
        from chainlead.utilities.menu import register

        register(
            "targets",
            pgettext_lazy("plural", "攻坚目标"),
            "targets:attacktarget_list",
            model="targets.AttackTarget",
        )
        register(
            "targets", pgettext_lazy("plural", "攻坚战"), "targets:campaign_list", model="targets.Campaign"
        )
        register("targets", _("战区清单"), "targets:zone_list", model="targets.AttackTarget")
