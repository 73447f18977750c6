"""The register of issued documents: each document is rendered once at issue and every later
download serves those exact bytes; corrections are new versions with a reason; numbers are per
body, kind and year with the body's prefix, never a database id."""

from __future__ import annotations

import hashlib
import io
import threading
from datetime import date

import pytest
from django.db import connection, connections, transaction
from docx import Document

from anjian.audit.models import AuditEntry
from anjian.documents.models import AppendOnlyError, DocumentSerial, IssuedDocument
from anjian.documents.services import (
    DocumentError,
    document_correct,
    document_for,
    document_issue,
    document_response,
    documents_of,
    format_number,
    next_serial,
)
from anjian.enforcement.models import CaseDocument
from anjian.inspections.models import InspectionDocument, InspectionTask
from tests.web.inspection_helpers import approved_task, field_team, today
from tests.web.penalty_helpers import finding, open_case
from tests.web.test_inspection_documents import _inspect

pytestmark = pytest.mark.django_db


def _text(content: bytes) -> str:
    document = Document(io.BytesIO(content))
    lines = [p.text for p in document.paragraphs]
    for table in document.tables:
        for row in table.rows:
            lines.extend(cell.text for cell in row.cells)
    return "\n".join(lines)


def _notice(task: InspectionTask) -> IssuedDocument:
    issued = document_for(task, "notice")
    assert issued is not None
    return issued


def test_the_notice_is_kept_at_issue_with_its_hash_and_audit(world) -> None:  # type: ignore[no-untyped-def]
    world.county.number_prefix = "文应急"
    world.county.save()
    task = approved_task(world, field_team(world))
    issued = _notice(task)
    content = bytes(issued.content)
    number = f"文应急检通〔{today().year}〕1号"  # numbered in the year of issue, today
    assert issued.number == number
    assert issued.file_name == f"{number}行政检查通知书.docx"
    assert issued.sha256 == hashlib.sha256(content).hexdigest()
    assert issued.size == len(content) and issued.version == 1
    assert issued.enterprise == world.enterprises["chem"]
    assert task.documents.get().issued == issued
    assert number in _text(content)
    entry = AuditEntry.objects.get(action="document.issue", target_id=str(issued.pk))
    assert entry.changes["sha256"] == issued.sha256
    assert entry.changes["number"] == number
    assert entry.changes["kind"] == "notice" and entry.changes["version"] == 1


def test_a_download_after_the_data_changed_returns_the_original_bytes(world, client) -> None:  # type: ignore[no-untyped-def]
    task = approved_task(world, field_team(world))
    issued = _notice(task)
    InspectionTask.objects.filter(pk=task.pk).update(ground="改过的事由 XYZ")
    client.force_login(world.users["hazchem"])
    response = client.get(f"/inspections/documents/{task.documents.get().pk}/")
    assert response.status_code == 200
    assert hashlib.sha256(response.content).hexdigest() == issued.sha256
    assert "举报件 JB-2026-001" in _text(response.content)
    assert "改过的事由 XYZ" not in _text(response.content)
    assert "filename*=UTF-8''%E6%96%87" in response["Content-Disposition"]
    # the enterprise's own download serves the same copy
    client.force_login(world.users["enterprise"])
    again = client.get(f"/inspections/documents/{task.documents.get().pk}/")
    assert hashlib.sha256(again.content).hexdigest() == issued.sha256


def test_every_inspection_document_prints_the_facts_saved_before_it(world) -> None:  # type: ignore[no-untyped-def]
    inspected = _inspect(world)
    rows = {d.kind: d for d in InspectionDocument.objects.filter(task=inspected.task)}
    assert set(rows) == {"notice", "record", "order", "review", "measure"}
    order = _text(bytes(rows["order"].issued.content))  # type: ignore[union-attr]
    assert "储罐区防火堤破损" in order and "可燃气体报警器全部失效" in order
    measure = _text(bytes(rows["measure"].issued.content))  # type: ignore[union-attr]
    assert "可燃气体报警器全部失效" in measure
    review = _text(bytes(rows["review"].issued.content))  # type: ignore[union-attr]
    assert "备件未到货" in review
    record = _text(bytes(rows["record"].issued.content))  # type: ignore[union-attr]
    assert "生产区、罐区" in record and rows["order"].number in record
    for document in rows.values():
        assert document.issued is not None and document.number == document.issued.number


