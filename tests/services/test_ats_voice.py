"""Issue 13 item 11: on HR's candidate page the ATS advice speaks about the candidate, while the
candidate's own /me/ats keeps the words addressed to them; the headline is "ATS score N/100"."""

from __future__ import annotations

from datetime import date

from interviewer.services.ai.ats_offline import analyze_resume_offline
from interviewer.state.ats_state import ats_view
from interviewer.state.ats_voice import for_recruiter, recruiter_text

RESUME = """Sam Rivera
sam@example.test

Summary
I build reliable web services with Python and PostgreSQL.

Experience
Developer, Shop Ltd, 2021 - present
- Wrote APIs in Python and Django

Education
BSc Computer Science, State University, 2019

Skills
Python, Django, PostgreSQL
"""


def _check() -> dict:
    result = analyze_resume_offline(RESUME, None, today=date(2026, 12, 1))
    return {"id": "c1", "status": "completed", "filename": "sam.txt", "provider": "offline",
            "result": result.model_dump()}


def test_hr_reads_about_the_candidate_and_the_candidate_keeps_their_own_advice():
    own = ats_view(_check())
    hr = for_recruiter(own)
    own_text = " ".join([own.summary, *own.improvements, *(s.feedback for s in own.sections)])
    hr_text = " ".join([hr.summary, *hr.improvements, *(s.feedback for s in hr.sections)])
    assert "your target role" in own_text  # the candidate's page speaks to them
    assert "your" not in hr_text.lower().split() and "your target role" not in hr_text
    assert "the target role" in hr_text
    assert any(": lacks " in t for t in hr.improvements) and not any(": needs " in t for t in hr.improvements)
    assert hr.summary.startswith("ATS score ") and own.summary.startswith("ATS score ")
    assert (hr.score, [s.score for s in hr.sections]) == (own.score, [s.score for s in own.sections])


def test_ai_written_advice_and_old_headlines_are_put_in_the_third_person():
    assert recruiter_text("Offline heuristic ATS score 61/100 (not ATS-friendly)") == "ATS score 61/100 (not ATS-friendly)"
    assert recruiter_text("Add metrics to your experience.") == "Add metrics to the candidate's experience."
    assert recruiter_text("Your resume lacks dates; you have no summary.") == \
        "The resume lacks dates; the candidate has no summary."
