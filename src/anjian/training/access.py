"""Who sees which training records. Every scoped read of the training app goes through these.

- persons, certificates, training records, exams: those of the enterprises the user sees
  (`registry.access.visible_enterprises`: bureau staff by body, a business section by its
  sectors, an enterprise user only itself);
- training institutions: bureau staff see those supervised by their body or a body below it; an
  institution's own login sees only itself (`InstitutionMembership`); nobody else sees any.

A record outside the scope answers 404, so its existence is not revealed.
"""

from __future__ import annotations

from django.db.models import QuerySet
from django.http import Http404

from anjian.accounts.access import body_scope_ids
from anjian.accounts.models import User
from anjian.accounts.roles import BUREAU_STAFF, Role
from anjian.registry.access import visible_enterprises
from anjian.training.models import (
    Certificate,
    FieldExam,
    InstitutionClass,
    Person,
    TrainingInstitution,
    TrainingRecord,
)


def visible_persons(user: User) -> QuerySet[Person]:
    return Person.objects.filter(enterprise__in=visible_enterprises(user)).select_related(
        "enterprise"
    )


def access_person(user: User, pk: int) -> Person:
    person = visible_persons(user).filter(pk=pk).first()
    if person is None:
        raise Http404("未找到该人员，或您无权查看。")
    return person


def visible_certificates(user: User) -> QuerySet[Certificate]:
    return Certificate.objects.filter(person__in=visible_persons(user)).select_related(
        "person", "person__enterprise"
    )


def visible_records(user: User) -> QuerySet[TrainingRecord]:
    return TrainingRecord.objects.filter(person__in=visible_persons(user)).select_related(
        "person", "person__enterprise", "institution"
    )


def visible_trainee_records(
    user: User, training_class: InstitutionClass
) -> QuerySet[TrainingRecord]:
    """A class's trainees: all of them for the institution that reported them, else only the
    persons of the enterprises the user sees (a business section: its sectors')."""
    records = training_class.trainee_records.select_related("person", "person__enterprise")
    own = institution_of(user)
    if own is not None and own.pk == training_class.institution_id:
        return records
    return records.filter(person__in=visible_persons(user))


def institution_of(user: User) -> TrainingInstitution | None:
    """The institution a training-institution login belongs to, if any."""
    if user.role != Role.TRAINING_INSTITUTION or not user.is_active:
        return None
    membership = getattr(user, "institution_membership", None)
    return None if membership is None else membership.institution


def visible_institutions(user: User) -> QuerySet[TrainingInstitution]:
    institutions = TrainingInstitution.objects.select_related("body")
    if not user.is_active:
        return institutions.none()
    if user.role == Role.TRAINING_INSTITUTION:
        own = institution_of(user)
        return institutions.none() if own is None else institutions.filter(pk=own.pk)
    if user.role not in BUREAU_STAFF:
        return institutions.none()
    return institutions.filter(body_id__in=body_scope_ids(user))


def access_institution(user: User, pk: int) -> TrainingInstitution:
    institution = visible_institutions(user).filter(pk=pk).first()
    if institution is None:
        raise Http404("未找到该培训机构，或您无权查看。")
    return institution


def visible_exams(user: User) -> QuerySet[FieldExam]:
    return FieldExam.objects.filter(enterprise__in=visible_enterprises(user)).select_related(
        "enterprise", "task"
    )


def access_exam(user: User, pk: int) -> FieldExam:
    exam = visible_exams(user).filter(pk=pk).first()
    if exam is None:
        raise Http404("未找到该考试，或您无权查看。")
    return exam