def test_numbers_are_per_body_kind_and_year_never_a_database_id(world) -> None:  # type: ignore[no-untyped-def]
    world.other_county.number_prefix = "交应急"
    world.other_county.save()
    chem, other_chem = world.enterprises["chem"], world.enterprises["other_chem"]
    made = []
    with transaction.atomic():
        for body, subject, on in (
            (world.county, chem, date(2026, 3, 2)),
            (world.county, chem, date(2026, 3, 3)),
            (world.county, chem, date(2027, 1, 4)),
            (world.other_county, other_chem, date(2026, 3, 2)),
        ):
            made.append(
                document_issue(
                    actor=None,
                    body=body,
                    kind="order",
                    subject=subject,
                    on=on,
                    render=lambda stamp: f"{stamp.number}".encode(),
                )
            )
    assert [d.number for d in made] == [
        "文水应急责改〔2026〕1号",
        "文水应急责改〔2026〕2号",
        "文水应急责改〔2027〕1号",
        "交应急责改〔2026〕1号",
    ]
    assert made[3].pk == made[0].pk + 3 and made[3].serial == 1
    assert bytes(made[1].content) == "文水应急责改〔2026〕2号".encode()
    assert format_number(world.county, "quiet_exception_notice", 2026, 7) == "文水应急抄〔2026〕7号"
    with transaction.atomic():
        assert next_serial(world.county, "order", 2026) == 3


def test_an_unnumbered_kind_has_no_number(world) -> None:  # type: ignore[no-untyped-def]
    seen = []
    issued = document_issue(
        actor=None,
        body=world.county,
        kind="annual_plan_annex",
        subject=world.enterprises["chem"],
        on=date(2026, 3, 2),
        render=lambda stamp: seen.append(stamp) or b"annex",
    )
    assert issued.number == "" and issued.serial is None and seen[0].number == ""
    assert not DocumentSerial.objects.filter(kind="annual_plan_annex").exists()


def test_a_correction_is_version_two_with_its_reason_both_listed_and_served(world, client) -> None:  # type: ignore[no-untyped-def]
    task = approved_task(world, field_team(world))
    first = _notice(task)
    link = task.documents.get()
    client.force_login(world.users["bureau_head"])
    refused = client.post(f"/inspections/documents/{link.pk}/correct/", {"reason": "  "})
    assert refused.status_code == 302
    assert IssuedDocument.objects.count() == 1
    assert not AuditEntry.objects.filter(action="document.correct").exists()
    InspectionTask.objects.filter(pk=task.pk).update(ground="更正后的事由")
    response = client.post(f"/inspections/documents/{link.pk}/correct/", {"reason": "检查事由写错"})
    assert response.status_code == 302
    second = _notice(task)
    assert (second.version, second.number, second.supersedes) == (2, first.number, first)
    assert second.correction_reason == "检查事由写错"
    assert "更正后的事由" in _text(bytes(second.content))
    assert list(documents_of(task)) == [second, first]
    entry = AuditEntry.objects.get(action="document.correct")
    assert entry.changes["sha256_before"] == first.sha256
    assert entry.changes["sha256"] == second.sha256
    page = client.get(f"/inspections/{task.pk}/").content.decode()
    assert 'data-testid="version-1"' in page and 'data-testid="version-2"' in page
    assert "检查事由写错" in page
    for version in (first, second):
        served = client.get(f"/documents/{version.pk}/file/")
        assert hashlib.sha256(served.content).hexdigest() == version.sha256
    latest = client.get(f"/inspections/documents/{link.pk}/")
    assert hashlib.sha256(latest.content).hexdigest() == second.sha256


def test_a_correction_needs_a_reason_and_the_issuing_role(world, client) -> None:  # type: ignore[no-untyped-def]
    task = approved_task(world, field_team(world))
    with pytest.raises(DocumentError, match="更正理由"):
        document_correct(actor=None, document=_notice(task), reason="", render=lambda stamp: b"x")
    client.force_login(world.users["office"])
    link = task.documents.get()
    response = client.post(f"/inspections/documents/{link.pk}/correct/", {"reason": "改"})
    assert response.status_code == 403
    assert IssuedDocument.objects.count() == 1


def test_register_rows_are_append_only(world) -> None:  # type: ignore[no-untyped-def]
    issued = _notice(approved_task(world, field_team(world)))
    with pytest.raises(AppendOnlyError):
        issued.save()
    with pytest.raises(AppendOnlyError):
        issued.delete()


