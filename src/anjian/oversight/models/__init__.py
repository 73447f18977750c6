"""Oversight from outside: the contact-point enterprises (基层联系点) and what they report, the
register of complaints and problem clues (举报事项、问题线索), the leadership group's
consultation meetings (会商研判) and their action items, and the penalty decisions published to
the public (行政执法公示).

Like steering, this app reads the other areas through their selectors and writes nothing of
theirs; it keeps links (foreign keys) to their records."""

from anjian.oversight.models.contact_points import (
    ContactPoint,
    ContactPointList,
    FollowUp,
    PointAttachment,
    PointReport,
    PointSurvey,
    PointWarning,
    Requirement,
)
from anjian.oversight.models.matters import Matter
from anjian.oversight.models.meetings import ActionItem, AgendaItem, Meeting
from anjian.oversight.models.publications import Publication

__all__ = [
    "ActionItem",
    "AgendaItem",
    "ContactPoint",
    "ContactPointList",
    "FollowUp",
    "Matter",
    "Meeting",
    "PointAttachment",
    "PointReport",
    "PointSurvey",
    "PointWarning",
    "Publication",
    "Requirement",
]
