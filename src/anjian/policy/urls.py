from django.urls import path

from anjian.policy.views import enterprise, entries, items, quiet, rules, workdays

app_name = "policy"
urlpatterns = [
    path("rules/", rules.ruleset_list, name="ruleset_list"),
    path("rules/new/", rules.ruleset_new, name="ruleset_new"),
    path("rules/<int:pk>/", rules.ruleset_detail, name="ruleset_detail"),
    path("rules/<int:pk>/withdraw/", rules.ruleset_withdraw_view, name="ruleset_withdraw"),
    path("quiet/", quiet.quiet_calendar, name="quiet_calendar"),
    path("quiet/default/", quiet.quiet_default_view, name="quiet_default"),
    path("quiet/exceptions/", quiet.exception_list, name="exception_list"),
    path("quiet/exceptions/new/", quiet.exception_new, name="exception_new"),
    path("quiet/exceptions/ledger/", quiet.exception_ledger, name="exception_ledger"),
    path("quiet/exceptions/<int:pk>/", quiet.exception_detail, name="exception_detail"),
    path(
        "quiet/exceptions/<int:pk>/withdraw/", quiet.exception_withdraw, name="exception_withdraw"
    ),
    path("quiet/exceptions/<int:pk>/notice.docx", quiet.exception_notice, name="exception_notice"),
    path("workdays/", workdays.workday_list, name="workday_list"),
    path("workdays/<int:pk>/delete/", workdays.workday_delete, name="workday_delete"),
    path("entries/", entries.entry_list, name="entry_list"),
    path("entries/check/", entries.entry_check_view, name="entry_check"),
    path("entries/<int:pk>/cancel/", entries.entry_cancel_view, name="entry_cancel"),
    path("enterprises/<int:pk>/year/", enterprise.enterprise_year_view, name="enterprise_year"),
    path("mine/", enterprise.my_quota, name="my_quota"),
    path("items/", items.item_list, name="item_list"),
    path("items/start/", items.item_list_start_view, name="item_start"),
    path("items/draft/", items.item_draft, name="item_draft"),
    path("items/draft/new/", items.item_draft_create_view, name="item_draft_create"),
    path("items/draft/add/", items.item_edit, name="item_add"),
    path("items/draft/import/", items.item_import, name="item_import"),
    path("items/draft/publish/", items.item_publish_view, name="item_publish"),
    path("items/draft/discard/", items.item_discard_view, name="item_discard"),
    path("items/draft/<int:pk>/", items.item_edit, name="item_edit"),
    path("items/draft/<int:pk>/delete/", items.item_delete_view, name="item_delete"),
    path("items/history/", items.item_history, name="item_history"),
    path("items/export.xlsx", items.item_export, name="item_export"),
    path("items/template.xlsx", items.item_template_view, name="item_template"),
    path("public/items/", items.item_public_index, name="item_public_index"),
    path("public/items/<int:body_id>/", items.item_public, name="item_public"),
]
