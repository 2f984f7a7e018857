"""Production-like local mode without Docker (``make prod-local``), sharing the container commands.

``ProdLocal`` runs the production topology of docker-compose.prod.yml on this machine:

- the static frontend built by ``reflex export --frontend-only`` (into ``<base>/web/build/client``),
- the prestart step (``deploy/prestart.sh``: wait for the database, ``alembic upgrade head``),
- N backend processes (``deploy/backend.sh``: ``reflex run --env prod --backend-only``) on their own
  ports, with Reflex's state in Redis (``REFLEX_STATE_IN_REDIS=1``) so any of them serves any tab,
- RQ workers (``python -m interviewer worker --queues ...``), one per queue set,
- nginx from Debian as the TLS reverse proxy (``deploy/nginx/interviewer.conf.template``), round
  robin over the backends, serving the static files, with a self-signed certificate,

on the local PostgreSQL (database ``interviewer_prodlocal``) and Redis (DB index 2). Every process
runs in its own session; their pids are kept in ``<base>/state.json`` for ``stop``.

CLI: ``python -m interviewer.ops prod-local {start,stop,status} [--no-build]``,
``python -m interviewer.ops db-url`` (the libpq URL of the configured database, for backup.sh) and
``python -m interviewer.ops worker-alive`` (the worker containers' health check).
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import re
import secrets
import shutil
import signal
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from interviewer.core import csp
from interviewer.core.config import PROJECT_ROOT

DEPLOY_DIR = PROJECT_ROOT / "deploy"
NGINX_SITE_TEMPLATE = DEPLOY_DIR / "nginx" / "interviewer.conf.template"
NGINX_LOCAL_TEMPLATE = DEPLOY_DIR / "nginx" / "nginx-local.conf.template"

# The commands the containers run (docker-compose*.yml); prod-local runs exactly these.
PRESTART_COMMAND = ["deploy/prestart.sh"]
BACKEND_COMMAND = ["deploy/backend.sh"]
WORKER_QUEUE_SETS = ("high,default", "email,default")  # one worker per queue set (spec 9.2: 2)
CERT_COMMAND = ["deploy/gen-selfsigned-cert.sh"]


def worker_command(queues: str) -> list[str]:
    return ["python", "-m", "interviewer", "worker", "--queues", queues]


def libpq_url(url: str) -> str:
    """A SQLAlchemy/psycopg URL as libpq (pg_dump, psql) wants it."""
    return re.sub(r"^(postgresql\+[a-z0-9]+|postgres)://", "postgresql://", url)


def render_template(text: str, values: dict[str, str]) -> str:
    """envsubst semantics as the nginx image applies them: ``${NAME}`` is replaced, nginx's own
    ``$name`` variables are left alone. A placeholder without a value is an error."""

    def _value(match: re.Match[str]) -> str:
        name = match.group(1)
        if name not in values:
            raise KeyError(f"no value for ${{{name}}}")
        return values[name]

    return re.sub(r"\$\{([A-Z][A-Z0-9_]*)\}", _value, text)


def template_placeholders(text: str) -> set[str]:
    return set(re.findall(r"\$\{([A-Z][A-Z0-9_]*)\}", text))


def nginx_binary() -> str | None:
    return shutil.which("nginx") or next((p for p in ("/usr/sbin/nginx",) if Path(p).exists()), None)


def ensure_nginx() -> str:
    """nginx from Debian's package, installed when missing (like .ci/run installs chromium)."""
    found = nginx_binary()
    if found:
        return found
    if os.geteuid() != 0:
        raise SystemExit("nginx is not installed; run: sudo apt-get install -y nginx")
    print("[prod-local] installing nginx (Debian package)", flush=True)
    env = dict(os.environ, DEBIAN_FRONTEND="noninteractive")
    subprocess.run(["apt-get", "update", "-qq"], check=True, env=env)
    subprocess.run(["apt-get", "install", "-y", "-qq", "--no-install-recommends", "nginx"], check=True, env=env)
    found = nginx_binary()
    if not found:
        raise SystemExit("nginx install failed")
    return found


def _venv_path() -> str:
    bin_dir = str(Path(sys.executable).parent)
    return os.pathsep.join([bin_dir, os.environ.get("PATH", "/usr/local/bin:/usr/bin:/bin")])


