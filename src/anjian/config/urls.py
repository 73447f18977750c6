from django.urls import include, path

urlpatterns = [
    path("", include("anjian.core.urls")),
    path("accounts/", include("anjian.accounts.urls")),
    path("registry/", include("anjian.registry.urls")),
    path("audit/", include("anjian.audit.urls")),
]

handler400 = "anjian.core.views.error_400"
handler403 = "anjian.core.views.error_403"
handler404 = "anjian.core.views.error_404"
handler500 = "anjian.core.views.error_500"
