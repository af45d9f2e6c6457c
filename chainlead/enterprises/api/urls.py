from rest_framework.routers import DefaultRouter

from chainlead.enterprises.api import views

app_name = "enterprises-api"
router = DefaultRouter()
router.register("enterprises", views.EnterpriseViewSet)
router.register("revenues", views.EnterpriseRevenueViewSet)
router.register("thresholds", views.StatsThresholdViewSet)
router.register("contacts", views.ContactViewSet)
urlpatterns = router.urls
