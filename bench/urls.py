"""The project's URLs plus a baseline: the base template with nothing in it.

The baseline is what every page costs anyway (middleware, context processors, the layout);
the benchmark reports each page's time as a multiple of it.
"""

from django.shortcuts import render
from django.urls import include, path


def baseline(request):
    return render(request, "base.html")


urlpatterns = [
    path("__bench__/baseline/", baseline, name="bench-baseline"),
    path("", include("wspolpraca.urls")),
]
