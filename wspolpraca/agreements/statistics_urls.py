"""The public statistics of calls and grants: /statystyki/ and its tables as CSV and XLSX
(/statystyki/lata.csv, wydzialy, dziedziny, tryby; the page's filters in the query)."""

from django.urls import path

from . import statistics_views

urlpatterns = [
    path("statystyki/", statistics_views.statistics_page, name="statistics"),
    path("statystyki/<slug:slug>.csv", statistics_views.statistics_csv, name="statistics_csv"),
    path("statystyki/<slug:slug>.xlsx", statistics_views.statistics_xlsx, name="statistics_xlsx"),
]
