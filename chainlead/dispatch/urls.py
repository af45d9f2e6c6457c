from django.urls import path

from chainlead.dispatch import views
from chainlead.utilities.urls import model_urls

app_name = "dispatch"
urlpatterns = [
    path("my/", views.my_reports, name="my_reports"),
    path("review/", views.review, name="review"),
    path("tracking/", views.tracking, name="tracking"),
    path("units/", views.unit_index, name="unit_index"),
    path("units/<int:pk>/", views.unit_page, name="unit_page"),
    *model_urls("cycles", "reportingcycle", views, "ReportingCycle"),
    *model_urls("periods", "period", views, "Period"),
    path("periods/<int:pk>/close/", views.period_close, name="period_close"),
    *model_urls("reports", "progressreport", views, "ProgressReport"),
    path("fill/<int:period_pk>/<str:kind>/<int:item_pk>/", views.report_fill, name="report_fill"),
    path("reports/<int:pk>/submit/", views.report_submit, name="progressreport_submit"),
    path("reports/<int:pk>/review/", views.report_review, name="progressreport_review"),
    path("photos/<int:pk>/", views.photo_file, name="reportphoto_file"),
    *model_urls("investment-changes", "totalinvestmentchange", views, "TotalInvestmentChange"),
    *model_urls("problems", "problem", views, "Problem"),
    path("problems/<int:pk>/<str:verb>/", views.problem_action, name="problem_action"),
    *model_urls("factors", "factorrequest", views, "FactorRequest"),
    path("factors/<int:pk>/grant/", views.factor_grant, name="factorrequest_grant"),
    path("factors/rollup/", views.factor_rollup, name="factor_rollup"),
    *model_urls("meetings", "dispatchmeeting", views, "DispatchMeeting"),
    path("meetings/<int:pk>/agenda/", views.meeting_agenda, name="meeting_agenda"),
    *model_urls("decisions", "decision", views, "Decision"),
    path("decisions/<int:pk>/complete/", views.decision_complete, name="decision_complete"),
]
