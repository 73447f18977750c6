"""English for labels the domain (no Django) defines: the entry rules' vocabularies of
anjian.domain.rules.vocab (activities, modes, what an activity counts toward, reason codes,
emergency grounds), a case's deadlines and a certificate's status (shown as badges).

The domain stays free of Django, so its Chinese labels are listed here with gettext_noop for
makemessages, and the models' and forms' choices are built with `lazy_choices`, so that
`get_activity_display` and every select follow the user's language; stored values, the Excel
files and the API keep the codes and Chinese labels. tests/web/test_vocab_i18n.py checks
that this list covers every label (as registry/vocab_i18n.py does for the registry's)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy, gettext_noop

LABELS: tuple[str, ...] = (
    # ACTIVITIES
    gettext_noop("执法检查"),
    gettext_noop("督导检查"),
    gettext_noop("帮扶指导"),
    gettext_noop("调查研究"),
    gettext_noop("调查核实（投诉举报）"),
    gettext_noop("考核巡查"),
    gettext_noop("整改复查"),
    gettext_noop("矿山安全监管专员入矿巡查"),
    # MODES
    gettext_noop("现场检查"),
    gettext_noop("书面检查"),
    gettext_noop("非现场检查"),
    # COUNT_TARGETS
    gettext_noop("计入年度执法检查频次"),
    gettext_noop("计入督导检查次数"),
    gettext_noop("不计入频次"),
    # REASON_CODES
    gettext_noop("超过年度执法检查频次上限"),
    gettext_noop("超过年度督导检查次数上限"),
    gettext_noop("企业安静期"),
    gettext_noop("安静期例外（已批准）"),
    gettext_noop("执法层级不符"),
    gettext_noop("持证执法人员不足"),
    gettext_noop("监管专员每周入矿上限"),
    gettext_noop("未与监管专员入矿同步"),
    gettext_noop("安静期紧急入企（事后补批）"),
    # QUIET_EMERGENCY_GROUNDS
    gettext_noop("生产安全事故"),
    gettext_noop("紧急危险（重大事故隐患现实危险）"),
    gettext_noop("重大事故隐患举报"),
    # case deadlines (anjian.domain.discretion.deadlines)
    gettext_noop("作出处罚决定期限（立案之日起九十日内）"),
    gettext_noop("陈述申辩期限（告知后三个工作日内）"),
    gettext_noop("申请听证期限（告知后五个工作日内）"),
    gettext_noop("送达处罚决定书期限（决定后七个工作日内）"),
    gettext_noop("缴纳罚款期限（收到决定书之日起十五日内）"),
    # certificate statuses, shown as badges (anjian.domain.training.certificates.STATUSES)
    gettext_noop("有效"),
    gettext_noop("即将到期复审"),
    gettext_noop("即将到期"),
    gettext_noop("逾期未复审"),
    gettext_noop("已过期"),
    gettext_noop("已注销"),
)


def lazy_choices(mapping: Mapping[Any, str]) -> list[tuple[Any, Promise]]:
    """Model or form choices whose labels are translated when shown (same text in Chinese, so
    the models' migrations do not change)."""
    return [(key, gettext_lazy(text)) for key, text in mapping.items()]
