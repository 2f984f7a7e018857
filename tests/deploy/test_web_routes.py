"""Issue 13 item 7: the production proxy answers unknown paths with HTTP 404 (and the styled page),
while every page of the app, those with an id in their path included, still answers 200."""

from __future__ import annotations

import re
from pathlib import Path

from interviewer import ops
from interviewer.web_routes import nginx_routes_conf, route_patterns

ROUTE_FILES = ["[404]._index.jsx", "[account].[password]._index.jsx", "[candidates].$[candidate_id]._index.jsx",
               "[candidates]._index.jsx", "[interview].$[token]._index.jsx", "[jobs].$[job_id]._index.jsx",
               "_index.jsx"]


def test_only_routes_with_a_path_parameter_need_a_location():
    patterns = route_patterns(ROUTE_FILES)
    assert patterns == ["^/candidates/[^/]+/?$", "^/interview/[^/]+/?$", "^/jobs/[^/]+/?$"]
    regexes = [re.compile(p) for p in patterns]
    for path in ("/candidates/0b7e4c9e-1111-4f00-9d7c-2c1f0e6a7b10", "/interview/tok_abc", "/jobs/42/"):
        assert any(r.match(path) for r in regexes), path
    for path in ("/candidates", "/candidates/1/edit", "/no-such-page", "/api/v1/candidates/1", "/ws/interview/t"):
        assert not any(r.match(path) for r in regexes), path
    conf = nginx_routes_conf(ROUTE_FILES)
    assert conf.count("location ~") == 3 and "try_files /__spa-fallback.html =404;" in conf


def test_the_site_template_sends_unknown_paths_to_the_styled_404_page(tmp_path: Path):
    local = ops.ProdLocal(base_dir=tmp_path).nginx_values(tmp_path / "c.pem", tmp_path / "k.pem")
    rendered = ops.render_template(ops.NGINX_SITE_TEMPLATE.read_text(), local)
    static = rendered.split("    location / {\n", 1)[1].split("}", 1)[0]
    assert "__spa-fallback" not in static and "=404" in static  # no catch-all 200 any more
    assert f"include {ops.ProdLocal(base_dir=tmp_path).static_root.parent / 'nginx-routes.conf'};" in rendered
    assert "error_page 404 /404.html;" in rendered
