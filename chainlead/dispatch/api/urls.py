from rest_framework.routers import DefaultRouter

from chainlead.dispatch.api import views

app_name = "dispatch-api"
router = DefaultRouter()
router.register("cycles", views.ReportingCycleViewSet, basename="reportingcycle")
router.register("periods", views.PeriodViewSet, basename="period")
router.register("reports", views.ProgressReportViewSet, basename="progressreport")
router.register("photos", views.ReportPhotoViewSet, basename="reportphoto")
router.register("investment-changes", views.TotalInvestmentChangeViewSet, basename="totalinvestmentchange")
router.register("problems", views.ProblemViewSet, basename="problem")
router.register("problem-steps", views.ProblemStepViewSet, basename="problemstep")
router.register("factors", views.FactorRequestViewSet, basename="factorrequest")
router.register("meetings", views.DispatchMeetingViewSet, basename="dispatchmeeting")
router.register("decisions", views.DecisionViewSet, basename="decision")
urlpatterns = router.urls
