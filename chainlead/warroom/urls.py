from django.urls import path

from chainlead.utilities.urls import model_urls
from chainlead.warroom import views

app_name = "warroom"
urlpatterns = [
    *model_urls("templates", "scheduletemplate", views, "ScheduleTemplate"),
    *model_urls("template-nodes", "templatenode", views, "TemplateNode"),
    *model_urls("template-dependencies", "templatedependency", views, "TemplateDependency"),
    *model_urls("schedules", "projectschedule", views, "ProjectSchedule"),
    path(
        "schedules/<int:pk>/approve/",
        views.ProjectScheduleApproveView.as_view(),
        name="projectschedule_approve",
    ),
    path(
        "schedules/<int:pk>/replan/", views.ProjectScheduleReplanView.as_view(), name="projectschedule_replan"
    ),
    path(
        "schedules/<int:pk>/recompute/",
        views.ProjectScheduleRecomputeView.as_view(),
        name="projectschedule_recompute",
    ),
    path(
        "schedules/<int:pk>/gantt.xlsx",
        views.ProjectScheduleGanttExportView.as_view(),
        name="projectschedule_gantt_xlsx",
    ),
    path("projects/<int:project_id>/", views.schedule_for_project, name="project_schedule"),
    *model_urls("nodes", "schedulenode", views, "ScheduleNode"),
    path("nodes/<int:pk>/complete/", views.ScheduleNodeCompleteView.as_view(), name="schedulenode_complete"),
    path("nodes/<int:pk>/start/", views.ScheduleNodeStartView.as_view(), name="schedulenode_start"),
    path("nodes/<int:pk>/reopen/", views.ScheduleNodeReopenView.as_view(), name="schedulenode_reopen"),
    path("nodes/<int:pk>/evidence/", views.node_evidence, name="schedulenode_evidence"),
    *model_urls("dependencies", "scheduledependency", views, "ScheduleDependency"),
    *model_urls("baselines", "baseline", views, "Baseline"),
    path("baselines/<int:pk>/edit/", views.BaselineRefuseView.as_view(), name="baseline_edit"),
    path("baselines/<int:pk>/delete/", views.BaselineRefuseView.as_view(), name="baseline_delete"),
    *model_urls("maps", "zonemap", views, "ZoneMap"),
    path("maps/<int:pk>/geojson/", views.zonemap_geojson, name="zonemap_geojson"),
    path("gantt/", views.GanttView.as_view(), name="gantt"),
    path("map/", views.MapView.as_view(), name="map"),
    path("map/geojson/", views.zonemap_geojson, name="map_geojson"),
    path("map/place/", views.map_place, name="map_place"),
    path("boards/", views.BoardIndexView.as_view(), name="board_index"),
    path("boards/<int:unit_id>/", views.BoardView.as_view(), name="board"),
]
