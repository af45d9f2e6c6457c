from django.urls import path

from chainlead.dashboard.api import views

app_name = "dashboard-api"
urlpatterns = [
    path("figures/", views.FiguresView.as_view(), name="figures"),
]
