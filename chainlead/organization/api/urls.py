from rest_framework.routers import DefaultRouter

from chainlead.organization.api import views

app_name = "organization-api"
router = DefaultRouter()
router.register("units", views.UnitViewSet)
router.register("users", views.UserViewSet)
router.register("grants", views.RoleGrantViewSet)
urlpatterns = router.urls
