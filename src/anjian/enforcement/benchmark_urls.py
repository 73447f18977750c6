"""The discretion library and the consistency monitor, inside the `enforcement` namespace."""

from django.urls import path

from anjian.enforcement.views import library, monitor

urlpatterns = [
    path("benchmarks/", library.benchmark_list, name="benchmark_list"),
    path("benchmarks/import/", library.benchmark_import_view, name="benchmark_import"),
    path("benchmarks/template.xlsx", library.benchmark_template_view, name="benchmark_template"),
    path("benchmarks/<int:pk>/", library.benchmark_detail, name="benchmark_detail"),
    path("benchmarks/<int:pk>/adopt/", library.benchmark_adopt_view, name="benchmark_adopt"),
    path("benchmarks/<int:pk>/export.xlsx", library.benchmark_export, name="benchmark_export"),
    path(
        "benchmarks/<int:pk>/withdraw/", library.benchmark_withdraw_view, name="benchmark_withdraw"
    ),
    path("lists/", library.list_list, name="list_list"),
    path("lists/import/", library.list_import_view, name="list_import"),
    path("lists/example.toml", library.list_template_view, name="list_template"),
    path("lists/<int:pk>/", library.list_detail, name="list_detail"),
    path("lists/<int:pk>/withdraw/", library.list_withdraw_view, name="list_withdraw"),
    path("statute/", library.statute, name="statute"),
    path("monitor/", monitor.monitor, name="monitor"),
]
