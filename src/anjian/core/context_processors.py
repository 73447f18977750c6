from __future__ import annotations

from django.http import HttpRequest

from anjian.core.menu import menu_for


def shell(request: HttpRequest) -> dict[str, object]:
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"menu": []}
    return {"menu": menu_for(user, request.path), "current_body": user.body}
