"""The body's document settings page (文书设置): what every document the body issues prints — the
number prefix (机关代字), phone, address and the account penalties are paid into. The office and
the head of the body edit it; the change goes through `body_settings_update` (audited)."""

from __future__ import annotations

import re
from typing import Any

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext_lazy as _

from anjian.accounts.access import require
from anjian.accounts.models import EnforcementBody, User
from anjian.accounts.services import BODY_SETTINGS_FIELDS, body_settings_update
from anjian.ui.forms import bootstrap

PREFIX = re.compile(r"^[\u4e00-\u9fff]{1,20}$")
PHONE = re.compile(r"^[0-9\-－ ()（）]{5,40}$")
ACCOUNT = re.compile(r"^[0-9 \-]{6,40}$")


class BodySettingsForm(forms.ModelForm):  # type: ignore[type-arg]
    class Meta:
        model = EnforcementBody
        fields = BODY_SETTINGS_FIELDS

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        bootstrap(self)

    def clean_number_prefix(self) -> str:
        value = str(self.cleaned_data.get("number_prefix") or "").strip()
        if value and not PREFIX.match(value):
            raise ValidationError(_("文书编号前缀只能是汉字（如“文应急”），不含数字、括号或“号”字"))
        return value

    def clean_phone(self) -> str:
        value = str(self.cleaned_data.get("phone") or "").strip()
        if value and not PHONE.match(value):
            raise ValidationError(_("联系电话只能包含数字、短横线、空格和括号"))
        return value

    def clean_payment_account_no(self) -> str:
        value = str(self.cleaned_data.get("payment_account_no") or "").strip()
        if value and not ACCOUNT.match(value):
            raise ValidationError(_("缴款账号只能包含数字、空格和短横线"))
        return value


@require("body.settings")
def body_settings(request: HttpRequest) -> HttpResponse:
    """The user's own body's settings (the office and the head edit their own body only)."""
    user: User = request.user  # type: ignore[assignment]
    if user.body_id is None:
        raise PermissionDenied("您的账号未归属执法主体。")
    body = EnforcementBody.objects.get(pk=user.body_id)
    form = BodySettingsForm(request.POST or None, instance=body)
    if request.method == "POST" and form.is_valid():
        values = {name: form.cleaned_data[name] for name in BODY_SETTINGS_FIELDS}
        try:
            body_settings_update(actor=user, body=body, values=values)
        except ValidationError as error:
            for field, errors in error.message_dict.items():
                for message in errors:
                    form.add_error(field if field in form.fields else None, message)
        else:
            messages.success(request, "文书设置已保存")
            return redirect("accounts:body_settings")
    example = f"{form.instance.document_prefix}检记〔2026〕12号" if form.is_bound is False else ""
    context = {"form": form, "body": body, "example": example}
    return render(request, "accounts/body_settings.html", context)
