"""The training app's pages. Each area's view module lists its own `urlpatterns`; names live in
the `training` namespace."""

from django.urls import path

from anjian.training.views import (
    calibration,
    diagnostics,
    exams,
    institutions,
    personnel,
    questions,
)

app_name = "training"

urlpatterns = [
    path("questions/", questions.question_list, name="question_list"),
    path("questions/import/", questions.question_import_view, name="question_import"),
    path("questions/template.xlsx", questions.question_template, name="question_template"),
    path("questions/export.xlsx", questions.question_export, name="question_export"),
    path("questions/<int:pk>/", questions.question_detail, name="question_detail"),
    *personnel.urlpatterns,
    *institutions.urlpatterns,
    *exams.urlpatterns,
    *diagnostics.urlpatterns,
    *calibration.urlpatterns,
]
