"""The layer rule of docs/ARCHITECTURE.md, as import contracts (pyproject.toml, import-linter).

`make test` fails when a contract is broken; the second test proves each kind of contract bites by
adding a forbidden import to a copy of the package."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
LINT_IMPORTS = Path(sys.executable).with_name("lint-imports")


def lint_imports(cwd: Path) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if k != "PYTHONPATH"}  # find `interviewer` in cwd only
    env["COLUMNS"] = "400"  # one line per contract in the report
    return subprocess.run([str(LINT_IMPORTS), "--no-cache", "--no-logo"], cwd=cwd, env=env,
                          capture_output=True, text=True, timeout=120)


def broken_contracts(report: str) -> list[str]:
    """The names of the contracts the report lists as BROKEN."""
    return [m.group(1) for m in re.finditer(r"^(.+) BROKEN( \(\d+ ignored imports?\))?$", report, re.M)]


def test_the_import_contracts_hold():
    assert LINT_IMPORTS.is_file(), "import-linter is not installed (make install)"
    done = lint_imports(ROOT)
    print(done.stdout, done.stderr)
    assert done.returncode == 0, f"lint-imports failed:\n{done.stdout}\n{done.stderr}"
    assert "0 broken" in done.stdout and "BROKEN" not in done.stdout


@pytest.fixture
def package_copy(tmp_path: Path) -> Path:
    shutil.copytree(ROOT / "interviewer", tmp_path / "interviewer",
                    ignore=shutil.ignore_patterns("__pycache__", "*.pyc"))
    shutil.copy(ROOT / "pyproject.toml", tmp_path / "pyproject.toml")
    return tmp_path


@pytest.mark.parametrize(("module", "imports", "contract"), [
    ("services/layer_probe.py", "import interviewer.api.deps", "Services import no UI"),
    ("services/layer_probe.py", "from fastapi import APIRouter", "Services import no UI"),
    ("services/layer_probe.py", "import reflex as rx", "Services import no UI"),
    ("services/speech/layer_probe.py", "from interviewer.state import auth_state", "Import direction"),
    ("services/layer_probe.py", "from rq import Queue", "Services never import rq"),
    ("live/layer_probe.py", "import websockets", "The live interview session imports no transport"),
    ("live/layer_probe.py", "from interviewer.api import ws", "The live interview session imports no transport"),
    ("live/layer_probe.py", "from starlette.websockets import WebSocket", "The live interview session"),
    ("pages/layer_probe.py", "from interviewer.services import fairness", "Pages and components import state"),
    ("components/layer_probe.py", "from interviewer.db import session_scope", "Pages and components import state"),
    ("models/layer_probe.py", "from interviewer.services import scoring", "Import direction"),
    ("jobs/layer_probe.py", "from interviewer.state import auth_state", "The REST API and the jobs"),
])
def test_a_forbidden_import_breaks_the_build(package_copy: Path, module: str, imports: str, contract: str):
    assert lint_imports(package_copy).returncode == 0  # the copy itself is clean
    (package_copy / "interviewer" / module).write_text(f"{imports}\n")
    done = lint_imports(package_copy)
    assert done.returncode != 0, done.stdout
    assert any(name.startswith(contract) for name in broken_contracts(done.stdout)), done.stdout
    assert "layer_probe" in done.stdout, done.stdout


def test_an_indirect_import_of_a_transport_breaks_the_live_contract(package_copy: Path):
    """live -> a service -> fastapi is caught too (the service contract catches it as well)."""
    (package_copy / "interviewer" / "services" / "layer_probe.py").write_text("import fastapi\n")
    (package_copy / "interviewer" / "live" / "layer_probe.py").write_text(
        "from interviewer.services import layer_probe\n")
    done = lint_imports(package_copy)
    broken = broken_contracts(done.stdout)
    assert done.returncode != 0 and any(name.startswith("The live interview session") for name in broken), \
        done.stdout
