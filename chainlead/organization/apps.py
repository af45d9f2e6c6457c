from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class OrganizationConfig(AppConfig):
    name = "chainlead.organization"
    label = "organization"
    verbose_name = _("组织与权限")

    def ready(self):
        from chainlead.utilities.menu import register

        from . import signals  # noqa: F401

        register(
            "system", pgettext_lazy("plural", "单位"), "organization:unit_list", model="organization.Unit"
        )
        register(
            "system", pgettext_lazy("plural", "用户"), "organization:user_list", model="organization.User"
        )
        register(
            "system",
            pgettext_lazy("plural", "角色授权"),
            "organization:rolegrant_list",
            model="organization.RoleGrant",
        )
