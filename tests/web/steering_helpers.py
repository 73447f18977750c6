"""Builders for the campaign (steering) tests: a campaign of the test world's county with a few
measures, so the hazchem and coal sections file weekly reports."""

from __future__ import annotations

from datetime import date, time

from anjian.steering.models import Campaign, Measure, Phase


def campaign_for(world, year: int = 2026) -> Campaign:  # type: ignore[no-untyped-def]
    campaign = Campaign.objects.create(
        body=world.county,
        year=year,
        title=f"文水县应急管理局{year}年“听民意办实事”专项工作",
        report_weekday=4,
        report_time=time(17, 0),
        report_grace_days=3,
        reports_from=date(year, 1, 1),
        reports_until=date(year, 12, 31),
    )
    Phase.objects.create(campaign=campaign, name="安排部署阶段", deadline=date(year, 4, 15))
    Phase.objects.create(campaign=campaign, name="集中整治阶段", deadline=date(year, 10, 31))
    Phase.objects.create(campaign=campaign, name="总结评估阶段", deadline=date(year, 11, 12))
    Measure.objects.create(
        campaign=campaign, clause="三（一）1", title="积极推行联合执法", all_sections=True, order=1
    )
    items = Measure.objects.create(
        campaign=campaign,
        clause="三（二）2",
        title="制定涉企行政检查事项清单",
        deadline=date(year, 4, 30),
        order=2,
    )
    items.supporting_sections.add(world.sections["hazchem"])
    return campaign
