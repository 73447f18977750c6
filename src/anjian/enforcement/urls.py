from django.urls import include, path

app_name = "enforcement"
urlpatterns = [
    path("cases/", include("anjian.enforcement.case_urls")),
    path("", include("anjian.enforcement.benchmark_urls")),
]
