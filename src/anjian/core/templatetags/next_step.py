"""`{% case_step case as step %}` and its kin: whose turn it is on a case, an inspection task, a
finding or a quiet-period exception (`domain.next_step`), for the detail pages and each row of
the lists. The workday lookup the case deadlines need is read once per rendering (kept in the
render context), so a list of cases costs one query however many rows it shows."""

from __future__ import annotations

from datetime import date
from typing import Any

from django import template
from django.utils import timezone

from anjian.domain.next_step import exception_next_step, hazard_next_step, task_next_step
from anjian.enforcement.next_steps import step_of
from anjian.enforcement.selectors import IsWorkday, workdays_around
from anjian.ui.next_steps import NextStepView, present

register = template.Library()


def _today(context: Any) -> date:
    found = context.render_context.get("next_step_today")
    if found is None:
        found = context.render_context["next_step_today"] = timezone.localdate()
    return found  # type: ignore[no-any-return]


def _is_workday(context: Any, today: date) -> IsWorkday:
    found = context.render_context.get("next_step_workdays")
    if found is None:
        found = context.render_context["next_step_workdays"] = workdays_around(today)
    return found  # type: ignore[no-any-return]


@register.simple_tag(takes_context=True)
def case_step(context: Any, case: Any, with_fines: bool = False) -> NextStepView:
    """A case's next step; `with_fines` on the case page (the fines are prefetched there)."""
    today = _today(context)
    step = step_of(case, today, _is_workday(context, today), with_fines=with_fines)
    return present(step, today, case.enterprise.name)


@register.simple_tag(takes_context=True)
def task_step(context: Any, task: Any, hazards: Any = None) -> NextStepView:
    """An inspection task's next step; with its findings (`hazards`, on the task page) a
    finished task waits for the enterprise's fixes or the officers' check of them."""
    today = _today(context)
    open_deadlines = [h.deadline for h in hazards or () if h.status == "open" and h.deadline]
    step = task_next_step(
        status=task.status,
        day=task.date,
        review=task.review,
        open_deadline=min(open_deadlines, default=None),
        reported=any(h.status == "reported" for h in hazards or ()),
    )
    return present(step, today, task.enterprise.name)


@register.simple_tag(takes_context=True)
def hazard_step(context: Any, hazard: Any, party: str = "") -> NextStepView:
    today = _today(context)
    step = hazard_next_step(status=hazard.status, deadline=hazard.deadline)
    return present(step, today, party)


@register.simple_tag(takes_context=True)
def exception_step(context: Any, row: Any) -> NextStepView:
    today = _today(context)
    step = exception_next_step(status=row.status, day=row.date, timing=row.timing, today=today)
    return present(step, today, row.enterprise.name)
