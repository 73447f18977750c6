"""The sidebar menu: each entry names the capability it needs, so a role sees only its own."""

from __future__ import annotations

from dataclasses import dataclass

from django.urls import reverse
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _


@dataclass(frozen=True)
class MenuEntry:
    label: str | Promise
    url_name: str
    capability: str | None  # None: every logged-in user
    icon: str = "•"


@dataclass(frozen=True)
class MenuGroup:
    label: str | Promise
    entries: tuple[MenuEntry, ...]


MENU: tuple[MenuGroup, ...] = (
    MenuGroup(_("工作台"), (MenuEntry(_("首页"), "core:home", None, "⌂"),)),
    MenuGroup(
        _("专项工作"),
        (
            MenuEntry(_("专项工作总览"), "steering:home", "steering.view", "◈"),
            MenuEntry(_("领导驾驶舱"), "steering:cockpit", "steering.cockpit", "◎"),
        ),
    ),
    MenuGroup(
        _("基础台账"),
        (
            MenuEntry(_("企业台账"), "registry:enterprise_list", "registry.view", "▦"),
            MenuEntry(_("企业导入"), "registry:enterprise_import", "registry.import", "⇪"),
            MenuEntry(_("执法人员"), "registry:officer_list", "officer.view", "☺"),
            MenuEntry(_("执法人员导入"), "registry:officer_import", "officer.edit", "⇪"),
        ),
    ),
    MenuGroup(
        _("入企规则"),
        (
            MenuEntry(_("入企核验"), "policy:entry_check", "entry.book", "✔"),
            MenuEntry(_("入企台账"), "policy:entry_list", "policy.view", "☷"),
            MenuEntry(_("企业安静期"), "policy:quiet_calendar", "policy.view", "☾"),
            MenuEntry(_("安静期例外"), "policy:exception_list", "policy.view", "⚑"),
            MenuEntry(_("检查事项清单"), "policy:item_list", "policy.view", "☰"),
            MenuEntry(_("入企规则集"), "policy:ruleset_list", "policy.view", "§"),
            MenuEntry(_("节假日与调休"), "policy:workday_list", "policy.view", "☀"),
        ),
    ),
    MenuGroup(
        _("计划统筹"),
        (
            MenuEntry(_("月度入企计划"), "planning:month_list", "planning.view", "▤"),
            MenuEntry(_("我的入企安排"), "planning:my_schedule", "planning.view", "◷"),
            MenuEntry(_("年度监督检查计划"), "planning:annual_list", "annual.view", "▥"),
        ),
    ),
    MenuGroup(
        _("行政检查"),
        (
            MenuEntry(_("检查任务"), "inspections:task_list", "inspection.view", "✓"),
            MenuEntry(_("凭码签到"), "inspections:checkin_by_code", "inspection.conduct", "⌖"),
            MenuEntry(_("隐患整改"), "inspections:hazard_list", "inspection.view", "⚠"),
            MenuEntry(_("未赋码入企台账"), "inspections:unplanned_ledger", "inspection.view", "⚐"),
            MenuEntry(_("清单外问题审核"), "inspections:legal_flags", "inspection.legal", "§"),
        ),
    ),
    MenuGroup(
        _("行政处罚"),
        (
            MenuEntry(_("处罚案件"), "enforcement:case_list", "penalty.view", "⚖"),
            MenuEntry(_("法制审核"), "enforcement:review_queue", "penalty.review", "§"),
            MenuEntry(_("裁量基准"), "enforcement:benchmark_list", "penalty.view", "▦"),
            MenuEntry(_("包容审慎清单"), "enforcement:list_list", "penalty.view", "☰"),
            MenuEntry(_("法定处罚幅度"), "enforcement:statute", "penalty.view", "§"),
            MenuEntry(_("类案监测"), "enforcement:monitor", "penalty.monitor", "◎"),
        ),
    ),
    MenuGroup(
        _("培训考试"),
        (
            MenuEntry(_("从业人员与证书"), "training:person_list", "training.view", "☺"),
            MenuEntry(_("证书到期预警"), "training:certificate_alerts", "training.view", "△"),
            MenuEntry(_("培训学时"), "training:hours", "training.view", "◷"),
            MenuEntry(_("培训机构"), "training:institution_list", "institution.view", "⌂"),
            MenuEntry(_("培训诊断"), "training:diagnostics_bureau", "training.view", "◎"),
            MenuEntry(_("题库"), "training:question_list", "training.view", "☰"),
            MenuEntry(_("题库导入"), "training:question_import", "question.edit", "⇪"),
            MenuEntry(_("题目标定"), "training:calibration", "training.view", "⚙"),
        ),
    ),
    MenuGroup(
        _("本企业"),
        (
            MenuEntry(_("企业信息"), "registry:my_enterprise", "enterprise.self", "▦"),
            MenuEntry(_("检查频次与安静期"), "policy:my_quota", "enterprise.self", "☾"),
            MenuEntry(_("我的检查"), "inspections:portal_home", "enterprise.self", "✓"),
            MenuEntry(_("隐患整改"), "inspections:portal_hazards", "enterprise.self", "⚠"),
            MenuEntry(_("行政处罚"), "enforcement:portal_cases", "enterprise.self", "⚖"),
            MenuEntry(_("从业人员与证书"), "training:person_list", "enterprise.self", "☺"),
            MenuEntry(_("证书到期预警"), "training:certificate_alerts", "enterprise.self", "△"),
            MenuEntry(_("培训学时"), "training:hours", "enterprise.self", "◷"),
            MenuEntry(_("培训诊断"), "training:diagnostics_mine", "enterprise.self", "◎"),
            MenuEntry(_("投诉"), "inspections:portal_complaints", "enterprise.self", "✉"),
            MenuEntry(_("基层联系点"), "oversight:point_portal", "contact.report", "⚑"),
        ),
    ),
    MenuGroup(
        _("执法文书"),
        (
            MenuEntry(_("文书登记簿"), "documents:register", "documents.register", "▤"),
            MenuEntry(_("文书设置"), "accounts:body_settings", "body.settings", "⚙"),
        ),
    ),
    MenuGroup(
        _("监督"),
        (
            MenuEntry(_("举报事项和问题线索"), "oversight:matter_list", "matter.view", "✉"),
            MenuEntry(_("基层联系点"), "oversight:points", "contact.view", "⚑"),
            MenuEntry(_("会商研判"), "oversight:meeting_list", "meeting.view", "☷"),
            MenuEntry(_("我的议定事项"), "oversight:my_action_items", "steering.view", "✓"),
            MenuEntry(_("行政执法公示"), "oversight:disclosure_due", "disclosure.view", "▤"),
            MenuEntry(_("检查评价"), "inspections:ratings", "inspection.ratings", "★"),
            MenuEntry(_("投诉处理"), "inspections:complaints", "complaint.handle", "✉"),
        ),
    ),
    MenuGroup(
        _("系统管理"),
        (
            MenuEntry(_("用户列表"), "accounts:user_list", "users.view", "☰"),
            MenuEntry(_("授权申请"), "accounts:grant_list", "grants.view", "⚷"),
            MenuEntry(_("登录日志"), "accounts:login_log", "loginlog.view", "⌚"),
            MenuEntry(_("审计日志"), "audit:entry_list", "audit.view", "✎"),
        ),
    ),
    MenuGroup(_("个人"), (MenuEntry(_("修改密码"), "accounts:password_change", None, "✱"),)),
)


def _matches(url: str, path: str) -> bool:
    return path == url or (url != "/" and path.startswith(url))


def menu_for(user: object, current_path: str) -> list[dict[str, object]]:
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
    return [
        {
            "label": group.label,
            "entries": [
                {"label": e.label, "url": urls[e], "icon": e.icon, "active": urls[e] == best}
                for e in entries
            ],
        }
        for group, entries in visible
        if entries
    ]