@dataclass
class ProdLocal:
    base_dir: Path = PROJECT_ROOT / "var" / "prodlocal"
    host: str = "127.0.0.1"
    https_port: int = 8443
    http_port: int = 8080
    backend_ports: tuple[int, ...] = (8001, 8002)
    worker_queues: tuple[str, ...] = WORKER_QUEUE_SETS
    database_url: str = "postgresql://postgres@127.0.0.1:5432/interviewer_prodlocal"
    redis_url: str = "redis://127.0.0.1:6379/2"
    granian_workers: int = 1  # processes per backend; two backends = two workers behind nginx
    extra_env: dict[str, str] = field(default_factory=dict)
    worker_stop_timeout: float = 60.0  # warm shutdown: let a running job finish this long

    # ----------------------------------------------------------------- paths and environment
    @property
    def origin(self) -> str:
        return f"https://{self.host}:{self.https_port}"

    @property
    def web_dir(self) -> Path:
        return self.base_dir / "web"

    @property
    def static_root(self) -> Path:
        return self.web_dir / "build" / "client"

    @property
    def logs_dir(self) -> Path:
        return self.base_dir / "logs"

    @property
    def state_file(self) -> Path:
        return self.base_dir / "state.json"

    @property
    def access_log(self) -> Path:
        return self.logs_dir / "nginx-access.log"

    def secret_key(self) -> str:
        path = self.base_dir / "secret_key"
        if not path.exists():
            self.base_dir.mkdir(parents=True, exist_ok=True)
            path.write_text(secrets.token_urlsafe(48))
            path.chmod(0o600)
        return path.read_text().strip()

    def encryption_key(self) -> str:
        path = self.base_dir / "encryption_key"
        if not path.exists():
            from interviewer.core.config import new_encryption_key, write_private_file

            write_private_file(path, new_encryption_key())
        return path.read_text().strip()

    def env(self) -> dict[str, str]:
        from interviewer.manage import reflex_env

        env = reflex_env()
        env.update({
            "PATH": _venv_path(),
            "ENVIRONMENT": "production",
            "SECRET_KEY": self.secret_key(),
            "ENCRYPTION_KEY": self.encryption_key(),
            "DATABASE_URL": self.database_url,
            "REDIS_URL": self.redis_url,
            "REFLEX_STATE_IN_REDIS": "1",
            "REFLEX_API_URL": self.origin,
            "REFLEX_WEB_WORKDIR": str(self.web_dir),
            "REFLEX_STATES_WORKDIR": str(self.base_dir / "states"),
            "REFLEX_ENV_MODE": "prod",
            "GRANIAN_WORKERS": str(self.granian_workers),
            # each backend process has its own Whisper pool: together one replica per core
            "WHISPER_WORKERS": str(max(1, (os.cpu_count() or 1) // (len(self.backend_ports) * self.granian_workers))),
            "PUBLIC_URL": self.origin,
            "CORS_ORIGINS": f"{self.origin},https://localhost:{self.https_port}",
            "TRUSTED_PROXIES": "127.0.0.1/32",
            "TRUSTED_PROXY_HOPS": "1",
            "DATA_DIR": str(self.base_dir / "data"),
            "LOG_JSON": "true",
            "PYTHONUNBUFFERED": "1",
        })
        env.update(self.extra_env)
        return env

    # ----------------------------------------------------------------- preparation steps
    def ensure_database(self) -> None:
        """Create the database when missing (the server must be up: see .ci/run)."""
        import psycopg

        url = libpq_url(self.database_url)
        name = url.rsplit("/", 1)[1].split("?", 1)[0]
        admin = url.rsplit("/", 1)[0] + "/postgres"
        if not re.fullmatch(r"[A-Za-z0-9_]+", name):
            raise SystemExit(f"unsupported database name {name!r}")
        with psycopg.connect(admin, autocommit=True, connect_timeout=5) as conn:
            if conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", (name,)).fetchone() is None:
                conn.execute(f'CREATE DATABASE "{name}"')

    def ensure_certificate(self) -> tuple[Path, Path]:
        tls = self.base_dir / "tls"
        subprocess.run([*CERT_COMMAND, str(tls)], cwd=PROJECT_ROOT, check=True, stdout=subprocess.DEVNULL)
        return tls / "cert.pem", tls / "key.pem"

    def _frontend_stamp(self) -> str:
        digest = hashlib.sha256(self.origin.encode())
        for top in ("interviewer", "assets"):
            for path in sorted((PROJECT_ROOT / top).rglob("*")):
                if path.is_file() and "__pycache__" not in path.parts:
                    st = path.stat()
                    digest.update(f"{path.relative_to(PROJECT_ROOT)}:{st.st_size}:{st.st_mtime_ns}".encode())
        for name in ("rxconfig.py", "reflex.lock"):
            path = PROJECT_ROOT / name
            if path.is_file():
                digest.update(f"{name}:{path.stat().st_mtime_ns}".encode())
        return digest.hexdigest()

    def build_frontend(self, *, force: bool = False) -> bool:
        """``reflex export --frontend-only`` into ``static_root``; skipped when nothing changed.
        Returns whether it built."""
        stamp_file = self.base_dir / "frontend.stamp"
        stamp = self._frontend_stamp()
        if not force and (self.static_root / "index.html").exists() and stamp_file.exists() \
                and stamp_file.read_text() == stamp:
            return False
        self.logs_dir.mkdir(parents=True, exist_ok=True)
        print(f"[prod-local] building the static frontend for {self.origin}", flush=True)
        with open(self.logs_dir / "frontend-build.log", "wb") as log:
            done = subprocess.run([sys.executable, "-m", "reflex", "export", "--frontend-only", "--no-zip",
                                   "--env", "prod", "--loglevel", "info"],
                                  cwd=PROJECT_ROOT, env=self.env(), stdout=log, stderr=subprocess.STDOUT)
        if done.returncode != 0 or not (self.static_root / "index.html").exists():
            raise SystemExit(f"frontend build failed; see {self.logs_dir / 'frontend-build.log'}")
        stamp_file.write_text(stamp)
        return True

    def nginx_values(self, cert: Path, key: Path) -> dict[str, str]:
        servers = " ".join(f"server 127.0.0.1:{p} max_fails=1 fail_timeout=5s;" for p in self.backend_ports)
        return {
            "NGINX_BACKEND_SERVERS": servers,
            "NGINX_HTTP_PORT": f"{self.host}:{self.http_port}",
            "NGINX_HTTPS_PORT": f"{self.host}:{self.https_port}",
            "NGINX_HTTPS_ORIGIN": f"https://$host:{self.https_port}",
            "NGINX_TLS_CERT": str(cert),
            "NGINX_TLS_KEY": str(key),
            "NGINX_STATIC_ROOT": str(self.static_root),
            "NGINX_ACCESS_LOG": str(self.access_log),
            # Which backend answered: lets tests and the benchmark see the load balancing.
            "NGINX_EXTRA_HEADERS": "add_header X-Upstream-Addr $upstream_addr always;",
            "NGINX_METRICS_ALLOW": "allow 127.0.0.1;",
            "NGINX_CSP_CONF": str(self.base_dir / "nginx" / "csp.conf"),
            # The app's parameterised page routes, written by the frontend build (interviewer/web_routes.py).
            "NGINX_ROUTES_CONF": str(self.static_root.parent / "nginx-routes.conf"),
            "PROD_LOCAL_DIR": str(self.base_dir),
        }

    def render_nginx(self) -> Path:
        cert, key = self.ensure_certificate()
        values = self.nginx_values(cert, key)
        conf_dir = self.base_dir / "nginx"
        conf_dir.mkdir(parents=True, exist_ok=True)
        (conf_dir / "interviewer.conf").write_text(render_template(NGINX_SITE_TEMPLATE.read_text(), values))
        # The pages' Content-Security-Policy, from the built pages (regenerated with every render).
        Path(values["NGINX_CSP_CONF"]).write_text(csp.nginx_headers_conf(
            self.static_root, csp.backend_origins_from_env_json(self.web_dir / "env.json")))
        if not Path(values["NGINX_ROUTES_CONF"]).exists():  # a build from before the routes plugin
            from interviewer.web_routes import write_nginx_conf as write_routes_conf

            write_routes_conf(self.static_root)
        main = conf_dir / "nginx.conf"
        main.write_text(render_template(NGINX_LOCAL_TEMPLATE.read_text(), values))
        return main

    # ----------------------------------------------------------------- processes
    def _spawn(self, name: str, cmd: list[str], env: dict[str, str]) -> dict[str, Any]:
        self.logs_dir.mkdir(parents=True, exist_ok=True)
        log = open(self.logs_dir / f"{name}.log", "ab")  # noqa: SIM115 - handed to the child
        try:
            proc = subprocess.Popen(cmd, cwd=PROJECT_ROOT, env=env, stdout=log, stderr=subprocess.STDOUT,
                                    stdin=subprocess.DEVNULL, start_new_session=True)
        finally:
            log.close()
        return {"name": name, "pid": proc.pid, "cmd": cmd, "created": _create_time(proc.pid)}

    def _save_state(self, procs: list[dict[str, Any]]) -> None:
        self.state_file.write_text(json.dumps({"origin": self.origin, "processes": procs}, indent=2))

    def load_state(self) -> dict[str, Any] | None:
        try:
            return json.loads(self.state_file.read_text())
        except (FileNotFoundError, json.JSONDecodeError):
            return None

    def _wait_http(self, url: str, *, timeout: float, what: str, procs: list[dict[str, Any]]) -> None:
        import httpx

        deadline = time.monotonic() + timeout
        last = ""
        while time.monotonic() < deadline:
            for p in procs:
                if not _alive(p["pid"]):
                    raise RuntimeError(f"{p['name']} exited during start; see {self.logs_dir / (p['name'] + '.log')}")
            try:
                if httpx.get(url, timeout=2, verify=False).status_code == 200:
                    return
            except httpx.HTTPError as exc:
                last = type(exc).__name__
            time.sleep(0.3)
        raise RuntimeError(f"{what} not healthy at {url} after {timeout:.0f}s ({last})")

    def start(self, *, build: bool = True, timeout: float = 90.0) -> dict[str, Any]:
        state = self.load_state()
        if state and any(_ours(p) for p in state["processes"]):
            raise SystemExit(f"prod-local already runs ({self.state_file}); stop it first")
        self.base_dir.mkdir(parents=True, exist_ok=True)
        nginx = ensure_nginx()
        self.ensure_database()
        if build:
            self.build_frontend()
        elif not (self.static_root / "index.html").exists():
            raise SystemExit("no frontend build yet: run without --no-build")
        conf = self.render_nginx()
        errlog = str(self.logs_dir / "nginx-error.log")
        self.logs_dir.mkdir(parents=True, exist_ok=True)
        subprocess.run([nginx, "-q", "-t", "-e", errlog, "-c", str(conf)], check=True)
        env = self.env()
        subprocess.run(PRESTART_COMMAND, cwd=PROJECT_ROOT, env=env, check=True)
        procs: list[dict[str, Any]] = []
        try:
            for port in self.backend_ports:
                procs.append(self._spawn(f"backend-{port}", BACKEND_COMMAND,
                                         {**env, "BACKEND_HOST": "127.0.0.1", "BACKEND_PORT": str(port)}))
            for i, queues in enumerate(self.worker_queues, 1):
                procs.append(self._spawn(f"worker-{i}", worker_command(queues), env))
            self._save_state(procs)
            for port in self.backend_ports:
                self._wait_http(f"http://127.0.0.1:{port}/health", timeout=timeout, what=f"backend {port}",
                                procs=procs)
            procs.append(self._spawn("nginx", [nginx, "-e", errlog, "-c", str(conf), "-g", "daemon off;"], env))
            self._save_state(procs)
            self._wait_http(f"{self.origin}/health", timeout=30, what="nginx", procs=procs)
        except BaseException:
            self.stop(quiet=True)
            raise
        return {"origin": self.origin, "processes": procs}

    def stop(self, *, quiet: bool = False) -> None:
        state = self.load_state()
        if not state:
            if not quiet:
                print("[prod-local] not running")
            return
        procs = state["processes"]
        order = {"nginx": 0, "backend": 1, "worker": 2}
        procs = sorted(procs, key=lambda p: order.get(p["name"].split("-")[0], 3))
        procs = [p for p in procs if _ours(p)]  # a recorded pid now used by another process is left alone
        for p in procs:
            # nginx: graceful (SIGQUIT ends open requests first); the rest: SIGTERM to the whole
            # session. Workers warm-stop: the job in progress finishes (interviewer.jobs.worker).
            sig = signal.SIGQUIT if p["name"] == "nginx" else signal.SIGTERM
            _signal_group(p["pid"], sig)
        for p in procs:
            limit = self.worker_stop_timeout if p["name"].startswith("worker") else 20.0
            if not _wait_gone(p["pid"], limit):
                if not quiet:
                    print(f"[prod-local] {p['name']} did not stop in {limit:.0f}s: SIGKILL", flush=True)
                _signal_group(p["pid"], signal.SIGKILL)
                _wait_gone(p["pid"], 5)
        self.state_file.unlink(missing_ok=True)
        if not quiet:
            print("[prod-local] stopped")

    def status(self) -> list[dict[str, Any]]:
        state = self.load_state() or {"processes": []}
        return [{**p, "alive": _ours(p)} for p in state["processes"]]


def _create_time(pid: int) -> float | None:
    import psutil

    try:
        return psutil.Process(pid).create_time()
    except psutil.Error:
        return None


def _ours(p: dict[str, Any]) -> bool:
    """The recorded process still runs (same pid *and* start time: pids are reused)."""
    return _alive(p["pid"]) and (p.get("created") is None or _create_time(p["pid"]) == p["created"])


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    try:  # a zombie (our own child not yet reaped) counts as gone
        return Path(f"/proc/{pid}/stat").read_text().split(") ", 1)[1][0] != "Z"
    except (OSError, IndexError):
        return False


def _signal_group(pid: int, sig: signal.Signals) -> None:
    try:
        os.killpg(pid, sig)  # each process was started as the leader of its own session
    except ProcessLookupError:
        pass


def _wait_gone(pid: int, timeout: float) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            os.waitpid(pid, os.WNOHANG)  # reap when it is our child
        except ChildProcessError:
            pass
        if not _alive(pid):
            return True
        time.sleep(0.1)
    return not _alive(pid)


def worker_alive(max_age: float = 120.0) -> bool:
    """Container health of a worker: an RQ worker on this host has sent a heartbeat recently."""
    import socket
    from datetime import datetime, timezone

    from rq import Worker

    from interviewer.jobs.queue import rq_connection

    host = socket.gethostname()
    now = datetime.now(timezone.utc)
    for worker in Worker.all(connection=rq_connection()):
        beat = worker.last_heartbeat
        if worker.hostname == host and beat is not None:
            beat = beat if beat.tzinfo else beat.replace(tzinfo=timezone.utc)
            if (now - beat).total_seconds() < max_age:
                return True
    return False


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m interviewer.ops")
    sub = parser.add_subparsers(dest="command", required=True)
    pl = sub.add_parser("prod-local", help="the production topology on this machine (nginx, 2 backends, 2 workers)")
    pl.add_argument("action", choices=["start", "stop", "status"])
    pl.add_argument("--no-build", action="store_true", help="reuse the last frontend build")
    sub.add_parser("db-url", help="print the configured database URL in libpq form")
    sub.add_parser("worker-alive", help="exit 0 when an RQ worker on this host has a recent heartbeat")
    args = parser.parse_args(argv)
    if args.command == "worker-alive":
        return 0 if worker_alive() else 1
    if args.command == "db-url":
        from interviewer.core.config import get_settings

        print(libpq_url(get_settings().sqlalchemy_url))
        return 0
    pl_env = ProdLocal()
    if args.action == "start":
        info = pl_env.start(build=not args.no_build)
        names = ", ".join(f"{p['name']} (pid {p['pid']})" for p in info["processes"])
        print(f"[prod-local] running: {names}")
        print(f"[prod-local] open {pl_env.origin}  (self-signed certificate; http://{pl_env.host}:{pl_env.http_port} "
              f"redirects)  logs: {pl_env.logs_dir}  stop: make prod-local-stop")
    elif args.action == "stop":
        pl_env.stop()
    else:
        rows = pl_env.status()
        for p in rows:
            print(f"{p['name']:<14} pid {p['pid']:<8} {'running' if p['alive'] else 'gone'}")
        if not rows:
            print("[prod-local] not running")
    return 0


if __name__ == "__main__":
    sys.exit(main())
