"""The ATS check tells what it measures: format/readability (no job needed) and fit to the posting
(the job-fit matcher), stored with the check and shown apart; the overall score keeps the spec's
formula and its keyword part moves with the posting."""

from __future__ import annotations

from interviewer.models import UserRole
from interviewer.services.ai.ats_offline import format_score
from tests.api.test_ai_endpoints import RESUME
from tests.factories import auth, make_user

BACKEND = ("Backend Engineer (Python)\nWe build order services in Python with FastAPI and Django on PostgreSQL. "
           "You will design REST APIs, run services in Docker and Kubernetes on AWS, and write tests with pytest. "
           "3+ years of experience with Python and SQL required.")
NURSE = ("Registered Nurse\nWe are hiring a registered nurse for our cardiology ward. You will assess patients, "
         "give medication, keep patient records and educate families. BLS and ACLS certification and two years "
         "of acute care nursing experience are required.")


def _check(api, headers, posting):
    r = api.post("/api/v1/ai/ats-check?wait=0", headers=headers,
                 files={"resume": ("resume.txt", RESUME.encode(), "text/plain")},
                 data={"job_description": posting} if posting else {})
    assert r.status_code == 202, r.text
    return r.json()["id"]


def test_format_and_fit_are_measured_apart_and_the_fit_moves_with_the_posting(api, run_jobs):
    headers = auth(make_user(UserRole.CANDIDATE, None, "casey@example.test", name="Casey Candidate"))
    ids = {name: _check(api, headers, posting) for name, posting in
           (("backend", BACKEND), ("nurse", NURSE), ("none", None))}
    run_jobs()
    checks = {c["id"]: c for c in api.get("/api/v1/ai/ats-checks", headers=headers).json()}
    own, other, none = (checks[ids[k]] for k in ("backend", "nurse", "none"))
    for check in (own, other, none):
        sections = {k: v["score"] for k, v in check["result"]["section_scores"].items()}
        assert check["measures"]["format"]["score"] == format_score(sections, len(check["result"]["formatting_issues"]))
        assert "formatting issue" in check["measures"]["format"]["explanation"]
    # Format does not read the posting; fit does, and so does the overall score's keyword part.
    assert own["measures"]["format"]["score"] == other["measures"]["format"]["score"] == \
        none["measures"]["format"]["score"]
    assert none["measures"]["fit"] is None
    assert own["measures"]["fit"]["score"] > other["measures"]["fit"]["score"] + 30
    assert own["score"] > other["score"]
    kw = lambda c: c["result"]["section_scores"]["keyword_optimization"]["score"]  # noqa: E731
    assert kw(own) > kw(other)
    # The posting's requirements are skills, with quotes from the resume behind the matched ones.
    fit = own["measures"]["fit"]
    assert {"Python", "FastAPI", "PostgreSQL"} <= set(fit["matched_skills"])
    assert fit["quotes"] and all(q["quote"] in RESUME for q in fit["quotes"])
    assert set(own["result"]["keywords_found"]) == set(fit["matched_skills"])
    assert "fit" in own["result"]["summary"] and "format and readability" in own["result"]["summary"]
