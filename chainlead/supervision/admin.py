"""The supervision app in the office's admin: rule data and the ladder editable; lights and
bulletins read-only (they change only through the services)."""

from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from chainlead.core.admin_site import OfficeAdminMixin, ReadOnlyAdminMixin
from chainlead.supervision.models import Bulletin, BulletinTemplate, ConsequenceStep, Light, WarningRule


@admin.register(WarningRule)
class WarningRuleAdmin(OfficeAdminMixin, SimpleHistoryAdmin):
    list_display = ("code", "name", "yellow_at", "orange_at", "red_at", "measure", "is_active")


@admin.register(ConsequenceStep)
class ConsequenceStepAdmin(OfficeAdminMixin, SimpleHistoryAdmin):
    list_display = ("color", "min_streak", "measure", "by_whom", "is_active")


@admin.register(BulletinTemplate)
class BulletinTemplateAdmin(OfficeAdminMixin, SimpleHistoryAdmin):
    list_display = ("name", "is_default", "issuer", "issuer_code")


@admin.register(Light)
class LightAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = ("subject_name", "period", "component", "color", "excused", "is_frozen")
    list_filter = ("component", "color", "is_frozen", "excused")
    search_fields = ("subject_name",)


@admin.register(Bulletin)
class BulletinAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = ("title", "period", "status", "year", "number", "issue_no")
