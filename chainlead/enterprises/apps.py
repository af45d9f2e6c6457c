from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class EnterprisesConfig(AppConfig):
    name = "chainlead.enterprises"
    label = "enterprises"
    verbose_name = _("企业")

    def ready(self):
        from chainlead.utilities.menu import register

        register("projects", _("企业库"), "enterprises:enterprise_list", model="enterprises.Enterprise")
        register("projects", _("纳统候选企业"), "enterprises:candidates", model="enterprises.Enterprise")
        register(
            "system", _("四上标准"), "enterprises:statsthreshold_list", model="enterprises.StatsThreshold"
        )
