"""The page shell's share of the campaign: the bell's unread count in the header."""

from __future__ import annotations

from functools import cached_property

from django.http import HttpRequest

from anjian.accounts.models import User
from anjian.steering.services.notify import unread_count


class Unread:
    """Counted when a template first reads `count` (one query), never on a page that does not
    show the header."""

    def __init__(self, user: User) -> None:
        self.user = user

    @cached_property
    def count(self) -> int:
        return unread_count(self.user)


def unread_notifications(request: HttpRequest) -> dict[str, object]:
    user = getattr(request, "user", None)
    if not isinstance(user, User) or not user.is_authenticated:
        return {}
    return {"unread_notifications": Unread(user)}
