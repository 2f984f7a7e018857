"""The RQ worker process, with a job logger that carries the job id and the rq_jobs_total metric.

Shutdown (``docker stop``, ``make prod-local-stop``, Ctrl-C): the first SIGTERM or SIGINT is RQ's
*warm shutdown*: the worker takes no new job, lets the job in progress finish, then exits. RQ runs
the job in a forked work horse in a process group of its own; ``GracefulWorker`` also makes that
horse ignore SIGTERM, so a signal sent to every process (a control-group kill by systemd or a
container runtime, ``pkill``) cannot abort the job either. A second signal is RQ's cold shutdown:
the horse is killed and the job is left for recovery. Give the worker a stop grace period longer
than its longest job (compose: ``stop_grace_period``).

Recovery after a crash (SIGKILL, OOM, a lost machine): the job's execution heartbeat expires
(``JOB_MONITORING_INTERVAL`` + 60 s after the last beat), and the next registry maintenance of any
live worker, every ``MAINTENANCE_INTERVAL`` seconds (idle or busy), requeues it while it has
retries left: recovered within about two and a half minutes. Jobs are idempotent, so a re-run
never doubles a result.
"""

from __future__ import annotations

import logging
import os
import signal
from datetime import timedelta

from rq import Worker

from interviewer.core.config import get_settings
from interviewer.core.logging import configure_logging
from interviewer.jobs.queue import get_queue, rq_connection, schedule_daily

MAINTENANCE_INTERVAL = 60  # RQ's default is 600 s: abandoned jobs would wait 10 minutes
# An idle worker blocks in dequeue for worker_ttl - 15 s and runs maintenance only between two
# waits (RQ's default ttl 420 s), so the ttl follows the maintenance interval.
WORKER_TTL = MAINTENANCE_INTERVAL + 15
JOB_MONITORING_INTERVAL = 10  # heartbeat period while a job runs (RQ's default 30 s)


class GracefulWorker(Worker):
    """An RQ worker whose running job survives a SIGTERM sent to all its processes (module doc)."""

    def setup_work_horse_signals(self) -> None:
        signal.signal(signal.SIGINT, signal.SIG_IGN)
        signal.signal(signal.SIGTERM, signal.SIG_IGN)


def build_worker(queues: list[str]) -> GracefulWorker:
    return GracefulWorker([get_queue(q) for q in queues], connection=rq_connection(),
                          maintenance_interval=MAINTENANCE_INTERVAL, job_monitoring_interval=JOB_MONITORING_INTERVAL,
                          worker_ttl=WORKER_TTL)


def run_worker(queues: list[str], *, burst: bool = False) -> None:
    settings = get_settings()
    configure_logging(settings.LOG_LEVEL, json_logs=settings.LOG_JSON, service="worker")
    if settings.WORKER_NICE:  # imports and scoring must not slow the pages and the interviews down
        os.nice(settings.WORKER_NICE)
    logging.getLogger("rq.worker").setLevel(logging.INFO)
    if "default" in queues and not burst:  # the daily retention purge: one pending run, first in a minute
        schedule_daily("purge_expired_data", delay=timedelta(minutes=1))
    build_worker(queues).work(burst=burst, with_scheduler=True)
