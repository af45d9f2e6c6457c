from django.urls import path

from chainlead.assessment import views
from chainlead.utilities.urls import model_urls

app_name = "assessment"
urlpatterns = [
    path("run/", views.run, name="run"),
    *model_urls("schemes", "scheme", views, "Scheme"),
    path("schemes/<int:pk>/publish/", views.scheme_publish, name="scheme_publish"),
    path("schemes/<int:pk>/new-version/", views.scheme_new_version, name="scheme_new_version"),
    path("schemes/<int:pk>/weights/", views.scheme_weights, name="scheme_weights"),
    *model_urls("groups", "indicatorgroup", views, "IndicatorGroup"),
    *model_urls("indicators", "indicator", views, "Indicator"),
    *model_urls("rankings", "ranking", views, "Ranking"),
    path("rankings/<int:pk>/progress/", views.ranking_progress, name="ranking_progress"),
    path("rankings/<int:pk>/publish/", views.ranking_publish, name="ranking_publish"),
    path("rankings/<int:pk>/rerun/", views.ranking_rerun, name="ranking_rerun"),
    *model_urls("scores", "score", views, "Score"),
    path("items/<int:pk>/enter/", views.item_enter, name="indicatorscore_enter"),
    path("items/<int:pk>/adjust/", views.item_adjust, name="indicatorscore_adjust"),
    path("items/<int:pk>/evidence/", views.item_evidence, name="indicatorscore_evidence"),
    *model_urls("adjustments", "adjustment", views, "Adjustment"),
]
