"""The campaign's pages. Each view module lists its own `urlpatterns`; names live in the
`steering` namespace."""

from django.urls import path

from anjian.steering.views import (
    bulletins,
    campaign,
    cockpit,
    evaluations,
    figures,
    notifications,
    plan,
    weekly,
)

app_name = "steering"

urlpatterns = [
    path("", campaign.campaign_home, name="home"),
    *campaign.urlpatterns,
    *weekly.urlpatterns,
    *figures.urlpatterns,
    *plan.urlpatterns,
    *cockpit.urlpatterns,
    *bulletins.urlpatterns,
    *evaluations.urlpatterns,
    *notifications.urlpatterns,
]
