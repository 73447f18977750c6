"""English for the figures' labels, groups and notes (steering/figures.py, steering/cockpit.py).

The figures are plain data used in the issued documents too (always Chinese), so their labels are
listed here with gettext_noop for makemessages, and translated where a page shows them
(`{% translate line.label %}`). tests/web/test_steering_i18n.py checks this list covers every
figure.
"""

from __future__ import annotations

from django.utils.translation import gettext_noop

LABELS: tuple[str, ...] = (
    gettext_noop("入企"),
    gettext_noop("现场入企"),
    gettext_noop("下周已安排现场入企"),
    gettext_noop("统计期结束后 7 天内已登记的现场入企"),
    gettext_noop("联合检查入企"),
    gettext_noop("联合检查占比"),
    gettext_noop("并入联合检查的计划入企"),
    gettext_noop("合并节省入企"),
    gettext_noop("合并入企所含计划次数减去合并后的入企次数"),
    gettext_noop("非现场检查"),
    gettext_noop("非现场检查占比"),
    gettext_noop("入企（含非现场）"),
    gettext_noop("安静期内入企"),
    gettext_noop("安静期例外申请"),
    gettext_noop("接近年度频次上限的企业"),
    gettext_noop("剩余不超过 1 次"),
    gettext_noop("检查"),
    gettext_noop("完成检查"),
    gettext_noop("发现隐患"),
    gettext_noop("下达整改指令"),
    gettext_noop("整改销号"),
    gettext_noop("按期整改销号"),
    gettext_noop("整改按期率"),
    gettext_noop("逾期未整改隐患"),
    gettext_noop("处罚"),
    gettext_noop("立案"),
    gettext_noop("作出决定"),
    gettext_noop("罚款金额"),
    gettext_noop("不予处罚"),
    gettext_noop("从轻处罚"),
    gettext_noop("不予处罚占比"),
    gettext_noop("从轻处罚占比"),
    gettext_noop("须法制审核的决定"),
    gettext_noop("经法制审核的决定"),
    gettext_noop("法制审核覆盖率"),
    gettext_noop("培训"),
    gettext_noop("逢查必考场次"),
    gettext_noop("参考人次"),
    gettext_noop("合格人次"),
    gettext_noop("考试合格率"),
    gettext_noop("30 日内到期证书"),
    gettext_noop("统计期结束后 30 天内到期、持证人仍在岗"),
    gettext_noop("投诉"),
    gettext_noop("收到投诉"),
    gettext_noop("办结投诉"),
    gettext_noop("安静期例外率"),
    gettext_noop("安静期例外申请 ÷ 现场入企"),
    gettext_noop("年度频次上限使用率"),
    gettext_noop("各企业年度执法检查计次之和 ÷ 上限之和（全年计数，去年为全年）"),
    gettext_noop("投诉平均办结天数"),
    gettext_noop("办结时间减投诉时间的平均"),
)
