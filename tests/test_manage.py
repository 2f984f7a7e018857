"""The one-command development runner's environment for `reflex run`."""

from __future__ import annotations

from pathlib import Path

from interviewer.core.config import PROJECT_ROOT, get_settings
from interviewer.manage import reflex_env


def _under(path: Path, root: Path) -> bool:
    return path == root or root in path.parents


def test_the_development_server_restarts_for_code_changes_and_not_for_the_apps_own_data(monkeypatch):
    """Reflex restarts its development backend when a watched file changes; by default it watches
    everything under the project root, var/ included, so a SQLite write (the -wal file), a Redis
    snapshot or an uploaded resume restarted the backend and signed everyone out. The paths are
    asked of Reflex itself, as `reflex run` computes them."""
    from reflex.utils.exec import get_reload_paths

    monkeypatch.delenv("REFLEX_HOT_RELOAD_OVERRIDE_PATHS", raising=False)
    monkeypatch.setenv("REFLEX_HOT_RELOAD_OVERRIDE_PATHS", reflex_env()["REFLEX_HOT_RELOAD_OVERRIDE_PATHS"])
    watched = [Path(p).resolve() for p in get_reload_paths()]

    assert (PROJECT_ROOT / "interviewer").resolve() in watched  # code changes still restart it
    assert (PROJECT_ROOT / "rxconfig.py").resolve() in watched
    data = get_settings().DATA_DIR.resolve()
    runtime = [data, data / "interviewer.db-wal", data / "redis" / "dump.rdb", data / "uploads",
               PROJECT_ROOT / "var", PROJECT_ROOT / "uploaded_files"]
    for path in runtime:
        assert not any(_under(path.resolve(), root) for root in watched), path


def test_a_developer_can_still_choose_what_restarts_the_server(monkeypatch):
    monkeypatch.setenv("REFLEX_HOT_RELOAD_OVERRIDE_PATHS", "/somewhere/else")
    assert reflex_env()["REFLEX_HOT_RELOAD_OVERRIDE_PATHS"] == "/somewhere/else"
