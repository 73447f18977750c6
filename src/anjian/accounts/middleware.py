"""Per-user interface language, and the forced password change once a password is too old."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta

from django.conf import settings
from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import timezone, translation


class UserLanguageMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        # Chinese unless the user chose otherwise: the browser's Accept-Language is not asked,
        # since bureau PCs often run English-language browsers.
        user = request.user
        language = getattr(user, "language", None) if user.is_authenticated else None
        language = language or settings.LANGUAGE_CODE
        translation.activate(language)
        request.LANGUAGE_CODE = language
        response = self.get_response(request)
        response.headers.setdefault("Content-Language", language)
        return response


def password_expired(user: object) -> bool:
    if getattr(user, "must_change_password", False):
        return True
    max_age = settings.PASSWORD_MAX_AGE_DAYS
    changed = getattr(user, "password_changed_at", None)
    if not max_age or changed is None:
        return False
    return timezone.now() - changed > timedelta(days=max_age)


class PasswordExpiryMiddleware:
    """Sends a user who must change the password to the change form, on every request but the
    change page, logout and static files: one whose password is older than
    PASSWORD_MAX_AGE_DAYS, or flagged `must_change_password` (an account someone else created or
    whose password an administrator reset)."""

    EXEMPT_NAMES = ("accounts:password_change", "accounts:logout")

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = request.user
        if user.is_authenticated and password_expired(user):
            exempt = [reverse(name) for name in self.EXEMPT_NAMES]
            if request.path not in exempt and not request.path.startswith(settings.STATIC_URL):
                messages.warning(
                    request, "首次登录、密码已被管理员重置或已过期：请先修改密码，再使用其他功能。"
                )
                return redirect("accounts:password_change")
        return self.get_response(request)
