"""chainlead URL configuration."""

from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerView

from chainlead.core import views as core_views
from chainlead.organization import views as org_views

handler403 = "chainlead.core.errors.permission_denied"
handler404 = "chainlead.core.errors.page_not_found"

api_patterns = [
    path("core/", include("chainlead.core.api.urls")),
    path("organization/", include("chainlead.organization.api.urls")),
    path("enterprises/", include("chainlead.enterprises.api.urls")),
    path("chains/", include("chainlead.chains.api.urls")),
    path("projects/", include("chainlead.projects.api.urls")),
    path("targets/", include("chainlead.targets.api.urls")),
    path("warroom/", include("chainlead.warroom.api.urls")),
    path("dispatch/", include("chainlead.dispatch.api.urls")),
    path("supervision/", include("chainlead.supervision.api.urls")),
    path("assessment/", include("chainlead.assessment.api.urls")),
    path("ledger/", include("chainlead.ledger.api.urls")),
    path("dashboard/", include("chainlead.dashboard.api.urls")),
]

urlpatterns = [
    path("", core_views.home, name="home"),
    path("login/", org_views.LoginView.as_view(), name="login"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("password/", org_views.PasswordChangeView.as_view(), name="password_change"),
    path(
        "password/done/",
        auth_views.PasswordChangeDoneView.as_view(),
        name="password_change_done",
    ),
    path("i18n/", include("django.conf.urls.i18n")),
    path("core/", include("chainlead.core.urls")),
    path("organization/", include("chainlead.organization.urls")),
    path("enterprises/", include("chainlead.enterprises.urls")),
    path("chains/", include("chainlead.chains.urls")),
    path("projects/", include("chainlead.projects.urls")),
    path("targets/", include("chainlead.targets.urls")),
    path("warroom/", include("chainlead.warroom.urls")),
    path("dispatch/", include("chainlead.dispatch.urls")),
    path("supervision/", include("chainlead.supervision.urls")),
    path("assessment/", include("chainlead.assessment.urls")),
    path("ledger/", include("chainlead.ledger.urls")),
    path("dashboard/", include("chainlead.dashboard.urls")),
    path("api/", include(api_patterns)),
    path("api/schema/", SpectacularAPIView.as_view(), name="schema"),
    path("api/docs/", SpectacularSwaggerView.as_view(url_name="schema"), name="swagger-ui"),
    path("admin/", admin.site.urls),
]
