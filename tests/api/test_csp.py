"""The UI's Content-Security-Policy (interviewer/core/csp.py) as the three servers apply it: the
backend's middleware (pages it serves, and everything else), the dev server's Vite plugin
(interviewer/web_security.py) and the production nginx header file."""

from __future__ import annotations

import base64
import hashlib
from pathlib import Path

from interviewer.core import csp
from interviewer.web_security import add_dev_headers, write_nginx_conf

PAGE = b"<html><head><script>window.a = 1;</script><script src='/x.js'></script>" \
       b"<script type=\"module\" async>import('/y.js');</script></head><body></body></html>"


def _sha(text: bytes) -> str:
    return f"'sha256-{base64.b64encode(hashlib.sha256(text).digest()).decode()}'"


def test_inline_scripts_are_allowed_by_hash_only():
    assert csp.inline_script_hashes(PAGE) == [_sha(b"window.a = 1;"), _sha(b"import('/y.js');")]
    policy = csp.ui_policy(csp.inline_script_hashes(PAGE), ["ws://127.0.0.1:8000"])
    directives = {d.split()[0]: d.split()[1:] for d in policy.split("; ")}
    assert "'unsafe-inline'" not in directives["script-src"]
    assert directives["frame-ancestors"] == ["'none'"] and directives["object-src"] == ["'none'"]
    assert "ws://127.0.0.1:8000" in directives["connect-src"]


def test_backend_origins_in_both_schemes():
    assert csp.connect_origins(["ws://127.0.0.1:8000/_event", "https://app.example/_upload", ""]) == [
        "http://127.0.0.1:8000", "ws://127.0.0.1:8000", "https://app.example", "wss://app.example"]


def test_backend_pages_get_their_hashes_and_other_answers_the_closed_policy(api):
    docs = api.get("/api/v1/docs")
    policy = docs.headers["content-security-policy"]
    assert "frame-ancestors 'none'" in policy and "'unsafe-inline'" not in policy.split("script-src")[1].split(";")[0]
    assert all(h in policy for h in csp.inline_script_hashes(docs.content))
    health = api.get("/api/v1/health")
    assert health.headers["content-security-policy"] == csp.NON_PAGE_POLICY
    assert health.headers["x-frame-options"] == "DENY"


def test_dev_server_config_gets_the_header_plugin_once():
    config = ('import { defineConfig } from "vite";\nexport default defineConfig((config) => ({\n'
              '  plugins: [\n    reactRouter(),\n  ].concat([]),\n}));\n')
    out = add_dev_headers(config)
    assert "plugins: [\n    interviewerSecurityHeaders()," in out
    assert "function interviewerSecurityHeaders()" in out and "frame-ancestors 'none'" in out
    assert add_dev_headers(out) == out


def test_nginx_header_file_lists_every_built_page(tmp_path: Path):
    web = tmp_path / ".web"
    static = web / "build" / "client"
    (static / "jobs").mkdir(parents=True)
    (static / "index.html").write_bytes(PAGE)
    (static / "jobs" / "index.html").write_bytes(b"<script>other()</script>")
    (web / "env.json").write_text('{"EVENT": "wss://app.example/_event"}')
    conf = write_nginx_conf(static).read_text()
    assert conf.count("add_header") == 2 and "X-Frame-Options DENY always;" in conf
    for source in (_sha(b"window.a = 1;"), _sha(b"other()"), "wss://app.example"):
        assert source in conf
