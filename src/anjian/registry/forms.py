from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from anjian.accounts.forms import NewPasswordForm
from anjian.accounts.models import EnforcementBody, Section
from anjian.registry.models import Enterprise, Officer
from anjian.registry.services import ENTERPRISE_FIELDS, OFFICER_FIELDS
from anjian.registry.validation import enterprise_errors, officer_errors
from anjian.ui.forms import bootstrap

# Fields whose choices are the Chinese vocabularies of anjian.domain.registry (see vocab_i18n).
VOCABULARY_FIELDS = (
    "sector",
    "standardization_grade",
    "coal_mine_class",
    "non_coal_risk_class",
    "scale",
    "status",
)


def _translate_choices(form: forms.BaseForm, names: tuple[str, ...]) -> None:
    """Shows vocabulary choices in the user's language; the submitted values stay the keys."""
    for name in names:
        field = form.fields.get(name)
        if isinstance(field, forms.ChoiceField):
            field.choices = [
                (key, text if key in ("", None) else _(str(text))) for key, text in field.choices
            ]


class EnterpriseForm(forms.ModelForm):  # type: ignore[type-arg]
    class Meta:
        model = Enterprise
        fields = ENTERPRISE_FIELDS

    def __init__(self, *args: Any, bodies: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if bodies is not None:
            self.fields["supervising_body"].queryset = bodies
        _translate_choices(self, VOCABULARY_FIELDS)
        bootstrap(self)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        exclude = self.instance.pk if self.instance and self.instance.pk else None
        for error in enterprise_errors(data, exclude_pk=exclude):
            field = error.field if error.field in self.fields else None
            if field is None or field not in self.errors:
                self.add_error(field, error.message)
        return data

    def _post_clean(self) -> None:  # the service builds and validates the instance
        pass


class OfficerForm(forms.ModelForm):  # type: ignore[type-arg]
    class Meta:
        model = Officer
        fields = [f for f in OFFICER_FIELDS if f != "user"]
        widgets = {
            "certificate_valid_until": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
        }

    def __init__(self, *args: Any, bodies: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if bodies is not None:
            self.fields["body"].queryset = bodies
            self.fields["section"].queryset = Section.objects.filter(body__in=bodies)
        bootstrap(self)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        exclude = self.instance.pk if self.instance and self.instance.pk else None
        for error in officer_errors(data, exclude_pk=exclude):
            field = error.field if error.field in self.fields else None
            if field is None or field not in self.errors:
                self.add_error(field, error.message)
        return data

    def _post_clean(self) -> None:
        pass


class DeleteForm(forms.Form):
    reason = forms.CharField(
        label=_("删除原因"), max_length=200, widget=forms.TextInput(attrs={"class": "form-control"})
    )


class ImportForm(forms.Form):
    file = forms.FileField(
        label=_("Excel文件（.xlsx）"),
        widget=forms.ClearableFileInput(attrs={"class": "form-control", "accept": ".xlsx"}),
    )

    def clean_file(self) -> Any:
        upload = self.cleaned_data["file"]
        if not upload.name.lower().endswith(".xlsx"):
            raise forms.ValidationError(_("请上传.xlsx格式的Excel文件（可先下载模板）。"))
        if upload.size > 10 * 1024 * 1024:
            raise forms.ValidationError(_("文件超过10MB，请拆分后导入。"))
        return upload


__all__ = ["DeleteForm", "EnforcementBody", "EnterpriseForm", "ImportForm", "OfficerForm"]


class EnterpriseAccountForm(NewPasswordForm):
    username = forms.CharField(label=_("用户名"), max_length=150)
    display_name = forms.CharField(label=_("联系人姓名"), max_length=50)
    field_order = ["username", "display_name", "password1", "password2"]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.order_fields(self.field_order)
        bootstrap(self)
