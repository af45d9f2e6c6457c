from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class LedgerConfig(AppConfig):
    name = "chainlead.ledger"
    label = "ledger"
    verbose_name = _("台账导入导出")

    def ready(self):
        from chainlead.utilities import export  # noqa: F401  (registers the large-export job)
        from chainlead.utilities.menu import register

        from . import services  # noqa: F401  (registers the import jobs)

        register("projects", _("台账导入"), "ledger:import")
        register("projects", _("导入记录"), "ledger:importbatch_list")
        register(
            "system",
            pgettext_lazy("plural", "列名同义词"),
            "ledger:fieldsynonym_list",
            model="ledger.FieldSynonym",
            office_only=True,
        )
