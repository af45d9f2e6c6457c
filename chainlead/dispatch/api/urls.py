from rest_framework.routers import DefaultRouter

app_name = "dispatch-api"
router = DefaultRouter()
urlpatterns = router.urls
