import pytest

from .fake_krs import FakeKrs


@pytest.fixture
def fake_krs(settings):
    """A local fake KRS API; settings point at it and never wait between requests."""
    server = FakeKrs().start()
    settings.KRS_API_URL = server.url
    settings.KRS_BACKOFF = 0
    settings.KRS_WATCH_DELAY = 0
    settings.KRS_TIMEOUT = 5
    yield server
    server.stop()
