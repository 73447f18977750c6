from django.urls import include, path

from anjian.api.main import api

urlpatterns = [
    path("", include("anjian.core.urls")),
    path("accounts/", include("anjian.accounts.urls")),
    path("registry/", include("anjian.registry.urls")),
    path("audit/", include("anjian.audit.urls")),
    path("documents/", include("anjian.documents.urls")),
    path("policy/", include("anjian.policy.urls")),
    path("planning/", include("anjian.planning.urls")),
    path("inspections/", include("anjian.inspections.urls")),
    path("enforcement/", include("anjian.enforcement.urls")),
    path("training/", include("anjian.training.urls")),
    path("campaign/", include("anjian.steering.urls")),
    path("oversight/", include("anjian.oversight.urls")),
    path("public/", include("anjian.oversight.public_urls")),
    path("api/v1/", api.urls),
]

handler400 = "anjian.core.views.error_400"
handler403 = "anjian.core.views.error_403"
handler404 = "anjian.core.views.error_404"
handler500 = "anjian.core.views.error_500"
