"""The per-turn latency budget: parts add up to the total; the report's median and worst turn."""

from __future__ import annotations

from interviewer.live.latency import TurnLatency, describe, summarise


def test_parts_add_up_to_the_total_and_a_turn_not_delivered_has_no_record():
    budget = TurnLatency(speech_end=10.0, turn_end=10.65, reason="complete")
    assert budget.record() is None
    budget.transcribed, budget.decided, budget.sent = 10.70, 10.82, 10.83
    record = budget.record(stt="whisper", question_index=1)
    assert record["endpoint_ms"] == 650 and record["transcript_ms"] == 50 and record["decision_ms"] == 120
    assert record["send_ms"] == 10 and record["total_ms"] == 830
    assert record["reason"] == "complete" and record["stt"] == "whisper" and record["question_index"] == 1


def test_without_a_known_speech_end_the_budget_starts_at_the_turn_end():
    budget = TurnLatency(speech_end=None, turn_end=5.0, transcribed=5.1, decided=5.2, sent=5.2)
    assert budget.record()["endpoint_ms"] == 0 and budget.record()["total_ms"] == 200


def test_summary_gives_median_and_worst_turn_with_its_biggest_part():
    turns = [{"total_ms": t, "endpoint_ms": t - 100, "transcript_ms": 50, "decision_ms": 40, "send_ms": 10,
              "question_index": i} for i, t in enumerate([700, 800, 900])]
    turns.append({"total_ms": 2600, "endpoint_ms": 700, "transcript_ms": 1800, "decision_ms": 90, "send_ms": 10,
                  "question_index": 3})
    summary = summarise(turns)
    assert summary == {"turns": 4, "median_ms": 850, "worst_ms": 2600, "worst_part": "transcript_ms",
                       "worst_question_index": 3, "taken_back": 0}
    assert describe(summary) == ("Reply time over 4 spoken turns: median 0.8 s, slowest 2.6 s "
                                 "(question 4; mostly transcription)")
    assert summarise([]) is None and describe(None) == ""


def test_the_summary_counts_to_the_prompt_as_the_candidate_got_it():
    turns = [{"total_ms": 700, "endpoint_ms": 650, "send_ms": 1},
             {"total_ms": 800, "endpoint_ms": 700, "show_ms": 30, "speak_ms": 900, "shown_total_ms": 830,
              "spoken_total_ms": 1700, "question_index": 1}]
    summary = summarise(turns)
    assert summary["worst_ms"] == 1700 and summary["worst_part"] == "speak_ms"
    assert summary["median_ms"] == 1200
    assert "starting to read it aloud" in describe(summary)


def test_a_quick_end_that_was_taken_back_is_no_turn_but_is_told():
    turns = [{"total_ms": 700, "endpoint_ms": 650, "question_index": 0, "taken_back": True},
             {"total_ms": 900, "endpoint_ms": 800, "question_index": 0},
             {"total_ms": 1100, "endpoint_ms": 1000, "question_index": 1}]
    summary = summarise(turns)
    assert summary["turns"] == 2 and summary["median_ms"] == 1000 and summary["taken_back"] == 1
    assert describe(summary).endswith("; the interviewer moved on too early 1 time and gave the answer back")
    assert summarise(turns[:1]) is None  # nothing but a taken-back end: no turn to summarise
