"""The offline judge's label rules (offline-judge-4, dismissal widened in offline-judge-5). Swap: when the question names the things its
key points are about ("What do Send and Sync mean?"), a point's statement said of another of
those things contradicts the point; a sentence that correctly says what the other thing is does
not, and aspects the question merely mentions are not things. Dismissal: saying the thing a point
is labelled with is of no use ("no backoff", "idempotency doesn't matter") contradicts it."""

from __future__ import annotations

import pytest

from interviewer.services.ai.judgement import score_from_statuses
from interviewer.services.ai.offline import text as tx
from interviewer.services.ai.offline.answer_scoring import (
    PARAMS,
    SCORER_VERSION,
    _label_and_body,
    named_labels,
    score_answer,
    with_params,
)

Q = "What are Send and Sync in Rust, and how do you share data between threads?"
KP = ["Send: a type can be moved to another thread",
      "Sync: a type can be shared by reference between threads",
      "Sharing: Arc with Mutex, or channels",
      "Compiler: data races are rejected at compile time"]
SIGNALS_Q = "How should a service react to SIGTERM and SIGKILL?"
SIGNALS_KP = ["SIGTERM: a polite request to stop that the process can handle",
              "SIGKILL: cannot be caught and stops the process at once",
              "Shutdown: finish in-flight work before exiting"]


def _named(question: str, points: list[str]) -> set[str]:
    labels = {p: frozenset(tx.plain_content_stems(_label_and_body(p)[0])) for p in points}
    return {_label_and_body(p)[0] for p in named_labels(question, labels)}


def _swaps(result) -> dict[str, str]:
    return {_label_and_body(j.point)[0]: j.contradiction for j in result.points
            if (j.contradiction or "").startswith("says it of")}


def test_version_names_the_rule():
    assert SCORER_VERSION == "offline-judge-13"


@pytest.mark.parametrize(("question", "points", "named"), [
    (Q, KP, {"Send", "Sync"}),  # "share" is in the question too, but not side by side with them
    ("What are liveness, readiness and startup probes, and what goes wrong when they are misconfigured?",
     ["Readiness: controls whether a pod receives traffic", "Liveness: restarts a stuck container",
      "Startup: protects slow-starting applications", "Misconfiguration: restart loops"],
     {"Readiness", "Liveness", "Startup"}),
    ("How do Docker volumes, bind mounts and image layers differ?",
     ["Image layers: read-only and shared", "Container layer: writable, lost on removal",
      "Volumes: managed persistent storage", "Bind mounts: host paths for development"],
     {"Image layers", "Volumes", "Bind mounts"}),
    ("How would you design a rate limiter?",  # one named subject at most: nothing to swap
     ["Algorithm: token bucket or sliding window", "Storage: Redis counters"], set()),
])
def test_things_named_side_by_side_in_the_question(question, points, named):
    assert _named(question, points) == named


def test_a_swapped_definition_contradicts_both_points_and_costs_the_score():
    faithful = ("Send means a type can be moved to another thread. Sync means a type can be shared by "
                "reference between threads. I share data with Arc and a Mutex, and the compiler rejects "
                "data races at compile time.")
    swapped = ("Send means a type can be shared by reference between threads. Sync means a type can be "
               "moved to another thread. I share data with Arc and a Mutex, and the compiler rejects "
               "data races at compile time.")
    good, bad = score_answer(Q, KP, faithful), score_answer(Q, KP, swapped)
    assert _swaps(good) == {}
    assert set(_swaps(bad)) == {"Send", "Sync"}
    assert "says it of Sync, not of Send" == _swaps(bad)["Send"]
    assert bad.score <= good.score - 2.5
    # one judgement, many views: the score follows from the statuses, the quote is the answer's words
    assert bad.score == score_from_statuses([(j.status, j.contradiction is not None) for j in bad.points])
    for j in bad.points:
        if j.contradiction:
            assert j.status == "missed" and j.quotes and all(q in swapped for q in j.quotes)
    assert "contradiction" in bad.flags
    # the rule switched off: the swap goes unnoticed (what the rule is for)
    assert _swaps(score_answer(Q, KP, swapped, with_params(label_swap=False))) == {}


def test_a_correct_sentence_about_the_other_thing_is_not_a_swap():
    # states what Sync is (correctly) and nothing about Send: Send is missed, not contradicted
    answer = ("Sync means a type can safely be shared by reference between several threads. "
              "Beyond that I enjoy contributing to open source projects.")
    result = score_answer(Q, KP, answer)
    assert _swaps(result) == {}
    assert result.points[1].status == "covered"


def test_a_swap_inside_a_contrast_sentence_is_still_a_swap():
    answer = ("SIGTERM cannot be caught and stops the process at once, whereas SIGKILL is a polite request "
              "that the process can handle. A service should finish in-flight work before exiting.")
    result = score_answer(SIGNALS_Q, SIGNALS_KP, answer)
    assert set(_swaps(result)) == {"SIGTERM", "SIGKILL"}
    right = ("SIGTERM is a polite request to stop that the process can handle, whereas SIGKILL cannot be "
             "caught and stops it at once. A service should finish in-flight work before exiting.")
    assert _swaps(score_answer(SIGNALS_Q, SIGNALS_KP, right)) == {}


