from django.urls import path

from chainlead.organization import views
from chainlead.utilities.urls import model_urls

app_name = "organization"
urlpatterns = [
    path("me/", views.profile, name="profile"),
    *model_urls("units", "unit", views, "Unit"),
    *model_urls("users", "user", views, "User"),
    *model_urls("grants", "rolegrant", views, "RoleGrant"),
]
