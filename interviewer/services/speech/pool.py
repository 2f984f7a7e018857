"""A bounded pool of speech-to-text workers in which live answers come before device checks.

Local Whisper is CPU-bound and costs about the same per call whatever the audio's length, so a
machine runs only a few transcriptions at once (:func:`whisper_local.workers`). Work waits in one
queue and a free worker takes the most urgent entry (FIFO within a priority):

1. ``FINAL``: the transcript of an utterance that ended (the answer's words of record);
2. ``EARLY``: the pause-triggered transcription the end-of-turn decision waits for;
3. ``PARTIAL``: the periodic partials that keep the live transcript moving;
4. ``DEVICE_CHECK``: the candidate's microphone test before an interview.

Live work is never refused: a live session holds at most one entry (its jobs run in order), so
live work is bounded by the number of interviews. Device checks are bounded twice: at most
``device_check_workers`` run at once (``workers - 1`` when there are two or more, so one worker
is always free for live answers), and one is refused with :class:`SpeechBusyError` instead of
queueing silently when the pool is saturated, i.e. when ``load`` (running + waiting) has reached
``workers + queue_bound``. Workers never preempt: a device check already running finishes.

:meth:`SpeechPool.waited` says how long an entry has been waiting (0 once it runs), which is what
``SpeechSession.busy`` reports to the live transport.
"""

from __future__ import annotations

import itertools
import logging
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from enum import IntEnum
from typing import Literal

from .base import SpeechBusyError

log = logging.getLogger("interviewer.speech")


class Priority(IntEnum):
    FINAL = 0
    EARLY = 1
    PARTIAL = 2
    DEVICE_CHECK = 3


@dataclass(eq=False)
class Ticket:
    """One entry of the pool: ``task`` runs once on a worker unless cancelled while waiting."""

    task: Callable[[], None]
    priority: Priority
    seq: int
    since: float  # pool clock when it entered the queue
    state: Literal["waiting", "running", "done", "cancelled"] = field(default="waiting")


class SpeechPool:
    """``workers`` threads (started on the first submit) taking entries by priority.

    ``threads=False`` starts none: the caller runs entries one by one with :meth:`step` (tests)."""

    def __init__(self, workers: int, *, queue_bound: int | None = None, device_check_workers: int | None = None,
                 clock: Callable[[], float] = time.monotonic, threads: bool = True, name: str = "speech") -> None:
        if workers < 1:
            raise ValueError("a speech pool needs at least one worker")
        self.workers = workers
        self.queue_bound = workers if queue_bound is None else queue_bound
        self.device_check_workers = (max(1, workers - 1) if device_check_workers is None
                                     else max(1, min(workers, device_check_workers)))
        self.clock = clock
        self.name = name
        self._threads_wanted = threads
        self._threads: list[threading.Thread] = []
        self._cond = threading.Condition()
        self._waiting: list[Ticket] = []  # short (one entry per live session): scanned, not heaped
        self._running: dict[Priority, int] = dict.fromkeys(Priority, 0)
        self._seq = itertools.count()
        self._stopped = False

    # -- state ---------------------------------------------------------------------------------
    @property
    def load(self) -> int:
        """Entries running or waiting."""
        with self._cond:
            return len(self._waiting) + sum(self._running.values())

    @property
    def saturated(self) -> bool:
        """Full: a device check now would be refused."""
        with self._cond:
            return self._saturated()

    def _saturated(self) -> bool:
        return len(self._waiting) + sum(self._running.values()) >= self.workers + self.queue_bound

    def waited(self, ticket: Ticket) -> float:
        """Seconds ``ticket`` has been waiting for a worker; 0 once it runs (or ran)."""
        with self._cond:
            return max(0.0, self.clock() - ticket.since) if ticket.state == "waiting" else 0.0

    # -- entries -------------------------------------------------------------------------------
    def submit(self, task: Callable[[], None], priority: Priority) -> Ticket:
        """Queue ``task``. A device check raises :class:`SpeechBusyError` when the pool is saturated."""
        priority = Priority(priority)
        with self._cond:
            if self._stopped:
                raise RuntimeError(f"the {self.name} pool is shut down")
            if priority == Priority.DEVICE_CHECK and self._saturated():
                raise SpeechBusyError(
                    f"speech-to-text is saturated ({len(self._waiting)} waiting, "
                    f"{sum(self._running.values())} running on {self.workers} workers): device check refused")
            ticket = Ticket(task, priority, next(self._seq), self.clock())
            self._waiting.append(ticket)
            if self._threads_wanted and not self._threads:
                self._start_threads()
            self._cond.notify_all()
            return ticket

    def raise_priority(self, ticket: Ticket, priority: Priority) -> None:
        """A waiting entry became more urgent (a final joined a session's pending partial): it goes
        behind the entries already waiting at that priority; its waiting time is kept."""
        with self._cond:
            if ticket.state == "waiting" and priority < ticket.priority:
                ticket.priority, ticket.seq = Priority(priority), next(self._seq)
                self._cond.notify_all()

    def cancel(self, ticket: Ticket) -> bool:
        """Drop a waiting entry; False when it is already running or done."""
        with self._cond:
            if ticket.state != "waiting":
                return False
            self._waiting.remove(ticket)
            ticket.state = "cancelled"
            self._cond.notify_all()
            return True

    # -- running -------------------------------------------------------------------------------
    def _take(self) -> Ticket | None:
        """The most urgent runnable entry, marked running (under the lock)."""
        device_checks_full = self._running[Priority.DEVICE_CHECK] >= self.device_check_workers
        runnable = [t for t in self._waiting if not (device_checks_full and t.priority == Priority.DEVICE_CHECK)]
        if not runnable:
            return None
        ticket = min(runnable, key=lambda t: (t.priority, t.seq))
        self._waiting.remove(ticket)
        ticket.state = "running"
        self._running[ticket.priority] += 1
        return ticket

    def _run(self, ticket: Ticket) -> None:
        try:
            ticket.task()
        except Exception:  # one failed entry must not take a worker down
            log.exception("speech-to-text task failed")
        finally:
            with self._cond:
                self._running[ticket.priority] -= 1
                ticket.state = "done"
                self._cond.notify_all()

    def step(self) -> bool:
        """Run the most urgent runnable entry in the calling thread; False when there is none."""
        with self._cond:
            ticket = self._take()
        if ticket is None:
            return False
        self._run(ticket)
        return True

    def _worker(self) -> None:
        while True:
            with self._cond:
                while (ticket := self._take()) is None:
                    if self._stopped:
                        return
                    self._cond.wait()
            self._run(ticket)

    def _start_threads(self) -> None:
        for i in range(self.workers):
            thread = threading.Thread(target=self._worker, name=f"{self.name}-{i}", daemon=True)
            thread.start()
            self._threads.append(thread)

    def shutdown(self, timeout: float = 10.0) -> None:
        """Stop taking entries once the queue is empty and join the workers (tests)."""
        with self._cond:
            self._stopped = True
            self._cond.notify_all()
        for thread in self._threads:
            thread.join(timeout)
