from django.urls import path

from chainlead.supervision import views
from chainlead.utilities.urls import model_urls

app_name = "supervision"
urlpatterns = [
    *model_urls("rules", "warningrule", views, "WarningRule"),
    *model_urls("consequences", "consequencestep", views, "ConsequenceStep"),
    *model_urls("templates", "bulletintemplate", views, "BulletinTemplate"),
    *model_urls("lights", "light", views, "Light"),
    path("lights/<int:pk>/excuse/", views.light_excuse, name="light_excuse"),
    path("lights/recompute/<int:period_pk>/", views.light_recompute, name="light_recompute"),
    path("history/<str:kind>/<int:pk>/", views.light_history, name="light_history"),
    *model_urls("bulletins", "bulletin", views, "Bulletin"),
    path("bulletins/<int:pk>/issue/", views.bulletin_issue, name="bulletin_issue"),
    path("bulletins/<int:pk>/regenerate/", views.bulletin_regenerate, name="bulletin_regenerate"),
    path("bulletins/<int:pk>/file/<str:kind>/", views.bulletin_file, name="bulletin_file"),
]
