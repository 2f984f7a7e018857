"""Security headers of the UI pages outside the backend (the policy: ``interviewer.core.csp``).

A Reflex plugin (registered in rxconfig.py):

- dev: the pages come from the Vite dev server, whose config Reflex writes at every compile. The
  plugin adds a small Vite plugin to it that sends ``X-Frame-Options: DENY`` with every answer
  and, on pages, the Content-Security-Policy with the SHA-256 of the page's inline scripts
  (computed per answer: the dev server's pages change) and the backend's origins (read from
  ``.web/env.json``, which carries the backend port, chosen at start).
- production build (``reflex export``): after the build it writes ``.web/build/nginx-csp.conf``,
  the ``add_header`` lines nginx includes (``deploy/nginx/interviewer.conf.template``).
"""

from __future__ import annotations

import json
from pathlib import Path

import reflex as rx

from interviewer.core import csp

VITE_CONFIG = "vite.config.js"
NGINX_CONF_NAME = "nginx-csp.conf"
_MARKER = "interviewerSecurityHeaders()"

# The policy with two placeholders the dev server fills per answer.
_SCRIPT_HASHES, _CONNECT = "__INTERVIEWER_SCRIPT_HASHES__", "__INTERVIEWER_CONNECT__"

_VITE_PLUGIN_JS = r"""
import { createHash as __ivCreateHash } from "crypto";
import { readFileSync as __ivReadFileSync } from "fs";

// Security headers of the dev server's answers (interviewer/web_security.py; policy: interviewer/core/csp.py).
function interviewerSecurityHeaders() {
  const template = __POLICY__;
  const inlineScript = /<script(?![^>]*\ssrc\s*=)(?:\s[^>]*)?>([\s\S]*?)<\/script\s*>/gi;
  function backendOrigins() {
    const out = new Set();
    try {
      const env = JSON.parse(__ivReadFileSync(new URL("./env.json", import.meta.url), "utf8"));
      for (const key of ["EVENT", "PING", "UPLOAD"]) {
        if (!env[key]) continue;
        const url = new URL(env[key]);
        const secure = url.protocol === "https:" || url.protocol === "wss:";
        for (const scheme of secure ? ["https", "wss"] : ["http", "ws"]) out.add(`${scheme}://${url.host}`);
      }
    } catch (e) {}
    return [...out];
  }
  function policyFor(html) {
    const hashes = new Set();
    for (const m of html.matchAll(inlineScript)) {
      hashes.add(`'sha256-${__ivCreateHash("sha256").update(m[1], "utf8").digest("base64")}'`);
    }
    return template.replace("__INTERVIEWER_SCRIPT_HASHES__", [...hashes].join(" "))
                   .replace("__INTERVIEWER_CONNECT__", backendOrigins().join(" "))
                   .replace(/ +;/g, ";");
  }
  function middleware(req, res, next) {
    res.setHeader("X-Frame-Options", "DENY");
    res.setHeader("X-Content-Type-Options", "nosniff");
    res.setHeader("Referrer-Policy", "strict-origin-when-cross-origin");
    if (!String(req.headers.accept || "").includes("text/html")) return next();
    // A page: hold the answer back until it is complete, then send it with its policy.
    const chunks = [];
    let head = null;
    const writeHead = res.writeHead.bind(res), end = res.end.bind(res);
    res.writeHead = (...args) => { head = args; return res; };
    res.write = (chunk, encoding, cb) => {
      if (chunk) chunks.push(Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk, typeof encoding === "string" ? encoding : "utf8"));
      if (typeof encoding === "function") encoding(); else if (typeof cb === "function") cb();
      return true;
    };
    res.end = (chunk, encoding, cb) => {
      if (typeof chunk === "function") { cb = chunk; chunk = undefined; }
      if (chunk) chunks.push(Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk, typeof encoding === "string" ? encoding : "utf8"));
      const body = Buffer.concat(chunks);
      const type = String(res.getHeader("content-type") || (head && JSON.stringify(head)) || "");
      if (type.includes("text/html")) res.setHeader("Content-Security-Policy", policyFor(body.toString("utf8")));
      if (head) writeHead(...head);
      return end(body, typeof cb === "function" ? cb : undefined);
    };
    next();
  }
  return {
    name: "interviewer-security-headers",
    configureServer(server) { server.middlewares.use(middleware); },
    configurePreviewServer(server) { server.middlewares.use(middleware); },
  };
}
"""


def dev_policy_template() -> str:
    return csp.ui_policy([_SCRIPT_HASHES], [_CONNECT])


def add_dev_headers(vite_config: str) -> str:
    """``vite.config.js`` with the header plugin added (idempotent)."""
    if _MARKER in vite_config:
        return vite_config
    js = _VITE_PLUGIN_JS.replace("__POLICY__", json.dumps(dev_policy_template()))
    anchor = "export default defineConfig("
    if anchor not in vite_config or "plugins: [" not in vite_config:
        raise RuntimeError("vite.config.js changed shape: cannot add the security headers plugin")
    head, tail = vite_config.split(anchor, 1)
    tail = tail.replace("plugins: [", f"plugins: [\n    {_MARKER},", 1)
    return f"{head}{js}\n{anchor}{tail}"


def write_nginx_conf(static_dir: Path) -> Path:
    """``nginx-csp.conf`` next to the built pages (``.web/build/``), for the production proxy."""
    env_json = static_dir.parent.parent / "env.json"
    out = static_dir.parent / NGINX_CONF_NAME
    out.write_text(csp.nginx_headers_conf(static_dir, csp.backend_origins_from_env_json(env_json)))
    return out


class SecurityHeadersPlugin(rx.plugins.Plugin):
    """CSP and anti-framing headers for the dev server's pages and the production build."""

    def pre_compile(self, **context):
        context["add_modify_task"](VITE_CONFIG, add_dev_headers)

    def post_build(self, **context):
        write_nginx_conf(Path(context["static_dir"]))
