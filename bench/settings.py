"""The production settings plus the benchmarks' baseline views (bench/urls.py).

bench/load.py runs gunicorn with DJANGO_SETTINGS_MODULE=bench.settings, so that the
server under load also answers /__bench__/hello/ and /__bench__/baseline/.
"""

from wspolpraca.settings import *  # noqa: F403

ROOT_URLCONF = "bench.urls"
