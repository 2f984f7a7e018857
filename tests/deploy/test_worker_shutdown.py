"""Graceful shutdown of `python -m interviewer worker` (the command the containers and prod-local
run): SIGTERM lets the job in progress finish (RQ's warm shutdown), even when the signal reaches
every process of the worker, work horse included, as a control-group kill (systemd, some container
runtimes) or `make prod-local-stop`'s killpg does."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time

import psutil

from rq.job import Job

from interviewer.core.config import PROJECT_ROOT
from interviewer.jobs.queue import get_queue, rq_connection


def _start_worker() -> subprocess.Popen:
    return subprocess.Popen([sys.executable, "-m", "interviewer", "worker", "--queues", "default"],
                            cwd=PROJECT_ROOT, env=dict(os.environ), start_new_session=True,
                            stdout=subprocess.PIPE, stderr=subprocess.STDOUT)


def _wait_status(job: Job, status: str, timeout: float) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if job.get_status(refresh=True).value == status:
            return
        time.sleep(0.05)
    raise AssertionError(f"job {job.id} not {status} after {timeout}s (is {job.get_status(refresh=True)})")


def test_sigterm_to_every_worker_process_lets_the_running_job_finish():
    job = get_queue("default").enqueue("time.sleep", 3, job_timeout=60)
    later = get_queue("default").enqueue("time.sleep", 0, job_timeout=60)
    worker = _start_worker()
    try:
        _wait_status(job, "started", timeout=30)
        # Background work yields the CPU to the web processes (WORKER_NICE, default 10).
        assert psutil.Process(worker.pid).nice() == os.getpriority(os.PRIO_PROCESS, 0) + 10
        # SIGTERM to the worker's group and to each of its processes (the work horse runs in a
        # process group of its own, so only a kill-all reaches it).
        os.killpg(worker.pid, signal.SIGTERM)
        for child in psutil.Process(worker.pid).children(recursive=True):
            child.send_signal(signal.SIGTERM)
        output, _ = worker.communicate(timeout=30)
    finally:
        if worker.poll() is None:
            os.killpg(worker.pid, signal.SIGKILL)
            worker.wait()
    assert worker.returncode == 0, output.decode(errors="replace")[-2000:]
    assert Job.fetch(job.id, connection=rq_connection()).get_status(refresh=True).value == "finished"
    # Warm shutdown takes no new job: the next one waits in the queue for another worker.
    assert later.get_status(refresh=True).value == "queued"
    assert b"warm shut down requested" in output
