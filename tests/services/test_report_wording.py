"""The interview report in a recruiter's words (issue 13, item 8): the real time spent, quality-gate
reasons and signal details as sentences, questions numbered from 1, the verdict's reason, and no
evidence quote that merely repeats the whole answer."""

from __future__ import annotations

import uuid
from datetime import timedelta

from interviewer.core.security import utcnow
from interviewer.models import Interview, InterviewStatus, TranscriptEntry
from interviewer.services.scoring import quality_gate, time_spent_seconds
from interviewer.state.report_view import (
    gate_reason,
    history_rows,
    question_report,
    signal_detail,
    time_spent,
    verdict_why,
)


def _interview(**kw) -> Interview:
    return Interview(company_id=uuid.uuid4(), candidate_id=uuid.uuid4(), token="t", duration_minutes=30, **kw)


def _line(seq: int, start_ms: int | None, end_ms: int | None) -> TranscriptEntry:
    return TranscriptEntry(interview_id=uuid.uuid4(), seq=seq, question_index=0, kind="answer", speaker="candidate",
                           text="word " * 30, started_ms=start_ms, ended_ms=end_ms, confidence=0.4)


def test_time_spent_is_from_start_to_completion_not_the_time_booked():
    now = utcnow()
    done = _interview(status=InterviewStatus.COMPLETED, started_at=now - timedelta(seconds=90), completed_at=now)
    assert time_spent_seconds(done, []) == 90
    # no start time recorded: the end of the last transcript line says it
    legacy = _interview(status=InterviewStatus.COMPLETED, completed_at=now)
    assert time_spent_seconds(legacy, [_line(0, 0, 40_000), _line(1, 50_000, 95_500)]) == 96
    assert time_spent_seconds(_interview(status=InterviewStatus.SCHEDULED), []) is None


def test_time_spent_reads_as_people_say_it():
    assert [time_spent(s) for s in (None, 45, 90, 120, 900, 3900)] == ["", "45 s", "1 min 30 s", "2 min", "15 min",
                                                                      "1 h 5 min"]


def test_confidence_gate_reason_is_a_sentence_in_new_and_old_reports():
    now = utcnow()
    interview = _interview(started_at=now - timedelta(minutes=2), completed_at=now)
    reasons = quality_gate(interview, [_line(0, 0, 50_000), _line(1, 60_000, 110_000)], asked=1)
    spoken = [r for r in reasons if "speech-to-text" in r]
    assert spoken == ["unclear audio: the speech-to-text was on average only 40% sure of the words it wrote down"]
    assert gate_reason("low speech-to-text confidence (0.66)") == (
        "Unclear audio: the speech-to-text was on average only 66% sure of the words it wrote down")
    assert gate_reason("incomplete: 1 of 3 questions answered") == "Incomplete: 1 of 3 questions answered"


def test_signal_details_number_questions_from_one():
    assert signal_detail({"question_index": 1, "chars": 42}) == "during question 2 · 42 characters"
    assert signal_detail({"question_index": 0, "seconds": 31}) == "during question 1 · 31 s"
    assert signal_detail({"reason": "chosen"}) == "chosen by the candidate"
    assert signal_detail({"question_index": None}) == ""


def test_question_rule_words_and_arithmetic_are_apart_and_numbering_starts_at_one():
    item = {"index": 0, "question": "Q", "weight": 1, "status": "answered", "score": 10 / 3,
            "answer": "Lookups get faster. It takes extra space.",
            "points": [{"point": "a", "status": "covered", "quotes": ["Lookups get faster"]},
                       {"point": "b", "status": "missed", "quotes": []},
                       {"point": "c", "status": "covered", "quotes": ["It takes extra space"]}]}
    q = question_report(item)
    assert q.number == 1
    assert q.rule == "Key points: 2 of 3 covered"
    assert q.rule_math == "5 × 2 / 3 = 3.3"


def test_a_quote_that_is_the_whole_answer_is_not_listed_again():
    answer = "An index makes lookups faster but writes slower."
    item = {"index": 1, "question": "Q", "status": "answered", "score": 2.5, "answer": answer,
            "covered_points": ["x"], "missed_points": ["y"], "evidence": [answer, "writes slower"]}
    q = question_report(item)
    assert q.number == 2
    assert q.evidence == ["writes slower"]
    assert any(part.hit for part in q.answer)  # still highlighted in the (folded) answer


def test_verdict_reason_names_the_mark_it_reached():
    assert verdict_why(83, "PASS", 70, 50, False) == "The score 83 reaches the pass mark of 70."
    assert verdict_why(42, "FAIL", 70, 50, False) == "The score 42 is below the review mark of 50."
    assert "a person decides" in verdict_why(60, "REVIEW", 70, 50, False)
    assert "needs a person" in verdict_why(90, "REVIEW", 70, 50, True)
    assert verdict_why(-1, "", 70, 50, False) == ""


def test_each_history_row_names_the_scorer_version_that_made_it():
    """After a scorer update, HR can see which version made which report (the score may differ)."""
    history = [
        {"version": 2, "score": 70, "verdict": "PASS", "provider": "offline", "model": "offline-judge-6",
         "scorer_version": "offline-judge-6", "reason": "Scorer updated", "requested_by": None,
         "created_at": "2026-12-06T04:33:00+00:00"},
        {"version": 1, "score": 75, "verdict": "PASS", "provider": "offline", "model": "offline-judge-5",
         "scorer_version": "offline-judge-5", "reason": None, "requested_by": None,
         "created_at": "2026-12-06T03:16:00+00:00"},
        {"version": 0, "score": 60, "verdict": "REVIEW", "provider": "offline", "model": "", "reason": None,
         "requested_by": None, "created_at": "2026-12-05T03:16:00+00:00"},  # stored before versions were kept
    ]
    rows = history_rows(history, 2, lambda when: when[:10], lambda user: "")
    assert [r.scorer_version for r in rows] == ["offline-judge-6", "offline-judge-5", ""]
    assert [r.current for r in rows] == [True, False, False]



