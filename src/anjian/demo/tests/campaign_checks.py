"""The demo test's checks of the campaign (issue 18) and oversight (issue 19), run as subtests
of `test_demo.test_the_demo_county` on its one load."""

from __future__ import annotations

from collections import Counter
from datetime import date

from anjian.accounts.models import EnforcementBody, User


def assert_campaign(today: date) -> None:
    """The Wenshui plan as last year's campaign (the load day is in March): 30 weeks and more of
    reports (some late, one returned, a few missing), bulletins, the evaluation, measures in
    every state, the cockpit's targets and the reminders."""
    from anjian.domain.steering.weeks import weeks_between
    from anjian.steering.models import (
        Bulletin,
        BureauEvaluation,
        Campaign,
        Evaluation,
        Notification,
        Target,
        WeeklyReport,
    )
    from anjian.steering.selectors import measure_states

    campaign = Campaign.objects.get()
    assert campaign.year == today.year - 1 and campaign.body.name == "文水县应急管理局"
    assert campaign.measures.count() == 13 and campaign.leaders.count() == 9
    states = {state.status for _m, state in measure_states(campaign, today)}
    assert states == {"done", "in_progress", "overdue"}
    assert any(state.late for _m, state in measure_states(campaign, today))
    weeks = list(weeks_between(campaign.reports_from, campaign.reports_until))
    reports = WeeklyReport.objects.filter(campaign=campaign)
    filed_weeks = set(reports.values_list("year", "week"))
    assert len(weeks) >= 30 and len(filed_weeks) == len(weeks)
    sections = 8  # office, legal, four business sections, the team, HR and finance
    assert reports.count() < len(weeks) * sections  # now and then a section did not file
    assert reports.filter(late=True).count() >= 5
    assert reports.filter(status="returned").count() == 1
    assert all(r.figures and r.progress for r in reports.filter(status="submitted")[:50])
    assert Bulletin.objects.filter(campaign=campaign).count() == 6
    assert all(b.document.number for b in Bulletin.objects.select_related("document"))
    assert Evaluation.objects.filter(campaign=campaign, status="submitted").count() == sections
    assert BureauEvaluation.objects.filter(campaign=campaign).exists()
    assert Target.objects.filter(campaign=campaign).count() == 5
    assert Notification.objects.filter(kind="weekly_returned").count() >= 1


def assert_oversight(today: date) -> None:
    """Ten contact points of the mix (this year's and the campaign's), the enterprise login's
    company among them with reports, surveys, follow-ups, requirements and warnings; matters of
    every source and state, one red and one amber; two meetings; the published decisions."""
    from anjian.demo.steering_history import campaign_year
    from anjian.enforcement.selectors import decision_summary
    from anjian.oversight.matters.selectors import clock_filter
    from anjian.oversight.models import (
        ActionItem,
        ContactPoint,
        FollowUp,
        Matter,
        Meeting,
        PointAttachment,
        PointSurvey,
        PointWarning,
        Publication,
        Requirement,
    )

    county = EnforcementBody.objects.get(name="文水县应急管理局")
    for year in {today.year, campaign_year(today)}:
        points = ContactPoint.objects.filter(points__body=county, points__year=year)
        sectors = Counter(points.values_list("enterprise__sector", flat=True))
        assert sectors == {
            "coal_mine": 1,
            "non_coal_mine": 3,
            "hazardous_chemicals": 3,
            "metallurgy": 3,
        }
        assert set(points.values_list("liaison__username", flat=True)) == {"legal"}
    member = User.objects.get(username="enterprise").enterprise_membership
    point = ContactPoint.objects.get(points__year=today.year, enterprise_id=member.enterprise_id)
    assert point.reports.count() == 3 and PointAttachment.objects.count() == 1
    assert set(point.reports.values_list("status", flat=True)) == {"open", "followed", "closed"}
    assert PointSurvey.objects.count() == 12  # two logins' companies, six months each
    assert FollowUp.objects.count() == 2
    assert Requirement.objects.filter(closed_on__isnull=False).count() == 1
    assert Requirement.objects.filter(closed_on__isnull=True).count() == 1
    warnings = PointWarning.objects.filter(point__points__body=county)
    assert warnings.filter(answered_at__isnull=False).count() >= 1
    assert warnings.filter(answered_at__isnull=True, due_on__lt=today).count() == 1

    matters = Matter.objects.filter(body=county)
    assert set(matters.values_list("source", flat=True)) >= {
        "portal",
        "contact_point",
        "hotline",
        "letter",
        "visit",
        "other",
    }
    assert set(matters.values_list("status", flat=True)) == {
        "received",
        "accepted",
        "answered",
        "closed",
    }
    assert matters.filter(status="closed").exclude(satisfaction="").count() == 2
    assert matters.filter(anonymous=True, complainant="").exists()
    assert matters.filter(route="discipline", source="visit", created_by__username="discipline")
    assert clock_filter(matters, "red", today).exists()
    assert clock_filter(matters, "amber", today).exists()

    first, second = Meeting.objects.filter(body=county).order_by("held_on")
    assert first.status == "held" and first.minutes_document is not None
    assert first.held_on < today <= second.held_on and second.status == "planned"
    actions = ActionItem.objects.filter(meeting=first)
    assert actions.count() == 2 and actions.filter(done_on__isnull=False).count() == 1
    open_action = actions.get(done_on__isnull=True)
    assert second.items.filter(kind="action", ref=f"oversight.ActionItem:{open_action.pk}")

    publications = Publication.objects.filter(body=county).select_related("case")
    assert publications.count() > 0 and not publications.filter(withdrawn_on__isnull=False)
    for publication in publications:
        summary = decision_summary(publication.case)
        names = set(summary["persons"])
        if summary["party_kind"] == "person":
            names.add(summary["party"])
        text = " ".join(str(v) for v in publication.content.values())
        assert not [name for name in names if name and name in text], publication.number
