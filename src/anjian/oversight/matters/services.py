"""Writes of the register (举报事项、问题线索): staff enter a matter from the hotline, a letter, a
visit or elsewhere; the handler accepts it, names an owner, answers it and closes it. Each step
runs in one transaction with its audit entry, and a step the matter's state does not allow is
refused with a Chinese message and writes nothing (`domain/oversight/matters.py` holds the state
machine). The complainant's name and contact are stored encrypted and never put in the audit
trail."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db import transaction

from anjian.accounts.models import Section, User
from anjian.audit.services import audit_record
from anjian.domain.oversight import matters as rules
from anjian.oversight.matters.access import (
    DISCIPLINE_ROUTE,
    access_matter,
    may_handle,
    owner_candidates,
)
from anjian.oversight.models import Matter
from anjian.policy.workdays import deadline_after

STAFF_SOURCES = frozenset(
    {Matter.Source.HOTLINE, Matter.Source.LETTER, Matter.Source.VISIT, Matter.Source.OTHER}
)
"""The sources staff enter by hand; the others are collected (`collect.py`)."""


class MatterError(ValueError):
    """A refused step; the message is Chinese."""


def accept_days() -> int:
    return int(getattr(settings, "ANJIAN_MATTER_ACCEPT_DAYS", 5))


def answer_days() -> int:
    return int(getattr(settings, "ANJIAN_MATTER_ANSWER_DAYS", 15))


def due_days(received_on: date) -> tuple[date, date]:
    """The days to accept by and (provisionally, counted from the accept day) to answer by."""
    accept_due = deadline_after(received_on, accept_days())
    return accept_due, deadline_after(accept_due, answer_days())


def _register_errors(data: dict[str, Any]) -> str | None:
    if data["source"] not in STAFF_SOURCES:
        return "只能登记热线、来信、来访和其他来源的事项"
    section: Section | None = data.get("section")
    if data["route"] == DISCIPLINE_ROUTE:
        return "派驻纪检监察组办理的事项不指定责任股室" if section else None
    if section is None:
        return "请选择责任股室"
    if section.body_id != data["body"].pk:
        return "责任股室不属于所选执法主体"
    return None


def matter_register(*, actor: User, data: dict[str, Any]) -> Matter:
    """Enters a matter received by hotline, letter, visit or otherwise. `data` holds body, kind,
    source, route, section, enterprise, subject, description, anonymous, complainant,
    complainant_contact and received_on (the form has checked the body and the enterprise are
    within the actor's scope)."""
    if not actor.can("matter.register"):
        raise PermissionDenied("您无权登记举报事项和问题线索")
    refusal = _register_errors(data)
    if refusal:
        raise MatterError(refusal)
    accept_due, answer_due = due_days(data["received_on"])
    anonymous = bool(data["anonymous"])
    with transaction.atomic():
        matter = Matter.objects.create(
            body=data["body"],
            kind=data["kind"],
            source=data["source"],
            route=data["route"],
            section=None if data["route"] == DISCIPLINE_ROUTE else data["section"],
            enterprise=data.get("enterprise"),
            subject=data["subject"],
            description=data["description"],
            anonymous=anonymous,
            complainant="" if anonymous else data.get("complainant", ""),
            complainant_contact="" if anonymous else data.get("complainant_contact", ""),
            received_on=data["received_on"],
            accept_due=accept_due,
            answer_due=answer_due,
            created_by=actor,
        )
        audit_record(actor=actor, action="matter.register", target=matter, changes=_facts(matter))
    return matter


def _facts(matter: Matter) -> dict[str, Any]:
    return {
        name: {"before": None, "after": value}
        for name, value in (
            ("kind", matter.kind),
            ("source", matter.source),
            ("route", matter.route),
            ("section", matter.section_id),
            ("enterprise", matter.enterprise_id),
            ("anonymous", matter.anonymous),
            ("received_on", f"{matter.received_on:%Y-%m-%d}"),
            ("accept_due", f"{matter.accept_due:%Y-%m-%d}"),
        )
    }


def _locked(actor: User, matter: Matter, action: str) -> Matter:
    """The matter, re-read under a row lock within the actor's scope, after the permission and
    state checks (nothing is written when either fails)."""
    if not may_handle(actor, matter):
        raise PermissionDenied("您无权办理该事项")
    access_matter(actor, matter.pk)
    locked = Matter.objects.select_for_update().get(pk=matter.pk)
    if action == "assign":
        if locked.status not in rules.ASSIGNABLE:
            raise MatterError(rules.REFUSALS["assign"])
        return locked
    try:
        rules.next_status(locked.status, action)
    except rules.TransitionError as error:
        raise MatterError(str(error)) from None
    return locked


def _change(before: object, after: object) -> dict[str, object]:
    return {"before": before, "after": after}


def matter_accept(*, actor: User, matter: Matter, today: date) -> Matter:
    """Accepts the matter; its answer limit now counts from today."""
    with transaction.atomic():
        locked = _locked(actor, matter, "accept")
        locked.status = rules.next_status(locked.status, "accept")
        locked.accepted_on = today
        locked.answer_due = deadline_after(today, answer_days())
        if locked.owner_id is None:
            locked.owner = actor
        locked.save(update_fields=["status", "accepted_on", "answer_due", "owner"])
        audit_record(
            actor=actor,
            action="matter.accept",
            target=locked,
            changes={
                "status": _change(rules.RECEIVED, locked.status),
                "accepted_on": _change(None, f"{today:%Y-%m-%d}"),
                "answer_due": _change(None, f"{locked.answer_due:%Y-%m-%d}"),
            },
        )
    return locked


def matter_assign(*, actor: User, matter: Matter, owner: User) -> Matter:
    """Names the owner (承办人), one of `owner_candidates`."""
    with transaction.atomic():
        locked = _locked(actor, matter, "assign")
        if not owner_candidates(locked).filter(pk=owner.pk).exists():
            raise MatterError(
                "承办人须为本事项责任股室、办公室或法制办的人员（纪检线索为纪检监察组）"
            )
        before = locked.owner_id
        locked.owner = owner
        locked.save(update_fields=["owner"])
        audit_record(
            actor=actor,
            action="matter.assign",
            target=locked,
            changes={"owner": _change(before, owner.pk)},
        )
    return locked


def matter_answer(*, actor: User, matter: Matter, outcome: str, reply: str, today: date) -> Matter:
    """Records the outcome of the check and the reply to the complainant."""
    if not outcome.strip() or not reply.strip():
        raise MatterError("请填写核查结果和答复内容")
    with transaction.atomic():
        locked = _locked(actor, matter, "answer")
        locked.status = rules.next_status(locked.status, "answer")
        locked.outcome, locked.reply, locked.replied_on = outcome.strip(), reply.strip(), today
        locked.save(update_fields=["status", "outcome", "reply", "replied_on"])
        audit_record(
            actor=actor,
            action="matter.answer",
            target=locked,
            changes={
                "status": _change(rules.ACCEPTED, locked.status),
                "replied_on": _change(None, f"{today:%Y-%m-%d}"),
                "late": _change(None, today > locked.answer_due),
            },
        )
    return locked


def matter_close(
    *, actor: User, matter: Matter, ground: str, satisfaction: str, today: date
) -> Matter:
    """Closes the matter: it needs a reply already given or a recorded ground for not replying;
    the complainant's satisfaction is recorded when known."""
    if satisfaction not in ("", "satisfied", "basic", "unsatisfied"):
        raise MatterError("反映人评价不正确")
    with transaction.atomic():
        locked = _locked(actor, matter, "close")
        refusal = rules.close_refusal(reply=locked.reply, ground=ground)
        if refusal:
            raise MatterError(refusal)
        before = locked.status
        locked.status = rules.next_status(locked.status, "close")
        locked.closing_ground = ground.strip()[:200]
        locked.satisfaction = satisfaction
        locked.closed_on = today
        locked.save(update_fields=["status", "closing_ground", "satisfaction", "closed_on"])
        audit_record(
            actor=actor,
            action="matter.close",
            target=locked,
            changes={
                "status": _change(before, locked.status),
                "closed_on": _change(None, f"{today:%Y-%m-%d}"),
                "satisfaction": _change("", satisfaction),
                "ground": _change("", locked.closing_ground),
            },
        )
    return locked
