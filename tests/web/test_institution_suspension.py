"""Suspending a training institution as an adverse decision (issue 15, item 8): the notice first
(numbered 培告 by the register, facts, the intended measure, the grounds, the right to state a
case within 3 working days of delivery), the institution signs for it and states its case in its
portal (or the bureau records a paper statement, or that none came), then the decision (numbered
培停 by the register, citing 晋应急发〔2020〕92号 and 晋应急发〔2022〕215号, answering the
statement, naming the remedies) or the notice's withdrawal. Refused steps write nothing.

Most tests pass their days explicitly: Monday 2026-11-16 stands for today, and notices are
delivered on Friday 2026-11-06, so the time limit runs to Wednesday 2026-11-11. Steps the pages or
the helpers stamp with the clock's today (the portal's signature, `suspend`) are checked against
the clock's today instead."""

from __future__ import annotations

import io
from datetime import date, timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone
from docx import Document

from anjian.audit.models import AuditEntry
from anjian.demo.context import DemoContext
from anjian.demo.training import _institutions
from anjian.documents.models import IssuedDocument
from anjian.domain.training.suspension import (
    SuspensionFacts,
    allowed_events,
    event_refusals,
    heavier_than_notice,
    next_state,
)
from anjian.policy.workdays import calendar_is_workday
from anjian.policy_data.training.suspension import shipped_suspension_policy
from anjian.training.models import InstitutionMembership, Suspension
from anjian.training.models.institutions import StatementSource, SuspensionState
from anjian.training.services.institution_supervision import spot_check_record, suspension_lift
from anjian.training.services.institution_suspension import (
    suspension_decide,
    suspension_deliver,
    suspension_record_no_statement,
    suspension_state_case,
    suspension_withdraw,
)
from anjian.training.services.institutions import institution_create, institution_status
from tests.conftest import make_uscc
from tests.web.suspension_helpers import notify, suspend

pytestmark = pytest.mark.django_db

TODAY = date(2026, 11, 16)
DELIVERED = date(2026, 11, 6)  # a Friday
DUE = date(2026, 11, 11)  # the third working day after it
GROUNDS = (
    "山西省应急管理厅《关于印发〈安全培训管理暂行办法〉的通知》（晋应急发〔2020〕92号）、"
    "《安全培训机构报告管理办法（试行）》（晋应急发〔2022〕215号）的有关规定"
)


@pytest.fixture
def school(world):  # type: ignore[no-untyped-def]
    institution = institution_create(
        actor=None,
        data={
            "name": "文水县安泰安全培训学校",
            "uscc": make_uscc(911, "141121"),
            "body": world.county,
            "scope": "主要负责人和安全生产管理人员",
            "address": "文水县凤城镇南街 66 号",
            "registered_on": TODAY - timedelta(days=400),
        },
    )
    InstitutionMembership.objects.create(
        user=world.users["training_institution"], institution=institution
    )
    return institution


def _delivered(school, **extra):  # type: ignore[no-untyped-def]
    suspension = notify(school, on=DELIVERED, **extra)
    return suspension_deliver(
        actor=None, suspension=suspension, delivered_on=DELIVERED, today=DELIVERED
    )


def _third_working_day_after(day: date) -> date:
    return [d for d in (day + timedelta(n) for n in range(1, 30)) if calendar_is_workday(d)][2]


def _docx_text(content: bytes) -> str:
    document = Document(io.BytesIO(content))
    return "\n".join(p.text for p in document.paragraphs)


def _written() -> tuple[int, int, list[str]]:
    actions = AuditEntry.objects.order_by("pk").values_list("action", flat=True)
    return Suspension.objects.count(), IssuedDocument.objects.count(), list(actions)


# ---- the state machine, without a database ----------------------------------------------------


