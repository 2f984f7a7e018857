"""The bounded speech-to-text pool: priorities, saturation, waiting time (interviewer/services/speech/pool.py).

Deterministic: a fake clock, pools without threads run entry by entry with ``step()``, and pools
with threads are driven by events (their timeouts only stop a broken run from hanging)."""

from __future__ import annotations

import contextlib
import threading
from collections.abc import Callable

import pytest

from interviewer.services.speech import SpeechBusyError
from interviewer.services.speech.pool import Priority, SpeechPool

P = Priority
WAIT = 30  # seconds: a safety net for a broken run, never a timing assertion


class FakeClock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now

    def advance(self, seconds: float) -> None:
        self.now += seconds


def recorder():
    ran: list[str] = []
    return ran, lambda name: (lambda: ran.append(name))


def run_all(pool: SpeechPool) -> None:
    while pool.step():
        pass


@contextlib.contextmanager
def held_worker(pool: SpeechPool, priority: Priority, ran: list[str] | None = None, name: str = "held"):
    """A worker of a threaded pool held by an entry (running) until ``release.set()`` or the end of
    the block; then the pool shuts down."""
    started, release = threading.Event(), threading.Event()

    def hold() -> None:
        started.set()
        release.wait(WAIT)
        if ran is not None:
            ran.append(name)

    try:
        pool.submit(hold, priority)
        assert started.wait(WAIT)
        yield release
    finally:
        release.set()
        pool.shutdown()


def signalling(ran: list[str], name: str) -> tuple[Callable[[], None], threading.Event]:
    """A task recording ``name``, and the event it sets when it has run."""
    done = threading.Event()
    return (lambda: (ran.append(name), done.set())), done


def test_live_work_runs_before_device_checks_finals_first():
    pool = SpeechPool(2, queue_bound=10, threads=False)
    ran, task = recorder()
    for name, priority in [("check-1", P.DEVICE_CHECK), ("partial-a", P.PARTIAL), ("early-a", P.EARLY),
                           ("final-a", P.FINAL), ("check-2", P.DEVICE_CHECK), ("early-b", P.EARLY),
                           ("final-b", P.FINAL), ("partial-b", P.PARTIAL)]:
        pool.submit(task(name), priority)
    run_all(pool)
    assert ran == ["final-a", "final-b", "early-a", "early-b", "partial-a", "partial-b", "check-1", "check-2"]
    assert pool.load == 0


def test_a_device_check_queued_before_a_live_final_runs_after_it():
    """One worker, busy: a device check, then a live final, queue behind it; the final goes first."""
    pool = SpeechPool(1, queue_bound=5)
    ran: list[str] = []
    with held_worker(pool, P.FINAL, ran, "running-final") as release:
        check, check_done = signalling(ran, "device-check")
        pool.submit(check, P.DEVICE_CHECK)
        pool.submit(lambda: ran.append("live-final"), P.FINAL)
        assert pool.load == 3
        release.set()
        assert check_done.wait(WAIT)
        assert ran == ["running-final", "live-final", "device-check"]


def test_a_saturated_pool_refuses_device_checks_but_never_live_work():
    pool = SpeechPool(2, queue_bound=2, threads=False)  # saturated at 2 + 2 entries
    ran, task = recorder()
    for i in range(3):
        pool.submit(task(f"final-{i}"), P.FINAL)
    assert not pool.saturated
    pool.submit(task("check-1"), P.DEVICE_CHECK)  # the 4th entry is still accepted
    assert pool.saturated and pool.load == 4
    with pytest.raises(SpeechBusyError, match="saturated"):
        pool.submit(task("check-2"), P.DEVICE_CHECK)
    pool.submit(task("final-3"), P.FINAL)  # live work is never refused
    pool.submit(task("partial"), P.PARTIAL)
    assert pool.load == 6
    for _ in range(2):
        assert pool.step()
    assert pool.saturated  # 4 left
    assert pool.step()
    pool.submit(task("check-3"), P.DEVICE_CHECK)  # 3 left: room again
    run_all(pool)
    assert ran == ["final-0", "final-1", "final-2", "final-3", "partial", "check-1", "check-3"]


def test_running_entries_count_towards_saturation():
    pool = SpeechPool(1, queue_bound=1, threads=False)
    seen: list[object] = []

    def live() -> None:  # while it runs (1 running + 0 waiting), then with 1 waiting
        try:
            pool.submit(lambda: None, P.DEVICE_CHECK)
            seen.append("accepted")
            pool.submit(lambda: None, P.DEVICE_CHECK)
        except SpeechBusyError as exc:
            seen.append(exc)

    pool.submit(live, P.FINAL)
    assert pool.step()
    assert seen[0] == "accepted" and isinstance(seen[1], SpeechBusyError) and pool.load == 1


def test_device_checks_never_hold_every_worker():
    """Two workers: one device check runs, the next waits although a worker is free, and that
    worker still takes live work at once."""
    pool = SpeechPool(2, queue_bound=5)
    ran: list[str] = []
    with held_worker(pool, P.DEVICE_CHECK, ran, "check-1") as release_check:
        second_check, second_check_done = signalling(ran, "check-2")
        second = pool.submit(second_check, P.DEVICE_CHECK)
        final, final_done = signalling(ran, "final")
        pool.submit(final, P.FINAL)
        assert final_done.wait(WAIT)
        assert ran == ["final"] and second.state == "waiting"
        release_check.set()
        assert second_check_done.wait(WAIT)
        assert ran == ["final", "check-1", "check-2"]


def test_waiting_time_on_the_pool_clock():
    clock = FakeClock()
    pool = SpeechPool(1, threads=False, clock=clock)
    first = pool.submit(lambda: None, P.FINAL)
    clock.advance(1.0)
    second = pool.submit(lambda: None, P.PARTIAL)
    clock.advance(0.7)
    assert pool.waited(first) == pytest.approx(1.7) and pool.waited(second) == pytest.approx(0.7)
    pool.raise_priority(second, P.FINAL)  # more urgent, same waiting time
    assert second.priority == P.FINAL and pool.waited(second) == pytest.approx(0.7)
    assert pool.step()
    assert first.state == "done" and pool.waited(first) == 0.0  # it ran: no longer waiting


def test_a_raised_entry_goes_behind_those_already_waiting_at_its_priority():
    pool = SpeechPool(1, threads=False)
    ran, task = recorder()
    partial = pool.submit(task("a: partial then final"), P.PARTIAL)
    pool.submit(task("b: final"), P.FINAL)
    pool.submit(task("c: early"), P.EARLY)
    pool.raise_priority(partial, P.FINAL)
    pool.raise_priority(partial, P.PARTIAL)  # never lowered
    run_all(pool)
    assert ran == ["b: final", "a: partial then final", "c: early"]


def test_a_cancelled_entry_never_runs_and_a_failing_one_does_not_stop_the_pool():
    pool = SpeechPool(1, threads=False)
    ran, task = recorder()
    cancelled = pool.submit(task("cancelled"), P.FINAL)

    def fails() -> None:
        raise RuntimeError("whisper broke")

    pool.submit(fails, P.FINAL)
    pool.submit(task("after"), P.PARTIAL)
    assert pool.cancel(cancelled) and cancelled.state == "cancelled"
    run_all(pool)
    assert ran == ["after"] and not pool.cancel(cancelled) and pool.load == 0


def test_defaults_keep_a_worker_for_live_answers():
    assert SpeechPool(1, threads=False).device_check_workers == 1
    two = SpeechPool(2, threads=False)
    assert (two.device_check_workers, two.queue_bound) == (1, 2)
    with pytest.raises(ValueError):
        SpeechPool(0)
