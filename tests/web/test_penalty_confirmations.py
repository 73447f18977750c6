"""Irreversible case and library actions (issue 20, item 1): each button asks before it acts,
saying what will happen to which case or version, and only the role that owns the step may take
it; a refused step writes nothing."""

from __future__ import annotations

import html
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from anjian.accounts.models import Section
from anjian.audit.models import AuditEntry
from anjian.enforcement.forms import CaseOpenForm
from anjian.enforcement.models import BenchmarkVersion, CaseStep, ListVersion
from anjian.enforcement.services.case_steps import case_submit_review
from anjian.inspections.models import Hazard
from anjian.registry.models import Officer
from tests.web.penalty_helpers import MONDAY, finding, open_case, propose

pytestmark = pytest.mark.django_db


def _confirm(page: str, testid: str) -> str:
    found = re.search(rf'data-testid="{testid}"[^>]*data-confirm="([^"]+)"', page)
    assert found, f"{testid} asks nothing"
    return html.unescape(found.group(1))


def test_each_case_step_asks_what_will_happen(world, client) -> None:
    case = propose(
        world, open_case(world, finding(world)), unit_fine=40000, deviation_reason="面积大"
    )
    client.force_login(world.users["hazchem"])
    page = client.get(f"/enforcement/cases/{case.pk}/").content.decode()
    text = _confirm(page, "step-submit_review")
    assert case.number in text and "对你单位处罚款人民币4万元" in text and "确定吗" in text
    assert "撤案且不能恢复" in _confirm(page, "step-drop")
    case_submit_review(actor=world.users["hazchem"], case=case, today=MONDAY)
    client.force_login(world.users["legal_office"])
    page = client.get(f"/enforcement/cases/{case.pk}/").content.decode()
    assert "同意处罚意见（对你单位处罚款人民币4万元" in _confirm(page, "step-approve_review")
    assert "须重新拟定" in _confirm(page, "step-reject_review")


def test_only_the_owning_role_takes_a_step(world, client) -> None:
    case = propose(
        world, open_case(world, finding(world)), unit_fine=40000, deviation_reason="面积大"
    )
    step = f"/enforcement/cases/{case.pk}/step/"
    steps, entries = CaseStep.objects.count(), AuditEntry.objects.count()
    refusals = [
        ("legal_office", "submit_review"),  # the handler's
        ("bureau_head", "drop"),
        ("hazchem", "approve_review"),  # the legal office's
        ("bureau_head", "reject_review"),
        ("hazchem", "decide"),  # the head's
        ("legal_office", "record_collective"),
        ("office", "close"),
    ]
    for username, event in refusals:
        client.force_login(world.users[username])
        response = client.post(step, {"event": event, "note": "x", "reason": "x", "opinion": "x"})
        assert response.status_code == 403, (username, event)
        page = client.get(f"/enforcement/cases/{case.pk}/").content.decode()
        assert f'data-testid="step-{event}"' not in page, (username, event)
    case.refresh_from_db()
    assert case.state == "proposed"
    assert (CaseStep.objects.count(), AuditEntry.objects.count()) == (steps, entries)


def test_adopting_and_withdrawing_a_version_ask_first_and_belong_to_the_legal_office(
    world, client
) -> None:
    version = BenchmarkVersion.objects.filter(adopted_at__isnull=True).first()
    assert version is not None
    client.force_login(world.users["legal_office"])
    page = client.get(f"/enforcement/benchmarks/{version.pk}/").content.decode()
    assert version.name in _confirm(page, "benchmark-adopt")
    assert "撤回后不能恢复" in _confirm(page, "benchmark-withdraw")
    listed = ListVersion.objects.first()
    assert listed is not None
    page = client.get(f"/enforcement/lists/{listed.pk}/").content.decode()
    assert listed.name in _confirm(page, "list-withdraw")
    client.force_login(world.users["hazchem"])
    for path in (
        f"/enforcement/benchmarks/{version.pk}/adopt/",
        f"/enforcement/benchmarks/{version.pk}/withdraw/",
        f"/enforcement/lists/{listed.pk}/withdraw/",
    ):
        response = client.post(path, {"title": "t", "document": "d", "reason": "r"})
        assert response.status_code == 403, path
    version.refresh_from_db()
    listed.refresh_from_db()
    assert version.adopted_at is None and version.withdrawn_at is None
    assert listed.withdrawn_at is None


def test_the_officer_picker_reads_every_section_in_one_query(world) -> None:
    hazard = finding(world)
    body_id = hazard.task.enterprise.supervising_body_id
    sections = list(Section.objects.filter(body_id=body_id).order_by("pk"))
    template = Officer.objects.filter(body_id=body_id).order_by("pk").first()
    assert template is not None and len(sections) > 1
    for n in range(12):  # more officers, spread over the sections
        template.pk = None
        template.name, template.certificate_no = f"队员{n}", f"14990{n:05d}"
        template.section = sections[n % len(sections)]
        template.user = None
        template.save()
    team = Officer.objects.filter(body_id=body_id)
    assert team.values("section").distinct().count() > 1
    form = CaseOpenForm(hazards=Hazard.objects.none(), officers=team)
    with CaptureQueriesContext(connection) as queries:
        labels = [label for _value, label in form.fields["officers"].choices]
    assert len(queries) == 1 and len(labels) == team.count()
    assert all("（" in label and "执法证号" in label for label in labels)
