"""一案双查 (issue 7 item 7): how the persons a training institution trained did in the on-site
exams after their training, against everyone else in the user's scope, and which of its certified
trainees failed, with the class that trained them. Built on the sittings and scale of
`services.diagnostics`."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date

from django.utils.translation import gettext as _

from anjian.accounts.models import User
from anjian.training.access import visible_certificates, visible_exams, visible_records
from anjian.training.models import PersonRole, TrainingInstitution, TrainingRecord
from anjian.training.services.diagnostics import (
    Group,
    Period,
    Scale,
    Sitting,
    group_of,
    sittings_of,
)


@dataclass(frozen=True)
class FailedTrainee:
    person_id: int
    name: str
    enterprise_id: int
    enterprise_name: str
    job: str
    day: date
    score: float
    course: str
    class_title: str
    trained_until: date
    basis: str  # the certificate or the passed training that makes the person "certified"


@dataclass(frozen=True)
class InstitutionReport:
    institution: TrainingInstitution
    period: Period
    trained: int  # persons in scope the institution trained
    trainees: Group  # sittings of those persons after their training
    others: Group  # every other sitting in scope
    failed: tuple[FailedTrainee, ...]


def institution_diagnostics(
    *, user: User, institution: TrainingInstitution, period: Period
) -> InstitutionReport:
    """一案双查: how the persons the institution trained did in later exams, against everyone else
    in the user's scope, and its certified trainees who failed, with the class that trained them."""
    sittings = sittings_of(visible_exams(user), period)
    records = visible_records(user).filter(institution=institution).select_related("training_class")
    trained: dict[int, list[TrainingRecord]] = defaultdict(list)
    for record in records.order_by("ended_on", "pk"):
        trained[record.person_id].append(record)
    mine: list[Sitting] = []
    others: list[Sitting] = []
    for sitting in sittings:
        before = [r for r in trained.get(sitting.person_id or 0, []) if r.ended_on <= sitting.day]
        (mine if before else others).append(sitting)
    scale = Scale(sittings)
    mark = period.pass_mark
    return InstitutionReport(
        institution=institution,
        period=period,
        trained=len(trained),
        trainees=group_of("trainees", _("本机构培训的人员"), mine, scale, mark),
        others=group_of("others", _("其他参考人员"), others, scale, mark),
        failed=_failed(user, [s for s in mine if s.score < mark], trained),
    )


def _failed(
    user: User, failed: list[Sitting], trained: dict[int, list[TrainingRecord]]
) -> tuple[FailedTrainee, ...]:
    persons = {s.person_id for s in failed if s.person_id}
    certificates = defaultdict(list)
    for certificate in visible_certificates(user).filter(person_id__in=persons):
        certificates[certificate.person_id].append(certificate)
    rows = []
    for sitting in failed:
        pid = sitting.person_id or 0
        record = [r for r in trained[pid] if r.ended_on <= sitting.day][-1]
        valid = [
            c
            for c in certificates.get(pid, [])
            if c.issued_on <= sitting.day <= c.valid_until
            and (c.revoked_on is None or c.revoked_on > sitting.day)
        ]
        if valid:
            basis = "、".join(f"{c.get_kind_display()} {c.number}" for c in valid)
        elif any(r.passed for r in trained[pid] if r.ended_on <= sitting.day):
            basis = _("培训考核合格")
        else:
            continue
        rows.append(
            FailedTrainee(
                person_id=pid,
                name=record.person.name,
                enterprise_id=sitting.enterprise_id,
                enterprise_name=sitting.enterprise_name,
                job=str(dict(PersonRole.choices).get(sitting.job, sitting.job)),
                day=sitting.day,
                score=sitting.score,
                course=record.course,
                class_title=record.training_class.title if record.training_class else "",
                trained_until=record.ended_on,
                basis=basis,
            )
        )
    return tuple(sorted(rows, key=lambda r: (r.day, r.name)))
