"""Chinese by default; English for a user who chose it, across the registry, audit and error
pages. The Chinese texts are the msgids (docs/adr/0009), so the Chinese pages must read exactly
as before; the English catalogue must be complete and compiled."""

from __future__ import annotations

import ast
import gettext
import re
from pathlib import Path

import pytest
from django.utils import translation

import anjian
from anjian.domain import registry as vocab
from anjian.registry.filters import CLASS_CHOICES
from anjian.registry.spreadsheets import ENTERPRISE_COLUMNS
from anjian.registry.vocab_i18n import LABELS
from tests.conftest import make_uscc
from tests.web.test_registry import enterprise_row, workbook

LOCALE = Path(anjian.__file__).parent / "locale" / "en" / "LC_MESSAGES"
CJK = re.compile(r"[\u4e00-\u9fff]")


def _chem(world) -> str:  # type: ignore[no-untyped-def]
    return f"/registry/enterprises/{world.enterprises['chem'].pk}/"


def _coal(world) -> str:  # type: ignore[no-untyped-def]
    return f"/registry/enterprises/{world.enterprises['coal'].pk}/"


def _officer(world) -> str:  # type: ignore[no-untyped-def]
    return f"/registry/officers/{world.officers['county'].pk}/"


# (user, path or path builder, status, texts only in English, texts only in Chinese)
PAGES = [
    (
        "office",
        "/registry/enterprises/",
        200,
        [
            "Enterprises",
            "Search",
            "Export to Excel",
            "Sector",
            "Enterprise name",
            "Unified social credit code",
            "Grade / class",
            "Hazardous chemicals",
            "Standardization grade 2",
            "Class B",
            "Operating",
            "All sectors",
            "Coal mine class B",
            "Non-coal class A (low risk)",
            "Name / USCC / pinyin initials",
        ],
        ["企业台账", "查询", "导出Excel", "企业名称", "危险化学品", "标准化二级", "全部行业"],
    ),
    (
        "office",
        _chem,
        200,
        [
            "Unified social credit code",
            "Open enterprise account",
            "Supervising body",
            "Hazardous chemicals",
            "Standardization grade 2",
            "Operating",
            "Contact points",
            "Enterprise accounts",
            ">No<",
            ">Active<",
        ],
        ["统一社会信用代码", "开通企业账号", "危险化学品", "标准化二级", "正常生产", "企业账号"],
    ),
    ("office", _coal, 200, ["Coal mines", "Class B"], ["煤矿", "B类"]),
    (
        "office",
        "/registry/officers/",
        200,
        ["Officers", "Certificate status", "Certificate valid until", "Expiring within 60 days"],
        ["执法人员", "执法证状态", "执法证有效期至", "查询", "导出Excel"],
    ),
    (
        "office",
        _officer,
        200,
        ["ID number", "Enforcement body", "Certificate no."],
        ["身份证号码", "执法证号"],
    ),
    (
        "office",
        "/registry/enterprises/import/",
        200,
        ["Download template", "Upload and check", "Enterprise: Excel import", "Excel file (.xlsx)"],
        ["下载模板", "上传并检查", "企业 Excel导入"],
    ),
    (
        "office",
        "/registry/officers/import/",
        200,
        ["Officers: Excel import"],
        ["执法人员 Excel导入", "上传并检查"],
    ),
    (
        "office",
        "/registry/enterprises/new/",
        200,
        ["Register enterprise", "Standardization grade", "Coal mine class", "Hazardous chemicals"],
        ["登记企业", "标准化等级", "煤矿分类", "危险化学品"],
    ),
    (
        "audit_admin",
        "/audit/",
        200,
        ["Audit trail", "Verify audit chain", "Actor", "Time"],
        ["审计日志", "校验审计链", "操作人", "查询"],
    ),
    (
        "audit_admin",
        "/audit/?verify=1",
        200,
        ["Audit chain intact:", "entries verified"],
        ["审计链完整：已校验"],
    ),
    (
        "office",
        "/registry/enterprises/999999/",
        404,
        ["Page not found", "Back to home"],
        ["页面不存在", "返回首页"],
    ),
    (
        "office",
        "/no/such/page/",
        404,
        ["Page not found", "The page you are looking for does not exist"],
        ["页面不存在", "您要找的页面不存在"],
    ),
    (
        "system_admin",
        "/registry/enterprises/",
        403,
        ["Access denied", "Your role does not give access to this page."],
        ["无权访问", "您的角色无权访问此页面。"],
    ),
    (
        "office",
        "/",
        200,
        ["Workbench", "Enterprises by sector", "Hazardous chemicals"],
        ["工作台", "各行业领域企业数", "危险化学品"],
    ),
    (
        "enterprise",
        "/",
        200,
        ["Unified social credit code:", "View my enterprise"],
        ["查看本企业信息"],
    ),
    ("system_admin", "/accounts/users/", 200, ["New user", "Username"], ["新建用户"]),
    # months and days in the page's language (the locale's formats, not a Chinese pattern)
    ("office", "/policy/quiet/?month=2026-03", 200, ["March 2026"], ["2026年3月"]),
    (
        "hazchem",
        "/inspections/",
        200,
        ["Inspection tasks", "New inspection task", "Create tasks from the approved monthly plan"],
        ["发起检查任务"],
    ),
    ("office", "/inspections/hazards/", 200, ["Hazard rectification tracking"], ["隐患整改闭环"]),
    (
        "enterprise",
        "/inspections/portal/",
        200,
        ["My inspections", "Notified inspections"],
        ["我的检查"],
    ),
    (
        "office",
        "/inspections/verify/",
        200,
        ["Enter the 8-character verification code on the notice"],
        ["请输入通知书上的8位核验码，或粘贴检查码"],
    ),
    ("office", "/", 200, ["Today's inspections"], ["今日检查"]),
]


