"""The training app's models, one module per area: the question bank, the enterprises' key
personnel and workers with their certificates and training records, the training institutions
under supervision, and the on-site exams (逢查必考) with their answers."""

from anjian.training.models.exams import (
    AttemptEnd,
    CalibrationRun,
    ExamAnswer,
    ExamAttempt,
    ExamMode,
    ExamStatus,
    FieldExam,
)
from anjian.training.models.institutions import (
    InstitutionClass,
    InstitutionMembership,
    SpotCheck,
    SpotCheckOutcome,
    Suspension,
    Teacher,
    TrainingInstitution,
)
from anjian.training.models.personnel import (
    Certificate,
    CertificateKind,
    Person,
    PersonRole,
    TrainingDelivery,
    TrainingKind,
    TrainingRecord,
)
from anjian.training.models.questions import (
    PRIOR_A,
    PRIOR_B,
    Question,
    QuestionOrigin,
    QuestionStatus,
)

__all__ = [
    "PRIOR_A",
    "PRIOR_B",
    "AttemptEnd",
    "CalibrationRun",
    "Certificate",
    "CertificateKind",
    "ExamAnswer",
    "ExamAttempt",
    "ExamMode",
    "ExamStatus",
    "FieldExam",
    "InstitutionClass",
    "InstitutionMembership",
    "Person",
    "PersonRole",
    "Question",
    "QuestionOrigin",
    "QuestionStatus",
    "SpotCheck",
    "SpotCheckOutcome",
    "Suspension",
    "Teacher",
    "TrainingDelivery",
    "TrainingInstitution",
    "TrainingKind",
    "TrainingRecord",
]