@pytest.mark.parametrize(
    ("state", "source", "today", "allowed"),
    [
        ("notified", "", DELIVERED, ["deliver", "withdraw"]),
        ("defence", "", DUE, ["state_case", "withdraw"]),
        ("defence", "", DUE + timedelta(1), ["record_no_statement", "withdraw"]),
        ("defence", "portal", DUE, ["decide", "withdraw"]),
        ("defence", "none", DUE + timedelta(1), ["decide", "withdraw"]),
        ("decided", "none", TODAY, ["lift"]),
        ("withdrawn", "", TODAY, []),
    ],
)
def test_the_steps_allowed_in_each_state(state, source, today, allowed) -> None:  # type: ignore[no-untyped-def]
    due = None if state == "notified" else DUE
    facts = SuspensionFacts(state, due, source)
    assert allowed_events(facts, today=today) == allowed


def test_the_transitions_and_their_refusals() -> None:
    open_window = SuspensionFacts("defence", DUE, "")
    assert next_state(SuspensionFacts("notified"), "deliver") == "defence"
    assert next_state(SuspensionFacts("defence", DUE, "paper"), "decide") == "decided"
    assert next_state(SuspensionFacts("notified"), "withdraw") == "withdrawn"
    with pytest.raises(ValueError, match="当前为“拟暂停（已告知）”，不能“作出暂停决定”"):
        next_state(SuspensionFacts("notified"), "decide")
    [refusal] = event_refusals(open_window, "decide", today=DUE)
    assert refusal.code == "DEFENCE_OPEN"
    assert refusal.message == (
        "陈述申辩期限至2026年11月11日，培训机构提出陈述申辩或期限届满前不得作出暂停决定"
    )
    [late] = event_refusals(open_window, "state_case", today=DUE + timedelta(1))
    assert late.message == "陈述申辩期限已于2026年11月11日届满"
    [unrecorded] = event_refusals(open_window, "decide", today=DUE + timedelta(1))
    assert unrecorded.code == "STATEMENT_NOT_RECORDED"


def test_a_decision_may_not_be_heavier_than_the_notice() -> None:
    start = date(2026, 11, 16)
    assert (
        heavier_than_notice(proposed_months=6, starts_on=start, ends_on=date(2027, 5, 15)) is None
    )
    longer = heavier_than_notice(proposed_months=6, starts_on=start, ends_on=date(2027, 5, 16))
    assert longer == (
        "告知书拟暂停安全生产培训业务6个月，决定的暂停期不得超过2027年5月15日；"
        "如需加重，应撤销本告知后重新告知"
    )
    assert heavier_than_notice(proposed_months=6, starts_on=start, ends_on=None) is not None
    assert heavier_than_notice(proposed_months=None, starts_on=start, ends_on=None) is None


def test_the_limit_and_the_grounds_are_data() -> None:
    policy = shipped_suspension_policy()
    assert policy.defence_working_days == 3 and "本局的选择" in policy.defence_source
    assert [c.number for c in policy.grounds] == ["晋应急发〔2020〕92号", "晋应急发〔2022〕215号"]
    assert [c.clause for c in policy.grounds] == ["", ""]  # not known to us: none invented
    assert policy.grounds_text == GROUNDS
    assert (policy.reconsideration_days, policy.litigation_months) == (60, 6)


# ---- the notice ----------------------------------------------------------------------------------


