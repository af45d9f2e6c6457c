from django.urls import path

from chainlead.core import views
from chainlead.utilities.urls import model_urls

app_name = "core"
urlpatterns = [
    path("changelog/", views.ObjectChangeListView.as_view(), name="objectchange_list"),
    path("changelog/export/", views.changelog_export, name="objectchange_export"),
    path("changelog/<int:pk>/", views.objectchange_detail, name="objectchange_detail"),
    path("history/<int:content_type_id>/<int:object_id>/", views.object_history, name="object_history"),
    path("audit/", views.AuditEventListView.as_view(), name="auditevent_list"),
    path("jobs/", views.JobListView.as_view(), name="job_list"),
    path("jobs/<uuid:pk>/", views.job_detail, name="job_detail"),
    path("jobs/<uuid:pk>/progress/", views.job_progress, name="job_progress"),
    path("jobs/<uuid:pk>/retry/", views.job_retry, name="job_retry"),
    path("jobs/<uuid:pk>/file/", views.job_file, name="job_file"),
    path("notifications/", views.notification_list, name="notification_list"),
    path("notifications/read/", views.notification_read, name="notification_read_all"),
    path("notifications/<int:pk>/read/", views.notification_read, name="notification_read"),
    *model_urls("webhooks", "unitwebhook", views, "UnitWebhook"),
    *model_urls("holidays", "holidayoverride", views, "HolidayOverride"),
    path("webhooks/<int:pk>/test/", views.unitwebhook_test, name="unitwebhook_test"),
]
