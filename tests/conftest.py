"""Shared fixtures: a small world of bodies, sections, enterprises and one user per role."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

import pytest

from anjian.accounts.models import EnforcementBody, Section, User
from anjian.accounts.roles import Role
from anjian.accounts.services import user_create
from anjian.domain.ids.uscc import uscc_check_character
from anjian.policy.services.rulesets import ruleset_load_shipped
from anjian.registry.models import Enterprise, EnterpriseMembership, Officer
from anjian.registry.services import enterprise_create, officer_create

PASSWORD = "Test@2025x"


def make_uscc(serial: int, division: str = "141121") -> str:
    body = f"91{division}{serial:08d}0"[:17]
    return body + uscc_check_character(body)


@dataclass
class World:
    province: EnforcementBody
    city: EnforcementBody
    county: EnforcementBody
    other_county: EnforcementBody
    sections: dict[str, Section] = field(default_factory=dict)
    enterprises: dict[str, Enterprise] = field(default_factory=dict)
    users: dict[str, User] = field(default_factory=dict)
    officers: dict[str, Officer] = field(default_factory=dict)


def _enterprise(world: World, key: str, serial: int, **data: object) -> None:
    base: dict[str, object] = {
        "name": f"测试{key}有限公司",
        "uscc": make_uscc(serial),
        "sector": "other",
        "standardization_grade": None,
        "supervising_body": world.county,
        "town": "凤城镇",
        "status": "operating",
    }
    base.update(data)
    world.enterprises[key] = enterprise_create(actor=None, data=base)


def _user(
    world: World,
    username: str,
    role: str,
    body: EnforcementBody | None,
    section: Section | None = None,
) -> User:
    user = user_create(
        actor=None,
        username=username,
        password=PASSWORD,
        role=role,
        display_name=username,
        body=body,
        section=section,
    )
    world.users[username] = user
    return user


def build_world() -> World:
    ruleset_load_shipped()  # transactional tests flush the row the data migration made
    province = EnforcementBody.objects.create(name="山西省应急管理厅", level="province")
    city = EnforcementBody.objects.create(name="吕梁市应急管理局", level="city", parent=province)
    county = EnforcementBody.objects.create(name="文水县应急管理局", level="county", parent=city)
    other = EnforcementBody.objects.create(name="交城县应急管理局", level="county", parent=city)
    world = World(province, city, county, other)
    world.sections["hazchem"] = Section.objects.create(
        body=county, name="危化股", kind="business", sectors=["hazardous_chemicals"]
    )
    world.sections["coal"] = Section.objects.create(
        body=county, name="煤矿股", kind="business", sectors=["coal_mine"]
    )
    world.sections["office"] = Section.objects.create(body=county, name="办公室", kind="office")
    world.sections["other_hazchem"] = Section.objects.create(
        body=other, name="危化股", kind="business", sectors=["hazardous_chemicals"]
    )
    _enterprise(
        world,
        "chem",
        1,
        name="文水县宏达化工有限公司",
        sector="hazardous_chemicals",
        standardization_grade=2,
    )
    _enterprise(
        world, "coal", 2, name="山西文水鑫源煤业有限公司", sector="coal_mine", coal_mine_class="B"
    )
    _enterprise(world, "city_chem", 3, sector="hazardous_chemicals", supervising_body=city)
    _enterprise(world, "other_chem", 4, sector="hazardous_chemicals", supervising_body=other)
    for role in Role:
        if role in (Role.BUSINESS_SECTION, Role.ENTERPRISE):
            continue
        _user(world, role.value, role.value, None if role == Role.TRAINING_INSTITUTION else county)
    _user(world, "hazchem", Role.BUSINESS_SECTION, county, world.sections["hazchem"])
    _user(world, "city_office", Role.OFFICE, city)
    _user(world, "other_office", Role.OFFICE, other)
    for username, key in (("enterprise", "chem"), ("enterprise2", "coal")):
        user = _user(world, username, Role.ENTERPRISE, None)
        EnterpriseMembership.objects.create(user=user, enterprise=world.enterprises[key])
    world.officers["county"] = officer_create(
        actor=None,
        data={
            "name": "王明",
            "id_number": "11010519491231002X",
            "body": county,
            "section": world.sections["hazchem"],
            "certificate_no": "C-001",
            "certificate_valid_until": date(2030, 1, 1),
        },
    )
    world.officers["other"] = officer_create(
        actor=None,
        data={
            "name": "李强",
            "body": other,
            "certificate_no": "C-002",
            "certificate_valid_until": date(2030, 1, 1),
        },
    )
    return world


@pytest.fixture(autouse=True)
def _media_root(settings, tmp_path):  # type: ignore[no-untyped-def]
    """Uploaded evidence goes to a folder of the test's own, never to the data folder."""
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def world(db: None) -> World:
    return build_world()


@pytest.fixture
def login(client):  # type: ignore[no-untyped-def]
    def _login(user: User):  # type: ignore[no-untyped-def]
        client.force_login(user)
        return client

    return _login


@pytest.fixture
def run_task_worker(monkeypatch):  # type: ignore[no-untyped-def]
    """Runs the real task worker (`anjian db_worker --batch`) over the queued tasks. The worker
    calls `close_old_connections()` between tasks, which inside a test's transaction would close
    the test's own PostgreSQL connection; here that call is a no-op, as Django's test client makes
    it for requests."""
    from django.core.management import call_command

    monkeypatch.setattr(
        "django_tasks_db.management.commands.db_worker.close_old_connections", lambda: None
    )

    def run() -> None:
        call_command("db_worker", batch=True, no_startup_delay=True, verbosity=0)

    return run
