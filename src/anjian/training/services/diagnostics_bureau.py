"""Diagnostics for the bureau (issue 7 item 7): every exam in the user's scope, overall, by
sector, by town, and each enterprise ranked by its pass rate — on the sittings, scale and groups of
`services.diagnostics`."""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.translation import gettext as _

from anjian.accounts.models import User
from anjian.domain.registry import SECTORS
from anjian.training.access import visible_exams
from anjian.training.services.diagnostics import (
    Group,
    Period,
    Scale,
    group_of,
    sittings_of,
    split_by,
)


@dataclass(frozen=True)
class BureauReport:
    period: Period
    overall: Group
    sectors: tuple[Group, ...]
    towns: tuple[Group, ...]
    enterprises: tuple[Group, ...]  # key: enterprise pk; lowest pass rate first, thin ones last

    @property
    def lowest(self) -> list[Group]:
        return [g for g in self.enterprises if g.enough][:10]

    @property
    def thin(self) -> int:
        return sum(1 for g in self.enterprises if not g.enough)


def _lowest_first(group: Group) -> tuple[bool, float, float, str]:
    return (not group.enough, group.pass_rate, group.mean_score, group.label)


# -- the reports --------------------------------------------------------------------------------


def bureau_diagnostics(*, user: User, period: Period) -> BureauReport:
    """Every exam in the user's scope: overall, by sector, by town, and each enterprise."""
    sittings = sittings_of(visible_exams(user), period)
    scale = Scale(sittings)
    mark = period.pass_mark
    by_sector = split_by(sittings, lambda s: s.sector)
    sectors = [
        group_of(sector, _(label), by_sector[sector], scale, mark)
        for sector, label in SECTORS.items()
        if sector in by_sector
    ]
    by_town = split_by(sittings, lambda s: s.town)
    towns = [
        group_of(town, town or _("未填写乡镇"), group, scale, mark)
        for town, group in sorted(by_town.items())
    ]
    by_enterprise = split_by(sittings, lambda s: str(s.enterprise_id))
    enterprises = [
        group_of(pk, group[0].enterprise_name, group, scale, mark, topics=False)
        for pk, group in by_enterprise.items()
    ]
    return BureauReport(
        period=period,
        overall=group_of("all", _("全部"), sittings, scale, mark),
        sectors=tuple(sectors),
        towns=tuple(towns),
        enterprises=tuple(sorted(enterprises, key=_lowest_first)),
    )