@pytest.mark.parametrize(("username", "path", "status", "english", "chinese"), PAGES)
def test_pages_follow_the_users_language(
    world, login, username, path, status, english, chinese
) -> None:  # type: ignore[no-untyped-def]
    user = world.users[username]
    url = path(world) if callable(path) else path
    client = login(user)
    response = client.get(url)
    assert response.status_code == status
    zh = response.content.decode()
    for text in chinese:
        assert text in zh, text
    for text in english:
        assert text not in zh, text

    user.language = "en"
    user.save()
    response = client.get(url)
    assert response.status_code == status
    en = response.content.decode()
    for text in english:
        assert text in en, text
    for text in chinese:
        assert text not in en, text


def _import(client, rows):  # type: ignore[no-untyped-def]
    return client.post(
        "/registry/enterprises/import/", {"file": workbook(ENTERPRISE_COLUMNS, rows)}
    )


@pytest.mark.parametrize("language", ["zh-hans", "en"])
def test_import_dry_run_and_commit_in_each_language(
    world, login, settings, tmp_path, language
) -> None:  # type: ignore[no-untyped-def]
    settings.DATA_DIR = tmp_path
    user = world.users["office"]
    user.language = language
    user.save()
    client = login(user)
    bad = [
        enterprise_row("导入甲", make_uscc(901)),
        enterprise_row("导入乙", "91110000600037341M"),
        enterprise_row("导入丙", make_uscc(903), sector="捕鱼"),
    ]
    html = _import(client, bad).content.decode()
    good = [enterprise_row("导入甲", make_uscc(901)), enterprise_row("导入乙", make_uscc(902))]
    response = _import(client, good)
    ok = response.content.decode()
    done = client.post(
        "/registry/enterprises/import/",
        {"confirm": "1", "token": response.context["token"]},
        follow=True,
    ).content.decode()
    if language == "en":
        assert "Rows: 3, rows with errors: 2." in html and "Row 3" in html
        assert "共3行" not in html and "第3行" not in html
        assert "Check passed: 2 rows, no errors." in ok and "Confirm import of 2 rows" in ok
        assert "Imported 2 enterprise records." in done
    else:
        assert "共3行，其中2行有错误。未写入任何数据，请修改后重新上传。" in html
        assert "第3行" in html
        assert "检查通过：共2行，均无错误。" in ok and "确认导入2行" in ok
        assert "已导入2条企业记录。" in done
    # the row errors are data-level messages of registry/validation.py and the domain: Chinese
    assert "未知的行业领域“捕鱼”" in html


