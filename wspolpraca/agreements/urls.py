"""Agreements, reports and controls under /umowy/, the statistics under /statystyki/.
Each part keeps its own list."""

from . import agreement_urls, control_urls, report_urls, statistics_urls

app_name = "agreements"
urlpatterns = [
    *agreement_urls.urlpatterns,
    *report_urls.urlpatterns,
    *control_urls.urlpatterns,
    *statistics_urls.urlpatterns,
]
