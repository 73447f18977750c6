"""The columns of each ledger list's Excel export and print view (`ui/ledger.py`), next to one
another so that the ledgers read alike. Each column reads a row the list page already shows; the
views select the related records the columns name."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _

from anjian.ui.ledger import LedgerColumn as C


def _name(user: Any) -> str:
    return (getattr(user, "display_name", "") or getattr(user, "username", "")) if user else ""


def _yes(flag: object) -> str:
    return str(_("是")) if flag else ""


ENTRIES = (
    C(_("日期"), lambda b: b.date),
    C(_("企业"), lambda b: b.enterprise.name),
    C(_("活动"), lambda b: b.get_activity_display()),
    C(_("方式"), lambda b: b.get_mode_display()),
    C(_("执法主体"), lambda b: b.body.name),
    C(_("股室"), lambda b: b.section.name if b.section else ""),
    C(_("联合检查"), lambda b: b.joint_key or ""),
    C(_("计次"), lambda b: b.get_counts_toward_display()),
    C(_("规则集"), lambda b: str(b.ruleset)),
    C(_("依据/例外"), lambda b: b.ground or ""),
    C(_("已取消"), lambda b: _yes(b.cancelled_at)),
)

UNPLANNED = (
    C(_("日期"), lambda t: t.date),
    C(_("被检查单位"), lambda t: t.enterprise.name),
    C(_("执法人员"), lambda t: "、".join(o.name for o in t.officers.all())),
    C(_("原因"), lambda t: t.unplanned_reason),
    C(
        _("入企核验"),
        lambda t: (
            _("符合规则，已登记") if (t.entry_verdict or {}).get("allowed") else _("不符合入企规则")
        ),
    ),
    C(_("事后审查"), lambda t: t.get_review_display()),
)

HAZARDS = (
    C(_("企业"), lambda h: h.task.enterprise.name),
    C(_("检查日期"), lambda h: h.task.date),
    C(_("问题"), lambda h: h.description),
    C(_("等级"), lambda h: h.get_level_display()),
    C(_("整改期限"), lambda h: h.deadline),
    C(_("延期次数"), lambda h: h.extensions or 0),
    C(_("状态"), lambda h: h.get_status_display()),
    C(_("已移送立案"), lambda h: _yes(h.referred_at)),
)

CASES = (
    C(_("立案编号"), lambda c: c.number),
    C(_("当事人"), lambda c: c.enterprise.name),
    C(_("案由"), lambda c: c.title),
    C(_("承办股室"), lambda c: c.section.name if c.section else ""),
    C(_("立案日期"), lambda c: c.filed_on),
    C(_("状态"), lambda c: c.get_state_display()),
)

DOCUMENTS = (
    C(_("文号"), lambda d: d.number),
    C(_("文书名称"), lambda d: d.title),
    C(_("版本"), lambda d: d.version),
    C(_("相对人"), lambda d: str(d.enterprise) if d.enterprise_id else ""),
    C(_("文书日期"), lambda d: d.issued_on),
    C(_("签发人"), lambda d: _name(d.issued_by)),
    C("SHA-256", lambda d: d.sha256),
)

MATTERS = (
    C(_("收到日期"), lambda m: m.received_on),
    C(_("事由"), lambda m: m.subject),
    C(_("类别"), lambda m: m.get_kind_display()),
    C(_("来源"), lambda m: m.get_source_display()),
    C(
        _("责任股室"),
        lambda m: (
            m.get_route_display()
            if m.route == "discipline"
            else (m.section.name if m.section else "")
        ),
    ),
    C(_("承办人"), lambda m: _name(m.owner)),
    C(_("状态"), lambda m: m.get_status_display()),
)

COMPLAINTS = (
    C(_("投诉时间"), lambda c: c.filed_at),
    C(_("企业"), lambda c: c.enterprise.name),
    C(_("类别"), lambda c: c.get_kind_display()),
    C(_("发生日期"), lambda c: c.happened_on),
    C(_("投诉人"), lambda c: _name(c.filed_by)),
    C(_("内容"), lambda c: c.description),
    C(_("状态"), lambda c: c.get_status_display()),
    C(_("办理结果"), lambda c: c.handling_note),
)


def from_cells(columns: Any, cells: Any) -> tuple[C, ...]:
    """Columns that print what an Excel export's row function writes (the registry's ledgers
    print the columns their export and import template carry: `registry/exports.py`)."""
    return tuple(C(c.header, lambda row, f=c.field: cells(row)[f]) for c in columns)
