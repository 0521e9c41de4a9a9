"""Browser tests: Debian's chromium driven by Playwright against pytest-django's live server.

The live server runs in this process (a thread), so a test can change settings with the
`settings` fixture, read sent e-mails from `mailoutbox` and seed rows with the factories,
and the pages it opens see all of that at once.
"""

import os
import re
import signal
import time
from pathlib import Path
from types import SimpleNamespace
from urllib.parse import urlsplit

import pytest

from e2e.helpers import EXTERNAL, NO_JS_CONTEXTS, answer_empty

# Playwright's sync API keeps an asyncio loop running in the main thread; Django refuses
# ORM calls from a thread with a running loop unless told that this is deliberate.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
# An IPv4 address, not "localhost", so chromium never tries ::1 first.
os.environ.setdefault("DJANGO_LIVE_TEST_SERVER_ADDRESS", "127.0.0.1")

CHROMIUM = os.environ.get("E2E_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
ARTIFACTS = Path(__file__).resolve().parent / "artifacts"
TIMEOUT_MS = 10_000
# Every page must work on a laptop and on a phone (issue 5: "at 1366 px and at 390 px").
VIEWPORTS = {
    "desktop": {"width": 1366, "height": 900},
    "phone": {"width": 390, "height": 844},
}
# Files whose every test runs at both widths; a test elsewhere opts in with
# @pytest.mark.both_widths, or picks one width with @pytest.mark.viewport("phone"). The long
# journeys (registration, sign-in) run on the desktop only, to keep the suite within CI's time.
BOTH_WIDTHS_FILES = {"test_accessibility.py", "test_layout.py", "test_forms.py"}
# A whole test may take this long; a hung browser call then fails the test instead of CI.
TEST_TIMEOUT_S = int(os.environ.get("E2E_TEST_TIMEOUT", "180"))


def pytest_configure(config):
    config.addinivalue_line("markers", "both_widths: run the test at 1366 px and at 390 px")
    config.addinivalue_line("markers", "viewport(name): run the test at one width only")


def pytest_generate_tests(metafunc):
    """Run the tests of BOTH_WIDTHS_FILES (and those marked both_widths) at both widths."""
    if "viewport" not in metafunc.fixturenames:
        return
    only = metafunc.definition.get_closest_marker("viewport")
    if only:
        widths = list(only.args)
    elif Path(
        str(metafunc.definition.fspath)
    ).name in BOTH_WIDTHS_FILES or metafunc.definition.get_closest_marker("both_widths"):
        widths = list(VIEWPORTS)
    else:
        return
    metafunc.parametrize("viewport", widths, indirect=True)


@pytest.fixture
def viewport(request):
    """The name of the browser window's size (see VIEWPORTS); the desktop unless parametrized."""
    return getattr(request, "param", "desktop")


def pytest_collection_modifyitems(items):
    """Every e2e test needs the live server, hence a transactional database.

    serialized_rollback restores what migrations put in the database (public benefit areas,
    target groups, content pages) after each test has flushed it.
    """
    marker = pytest.mark.django_db(transaction=True, serialized_rollback=True)
    for item in items:
        if Path(str(item.fspath)).resolve().is_relative_to(Path(__file__).resolve().parent):
            item.add_marker(marker)


def pytest_sessionstart(session):
    """Screenshots of an earlier run would be mistaken for this one's (cleared once, by the
    main process when xdist runs the suite on several workers)."""
    if hasattr(session.config, "workerinput"):
        return
    for old in [*ARTIFACTS.glob("*.png"), *ARTIFACTS.glob("*.html")]:
        old.unlink(missing_ok=True)


@pytest.hookimpl(wrapper=True, tryfirst=True)
def pytest_runtest_makereport(item, call):
    report = yield
    setattr(item, f"rep_{report.when}", report)
    return report


@pytest.fixture(autouse=True)
def _watchdog():
    """Fail a test that hangs (some browser calls, like evaluate, have no timeout)."""

    def give_up(signum, frame):
        raise TimeoutError(f"the test took longer than {TEST_TIMEOUT_S} s")

    previous = signal.signal(signal.SIGALRM, give_up)
    signal.alarm(TEST_TIMEOUT_S)
    yield
    signal.alarm(0)
    signal.signal(signal.SIGALRM, previous)


def _wait_out_table_locks(execute, sql, params, many, context):
    """Retry a statement that met "database table is locked".

    On SQLite the live server's thread shares the test's in-memory database (one connection,
    shared cache); a read by the test while a page's request writes the same table fails at
    once with SQLITE_LOCKED, which SQLite's busy timeout does not wait out. The other
    thread's statement ends within milliseconds, so trying again is all it takes.
    """
    from django.db import OperationalError

    deadline = time.monotonic() + 5
    while True:
        try:
            return execute(sql, params, many, context)
        except OperationalError as error:
            if "locked" not in str(error) or time.monotonic() > deadline:
                raise
            time.sleep(0.05)


@pytest.fixture(autouse=True)
def _sqlite_waits_for_locks(request):
    from django.db import connections

    wrapped = [c for c in connections.all() if c.vendor == "sqlite"]
    for connection in wrapped:
        connection.execute_wrappers.append(_wait_out_table_locks)
    yield
    for connection in wrapped:
        connection.execute_wrappers.remove(_wait_out_table_locks)


@pytest.fixture(scope="session")
def playwright_instance():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        yield playwright


@pytest.fixture(scope="session")
def browser(playwright_instance):
    if not Path(CHROMIUM).exists():
        pytest.exit(f"{CHROMIUM} is missing: run `bash e2e/setup.sh` first", returncode=1)
    browser = playwright_instance.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
    yield browser
    browser.close()


def _safe_name(nodeid):
    return re.sub(r"[^A-Za-z0-9_.-]+", "_", nodeid).strip("_")[:150]


def _save_artifacts(request, context):
    report = getattr(request.node, "rep_call", None)
    if report is None or not report.failed:
        return
    ARTIFACTS.mkdir(exist_ok=True)
    base = _safe_name(request.node.nodeid)
    for n, page in enumerate(context.pages):
        stem = ARTIFACTS / f"{base}-{n}"
        try:
            page.screenshot(path=f"{stem}.png", full_page=True)
            Path(f"{stem}.html").write_text(f"<!-- {page.url} -->\n{page.content()}")
        except Exception as error:  # a crashed page must not hide the test's own failure
            print(f"could not save artifacts for {page.url}: {error}")


def _new_context(browser, live_server, request, viewport="desktop", **options):
    context = browser.new_context(
        base_url=live_server.url, locale="pl-PL", viewport=VIEWPORTS[viewport], **options
    )
    context.set_default_timeout(TIMEOUT_MS)
    context.set_default_navigation_timeout(TIMEOUT_MS * 2)
    context.route(EXTERNAL, answer_empty)
    if options.get("java_script_enabled") is False:
        NO_JS_CONTEXTS.add(context)
    request.addfinalizer(context.close)
    request.addfinalizer(lambda: _save_artifacts(request, context))
    return context


@pytest.fixture
def context(browser, live_server, request, viewport):
    """A fresh browser profile (no cookies) whose relative URLs go to the live server."""
    return _new_context(browser, live_server, request, viewport)


@pytest.fixture
def page(context):
    return context.new_page()


@pytest.fixture
def nojs_page(browser, live_server, request, viewport):
    """A page in a browser with JavaScript switched off."""
    return _new_context(
        browser, live_server, request, viewport, java_script_enabled=False
    ).new_page()


@pytest.fixture
def english_page(browser, live_server, request, viewport):
    """A page whose visitor has chosen English (the language cookie set by the switch)."""
    context = _new_context(browser, live_server, request, viewport)
    host = urlsplit(live_server.url).hostname
    context.add_cookies([{"name": "django_language", "value": "en", "domain": host, "path": "/"}])
    return context.new_page()


@pytest.fixture
def directory_data(db):
    """A small directory a newcomer can search, filter and see on the map.

    Łódź Kultury is the one organization in district XIII *and* in the culture area (16);
    each filter alone also matches one other organization, so only both together single
    it out.
    """
    from wspolpraca.organizations.models import PublicBenefitArea
    from wspolpraca.organizations.tests.factories import DistrictFactory, OrganizationFactory

    podgorze = DistrictFactory(number=13, roman="XIII", name="Podgórze")
    stare_miasto = DistrictFactory(number=1, roman="I", name="Stare Miasto")
    nowa_huta = DistrictFactory(number=18, roman="XVIII", name="Nowa Huta")
    culture = PublicBenefitArea.objects.get(code="16")
    sport = PublicBenefitArea.objects.get(code="17")
    health = PublicBenefitArea.objects.get(code="6")
    lodz = OrganizationFactory(
        name="Stowarzyszenie Łódź Kultury",
        description="Teatr i koncerty w Podgórzu.",
        district=podgorze,
        areas=[culture],
        street="ul. Limanowskiego 1",
        postal_code="30-551",
        latitude="50.045000",
        longitude="19.955000",
        email="kontakt@lodz-kultury.example.org",
    )
    theatre = OrganizationFactory(
        name="Fundacja Teatr Rynek",
        kind="foundation",
        district=stare_miasto,
        areas=[culture],
        latitude="50.061700",
        longitude="19.937300",
    )
    sport_club = OrganizationFactory(
        name="Klub Sportowy Podgórze",
        district=podgorze,
        areas=[sport],
        latitude="50.040000",
        longitude="19.960000",
    )
    health_org = OrganizationFactory(
        name="Fundacja Zdrowie Huty",
        kind="foundation",
        district=nowa_huta,
        areas=[health],
        is_public_benefit=True,
    )
    return SimpleNamespace(
        podgorze=podgorze,
        culture=culture,
        lodz=lodz,
        theatre=theatre,
        sport_club=sport_club,
        health=health_org,
    )
