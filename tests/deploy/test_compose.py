"""docker-compose.yml and docker-compose.prod.yml, checked without a Docker engine.

`docker compose config` needs the compose plugin, which this machine (and CI) does not have, so the
files are validated structurally here: keys allowed by the Compose Specification, image or build
(with a Dockerfile target that exists), depends_on conditions on declared services with health
checks where `service_healthy` is asked, declared networks and named volumes, interpolation of
${VAR} forms with the variables deploy/env.example documents, TRD 9.2 resource limits and
replicas, published ports, and that every command a container runs is one `make prod-local`
(interviewer/ops.py) or `make run` runs too. The nginx template's placeholders are checked
against both the proxy image and prod-local."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
import yaml

from interviewer import ops

ROOT = Path(__file__).resolve().parents[2]
DEV, PROD = ROOT / "docker-compose.yml", ROOT / "docker-compose.prod.yml"
DOCKERFILE = ROOT / "Dockerfile"

TOP_LEVEL = {"version", "name", "services", "networks", "volumes", "configs", "secrets", "include", "models"}
SERVICE_KEYS = {
    "annotations", "attach", "blkio_config", "build", "cap_add", "cap_drop", "cgroup", "cgroup_parent", "command",
    "configs", "container_name", "cpu_count", "cpu_percent", "cpu_period", "cpu_quota", "cpu_rt_period",
    "cpu_rt_runtime", "cpu_shares", "cpus", "cpuset", "credential_spec", "depends_on", "deploy", "develop",
    "device_cgroup_rules", "devices", "dns", "dns_opt", "dns_search", "domainname", "entrypoint", "env_file",
    "environment", "expose", "extends", "external_links", "extra_hosts", "gpus", "group_add", "healthcheck",
    "hostname", "image", "init", "ipc", "isolation", "labels", "links", "logging", "mac_address", "mem_limit",
    "mem_reservation", "mem_swappiness", "memswap_limit", "network_mode", "networks", "oom_kill_disable",
    "oom_score_adj", "pid", "pids_limit", "platform", "ports", "post_start", "pre_stop", "privileged", "profiles",
    "provider", "pull_policy", "read_only", "restart", "runtime", "scale", "secrets", "security_opt", "shm_size",
    "stdin_open", "stop_grace_period", "stop_signal", "storage_opt", "sysctls", "tmpfs", "tty", "ulimits",
    "use_api_socket", "user", "userns_mode", "uts", "volumes", "volumes_from", "working_dir",
}
BUILD_KEYS = {"context", "dockerfile", "dockerfile_inline", "args", "ssh", "labels", "cache_from", "cache_to",
              "no_cache", "additional_contexts", "network", "pull", "target", "shm_size", "extra_hosts",
              "isolation", "privileged", "secrets", "tags", "ulimits", "platforms", "entitlements"}
HEALTH_KEYS = {"test", "interval", "timeout", "retries", "start_period", "start_interval", "disable"}
DEPLOY_KEYS = {"mode", "replicas", "labels", "update_config", "rollback_config", "resources", "restart_policy",
               "placement", "endpoint_mode"}
CONDITIONS = {"service_started", "service_healthy", "service_completed_successfully"}
RESTART = {"no", "always", "on-failure", "unless-stopped"}
DURATION = re.compile(r"^(\d+(\.\d+)?(us|ms|s|m|h))+$")
MEMORY = re.compile(r"^\d+(\.\d+)?[bkmgBKMG]?$")
INTERPOLATION = re.compile(r"\$\{([A-Za-z_][A-Za-z0-9_]*)(?:(:?[-?+])([^}]*))?\}")

# TRD 9.2 (CPU limit, memory limit). Frontend = the proxy serving the static build; Backend;
# PostgreSQL; Redis; "Celery" = each RQ worker. The AI service runs inside backend/workers.
SPEC_92 = {"proxy": ("0.5", "512M"), "backend": ("1.0", "1G"), "db": ("2.0", "4G"), "redis": ("0.5", "512M"),
           "worker-high": ("1.0", "1G"), "worker-email": ("1.0", "1G")}


def _env_example() -> dict[str, str]:
    env = {}
    for line in (ROOT / "deploy" / "env.example").read_text().splitlines():
        if line.strip() and not line.lstrip().startswith("#"):
            key, _, value = line.partition("=")
            env[key.strip()] = value.strip() or f"test-{key.strip().lower()}"
    return env


def interpolate(value: Any, env: dict[str, str]) -> Any:
    """Compose's variable interpolation (${VAR}, ${VAR:-d}, ${VAR-d}, ${VAR:?e}, ${VAR?e}, ${VAR:+r}, $$)."""
    if isinstance(value, dict):
        return {k: interpolate(v, env) for k, v in value.items()}
    if isinstance(value, list):
        return [interpolate(v, env) for v in value]
    if not isinstance(value, str):
        return value

    def _sub(m: re.Match[str]) -> str:
        name, op, arg = m.group(1), m.group(2), m.group(3) or ""
        present = name in env and (env[name] != "" or not (op or "").startswith(":"))
        if op in (":?", "?"):
            if not present:
                raise KeyError(f"required variable {name} is unset: {arg}")
            return env[name]
        if op in (":-", "-"):
            return env[name] if present else arg
        if op in (":+", "+"):
            return arg if present else ""
        return env.get(name, "")

    text = value.replace("$$", "\x00")
    rest = INTERPOLATION.sub("", text)
    if "$" in rest:  # bare $VAR or a malformed ${...}: keep the files to one explicit form
        raise ValueError(f"use ${{VAR}} (or $$ for a literal $) in {value!r}")
    return INTERPOLATION.sub(_sub, text).replace("\x00", "$")


