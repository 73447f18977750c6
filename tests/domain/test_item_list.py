from __future__ import annotations

import re
from collections import Counter

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from anjian.domain.registry import SECTORS
from anjian.policy_data.items import (
    FIELDS,
    KNOWN_SECTIONS,
    LEVELS,
    METHODS,
    STARTER_LABEL,
    ItemRow,
    RowError,
    format_errors,
    load_starter_items,
    parse_item_csv,
    parse_item_rows,
)

GOOD: dict[str, object] = {
    "code": "WS-GEN-001",
    "name": "主要负责人安全生产职责履行情况检查",
    "law": "《中华人民共和国安全生产法》",
    "article": "第二十一条",
    "body_levels": "county",
    "section": "综合行政执法队",
    "sectors": "all",
    "methods": "on_site;written",
    "frequency_note": "随执法检查一并检查",
}
ARTICLE = re.compile(r"^第[一二三四五六七八九十百零]+条(第[一二三四五六七八九十]+款)?$")
PREFIX_SECTION = {
    "HC": "危化股",
    "MT": "冶金工贸股",
    "IT": "冶金工贸股",
    "CM": "煤矿股",
    "NC": "非煤矿山股",
}


def row(**changes: object) -> dict[str, object]:
    return {**GOOD, **changes}


def where(errors: list[RowError]) -> list[tuple[int, str]]:
    return [(e.row, e.field) for e in errors]


@pytest.fixture(scope="module")
def starter() -> list[ItemRow]:
    return load_starter_items()


def test_starter_label_says_it_must_be_replaced() -> None:
    assert "起步" in STARTER_LABEL
    assert "替换" in STARTER_LABEL


def test_starter_loads_with_enough_unique_items(starter: list[ItemRow]) -> None:
    assert len(starter) >= 48
    codes = [item.code for item in starter]
    assert len(set(codes)) == len(codes)


def test_every_sector_is_covered_by_at_least_four_items(starter: list[ItemRow]) -> None:
    counts = Counter(sector for item in starter for sector in item.sectors)
    assert set(counts) == set(SECTORS)
    assert min(counts.values()) >= 4, counts


def test_starter_group_sizes(starter: list[ItemRow]) -> None:
    groups = Counter(item.code.split("-")[1] for item in starter)
    assert groups["GEN"] >= 12
    assert groups["HC"] >= 9
    assert groups["MT"] >= 6
    assert groups["IT"] >= 6
    assert groups["CM"] >= 7
    assert groups["NC"] >= 6
    assert groups["TR"] >= 4


def test_starter_citations_are_well_formed(starter: list[ItemRow]) -> None:
    for item in starter:
        assert item.law.startswith("《") and item.law.endswith("》"), item.code
        assert item.law.count("《") == 1, item.code
        assert ARTICLE.match(item.article), (item.code, item.article)


def test_starter_vocabulary(starter: list[ItemRow]) -> None:
    for item in starter:
        assert item.methods, item.code
        assert set(item.methods) <= set(METHODS)
        assert "county" in item.body_levels
        assert set(item.body_levels) <= {"city", "county"}
        assert item.section in KNOWN_SECTIONS
        assert item.frequency_note
        prefix = item.code.split("-")[1]
        if prefix in PREFIX_SECTION:
            assert item.section == PREFIX_SECTION[prefix], item.code


def test_starter_mine_and_chemical_items_stay_in_their_sector(starter: list[ItemRow]) -> None:
    by_prefix = {"HC": "hazardous_chemicals", "MT": "metallurgy", "CM": "coal_mine"}
    by_prefix["NC"] = "non_coal_mine"
    for item in starter:
        prefix = item.code.split("-")[1]
        if prefix in by_prefix:
            assert item.sectors == (by_prefix[prefix],), item.code


def test_starter_item_that_only_looks_at_equipment_requires_a_site_visit(
    starter: list[ItemRow],
) -> None:
    signs = {item.code: item for item in starter}["WS-GEN-008"]
    assert signs.methods == ("on_site",)


def test_a_good_row_parses() -> None:
    items, errors = parse_item_rows([row()])
    assert errors == []
    assert items == [
        ItemRow(
            code="WS-GEN-001",
            name="主要负责人安全生产职责履行情况检查",
            law="《中华人民共和国安全生产法》",
            article="第二十一条",
            body_levels=("county",),
            section="综合行政执法队",
            sectors=tuple(SECTORS),
            methods=("on_site", "written"),
            frequency_note="随执法检查一并检查",
        )
    ]


def test_all_expands_to_every_sector_and_chinese_all_too() -> None:
    items, _ = parse_item_rows([row(sectors="all"), row(code="WS-GEN-002", sectors="全部")])
    assert items[0].sectors == tuple(SECTORS)
    assert items[1].sectors == tuple(SECTORS)
    assert "all" not in items[0].sectors


def test_chinese_separators_and_labels_are_accepted() -> None:
    items, errors = parse_item_rows(
        [
            row(body_levels="市级、县级", sectors="煤矿；非煤矿山", methods="remote，on_site"),
            row(code="WS-GEN-002", body_levels="city,county", methods="书面检查\n非现场检查"),
        ]
    )
    assert errors == []
    assert items[0].body_levels == ("city", "county")
    assert items[0].sectors == ("coal_mine", "non_coal_mine")
    assert items[0].methods == ("on_site", "remote")
    assert items[1].methods == ("written", "remote")


