from rest_framework.routers import DefaultRouter

app_name = "warroom-api"
router = DefaultRouter()
urlpatterns = router.urls
