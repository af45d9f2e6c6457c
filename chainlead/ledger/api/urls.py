from rest_framework.routers import DefaultRouter

app_name = "ledger-api"
router = DefaultRouter()
urlpatterns = router.urls