def test_hr_finance_notifies_and_the_register_numbers_the_notice(world, login, school) -> None:  # type: ignore[no-untyped-def]
    client = login(world.users["hr_finance"])
    check = spot_check_record(
        actor=world.users["hr_finance"],
        institution=school,
        checked_on=TODAY - timedelta(days=1),
        inspectors="刘洋、陈静",
        attendance_reported=40,
        attendance_found=28,
        outcome="serious",
    )
    response = client.post(
        f"/training/institutions/{school.pk}/suspensions/new/",
        {
            "spot_check": check.pk,
            "reason": "你单位培训实到人数严重不足",
            "proposed_months": "6",
            "notified_on": TODAY.isoformat(),
        },
    )
    suspension = Suspension.objects.get()
    assert response.status_code == 302
    assert response["Location"] == f"/training/suspensions/{suspension.pk}/"
    assert suspension.state == SuspensionState.NOTIFIED
    assert suspension.notice_number == "文水应急培告〔2026〕1号"
    assert suspension.decision_number == "" and suspension.starts_on is None
    assert not institution_status(school).suspended  # a notice suspends nothing
    issued = IssuedDocument.objects.get()
    assert (issued.kind, issued.number, issued.subject_pk) == (
        "training_suspension_notice",
        "文水应急培告〔2026〕1号",
        str(suspension.pk),
    )
    download = client.get(f"/training/suspensions/{suspension.pk}/notice.docx")
    assert download.status_code == 200 and download.content == bytes(issued.content)
    text = _docx_text(download.content)
    assert "文水应急培告〔2026〕1号" in text and "文水县安泰安全培训学校" in text
    assert "2026年11月15日，我局对你单位进行现场抽查，发现以下问题：实到28人" in text
    assert f"依据{GROUNDS}，我局拟对你单位作出如下决定：暂停安全生产培训业务6个月。" in text
    assert "可以自收到本告知书之日起三个工作日内通过本系统培训机构端提交陈述、申辩意见" in text
    entry = AuditEntry.objects.get(action="training.suspension.notify")
    assert entry.changes["notice_number"] == "文水应急培告〔2026〕1号"
    assert entry.changes["state"] == "notified" and entry.changes["proposed_months"] == 6


def test_a_bad_notice_writes_nothing(world, login, school) -> None:  # type: ignore[no-untyped-def]
    client = login(world.users["hr_finance"])
    before = _written()
    url = f"/training/institutions/{school.pk}/suspensions/new/"
    bad = client.post(url, {"reason": " ", "notified_on": "2026-13-45", "proposed_months": "x"})
    assert bad.status_code == 200
    tomorrow = timezone.localdate() + timedelta(days=1)
    future = client.post(url, {"reason": "r", "notified_on": tomorrow.isoformat()})
    assert "告知日期不得晚于今天" in future.content.decode()
    assert _written() == before
    notify(school, on=DELIVERED)
    second = client.post(url, {"reason": "r", "notified_on": TODAY.isoformat()})
    assert "已有尚未办结的暂停告知（文水应急培告〔2026〕1号），请先作出决定或撤销告知" in (
        second.content.decode()
    )
    assert Suspension.objects.count() == 1 and IssuedDocument.objects.count() == 1


def test_only_hr_finance_may_notify_or_decide(world, login, school) -> None:  # type: ignore[no-untyped-def]
    suspension = _delivered(school)
    before = _written()
    for username in ("office", "discipline", "training_institution"):
        client = login(world.users[username])
        for url in (
            f"/training/institutions/{school.pk}/suspensions/new/",
            f"/training/suspensions/{suspension.pk}/decide/",
            f"/training/suspensions/{suspension.pk}/withdraw/",
            f"/training/suspensions/{suspension.pk}/no-statement/",
            f"/training/suspensions/{suspension.pk}/paper-statement/",
        ):
            assert client.post(url, {"reason": "r"}).status_code == 403, (username, url)
    with pytest.raises(PermissionDenied):
        notify(school, actor=world.users["office"])
    other = login(world.users["other_office"]).get(f"/training/suspensions/{suspension.pk}/")
    assert other.status_code == 404
    assert _written() == before


# ---- delivery and the statement ------------------------------------------------------------------


