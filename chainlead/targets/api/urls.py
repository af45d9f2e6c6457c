from rest_framework.routers import DefaultRouter

from chainlead.targets.api import views

app_name = "targets-api"
router = DefaultRouter()
router.register("campaigns", views.CampaignViewSet)
router.register("targets", views.AttackTargetViewSet)
router.register("month-plans", views.TargetMonthPlanViewSet)
router.register("target-projects", views.TargetProjectViewSet)
urlpatterns = router.urls
