"""Forms of the penalty-case pages. They only parse; the rules are in the services."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

from django import forms
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from anjian.domain.discretion.engine import PARTY_KINDS
from anjian.domain.discretion.lists import AGGRAVATING, HARMS, MITIGATING
from anjian.domain.discretion.statute import ACCIDENT_GRADES, Provision
from anjian.enforcement.models import CaseEvidence
from anjian.enforcement.services.discretion import known_provisions
from anjian.inspections.models import Hazard
from anjian.registry.models import Officer
from anjian.ui.forms import CertifiedOfficersField, bootstrap

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


def _styled(form: forms.BaseForm) -> None:
    """Bootstrap classes, with check boxes (not text boxes) for the multiple choices."""
    for field in form.fields.values():
        if isinstance(field.widget, forms.CheckboxSelectMultiple):
            field.widget.attrs.setdefault("class", "form-check-input")
    bootstrap(form)


def provision_key(law: str, article: str, item: str | None) -> str:
    return f"{law}|{article}|{item or ''}"


def split_provision(key: str) -> tuple[str, str, str | None]:
    law, article, item = [*key.split("|"), "", "", ""][:3]
    return law, article, item or None


def _number(text: str | None) -> tuple[int, str]:
    return (int(text), "") if text and text.isdigit() else (0, text or "")


def provision_choices() -> list[tuple[str, list[tuple[str, str]]]]:
    """The statute table (and the provisions imported benchmarks bring) as a grouped select: one
    group per law, by article and item."""
    groups: dict[str, list[Provision]] = {}
    for provision in known_provisions():
        groups.setdefault(provision.law, []).append(provision)
    return [
        (
            law,
            [
                (
                    provision_key(p.law, p.article, p.item),
                    f"{p.label}：{p.violation[:60]}",
                )
                for p in sorted(found, key=lambda p: (_number(p.article), _number(p.item)))
            ],
        )
        for law, found in groups.items()
    ]


class _Hazards(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj: Hazard) -> str:  # type: ignore[override]
        deadline = f"，整改期限 {obj.deadline:%Y-%m-%d}" if obj.deadline else ""
        return f"{obj.description}（{obj.get_status_display()}{deadline}）"


class CaseOpenForm(forms.Form):
    """立案: the findings, the provision violated, the officers and the facts."""

    hazards = _Hazards(
        label=_("立案的问题"),
        queryset=Hazard.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
    provision = forms.ChoiceField(
        label=_("违反的条款（法定处罚依据）"),
        help_text=_("按法定处罚幅度表选择：法律法规、条、项"),
    )
    title = forms.CharField(
        label=_("案由"), max_length=200, required=False, help_text=_("留空则按条款自动生成")
    )
    facts_text = forms.CharField(
        label=_("违法事实"), widget=forms.Textarea(attrs={"rows": 4}), required=False
    )
    party_kind = forms.ChoiceField(label=_("当事人类别"), choices=list(PARTY_KINDS.items()))
    responsible_person = forms.CharField(label=_("直接责任人员"), max_length=60, required=False)
    complex_case = forms.BooleanField(label=_("案情疑难复杂"), required=False)
    first_offense = forms.BooleanField(label=_("初次违法"), required=False)
    corrected_in_time = forms.BooleanField(label=_("已在限期内改正"), required=False)
    officers = CertifiedOfficersField(
        label=_("承办人员"),
        queryset=Officer.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        required=False,
        help_text=_("至少 2 名持有效执法证的执法人员"),
    )
    filed_on = forms.DateField(label=_("立案日期"), widget=DATE)

    def __init__(
        self, *args: Any, hazards: QuerySet[Hazard], officers: QuerySet[Officer], **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        self.fields["hazards"].queryset = hazards  # type: ignore[attr-defined]
        self.fields["officers"].queryset = officers  # type: ignore[attr-defined]
        self.fields["provision"].choices = [("", "——请选择——"), *provision_choices()]  # type: ignore[attr-defined]
        _styled(self)


def _optional_number(label: str, help_text: str = "") -> forms.FloatField:
    return forms.FloatField(label=label, required=False, min_value=0, help_text=help_text)


class ProposalForm(forms.Form):
    """拟处罚意见: the facts the engine reads, the fines, the other penalties, and a reason when
    the fine leaves the benchmark tier."""

    overdue = forms.BooleanField(label=_("逾期未改正或拒不改正"), required=False)
    first_offense = forms.BooleanField(label=_("初次违法"), required=False)
    harm = forms.ChoiceField(label=_("危害后果"), choices=list(HARMS.items()))
    corrected_in_time = forms.BooleanField(label=_("已在限期内改正"), required=False)
    deaths_last_3_years = forms.IntegerField(
        label=_("近三年死亡事故起数"), required=False, min_value=0
    )
    severely_dishonest = forms.BooleanField(label=_("列入严重失信主体名单"), required=False)
    count = _optional_number(_("处数（人次、台套、项数）"))
    persons = _optional_number(_("涉及人数"))
    share = forms.FloatField(
        label=_("涉及人数占从业人员比例（%）"), required=False, min_value=0, max_value=100
    )
    employees = _optional_number(_("从业人员数"))
    investment = _optional_number(_("项目投资额（元）"))
    illegal_gains = _optional_number(_("违法所得（元）"))
    accident_grade = forms.ChoiceField(
        label=_("事故等级"), required=False, choices=[("", "——"), *ACCIDENT_GRADES.items()]
    )
    tier = forms.ChoiceField(label=_("裁量阶次"), required=False, choices=[("", "按事实确定")])
    mitigating = forms.MultipleChoiceField(
        label=_("从轻、减轻情节"),
        required=False,
        choices=list(MITIGATING.items()),
        widget=forms.CheckboxSelectMultiple,
    )
    aggravating = forms.MultipleChoiceField(
        label=_("从重情节"),
        required=False,
        choices=list(AGGRAVATING.items()),
        widget=forms.CheckboxSelectMultiple,
    )
    complex_case = forms.BooleanField(label=_("案情疑难复杂"), required=False)
    unit_fine = forms.IntegerField(label=_("拟对单位罚款（元）"), required=False, min_value=0)
    measures = forms.MultipleChoiceField(
        label=_("其他处罚和措施"), required=False, widget=forms.CheckboxSelectMultiple
    )
    no_penalty = forms.BooleanField(label=_("拟不予处罚"), required=False)
    deviation_reason = forms.CharField(
        label=_("偏离裁量阶次的理由"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("拟罚款超出基准阶次幅度时必填，并须经法制审核"),
    )

    FACT_FIELDS = ("count", "persons", "employees", "investment", "illegal_gains")
    FLAG_FIELDS = ("overdue", "first_offense", "corrected_in_time", "severely_dishonest")

    PERSON_ROWS = 3

    def __init__(
        self, *args: Any, measures: Iterable[str], tiers: Sequence[tuple[str, str]], **kw: Any
    ) -> None:
        super().__init__(*args, **kw)
        for n in range(1, self.PERSON_ROWS + 1):
            self.fields[f"person_{n}_name"] = forms.CharField(
                label=_("姓名"), required=False, max_length=60
            )
            self.fields[f"person_{n}_post"] = forms.CharField(
                label=_("职务"), required=False, max_length=60
            )
            self.fields[f"person_{n}_id"] = forms.CharField(
                label=_("身份证号（可不填，保存时脱敏）"), required=False, max_length=18
            )
            self.fields[f"person_{n}_fine"] = forms.IntegerField(
                label=_("拟罚款（元）"), required=False, min_value=0
            )
        self.fields["measures"].choices = [(m, m) for m in dict.fromkeys(measures)]  # type: ignore[attr-defined]
        self.fields["tier"].choices = [("", "按事实确定"), *tiers]  # type: ignore[attr-defined]
        _styled(self)

    VALUE_FIELDS = (
        "harm",
        "deaths_last_3_years",
        *FACT_FIELDS[:2],
        "share",
        *FACT_FIELDS[2:],
        "accident_grade",
        "tier",
    )

    def person_rows(self) -> list[list[forms.BoundField]]:
        """The rows of directly responsible persons: name, post, ID number, fine."""
        return [
            [self[f"person_{n}_{part}"] for part in ("name", "post", "id", "fine")]
            for n in range(1, self.PERSON_ROWS + 1)
        ]

    def fined_persons(self) -> list[dict[str, Any]]:
        """The filled rows as (name, post, fine, id_number) dictionaries."""
        data = self.cleaned_data
        found = []
        for n in range(1, self.PERSON_ROWS + 1):
            row = {part: data.get(f"person_{n}_{part}") for part in ("name", "post", "id", "fine")}
            if any(value not in (None, "") for value in row.values()):
                found.append(row)
        return found

    @staticmethod
    def person_initial(persons: Sequence[dict[str, Any]]) -> dict[str, Any]:
        initial: dict[str, Any] = {}
        for n, person in enumerate(persons[: ProposalForm.PERSON_ROWS], start=1):
            initial[f"person_{n}_name"] = person.get("name", "")
            initial[f"person_{n}_post"] = person.get("post", "")
            initial[f"person_{n}_fine"] = person.get("fine")
        return initial

    def flag_fields(self) -> list[forms.BoundField]:
        return [self[name] for name in (*self.FLAG_FIELDS, "complex_case")]

    def value_fields(self) -> list[forms.BoundField]:
        return [self[name] for name in self.VALUE_FIELDS]

    @classmethod
    def initial_from(cls, facts: dict[str, Any]) -> dict[str, Any]:
        """Form values from the engine's facts (the share as a percentage)."""
        initial = {k: v for k, v in facts.items() if k != "share"}
        if facts.get("share") is not None:
            initial["share"] = round(float(facts["share"]) * 100, 2)
        return initial

    def facts(self) -> dict[str, Any]:
        """The engine's facts (`parse_penalty_input`'s `facts`) from the cleaned form."""
        data = self.cleaned_data
        facts: dict[str, Any] = {name: bool(data.get(name)) for name in self.FLAG_FIELDS}
        facts["harm"] = data.get("harm") or "none"
        facts["deaths_last_3_years"] = data.get("deaths_last_3_years") or 0
        for name in self.FACT_FIELDS:
            if data.get(name) is not None:
                value = float(data[name])
                facts[name] = int(value) if value.is_integer() else value
        if data.get("share") is not None:
            facts["share"] = data["share"] / 100
        for name in ("accident_grade", "tier"):
            if data.get(name):
                facts[name] = data[name]
        facts["mitigating"] = list(data.get("mitigating") or [])
        facts["aggravating"] = list(data.get("aggravating") or [])
        return facts


