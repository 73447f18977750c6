"""One demo login per role, all with the same password."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from functools import cache

from django.conf import settings
from django.contrib.auth import base_user
from django.contrib.auth.hashers import make_password

from anjian.accounts.models import User
from anjian.accounts.roles import Role
from anjian.accounts.services import user_create
from anjian.demo import people
from anjian.demo.context import DemoContext
from anjian.registry.models import Enterprise
from anjian.registry.services import enterprise_membership_create

DEMO_PASSWORD = "Anjian@2025"


@dataclass(frozen=True)
class LoginSpec:
    username: str
    role: str
    body: str = ""  # a key of DemoContext.bodies; "" for users outside the bureaus
    section: str = ""  # a section name of that body
    enterprise: int | None = None  # index among the county's eligible hazchem enterprises


LOGINS: tuple[LoginSpec, ...] = (
    LoginSpec("head", Role.BUREAU_HEAD, "county"),
    LoginSpec("office", Role.OFFICE, "county", "办公室"),
    LoginSpec("legal", Role.LEGAL_OFFICE, "county", "法制办"),
    LoginSpec("hazchem", Role.BUSINESS_SECTION, "county", "危化股"),
    LoginSpec("metal", Role.BUSINESS_SECTION, "county", "冶金工贸股"),
    LoginSpec("coal", Role.BUSINESS_SECTION, "county", "煤矿股"),
    LoginSpec("noncoal", Role.BUSINESS_SECTION, "county", "非煤矿山股"),
    LoginSpec("team", Role.ENFORCEMENT_TEAM, "county", "综合行政执法队"),
    LoginSpec("hr", Role.HR_FINANCE, "county", "人事财务股"),
    LoginSpec("discipline", Role.DISCIPLINE, "county"),
    LoginSpec("enterprise", Role.ENTERPRISE, enterprise=0),
    LoginSpec("enterprise2", Role.ENTERPRISE, enterprise=1),
    LoginSpec("training", Role.TRAINING_INSTITUTION),
    LoginSpec("sysadmin", Role.SYSTEM_ADMIN, "county"),
    LoginSpec("secadmin", Role.SECURITY_ADMIN, "county"),
    LoginSpec("auditadmin", Role.AUDIT_ADMIN, "county"),
    LoginSpec("city", Role.OFFICE, "city"),
    LoginSpec("othercounty", Role.OFFICE, "other_county", "办公室"),
)
LOGINS_BY_USERNAME = {spec.username: spec for spec in LOGINS}


@cache
def _demo_password_hash(hashers: tuple[str, ...]) -> str:
    """Once for each setting of the hashers (the tests may set faster ones)."""
    return make_password(DEMO_PASSWORD)


@contextmanager
def _hashed_once() -> Iterator[None]:
    """The demo password is hashed once and every login gets that same encoded hash (salt
    included): a hash takes a good half second (PBKDF2, a million rounds), eighteen of them the
    better part of ten. Any other password is hashed as usual."""
    real = base_user.make_password

    def make(password: str | None, salt: str | None = None, hasher: str = "default") -> str:
        if password == DEMO_PASSWORD and salt is None and hasher == "default":
            return _demo_password_hash(tuple(settings.PASSWORD_HASHERS))
        return real(password, salt, hasher)

    base_user.make_password = make  # type: ignore[assignment]
    try:
        yield
    finally:
        base_user.make_password = real


def create_login(ctx: DemoContext, username: str, display_name: str) -> User:
    """Creates the login `username` of the LOGINS table through the accounts service."""
    spec = LOGINS_BY_USERNAME[username]
    body = ctx.bodies[spec.body] if spec.body else None
    section = ctx.sections[spec.body][spec.section] if spec.section else None
    with _hashed_once():
        user = user_create(
            actor=None,
            username=username,
            password=DEMO_PASSWORD,
            role=spec.role,
            display_name=display_name,
            body=body,
            section=section,
            validate=True,
        )
    ctx.users[username] = user
    return user


def login_enterprises(ctx: DemoContext) -> list[Enterprise]:
    """County-supervised, operating chemical companies (not filling stations), in load order."""
    return [
        e
        for e in ctx.enterprises.get("county", [])
        if e.sector == "hazardous_chemicals"
        and e.supervising_body_id == ctx.county.pk
        and e.status == "operating"
        and ("化工" in e.name or "化学" in e.name)
    ]


def load_logins(ctx: DemoContext) -> None:
    """Every login of LOGINS that an earlier loader (officers) has not made yet."""
    rng = ctx.rng("logins")
    eligible = login_enterprises(ctx)
    for spec in LOGINS:
        if spec.username in ctx.users:
            continue
        name = people.unique_person(rng, ctx.person_names).name
        user = create_login(ctx, spec.username, name)
        if spec.enterprise is not None:
            enterprise_membership_create(
                actor=None, user=user, enterprise=eligible[spec.enterprise]
            )
