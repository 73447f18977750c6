"""The sidebar menu: each entry names the capability it needs, so a role sees only its own."""

from __future__ import annotations

from dataclasses import dataclass

from django.urls import reverse


@dataclass(frozen=True)
class MenuEntry:
    label: str
    url_name: str
    capability: str | None  # None: every logged-in user
    icon: str = "•"


@dataclass(frozen=True)
class MenuGroup:
    label: str
    entries: tuple[MenuEntry, ...]


MENU: tuple[MenuGroup, ...] = (
    MenuGroup("工作台", (MenuEntry("首页", "core:home", None, "⌂"),)),
    MenuGroup(
        "基础台账",
        (
            MenuEntry("企业台账", "registry:enterprise_list", "registry.view", "▦"),
            MenuEntry("企业导入", "registry:enterprise_import", "registry.import", "⇪"),
            MenuEntry("执法人员", "registry:officer_list", "officer.view", "☺"),
            MenuEntry("执法人员导入", "registry:officer_import", "officer.edit", "⇪"),
        ),
    ),
    MenuGroup("本企业", (MenuEntry("企业信息", "registry:my_enterprise", "enterprise.self", "▦"),)),
    MenuGroup(
        "系统管理",
        (
            MenuEntry("用户列表", "accounts:user_list", "users.view", "☰"),
            MenuEntry("登录日志", "accounts:login_log", "loginlog.view", "⌚"),
            MenuEntry("审计日志", "audit:entry_list", "audit.view", "✎"),
        ),
    ),
    MenuGroup("个人", (MenuEntry("修改密码", "accounts:password_change", None, "✱"),)),
)


def menu_for(user: object, current_path: str) -> list[dict[str, object]]:
    groups: list[dict[str, object]] = []
    can = getattr(user, "can", None)
    for group in MENU:
        entries = []
        for entry in group.entries:
            if entry.capability is not None and not (can and can(entry.capability)):
                continue
            url = reverse(entry.url_name)
            active = current_path == url or (url != "/" and current_path.startswith(url))
            entries.append({"label": entry.label, "url": url, "icon": entry.icon, "active": active})
        if entries:
            groups.append({"label": group.label, "entries": entries})
    return groups