def test_a_legacy_document_is_frozen_on_its_first_download(world, client) -> None:  # type: ignore[no-untyped-def]
    task = approved_task(world, field_team(world))
    link = task.documents.get()
    legacy = IssuedDocument.objects.create(
        body=world.county,
        kind="record",
        title="现场检查记录",
        year=2026,
        serial=9,
        number="文水应急检记〔2026〕9号",
        subject_app="inspections",
        subject_model="inspectiontask",
        subject_pk=str(task.pk),
        issued_on=today(),
        issued_at=link.issued.issued_at,
        content=None,  # type: ignore[union-attr]
        content_type="application/x",
        file_name="文水应急检记〔2026〕9号现场检查记录.docx",
        legacy=True,
    )
    old = InspectionDocument.objects.create(
        task=task,
        body=world.county,
        kind="record",
        year=2026,
        serial=9,
        number="文水应急检记〔2026〕9号",
        issued_on=today(),
        issued=legacy,
    )
    client.force_login(world.users["hazchem"])
    first = client.get(f"/inspections/documents/{old.pk}/")
    legacy = IssuedDocument.objects.get(pk=legacy.pk)
    assert legacy.frozen_at is not None and legacy.legacy
    assert hashlib.sha256(first.content).hexdigest() == legacy.sha256
    assert (
        AuditEntry.objects.get(action="document.freeze_legacy").changes["sha256"] == legacy.sha256
    )
    InspectionTask.objects.filter(pk=task.pk).update(summary="之后改动")
    again = client.get(f"/inspections/documents/{old.pk}/")
    assert again.content == first.content
    assert AuditEntry.objects.filter(action="document.freeze_legacy").count() == 1


def test_the_register_page_is_scoped_filtered_and_404_outside_the_body(world, client) -> None:  # type: ignore[no-untyped-def]
    task = approved_task(world, field_team(world))
    issued = _notice(task)
    client.force_login(world.users["office"])
    year = str(today().year)  # the notice was issued today
    page = client.get("/documents/", {"kind": "notice", "year": year, "number": "检通"})
    assert page.status_code == 200 and issued.number in page.content.decode()
    empty = client.get("/documents/", {"kind": "order"})
    assert issued.number not in empty.content.decode()
    assert client.get(f"/documents/{issued.pk}/").status_code == 200
    client.force_login(world.users["other_office"])
    assert client.get(f"/documents/{issued.pk}/").status_code == 404
    assert client.get(f"/documents/{issued.pk}/file/").status_code == 404
    assert issued.number not in client.get("/documents/").content.decode()
    client.force_login(world.users["hazchem"])
    assert client.get("/documents/").status_code == 403


def test_a_penalty_document_is_served_as_issued(world, client) -> None:  # type: ignore[no-untyped-def]
    case = open_case(world, finding(world))
    filing = case.documents.get(kind=CaseDocument.Kind.FILING)
    issued = document_for(case, "filing")
    assert issued is not None and issued.number == filing.number == case.number
    assert issued.number == "文水应急立〔2025〕1号"
    assert issued.file_name == "文水应急立〔2025〕1号立案审批表.docx"
    assert "储罐区未设置安全警示标志" in _text(bytes(issued.content))
    type(case).objects.filter(pk=case.pk).update(facts_text="改过的事实")
    client.force_login(world.users["legal_office"])
    response = client.get(f"/enforcement/cases/documents/{filing.pk}/")
    assert response.status_code == 200
    assert hashlib.sha256(response.content).hexdigest() == issued.sha256


def test_document_response_never_regenerates(world) -> None:  # type: ignore[no-untyped-def]
    issued = document_issue(
        actor=None,
        body=world.county,
        kind="notice",
        subject=world.enterprises["chem"],
        on=date(2026, 3, 2),
        render=lambda stamp: b"PK exact bytes",
    )
    response = document_response(issued)
    assert response.content == b"PK exact bytes"
    assert response["Content-Disposition"].startswith("attachment; filename*=UTF-8''")


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_concurrent_issues_never_share_a_number(world) -> None:  # type: ignore[no-untyped-def]
    if connection.vendor != "postgresql":
        pytest.skip("PostgreSQL only: SQLite serialises writers itself")
    chem = world.enterprises["chem"]
    errors: list[BaseException] = []
    barrier = threading.Barrier(8)

    def issuer() -> None:
        try:
            barrier.wait()
            document_issue(
                actor=None,
                body=world.county,
                kind="order",
                subject=chem,
                on=date(2026, 3, 2),
                render=lambda stamp: stamp.number.encode(),
            )
        except BaseException as exc:
            errors.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=issuer) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    serials = sorted(IssuedDocument.objects.filter(kind="order").values_list("serial", flat=True))
    assert serials == list(range(1, 9))


