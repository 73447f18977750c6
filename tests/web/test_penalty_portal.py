"""The enterprise sees its own penalty cases once they are notified to it: the penalty, its
deadlines and the documents served on it — never a case under investigation, the filing form, or
another enterprise's case."""

from __future__ import annotations

import pytest

from anjian.enforcement.models import CaseDocument
from tests.web.penalty_helpers import decided_case, finding, notified, open_case, propose

pytestmark = pytest.mark.django_db


def test_the_party_sees_its_notified_and_decided_cases(world, client, login) -> None:
    filed = open_case(world, finding(world, "仓库未设置安全警示标志"))
    told = notified(world, propose(world, open_case(world, finding(world, "罐区未设警示标志"))))
    done = decided_case(world, finding(world))
    login(world.users["enterprise"])
    page = client.get("/enforcement/cases/mine/")
    html = page.content.decode()
    assert page.status_code == 200
    assert f"party-case-{told.pk}" in html and f"party-case-{done.pk}" in html
    assert f"party-case-{filed.pk}" not in html  # still under investigation
    assert "陈述申辩期限（告知后三个工作日内）：<strong>2025-03-06</strong>" in html
    assert "对你单位处罚款人民币1万元" in html and "缴纳罚款期限" in html
    decision = done.documents.get(kind=CaseDocument.Kind.DECISION)
    response = client.get(f"/enforcement/cases/mine/documents/{decision.pk}/")
    assert response.status_code == 200 and response["Content-Type"].startswith(
        "application/vnd.openxmlformats"
    )
    filing = done.documents.get(kind=CaseDocument.Kind.FILING)
    assert client.get(f"/enforcement/cases/mine/documents/{filing.pk}/").status_code == 404
    # the staff pages stay closed to the party
    assert client.get(f"/enforcement/cases/{done.pk}/").status_code in (403, 404)


def test_another_enterprise_sees_nothing(world, client, login) -> None:
    done = decided_case(world, finding(world))
    login(world.users["enterprise2"])
    html = client.get("/enforcement/cases/mine/").content.decode()
    assert f"party-case-{done.pk}" not in html and "no-party-cases" in html
    decision = done.documents.get(kind=CaseDocument.Kind.DECISION)
    assert client.get(f"/enforcement/cases/mine/documents/{decision.pk}/").status_code == 404


def test_staff_cannot_open_the_portal_page(world, client, login) -> None:
    login(world.users["hazchem"])
    assert client.get("/enforcement/cases/mine/").status_code == 403
