"""Oversight's staff and portal pages (each area lists its own `urlpatterns`; names in the
`oversight` namespace). The public disclosure pages are in `public_urls.py` (no login)."""

from anjian.oversight.disclosure import views as disclosure
from anjian.oversight.matters import views as matters
from anjian.oversight.meetings import views as meetings
from anjian.oversight.points import views as points

app_name = "oversight"

urlpatterns = [
    *points.urlpatterns,
    *matters.urlpatterns,
    *meetings.urlpatterns,
    *disclosure.urlpatterns,
]
