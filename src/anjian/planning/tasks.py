"""Background tasks of the planning area (django-tasks, database backend; `anjian db_worker`
runs them)."""

from __future__ import annotations

from django_tasks import task

from anjian.planning.runs import plan_run_execute


@task()
def run_planner(run_pk: int) -> None:
    plan_run_execute(run_pk)
