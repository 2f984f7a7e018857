"""The Chromium the browser tests drive, and a page opened on it for the scripts that
test_prod_local.py runs in their own process (Playwright's sync API cannot start while the
browser suite's session-wide Playwright runs in the same pytest worker)."""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from typing import Any

CHROMIUM = "/usr/bin/chromium"  # Debian's Chromium
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run", "--disable-quic"]


@contextlib.contextmanager
def proxy_page() -> Iterator[Any]:
    """A page of a fresh Chromium that accepts the proxy's self-signed certificate, with 30 s
    timeouts for actions and ``expect``; closed on leaving."""
    from playwright.sync_api import expect, sync_playwright

    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        context = browser.new_context(ignore_https_errors=True, viewport={"width": 1280, "height": 800})
        context.set_default_timeout(30_000)
        expect.set_options(timeout=30_000)
        try:
            yield context.new_page()
        finally:
            context.close()
            browser.close()
