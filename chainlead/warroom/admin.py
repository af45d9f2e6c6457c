"""The war room in the office's admin. Baselines are shown read-only: an approved baseline is
written once, and the admin says so instead of offering to change or delete it."""

from django.contrib import admin, messages
from simple_history.admin import SimpleHistoryAdmin

from chainlead.core.admin_site import OfficeAdminMixin
from chainlead.warroom.models import (
    Baseline,
    BaselineImmutable,
    BaselineNode,
    ProjectSchedule,
    ScheduleTemplate,
    TemplateDependency,
    TemplateNode,
    ZoneMap,
)


class TemplateNodeInline(admin.TabularInline):
    model = TemplateNode
    extra = 0
    fields = (
        "sort_order",
        "name",
        "owner_department",
        "owner_note",
        "duration_wd",
        "is_approval",
        "milestone",
    )


@admin.register(ScheduleTemplate)
class ScheduleTemplateAdmin(OfficeAdminMixin, SimpleHistoryAdmin):
    list_display = ("name", "investment_nature", "is_active", "sort_order")
    inlines = [TemplateNodeInline]


@admin.register(TemplateDependency)
class TemplateDependencyAdmin(OfficeAdminMixin, SimpleHistoryAdmin):
    list_display = ("template", "predecessor", "successor", "lag_wd")
    list_filter = ("template",)


@admin.register(ProjectSchedule)
class ProjectScheduleAdmin(OfficeAdminMixin, SimpleHistoryAdmin):
    list_display = (
        "project",
        "template",
        "target_kind",
        "target_date",
        "status",
        "feasible",
        "overdue_count",
    )
    list_filter = ("status", "feasible", "target_kind")
    search_fields = ("project__name",)
    raw_id_fields = ("project",)


@admin.register(ZoneMap)
class ZoneMapAdmin(OfficeAdminMixin, SimpleHistoryAdmin):
    list_display = ("name", "feature_count", "is_active", "created")


class BaselineNodeInline(admin.TabularInline):
    model = BaselineNode
    extra = 0
    can_delete = False
    fields = ("name", "owner", "duration_wd", "late_start", "late_finish", "slack_wd", "is_critical")
    readonly_fields = fields

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(Baseline)
class BaselineAdmin(OfficeAdminMixin, admin.ModelAdmin):
    """Read-only: an approved baseline cannot be changed or deleted, not even here."""

    list_display = ("schedule", "number", "approved_on", "approved_by", "target_kind", "target_date")
    search_fields = ("schedule__project__name",)
    inlines = [BaselineNodeInline]
    readonly_fields = (
        "schedule",
        "number",
        "approved_by",
        "approved_at",
        "approved_on",
        "reason",
        "target_kind",
        "target_date",
        "feasible",
        "shortfall_wd",
    )

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        # Viewing stays possible (the change form is read-only); saving is refused below.
        return self._office(request) and request.method in ("GET", "HEAD")

    def has_delete_permission(self, request, obj=None):
        return False

    def changeform_view(self, request, object_id=None, form_url="", extra_context=None):
        if object_id and request.method == "GET":
            messages.info(request, BaselineImmutable().message)
        return super().changeform_view(request, object_id, form_url, extra_context)

    def save_model(self, request, obj, form, change):  # pragma: no cover - refused by permissions
        raise BaselineImmutable()
