"""The enterprise portal, its check of an entry code, ratings and complaints (views:
views/portal.py, views/portal_verify.py, views/feedback.py)."""

from django.urls import path

from anjian.inspections.views import feedback, portal, portal_verify

urlpatterns = [
    path("portal/", portal.portal_home, name="portal_home"),
    path("portal/tasks/<int:pk>/", portal.portal_task, name="portal_task"),
    path("portal/tasks/<int:pk>/rate/", portal.portal_rate, name="portal_rate"),
    path("portal/hazards/", portal.portal_hazards, name="portal_hazards"),
    path(
        "portal/hazards/<int:pk>/report/",
        portal.portal_hazard_report,
        name="portal_hazard_report",
    ),
    path("portal/complaints/", portal.portal_complaints, name="portal_complaints"),
    path("portal/verify/", portal_verify.portal_verify, name="portal_verify"),
    path("ratings/", feedback.ratings, name="ratings"),
    path("complaints/", feedback.complaints, name="complaints"),
    path("complaints/<int:pk>/handle/", feedback.complaint_handle, name="complaint_handle"),
]