def load(path: Path, env: dict[str, str] | None = None) -> dict[str, Any]:
    raw = yaml.safe_load(path.read_text())  # resolves anchors and << merge keys
    return interpolate(raw, _env_example() if env is None else env)


def dockerfile_targets() -> set[str]:
    return set(re.findall(r"^FROM\s+\S+\s+AS\s+(\S+)", DOCKERFILE.read_text(), flags=re.M | re.I))


def image_healthcheck_targets() -> set[str]:
    """Dockerfile stages that declare a HEALTHCHECK."""
    targets, current = set(), None
    for line in DOCKERFILE.read_text().splitlines():
        m = re.match(r"^FROM\s+\S+\s+AS\s+(\S+)", line, flags=re.I)
        if m:
            current = m.group(1)
        elif line.startswith("HEALTHCHECK") and current:
            targets.add(current)
    return targets


def _check_file(path: Path) -> dict[str, Any]:
    doc = load(path)
    problems: list[str] = []
    assert set(doc) <= TOP_LEVEL | {k for k in doc if k.startswith("x-")}, set(doc) - TOP_LEVEL
    services: dict[str, Any] = doc["services"]
    networks, volumes = set(doc.get("networks") or {}), set(doc.get("volumes") or {})
    targets, healthy_images = dockerfile_targets(), image_healthcheck_targets()
    for name, svc in services.items():
        unknown = set(svc) - SERVICE_KEYS
        if unknown:
            problems.append(f"{name}: unknown keys {unknown}")
        if "image" not in svc and "build" not in svc:
            problems.append(f"{name}: neither image nor build")
        build = svc.get("build")
        if isinstance(build, dict):
            if set(build) - BUILD_KEYS:
                problems.append(f"{name}: unknown build keys {set(build) - BUILD_KEYS}")
            if (ROOT / build.get("context", ".") / build.get("dockerfile", "Dockerfile")).resolve() != DOCKERFILE:
                problems.append(f"{name}: build does not use the project's Dockerfile")
            if build.get("target") and build["target"] not in targets:
                problems.append(f"{name}: Dockerfile has no target {build['target']}")
        for dep, spec in (svc.get("depends_on") or {}).items():
            if dep not in services:
                problems.append(f"{name}: depends on unknown service {dep}")
                continue
            cond = spec.get("condition") if isinstance(spec, dict) else None
            if cond not in CONDITIONS:
                problems.append(f"{name}: depends_on {dep} without a valid condition ({cond})")
            target = services[dep]
            if cond == "service_healthy" and "healthcheck" not in target and \
                    (target.get("build") or {}).get("target") not in healthy_images:
                problems.append(f"{name}: waits for {dep} to be healthy, but {dep} has no healthcheck")
            if cond == "service_completed_successfully" and target.get("restart", "no") != "no":
                problems.append(f"{name}: waits for one-shot {dep}, which restarts")
        hc = svc.get("healthcheck")
        if hc is not None:
            if set(hc) - HEALTH_KEYS:
                problems.append(f"{name}: unknown healthcheck keys {set(hc) - HEALTH_KEYS}")
            test = hc.get("test")
            if not (isinstance(test, list) and test and test[0] in {"CMD", "CMD-SHELL", "NONE"}) \
                    and not isinstance(test, str):
                problems.append(f"{name}: healthcheck test must be [CMD|CMD-SHELL, ...]")
            for key in ("interval", "timeout", "start_period", "start_interval"):
                if key in hc and not DURATION.match(str(hc[key])):
                    problems.append(f"{name}: healthcheck {key}={hc[key]!r} is no duration")
        if "stop_grace_period" in svc and not DURATION.match(str(svc["stop_grace_period"])):
            problems.append(f"{name}: stop_grace_period {svc['stop_grace_period']!r}")
        if str(svc.get("restart", "no")) not in RESTART:
            problems.append(f"{name}: restart {svc.get('restart')!r}")
        for net in svc.get("networks") or []:
            if net not in networks:
                problems.append(f"{name}: network {net} not declared")
        for vol in svc.get("volumes") or []:
            source = vol.split(":", 1)[0] if isinstance(vol, str) else vol.get("source", "")
            if source and not source.startswith((".", "/", "~")) and source not in volumes:
                problems.append(f"{name}: named volume {source} not declared")
        for port in svc.get("ports") or []:
            if not re.fullmatch(r"((\d{1,3}\.){3}\d{1,3}:)?\d+(-\d+)?(:\d+(-\d+)?)?(/(tcp|udp))?", str(port)):
                problems.append(f"{name}: port {port!r}")
        deploy = svc.get("deploy") or {}
        if set(deploy) - DEPLOY_KEYS:
            problems.append(f"{name}: unknown deploy keys {set(deploy) - DEPLOY_KEYS}")
        limits = (deploy.get("resources") or {}).get("limits") or {}
        if "memory" in limits and not MEMORY.match(str(limits["memory"])):
            problems.append(f"{name}: memory limit {limits['memory']!r}")
        if "cpus" in limits:
            float(limits["cpus"])
        command = svc.get("command")
        if command is not None and not (isinstance(command, list) and all(isinstance(c, str) for c in command)):
            problems.append(f"{name}: command must be an exec-form list of strings")
        for item in svc.get("env_file") or []:
            if isinstance(item, dict) and set(item) - {"path", "required", "format"}:
                problems.append(f"{name}: env_file entry {item}")
    assert not problems, "\n".join(problems)
    return doc


