"""The sidebar menu: each entry names the capability it needs, so a role sees only its own.

Icons are Font Awesome's SVG files that django-bootstrap-static serves (no font glyphs, which
render as empty boxes where the font lacks them). On a phone the entries an officer uses most
(PHONE_FIRST) come first, in a 常用 group above the others."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.urls import reverse
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _


@dataclass(frozen=True)
class MenuEntry:
    label: str | Promise
    url_name: str
    capability: str | None  # None: every logged-in user
    icon: str = "circle"  # a Font Awesome solid SVG (fontawesome/svgs/solid/<icon>.svg)


@dataclass(frozen=True)
class MenuGroup:
    label: str | Promise
    entries: tuple[MenuEntry, ...]


MENU: tuple[MenuGroup, ...] = (
    MenuGroup(_("工作台"), (MenuEntry(_("首页"), "core:home", None, "house"),)),
    MenuGroup(
        _("专项工作"),
        (
            MenuEntry(_("专项工作总览"), "steering:home", "steering.view", "bullseye"),
            MenuEntry(_("领导驾驶舱"), "steering:cockpit", "steering.cockpit", "gauge-high"),
        ),
    ),
    MenuGroup(
        _("基础台账"),
        (
            MenuEntry(_("企业台账"), "registry:enterprise_list", "registry.view", "building"),
            MenuEntry(
                _("企业导入"), "registry:enterprise_import", "registry.import", "file-import"
            ),
            MenuEntry(_("执法人员"), "registry:officer_list", "officer.view", "id-card"),
            MenuEntry(_("执法人员导入"), "registry:officer_import", "officer.edit", "file-import"),
        ),
    ),
    MenuGroup(
        _("入企规则"),
        (
            MenuEntry(_("入企核验"), "policy:entry_check", "entry.book", "circle-check"),
            MenuEntry(_("入企台账"), "policy:entry_list", "policy.view", "table-list"),
            MenuEntry(_("企业安静期"), "policy:quiet_calendar", "policy.view", "moon"),
            MenuEntry(_("安静期例外"), "policy:exception_list", "policy.view", "flag"),
            MenuEntry(_("检查事项清单"), "policy:item_list", "policy.view", "list-check"),
            MenuEntry(_("入企规则集"), "policy:ruleset_list", "policy.view", "section"),
            MenuEntry(_("节假日与调休"), "policy:workday_list", "policy.view", "calendar-days"),
        ),
    ),
    MenuGroup(
        _("计划统筹"),
        (
            MenuEntry(_("月度入企计划"), "planning:month_list", "planning.view", "calendar"),
            MenuEntry(_("我的入企安排"), "planning:my_schedule", "planning.view", "calendar-check"),
            MenuEntry(
                _("年度监督检查计划"), "planning:annual_list", "annual.view", "calendar-week"
            ),
        ),
    ),
    MenuGroup(
        _("行政检查"),
        (
            MenuEntry(_("检查任务"), "inspections:task_list", "inspection.view", "clipboard-check"),
            MenuEntry(_("凭码签到"), "inspections:checkin_by_code", "inspection.conduct", "qrcode"),
            MenuEntry(
                _("隐患整改"), "inspections:hazard_list", "inspection.view", "triangle-exclamation"
            ),
            MenuEntry(
                _("未赋码入企台账"),
                "inspections:unplanned_ledger",
                "inspection.view",
                "clipboard-list",
            ),
            MenuEntry(
                _("清单外问题审核"),
                "inspections:legal_flags",
                "inspection.legal",
                "magnifying-glass",
            ),
        ),
    ),
    MenuGroup(
        _("行政处罚"),
        (
            MenuEntry(_("处罚案件"), "enforcement:case_list", "penalty.view", "gavel"),
            MenuEntry(
                _("法制审核"), "enforcement:review_queue", "penalty.review", "scale-balanced"
            ),
            MenuEntry(_("裁量基准"), "enforcement:benchmark_list", "penalty.view", "sliders"),
            MenuEntry(_("包容审慎清单"), "enforcement:list_list", "penalty.view", "list"),
            MenuEntry(_("法定处罚幅度"), "enforcement:statute", "penalty.view", "book"),
            MenuEntry(_("类案监测"), "enforcement:monitor", "penalty.monitor", "chart-line"),
        ),
    ),
    MenuGroup(
        _("培训考试"),
        (
            MenuEntry(_("从业人员与证书"), "training:person_list", "training.view", "users"),
            MenuEntry(
                _("证书到期预警"), "training:certificate_alerts", "training.view", "certificate"
            ),
            MenuEntry(_("培训学时"), "training:hours", "training.view", "clock"),
            MenuEntry(_("培训机构"), "training:institution_list", "institution.view", "school"),
            MenuEntry(_("培训诊断"), "training:diagnostics_bureau", "training.view", "stethoscope"),
            MenuEntry(_("题库"), "training:question_list", "training.view", "book-open"),
            MenuEntry(_("题库导入"), "training:question_import", "question.edit", "file-import"),
            MenuEntry(_("题目标定"), "training:calibration", "training.view", "gears"),
        ),
    ),
    MenuGroup(
        _("本企业"),
        (
            MenuEntry(_("企业信息"), "registry:my_enterprise", "enterprise.self", "building"),
            MenuEntry(_("检查频次与安静期"), "policy:my_quota", "enterprise.self", "moon"),
            MenuEntry(
                _("我的检查"), "inspections:portal_home", "enterprise.self", "clipboard-check"
            ),
            MenuEntry(_("核验检查码"), "inspections:portal_verify", "enterprise.self", "qrcode"),
            MenuEntry(
                _("隐患整改"),
                "inspections:portal_hazards",
                "enterprise.self",
                "triangle-exclamation",
            ),
            MenuEntry(_("行政处罚"), "enforcement:portal_cases", "enterprise.self", "gavel"),
            MenuEntry(_("从业人员与证书"), "training:person_list", "enterprise.self", "users"),
            MenuEntry(
                _("证书到期预警"), "training:certificate_alerts", "enterprise.self", "certificate"
            ),
            MenuEntry(_("培训学时"), "training:hours", "enterprise.self", "clock"),
            MenuEntry(_("培训诊断"), "training:diagnostics_mine", "enterprise.self", "stethoscope"),
            MenuEntry(_("投诉"), "inspections:portal_complaints", "enterprise.self", "envelope"),
            MenuEntry(_("基层联系点"), "oversight:point_portal", "contact.report", "flag"),
        ),
    ),
    MenuGroup(
        _("执法文书"),
        (
            MenuEntry(_("文书登记簿"), "documents:register", "documents.register", "folder-open"),
            MenuEntry(_("文书设置"), "accounts:body_settings", "body.settings", "gear"),
        ),
    ),
    MenuGroup(
        _("监督"),
        (
            MenuEntry(
                _("举报事项和问题线索"),
                "oversight:matter_list",
                "matter.view",
                "envelope-open-text",
            ),
            MenuEntry(_("基层联系点"), "oversight:points", "contact.view", "location-dot"),
            MenuEntry(_("会商研判"), "oversight:meeting_list", "meeting.view", "comments"),
            MenuEntry(
                _("我的议定事项"), "oversight:my_action_items", "steering.view", "list-check"
            ),
            MenuEntry(_("行政执法公示"), "oversight:disclosure_due", "disclosure.view", "bullhorn"),
            MenuEntry(_("检查评价"), "inspections:ratings", "inspection.ratings", "star"),
            MenuEntry(_("投诉处理"), "inspections:complaints", "complaint.handle", "envelope"),
        ),
    ),
    MenuGroup(
        _("系统管理"),
        (
            MenuEntry(_("用户列表"), "accounts:user_list", "users.view", "users-gear"),
            MenuEntry(_("授权申请"), "accounts:grant_list", "grants.view", "key"),
            MenuEntry(_("登录日志"), "accounts:login_log", "loginlog.view", "right-to-bracket"),
            MenuEntry(_("审计日志"), "audit:entry_list", "audit.view", "pen-to-square"),
        ),
    ),
    MenuGroup(_("个人"), (MenuEntry(_("修改密码"), "accounts:password_change", None, "lock"),)),
)


# Check-in, my tasks, my schedule: on a phone these lead the menu (in this order).
PHONE_FIRST: tuple[str, ...] = (
    "inspections:checkin_by_code",
    "inspections:task_list",
    "planning:my_schedule",
)


def _with_phone_group(menu: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The menu with a phone-only 常用 group of the PHONE_FIRST entries the user can see put
    first; the same entries in their own groups are marked to hide on a phone."""
    found = {entry["url_name"]: entry for group in menu for entry in group["entries"]}
    first = [dict(found[name]) for name in PHONE_FIRST if name in found]
    if not first:
        return menu
    for name in PHONE_FIRST:
        if name in found:
            found[name]["desktop_only"] = True
    return [{"label": _("常用"), "entries": first, "phone_only": True}, *menu]


def _matches(url: str, path: str) -> bool:
    return path == url or (url != "/" and path.startswith(url))


def menu_for(user: object, current_path: str) -> list[dict[str, Any]]:
    """The menu groups this user may see; the entry whose address best matches the page is
    active (the longest match, so a page under two entries lights up only one)."""
    can = getattr(user, "can", None)
    visible = [
        (group, [e for e in group.entries if e.capability is None or (can and can(e.capability))])
        for group in MENU
    ]
    urls = {entry: reverse(entry.url_name) for _group, entries in visible for entry in entries}
    matching = [url for url in urls.values() if _matches(url, current_path)]
    best = max(matching, key=len) if matching else None
    built: list[dict[str, Any]] = [
        {
            "label": group.label,
            "entries": [
                {
                    "label": e.label,
                    "url": urls[e],
                    "url_name": e.url_name,
                    "icon": f"fontawesome/svgs/solid/{e.icon}.svg",
                    "active": urls[e] == best,
                }
                for e in entries
            ],
        }
        for group, entries in visible
        if entries
    ]
    return _with_phone_group(built)
