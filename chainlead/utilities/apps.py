from django.apps import AppConfig


class UtilitiesConfig(AppConfig):
    name = "chainlead.utilities"
    label = "utilities"
    verbose_name = "utilities"
