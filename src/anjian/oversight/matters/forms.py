"""Forms of the register: entering a matter, and the handling steps. They parse input only; the
services decide and write."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from anjian.accounts.access import visible_bodies, visible_sections
from anjian.accounts.models import User
from anjian.oversight.matters.services import STAFF_SOURCES
from anjian.oversight.models import Matter
from anjian.registry.access import visible_enterprises
from anjian.ui.enterprise_picker import EnterprisePickerField
from anjian.ui.forms import bootstrap

DATE_INPUT = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
SATISFACTION = [
    ("", _("未评价")),
    ("satisfied", _("满意")),
    ("basic", _("基本满意")),
    ("unsatisfied", _("不满意")),
]


class MatterForm(forms.Form):
    body = forms.ModelChoiceField(label=_("执法主体"), queryset=None, empty_label=None)
    kind = forms.ChoiceField(label=_("类别"), choices=Matter.Kind.choices)
    source = forms.ChoiceField(
        label=_("来源"), choices=[c for c in Matter.Source.choices if c[0] in STAFF_SOURCES]
    )
    route = forms.ChoiceField(
        label=_("办理途径"),
        choices=Matter.Route.choices,
        help_text=_("反映本局工作人员违纪违规的，由派驻纪检监察组办理，其他股室不可见"),
    )
    section = forms.ModelChoiceField(label=_("责任股室"), queryset=None, required=False)
    enterprise = EnterprisePickerField(label=_("涉及企业"), queryset=None, required=False)
    subject = forms.CharField(label=_("事由"), max_length=120)
    description = forms.CharField(label=_("内容"), widget=forms.Textarea(attrs={"rows": 4}))
    anonymous = forms.BooleanField(label=_("匿名"), required=False)
    complainant = forms.CharField(label=_("反映人"), max_length=60, required=False)
    complainant_contact = forms.CharField(label=_("联系方式"), max_length=60, required=False)
    received_on = forms.DateField(label=_("收到日期"), widget=DATE_INPUT)

    def __init__(self, *args: Any, user: User, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["body"].queryset = visible_bodies(user)  # type: ignore[attr-defined]
        self.fields["section"].queryset = visible_sections(user).select_related(  # type: ignore[attr-defined]
            "body"
        )
        self.fields["enterprise"].queryset = visible_enterprises(user)  # type: ignore[attr-defined]
        bootstrap(self)


class AssignForm(forms.Form):
    owner = forms.ModelChoiceField(label=_("承办人"), queryset=None)

    def __init__(self, *args: Any, candidates: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["owner"].queryset = candidates  # type: ignore[attr-defined]
        self.fields["owner"].label_from_instance = (  # type: ignore[attr-defined]
            lambda user: user.display_name or user.username
        )
        bootstrap(self)


class AnswerForm(forms.Form):
    outcome = forms.CharField(label=_("核查结果"), widget=forms.Textarea(attrs={"rows": 3}))
    reply = forms.CharField(label=_("答复内容"), widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        bootstrap(self)


class CloseForm(forms.Form):
    ground = forms.CharField(
        label=_("不予答复的依据"),
        max_length=200,
        required=False,
        help_text=_("未答复反映人的（如匿名且无联系方式），须记录依据"),
    )
    satisfaction = forms.ChoiceField(label=_("反映人评价"), choices=SATISFACTION, required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        bootstrap(self)
