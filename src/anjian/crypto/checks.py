"""`anjian check --deploy`: keys generated or read from the key folder instead of being given,
and a data or key folder that others can enter."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.checks import CheckMessage, Tags, Warning, register

from anjian.config.keys import FROM_KEY_DIR, GENERATED


@register(Tags.security, deploy=True)
def keys_given_explicitly(app_configs: Any = None, **kwargs: Any) -> list[CheckMessage]:
    sources = getattr(settings, "KEY_SOURCES", {})
    implicit = sorted(name for name, src in sources.items() if src in (FROM_KEY_DIR, GENERATED))
    if not implicit:
        return []
    return [
        Warning(
            f"密钥 {'、'.join(implicit)} 是自动生成的开发用密钥，放在密钥目录 {settings.KEY_DIR}。",
            hint="生产环境请用 <名称> 或 <名称>_FILE 给出每个密钥（密钥文件放在数据卷之外），"
            "并设 ANJIAN_REQUIRE_KEYS=true（见 docs/ops/keys.md）。",
            id="anjian.W101",
        )
    ]


def _open_to_others(path: Path) -> bool:
    try:
        return bool(path.stat().st_mode & 0o077)
    except OSError:
        return False


@register(Tags.security, deploy=True)
def data_folders_private(app_configs: Any = None, **kwargs: Any) -> list[CheckMessage]:
    folders = [Path(settings.DATA_DIR), Path(settings.KEY_DIR), Path(settings.MEDIA_ROOT)]
    shared = [str(p) for p in folders if p.exists() and _open_to_others(p)]
    if not shared:
        return []
    return [
        Warning(
            f"目录 {'、'.join(shared)} 允许服务用户以外的账号访问。",
            hint="执行 chmod 700 并由服务用户持有（见 docs/ops/keys.md）。",
            id="anjian.W102",
        )
    ]