def _commands(doc: dict[str, Any]) -> dict[str, list[str]]:
    """Commands of the project's own containers (built from the Dockerfile, or running a deploy/
    script); third-party servers (postgres, redis) keep their images' commands."""
    return {name: svc["command"] for name, svc in doc["services"].items()
            if "command" in svc and ("build" in svc or svc["command"][0].startswith("deploy/"))}


def test_both_compose_files_are_structurally_valid():
    _check_file(DEV)
    _check_file(PROD)


def test_prod_topology_follows_trd_9_2():
    doc = _check_file(PROD)
    services = doc["services"]
    assert services["backend"]["deploy"]["replicas"] == 3
    workers = {n: s for n, s in services.items() if s.get("command", [])[:4] == ["python", "-m", "interviewer", "worker"]}
    assert sum(s["deploy"]["replicas"] for s in workers.values()) == 2
    queues = [s["command"][s["command"].index("--queues") + 1].split(",") for s in workers.values()]
    assert sorted(q for qs in queues for q in qs) == ["default", "default", "email", "high"]
    for name, (cpus, memory) in SPEC_92.items():
        limits = services[name]["deploy"]["resources"]["limits"]
        assert (str(limits["cpus"]), str(limits["memory"])) == (cpus, memory), name
    # Only the proxy is published; database and Redis sit on an internal network.
    assert {n for n, s in services.items() if s.get("ports")} == {"proxy"}
    assert sorted(services["proxy"]["ports"]) == ["443:443", "80:80"]
    assert doc["networks"]["internal"]["internal"] is True
    assert services["db"]["networks"] == ["internal"] and services["redis"]["networks"] == ["internal"]
    # Spec 10.1 health checks: /health every 30 s with a 5 s timeout.
    backend_hc = services["backend"]["healthcheck"]
    assert backend_hc["test"][-1].endswith("/health") and (backend_hc["interval"], backend_hc["timeout"]) == ("30s", "5s")
    # Migrations run once, before every app container.
    for name in ("backend", "worker-high", "worker-email"):
        assert services[name]["depends_on"]["migrate"] == {"condition": "service_completed_successfully"}
        assert services[name]["init"] is True and services[name]["restart"] == "unless-stopped"
        assert services[name]["environment"]["REFLEX_STATE_IN_REDIS"] == "1"
        assert services[name]["env_file"] == [{"path": ".env", "required": True}]
    # A warm shutdown can finish the longest job of each worker's queues (spec 8.2).
    assert _seconds(services["worker-high"]["stop_grace_period"]) > 600
    assert _seconds(services["worker-email"]["stop_grace_period"]) > 1800


def _seconds(duration: str) -> float:
    units = {"us": 1e-6, "ms": 1e-3, "s": 1, "m": 60, "h": 3600}
    return sum(float(n) * units[u] for n, _, u in re.findall(r"(\d+(\.\d+)?)(us|ms|s|m|h)", duration))


