"""The public disclosure pages (行政执法公示): no login, namespace `public`."""

from anjian.oversight.disclosure import views as disclosure

app_name = "public"

urlpatterns = [*disclosure.public_urlpatterns]