class ReviewForm(forms.Form):
    opinion = forms.CharField(
        label=_("审核意见"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("退回修改、或同意偏离阶次的处罚意见时必填"),
    )


class NoteForm(forms.Form):
    note = forms.CharField(
        label=_("说明"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )


class CollectiveForm(forms.Form):
    note = forms.CharField(
        label=_("集体讨论记录"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("参加人员、讨论意见和结论"),
    )


class DefenceForm(forms.Form):
    statement = forms.CharField(
        label=_("陈述申辩意见"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    waived = forms.BooleanField(label=_("当事人明确放弃陈述申辩（和听证）"), required=False)
    waive_hearing = forms.BooleanField(label=_("当事人明确放弃听证"), required=False)


class HearingRequestForm(forms.Form):
    requested_on = forms.DateField(label=_("申请听证日期"), widget=DATE)


class HearingForm(forms.Form):
    held_on = forms.DateField(label=_("听证日期"), widget=DATE)
    record = forms.CharField(
        label=_("听证笔录摘要"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )


class DeliverForm(forms.Form):
    delivered_on = forms.DateField(label=_("送达日期"), widget=DATE)
    note = forms.CharField(label=_("送达方式"), required=False, max_length=200)


class PayForm(forms.Form):
    fine = forms.IntegerField(label=_("缴款人"), required=False, widget=forms.Select)
    paid_on = forms.DateField(label=_("缴款日期"), widget=DATE)
    amount = forms.IntegerField(
        label=_("实缴金额（元）"),
        required=False,
        min_value=0,
        help_text=_("含加处罚款；留空按应缴金额记录"),
    )


class GroundForm(forms.Form):
    fine = forms.IntegerField(label=_("罚款"), widget=forms.Select)
    ground = forms.ChoiceField(
        label=_("依据"),
        choices=[("waiver", _("减免加处罚款决定")), ("court", _("申请人民法院强制执行"))],
    )
    on = forms.DateField(label=_("日期"), widget=DATE)
    document = forms.CharField(label=_("文书名称及文号"), max_length=120, required=False)
    note = forms.CharField(label=_("说明"), required=False, max_length=300)


class AdoptForm(forms.Form):
    title = forms.CharField(label=_("正式名称"), max_length=200, required=False)
    document = forms.CharField(label=_("正式文号"), max_length=120, required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _styled(self)


class DropForm(forms.Form):
    reason = forms.CharField(
        label=_("撤案理由"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )


class EvidenceForm(forms.Form):
    kind = forms.ChoiceField(label=_("类别"), choices=CaseEvidence.Kind.choices)
    description = forms.CharField(label=_("说明"), max_length=300, required=False)
    file = forms.FileField(label=_("文件"), required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _styled(self)


STEP_FORMS: dict[str, type[forms.Form]] = {
    "approve_review": ReviewForm,
    "reject_review": ReviewForm,
    "record_collective": CollectiveForm,
    "record_defence": DefenceForm,
    "request_hearing": HearingRequestForm,
    "hold_hearing": HearingForm,
    "deliver": DeliverForm,
    "pay": PayForm,
    "record_ground": GroundForm,
    "drop": DropForm,
    "submit_review": NoteForm,
    "notify": NoteForm,
    "decide": NoteForm,
    "close": NoteForm,
}
"""The form of each step other than the proposal (NoteForm: a step with no input of its own)."""


def step_prefix(event: str) -> str:
    """The two review verdicts share one form (one opinion, two buttons)."""
    return "review" if event in ("approve_review", "reject_review") else event


def step_form(event: str, data: Any = None, **kwargs: Any) -> forms.Form:
    form = STEP_FORMS[event](data, prefix=step_prefix(event), **kwargs)
    _styled(form)
    return form
