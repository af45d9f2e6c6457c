from rest_framework.routers import DefaultRouter

from chainlead.assessment.api import views

app_name = "assessment-api"
router = DefaultRouter()
router.register("schemes", views.SchemeViewSet, basename="scheme")
router.register("groups", views.IndicatorGroupViewSet, basename="indicatorgroup")
router.register("indicators", views.IndicatorViewSet, basename="indicator")
router.register("rankings", views.RankingViewSet, basename="ranking")
router.register("scores", views.ScoreViewSet, basename="score")
router.register("indicator-scores", views.IndicatorScoreViewSet, basename="indicatorscore")
router.register("adjustments", views.AdjustmentViewSet, basename="adjustment")
urlpatterns = router.urls
