from django.urls import path

from chainlead.targets import views
from chainlead.utilities.urls import model_urls

app_name = "targets"
urlpatterns = [
    path("zones/", views.ZoneListView.as_view(), name="zone_list"),
    path("zones/<int:unit_id>/", views.ZoneDetailView.as_view(), name="zone_detail"),
    path(
        "targets/<int:pk>/complete/", views.AttackTargetCompleteView.as_view(), name="attacktarget_complete"
    ),
    path("targets/<int:pk>/reopen/", views.AttackTargetReopenView.as_view(), name="attacktarget_reopen"),
    *model_urls("campaigns", "campaign", views, "Campaign"),
    *model_urls("targets", "attacktarget", views, "AttackTarget"),
    *model_urls("month-plans", "targetmonthplan", views, "TargetMonthPlan"),
    *model_urls("target-projects", "targetproject", views, "TargetProject"),
]
