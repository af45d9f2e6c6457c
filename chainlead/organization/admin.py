from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.utils.translation import gettext_lazy as _
from simple_history.admin import SimpleHistoryAdmin

from chainlead.core.admin_site import OfficeAdminMixin
from chainlead.organization.models import RoleGrant, Unit, User


@admin.register(Unit)
class UnitAdmin(OfficeAdminMixin, SimpleHistoryAdmin):
    list_display = ("name", "kind", "parent", "phone", "is_active")
    list_filter = ("kind", "is_active")
    search_fields = ("name", "short_name", "code")


class RoleGrantInline(admin.TabularInline):
    model = RoleGrant
    fk_name = "user"
    extra = 0

    def has_add_permission(self, request, obj=None):
        return True

    def has_change_permission(self, request, obj=None):
        return True

    def has_delete_permission(self, request, obj=None):
        return True


@admin.register(User)
class UserAdmin(OfficeAdminMixin, DjangoUserAdmin, SimpleHistoryAdmin):
    list_display = ("username", "name", "unit", "phone", "is_active", "last_login")
    list_filter = ("is_active", "unit__kind")
    search_fields = ("username", "name", "phone")
    ordering = ("username",)
    inlines = [RoleGrantInline]
    fieldsets = (
        (None, {"fields": ("username", "password")}),
        (_("个人信息"), {"fields": ("name", "phone", "email", "unit", "title")}),
        (_("安全"), {"fields": ("is_active", "must_change_password", "is_staff", "is_superuser")}),
    )
    add_fieldsets = (
        (None, {"classes": ("wide",), "fields": ("username", "name", "unit", "password1", "password2")}),
    )

    def save_model(self, request, obj, form, change):
        if not change:
            obj.must_change_password = True
        super().save_model(request, obj, form, change)


@admin.register(RoleGrant)
class RoleGrantAdmin(OfficeAdminMixin, SimpleHistoryAdmin):
    list_display = ("user", "role", "unit")
    list_filter = ("role",)
    search_fields = ("user__name", "user__username", "unit__name")