def test_messages_and_form_titles_in_english(world, login) -> None:  # type: ignore[no-untyped-def]
    user = world.users["office"]
    user.language = "en"
    user.save()
    client = login(user)
    officer = world.officers["county"]
    html = client.get(f"/registry/officers/{officer.pk}/edit/").content.decode()
    assert f"Edit: {officer.name}" in html and "编辑：" not in html
    html = client.get(f"/registry/officers/{officer.pk}/delete/").content.decode()
    assert f"Delete “{officer.name}”" in html and "Reason for deletion" in html
    html = client.post(
        f"/registry/officers/{officer.pk}/delete/", {"reason": "调离"}, follow=True
    ).content.decode()
    assert f"Officer “{officer.name}” deleted." in html and "已删除" not in html


def test_every_vocabulary_label_is_listed_for_translation() -> None:
    """The domain's Chinese labels can only reach the catalogue through vocab_i18n."""
    with translation.override("zh-hans"):
        labels = [
            *vocab.SECTORS.values(),
            *vocab.STANDARDIZATION_GRADES.values(),
            *vocab.COAL_MINE_CLASSES.values(),
            *vocab.NON_COAL_RISK_CLASSES.values(),
            *vocab.SCALES.values(),
            *vocab.ENTERPRISE_STATUSES.values(),
            *(str(text) for _, text in CLASS_CHOICES),
            "未定级",
            "未分类",
            "未评级",
        ]
    for text in labels:
        assert text in LABELS, text
        with translation.override("en"):
            english = translation.gettext(text)
        assert english != text and not CJK.search(english), text


def _entries(po: str) -> list[tuple[str, list[str], str]]:
    """(msgid, msgstrs, flags) of every entry of a .po file but its header."""
    entries = []
    for block in po.strip().split("\n\n"):
        lines = [line for line in block.splitlines() if not line.startswith("#~")]
        flags = " ".join(line for line in lines if line.startswith("#,"))
        fields: dict[str, str] = {}
        key = None
        for line in lines:
            if line.startswith("#"):
                continue
            if line.startswith('"'):
                fields[key] += ast.literal_eval(line)  # type: ignore[index]
            else:
                key, _, value = line.partition(" ")
                fields[key] = ast.literal_eval(value)
        if fields.get("msgid"):
            strs = [value for name, value in fields.items() if name.startswith("msgstr")]
            entries.append((fields["msgid"], strs, flags))
    return entries


def test_every_message_has_an_english_translation() -> None:
    entries = _entries((LOCALE / "django.po").read_text(encoding="utf-8"))
    assert len(entries) > 200
    for msgid, msgstrs, flags in entries:
        assert "fuzzy" not in flags, msgid
        assert msgstrs and all(msgstrs), msgid
        assert not any(CJK.search(s.replace("填写说明", "")) for s in msgstrs), msgid


def test_the_compiled_catalogue_is_up_to_date() -> None:
    with (LOCALE / "django.mo").open("rb") as mo:
        catalogue = gettext.GNUTranslations(mo)
    for msgid, msgstrs, _ in _entries((LOCALE / "django.po").read_text(encoding="utf-8")):
        assert (
            catalogue.gettext(msgid) == msgstrs[0]
            or catalogue.ngettext(msgid, msgid, 1) == msgstrs[0]
        ), msgid
