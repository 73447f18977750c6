"""The leadership group (领导小组: 组长、副组长、成员, as the plan lists them) and its office: the
users given the office's capability for the campaign (协调、汇总、监督). The office keeps the
group's list; the office role or the head appoints the office's members, who must be staff of the
campaign's body. Every change is audited."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import QuerySet

from anjian.accounts.access import body_scope_ids
from anjian.accounts.models import User
from anjian.accounts.roles import BUREAU_STAFF, Role
from anjian.audit.services import audit_record
from anjian.steering.models import Campaign, LeadershipMember, OfficeMember
from anjian.steering.services.campaign import Errors, diff, raise_errors, require_plan_office


def body_staff(campaign: Campaign) -> QuerySet[User]:
    """The active bureau staff of the campaign's body: who may be linked to a leader's seat or
    given the office's capability."""
    return (
        User.objects.filter(body_id=campaign.body_id, is_active=True, role__in=BUREAU_STAFF)
        .select_related("section")
        .order_by("section_id", "username")
    )


def _is_staff_of(user: User, campaign: Campaign) -> bool:
    return user.is_active and user.body_id == campaign.body_id and user.role in BUREAU_STAFF


@dataclass(frozen=True)
class LeaderData:
    name: str
    post: str
    title: str = ""
    user: User | None = None
    order: int = 0


def leader_errors(campaign: Campaign, data: LeaderData) -> Errors:
    errors: Errors = {}
    if not data.name.strip():
        errors["name"] = ["请填写姓名"]
    elif len(data.name.strip()) > 30:
        errors["name"] = ["姓名不能超过 30 个字"]
    if data.post not in LeadershipMember.Post.values:
        errors["post"] = ["请选择职务（组长、副组长或成员）"]
    if len(data.title.strip()) > 60:
        errors["title"] = ["单位职务不能超过 60 个字"]
    if data.user is not None and not _is_staff_of(data.user, campaign):
        errors["user"] = ["系统账号应为本单位在职工作人员"]
    if not 0 <= data.order <= 999:
        errors["order"] = ["顺序应在 0 至 999 之间"]
    return errors


def _shown(values: dict[str, Any]) -> dict[str, Any]:
    user = values.get("user")
    return values | {"user": user.username if user is not None else None}


def leader_save(
    *,
    actor: User | None,
    campaign: Campaign,
    data: LeaderData,
    leader: LeadershipMember | None = None,
) -> LeadershipMember:
    """Adds a member of the leadership group, or changes `leader` (one of this campaign's)."""
    require_plan_office(actor, campaign)
    if leader is not None and leader.campaign_id != campaign.pk:
        raise PermissionDenied("该成员不属于本专项工作的领导小组")
    raise_errors(leader_errors(campaign, data))
    after = {
        "name": data.name.strip(),
        "post": data.post,
        "title": data.title.strip(),
        "user": data.user,
        "order": data.order,
    }
    with transaction.atomic():
        if leader is None:
            leader = LeadershipMember.objects.create(campaign=campaign, **after)
            before: dict[str, Any] = dict.fromkeys(after)
            action = "steering.leader.create"
        else:
            leader = LeadershipMember.objects.select_for_update().get(pk=leader.pk)
            before = {name: getattr(leader, name) for name in after}
            for name, value in after.items():
                setattr(leader, name, value)
            leader.save(update_fields=list(after))
            action = "steering.leader.update"
        audit_record(
            actor=actor, action=action, target=leader, changes=diff(_shown(before), _shown(after))
        )
    return leader


def leader_delete(*, actor: User | None, leader: LeadershipMember) -> None:
    require_plan_office(actor, leader.campaign)
    with transaction.atomic():
        audit_record(
            actor=actor,
            action="steering.leader.delete",
            target=leader,
            changes={"name": leader.name, "post": leader.post},
        )
        leader.delete()


def may_appoint(actor: User, campaign: Campaign) -> bool:
    """The office role or the head of the campaign's body (or a body above it)."""
    in_scope = campaign.body_id in body_scope_ids(actor)
    return in_scope and (actor.can("steering.office") or actor.role == Role.BUREAU_HEAD)


def _require_appointer(actor: User | None, campaign: Campaign) -> None:
    if actor is not None and not may_appoint(actor, campaign):
        raise PermissionDenied("只有办公室或局领导可以调整领导小组办公室成员")


def office_member_add(
    *, actor: User | None, campaign: Campaign, user: User, duty: str = ""
) -> OfficeMember:
    """Gives `user` the office's capability for the campaign."""
    _require_appointer(actor, campaign)
    errors: Errors = {}
    if not _is_staff_of(user, campaign):
        errors["user"] = ["只能指定本单位在职工作人员"]
    elif OfficeMember.objects.filter(campaign=campaign, user=user).exists():
        errors["user"] = [f"{user.display_name or user.username}已是办公室成员"]
    if len(duty.strip()) > 60:
        errors["duty"] = ["分工不能超过 60 个字"]
    raise_errors(errors)
    with transaction.atomic():
        member = OfficeMember.objects.create(
            campaign=campaign, user=user, duty=duty.strip(), granted_by=actor
        )
        audit_record(
            actor=actor,
            action="steering.office.add",
            target=campaign,
            changes={"office_member": {"before": None, "after": user.username}, "duty": duty},
        )
    return member


def office_member_remove(*, actor: User | None, member: OfficeMember) -> None:
    campaign = member.campaign
    _require_appointer(actor, campaign)
    with transaction.atomic():
        audit_record(
            actor=actor,
            action="steering.office.remove",
            target=campaign,
            changes={"office_member": {"before": member.user.username, "after": None}},
        )
        member.delete()
