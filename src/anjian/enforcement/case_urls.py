"""Penalty cases, inside the `enforcement` namespace (mounted at /enforcement/cases/)."""

from django.urls import path

from anjian.enforcement.views import case_steps, cases, portal

urlpatterns = [
    path("", cases.case_list, name="case_list"),
    path("new/", cases.case_new, name="case_new"),
    path("reviews/", cases.review_queue_view, name="review_queue"),
    path("mine/", portal.portal_cases, name="portal_cases"),
    path("mine/documents/<int:pk>/", portal.portal_document, name="portal_document"),
    path("<int:pk>/", cases.case_detail, name="case_detail"),
    path("<int:pk>/step/", case_steps.case_step, name="case_step"),
    path("<int:pk>/evidence/", cases.case_evidence_add_view, name="case_evidence_add"),
    path("evidence/<int:pk>/", cases.case_evidence_file, name="case_evidence_file"),
    path("documents/<int:pk>/", cases.case_document, name="case_document"),
    path(
        "documents/<int:pk>/correct/",
        cases.case_document_correct,
        name="case_document_correct",
    ),
]
