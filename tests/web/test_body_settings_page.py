"""The body's document settings page, and the site address documents print."""

from __future__ import annotations

import pytest
from django.core.exceptions import ImproperlyConfigured

from anjian.accounts.models import EnforcementBody
from anjian.audit.models import AuditEntry
from anjian.config.env import env_url
from anjian.inspections.services.numbers import site_verify_url
from tests.web.inspection_helpers import approved_task, field_team

pytestmark = pytest.mark.django_db

VALID = {
    "number_prefix": "文应急",
    "phone": "0358-3022110",
    "address": "文水县凤城镇胜利街1号",
    "payment_bank": "中国农业银行文水支行",
    "payment_account_name": "文水县财政局非税收入专户",
    "payment_account_no": "0412 0101 0400 12345",
    "payment_note": "凭缴款码缴纳",
}


def test_the_office_saves_the_settings_audited(world, client) -> None:  # type: ignore[no-untyped-def]
    client.force_login(world.users["office"])
    page = client.get("/accounts/body/settings/")
    assert page.status_code == 200 and "文号示例：文水应急检记〔2026〕12号" in page.content.decode()
    response = client.post("/accounts/body/settings/", VALID)
    assert response.status_code == 302
    body = EnforcementBody.objects.get(pk=world.county.pk)
    assert body.number_prefix == "文应急" and body.document_prefix == "文应急"
    assert body.payment_account_no == "0412 0101 0400 12345"
    entry = AuditEntry.objects.get(action="accounts.body.settings")
    assert entry.changes["number_prefix"] == {"before": "", "after": "文应急"}


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("number_prefix", "文应急〔", "文书编号前缀只能是汉字"),
        ("number_prefix", "WY2", "文书编号前缀只能是汉字"),
        ("phone", "电话abc", "联系电话只能包含数字"),
        ("payment_account_no", "ABC-1", "缴款账号只能包含数字"),
    ],
)
def test_bad_input_is_refused_and_nothing_is_saved(world, client, field, value, message) -> None:  # type: ignore[no-untyped-def]
    client.force_login(world.users["bureau_head"])
    response = client.post("/accounts/body/settings/", {**VALID, field: value})
    assert response.status_code == 200 and message in response.content.decode()
    body = EnforcementBody.objects.get(pk=world.county.pk)
    assert (body.number_prefix, body.phone, body.payment_account_no) == ("", "", "")
    assert not AuditEntry.objects.filter(action="accounts.body.settings").exists()


def test_other_roles_may_not_open_the_settings(world, client) -> None:  # type: ignore[no-untyped-def]
    for username in ("hazchem", "legal_office", "enterprise"):
        client.force_login(world.users[username])
        assert client.get("/accounts/body/settings/").status_code == 403
    assert client.post("/accounts/body/settings/", VALID).status_code == 403
    assert EnforcementBody.objects.get(pk=world.county.pk).number_prefix == ""


def test_the_menu_shows_the_register_and_settings_to_the_office(world, client) -> None:  # type: ignore[no-untyped-def]
    client.force_login(world.users["office"])
    page = client.get("/documents/").content.decode()
    assert 'href="/documents/"' in page and 'href="/accounts/body/settings/"' in page


def test_documents_issued_in_a_service_use_the_configured_site_address(world, settings) -> None:  # type: ignore[no-untyped-def]
    settings.ANJIAN_SITE_URL = "https://aj.wenshui.gov.cn"
    task = approved_task(world, field_team(world))
    assert site_verify_url(task).startswith("https://aj.wenshui.gov.cn/inspections/verify/")


def test_the_site_address_setting_is_checked(monkeypatch) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.setenv("ANJIAN_SITE_URL", "https://aj.example.gov.cn/")
    assert env_url("ANJIAN_SITE_URL", "http://127.0.0.1:8000") == "https://aj.example.gov.cn"
    monkeypatch.delenv("ANJIAN_SITE_URL")
    assert env_url("ANJIAN_SITE_URL", "http://127.0.0.1:8000") == "http://127.0.0.1:8000"
    monkeypatch.setenv("ANJIAN_SITE_URL", "aj.example.gov.cn")
    with pytest.raises(ImproperlyConfigured):
        env_url("ANJIAN_SITE_URL", "http://127.0.0.1:8000")
