from django.urls import path

from chainlead.dashboard import views

app_name = "dashboard"
urlpatterns = [
    path("", views.index, name="index"),
    path("screen/", views.screen, name="screen"),
    path("definitions/", views.definition_list, name="definition_list"),
    path("definitions/<slug:key>/", views.definition_detail, name="definition_detail"),
    path("list/", views.MetricListView.as_view(), name="metric_list"),
    path("summary/", views.summary_status, name="summary_status"),
    path("summary/rebuild/", views.summary_rebuild, name="summary_rebuild"),
]
