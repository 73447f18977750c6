"""三员分立: an administrator cannot take over another administrator's account."""

from __future__ import annotations

import pytest

from anjian.audit.models import AuditEntry
from tests.conftest import PASSWORD

NEW = "Qz7!pLm2w"


@pytest.mark.parametrize("target", ["security_admin", "audit_admin"])
def test_system_admin_cannot_reset_or_disable_other_administrators(world, login, target) -> None:  # type: ignore[no-untyped-def]
    client = login(world.users["system_admin"])
    user = world.users[target]
    before = AuditEntry.objects.count()
    response = client.post(
        f"/accounts/users/{user.pk}/password/", {"password1": NEW, "password2": NEW}
    )
    assert "三员分立" in response.content.decode()
    client.post(f"/accounts/users/{user.pk}/active/", {"active": "0"})
    user.refresh_from_db()
    assert user.check_password(PASSWORD)
    assert user.is_active
    assert AuditEntry.objects.count() == before


def test_system_admin_cannot_create_or_promote_administrators(world, login) -> None:  # type: ignore[no-untyped-def]
    client = login(world.users["system_admin"])
    page = client.get("/accounts/users/new/").content.decode()
    assert 'value="audit_admin"' not in page
    target = world.users["office"]
    data = {
        "display_name": "x",
        "role": "audit_admin",
        "body": world.county.pk,
        "section": "",
        "language": "zh-hans",
    }
    response = client.post(f"/accounts/users/{target.pk}/edit/", data)
    assert "三员分立" in response.content.decode()
    target.refresh_from_db()
    assert target.role == "office"
