from rest_framework.routers import DefaultRouter

from chainlead.ledger.api import views

app_name = "ledger-api"
router = DefaultRouter()
router.register("synonyms", views.FieldSynonymViewSet, basename="fieldsynonym")
router.register("batches", views.ImportBatchViewSet, basename="importbatch")
urlpatterns = router.urls
