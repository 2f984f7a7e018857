"""The ATS check tells what it measures: format/readability (no job needed) and fit to the posting
(the job-fit matcher), stored with the check and shown apart; the overall score keeps the spec's
formula and its keyword part moves with the posting."""

from __future__ import annotations

from interviewer.models import UserRole
from interviewer.services.ai.ats_offline import compute_overall_score, fit_section_score, format_score
from tests.ai.fake_gemini import FakeGemini
from tests.ai.test_gemini_provider import ats_payload
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


def test_with_gemini_the_posting_part_is_the_matchers_and_moves_with_the_posting(app_with_env, run_jobs):
    """The company's provider is Gemini (the fake server), which gives every section, the keyword one
    included, 4/5 and its own keywords whatever the posting: the stored check takes the keyword
    section, the keywords and the overall score's posting part from the matcher, as offline."""
    fake = FakeGemini()
    try:
        api = app_with_env(GEMINI_BASE_URL=fake.base_url, GOOGLE_API_KEY="server-key")
        headers = auth(make_user(UserRole.CANDIDATE, None, "casey@example.test", name="Casey Candidate"))
        for _ in range(2):
            fake.push_json(ats_payload())  # keyword section 4/5, keywords ["Python"] / ["Kubernetes"]
        ids = {name: _check(api, headers, posting) for name, posting in (("backend", BACKEND), ("nurse", NURSE))}
        run_jobs()
        checks = {c["id"]: c for c in api.get("/api/v1/ai/ats-checks", headers=headers).json()}
        own, other = checks[ids["backend"]], checks[ids["nurse"]]
        assert len(fake.requests) == 2 and own["provider"] == other["provider"] == "gemini"
        for check in (own, other):
            fit = check["measures"]["fit"]
            sections = {k: v["score"] for k, v in check["result"]["section_scores"].items()}
            assert sections["keyword_optimization"] == fit_section_score(fit["score"])
            assert all(score == 4 for key, score in sections.items() if key != "keyword_optimization")
            assert check["result"]["keywords_found"] == fit["matched_skills"]
            assert check["result"]["keywords_missing"] == fit["missing_skills"]
            assert check["score"] == compute_overall_score(sections, len(check["result"]["formatting_issues"]))
        kw = lambda c: c["result"]["section_scores"]["keyword_optimization"]["score"]  # noqa: E731
        assert kw(own) > kw(other) and own["score"] > other["score"]
        assert own["measures"]["format"]["score"] == other["measures"]["format"]["score"]
    finally:
        fake.close()
