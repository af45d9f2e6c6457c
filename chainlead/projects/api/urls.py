from rest_framework.routers import DefaultRouter

from chainlead.projects.api import views

app_name = "projects-api"
router = DefaultRouter()
router.register("projects", views.KeyProjectViewSet, basename="keyproject")
router.register("contacts", views.ContactRecordViewSet, basename="contactrecord")
router.register("stage-changes", views.StageChangeViewSet, basename="stagechange")
router.register("evidence", views.StageEvidenceViewSet, basename="stageevidence")
urlpatterns = router.urls