def test_the_institution_signs_and_states_its_case_in_its_portal(world, login, school) -> None:  # type: ignore[no-untyped-def]
    today = timezone.localdate()  # the portal signs and states the case on the clock's today
    suspension = notify(school, on=today - timedelta(days=1))
    client = login(world.users["training_institution"])
    page = client.get(f"/training/suspensions/{suspension.pk}/").content.decode()
    assert 'data-testid="acknowledge"' in page and 'data-testid="decide"' not in page
    assert client.get(f"/training/suspensions/{suspension.pk}/notice.docx").status_code == 200
    assert client.post(f"/training/suspensions/{suspension.pk}/acknowledge/").status_code == 302
    suspension.refresh_from_db()
    assert suspension.state == SuspensionState.DEFENCE
    assert (suspension.delivered_on, suspension.delivery_note) == (today, "培训机构端签收")
    assert suspension.defence_due == _third_working_day_after(today)
    empty = client.post(f"/training/suspensions/{suspension.pk}/statement/", {"statement": " "})
    assert empty.status_code == 200 and suspension.statement_source == ""
    said = client.post(
        f"/training/suspensions/{suspension.pk}/statement/",
        {"statement": "缺课学员系临时请假，已补课。"},
    )
    assert said.status_code == 302
    suspension.refresh_from_db()
    assert suspension.statement_source == StatementSource.PORTAL
    assert suspension.statement == "缺课学员系临时请假，已补课。"
    assert suspension.statement_received_on == today
    again = client.post(f"/training/suspensions/{suspension.pk}/statement/", {"statement": "补充"})
    assert "已登记陈述申辩情况（培训机构端提交）" in again.content.decode()
    suspension.refresh_from_db()
    assert suspension.statement == "缺课学员系临时请假，已补课。"
    actions = AuditEntry.objects.filter(action__startswith="training.suspension.")
    assert list(actions.order_by("pk").values_list("action", flat=True)) == [
        "training.suspension.notify",
        "training.suspension.deliver",
        "training.suspension.state_case",
    ]


def test_a_statement_after_the_limit_is_refused(world, school) -> None:  # type: ignore[no-untyped-def]
    suspension = _delivered(school)
    assert suspension.defence_due == DUE
    with pytest.raises(ValidationError, match="陈述申辩期限已于2026年11月11日届满"):
        suspension_state_case(
            actor=world.users["training_institution"], suspension=suspension, statement="迟到的意见"
        )
    with pytest.raises(ValidationError, match="陈述申辩期限已于2026年11月11日届满"):
        suspension_state_case(
            actor=world.users["hr_finance"],
            suspension=suspension,
            statement="书面意见",
            received_on=DUE + timedelta(1),
        )
    paper = suspension_state_case(
        actor=world.users["hr_finance"],
        suspension=suspension,
        statement="书面意见",
        received_on=DUE,
    )
    assert (paper.statement_source, paper.statement_received_on) == ("paper", DUE)


def test_no_statement_is_recorded_only_after_the_limit(world, school) -> None:  # type: ignore[no-untyped-def]
    suspension = _delivered(school)
    hr = world.users["hr_finance"]
    with pytest.raises(ValidationError, match="期限届满后方可登记未提出陈述申辩"):
        suspension_record_no_statement(actor=hr, suspension=suspension, today=DUE)
    suspension.refresh_from_db()
    assert suspension.statement_source == ""
    suspension_record_no_statement(actor=hr, suspension=suspension, today=DUE + timedelta(1))
    suspension.refresh_from_db()
    assert suspension.statement_source == StatementSource.NONE


# ---- the decision ------------------------------------------------------------------------------


def test_no_decision_before_the_statement_is_heard_or_the_limit_passes(world, school) -> None:  # type: ignore[no-untyped-def]
    suspension = _delivered(school)
    hr = world.users["hr_finance"]
    before = _written()
    with pytest.raises(ValidationError, match="期限届满前不得作出暂停决定"):
        suspension_decide(actor=hr, suspension=suspension, decided_on=DUE, starts_on=DUE, today=DUE)
    with pytest.raises(ValidationError, match="请先登记培训机构的陈述申辩意见"):
        suspension_decide(actor=hr, suspension=suspension, decided_on=TODAY, starts_on=TODAY)
    assert _written() == before
    suspension.refresh_from_db()
    assert suspension.state == SuspensionState.DEFENCE and suspension.decision_number == ""


