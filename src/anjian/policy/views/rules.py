"""Rule-set pages: every version with its dates, one version's tables in words, and the legal
office's form for a new version."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from anjian.accounts.access import require
from anjian.domain.registry import HIGH_RISK_BASIS, HIGH_RISK_SECTORS, SECTORS
from anjian.domain.rules.quiet import describe_ranges
from anjian.domain.rules.ruleset import CAP_TABLES, GRADE_LABELS
from anjian.domain.rules.vocab import ACTIVITIES, COUNT_TARGETS, LEVEL_RULES, MODES, REASON_CODES
from anjian.policy.forms import RuleSetForm
from anjian.policy.models import RuleSet
from anjian.policy.selectors import NoRuleSetInForce, ruleset_in_force
from anjian.policy.services.rulesets import ruleset_create, ruleset_withdraw
from anjian.policy.views.common import flash_errors, form_errors, today


def _get(pk: int) -> RuleSet:
    found = RuleSet.objects.filter(pk=pk).select_related("created_by").first()
    if found is None:
        raise Http404("未找到该规则集版本")
    return found


@require("policy.view")
def ruleset_list(request: HttpRequest) -> HttpResponse:
    try:
        current = ruleset_in_force(today()).pk
    except NoRuleSetInForce:
        current = None
    versions = RuleSet.objects.select_related("created_by").order_by("-effective_from")
    return render(
        request,
        "policy/ruleset_list.html",
        {"versions": versions, "current": current, "today": today()},
    )


def _tables(ruleset: RuleSet) -> dict[str, object]:
    rules = ruleset.rules()
    caps = [
        (label, [(GRADE_LABELS.get(k, f"{k}类"), rules.caps[table][k]) for k in keys])
        for table, (label, keys) in CAP_TABLES.items()
    ]
    activities = [
        {
            "label": ACTIVITIES[name],
            "counts": COUNT_TARGETS[rule.counts],
            "quiet": rule.allowed_in_quiet,
            "level": LEVEL_RULES[rule.level],
            "ground": rule.needs_ground,
            "officers": rule.min_officers,
            "note": rule.note,
        }
        for name, rule in rules.activities.items()
    ]
    bases = [(REASON_CODES[code], code, text) for code, text in rules.bases.items()]
    modes = [MODES[m] for m in sorted(rules.counting_modes)]
    return {
        "rules": rules,
        "caps": caps,
        "activities": activities,
        "bases": bases,
        "modes": modes,
        "quiet_default": describe_ranges(rules.quiet_default_days),
        "high_risk_names": "、".join(SECTORS[s] for s in SECTORS if s in HIGH_RISK_SECTORS),
        "high_risk_basis": HIGH_RISK_BASIS,
    }


@require("policy.view")
def ruleset_detail(request: HttpRequest, pk: int) -> HttpResponse:
    ruleset = _get(pk)
    context = {"ruleset": ruleset, "today": today(), **_tables(ruleset)}
    return render(request, "policy/ruleset_detail.html", context)


@require("ruleset.edit")
def ruleset_new(request: HttpRequest) -> HttpResponse:
    base_pk = request.GET.get("from", "")
    try:
        base = _get(int(base_pk)) if base_pk.isdigit() else ruleset_in_force(today())
    except NoRuleSetInForce:
        base = RuleSet.objects.order_by("-effective_from").first()
    if base is None:
        raise Http404("还没有任何规则集")
    form = RuleSetForm(request.POST or None, base=base.data)
    if request.method == "POST" and form.is_valid():
        try:
            row = ruleset_create(
                actor=request.user,
                data=form.to_data(),
                effective_from=form.cleaned_data["effective_from"],
                change_note=form.cleaned_data["change_note"],
                today=today(),
            )
        except ValidationError as error:
            form_errors(form, error)
        else:
            messages.success(request, f"已保存 {row}，自 {row.effective_from} 起生效")
            return redirect("policy:ruleset_detail", pk=row.pk)
    return render(request, "policy/ruleset_form.html", {"form": form, "base": base})


@require("ruleset.edit")
@require_POST
def ruleset_withdraw_view(request: HttpRequest, pk: int) -> HttpResponse:
    ruleset = _get(pk)
    try:
        ruleset_withdraw(actor=request.user, ruleset=ruleset, today=today())
    except ValidationError as error:
        flash_errors(request, error)
        return redirect("policy:ruleset_detail", pk=pk)
    messages.success(request, f"已撤回 {ruleset}")
    return redirect("policy:ruleset_list")
