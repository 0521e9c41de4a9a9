"""The project's URLs plus two baselines.

- `baseline`: the base template with nothing in it, what every page costs anyway
  (middleware, context processors, the layout); bench/run.py reports each page's server
  time as a multiple of it.
- `hello`: a five-byte response through the same middleware and no template; bench/load.py
  reports each page's throughput as a fraction of it (what the server, the WSGI layer and
  the middleware can do at most on this machine).
"""

from django.http import HttpResponse
from django.shortcuts import render
from django.urls import include, path


def baseline(request):
    return render(request, "base.html")


def hello(request):
    return HttpResponse("hello", content_type="text/plain; charset=utf-8")


urlpatterns = [
    path("__bench__/baseline/", baseline, name="bench-baseline"),
    path("__bench__/hello/", hello, name="bench-hello"),
    path("", include("wspolpraca.urls")),
]
