from django.urls import include, path

from anjian.inspections.views import documents, field, public, rectification, scan, tasks

app_name = "inspections"
urlpatterns = [
    path("", tasks.task_list, name="task_list"),
    path("new/", tasks.task_new, name="task_new"),
    path("from-plan/", tasks.from_plan, name="from_plan"),
    path("approvals/", tasks.approvals, name="approvals"),
    path("approvals/delegations/", tasks.delegation_add, name="delegation_add"),
    path(
        "approvals/delegations/<int:pk>/revoke/", tasks.delegation_revoke, name="delegation_revoke"
    ),
    path("unplanned/", tasks.unplanned_ledger, name="unplanned_ledger"),
    path("unplanned/new/", tasks.unplanned_new, name="unplanned_new"),
    path("checkin/", field.checkin_by_code, name="checkin_by_code"),
    path("checkin/scan/", scan.checkin_scan, name="checkin_scan"),
    path("<int:pk>/", field.task_detail, name="task_detail"),
    path("<int:pk>/decide/", tasks.decide, name="decide"),
    path("<int:pk>/cancel/", tasks.cancel, name="cancel"),
    path("<int:pk>/checkin/", field.checkin, name="checkin"),
    path("<int:pk>/checkout/", field.checkout, name="checkout"),
    path("<int:pk>/items/<int:item_pk>/", field.item_result, name="item_result"),
    path("<int:pk>/findings/new/", field.finding_new, name="finding_new"),
    path("<int:pk>/evidence/", field.evidence_add, name="evidence_add"),
    path("<int:pk>/confirm/", field.confirm, name="confirm"),
    path("<int:pk>/order/", field.order, name="order"),
    path("<int:pk>/finish/", field.finish, name="finish"),
    path("documents/<int:pk>/", documents.document_download, name="document"),
    path("documents/<int:pk>/correct/", documents.document_correct_view, name="document_correct"),
    path("evidence/<int:pk>/", field.evidence_file, name="evidence_file"),
    path("hazards/", rectification.hazard_list, name="hazard_list"),
    path("hazards/<int:pk>/refer/", rectification.refer, name="refer"),
    path("orders/<int:pk>/review/", rectification.review, name="review"),
    path("legal/", rectification.legal_flags, name="legal_flags"),
    path("verify/", public.verify, name="verify_form"),
    path("verify/<str:code>/", public.verify, name="verify"),
    path("", include("anjian.inspections.portal_urls")),
]
