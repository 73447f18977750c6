"""Builders for the policy tests: officers, quiet months and entry requests."""

from __future__ import annotations

from datetime import date

from anjian.policy.models import QuietMonth
from anjian.policy.services.booking import EntryRequest
from anjian.registry.models import Officer
from anjian.registry.services import officer_create


def county_officers(world, n: int = 2, valid_until: date = date(2030, 1, 1)) -> list[Officer]:  # type: ignore[no-untyped-def]
    found = [world.officers["county"]]
    for i in range(1, n):
        found.append(
            officer_create(
                actor=None,
                data={
                    "name": f"赵{i}",
                    "body": world.county,
                    "section": world.sections["hazchem"],
                    "certificate_no": f"C-1{i:02d}",
                    "certificate_valid_until": valid_until,
                },
            )
        )
    return found[:n]


def quiet(world, month: date, days: list[int]) -> QuietMonth:  # type: ignore[no-untyped-def]
    return QuietMonth.objects.create(body=world.county, month=month.replace(day=1), days=days)


def request_for(world, key: str, day: date, officers, **kw) -> EntryRequest:  # type: ignore[no-untyped-def]
    fields = {"activity": "enforcement_inspection", "mode": "on_site", "body": world.county}
    fields.update(kw)
    return EntryRequest(enterprise=world.enterprises[key], date=day, officers=officers, **fields)
