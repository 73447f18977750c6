"""The home page's registry figures are the database's counts over the user's scope."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from anjian.registry.access import visible_enterprises, visible_officers

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("username", ["office", "hazchem", "city_office"])
def test_the_registry_figures_count_the_users_scope(world, login, username) -> None:  # type: ignore[no-untyped-def]
    user = world.users[username]
    officer = world.officers["county"]
    officer.certificate_valid_until = timezone.localdate() + timedelta(days=30)
    officer.save(update_fields=["certificate_valid_until"])
    context = login(user).get("/").context
    enterprises, officers = visible_enterprises(user), visible_officers(user)
    today = timezone.localdate()
    assert context["enterprise_total"] == enterprises.count() > 0
    assert context["contact_points"] == enterprises.filter(is_contact_point=True).count()
    assert context["officer_total"] == officers.count()
    expiring = officers.filter(
        certificate_valid_until__gte=today,
        certificate_valid_until__lte=today + timedelta(days=60),
    ).count()
    assert context["certificates_expiring"] == expiring == 1
    assert (
        context["certificates_expired"]
        == officers.filter(certificate_valid_until__lt=today).count()
    )
    assert sum(n for _label, n in context["sector_rows"]) == enterprises.count()