def test_another_label_must_be_named_in_full():
    question = "How do Docker volumes, bind mounts and image layers differ?"
    points = ["Image layers: read-only and shared between containers",
              "Volumes: managed persistent storage for data",
              "Bind mounts: host paths, handy for development"]
    # "container layer" shares "layer" with "image layers" but does not name them
    answer = "The container layer is where persistent storage for data should live."
    assert _swaps(score_answer(question, points, answer)) == {}
    assert PARAMS.label_swap


# ---- dismissing the thing a point is about ---------------------------------------------------------
RETRY_Q = "Design a retry helper for flaky network calls. What must it get right?"
RETRY_KP = ["Backoff: exponential delays with jitter between attempts",
            "Idempotency: only retry operations that are safe to repeat",
            "Limit: a maximum number of attempts"]


def _dismissed(result) -> dict[str, str]:
    return {_label_and_body(j.point)[0]: j.contradiction for j in result.points
            if (j.contradiction or "").startswith("dismisses it")}


def test_dismissing_the_labelled_thing_contradicts_the_point():
    answer = ("Retry right away with a fixed short delay, no backoff, because faster retries recover sooner. "
              "Idempotency doesn't matter for retries, any operation can be repeated safely. "
              "Cap it at a maximum number of attempts.")
    result = score_answer(RETRY_Q, RETRY_KP, answer)
    assert set(_dismissed(result)) == {"Backoff", "Idempotency"}
    assert _dismissed(result)["Backoff"] == 'dismisses it ("no backoff")'
    assert result.points[2].status == "covered"
    assert result.score == score_from_statuses([(j.status, j.contradiction is not None) for j in result.points])
    assert result.score <= 1.25
    assert _dismissed(score_answer(RETRY_Q, RETRY_KP, answer, with_params(label_dismissal=False))) == {}


@pytest.mark.parametrize("answer", [
    # the absence is the goal, not a dismissal
    "Before retrying I check that no backoff timer is still pending, then use exponential delays with jitter.",
    # a condition: what happens without it
    "If there is no backoff, every client retries at once, so I use exponential delays with jitter.",
    # a negated predicate that is not about need or importance
    "Exponential backoff with jitter between attempts never hurts the server during an outage.",
    # the condition governs the clause after it ...
    "When the service has no backoff, every client retries at once; use exponential delays with jitter.",
    # ... and the clause it follows ("not needed ... if ...")
    "Backoff is not needed if the operation is idempotent and cheap, otherwise use exponential delays with jitter.",
])
def test_absences_conditions_and_other_negations_are_not_dismissals(answer):
    assert _dismissed(score_answer(RETRY_Q, RETRY_KP, answer)) == {}


def test_a_point_that_is_itself_negative_is_left_to_the_polarity_rules():
    points = ["Secrets: never bake them into the image", "User: run as a non-root user"]
    answer = "Secrets don't need to be in the image at all; mount them at runtime. Run as a non-root user."
    assert _dismissed(score_answer("How do you build a safe container image?", points, answer)) == {}


SHUTDOWN_Q = "How would you shut down a Node.js HTTP service gracefully during a deployment?"
SHUTDOWN_KP = ["Signals: handle SIGTERM", "Draining: stop accepting new connections and finish in-flight requests",
               "Resources: close database pools and queues", "Timeout: force exit after a deadline"]


def test_dismissing_what_a_short_point_says_contradicts_it():
    """offline-judge-5: a point whose body is short ("handle SIGTERM") is dismissed by a clause
    naming all of its body, not only its label; "doesn't help" is a dismissal too; a condition
    spares only the clauses it governs or follows, not the whole sentence."""
    answer = ("You don't need to handle SIGTERM, Node stops cleanly by itself. "
              "Then it stops accepting new connections and lets the in-flight requests finish. "
              "Closing database pools and queues doesn't help, the operating system frees them anyway.")
    result = score_answer(SHUTDOWN_Q, SHUTDOWN_KP, answer)
    dismissed = _dismissed(result)
    assert dismissed["Signals"] == 'dismisses it ("You don\'t need to handle SIGTERM")'
    assert "Resources" in dismissed and "help" in dismissed["Resources"]
    assert result.points[1].status == "covered" and result.points[1].contradiction is None
    assert result.score == score_from_statuses([(j.status, j.contradiction is not None) for j in result.points])
    old = with_params(body_dismissal=False)
    assert "Signals" not in _dismissed(score_answer(SHUTDOWN_Q, SHUTDOWN_KP, answer, old))
    # the same facts stated as they are: nothing dismissed, and the points count
    right = ("I handle SIGTERM: stop accepting new connections, finish in-flight requests, close the database "
             "pools and queues, and force an exit after a deadline.")
    good = score_answer(SHUTDOWN_Q, SHUTDOWN_KP, right)
    assert _dismissed(good) == {} and good.score >= 3.5


def test_a_condition_spares_only_its_own_clauses():
    q = "How do you handle multiple comparisons when you test many metrics at once?"
    kp = ["Problem: more tests mean more false positives", "Corrections: Bonferroni or Benjamini-Hochberg"]
    wrong = "So no correction is needed, and Bonferroni would only make sense if you were testing one metric."
    assert "Corrections" in _dismissed(score_answer(q, kp, wrong))
    hedge = "If you test a single metric, no correction is needed; with many, use Bonferroni or Benjamini-Hochberg."
    assert _dismissed(score_answer(q, kp, hedge)) == {}
