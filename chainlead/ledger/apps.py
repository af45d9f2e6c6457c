from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class LedgerConfig(AppConfig):
    name = "chainlead.ledger"
    label = "ledger"
    verbose_name = _("台账导入导出")
