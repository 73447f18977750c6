from django.urls import path

from anjian.planning import annual_views, run_views, views

app_name = "planning"
urlpatterns = [
    path("", views.month_list, name="month_list"),
    path("<int:pk>/", views.month_detail, name="month_detail"),
    path("<int:pk>/visits/new/", views.visit_new, name="visit_new"),
    path("<int:pk>/visits/import/", views.visit_import, name="visit_import"),
    path("visits/template.xlsx", views.visit_template, name="visit_template"),
    path("<int:pk>/close/", views.month_close, name="month_close"),
    path("<int:pk>/export.xlsx", views.month_export, name="month_export"),
    path("visits/<int:pk>/withdraw/", views.visit_withdraw, name="visit_withdraw"),
    path("<int:pk>/run/", run_views.run_start, name="run_start"),
    path("runs/<int:pk>/", run_views.run_detail, name="run_detail"),
    path("runs/<int:pk>/approve/", run_views.run_approve, name="run_approve"),
    path("runs/<int:pk>/print/", run_views.run_print, name="run_print"),
    path("runs/<int:pk>/schedule.xlsx", run_views.run_export, name="run_export"),
    path("entries/<int:pk>/move/", run_views.entry_move, name="entry_move"),
    path("entries/<int:pk>/split/", run_views.entry_split, name="entry_split"),
    path("schedule/", run_views.my_schedule, name="my_schedule"),
    path("annual/", annual_views.annual_list, name="annual_list"),
    path("annual/generate/", annual_views.annual_generate, name="annual_generate"),
    path("annual/<int:pk>/", annual_views.annual_detail, name="annual_detail"),
    path("annual/<int:pk>/advance/", annual_views.annual_advance, name="annual_advance"),
    path("annual/lines/<int:pk>/", annual_views.annual_line_edit, name="annual_line_edit"),
    path("annual/<int:pk>/plan.docx", annual_views.annual_docx, name="annual_docx"),
    path("annual/<int:pk>/annex.xlsx", annual_views.annual_xlsx, name="annual_xlsx"),
    path(
        "annual/<int:pk>/documents/<str:kind>/correct/",
        annual_views.annual_document_correct,
        name="annual_document_correct",
    ),
]
