"""What a new case can take from the records: the penalty provision a finding's breached duty
points to, the period in which an earlier violation means "not a first offence", and the gates a
proposal needs (one function for the preview and the saved proposal, so they cannot disagree).

- A finding cites the duty it breaches ("《中华人民共和国安全生产法》第三十五条"); the statute
  table says which duty each penalty provision punishes (`Provision.breaches`). The provisions
  whose breached duty names the finding's article (and paragraph, when both give one) are the
  candidates, best first.
- 初次违法: the no-penalty list in force decides the period. As the lists we know define it
  (云南 云应急办〔2022〕25号: "该项违法自清单施行起首次被应急部门发现"), a violation is a first
  offence when no earlier case or finding of the same provision is on record for the party since
  the list took effect; `ListConditions.first_offense_years`, where a list sets it, shortens the
  period to that many years before the filing day.
- The gates of a proposal are `decision_gates` on the proposed amounts and measures, the
  hearing already held and the complex-case flag, with legal review whenever a fine leaves the
  benchmark tier (or goes below the statute's minimum).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from anjian.domain.discretion.lists import FlexibleList, list_in_force
from anjian.domain.discretion.procedure import GateReason, Gates, Thresholds, decision_gates
from anjian.domain.discretion.statute import Provision, arabic_number

_TITLE = re.compile(r"《([^》]+)》")
_NUMBER = r"[一二三四五六七八九十百零〇\d]+"
_ARTICLE = re.compile(rf"第({_NUMBER})条(?:第({_NUMBER})款(?:至第({_NUMBER})款)?)?")


def _short(title: str) -> str:
    return title.strip().removeprefix("中华人民共和国")


def _duties(text: str) -> tuple[str, set[tuple[str, str | None]]]:
    """The law a citation names (short form, "" when none) and its (article, paragraph) pairs;
    "第二十八条第一款至第三款" gives paragraphs 1, 2 and 3."""
    title = _TITLE.search(text)
    found: set[tuple[str, str | None]] = set()
    for match in _ARTICLE.finditer(text):
        article = arabic_number(match.group(1))
        first = arabic_number(match.group(2)) if match.group(2) else None
        last = arabic_number(match.group(3)) if match.group(3) else first
        if first and last and first.isdigit() and last.isdigit():
            found |= {(article, str(n)) for n in range(int(first), int(last) + 1)}
        else:
            found.add((article, first))
    return (_short(title.group(1)) if title else ""), found


def _score(basis: tuple[str, set[tuple[str, str | None]]], provision: Provision) -> int:
    """2: the same article and paragraph; 1: the same article; 0: no match."""
    law, cited = basis
    breach_law, breached = _duties(provision.breaches)
    if not cited or not breached or (law and _short(breach_law) != law):
        return 0
    best = 0
    for article, paragraph in cited:
        for duty_article, duty_paragraph in breached:
            if article != duty_article:
                continue
            same = paragraph is None or duty_paragraph is None or paragraph == duty_paragraph
            best = max(best, 2 if same else 1)
    return best


def provisions_for_basis(basis: str, provisions: Sequence[Provision]) -> list[Provision]:
    """The penalty provisions whose breached duty the finding's legal basis cites, best first
    (ties in the table's order); fine provisions only (not 按日连续处罚 or 提请关闭)."""
    cited = _duties(basis)
    scored = [
        (score, n, p)
        for n, p in enumerate(provisions)
        if p.kind == "fine" and (score := _score(cited, p)) > 0
    ]
    return [p for _score_, _n, p in sorted(scored, key=lambda row: (-row[0], row[1]))]


@dataclass(frozen=True)
class FirstOffensePeriod:
    """Earlier violations from `since` (inclusive) count against a first offence; `basis` says
    which list sets the period."""

    since: date | None
    basis: str


def first_offense_period(lists: Sequence[FlexibleList], day: date) -> FirstOffensePeriod:
    """The period the no-penalty list in force on `day` uses for 初次违法 (no list: every
    earlier violation on record counts)."""
    lst = list_in_force(lists, "no_penalty", day)
    if lst is None:
        return FirstOffensePeriod(None, "无现行不予处罚清单，按全部记录")
    years = lst.conditions.first_offense_years
    if years:
        start = _years_before(day, years)
        return FirstOffensePeriod(start, f"{lst.name}：{years} 年内首次")
    return FirstOffensePeriod(lst.effective_from, f"{lst.name}：自清单施行起首次")


def _years_before(day: date, years: int) -> date:
    try:
        return day.replace(year=day.year - years)
    except ValueError:  # 29 February
        return day.replace(year=day.year - years, day=28)


def corrected_in_time(deadline: date | None, fixed_on: date | None, today: date) -> bool | None:
    """Whether a finding was reviewed as fixed by its deadline: None while it is not reviewed
    as fixed and the deadline has not passed (the records cannot tell yet)."""
    if fixed_on is not None:
        return deadline is None or fixed_on <= deadline
    if deadline is not None and deadline < today:
        return False
    return None


def proposal_gates(
    *,
    unit_fine: int | None,
    person_fine: int | None,
    measures: Sequence[str],
    outside_tier: bool,
    after_hearing: bool,
    complex_case: bool,
    thresholds: Thresholds,
) -> Gates:
    """What a proposal needs before the decision: `decision_gates`, and legal review for a fine
    outside the benchmark tier (that alone makes no major decision)."""
    gates = decision_gates(
        unit_fine=unit_fine,
        person_fine=person_fine,
        measures=measures,
        after_hearing=after_hearing,
        complex_case=complex_case,
        thresholds=thresholds,
    )
    if not outside_tier:
        return gates
    reason = GateReason(
        "OUTSIDE_TIER",
        "拟罚款超出裁量基准阶次的幅度（或低于法定最低额），须经法制审核",
        "应急管理行政裁量权基准暂行规定",
    )
    return Gates(True, gates.hearing_right, gates.collective_decision, (*gates.reasons, reason))


def cites_provision(basis: str, provision: Provision) -> bool:
    """Whether a finding's legal basis cites the very duty `provision` punishes (the same
    article, and the same paragraph where both name one)."""
    return _score(_duties(basis), provision) == 2
