from __future__ import annotations

import io

import pytest
from openpyxl import Workbook, load_workbook

from anjian.audit.models import AuditEntry
from anjian.registry.models import Enterprise, Officer
from anjian.registry.spreadsheets import ENTERPRISE_COLUMNS, OFFICER_COLUMNS
from tests.conftest import make_uscc


def workbook(columns, rows) -> io.BytesIO:  # type: ignore[no-untyped-def]
    book = Workbook()
    sheet = book.active
    sheet.append([c.header for c in columns])
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    book.save(buffer)
    buffer.seek(0)
    buffer.name = "import.xlsx"
    return buffer


def enterprise_row(
    name: str,
    uscc: str,
    sector: str = "危险化学品",
    grade: str = "二级",
    body: str = "文水县应急管理局",
) -> list:  # type: ignore[type-arg]
    return [
        name,
        uscc,
        "文水县凤城镇",
        "凤城镇",
        sector,
        grade,
        "",
        "",
        120,
        "小型",
        body,
        "张三",
        "0358-1234567",
        "否",
        "",
    ]


def test_search_by_pinyin_initials(world, login) -> None:  # type: ignore[no-untyped-def]
    client = login(world.users["office"])
    html = client.get("/registry/enterprises/?q=wsxhd").content.decode()
    assert "文水县宏达化工有限公司" in html
    assert "鑫源煤业" not in html
    assert world.enterprises["chem"].name_initials == "WSXHDHGYXGS"


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("sector=coal_mine", "鑫源煤业"),
        ("classification=coal:B", "鑫源煤业"),
        ("classification=grade:2", "宏达化工"),
    ],
)
def test_filters(world, login, query, expected) -> None:  # type: ignore[no-untyped-def]
    html = login(world.users["office"]).get(f"/registry/enterprises/?{query}").content.decode()
    assert expected in html


def test_sorting_and_export_follow_the_filter(world, login) -> None:  # type: ignore[no-untyped-def]
    client = login(world.users["office"])
    assert client.get("/registry/enterprises/?sort=-employees").status_code == 200
    response = client.get("/registry/enterprises/?sector=coal_mine&export=xlsx")
    sheet = load_workbook(io.BytesIO(response.content)).active
    rows = list(sheet.values)
    assert rows[0][0] == "企业名称"
    assert [r[0] for r in rows[1:]] == ["山西文水鑫源煤业有限公司"]


def test_officer_export_masks_id_numbers(world, login) -> None:  # type: ignore[no-untyped-def]
    response = login(world.users["office"]).get("/registry/officers/?export=xlsx")
    rows = list(load_workbook(io.BytesIO(response.content)).active.values)
    assert rows[1][1] == "1101**********002X"
    detail = login(world.users["office"]).get(f"/registry/officers/{world.officers['county'].pk}/")
    assert "11010519491231002X" not in detail.content.decode()


