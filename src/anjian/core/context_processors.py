from __future__ import annotations

from django.conf import settings
from django.http import HttpRequest

from anjian.accounts.roles import CAPABILITIES
from anjian.core.menu import menu_for


def shell(request: HttpRequest) -> dict[str, object]:
    lockout = {"lockout_minutes": int(settings.AXES_COOLOFF_TIME.total_seconds() // 60)}
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"menu": [], **lockout}
    # `can.ruleset_edit` in a template: the capabilities this user holds, dots as underscores.
    can = {name.replace(".", "_"): True for name in CAPABILITIES if user.can(name)}
    return {"menu": menu_for(user, request.path), "current_body": user.body, "can": can, **lockout}
