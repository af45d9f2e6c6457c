from rest_framework.routers import DefaultRouter

from chainlead.supervision.api import views

app_name = "supervision-api"
router = DefaultRouter()
router.register("rules", views.WarningRuleViewSet, basename="warningrule")
router.register("consequences", views.ConsequenceStepViewSet, basename="consequencestep")
router.register("templates", views.BulletinTemplateViewSet, basename="bulletintemplate")
router.register("lights", views.LightViewSet, basename="light")
router.register("bulletins", views.BulletinViewSet, basename="bulletin")
urlpatterns = router.urls
