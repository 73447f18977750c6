from __future__ import annotations

from axes.models import AccessAttempt, AccessFailureLog, AccessLog
from django.contrib import messages
from django.contrib.auth import update_session_auth_hash
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import translation
from django.views.decorators.http import require_POST

from anjian.accounts.access import require
from anjian.accounts.forms import ChangePasswordForm, LanguageForm, LoginForm
from anjian.accounts.services import user_change_password, user_set_language
from anjian.ui.pages import query_text, safe_page


class LoginView(auth_views.LoginView):
    template_name = "accounts/login.html"
    authentication_form = LoginForm
    redirect_authenticated_user = True


class LogoutView(auth_views.LogoutView):
    pass


@login_required
def password_change(request: HttpRequest) -> HttpResponse:
    form = ChangePasswordForm(request.user, request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            user_change_password(
                actor=request.user,
                user=request.user,
                new_password=form.cleaned_data["new_password1"],
            )
        except ValidationError as exc:
            errors = exc.message_dict if hasattr(exc, "error_dict") else {None: exc.messages}
            for field, messages_ in errors.items():
                form.add_error(field if field in form.fields else None, messages_)
        else:
            update_session_auth_hash(request, request.user)
            messages.success(request, "密码已修改。")
            return redirect("core:home")
    return render(request, "accounts/password_change.html", {"form": form})


@require_POST
@login_required
def set_language(request: HttpRequest) -> HttpResponse:
    form = LanguageForm(request.POST)
    if form.is_valid():
        language = form.cleaned_data["language"]
        user_set_language(actor=request.user, language=language)
        translation.activate(language)
    next_url = request.POST.get("next", "")
    return redirect(
        next_url if next_url.startswith("/") and not next_url.startswith("//") else "core:home"
    )


@require("loginlog.view")
def login_log(request: HttpRequest) -> HttpResponse:
    username = query_text(request.GET, "username")
    logins = AccessLog.objects.order_by("-attempt_time")
    failures = AccessFailureLog.objects.order_by("-attempt_time")
    if username:
        logins = logins.filter(username__icontains=username)
        failures = failures.filter(username__icontains=username)
    context = {
        "username": username,
        "logins": safe_page(Paginator(logins, 30), request.GET.get("page")),
        "failures": failures[:50],
        "locked": AccessAttempt.objects.order_by("-attempt_time")[:50],
    }
    return render(request, "accounts/login_log.html", context)
