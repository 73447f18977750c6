"""The question bank: importing questions from Excel (a dry run that lists every problem and
writes nothing, then the commit in one transaction with one audit entry), loading the shipped
starter bank, and the reads the bank's pages need.

An import compares each question with the version of its code in use: a new code becomes version
1; changed content becomes a new version in use and retires the old one (its IRT parameters
start again from the prior, as the item is a different item now); unchanged content is skipped."""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Count, Max, Q, QuerySet
from django.http import Http404

from anjian.accounts.models import User
from anjian.audit.services import audit_record
from anjian.domain.exam.questions import Question as DomainQuestion
from anjian.domain.exam.questions import QuestionsInvalid, questions_from_rows
from anjian.policy_data.questions import shipped_questions
from anjian.training.models import Question, QuestionOrigin, QuestionStatus
from anjian.training.spreadsheets import HEADERS, SheetError, read_question_workbook

ROW = re.compile(r"^第(\d+)行[ ：:]*")
FILTERS = ("sector", "job", "topic", "kind", "status")


@dataclass
class ImportPlan:
    """What a commit would do: the new codes, the changed ones (with the version in use now) and
    the codes whose content is the same as the version in use."""

    new: list[DomainQuestion] = field(default_factory=list)
    changed: list[tuple[DomainQuestion, Question | None]] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)

    @property
    def counts(self) -> dict[str, int]:
        return {
            "new": len(self.new),
            "changed": len(self.changed),
            "unchanged": len(self.unchanged),
        }


@dataclass
class QuestionImportCheck:
    """The result of a dry run: the checked questions and the plan, or every problem."""

    questions: list[DomainQuestion] = field(default_factory=list)
    plan: ImportPlan = field(default_factory=ImportPlan)
    errors: list[SheetError] = field(default_factory=list)
    file_error: str | None = None

    @property
    def ok(self) -> bool:
        return not self.errors and not self.file_error and bool(self.questions)

    def problems(self) -> list[str]:
        if self.file_error:
            return [self.file_error]
        found = [f"第{e.row}行：{e.message}" if e.row else e.message for e in self.errors]
        return found[:20] or ["文件中没有可导入的题目"]


def _message(message: str) -> str:
    """The domain names a missing field by its key; the sheet's user knows the column."""
    for key, label in HEADERS.items():
        message = message.replace(f"{key} 必填", f"{label}必填")
    return ROW.sub("", message)


def _plan(questions: Iterable[DomainQuestion], *, lock: bool = False) -> ImportPlan:
    questions = list(questions)
    rows: QuerySet[Question] = Question.objects.filter(
        code__in=[q.code for q in questions], status=QuestionStatus.ACTIVE
    )
    if lock:
        rows = rows.select_for_update()
    in_use = {row.code: row for row in rows}
    known = set(
        Question.objects.filter(code__in=[q.code for q in questions]).values_list("code", flat=True)
    )
    plan = ImportPlan()
    for question in questions:
        current = in_use.get(question.code)
        if current is not None and current.as_domain() == question:
            plan.unchanged.append(question.code)
        elif current is not None or question.code in known:
            plan.changed.append((question, current))
        else:
            plan.new.append(question)
    return plan


def question_import_check(*, content: bytes) -> QuestionImportCheck:
    """Reads the sheet and checks every row in the domain; writes nothing."""
    read = read_question_workbook(content)
    if read.file_error:
        return QuestionImportCheck(file_error=read.file_error)
    check = QuestionImportCheck(errors=list(read.errors))
    try:
        check.questions = questions_from_rows(read.rows)
    except QuestionsInvalid as invalid:
        for error in invalid.errors:
            found = ROW.match(error.field)
            row = int(found.group(1)) if found else None
            check.errors.append(SheetError(row, "", _message(error.message)))
    check.errors.sort(key=lambda e: e.row or 0)
    if check.errors:
        check.questions = []
    else:
        check.plan = _plan(check.questions)
    return check


def _require(actor: User | None) -> None:
    if actor is not None and not actor.can("question.edit"):
        raise PermissionDenied("您无权维护题库")


def _row(question: DomainQuestion, *, version: int, actor: User | None, origin: str) -> Question:
    return Question(
        code=question.code,
        version=version,
        sector=question.sector,
        job=question.job,
        topic=question.topic,
        kind=question.kind,
        stem=question.stem,
        options=list(question.options),
        answer=question.answer,
        explanation=question.explanation,
        source=question.source,
        status=QuestionStatus.ACTIVE,
        origin=origin,
        created_by=actor,
    )


def _latest_versions(codes: Iterable[str]) -> dict[str, int]:
    found = Question.objects.filter(code__in=list(codes)).values("code").annotate(v=Max("version"))
    return {row["code"]: row["v"] for row in found}


def question_import(*, actor: User | None, content: bytes) -> ImportPlan:
    """Check again (the file was parked between the dry run and the commit) and write: new codes
    as version 1, changed ones as a new version in use with the old one retired."""
    _require(actor)
    check = question_import_check(content=content)
    if not check.ok:
        raise ValidationError(check.problems())
    with transaction.atomic():
        plan = _plan(check.questions, lock=True)
        retired = [old.pk for _new, old in plan.changed if old is not None]
        Question.objects.filter(pk__in=retired).update(status=QuestionStatus.RETIRED)
        latest = _latest_versions(q.code for q, _old in plan.changed)
        rows = [_row(q, version=1, actor=actor, origin=QuestionOrigin.IMPORTED) for q in plan.new]
        rows += [
            _row(q, version=latest[q.code] + 1, actor=actor, origin=QuestionOrigin.IMPORTED)
            for q, _old in plan.changed
        ]
        Question.objects.bulk_create(rows)
        audit_record(
            actor=actor,
            action="question.import",
            changes={
                **plan.counts,
                "new_codes": [q.code for q in plan.new],
                "changed": {q.code: latest[q.code] + 1 for q, _old in plan.changed},
                "retired_ids": retired,
            },
        )
    return plan


def load_starter() -> int:
    """Load every shipped starter question whose code is not in the bank yet (as version 1 in
    use, with the prior IRT parameters); returns how many. Safe to run again."""
    known = set(Question.objects.values_list("code", flat=True))
    missing = [q for q in shipped_questions() if q.code not in known]
    if not missing:
        return 0
    with transaction.atomic():
        Question.objects.bulk_create(
            [_row(q, version=1, actor=None, origin=QuestionOrigin.STARTER) for q in missing]
        )
        audit_record(actor=None, action="question.load_starter", changes={"count": len(missing)})
    return len(missing)


# reads for the bank's pages


def question_search(filters: Mapping[str, Any]) -> QuerySet[Question]:
    """Questions matching the list's filters (vocabulary values, status and a text `q` over code
    and stem); an empty value does not filter."""
    found = Question.objects.all()
    for key in FILTERS:
        if filters.get(key):
            found = found.filter(**{key: filters[key]})
    text = filters.get("q")
    if text:
        found = found.filter(Q(code__icontains=text) | Q(stem__icontains=text))
    return found.order_by("code", "-version")


def question_topic_counts(questions: QuerySet[Question]) -> dict[str, int]:
    rows = questions.order_by().values("topic").annotate(n=Count("pk"))
    return {row["topic"]: row["n"] for row in rows}


def question_get(pk: int) -> Question:
    found = Question.objects.filter(pk=pk).select_related("created_by").first()
    if found is None:
        raise Http404("没有该试题")
    return found


def question_versions(code: str) -> list[Question]:
    return list(Question.objects.filter(code=code).select_related("created_by"))
