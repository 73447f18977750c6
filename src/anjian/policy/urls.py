from django.urls import include, path

from anjian.policy.item_urls import public_urlpatterns
from anjian.policy.views import enterprise, entries, quiet, rules

app_name = "policy"
urlpatterns = [
    path("rules/", rules.ruleset_list, name="ruleset_list"),
    path("rules/new/", rules.ruleset_new, name="ruleset_new"),
    path("rules/<int:pk>/", rules.ruleset_detail, name="ruleset_detail"),
    path("rules/<int:pk>/withdraw/", rules.ruleset_withdraw_view, name="ruleset_withdraw"),
    path("quiet/", quiet.quiet_calendar, name="quiet_calendar"),
    path("quiet/exceptions/", quiet.exception_list, name="exception_list"),
    path("quiet/exceptions/new/", quiet.exception_new, name="exception_new"),
    path("quiet/exceptions/ledger/", quiet.exception_ledger, name="exception_ledger"),
    path("quiet/exceptions/<int:pk>/", quiet.exception_detail, name="exception_detail"),
    path("quiet/exceptions/<int:pk>/notice.docx", quiet.exception_notice, name="exception_notice"),
    path("entries/", entries.entry_list, name="entry_list"),
    path("entries/check/", entries.entry_check_view, name="entry_check"),
    path("entries/<int:pk>/cancel/", entries.entry_cancel_view, name="entry_cancel"),
    path("enterprises/<int:pk>/year/", enterprise.enterprise_year_view, name="enterprise_year"),
    path("mine/", enterprise.my_quota, name="my_quota"),
    path("items/", include("anjian.policy.item_urls")),
    path("public/items/", include(public_urlpatterns)),
]
