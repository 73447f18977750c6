"""English for the registry vocabularies of anjian.domain.registry.

The domain stays free of Django, so its Chinese labels cannot be marked for translation where
they are defined. They are listed here with gettext_noop so that makemessages puts them into the
catalogue, and translated where they are shown (`label`, `translated_choices`, or
`{% translate value %}` in a template). Stored data, the Excel files and the API keep the Chinese
labels. tests/web/test_i18n.py checks that this list covers every label of the vocabularies.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.utils.functional import Promise
from django.utils.translation import gettext, gettext_lazy, gettext_noop

LABELS: tuple[str, ...] = (
    # SECTORS
    gettext_noop("危险化学品"),
    gettext_noop("冶金"),
    gettext_noop("工贸"),
    gettext_noop("煤矿"),
    gettext_noop("非煤矿山"),
    gettext_noop("其他"),
    # STANDARDIZATION_GRADES, and the classification shown for them
    gettext_noop("一级"),
    gettext_noop("二级"),
    gettext_noop("三级"),
    gettext_noop("标准化一级"),
    gettext_noop("标准化二级"),
    gettext_noop("标准化三级"),
    gettext_noop("未定级"),
    # COAL_MINE_CLASSES, and the search choices built from them
    gettext_noop("A类"),
    gettext_noop("B类"),
    gettext_noop("C类"),
    gettext_noop("D类（长期停产）"),
    gettext_noop("未分类"),
    gettext_noop("煤矿A类"),
    gettext_noop("煤矿B类"),
    gettext_noop("煤矿C类"),
    gettext_noop("煤矿D类（长期停产）"),
    # NON_COAL_RISK_CLASSES, and the search choices built from them
    gettext_noop("A级（低风险）"),
    gettext_noop("B级（一般风险）"),
    gettext_noop("C级（较大风险）"),
    gettext_noop("D级（重大风险）"),
    gettext_noop("未评级"),
    gettext_noop("非煤A级（低风险）"),
    gettext_noop("非煤B级（一般风险）"),
    gettext_noop("非煤C级（较大风险）"),
    gettext_noop("非煤D级（重大风险）"),
    # SCALES
    gettext_noop("大型"),
    gettext_noop("中型"),
    gettext_noop("小型"),
    gettext_noop("微型"),
    # ENTERPRISE_STATUSES
    gettext_noop("正常生产"),
    gettext_noop("停产停业"),
    gettext_noop("关闭注销"),
)


def label(text: str) -> str:
    """A vocabulary label in the active language ("" stays "")."""
    return gettext(text) if text else text


def translated_choices(mapping: Mapping[Any, str]) -> list[tuple[Any, Promise]]:
    """Form or filter choices whose labels follow the language of the request."""
    return [(key, gettext_lazy(text)) for key, text in mapping.items()]