def test_the_decision_answers_the_statement_and_cites_the_grounds(world, login, school) -> None:  # type: ignore[no-untyped-def]
    suspension = _delivered(school, months=3)
    hr = world.users["hr_finance"]
    suspension_state_case(
        actor=hr, suspension=suspension, statement="学员已补课，请求从轻。", received_on=DUE
    )
    client = login(hr)
    url = f"/training/suspensions/{suspension.pk}/decide/"
    end = date(2027, 2, 15)  # the last day of three months from today
    data = {"decided_on": TODAY.isoformat(), "starts_on": TODAY.isoformat(), "answer": ""}
    no_answer = client.post(url, {**data, "ends_on": end.isoformat()})
    assert "须写明对陈述、申辩意见的复核意见（是否采纳及理由）" in no_answer.content.decode()
    heavier = client.post(url, {**data, "ends_on": "2027-02-16", "answer": "不予采纳"})
    assert "决定的暂停期不得超过2027年2月15日" in heavier.content.decode()
    open_ended = client.post(url, {**data, "answer": "不予采纳"})
    assert "如需加重，应撤销本告知后重新告知" in open_ended.content.decode()
    assert IssuedDocument.objects.filter(kind="training_suspension_decision").count() == 0
    answer = "补课不能改变抽查时实到人数不足的事实，不予采纳。"
    done = client.post(url, {**data, "ends_on": end.isoformat(), "answer": answer})
    assert done.status_code == 302
    suspension.refresh_from_db()
    assert suspension.state == SuspensionState.DECIDED
    assert suspension.decision_number == "文水应急培停〔2026〕1号"
    assert (suspension.decided_on, suspension.starts_on, suspension.ends_on) == (TODAY, TODAY, end)
    status = institution_status(school, TODAY)  # as on the day of the decision
    assert status.suspended and status.until == end
    assert status.decision_number == "文水应急培停〔2026〕1号"
    issued = IssuedDocument.objects.get(kind="training_suspension_decision")
    download = client.get(f"/training/suspensions/{suspension.pk}/decision.docx")
    assert download.content == bytes(issued.content)
    text = _docx_text(download.content)
    assert "文水应急培停〔2026〕1号" in text
    assert (
        "2026年11月6日，我局作出《暂停培训业务告知书》（文水应急培告〔2026〕1号），"
        "告知你单位拟暂停安全生产培训业务3个月的事实、理由、依据和你单位依法享有的陈述、申辩权利，"
        "该告知书于2026年11月6日送达你单位。"
    ) in text
    assert "你单位于2026年11月11日以书面形式提出陈述、申辩意见：学员已补课，请求从轻。" in text
    assert f"经复核，{answer}" in text
    assert (
        f"依据{GROUNDS}，我局决定：自2026年11月16日起至2027年2月15日止，"
        "暂停你单位安全生产培训业务。"
    ) in text
    assert "自收到本决定书之日起六十日内依法向文水县人民政府申请行政复议" in text
    assert "或者在六个月内依法向人民法院提起行政诉讼" in text
    own = login(world.users["training_institution"])
    assert (
        own.get(f"/training/suspensions/{suspension.pk}/decision.docx").content == download.content
    )
    entry = AuditEntry.objects.get(action="training.suspension.decide")
    assert entry.changes["decision_number"] == "文水应急培停〔2026〕1号"
    assert entry.changes["answer"] == answer and entry.changes["state"] == "decided"


def test_the_decision_says_when_no_statement_came(world, school) -> None:  # type: ignore[no-untyped-def]
    suspension = suspend(school, ends=None)  # delivered ten days before the clock's today
    today = timezone.localdate()
    due = _third_working_day_after(today - timedelta(days=10))
    issued = IssuedDocument.objects.get(kind="training_suspension_decision")
    text = _docx_text(bytes(issued.content))
    due_text = f"{due.year}年{due.month}月{due.day}日"
    assert f"你单位在规定期限内（{due_text}前）未提出陈述、申辩意见。" in text
    assert "待你单位整改完毕、经我局验收合格并书面决定恢复之日止" in text
    assert suspension.decision_number == f"文水应急培停〔{today.year}〕1号"


# ---- withdrawal and lifting --------------------------------------------------------------------


