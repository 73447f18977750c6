"""Who a reminder goes to, found by role, section and body (accounts.User): each function reads
the users of every key it is given in one query and maps the key to the ids of its active
users, so a daily run costs the same few queries however many deadlines it finds."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Collection, Iterable

from anjian.accounts.models import User
from anjian.accounts.roles import CAPABILITIES, Role
from anjian.steering.models import Campaign, OfficeMember
from anjian.steering.services.notify import Reminder

Pending = list[tuple[int, Reminder]]
"""(user id, reminder) pairs a generator hands to `notify_many`."""

REPORTERS = CAPABILITIES["steering.report"]
"""The roles that file a section's weekly reports and carry its measures."""
CASE_HANDLERS = CAPABILITIES["penalty.handle"]


def grouped(rows: Iterable[tuple[int, int]]) -> dict[int, list[int]]:
    found: dict[int, set[int]] = defaultdict(set)
    for key, user_id in rows:
        found[key].add(user_id)
    return {key: sorted(users) for key, users in found.items()}


def section_users(section_ids: Collection[int], roles: Collection[str]) -> dict[int, list[int]]:
    """Section id → its active users holding one of `roles`."""
    if not section_ids:
        return {}
    return grouped(
        User.objects.filter(
            section_id__in=set(section_ids), role__in=list(roles), is_active=True
        ).values_list("section_id", "pk")
    )


def body_users(body_ids: Collection[int], role: str) -> dict[int, list[int]]:
    """Body id → its active users of `role` (e.g. the heads of each body)."""
    if not body_ids:
        return {}
    return grouped(
        User.objects.filter(body_id__in=set(body_ids), role=role, is_active=True).values_list(
            "body_id", "pk"
        )
    )


def office_users(campaigns: Collection[Campaign]) -> dict[int, list[int]]:
    """Campaign id → the leadership group's office: the office role of the campaign's body and
    the users the campaign gave the office's capability to."""
    if not campaigns:
        return {}
    by_body = body_users({c.body_id for c in campaigns}, Role.OFFICE)
    members = grouped(
        OfficeMember.objects.filter(
            campaign_id__in={c.pk for c in campaigns}, user__is_active=True
        ).values_list("campaign_id", "user_id")
    )
    return {
        c.pk: sorted(set(by_body.get(c.body_id, ())) | set(members.get(c.pk, ())))
        for c in campaigns
    }


def enterprise_users(enterprise_ids: Collection[int]) -> dict[int, list[int]]:
    """Enterprise id → its active enterprise users (their registry membership)."""
    if not enterprise_ids:
        return {}
    return grouped(
        User.objects.filter(
            role=Role.ENTERPRISE,
            is_active=True,
            enterprise_membership__enterprise_id__in=set(enterprise_ids),
        ).values_list("enterprise_membership__enterprise_id", "pk")
    )


def to_each(user_ids: Iterable[int], reminder: Reminder) -> Pending:
    return [(user_id, reminder) for user_id in user_ids]
