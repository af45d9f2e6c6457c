"""The Django admin, open to the office (办公室管理员) and superusers only."""

from django.contrib import admin
from django.contrib.admin.apps import AdminConfig
from django.utils.translation import gettext_lazy as _


class ChainleadAdminSite(admin.AdminSite):
    site_header = _("chainlead 管理后台")
    site_title = _("chainlead 管理后台")
    index_title = _("数据维护（仅领导小组办公室）")

    def has_permission(self, request):
        from chainlead.organization.permissions import get_scope

        user = request.user
        return bool(user.is_active and user.is_authenticated and get_scope(user).is_office)


class OfficeAdminMixin:
    """Model-admin permissions follow the platform's roles, not Django's per-model permissions."""

    def _office(self, request):
        from chainlead.organization.permissions import get_scope

        return request.user.is_active and get_scope(request.user).is_office

    def has_module_permission(self, request):
        return self._office(request)

    def has_view_permission(self, request, obj=None):
        return self._office(request)

    def has_add_permission(self, request, *args):
        return self._office(request)

    def has_change_permission(self, request, obj=None):
        return self._office(request)

    def has_delete_permission(self, request, obj=None):
        return self._office(request)


class ReadOnlyAdminMixin(OfficeAdminMixin):
    def has_add_permission(self, request, *args):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class ChainleadAdminConfig(AdminConfig):
    """INSTALLED_APPS entry replacing django.contrib.admin, to install ``ChainleadAdminSite``."""

    default_site = "chainlead.core.admin_site.ChainleadAdminSite"
