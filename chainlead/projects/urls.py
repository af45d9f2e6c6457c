from django.urls import path

from chainlead.projects import views
from chainlead.utilities.urls import model_urls

app_name = "projects"
urlpatterns = [
    *model_urls("projects", "keyproject", views, "KeyProject"),
    path("projects/<int:pk>/stage/", views.stage_move, name="keyproject_stage"),
    path("projects/<int:pk>/fai/", views.mark_fai, name="keyproject_fai"),
    path("projects/<int:pk>/stats/", views.mark_stats, name="keyproject_stats"),
    path("evidence/<int:pk>/", views.evidence_file, name="evidence_file"),
    path("evidence/", views.StageEvidenceListView.as_view(), name="stageevidence_list"),
    path("stage-changes/", views.StageChangeListView.as_view(), name="stagechange_list"),
    *model_urls("contacts", "contactrecord", views, "ContactRecord"),
]
