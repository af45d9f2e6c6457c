from rest_framework.routers import DefaultRouter

from chainlead.core.api import views

app_name = "core-api"
router = DefaultRouter()
router.register("changelog", views.ObjectChangeViewSet)
router.register("audit", views.AuditEventViewSet)
router.register("jobs", views.JobViewSet)
urlpatterns = router.urls
