from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class WarroomConfig(AppConfig):
    name = "chainlead.warroom"
    label = "warroom"
    verbose_name = _("挂图作战")