def test_points_of_an_answer_in_another_language_read_not_judged_not_missed():
    from interviewer.state.assessment_view import FLAG_NOTES, flag_notes, point_rows

    item = {"flags": ["not_english"],
            "points": [{"point": "Reliability: TCP guarantees delivery", "status": "missed", "quotes": [],
                        "contradiction": None, "note": "Not judged: the answer is not in English."}]}
    rows = point_rows(item)
    assert [(r.status, r.label) for r in rows] == [("missed", "Not judged")]
    assert flag_notes(["not_english"]) == [FLAG_NOTES["not_english"]]
    english = point_rows({"flags": [], "points": item["points"]})
    assert english[0].label == "Missed"


def test_a_story_left_to_a_person_shows_no_score_and_says_why():
    """A story the offline analysis did not judge has no 0 / 5 to show: its score reads "–", the
    rule line says a person reads it and the total leaves it out, and its points read "Not judged"."""
    from interviewer.state.assessment_view import FLAG_NOTES, NOT_JUDGED_RULE, NOT_JUDGED_SCORE

    points = [{"point": "Situation: the feedback and who gave it", "status": "missed", "quotes": [],
               "contradiction": None, "note": "Not judged: a story from the candidate's own experience."}]
    item = {"number": 2, "question": "Tell me about a time you received critical feedback.", "status": "answered",
            "score": 0.0, "flags": ["story"], "points": points, "key_points": [points[0]["point"]],
            "answer": "In my first review my manager told me my pull requests were too big.", "evidence": []}
    q = question_report(item, "offline")
    assert (q.score, q.score_pct, q.rule, q.rule_math) == (NOT_JUDGED_SCORE, 0, NOT_JUDGED_RULE, "")
    assert [r.label for r in q.points] == ["Not judged"]
    assert FLAG_NOTES["story"] in q.notes
    judged = question_report({**item, "flags": []}, "offline")
    assert judged.score == "0" and judged.rule.startswith("Key points: 0 of 1 covered")


def test_the_weighted_score_says_which_answers_it_leaves_out():
    from interviewer.state.report_view import score_scope

    def item(number, flags, status="answered"):
        return question_report({"number": number, "question": "q", "status": status, "score": 0.0, "flags": flags,
                                "points": [{"point": "p", "status": "missed", "quotes": []}], "answer": "a"})

    assert score_scope([item(1, []), item(2, [])]) == ""
    assert score_scope([item(1, []), item(2, ["story"])]) == "without question 2, not judged"
    assert score_scope([item(1, ["not_english"]), item(2, []), item(3, ["story"])]) == \
        "without questions 1 and 3, not judged"
    assert score_scope([item(1, ["story"], status="not asked")]) == ""


def test_a_question_says_how_far_its_score_rests_on_doubted_readings():
    """A doubted point reads "Partly covered" with its note, and the question says what it would
    score with the doubt read either way (the numbers the verdict review uses)."""
    points = [{"point": "Reads: it speeds up queries that filter or sort", "status": "covered",
               "quotes": ["It speeds up queries that filter."], "contradiction": None, "note": ""},
              {"point": "Writes: every write costs more", "status": "partial", "doubt": "negates it",
               "quotes": ["Writes don't get faster."], "contradiction": None,
               "note": "Doubtful: the answer seems to say the opposite of this point."}]
    item = {"number": 1, "question": "What does an index cost?", "status": "answered", "score": 3.75,
            "flags": [], "points": points, "key_points": [p["point"] for p in points],
            "answer": "It speeds up queries that filter. Writes don't get faster.", "evidence": [],
            "score_if_doubts": {"contradicted": 1.25, "covered": 5.0}}
    q = question_report(item, "offline")
    assert [r.label for r in q.points] == ["Covered", "Partly covered"]
    assert q.notes == ["1 key point rests on a doubtful reading of a negation: read as contradicted the question "
                       "would score 1.3, read as covered 5."]
    assert question_report({**item, "score_if_doubts": None, "points": [points[0]]}, "offline").notes == []


def test_a_question_lists_the_wrong_ideas_it_was_judged_with_and_names_the_doubt():
    """The report's card shows every wrong idea the question was scored with (as stored with the
    report), and a doubt from one of them is named as such, not as a negation."""
    idea = "An index makes inserts and updates faster as well."
    points = [{"point": "Reads: it speeds up queries that filter or sort", "status": "covered",
               "quotes": ["It speeds up queries that filter."], "contradiction": None, "note": ""},
              {"point": "Writes: every write costs more", "status": "missed",
               "doubt": f'resembles a wrong idea listed for this question ("{idea}")',
               "quotes": ["Writes get faster too."], "contradiction": None, "note": "Doubtful: ..."}]
    item = {"number": 1, "question": "What does an index cost?", "status": "answered", "score": 2.5,
            "flags": [], "points": points, "key_points": [p["point"] for p in points], "red_flags": [idea],
            "answer": "It speeds up queries that filter. Writes get faster too.", "evidence": [],
            "score_if_doubts": {"contradicted": 1.25, "covered": 5.0}}
    q = question_report(item, "offline")
    assert q.red_flags == [idea]
    assert q.notes == ["1 key point rests on a doubtful reading of a sentence like a wrong idea you listed: read as "
                       "contradicted the question would score 1.3, read as covered 5."]
    assert question_report({**item, "status": "not answered"}, "offline").red_flags == []
    assert question_report({k: v for k, v in item.items() if k != "red_flags"}, "offline").red_flags == []
