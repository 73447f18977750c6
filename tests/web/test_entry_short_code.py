"""The 8-character short code printed beside the notice's QR (核验码): typed on the public page it
shows what the QR shows; unknown codes are counted per address and refused past the limit. The
notice prints it with the bureau's phone; the order, the record and the measure cite the article
that empowers them."""

from __future__ import annotations

import io
from datetime import timedelta

import pytest
from django.core.cache import cache
from docx import Document

from anjian.inspections.codes import (
    SHORT_ALPHABET,
    entry_code,
    find_short_code,
    normalise_short_code,
    printed_short_code,
    short_code,
)
from anjian.inspections.documents import document_docx
from anjian.inspections.views.public import SHORT_TRIES
from tests.web.inspection_helpers import approved_task, field_team, today
from tests.web.test_inspection_documents import VERIFY_URL, _inspect, _text

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _fresh_cache() -> None:
    cache.clear()


def test_the_short_code_is_eight_unambiguous_characters_from_the_signed_code(world) -> None:  # type: ignore[no-untyped-def]
    team = field_team(world)
    task = approved_task(world, team)
    code = short_code(task)
    assert len(code) == 8 and set(code) <= set(SHORT_ALPHABET)
    assert not set(code) & set("01OI")
    assert printed_short_code(task) == f"{code[:4]}-{code[4:]}"
    assert normalise_short_code(f" {code[:4].lower()} - {code[4:]} ") == code
    assert normalise_short_code("0OIL1234") is None and normalise_short_code(code[:7]) is None
    assert find_short_code(code, today()) == entry_code(task)
    other = approved_task(world, team, today() + timedelta(days=1))
    assert short_code(other) != code


def test_a_typed_short_code_shows_the_same_page_as_the_qr(world, client) -> None:  # type: ignore[no-untyped-def]
    team = field_team(world)
    task = approved_task(world, team)
    typed = printed_short_code(task).lower()
    response = client.get("/inspections/verify/", {"code": typed}, follow=True)
    by_qr = client.get(f"/inspections/verify/{entry_code(task)}/")
    assert response.status_code == by_qr.status_code == 200
    assert response.redirect_chain[-1][0] == f"/inspections/verify/{entry_code(task)}/"
    assert 'data-state="valid"' in response.content.decode()
    assert "文水县宏达化工有限公司" in response.content.decode()


def test_unknown_short_codes_are_refused_past_the_limit(world, client) -> None:  # type: ignore[no-untyped-def]
    team = field_team(world)
    task = approved_task(world, team)
    wrong = "22222222" if short_code(task) != "22222222" else "33333333"
    for _ in range(SHORT_TRIES):
        response = client.get(f"/inspections/verify/{wrong}/")
        assert response.status_code == 404
        assert 'data-state="unknown"' in response.content.decode()
    refused = client.get(f"/inspections/verify/{short_code(task)}/")
    assert refused.status_code == 429
    assert "核验码输错次数过多" in refused.content.decode()
    assert client.get(f"/inspections/verify/{entry_code(task)}/").status_code == 200  # the QR


def test_a_task_outside_the_window_does_not_answer_its_short_code(world) -> None:  # type: ignore[no-untyped-def]
    team = field_team(world)
    task = approved_task(world, team)
    assert find_short_code(short_code(task), today() + timedelta(days=401)) is None


def test_the_notice_prints_the_short_code_the_address_and_the_bureaus_phone(world) -> None:  # type: ignore[no-untyped-def]
    world.county.phone = "0358-3022110"
    world.county.save()
    team = field_team(world)
    task = approved_task(world, team)
    _name, content = document_docx(task.documents.get(kind="notice"), VERIFY_URL)
    text = _text(Document(io.BytesIO(content)))
    assert f"核验码：{printed_short_code(task)}" in text
    assert "https://anjian.example.gov.cn/inspections/verify/\n" in text
    assert "文水县应急管理局咨询电话：0358-3022110" in text
    assert entry_code(task) not in text  # the 90-character code is the QR's, not printed


def test_the_order_the_record_and_the_measure_cite_their_articles(world) -> None:  # type: ignore[no-untyped-def]
    done = _inspect(world)  # the order covers a general and a major hazard
    texts = {
        kind: _text(Document(io.BytesIO(document_docx(done.document(kind))[1])))
        for kind in ("order", "record", "measure")
    }
    law = "《中华人民共和国安全生产法》"
    assert f"依据{law}第六十五条第一款第（二）项、第（三）项的规定，现责令你单位" in texts["order"]
    assert f"依据{law}第六十八条的规定，记录本次检查" in texts["record"]
    assert f"依据{law}第六十五条第一款第（三）项的规定" in texts["measure"]


def test_an_order_for_general_hazards_only_cites_item_two(world) -> None:  # type: ignore[no-untyped-def]
    from anjian.inspections.models import Hazard, InspectionDocument

    done = _inspect(world)
    Hazard.objects.filter(pk=done.major.pk).update(order=None)
    order = InspectionDocument.objects.get(pk=done.order.document_id)
    text = _text(Document(io.BytesIO(document_docx(order)[1])))
    assert "第六十五条第一款第（二）项的规定，现责令你单位对上述第1项问题" in text
    assert "第（三）项" not in text
