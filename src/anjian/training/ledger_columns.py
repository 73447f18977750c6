"""The columns of the training ledgers' Excel export and print view (`ui/ledger.py`): the
personnel list, the year's training hours and the certificate alerts. Each reads what the list
page shows for a row."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from anjian.ui.ledger import LedgerColumn as C


def persons(worst: Callable[[Any], Any]) -> tuple[C, ...]:
    """A row is a person; `worst` gives the person's most urgent certificate status or None."""

    def certificates(person: Any) -> str:
        status = worst(person)
        return gettext(status.label) if status is not None else ""

    return (
        C(_("姓名"), lambda p: p.name),
        C(_("身份证号码"), lambda p: p.masked_id_number),
        C(_("岗位类别"), lambda p: p.get_role_display()),
        C(_("工种/职务"), lambda p: p.job_title),
        C(_("企业"), lambda p: p.enterprise.name),
        C(_("入职日期"), lambda p: p.hired_on),
        C(_("离职日期"), lambda p: p.left_on),
        C(_("证书"), certificates),
    )


# A row is (person, the person's hours of the year).
HOURS = (
    C(_("姓名"), lambda r: r[0].name),
    C(_("岗位类别"), lambda r: r[0].get_role_display()),
    C(_("企业"), lambda r: r[0].enterprise.name),
    C(_("新上岗"), lambda r: str(_("是")) if r[1].is_new else ""),
    C(_("应完成"), lambda r: r[1].required),
    C(_("已完成"), lambda r: r[1].done),
    C(_("线上"), lambda r: r[1].online),
    C(_("欠缺"), lambda r: r[1].shortfall),
    C(_("说明"), lambda r: "；".join(str(reason) for reason in r[1].reasons)),
)

# A row is (certificate, its status today).
CERTIFICATE_ALERTS = (
    C(_("人员"), lambda r: r[0].person.name),
    C(_("岗位类别"), lambda r: r[0].person.get_role_display()),
    C(_("企业"), lambda r: r[0].person.enterprise.name),
    C(_("证书"), lambda r: r[0].get_kind_display()),
    C(_("类别"), lambda r: r[0].category),
    C(_("编号"), lambda r: r[0].number),
    C(_("日期"), lambda r: r[1].due_on),
    C(_("状态"), lambda r: gettext(r[1].label)),
    C(_("说明"), lambda r: r[1].reason),
)
