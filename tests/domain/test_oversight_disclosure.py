"""Personal data removed from a published decision: ID numbers, telephone numbers, and the
names of natural persons (surname kept), whatever the text around them."""

from __future__ import annotations

import re

from hypothesis import given
from hypothesis import strategies as st

from anjian.domain.oversight.disclosure import (
    ID_REMOVED,
    PHONE_REMOVED,
    mask_name,
    mask_names,
    redact,
    remaining_names,
    remove_numbers,
)

HAN = st.characters(min_codepoint=0x4E00, max_codepoint=0x4E40)
NAMES = st.lists(st.text(HAN, min_size=1, max_size=4), max_size=4)
FILLER = st.text(st.one_of(HAN, st.sampled_from("0123456789Xx*-（）， ")), max_size=30)
ID_NUMBERS = st.builds(
    lambda digits, last: digits + last,
    st.text(st.sampled_from("0123456789"), min_size=17, max_size=17),
    st.sampled_from("0123456789X"),
)
PHONES = st.builds(
    lambda second, rest: f"1{second}{rest}",
    st.sampled_from("3456789"),
    st.text(st.sampled_from("0123456789"), min_size=9, max_size=9),
)
ID_LIKE = re.compile(r"[0-9]{17}[0-9Xx]|[0-9]{15}")


def test_a_name_keeps_its_surname() -> None:
    assert mask_name("张三") == "张*"
    assert mask_name("王小明") == "王**"
    assert mask_name("欧阳明明") == "欧阳**"
    assert mask_name("欧阳") == "欧*"  # two characters: a surname and a given name
    assert mask_name("张") == "*"


def test_a_decision_text_is_cleaned() -> None:
    text = (
        "对直接责任人员王五（安全管理员，身份证号11010519491231002X，电话13912345678）"
        "处罚款人民币3万元；对欧阳明明处罚款人民币2万元；联系电话0358-3022119"
    )
    assert redact(text, ["王五", "欧阳明明"]) == (
        f"对直接责任人员王*（安全管理员，身份证号{ID_REMOVED}，电话{PHONE_REMOVED}）"
        f"处罚款人民币3万元；对欧阳**处罚款人民币2万元；联系电话{PHONE_REMOVED}"
    )


def test_starred_and_embedded_numbers_go_too() -> None:
    assert remove_numbers("110105********002X；12311010519491231002X号") == (
        f"{ID_REMOVED}；{ID_REMOVED}号"
    )
    assert remove_numbers("罚款150000元，2025年3月3日，文应急罚〔2025〕12号") == (
        "罚款150000元，2025年3月3日，文应急罚〔2025〕12号"
    )


def test_a_name_inside_another_is_starred_whole() -> None:
    assert mask_names("张三与张", ["张三", "张"]) == "**与*"
    assert mask_names("王五六", ["王五", "五六"]) == "王**"


def test_starred_names_are_not_searched() -> None:
    assert mask_names("王*到场", ["王*"]) == "王*到场"


@given(FILLER, NAMES, FILLER, FILLER)
def test_no_given_name_is_left(before: str, names: list[str], middle: str, after: str) -> None:
    text = before + middle.join(names) + after + "".join(reversed(names))
    out = redact(text, names)
    assert remaining_names(out, names) == []
    assert len(mask_names(text, names)) == len(text)


@given(FILLER, ID_NUMBERS, FILLER, PHONES, FILLER, NAMES)
def test_no_id_number_or_phone_is_left(
    before: str, id_number: str, middle: str, phone: str, after: str, names: list[str]
) -> None:
    out = redact(before + id_number + middle + phone + after, names)
    assert id_number not in out
    assert phone not in out
    assert ID_LIKE.search(out) is None
    assert remaining_names(out, names) == []


@given(st.text(st.sampled_from("甲乙丙丁，。、0123"), max_size=40))
def test_text_without_numbers_or_names_is_unchanged(text: str) -> None:
    assert redact(text, []) == text
