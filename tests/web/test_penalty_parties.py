"""Issue 15 items 4 and 5 on cases: the mandatory measures of the stage cannot be dropped, and
each fined party (the unit, each directly responsible person) is named, fined, pays and is
charged its late fee on its own; the case closes only when every fine is settled."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.core.exceptions import ValidationError

from anjian.enforcement.models import CaseFine, PenaltyCase
from anjian.enforcement.services.case_proposal import FinedPerson
from anjian.enforcement.services.case_steps import (
    case_close,
    case_decide,
    case_deliver,
    case_fine_ground,
    case_pay,
    case_record_defence,
)
from tests.web.penalty_helpers import (
    MONDAY,
    collective,
    finding,
    notified,
    open_case,
    propose,
    reviewed,
)
from tests.web.test_penalty_documents import docx

TUESDAY = MONDAY + timedelta(days=1)
OVERDUE = {"count": 1, "overdue": True}


def refused(call) -> ValidationError:
    with pytest.raises(ValidationError) as caught:
        call()
    return caught.value


def written(case: PenaltyCase) -> tuple[int, int, int, str, list[str]]:
    case.refresh_from_db()
    return (
        case.steps.count(),
        case.documents.count(),
        case.fines.count(),
        case.state,
        list(case.proposed_measures),
    )


def test_the_suspension_of_article_101_cannot_be_dropped(world) -> None:
    case = open_case(world, finding(world), article="101", item="1")
    before = written(case)
    error = refused(lambda: propose(world, case, facts=OVERDUE, unit_fine=150000, measures=[]))
    assert error.message_dict["measures"] == [
        "依照《安全生产法》第一百零一条，逾期未改正的，应当责令停产停业整顿"
    ]
    assert written(case) == before
    propose(world, case, facts=OVERDUE, unit_fine=150000, measures=["责令停产停业整顿"])
    assert case.proposed_measures == ["责令停产停业整顿"]


def test_a_decision_without_the_mandatory_measure_is_refused(world) -> None:
    """A proposal from before the rule (its measures edited in the database) is not decided."""
    case = open_case(world, finding(world), article="101", item="1")
    propose(world, case, facts=OVERDUE, unit_fine=150000, measures=["责令停产停业整顿"])
    reviewed(world, case)
    notified(world, case)
    head = world.users["bureau_head"]
    case_record_defence(actor=world.users["hazchem"], case=case, waived=True, today=MONDAY)
    collective(world, case)
    PenaltyCase.objects.filter(pk=case.pk).update(proposed_measures=[])
    before = written(case)
    error = refused(lambda: case_decide(actor=head, case=case, today=TUESDAY))
    assert error.messages == ["依照《安全生产法》第一百零一条，逾期未改正的，应当责令停产停业整顿"]
    assert written(case) == before


def _decided_with_two_persons(world) -> PenaltyCase:
    case = open_case(world, finding(world), article="101", item="1")
    persons = [
        FinedPerson("王五", "安全管理员", 30000, id_number="11010519491231002X"),
        FinedPerson("赵六", "车间主任", 20000),
    ]
    propose(
        world,
        case,
        facts=OVERDUE,
        unit_fine=150000,
        persons=persons,
        measures=["责令停产停业整顿"],
    )
    reviewed(world, case)
    notified(world, case)
    case_record_defence(actor=world.users["hazchem"], case=case, waived=True, today=MONDAY)
    collective(world, case)
    case_decide(actor=world.users["bureau_head"], case=case, today=TUESDAY)
    return case_deliver(
        actor=world.users["hazchem"], case=case, delivered_on=TUESDAY, today=TUESDAY
    )


def test_each_person_is_named_with_a_separate_fine(world) -> None:
    case = _decided_with_two_persons(world)
    assert case.proposed_persons[0] == {
        "name": "王五",
        "post": "安全管理员",
        "id_number": "1101**********002X",
        "fine": 30000,
    }
    assert case.proposed_person_fine == 30000  # the hearing threshold is per person
    fines = [(f.party, f.name, f.post, f.amount) for f in case.fines.all()]
    assert fines == [
        ("unit", "文水县宏达化工有限公司", "", 150000),
        ("person", "王五", "安全管理员", 30000),
        ("person", "赵六", "车间主任", 20000),
    ]
    assert case.decided_unit_fine == 150000 and case.decided_person_fine == 50000
    _, text = docx(case, "decision")
    assert "对直接责任人员王五（安全管理员）处罚款人民币3万元" in text
    assert "对直接责任人员赵六（车间主任）处罚款人民币2万元" in text
    assert "王五缴纳罚款人民币30,000元" in text and "各自分别缴纳" in text
    assert "责令停产停业整顿" in text


def test_a_person_must_be_named_with_a_post(world) -> None:
    case = open_case(world, finding(world), article="101", item="1")
    before = written(case)
    error = refused(
        lambda: propose(
            world,
            case,
            facts=OVERDUE,
            unit_fine=150000,
            persons=[FinedPerson("王五", "", 30000), FinedPerson("赵六", "主任", 60000)],
            measures=["责令停产停业整顿"],
        )
    )
    assert error.message_dict["persons"] == ["第1名直接责任人员须写明姓名和职务"]
    assert error.message_dict["person_fine"] == [
        "拟对直接责任人员赵六罚款 60,000 元，超出法定幅度（2万元以上5万元以下）"
    ]
    assert written(case) == before


def test_each_fine_is_paid_with_its_own_late_fee_and_the_case_closes_after_all(world) -> None:
    case = _decided_with_two_persons(world)
    handler = world.users["hazchem"]
    unit, wang, zhao = case.fines.all()
    due = TUESDAY + timedelta(days=15)
    case_pay(actor=handler, case=case, fine=unit, paid_on=due, today=due)
    late = due + timedelta(days=2)
    error = refused(
        lambda: case_pay(
            actor=handler, case=case, fine=wang, paid_on=late, amount=30000, today=late
        )
    )
    assert error.message_dict["amount"] == [
        "应缴罚款 30,000 元及加处罚款 1,800 元，共 31,800 元，与所填金额不符"
    ]
    case_pay(actor=handler, case=case, fine=wang, paid_on=late, amount=31800, today=late)
    assert case.state == "delivered"
    error = refused(lambda: case_close(actor=handler, case=case, today=late))
    assert "赵六的罚款20,000元未缴纳" in error.messages[0]
    # 赵六 did not pay: the bureau applied to the court for enforcement
    much_later = date(2025, 6, 30)
    case_fine_ground(
        actor=handler,
        case=case,
        fine=zhao,
        ground="court",
        on=much_later,
        document="强制执行申请书 文水应急强申〔2025〕1号",
        today=much_later,
    )
    case_close(actor=handler, case=case, today=much_later)
    case.refresh_from_db()
    assert case.state == "closed"
    rows = [(f.name, f.paid_amount, f.late_fee, f.ground) for f in case.fines.all()]
    assert rows == [
        ("文水县宏达化工有限公司", 150000, 0, ""),
        ("王五", 30000, 1800, ""),
        ("赵六", 0, 0, "court"),
    ]


def test_a_waiver_decision_lets_the_fine_be_paid_without_the_late_fee(world) -> None:
    case = _decided_with_two_persons(world)
    handler = world.users["hazchem"]
    unit, wang, zhao = case.fines.all()
    late = TUESDAY + timedelta(days=40)  # 25 days late: 75 %
    before = written(case)
    error = refused(
        lambda: case_fine_ground(
            actor=handler, case=case, fine=wang, ground="waiver", on=late, document="", today=late
        )
    )
    assert error.message_dict["document"] == ["请填写文书名称及文号"]
    assert written(case) == before
    case_fine_ground(
        actor=handler,
        case=case,
        fine=wang,
        ground="waiver",
        on=late,
        document="减免加处罚款决定书 文水应急减〔2025〕1号",
        today=late,
    )
    case_pay(actor=handler, case=case, fine=wang, paid_on=late, amount=30000, today=late)
    case_pay(actor=handler, case=case, fine=zhao, paid_on=late, amount=35000, today=late)
    case_pay(actor=handler, case=case, fine=unit, paid_on=late, today=late)
    case.refresh_from_db()
    assert case.state == "paid"
    assert [f.late_fee for f in case.fines.all()] == [112500, 0, 15000]
    assert CaseFine.objects.filter(case=case, late_fee__gt=0).count() == 2