def test_enterprise_form_redisplays_with_messages_and_writes_nothing(world, login) -> None:  # type: ignore[no-untyped-def]
    client = login(world.users["office"])
    before = Enterprise.objects.count()
    response = client.post(
        "/registry/enterprises/new/",
        {
            "name": "新企业",
            "uscc": "91110000600037341M",
            "sector": "coal_mine",
            "supervising_body": world.county.pk,
            "status": "operating",
        },
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert "校验码错误" in html
    assert "煤矿必须填写煤矿分类" in html
    assert Enterprise.objects.count() == before


def test_enterprise_create_edit_delete_are_audited(world, login) -> None:  # type: ignore[no-untyped-def]
    client = login(world.users["office"])
    data = {
        "name": "文水县新建化工有限公司",
        "uscc": make_uscc(99),
        "sector": "hazardous_chemicals",
        "standardization_grade": "3",
        "supervising_body": world.county.pk,
        "status": "operating",
    }
    response = client.post("/registry/enterprises/new/", data)
    assert response.status_code == 302
    created = Enterprise.objects.get(uscc=make_uscc(99))
    data["employees"] = "88"
    client.post(f"/registry/enterprises/{created.pk}/edit/", data)
    created.refresh_from_db()
    assert created.employees == 88
    update = AuditEntry.objects.get(action="registry.enterprise.update")
    assert update.changes["employees"] == {"before": None, "after": 88}
    assert update.actor_username == "office"
    client.post(f"/registry/enterprises/{created.pk}/delete/", {"reason": "重复登记"})
    created.refresh_from_db()
    assert created.is_deleted
    assert client.get(f"/registry/enterprises/{created.pk}/").status_code == 404
    # the USCC is free again after a soft delete
    assert client.post("/registry/enterprises/new/", data).status_code == 302


def test_section_cannot_create_outside_its_sectors_or_body(world, login) -> None:  # type: ignore[no-untyped-def]
    client = login(world.users["hazchem"])
    data = {
        "name": "越权企业",
        "uscc": make_uscc(98),
        "sector": "hazardous_chemicals",
        "supervising_body": world.other_county.pk,
        "status": "operating",
    }
    response = client.post("/registry/enterprises/new/", data)
    assert response.status_code == 200
    assert not Enterprise.objects.filter(name="越权企业").exists()


def test_import_dry_run_lists_every_bad_row_and_writes_nothing(world, login) -> None:  # type: ignore[no-untyped-def]
    client = login(world.users["office"])
    before_enterprises, before_audit = Enterprise.objects.count(), AuditEntry.objects.count()
    rows = [
        enterprise_row("好企业一", make_uscc(501)),
        enterprise_row("坏代码", "91110000600037341M"),
        enterprise_row("坏行业", make_uscc(502), sector="捕鱼"),
        enterprise_row("重复一", make_uscc(503)),
        enterprise_row("重复二", make_uscc(503)),
        # registered outside the office's scope (a code in scope updates that enterprise)
        enterprise_row("已登记", world.enterprises["other_chem"].uscc),
        enterprise_row("无主体", make_uscc(504), body=""),
        enterprise_row("外县", make_uscc(505), body="不存在的局"),
        enterprise_row("煤矿缺分类", make_uscc(506), sector="煤矿", grade=""),
    ]
    response = client.post(
        "/registry/enterprises/import/", {"file": workbook(ENTERPRISE_COLUMNS, rows)}
    )
    html = response.content.decode()
    assert "共9行，其中8行有错误" in html
    for expected in (
        "第3行",
        "校验码错误",
        "未知的行业领域“捕鱼”",
        "文件中重复出现",
        "已登记",
        "必填项为空",
        "执法主体“不存在的局”不存在",
        "煤矿必须填写煤矿分类",
    ):
        assert expected in html, expected
    assert Enterprise.objects.count() == before_enterprises
    assert AuditEntry.objects.count() == before_audit


def test_import_commit_writes_all_rows(world, login) -> None:  # type: ignore[no-untyped-def]
    client = login(world.users["office"])
    rows = [enterprise_row(f"导入企业{i}", make_uscc(600 + i)) for i in range(5)]
    response = client.post(
        "/registry/enterprises/import/", {"file": workbook(ENTERPRISE_COLUMNS, rows)}
    )
    assert "检查通过：共5行" in response.content.decode()
    token = response.context["token"]
    response = client.post("/registry/enterprises/import/", {"confirm": "1", "token": token})
    assert response.status_code == 302
    assert Enterprise.objects.filter(name__startswith="导入企业").count() == 5
    assert AuditEntry.objects.filter(action="registry.enterprise.import").count() == 1


def test_import_commit_writes_nothing_if_the_database_changed_meanwhile(world, login) -> None:  # type: ignore[no-untyped-def]
    client = login(world.users["office"])
    rows = [enterprise_row(f"并发企业{i}", make_uscc(700 + i)) for i in range(3)]
    response = client.post(
        "/registry/enterprises/import/", {"file": workbook(ENTERPRISE_COLUMNS, rows)}
    )
    token = response.context["token"]
    Enterprise.objects.create(
        name="抢先登记", uscc=make_uscc(702), sector="other", supervising_body=world.county
    )
    response = client.post("/registry/enterprises/import/", {"confirm": "1", "token": token})
    assert "未写入任何记录" in response.content.decode()
    assert not Enterprise.objects.filter(name__startswith="并发企业").exists()


def test_import_refuses_a_file_that_is_not_a_workbook(world, login) -> None:  # type: ignore[no-untyped-def]
    client = login(world.users["office"])
    fake = io.BytesIO(b"not a workbook")
    fake.name = "x.xlsx"
    html = client.post("/registry/enterprises/import/", {"file": fake}).content.decode()
    assert "无法读取该文件" in html
    fake = io.BytesIO(b"a,b")
    fake.name = "x.csv"
    assert (
        "请上传.xlsx格式"
        in client.post("/registry/enterprises/import/", {"file": fake}).content.decode()
    )


def test_confirm_with_a_forged_token_writes_nothing(world, login) -> None:  # type: ignore[no-untyped-def]
    client = login(world.users["office"])
    before = Enterprise.objects.count()
    response = client.post(
        "/registry/enterprises/import/", {"confirm": "1", "token": "../../etc/passwd"}
    )
    assert response.status_code == 302
    assert Enterprise.objects.count() == before


def test_officer_import_checks_id_numbers_sections_and_certificates(world, login) -> None:  # type: ignore[no-untyped-def]
    client = login(world.users["hr_finance"])
    rows = [
        ["赵一", "11010519491231002X", "文水县应急管理局", "危化股", "C-100", "2028-12-31", ""],
        ["钱二", "110105194912310021", "文水县应急管理局", "危化股", "C-101", "2028-12-31", ""],
        # C-002 is another county's officer (C-001, in scope, would be updated by this row)
        ["孙三", "", "文水县应急管理局", "不存在股", "C-002", "明年", ""],
    ]
    html = client.post(
        "/registry/officers/import/", {"file": workbook(OFFICER_COLUMNS, rows)}
    ).content.decode()
    assert "共3行，其中2行有错误" in html
    for expected in ("校验码错误", "没有名为“不存在股”的股室", "执法证号C-002已登记", "无法识别"):
        assert expected in html, expected
    assert Officer.objects.count() == 2


def test_templates_download_with_instructions(world, login) -> None:  # type: ignore[no-untyped-def]
    response = login(world.users["office"]).get("/registry/enterprises/template.xlsx")
    book = load_workbook(io.BytesIO(response.content))
    assert [c.value for c in book.worksheets[0][1]][:2] == ["企业名称", "统一社会信用代码"]
    assert book.sheetnames == ["企业", "填写说明"]


def test_section_cannot_register_or_move_an_enterprise_out_of_its_sectors(world, login) -> None:  # type: ignore[no-untyped-def]
    client = login(world.users["hazchem"])
    data = {
        "name": "越界煤矿",
        "uscc": make_uscc(97),
        "sector": "coal_mine",
        "coal_mine_class": "A",
        "supervising_body": world.county.pk,
        "status": "operating",
    }
    response = client.post("/registry/enterprises/new/", data)
    assert response.status_code == 200
    assert "不属于本股室分管领域" in response.content.decode()
    assert not Enterprise.objects.filter(name="越界煤矿").exists()
    chem = world.enterprises["chem"]
    data = {
        "name": chem.name,
        "uscc": chem.uscc,
        "sector": "coal_mine",
        "coal_mine_class": "A",
        "supervising_body": world.county.pk,
        "status": "operating",
    }
    response = client.post(f"/registry/enterprises/{chem.pk}/edit/", data)
    assert "不属于本股室分管领域" in response.content.decode()
    chem.refresh_from_db()
    assert chem.sector == "hazardous_chemicals"


def test_section_import_refuses_rows_outside_its_sectors(world, login) -> None:  # type: ignore[no-untyped-def]
    client = login(world.users["hazchem"])
    rows = [
        enterprise_row("危化导入", make_uscc(901)),
        enterprise_row("煤矿导入", make_uscc(902), sector="工贸"),
    ]
    html = client.post(
        "/registry/enterprises/import/", {"file": workbook(ENTERPRISE_COLUMNS, rows)}
    ).content.decode()
    assert "共2行，其中1行有错误" in html
    assert "工贸不属于本股室分管领域" in html


def test_id_numbers_are_encrypted_at_rest(world) -> None:  # type: ignore[no-untyped-def]
    from django.db import connection

    officer = world.officers["county"]
    with connection.cursor() as cursor:
        cursor.execute("SELECT id_number FROM registry_officer WHERE id = %s", [officer.pk])
        stored = cursor.fetchone()[0]
    assert "11010519491231002X" not in stored
    assert stored.startswith("sm4gcm:v1:")  # SM4-GCM under the field key (anjian/crypto)
    assert Officer.objects.get(pk=officer.pk).id_number == "11010519491231002X"


def test_abandoned_dry_runs_are_swept_after_a_day(world, login, settings, tmp_path) -> None:  # type: ignore[no-untyped-def]
    import os
    import time

    settings.DATA_DIR = tmp_path
    (tmp_path / "imports").mkdir()
    old, fresh = tmp_path / "imports" / "old.xlsx", tmp_path / "imports" / "fresh.xlsx"
    old.write_bytes(b"x")
    fresh.write_bytes(b"x")
    now = time.time()  # the app's clock (frozen by time-machine), not the file system's
    two_days_ago = now - 2 * 24 * 3600
    os.utime(old, (two_days_ago, two_days_ago))
    os.utime(fresh, (now, now))
    rows = [enterprise_row("清理测试", make_uscc(950))]
    login(world.users["office"]).post(
        "/registry/enterprises/import/", {"file": workbook(ENTERPRISE_COLUMNS, rows)}
    )
    assert not old.exists()
    assert fresh.exists()


@pytest.mark.parametrize(
    ("query", "shown", "hidden"),
    [
        ("certificate=valid", "王明", "过期者"),
        ("certificate=expired", "过期者", "王明"),
        ("certificate=bogus", "王明", ""),
    ],
)
def test_officer_filters(world, login, query, shown, hidden) -> None:  # type: ignore[no-untyped-def]
    from datetime import date

    Officer.objects.create(
        name="过期者",
        body=world.county,
        certificate_no="C-OLD",
        certificate_valid_until=date(2020, 1, 1),
    )
    html = login(world.users["office"]).get(f"/registry/officers/?{query}").content.decode()
    assert shown in html
    if hidden:
        assert hidden not in html


def test_officer_section_filter_offers_only_sections_in_scope(world, login) -> None:  # type: ignore[no-untyped-def]
    html = login(world.users["other_office"]).get("/registry/officers/").content.decode()
    assert f'value="{world.sections["other_hazchem"].pk}"' in html
    assert f'value="{world.sections["hazchem"].pk}"' not in html
    section = world.sections["hazchem"].pk
    assert (
        login(world.users["other_office"]).get(f"/registry/officers/?section={section}").status_code
        == 200
    )
