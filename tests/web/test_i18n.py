"""Chinese by default; English for a user who chose it, across the registry and audit pages."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

import anjian

PAGES = [
    (
        "office",
        "/registry/enterprises/",
        ["Enterprises", "Search", "Export to Excel", "Sector"],
        ["查询", "导出Excel"],
    ),
    ("office", "/registry/officers/", ["Officers", "Certificate status"], ["执法证状态"]),
    (
        "office",
        "/registry/enterprises/import/",
        ["Download template", "Upload and check"],
        ["下载模板"],
    ),
    ("audit_admin", "/audit/", ["Verify audit chain", "Actor"], ["校验审计链"]),
    ("system_admin", "/accounts/users/", ["New user", "Username"], ["新建用户"]),
]


@pytest.mark.parametrize(("username", "path", "english", "chinese"), PAGES)
def test_pages_follow_the_users_language(world, login, username, path, english, chinese) -> None:  # type: ignore[no-untyped-def]
    user = world.users[username]
    zh = login(user).get(path).content.decode()
    for text in chinese:
        assert text in zh
    user.language = "en"
    user.save()
    en = login(user).get(path).content.decode()
    for text in english:
        assert text in en, text
    for text in chinese:
        assert text not in en, text


def test_enterprise_detail_in_english(world, login) -> None:  # type: ignore[no-untyped-def]
    user = world.users["office"]
    user.language = "en"
    user.save()
    html = (
        login(user).get(f"/registry/enterprises/{world.enterprises['chem'].pk}/").content.decode()
    )
    assert "Unified social credit code" in html and "Open enterprise account" in html


def test_every_message_has_an_english_translation() -> None:
    po = Path(anjian.__file__).parent / "locale" / "en" / "LC_MESSAGES" / "django.po"
    text = po.read_text(encoding="utf-8")
    assert "#, fuzzy" not in text
    assert re.findall(r'msgid "(.+)"\nmsgstr ""\n', text) == []
