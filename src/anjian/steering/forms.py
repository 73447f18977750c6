"""The weekly report's narrative form and the office's return form."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from anjian.steering.services.weekly import Narrative
from anjian.ui.forms import bootstrap

_TEXT = {"rows": 3, "maxlength": 4000}


class NarrativeForm(forms.Form):
    """The fields 六（一） names (进展情况、相关数据、经验做法、亮点信息、典型案例), with
    problems and next week's plan."""

    progress = forms.CharField(
        label=_("进展情况"), required=False, max_length=4000, widget=forms.Textarea(_TEXT)
    )
    data_note = forms.CharField(
        label=_("相关数据（补充说明）"),
        required=False,
        max_length=4000,
        widget=forms.Textarea(_TEXT),
    )
    practices = forms.CharField(
        label=_("经验做法"), required=False, max_length=4000, widget=forms.Textarea(_TEXT)
    )
    highlights = forms.CharField(
        label=_("亮点信息"), required=False, max_length=4000, widget=forms.Textarea(_TEXT)
    )
    cases = forms.CharField(
        label=_("典型案例"), required=False, max_length=4000, widget=forms.Textarea(_TEXT)
    )
    problems = forms.CharField(
        label=_("存在问题"), required=False, max_length=4000, widget=forms.Textarea(_TEXT)
    )
    next_plan = forms.CharField(
        label=_("下周计划"), required=False, max_length=4000, widget=forms.Textarea(_TEXT)
    )

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        bootstrap(self)

    def narrative(self) -> Narrative:
        return Narrative(**{name: self.cleaned_data.get(name, "") for name in self.fields})


class ReturnForm(forms.Form):
    comment = forms.CharField(
        label=_("退回意见"), max_length=1000, widget=forms.Textarea({"rows": 2})
    )

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        bootstrap(self)
