"""The annual plan's 请示 states its own facts: the number it is given, the bureau head who sent it
as 签发人, the day it was sent (not the government's approval), the author and the bureau's phone
as 附注, the government of the body, the officers per inspection of the budget."""

from __future__ import annotations

import io

import pytest
from docx import Document

from anjian.planning.annual import annual_plan_advance
from anjian.planning.annual_documents import annual_plan_docx, request_filename
from tests.web.test_annual_plan_pages import _generate
from tests.web.test_planning_submissions import _today

pytestmark = pytest.mark.django_db


def _text(content: bytes) -> str:
    return "\n".join(p.text for p in Document(io.BytesIO(content)).paragraphs)


def test_the_request_names_its_signer_its_day_and_its_contact(world) -> None:  # type: ignore[no-untyped-def]
    world.county.phone = "0358-3022110"
    world.county.save()
    plan = _generate(world)
    office, head = world.users["office"], world.users["bureau_head"]
    for actor, action in ((office, "submit"), (office, "office_pass"), (head, "head_approve")):
        annual_plan_advance(actor=actor, plan=plan, action=action, today=_today())
    plan.approved_on = _today().replace(year=_today().year + 1)  # a later approval is not its day
    text = _text(annual_plan_docx(plan, "文应急请〔2026〕7号"))
    signer = head.display_name or head.username
    assert f"\u3000文应急请〔2026〕7号\t签发人：{signer}" in text
    assert f"\n{_today().year}年{_today().month}月{_today().day}日\n" in text
    author = office.display_name or office.username
    assert f"（联系人：{author}　联系电话：0358-3022110）" in text
    assert "报文水县人民政府批准后实施" in text and "每次检查2名执法人员计" in text
    assert request_filename(plan, "文应急请〔2026〕7号") == (
        f"文应急请〔2026〕7号 关于报请审批{plan.year}年度监督检查计划的请示.docx"
    )


def test_a_draft_request_has_no_signer_and_the_day_given(world) -> None:  # type: ignore[no-untyped-def]
    plan = _generate(world)
    text = _text(annual_plan_docx(plan, today=_today().replace(day=1)))
    assert "签发人" not in text
    assert f"{_today().year}年{_today().month}月1日" in text
