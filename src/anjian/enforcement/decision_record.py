"""The facts a decision states that are not fields of the case (decision_text.py words them),
gathered when the decision is made and saved on the case before its document is issued, so the
document printed later says what was true on the day of the decision."""

from __future__ import annotations

from typing import Any

from anjian.domain.discretion.statute import chinese_number
from anjian.enforcement.models import PenaltyCase
from anjian.enforcement.selectors import provision_of
from anjian.inspections.models import ReviewLine


def _inspection(case: PenaltyCase) -> dict[str, str]:
    task = case.task
    if task is None:
        return {}
    places = [h.location for h in case.findings.all() if h.location]
    place = "、".join(dict.fromkeys(places)) or case.enterprise.address
    return {"date": task.date.isoformat(), "place": f"{case.enterprise.name}{place}"}


def _overdue(case: PenaltyCase) -> dict[str, str]:
    """The rectification order, its deadline and the review that found it not fixed."""
    line = (
        ReviewLine.objects.filter(
            hazard__in=case.findings.all(), decision=ReviewLine.Decision.NOT_FIXED
        )
        .select_related("review__document", "review__order__document")
        .order_by("review__reviewed_on", "pk")
        .first()
    )
    if line is not None:
        order = line.review.order
        return {
            "order": order.document.number,
            "issued_on": order.issued_on.isoformat(),
            "deadline": order.deadline.isoformat(),
            "review": line.review.document.number,
            "reviewed_on": line.review.reviewed_on.isoformat(),
        }
    hazard = case.findings.exclude(order=None).select_related("order__document").first()
    if hazard is None or hazard.order is None:
        return {}
    order = hazard.order
    return {
        "order": order.document.number,
        "issued_on": order.issued_on.isoformat(),
        "deadline": order.deadline.isoformat(),
    }


def _benchmark(case: PenaltyCase) -> str:
    """The benchmark entry as a decision cites it — only from a version the legal office has
    adopted, under the official title and number it entered."""
    bench = (case.suggestion or {}).get("benchmark") or {}
    version = case.benchmark
    if not bench.get("tier") or version is None or version.adopted_at is None:
        return ""
    return (
        f"《{version.official_title}》（{version.official_document}）第（{bench['entry']}）项"
        f"裁量阶次{bench['tier']}（{str(bench.get('condition') or '').rstrip('。')}）"
    )


def decision_record(case: PenaltyCase) -> dict[str, Any]:
    """Everything the decision states that is not a field of the case, as of now."""
    provision = provision_of(case)
    body = case.body
    return {
        "breach": provision.breaches if provision else "",
        "basis": provision.basis if provision else f"{case.law}第{chinese_number(case.article)}条",
        "inspection": _inspection(case),
        "overdue": _overdue(case) if case.overdue else {},
        "benchmark": _benchmark(case),
        "payment": {
            "bank": body.payment_bank,
            "account_name": body.payment_account_name,
            "account_no": body.payment_account_no,
            "note": body.payment_note,
        },
        "contact": {"phone": body.phone, "address": body.address},
    }


def record_of(case: PenaltyCase) -> dict[str, Any]:
    """The saved record of a decided case, else the record as of now (a notice)."""
    return case.decision_record or decision_record(case)
