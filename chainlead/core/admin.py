from django.contrib import admin

from chainlead.core.admin_site import ReadOnlyAdminMixin
from chainlead.core.models import AuditEvent, Job, ObjectChange


@admin.register(ObjectChange)
class ObjectChangeAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = ("time", "user_name", "action", "content_type", "object_repr", "source", "request_id")
    list_filter = ("action", "content_type", "source")
    search_fields = ("object_repr", "user_name")
    date_hierarchy = "time"


@admin.register(AuditEvent)
class AuditEventAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = ("time", "user_name", "unit", "verb", "object_repr", "message")
    list_filter = ("verb",)
    search_fields = ("object_repr", "user_name", "message")


@admin.register(Job)
class JobAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = ("label", "status", "progress_done", "progress_total", "user", "created", "finished")
    list_filter = ("status", "name")
