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


def test_not_ats_friendly_always_says_why():
    """A 72/100 labelled "Good" beside "Not ATS-friendly" confused readers: the reason (a blocking
    formatting issue, or a score under the bar) is in the summary and behind the badge."""
    from interviewer.seed_resumes import DEMO_RESUMES

    def view_of(text: str):
        result = analyze_resume_offline(text, None, today=date(2026, 12, 1))
        return ats_view({"id": "c", "status": "completed", "provider": "offline", "result": result.model_dump()})

    resume = DEMO_RESUMES["maria.lopez@example.test"]
    short = view_of(resume)  # a good resume, but too short for an ATS
    assert short.score >= 60 and not short.ats_friendly
    assert short.not_friendly_reason == short.formatting_issues[0] and "words" in short.not_friendly_reason
    assert short.summary.endswith("Not ATS-friendly because of this: " + short.formatting_issues[0])
    empty = view_of("hello world")
    assert empty.not_friendly_reason == "The score is under 60." and "because the score is under 60" in empty.summary
    more = "".join(f"- Delivered the {n} migration of a payment service in Python with tests, code reviews and "
                   "monitoring dashboards\n" for n in ("first second third fourth fifth sixth seventh eighth ninth "
                                                      "tenth eleventh twelfth").split())
    friendly = view_of(resume.replace("EDUCATION", more + "\nEDUCATION"))
    assert friendly.ats_friendly and friendly.not_friendly_reason == "" and "because" not in friendly.summary
