"""Run as a separate process by test_prod_local.py (Playwright's sync API cannot start while the
browser suite's session-wide Playwright runs in the same pytest worker).

    python tests/deploy/browser_not_found.py ORIGIN

A signed-out visitor opens an unknown address through the proxy, then follows the page's way home.
Prints JSON: the address's HTTP status, the page's text, where "Go to my home page" led, and the
console errors other than the 404 of the address itself."""

from __future__ import annotations

import json
import re
import sys

from browser_common import proxy_page  # this script's folder is on sys.path when it runs


def main(origin: str) -> dict:
    from playwright.sync_api import expect

    with proxy_page() as page:
        errors: list[str] = []
        page.on("console", lambda msg: errors.append(msg.text) if msg.type == "error" else None)
        page.on("pageerror", lambda exc: errors.append(str(exc)))
        response = page.goto(origin + "/no-such-page/at-all")
        status = response.status if response else None
        expect(page.locator("#not-found")).to_be_visible()
        text = page.locator("#not-found").inner_text()
        title = page.title()
        page.click("#not-found-home")
        expect(page).to_have_url(re.compile(r"/login$"))  # signed out: home is the sign-in page
        expect(page.locator("#login-email")).to_be_visible()
        home = page.url.removeprefix(origin)
    # The browser reports the document's own 404 as a failed resource: expected, not an app error.
    errors = [e for e in errors if "the server responded with a status of 404" not in e]
    return {"status": status, "text": text, "title": title, "home": home, "console_errors": errors}


if __name__ == "__main__":
    print(json.dumps(main(sys.argv[1])))
