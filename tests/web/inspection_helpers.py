"""Builders for the inspection tests: a published item list, officers who log in, approved tasks."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django.utils import timezone

from anjian.accounts.models import User
from anjian.accounts.roles import Role
from anjian.accounts.services import user_create
from anjian.inspections.models import InspectionTask
from anjian.inspections.services.tasks import TaskRequest, decide_task, request_task
from anjian.policy.models import InspectionItem
from anjian.policy.selectors import items_for_enterprise
from anjian.policy.services.items import item_list_publish, item_list_start
from anjian.registry.models import Officer
from anjian.registry.services import officer_create
from tests.conftest import PASSWORD, World


@dataclass
class Field:
    """Two officers with accounts in the hazardous-chemicals section, and the published list."""

    officers: list[Officer]
    users: list[User]

    @property
    def lead(self) -> User:
        return self.users[0]


def today() -> date:
    return timezone.localdate()


def publish_items(world: World) -> None:
    today = timezone.localdate()
    draft = item_list_start(actor=None, body=world.county, today=today)
    item_list_publish(actor=None, draft=draft, today=today, change_note="测试发布")


def field_team(world: World) -> Field:
    publish_items(world)
    officers, users = [], []
    for i, name in enumerate(("张检", "李查")):
        user = user_create(
            actor=None,
            username=f"officer{i}",
            password=PASSWORD,
            role=Role.BUSINESS_SECTION,
            display_name=name,
            body=world.county,
            section=world.sections["hazchem"],
        )
        officer = officer_create(
            actor=None,
            data={
                "name": name,
                "body": world.county,
                "section": world.sections["hazchem"],
                "certificate_no": f"14112120{i:02d}",
                "certificate_valid_until": date(2030, 1, 1),
            },
        )
        officer.user = user
        officer.save(update_fields=["user"])
        officers.append(officer)
        users.append(user)
    return Field(officers, users)


def on_site_items(world: World, n: int = 3, mode: str = "on_site") -> list[InspectionItem]:
    items = [i for i in items_for_enterprise(world.enterprises["chem"]) if mode in i.methods]
    return items[:n]


def task_request(world: World, team: Field, day: date, **kw: object) -> TaskRequest:
    fields: dict[str, object] = {
        "enterprise": world.enterprises["chem"],
        "date": day,
        "activity": "enforcement_inspection",
        "mode": "on_site",
        "source": "complaint",
        "ground": "举报件 JB-2026-001",
        "items": on_site_items(world, mode=str(kw.get("mode", "on_site"))),
        "officers": team.officers,
        "section": world.sections["hazchem"],
    }
    fields.update(kw)
    return TaskRequest(**fields)  # type: ignore[arg-type]


def approved_task(
    world: World, team: Field, day: date | None = None, **kw: object
) -> InspectionTask:
    today = timezone.localdate()
    task = request_task(
        actor=world.users["hazchem"],
        request=task_request(world, team, day or today, **kw),
        today=today,
    )
    return decide_task(
        actor=world.users["bureau_head"], task=task, approve=True, note="同意", today=today
    )
