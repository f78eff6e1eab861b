"""Fixtures for the tests that drive a real browser: Debian's Chromium through Playwright,
and the built course pages served on 127.0.0.1.

Playwright cannot download its own browser here, so it drives /usr/bin/chromium (`make test`
installs Debian's `chromium` package when it is missing). Without it these tests skip with a
message on a laptop, and fail in CI (CI=true), where they must run.
"""
from __future__ import annotations

import functools
import os
import threading
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
SITE = ROOT / "build" / "site"
ARTIFACTS = ROOT / "test-artifacts"   # screenshots for people to look at (git-ignored)
CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--no-first-run"]


def chromium_executable() -> str:
    """Path of Debian's Chromium; skips the test (fails it in CI) when it is not installed."""
    if CHROMIUM.exists():
        return str(CHROMIUM)
    message = "Debian's chromium is not installed; `make chromium` installs it (as root), `make test` tries too"
    if os.environ.get("CI"):
        pytest.fail(message)
    pytest.skip(message)


@pytest.fixture(scope="module")
def browser():
    """A headless Chromium for the tests of one module, closed whatever happens."""
    executable = chromium_executable()
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=executable, args=CHROMIUM_ARGS)
        try:
            yield chromium
        finally:
            chromium.close()


class _QuietHandler(SimpleHTTPRequestHandler):
    """What `python -m http.server` serves, without a log line per request."""

    def log_message(self, format, *args):  # noqa: A002 (the base class's signature)
        pass


@pytest.fixture(scope="module")
def site_url():
    """The built site (build/site/) served on 127.0.0.1 on a free port; the server always stops."""
    if not (SITE / "index.html").exists():
        pytest.fail("build/site/ is missing: run `make site` (`make test` builds it before the tests)")
    server = ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(_QuietHandler, directory=str(SITE)))
    thread = threading.Thread(target=server.serve_forever, name="site-server", daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=10)
