"""Forms of the meeting pages. They parse and show errors; the services decide and save."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from anjian.accounts.models import Section, User
from anjian.oversight.meetings.access import body_staff
from anjian.oversight.models import Meeting
from anjian.ui.forms import bootstrap

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
TEXT = {"rows": 3, "maxlength": 4000}


class _Form(forms.Form):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        bootstrap(self)


class MeetingForm(_Form):
    title = forms.CharField(label=_("会议名称"), max_length=120)
    held_on = forms.DateField(label=_("会议日期"), widget=DATE)
    place = forms.CharField(label=_("地点"), max_length=100, required=False)
    chair = forms.CharField(label=_("主持人"), max_length=30, required=False)
    attendees = forms.CharField(
        label=_("参会人员"), max_length=4000, required=False, widget=forms.Textarea(TEXT)
    )


class MinutesForm(_Form):
    discussion = forms.CharField(
        label=_("研究情况"), max_length=4000, required=False, widget=forms.Textarea(TEXT)
    )
    decision = forms.CharField(
        label=_("议定意见"), max_length=4000, required=False, widget=forms.Textarea(TEXT)
    )


class _UserChoice(forms.ModelChoiceField):  # type: ignore[type-arg]
    def label_from_instance(self, obj: User) -> str:
        return obj.display_name or obj.username


class ActionForm(_Form):
    text = forms.CharField(label=_("议定事项"), max_length=4000, widget=forms.Textarea(TEXT))
    owner = _UserChoice(label=_("责任人"), queryset=User.objects.none())
    section = forms.ModelChoiceField(
        label=_("责任股室"), queryset=Section.objects.none(), required=False
    )
    due_on = forms.DateField(label=_("完成期限"), widget=DATE)

    def __init__(self, *args: Any, meeting: Meeting, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["owner"].queryset = body_staff(meeting)  # type: ignore[attr-defined]
        self.fields["section"].queryset = Section.objects.filter(  # type: ignore[attr-defined]
            body_id=meeting.body_id
        ).order_by("id")


class EscalateForm(_Form):
    note = forms.CharField(label=_("报送说明"), max_length=4000, widget=forms.Textarea({"rows": 2}))


class ReportForm(_Form):
    done_on = forms.DateField(label=_("完成日期"), widget=DATE)
    report = forms.CharField(label=_("落实情况"), max_length=4000, widget=forms.Textarea(TEXT))


class IssueForm(_Form):
    reason = forms.CharField(
        label=_("更正理由"),
        max_length=500,
        required=False,
        help_text=_("再次印发时必填：将以同一文号印发更正版本。"),
    )