def test_a_penalty_document_is_corrected_by_the_issuing_role(world, client) -> None:  # type: ignore[no-untyped-def]
    case = open_case(world, finding(world))
    filing = case.documents.get(kind=CaseDocument.Kind.FILING)
    url = f"/enforcement/cases/documents/{filing.pk}/correct/"
    client.force_login(world.users["legal_office"])
    assert client.post(url, {"reason": "案由有误"}).status_code == 403
    client.force_login(world.users["hazchem"])
    assert client.post(url, {"reason": ""}).status_code == 302
    assert documents_of(case).count() == 1
    assert client.post(url, {"reason": "案由有误"}).status_code == 302
    second = document_for(case, "filing")
    assert second is not None and (second.version, second.number) == (2, filing.number)
    page = client.get(f"/enforcement/cases/{case.pk}/").content.decode()
    assert 'data-testid="version-2"' in page and "案由有误" in page
    served = client.get(f"/enforcement/cases/documents/{filing.pk}/")
    assert hashlib.sha256(served.content).hexdigest() == second.sha256


def test_the_annual_request_is_issued_when_sent_and_served_as_issued(world, client) -> None:  # type: ignore[no-untyped-def]
    from anjian.planning.annual import annual_plan_advance
    from tests.web.test_annual_plan_pages import _generate, _today

    plan = _generate(world)
    client.force_login(world.users["office"])
    draft = client.get(f"/planning/annual/{plan.pk}/plan.docx")
    assert "%EF%BC%88%E8%8D%89%E7%A8%BF%EF%BC%89" in draft["Content-Disposition"]  # （草稿）
    assert not documents_of(plan).exists()
    for action in ("submit", "office_pass"):
        annual_plan_advance(actor=world.users["office"], plan=plan, action=action, today=_today())
    client.force_login(world.users["bureau_head"])
    client.post(f"/planning/annual/{plan.pk}/advance/", {"action": "head_approve"})
    issued = document_for(plan, "annual_plan_request")
    number = f"文水应急请〔{_today().year}〕1号"  # issued today, when the head approves
    assert issued is not None and issued.number == number
    assert number in _text(bytes(issued.content))
    assert document_for(plan, "annual_plan_annex") is not None
    plan.lines.update(key=True)  # the data changes after issue
    served = client.get(f"/planning/annual/{plan.pk}/plan.docx")
    assert hashlib.sha256(served.content).hexdigest() == issued.sha256
    client.force_login(world.users["office"])
    url = f"/planning/annual/{plan.pk}/documents/annual_plan_request/correct/"
    client.post(url, {"reason": "月度分布有误"})
    second = document_for(plan, "annual_plan_request")
    assert second is not None and (second.version, second.number) == (2, issued.number)
    page = client.get(f"/planning/annual/{plan.pk}/").content.decode()
    assert 'data-testid="version-2"' in page and "月度分布有误" in page


def test_a_business_section_downloads_only_its_sectors_documents(world, client) -> None:  # type: ignore[no-untyped-def]
    """The register's download follows enterprise scope, not only body scope: the hazardous
    chemicals section gets a chemical firm's document, and a 404 for a coal mine's."""

    def issue(key: str) -> IssuedDocument:
        firm = world.enterprises[key]
        return document_issue(
            actor=None,
            body=world.county,
            kind="quiet_exception_notice",
            subject=firm,
            on=date(2026, 11, 16),
            render=lambda stamp: f"{stamp.number} {firm.name}".encode(),
            enterprise=firm,
        )

    chem, coal = issue("chem"), issue("coal")
    client.force_login(world.users["hazchem"])
    assert client.get(f"/documents/{chem.pk}/file/").status_code == 200
    assert client.get(f"/documents/{coal.pk}/file/").status_code == 404
    client.force_login(world.users["office"])
    assert client.get(f"/documents/{coal.pk}/file/").status_code == 200