def test_the_notice_is_withdrawn_and_nothing_is_suspended(world, login, school) -> None:  # type: ignore[no-untyped-def]
    suspension = _delivered(school)
    client = login(world.users["hr_finance"])
    url = f"/training/suspensions/{suspension.pk}/withdraw/"
    empty = client.post(url, {"withdrawn_on": TODAY.isoformat(), "reason": ""})
    assert empty.status_code == 200 and Suspension.objects.get().state == SuspensionState.DEFENCE
    with pytest.raises(ValidationError, match="须写明不予暂停的理由"):
        suspension_withdraw(
            actor=world.users["hr_finance"], suspension=suspension, withdrawn_on=TODAY, reason=" "
        )
    done = client.post(url, {"withdrawn_on": TODAY.isoformat(), "reason": "陈述申辩理由成立"})
    assert done.status_code == 302
    suspension.refresh_from_db()
    assert suspension.state == SuspensionState.WITHDRAWN
    assert (suspension.withdrawn_on, suspension.withdraw_reason) == (TODAY, "陈述申辩理由成立")
    assert not institution_status(school).suspended
    with pytest.raises(ValidationError, match="当前为“不予暂停（撤销告知）”，不能“作出暂停决定”"):
        suspension_decide(
            actor=world.users["hr_finance"],
            suspension=suspension,
            decided_on=TODAY,
            starts_on=TODAY,
        )
    assert client.get(f"/training/suspensions/{suspension.pk}/decision.docx").status_code == 404


def test_only_a_decided_suspension_is_lifted(world, school) -> None:  # type: ignore[no-untyped-def]
    hr = world.users["hr_finance"]
    pending = _delivered(school)
    with pytest.raises(ValidationError, match="不能“提前恢复”"):
        suspension_lift(actor=hr, suspension=pending, lifted_on=TODAY, reason="整改验收合格")
    suspension_withdraw(actor=hr, suspension=pending, withdrawn_on=TODAY, reason="理由成立")
    decided = suspend(school, ends=30)  # decided on the clock's today
    today = timezone.localdate()
    lifted = suspension_lift(actor=hr, suspension=decided, lifted_on=today, reason="整改验收合格")
    assert lifted.lifted_on == today and not institution_status(school).suspended


def test_a_legacy_decision_keeps_its_number_and_prints(world, login, school) -> None:  # type: ignore[no-untyped-def]
    legacy = Suspension.objects.create(
        institution=school,
        state=SuspensionState.DECIDED,
        decision_number="文应急培停〔2025〕7号",
        decided_on=date(2025, 6, 1),
        reason="迁移前作出的决定",
        starts_on=date(2025, 6, 1),
        ends_on=timezone.localdate() + timedelta(days=45),  # still running
    )
    assert legacy.legacy and institution_status(school).decision_number == "文应急培停〔2025〕7号"
    response = login(world.users["hr_finance"]).get(
        f"/training/suspensions/{legacy.pk}/decision.docx"
    )
    text = _docx_text(response.content)
    assert "文应急培停〔2025〕7号" in text and "告知书" not in text.split("经查")[1]
    page = login(world.users["hr_finance"]).get(f"/training/suspensions/{legacy.pk}/")
    assert "本系统记录告知程序前作出的决定，无告知记录" in page.content.decode()


def test_the_demo_suspension_goes_through_the_procedure(world) -> None:  # type: ignore[no-untyped-def]
    ctx = DemoContext(seed=2025, today=TODAY, bodies={"county": world.county}, sections={})
    schools = _institutions(ctx)
    suspension = Suspension.objects.get(institution=schools.by_key["b"])
    assert suspension.state == SuspensionState.DECIDED and not suspension.legacy
    assert suspension.notice_number == "文水应急培告〔2026〕1号"
    assert suspension.decision_number == "文水应急培停〔2026〕1号"
    assert (suspension.notified_on, suspension.delivered_on) == (date(2026, 9, 3), date(2026, 9, 3))
    assert suspension.defence_due == date(2026, 9, 8)
    assert suspension.statement_source == StatementSource.PAPER and "不予采纳" in suspension.answer
    assert (suspension.starts_on, suspension.ends_on) == (date(2026, 9, 8), date(2027, 3, 7))
    assert institution_status(schools.by_key["b"], TODAY).suspended
    assert not institution_status(schools.by_key["a"], TODAY).suspended
    kinds = IssuedDocument.objects.order_by("pk").values_list("kind", flat=True)
    assert list(kinds) == ["training_suspension_notice", "training_suspension_decision"]
