"""Browser tests: Playwright driving the system's Chromium in headless mode against a live server.

Outside CI, a missing Chromium skips these tests with a reason; with MOTCUA_REQUIRE_BROWSER=1 (CI, `make e2e`)
it is a failure.

Every page a test visits is checked with axe-core at desktop width and at a 360 px phone width; a critical or
serious violation fails the test (see accessibility.py).
"""

import os
from pathlib import Path

import pytest

from .accessibility import AccessibilityWatch, describe

# Playwright's sync API runs an event loop in this thread; the ORM calls made by fixtures are still synchronous.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

CHROMIUM = os.environ.get("MOTCUA_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-background-networking",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-component-update",
    "--disable-sync",
]


def pytest_collection_modifyitems(config, items):
    here = Path(__file__).parent
    for item in items:
        if here in Path(item.fspath).parents:
            item.add_marker(pytest.mark.e2e)
            # The browser keeps the machine's clock (cookie expiry, its own dates): see conftest.chosen_instant.
            item.add_marker(pytest.mark.real_clock)


class _Current:
    watch: AccessibilityWatch | None = None


class WatchedBrowser:
    """The browser, whose every new context is watched by the running test's accessibility checks."""

    def __init__(self, browser):
        self._browser = browser

    def __getattr__(self, name):
        return getattr(self._browser, name)

    def new_context(self, **options):
        context = self._browser.new_context(**options)
        if _Current.watch is not None:
            _Current.watch.attach(context, options.get("base_url", ""))
        return context


@pytest.fixture(autouse=True)
def accessibility_watch():
    _Current.watch = AccessibilityWatch()
    yield _Current.watch
    _Current.watch = None


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_call(item):
    outcome = yield
    watch = _Current.watch
    if watch is None or outcome.excinfo is not None or not watch.contexts:
        return
    failing = watch.finish()
    if failing:
        outcome.force_exception(AssertionError(describe(failing)))


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    """The test database, dropped only once no other session uses it. The live server answers each browser
    connection in a thread of its own, with its own database connection, closed when the browser closes that
    connection: on PostgreSQL a drop while one is still open fails ("being accessed by other users") and
    leaves the database behind."""
    yield
    with django_db_blocker.unblock():
        _end_other_sessions()


@pytest.fixture(scope="session", autouse=True)
def _database_outlives_the_browser(request):
    """On PostgreSQL, the test database is set up before the browser and the live server (autouse runs first),
    so it is torn down after both. (The suite's in-memory SQLite is shared with the live server's threads and
    keeps pytest-django's own order: it is released with the live server.)"""
    from django.conf import settings

    if settings.DATABASES["default"]["ENGINE"].endswith("postgresql"):
        request.getfixturevalue("django_db_setup")


def _end_other_sessions(wait: float = 5.0) -> None:
    import time

    from django.db import connection

    if connection.vendor != "postgresql":
        return
    others = "SELECT pid FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid()"
    deadline = time.monotonic() + wait
    with connection.cursor() as cursor:
        while True:
            cursor.execute(others)
            if not cursor.fetchall():
                return
            if time.monotonic() > deadline:
                cursor.execute(f"SELECT pg_terminate_backend(pid) FROM ({others}) AS leftover")
                return
            time.sleep(0.1)


@pytest.fixture(scope="session")
def browser():
    if not Path(CHROMIUM).exists():
        message = f"Chromium is not installed at {CHROMIUM} (apt-get install chromium)"
        if os.environ.get("MOTCUA_REQUIRE_BROWSER") == "1":
            pytest.fail(message)
        pytest.skip(message)
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
        yield WatchedBrowser(browser)
        browser.close()


@pytest.fixture
def page(browser, live_server):
    context = browser.new_context(locale="vi-VN", base_url=live_server.url, timezone_id="Asia/Ho_Chi_Minh")
    context.set_default_timeout(10_000)
    page = context.new_page()
    yield page
    context.close()