def test_prod_secrets_are_required_not_defaulted():
    env = _env_example()
    for missing in ("SECRET_KEY", "ENCRYPTION_KEY", "POSTGRES_PASSWORD"):
        with pytest.raises(KeyError, match=missing):
            load(PROD, {k: v for k, v in env.items() if k != missing})
    assert load(PROD)["services"]["backend"]["environment"]["SECRET_KEY"] == env["SECRET_KEY"]


def test_every_container_command_is_one_prod_local_or_make_run_runs():
    prod_local = [ops.PRESTART_COMMAND, ops.BACKEND_COMMAND, *(ops.worker_command(q) for q in ops.WORKER_QUEUE_SETS),
                  ["deploy/backup.sh"]]  # `make backup`
    for name, command in _commands(load(PROD)).items():
        assert command in prod_local, f"{name}: {command} is not run by make prod-local / make backup"
    for script in ("deploy/prestart.sh", "deploy/backend.sh", "deploy/backup.sh", "deploy/restore.sh",
                   *ops.CERT_COMMAND):
        assert (ROOT / script).stat().st_mode & 0o111, f"{script} is not executable"
    # The development stack runs what `make run` / `make migrate|seed|worker` run.
    make_run = [ops.PRESTART_COMMAND, ["python", "-m", "interviewer", "seed", "--demo"],
                ["python", "-m", "interviewer", "worker"], ["reflex", "run", "--env", "dev", "--backend-host", "0.0.0.0"]]
    for name, command in _commands(load(DEV)).items():
        assert command in make_run, f"{name}: {command}"
    makefile = (ROOT / "Makefile").read_text()
    assert "-m interviewer.ops prod-local start" in makefile and "deploy/backup.sh" in makefile
    assert "$(PY) -m interviewer seed --demo" in makefile and "$(PY) -m interviewer worker" in makefile


def test_dockerfile_stages_and_runtime():
    text = DOCKERFILE.read_text()
    assert {"builder", "dev", "runtime", "proxy"} <= dockerfile_targets()
    runtime = text.split("AS runtime", 1)[1].split("\nFROM ", 1)[0]
    assert "USER app" in runtime and "HEALTHCHECK" in runtime and 'CMD ["deploy/backend.sh"]' in runtime
    assert "reflex export --frontend-only" in text
    proxy = text.split("AS proxy", 1)[1]
    assert "/etc/nginx/templates/default.conf.template" in proxy and "/build/.web/build/client" in proxy


def test_nginx_template_placeholders_are_set_by_the_image_and_by_prod_local(tmp_path: Path):
    template = ops.NGINX_SITE_TEMPLATE.read_text()
    needed = ops.template_placeholders(template)
    proxy_stage = DOCKERFILE.read_text().split("AS proxy", 1)[1]
    image_env = set(re.findall(r"\b(NGINX_[A-Z_]+)=", proxy_stage))
    assert needed <= image_env, needed - image_env
    local = ops.ProdLocal(base_dir=tmp_path).nginx_values(tmp_path / "c.pem", tmp_path / "k.pem")
    assert needed <= set(local)
    assert ops.template_placeholders(ops.NGINX_LOCAL_TEMPLATE.read_text()) <= set(local)
    rendered = ops.render_template(template, local)
    assert "${" not in rendered and "$upstream_addr" in rendered and "$http_upgrade" in rendered
    # Each route the backend owns is proxied; websockets get the upgrade headers.
    for route in ("location /_event", "location /ws/", "location /_upload", "location = /ping", "location /api/",
                  "location /health", "location = /metrics"):
        assert route in rendered, route
    metrics = rendered.split("location = /metrics", 1)[1].split("}", 1)[0]
    assert "deny all;" in metrics and "allow 127.0.0.1;" in metrics
    with pytest.raises(KeyError):
        ops.render_template("${NGINX_UNKNOWN}", {})


def _compose_plugin() -> bool:
    import shutil
    import subprocess

    if shutil.which("docker") is None:
        return False
    return subprocess.run(["docker", "compose", "version"], capture_output=True).returncode == 0


@pytest.mark.skipif(not _compose_plugin(), reason="the docker compose plugin is not installed (no engine needed)")
def test_docker_compose_config_accepts_both_files(tmp_path: Path):
    """Where the compose plugin exists, its own parser (no daemon needed) validates the files too."""
    import shutil
    import subprocess

    env = _env_example()
    (tmp_path / ".env").write_text("".join(f"{k}={v}\n" for k, v in env.items()))
    for path in (DEV, PROD):
        shutil.copy(path, tmp_path / path.name)
        done = subprocess.run(["docker", "compose", "-f", path.name, "config", "-q"], cwd=tmp_path,
                              capture_output=True, text=True, timeout=60)
        assert done.returncode == 0, done.stderr