def test_values_are_trimmed_and_lists_deduplicated() -> None:
    items, errors = parse_item_rows(
        [row(code="  WS-GEN-001 ", name=" 名称\u3000", methods="written; written ;WRITTEN")]
    )
    assert errors == []
    assert items[0].code == "WS-GEN-001"
    assert items[0].name == "名称"
    assert items[0].methods == ("written",)


def test_excel_style_values() -> None:
    items, errors = parse_item_rows([row(code=101, article=None, frequency_note=None)])
    assert errors == []
    assert items[0].code == "101"
    assert items[0].article == ""
    _, errors = parse_item_rows([row(code=2025.0), row(code=True)])
    assert where(errors) == [(3, "code")]


def test_missing_required_fields_are_reported_by_field() -> None:
    bad = row(code="", name=None)
    del bad["law"]
    items, errors = parse_item_rows([bad])
    assert items == []
    assert where(errors) == [(2, "code"), (2, "name"), (2, "law")]
    assert all("缺少必填字段" in e.message for e in errors)


def test_unknown_vocabulary_and_no_method() -> None:
    _, errors = parse_item_rows(
        [
            row(),
            row(code="WS-GEN-002", body_levels="town"),
            row(code="WS-GEN-003", sectors="fishing;coal_mine"),
            row(code="WS-GEN-004", methods="phone"),
            row(code="WS-GEN-005", methods=" ；"),
        ]
    )
    assert where(errors) == [(3, "body_levels"), (4, "sectors"), (5, "methods"), (6, "methods")]
    assert "town" in errors[0].message
    assert "fishing" in errors[1].message
    assert "至少" in errors[3].message


def test_duplicate_code_names_the_first_row() -> None:
    _, errors = parse_item_rows([row(), row(code="WS-GEN-002"), row()], first_row=5)
    assert where(errors) == [(7, "code")]
    assert "第5行" in errors[0].message


def test_code_format_and_name_length() -> None:
    _, errors = parse_item_rows(
        [
            row(code="ws-gen-001"),
            row(code="-GEN"),
            row(code="W"),
            row(code="WS-" + "1" * 30),
            row(code="ＷＳ－ＧＥＮ－００２"),
            row(code="WS-GEN-003", name="查" * 121),
            row(code="WS-GEN-004", name="查" * 120),
        ]
    )
    assert where(errors) == [(2, "code"), (3, "code"), (4, "code"), (5, "code"), (7, "name")]


def test_every_error_of_a_row_is_reported() -> None:
    _, errors = parse_item_rows([row(code="bad code", body_levels="", methods="x", sectors="y")])
    assert where(errors) == [(2, "code"), (2, "body_levels"), (2, "sectors"), (2, "methods")]


def test_blank_rows_are_skipped_but_still_counted() -> None:
    items, errors = parse_item_rows([row(), {}, {k: None for k in FIELDS}, row(code="X", name="")])
    assert len(items) == 1
    assert where(errors) == [(5, "code"), (5, "name")]


def test_chinese_headers() -> None:
    items, errors = parse_item_rows(
        [
            {
                "事项编码": "WS-X-1",
                "事项名称": "名称",
                "法律依据": "《中华人民共和国安全生产法》",
                "条款": "第三十条",
                "实施层级": "县级",
                "承办股室": "人事财务股",
                "行业领域": "全部",
                "检查方式": "书面检查",
                "序号": 1,
            }
        ]
    )
    assert errors == []
    assert items[0].code == "WS-X-1"
    assert items[0].frequency_note == ""


def test_csv_with_missing_column_fails_on_the_header() -> None:
    items, errors = parse_item_csv("code,name\nWS-1,名称\n")
    assert items == []
    assert {e.row for e in errors} == {1}
    assert "law" in {e.field for e in errors}


def test_csv_rows_are_numbered_like_a_spreadsheet() -> None:
    header = ",".join(FIELDS)
    good = "WS-1,名称,《某法》,第一条,county,法制办,other,written,"
    text = f"\ufeff{header}\n{good}\nWS-1,名称,《某法》,第一条,county,法制办,other,,\n"
    items, errors = parse_item_csv(text)
    assert len(items) == 1
    assert where(errors) == [(3, "code"), (3, "methods")]
    assert format_errors(errors).startswith("第3行 code：")


def test_vocabularies() -> None:
    assert LEVELS == {"province": "省级", "city": "市级", "county": "县级"}
    assert METHODS == {"on_site": "现场检查", "written": "书面检查", "remote": "非现场检查"}


# A small alphabet of characters that matter to the parser keeps generation fast and the
# examples meaningful (real codes, separators, vocabulary words, stray punctuation).
ALPHABET = list("WSGEN-019 ；;,，、\n\u3000《》县级市全部allcountyonsitewrtemo_第一条x")
cells = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(),
    st.floats(allow_nan=True),
    st.text(alphabet=st.sampled_from(ALPHABET), max_size=20),
    st.sampled_from(["WS-GEN-001", "all", "on_site;written", "county", "全部", ""]),
)


@settings(deadline=None)
@given(st.lists(st.dictionaries(st.sampled_from([*FIELDS, "其他"]), cells), max_size=6))
def test_parser_never_raises_and_accounts_for_every_row(rows: list[dict[str, object]]) -> None:
    items, errors = parse_item_rows(rows, first_row=2)
    assert len(items) <= len(rows)
    assert all(2 <= e.row < 2 + len(rows) for e in errors)
    assert all(e.field in FIELDS for e in errors)
    assert all(item.methods and item.sectors and item.body_levels for item in items)
