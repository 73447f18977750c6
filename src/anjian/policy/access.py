"""Who sees which quiet-period exceptions and entry bookings. Every read of them goes through here.

An exception or a booking names an enterprise, so it is scoped like every other enterprise record:
bureau staff see those of the enterprises they see (`registry.access.visible_enterprises`: a
business section only its sectors' enterprises), and an exception also only within the bodies of
their scope. Everyone else sees none. A record outside the scope answers 404, so its existence is
not revealed.
"""

from __future__ import annotations

from django.db.models import QuerySet
from django.http import Http404

from anjian.accounts.access import body_scope_ids
from anjian.accounts.models import User
from anjian.accounts.roles import Role
from anjian.policy.models import EntryBooking, QuietException
from anjian.registry.access import visible_enterprises
from anjian.registry.models import Enterprise


def may_cancel_booking(user: User, booking: EntryBooking) -> bool:
    """Who may cancel an entry booking: its own body's staff who book entries, and of a
    business section only its own section's bookings (the office and the enforcement team
    cancel the body's). Seeing a booking (another body's entry into an enterprise one sees,
    another section's) is not owning it."""
    if not user.can("entry.book") or booking.body_id != user.body_id:
        return False
    if user.role == Role.BUSINESS_SECTION:
        return user.section_id is not None and booking.section_id == user.section_id
    return True


def visible_quiet_exceptions(user: User) -> QuerySet[QuietException]:
    """Exceptions requested in the user's bodies for the enterprises the user sees."""
    return QuietException.objects.filter(
        body_id__in=body_scope_ids(user), enterprise__in=visible_enterprises(user)
    ).select_related("enterprise", "section", "requested_by", "decided_by", "body")


def access_quiet_exception(user: User, pk: int) -> QuietException:
    found = visible_quiet_exceptions(user).filter(pk=pk).first()
    if found is None:
        raise Http404("未找到该例外申请，或您无权查看")
    return found


def visible_bookings(user: User) -> QuerySet[EntryBooking]:
    """Entry bookings of the enterprises the user sees (any body's entries into them)."""
    return EntryBooking.objects.filter(enterprise__in=visible_enterprises(user)).select_related(
        "enterprise", "body", "section", "ruleset", "quiet_exception"
    )


def sector_narrowed_enterprises(user: User) -> QuerySet[Enterprise] | None:
    """For a business section, whose view is narrowed to its sectors, the enterprises it sees;
    None for everyone else, whose view is the whole of their bodies (their figures are then the
    body's own, including enterprises since deleted from the register)."""
    if user.role == Role.BUSINESS_SECTION:
        return visible_enterprises(user)
    return None
