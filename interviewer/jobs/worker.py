"""The RQ worker process, with a job logger that carries the job id and the rq_jobs_total metric."""

from __future__ import annotations

import logging

from rq import Worker

from interviewer.core.config import get_settings
from interviewer.core.logging import configure_logging
from interviewer.jobs.queue import get_queue, rq_connection


def run_worker(queues: list[str], *, burst: bool = False) -> None:
    settings = get_settings()
    configure_logging(settings.LOG_LEVEL, json_logs=settings.LOG_JSON, service="worker")
    logging.getLogger("rq.worker").setLevel(logging.INFO)
    worker = Worker([get_queue(q) for q in queues], connection=rq_connection())
    worker.work(burst=burst, with_scheduler=True)
