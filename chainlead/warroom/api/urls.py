from rest_framework.routers import DefaultRouter

from chainlead.warroom.api import views

app_name = "warroom-api"
router = DefaultRouter()
router.register("templates", views.ScheduleTemplateViewSet)
router.register("template-nodes", views.TemplateNodeViewSet)
router.register("template-dependencies", views.TemplateDependencyViewSet)
router.register("schedules", views.ProjectScheduleViewSet)
router.register("nodes", views.ScheduleNodeViewSet)
router.register("dependencies", views.ScheduleDependencyViewSet)
router.register("baselines", views.BaselineViewSet)
router.register("maps", views.ZoneMapViewSet)
urlpatterns = router.urls
