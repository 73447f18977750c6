"""Template tags the inspection pages use to show training records without importing the
training app in Python: `{% task_exams task %}` renders the task's on-site exams panel."""

from __future__ import annotations

from typing import Any

from django import template
from django.utils import timezone

from anjian.accounts.models import User
from anjian.inspections.access import is_task_officer
from anjian.inspections.models import InspectionTask
from anjian.training.access import visible_exams
from anjian.training.services.exams import exam_summaries, task_accepts_exams

register = template.Library()


@register.inclusion_tag("training/_task_exams.html", takes_context=True)
def task_exams(context: template.Context, task: InspectionTask) -> dict[str, Any]:
    """The task's exams (persons tested, finished, passed, pass rate) and, for the task's
    officers during the inspection, the button that opens one."""
    user = context.get("user")
    if not isinstance(user, User) or not user.can("training.view"):
        return {"show": False}
    summaries = exam_summaries(visible_exams(user).filter(task=task), timezone.now())
    can_open = user.can("exam.open") and task_accepts_exams(task) and is_task_officer(user, task)
    return {"show": True, "task": task, "summaries": summaries, "can_open": can_open}
