"""Run as a separate process by test_prod_local.py: Playwright's sync API cannot start while the
browser suite's session-wide Playwright runs in the same pytest worker.

    python tests/deploy/browser_sign_in.py ORIGIN EMAIL PASSWORD ACCESS_LOG

Signs in through the proxy, then reloads the dashboard until nginx's access log shows /_event
websockets on two different backends (at most 6 reloads). Prints JSON: the tab's Reflex token and
the upstreams that served /_event."""

from __future__ import annotations

import json
import sys
import time
from pathlib import Path

from browser_common import proxy_page  # this script's folder is on sys.path when it runs


def event_upstreams(access_log: Path) -> list[str]:
    if not access_log.exists():
        return []
    rows = [json.loads(line) for line in access_log.read_text().splitlines() if line.strip()]
    return [r["upstream"] for r in rows if r["uri"].startswith("/_event") and r["status"] == 101]


def main(origin: str, email: str, password: str, access_log: str) -> dict:
    from playwright.sync_api import expect

    log = Path(access_log)
    with proxy_page() as page:
        # Content-Security-Policy violations (console and DOM event), whatever their origin.
        violations: list[str] = []
        page.on("console", lambda msg: violations.append(msg.text)
                if "Content Security Policy" in msg.text or "Refused to" in msg.text else None)
        page.add_init_script("document.addEventListener('securitypolicyviolation', (e) => "
                             "console.error('Content Security Policy violation: ' + e.effectiveDirective))")
        page.goto(origin + "/login")
        page.fill("#login-email", email)
        page.fill("#login-password", password)
        page.click("#login-submit")  # a Reflex event over the /_event websocket, through nginx
        expect(page).to_have_url(f"{origin}/dashboard")
        expect(page.locator("#stage-heading")).to_have_text("Candidates by pipeline stage")
        token = page.evaluate("() => sessionStorage.getItem('token')")
        same_token = True
        # Each reload opens a new websocket, which round robin sends to the next backend; nginx logs
        # a websocket when it closes, which the next reload does.
        for _ in range(6):
            page.reload()
            expect(page.locator("#stage-heading")).to_have_text("Candidates by pipeline stage")
            same_token &= page.evaluate("() => sessionStorage.getItem('token')") == token
            time.sleep(0.3)
            if len(set(event_upstreams(log))) >= 2:
                break
    deadline = time.monotonic() + 5
    while len(set(event_upstreams(log))) < 2 and time.monotonic() < deadline:
        time.sleep(0.2)
    return {"token": token, "same_token": same_token, "event_upstreams": sorted(set(event_upstreams(log))),
            "csp_violations": violations}


if __name__ == "__main__":
    print(json.dumps(main(*sys.argv[1:5])))
