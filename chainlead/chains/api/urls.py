from rest_framework.routers import DefaultRouter

from chainlead.chains.api import views

app_name = "chains-api"
router = DefaultRouter()
router.register("chains", views.KeyChainViewSet)
router.register("roles", views.ChainRoleViewSet)
router.register("nodes", views.ChainNodeViewSet)
router.register("node-enterprises", views.NodeEnterpriseViewSet)
urlpatterns = router.urls
