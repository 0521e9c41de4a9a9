"""The evaluation's pages: officials' under /ocena/, the results under the call's address.
Each part of the path keeps its own list."""

from . import commission_urls, decision_urls, formal_urls

app_name = "evaluations"
urlpatterns = [*formal_urls.urlpatterns, *commission_urls.urlpatterns, *decision_urls.urlpatterns]
