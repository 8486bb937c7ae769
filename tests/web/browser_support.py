"""Shared set-up for browser tests: Debian's Chromium driven by Playwright against a live server.

Chromium is Debian's package (``/usr/bin/chromium``, installed by ``.ci/run``), never a
browser downloaded by Playwright. Import the fixtures into a test module::

    from tests.web.browser_support import browser, open_page, orm_beside_playwright  # noqa: F401
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

try:
    from playwright.sync_api import Browser, Page, sync_playwright
except ImportError:  # pragma: no cover - a clear message instead of a bare traceback
    pytest.fail("The Python package 'playwright' is missing: install the test extras (pip install -e '.[test]').", pytrace=False)

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync"]
PHONE = {"width": 390, "height": 844}  # iPhone 12, CSS pixels
DESKTOP = {"width": 1280, "height": 900}
PASSWORD = "geheim-wachtwoord-1"  # the password of every user of the `world` fixture
CHECK_TIMEOUT_MS = 90_000  # the first check in a process loads deduce (10-60 s)


@pytest.fixture(scope="module")
def orm_beside_playwright():
    """Playwright's sync API keeps an event loop running in the test thread, which trips
    Django's async-unsafe guard on every ORM call of the test; allow them for this module only."""
    before = os.environ.get("DJANGO_ALLOW_ASYNC_UNSAFE")
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    yield
    if before is None:
        os.environ.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
    else:
        os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = before


@pytest.fixture(scope="module")
def browser(orm_beside_playwright) -> Browser | None:
    """Debian's headless Chromium, shared by the module's tests; ``None`` when it is not installed
    (``open_page`` then fails the test itself, so a missing browser is a failure, never a skip)."""
    if not CHROMIUM.is_file():
        yield None
        return
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture
def open_page(browser):
    """``open_page(viewport)``: a page in a fresh browser context (own cookies); closed afterwards.
    Fails the calling test when Chromium is missing."""
    contexts = []

    def opener(viewport: dict) -> Page:
        if browser is None:
            pytest.fail(f"{CHROMIUM} is missing: the browser tests need Debian's Chromium, which .ci/run installs "
                        "(apt-get install -y chromium).", pytrace=False)
        context = browser.new_context(viewport=viewport, locale="nl-NL")
        contexts.append(context)
        return context.new_page()

    yield opener
    for context in contexts:
        context.close()
