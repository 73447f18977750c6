"""Inspection records: tasks with their entry codes, check-in and check-out, the record per item,
findings (hazards) with evidence, rectification orders, reports and reviews, document numbers,
the enterprise's ratings and complaints — one module per part, all importable from here."""

from anjian.inspections.models.feedback import Complaint, InspectionRating
from anjian.inspections.models.findings import (
    Evidence,
    Hazard,
    ItemResult,
    RectificationOrder,
    RectificationReport,
    RectificationReview,
    ReviewLine,
    evidence_path,
)
from anjian.inspections.models.tasks import (
    ApprovalDelegation,
    InspectionDocument,
    InspectionTask,
)

__all__ = [
    "ApprovalDelegation",
    "Complaint",
    "Evidence",
    "Hazard",
    "InspectionDocument",
    "InspectionRating",
    "InspectionTask",
    "ItemResult",
    "RectificationOrder",
    "RectificationReport",
    "RectificationReview",
    "ReviewLine",
    "evidence_path",
]
