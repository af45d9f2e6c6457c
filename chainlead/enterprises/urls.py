from django.urls import path
from django.views.generic import RedirectView

from chainlead.enterprises import views
from chainlead.utilities.urls import model_urls

app_name = "enterprises"
urlpatterns = [
    path("", RedirectView.as_view(pattern_name="enterprises:enterprise_list"), name="index"),
    path("candidates/", views.StatsCandidateListView.as_view(), name="candidates"),
    *model_urls("enterprises", "enterprise", views, "Enterprise"),
    *model_urls("revenues", "enterpriserevenue", views, "EnterpriseRevenue"),
    *model_urls("thresholds", "statsthreshold", views, "StatsThreshold"),
    *model_urls("contacts", "contact", views, "Contact"),
]
