"""The rubric playground, POST /api/v1/ai/score-answer: an answer judged key point by key point as a
scored interview would be (offline provider), nothing stored; permissions, tenancy, validation,
the AI rate limits and the OpenAPI entry."""

from __future__ import annotations

import re
import time
import uuid

from sqlmodel import func, select

from interviewer.core.config import get_settings
from interviewer.db import session_scope
from interviewer.models import AuditLog, InterviewScore, Question, UserRole
from interviewer.services.ai.judgement import SCORE_RULE
from tests.ai.fake_gemini import FakeGemini
from tests.factories import auth, make_tenant, make_user

URL = "/api/v1/ai/score-answer"
TIMESTAMP = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$")

STACK_QUESTION = "What is a stack and how does it differ from a queue?"
STACK_POINTS = ["last in first out", "push and pop at the top", "queue is first in first out"]
STACK_RIGHT = ("A stack is last in first out: you push and pop items at the top, so the most recent item comes out "
               "first. A queue is first in first out, items leave in the order they arrived, like a line at a shop.")
STACK_WRONG = ("A stack is first in first out, the oldest item always comes out first, exactly the same as a queue "
               "which also removes the oldest item first. There is no real difference between them at all really.")

INDEX_QUESTION = "Why add an index to a database table?"
INDEX_POINTS = ["faster lookups", "slower writes", "extra storage"]
INDEX_RIGHT = ("An index gives faster lookups because the database can find rows without scanning the whole table, "
               "but every insert and update becomes slower since the index must be maintained, and it takes extra "
               "storage on disk.")
INDEX_PARTIAL = "An index gives faster lookups because the database finds rows without scanning the whole table."


# ---------------------------------------------------------------------------------- helpers
def fresh_window(margin: float = 8.0) -> None:
    """The limits count in fixed one-minute windows: never start a burst right before a boundary."""
    into = time.time() % 60
    if into > 60 - margin:
        time.sleep(60 - into + 0.05)


def add_question(api, headers, text: str, key_points: list[str]) -> dict:
    job = api.post("/api/v1/jobs", headers=headers, json={"title": "Backend Engineer"})
    assert job.status_code == 201, job.text
    r = api.post(f"/api/v1/jobs/{job.json()['id']}/questions", headers=headers,
                 json={"text": text, "key_points": key_points})
    assert r.status_code == 201, r.text
    return r.json()


def rule(points: list[dict]) -> float:
    """The documented rule, recomputed here from the statuses alone:
    5 x (covered + 0.5 x partly covered - 0.5 x contradicted) / number of key points, never below 0."""
    credit = {"covered": 1.0, "partial": 0.5, "missed": 0.0}
    total = sum(-0.5 if p["contradiction"] else credit[p["status"]] for p in points)
    return round(5 * max(0.0, total) / len(points), 2)


def assert_judgement(body: dict, answer: str, key_points: list[str]) -> None:
    """One judgement per key point, in rubric order, resting on the answer's own words; the score
    and the point lists derived from the judgements."""
    points = body["points"]
    assert [p["point"] for p in points] == key_points
    for p in points:
        assert p["status"] in ("covered", "partial", "missed"), p
        assert all(q and q in answer for q in p["quotes"]), p  # verbatim substrings of the answer
        if p["contradiction"]:
            assert p["status"] == "missed", p
        if p["status"] != "missed":
            assert p["quotes"], p  # a (partly) covered point always shows its evidence
    assert body["score"] == rule(points)
    assert 0 <= body["score"] <= 5
    assert body["covered_points"] == [p["point"] for p in points if p["status"] == "covered"]
    assert body["partial_points"] == [p["point"] for p in points if p["status"] == "partial"]
    assert body["missed_points"] == [p["point"] for p in points if p["status"] == "missed"]
    assert all(q in answer for q in body["evidence_quotes"])
    assert body["score_rule"] == SCORE_RULE
    assert body["key_points"] == key_points
    assert body["provider"] == "offline" and body["fallback_reason"] is None


def assert_error(r, status: int, code: str | None = None) -> dict:
    assert r.status_code == status, r.text
    body = r.json()
    assert {"detail", "error_code", "timestamp"} <= set(body), body
    assert body["detail"] and TIMESTAMP.match(body["timestamp"]), body
    if code:
        assert body["error_code"] == code, body
    return body


def stored_counts() -> tuple[int, int]:
    with session_scope() as s:
        return (s.exec(select(func.count()).select_from(InterviewScore)).one(),
                s.exec(select(func.count()).select_from(AuditLog)).one())


# ---------------------------------------------------------------------------------- judgements
def test_by_question_id_judges_every_key_point_with_verbatim_quotes(api):
    t = make_tenant()
    h = auth(t.hr)
    question = add_question(api, h, STACK_QUESTION, STACK_POINTS)
    before = stored_counts()

    right = api.post(URL, headers=h, json={"question_id": question["id"], "answer": STACK_RIGHT})
    assert right.status_code == 200, right.text
    body = right.json()
    assert_judgement(body, STACK_RIGHT, STACK_POINTS)
    assert body["question"] == STACK_QUESTION
    assert body["score"] >= 4 and body["covered_points"]

    wrong = api.post(URL, headers=h, json={"question_id": question["id"], "answer": STACK_WRONG})
    assert wrong.status_code == 200, wrong.text
    assert_judgement(wrong.json(), STACK_WRONG, STACK_POINTS)
    assert wrong.json()["score"] < body["score"]

    again = api.post(URL, headers=h, json={"question_id": question["id"], "answer": STACK_RIGHT}).json()
    assert (again["score"], again["points"]) == (body["score"], body["points"])  # deterministic
    assert stored_counts() == before  # nothing stored, nothing audited


def test_by_question_and_key_points(api):
    t = make_tenant()
    h = auth(t.hr)
    full = api.post(URL, headers=h, json={"question": INDEX_QUESTION, "key_points": INDEX_POINTS,
                                          "answer": INDEX_RIGHT})
    assert full.status_code == 200, full.text
    assert_judgement(full.json(), INDEX_RIGHT, INDEX_POINTS)
    assert full.json()["question"] == INDEX_QUESTION

    partial = api.post(URL, headers=h, json={"question": f"  {INDEX_QUESTION} ",
                                             "key_points": [f" {kp} " for kp in INDEX_POINTS],
                                             "answer": f"\n{INDEX_PARTIAL}  "})
    assert partial.status_code == 200, partial.text
    body = partial.json()
    assert_judgement(body, INDEX_PARTIAL, INDEX_POINTS)  # inputs are stripped
    assert body["points"][0]["status"] == "covered"  # "faster lookups" is said
    assert body["points"][2]["status"] == "missed"  # storage is never mentioned
    assert body["score"] < full.json()["score"]


def test_a_story_is_left_to_a_person_with_the_reason(api):
    """A story told to a question about the candidate's own experience: the offline analysis does
    not judge it, and the response says so rather than presenting a 0 as a judgement."""
    t = make_tenant()
    question = "Tell me about a time you received critical feedback. How did you respond?"
    points = ["Situation: the feedback and who gave it", "Response: listened without getting defensive"]
    story = ("In my first review my manager told me my pull requests were too big. I asked her for examples, split "
             "my work into small pull requests, and review times dropped from days to hours.")
    r = api.post(URL, headers=auth(t.hr), json={"question": question, "key_points": points, "answer": story})
    assert r.status_code == 200, r.text
    body = r.json()
    assert body["flags"] == ["story"] and "read it yourself" in body["review_reasons"][0]
    assert all(p["note"].startswith("Not judged") and not p["quotes"] for p in body["points"])
    general = api.post(URL, headers=auth(t.hr), json={"question": question, "key_points": points,
                                                      "answer": "I always listen to feedback calmly."}).json()
    assert "no_story" in general["flags"] and general["score"] == 0 and not general["review_reasons"]


def test_a_question_without_key_points_cannot_be_tried(api):
    t = make_tenant()
    h = auth(t.hr)
    question = add_question(api, h, STACK_QUESTION, [])
    r = api.post(URL, headers=h, json={"question_id": question["id"], "answer": STACK_RIGHT})
    assert_error(r, 422, "QUESTION_422")


def test_with_gemini_names_never_leave_and_quotes_come_back_verbatim(app_with_env):
    """The company's provider is Gemini (the fake server): the same redaction and quote mapping as a
    scored interview, the score still derived from the per-point judgements."""
    fake = FakeGemini()
    try:
        api = app_with_env(GEMINI_BASE_URL=fake.base_url)
        t = make_tenant()
        h = auth(t.hr)
        r = api.put("/api/v1/ai/config", headers=h, json={"provider": "gemini", "api_key": "company-key"})
        assert r.status_code == 200, r.text
        answer = ("Hi, my name is Jane Doe. In my last job she and I added an index for faster lookups; Jane Doe "
                  "measured that every insert got slower. Mail me at jane.doe@example.org.")
        fake.push_json({"points": [
            {"point": INDEX_POINTS[0], "status": "covered", "quotes": ["they and I added an index for faster lookups"],
             "contradicts": False, "reason": "Says lookups get faster."},
            {"point": INDEX_POINTS[1], "status": "covered", "quotes": ["[NAME] measured that every insert got slower"],
             "contradicts": False, "reason": "Inserts slow down."},
            {"point": INDEX_POINTS[2], "status": "partial", "quotes": ["indexes use a lot of disk"],  # invented
             "contradicts": False, "reason": "Storage not really discussed."}],
            "flags": [], "rationale": "Two of three points.", "score": 5})
        out = api.post(URL, headers=h, json={"question": INDEX_QUESTION, "key_points": INDEX_POINTS, "answer": answer})
        assert out.status_code == 200, out.text
        body = out.json()
        sent = fake.requests[0].text
        assert "Jane" not in sent and "jane.doe@example.org" not in sent and " she " not in sent
        assert body["provider"] == "gemini" and body["model"] == "gemini-2.5-flash"
        assert [p["quotes"] for p in body["points"]] == [["she and I added an index for faster lookups"],
                                                         ["Jane Doe measured that every insert got slower"], []]
        assert "unverified_quotes_dropped" in body["flags"]
        assert body["score"] == rule(body["points"]) == 4.17  # 5 x 2.5 / 3, never the model's 5
        assert [p["point"] for p in body["points"]] == INDEX_POINTS
    finally:
        fake.close()


# ---------------------------------------------------------------------------------- who may
def test_another_companys_question_is_not_found(api):
    acme, globex = make_tenant("Acme"), make_tenant("Globex")
    theirs = add_question(api, auth(globex.hr), STACK_QUESTION, STACK_POINTS)
    foreign = api.post(URL, headers=auth(acme.hr), json={"question_id": theirs["id"], "answer": STACK_RIGHT})
    missing = api.post(URL, headers=auth(acme.hr), json={"question_id": str(uuid.uuid4()), "answer": STACK_RIGHT})
    body = assert_error(foreign, 404, "QUESTION_404")
    assert_error(missing, 404, "QUESTION_404")
    assert body["detail"] == missing.json()["detail"]  # an outsider cannot tell "theirs" from "none"
    assert STACK_QUESTION not in foreign.text
    own = api.post(URL, headers=auth(globex.hr), json={"question_id": theirs["id"], "answer": STACK_RIGHT})
    assert own.status_code == 200, own.text


def test_staff_without_jobs_write_are_refused(api):
    t = make_tenant()
    question = add_question(api, auth(t.hr), STACK_QUESTION, STACK_POINTS)
    employee = auth(t.employee)
    by_id = api.post(URL, headers=employee, json={"question_id": question["id"], "answer": STACK_RIGHT})
    assert_error(by_id, 403, "PERM_001")
    inline = api.post(URL, headers=employee, json={"question": INDEX_QUESTION, "key_points": INDEX_POINTS,
                                                   "answer": INDEX_RIGHT})
    assert_error(inline, 403, "PERM_001")
    candidate = make_user(UserRole.CANDIDATE, None, "cand@example.test")
    assert_error(api.post(URL, headers=auth(candidate), json={"question": INDEX_QUESTION, "key_points": INDEX_POINTS,
                                                              "answer": INDEX_RIGHT}), 403)
    assert_error(api.post(URL, json={"question": INDEX_QUESTION, "key_points": INDEX_POINTS,
                                     "answer": INDEX_RIGHT}), 401)


# ---------------------------------------------------------------------------------- validation
BAD_BODIES = {
    "no answer": {"question": INDEX_QUESTION, "key_points": INDEX_POINTS},
    "blank answer": {"question": INDEX_QUESTION, "key_points": INDEX_POINTS, "answer": "   \n "},
    "answer too long": {"question": INDEX_QUESTION, "key_points": INDEX_POINTS, "answer": "index " * 3334},
    "both sources": {"question_id": str(uuid.uuid4()), "question": INDEX_QUESTION, "key_points": INDEX_POINTS,
                     "answer": INDEX_RIGHT},
    "no source": {"answer": INDEX_RIGHT},
    "question without key points": {"question": INDEX_QUESTION, "answer": INDEX_RIGHT},
    "empty key points": {"question": INDEX_QUESTION, "key_points": [], "answer": INDEX_RIGHT},
    "blank key point": {"question": INDEX_QUESTION, "key_points": ["faster lookups", "  "], "answer": INDEX_RIGHT},
    "11 key points": {"question": INDEX_QUESTION, "key_points": [f"point {i}" for i in range(11)],
                      "answer": INDEX_RIGHT},
    "question too long": {"question": "why " * 501, "key_points": INDEX_POINTS, "answer": INDEX_RIGHT},
    "answer not a string": {"question": INDEX_QUESTION, "key_points": INDEX_POINTS, "answer": 42},
    "key points not a list": {"question": INDEX_QUESTION, "key_points": "faster lookups", "answer": INDEX_RIGHT},
    "key point not a string": {"question": INDEX_QUESTION, "key_points": [1, 2], "answer": INDEX_RIGHT},
    "question_id not a uuid": {"question_id": "question-1", "answer": INDEX_RIGHT},
    "unknown field": {"question": INDEX_QUESTION, "key_points": INDEX_POINTS, "answer": INDEX_RIGHT, "score": 5},
}


def test_bad_inputs_are_422_in_the_error_format(app_with_env):
    assert len(BAD_BODIES["answer too long"]["answer"]) >= 20_000
    api = app_with_env(RATE_LIMIT_AI="100/60")  # many requests: keep them clear of the AI limit
    h = auth(make_tenant().hr)
    for name, body in BAD_BODIES.items():
        error = assert_error(api.post(URL, headers=h, json=body), 422, "VAL_001")
        assert error["errors"] and all({"field", "message"} <= set(e) for e in error["errors"]), (name, error)
    assert_error(api.post(URL, headers={**h, "Content-Type": "application/json"}, content=b"{"), 400, "REQ_002")
    too_long = api.post(URL, headers=h, json=BAD_BODIES["answer too long"]).json()
    assert any(e["field"] == "answer" for e in too_long["errors"])
    eleven = api.post(URL, headers=h, json=BAD_BODIES["11 key points"]).json()
    assert any(e["field"] == "key_points" for e in eleven["errors"])


# ---------------------------------------------------------------------------------- rate limits
def test_the_ai_limit_is_per_user_in_the_service(app_with_env):
    limit = 3
    t = make_tenant()
    colleague = make_user(UserRole.HR, t.company.id, "hr2@acme.test")
    body = {"question": INDEX_QUESTION, "key_points": INDEX_POINTS, "answer": INDEX_PARTIAL}
    # every request from another address: the HTTP limit (per address) never applies, the user's does
    clients = [app_with_env(RATE_LIMIT_AI=f"{limit}/60", client=(f"198.51.100.{i}", 40000)) for i in range(limit + 2)]
    assert get_settings().RATE_LIMIT_AI == f"{limit}/60"
    h = auth(t.hr)
    fresh_window()
    for i in range(limit):
        assert clients[i].post(URL, headers=h, json=body).status_code == 200, i
    refused = assert_error(clients[limit].post(URL, headers=h, json=body), 429, "RATE_001")
    assert refused["detail"] == "Too many AI requests; try again shortly."
    assert 1 <= int(clients[limit].post(URL, headers=h, json=body).headers["retry-after"]) <= 60
    # a colleague has a budget of their own
    assert clients[limit + 1].post(URL, headers=auth(colleague), json=body).status_code == 200


def test_the_http_ai_limit_is_per_address(app_with_env):
    limit = 3
    t = make_tenant()
    users = [t.hr] + [make_user(UserRole.HR, t.company.id, f"hr{i}@acme.test") for i in range(limit)]
    api = app_with_env(RATE_LIMIT_AI=f"{limit}/60")
    body = {"question": INDEX_QUESTION, "key_points": INDEX_POINTS, "answer": INDEX_PARTIAL}
    fresh_window()
    for user in users[:limit]:  # one request per user: the per-user limit never applies
        assert api.post(URL, headers=auth(user), json=body).status_code == 200
    refused = api.post(URL, headers=auth(users[limit]), json=body)
    assert_error(refused, 429, "RATE_001")
    assert refused.headers["retry-after"]


def test_the_default_limit_is_rate_limit_ai(api):
    """With the shipped settings: RATE_LIMIT_AI requests pass, the next one is 429."""
    allowed = int(get_settings().RATE_LIMIT_AI.split("/")[0])
    t = make_tenant()
    h = auth(t.hr)
    body = {"question": INDEX_QUESTION, "key_points": INDEX_POINTS, "answer": INDEX_PARTIAL}
    fresh_window(margin=10.0)
    statuses = [api.post(URL, headers=h, json=body).status_code for _ in range(allowed + 1)]
    assert statuses == [200] * allowed + [429]


# ---------------------------------------------------------------------------------- contract
def test_the_endpoint_is_documented_in_openapi(api):
    spec = api.get("/api/v1/openapi.json").json()
    op = spec["paths"]["/api/v1/ai/score-answer"]["post"]
    assert op["summary"] and "key point" in op["description"] and "jobs:write" in op["description"]
    assert {"200", "404", "422", "429"} <= set(op["responses"])
    ref = op["requestBody"]["content"]["application/json"]["schema"]["$ref"].rsplit("/", 1)[1]
    schema = spec["components"]["schemas"][ref]
    assert {"question_id", "question", "key_points", "answer"} <= set(schema["properties"])
    assert schema["required"] == ["answer"]
    assert schema["properties"]["answer"]["maxLength"] == 8000
    assert op["security"] or spec.get("security")  # a bearer token is required
    assert "ai" in op["tags"]


def test_questions_are_not_changed_by_trying_answers(api):
    t = make_tenant()
    h = auth(t.hr)
    question = add_question(api, h, INDEX_QUESTION, INDEX_POINTS)
    api.post(URL, headers=h, json={"question_id": question["id"], "answer": INDEX_RIGHT})
    with session_scope() as s:
        row = s.get(Question, uuid.UUID(question["id"]))
        assert (row.text, row.key_points) == (INDEX_QUESTION, INDEX_POINTS)


# ---------------------------------------------------------------------------------- wrong ideas to watch for
def test_wrong_ideas_are_kept_with_the_question_and_the_playground_uses_them(api):
    from tests.ai.test_red_flags import IDEAS, POINTS, QUESTION, WRONG

    t = make_tenant()
    h = auth(t.hr)
    question = add_question(api, h, QUESTION, POINTS)
    assert question["red_flags"] == []
    path = f"/api/v1/jobs/{question['job_template_id']}/questions/{question['id']}"
    r = api.put(path, headers=h, json={"red_flags": [f"  {IDEAS[0]} ", IDEAS[1]]})
    assert r.status_code == 200, r.text
    assert r.json()["red_flags"] == IDEAS and r.json()["key_points"] == POINTS  # stripped; the points untouched

    listed = api.post(URL, headers=h, json={"question_id": question["id"], "answer": WRONG})
    assert listed.status_code == 200, listed.text
    body = listed.json()
    assert body["red_flags"] == IDEAS
    assert_judgement(body, WRONG, POINTS)
    assert body["points"][1]["status"] == "missed" and body["points"][1]["doubt"].startswith("resembles a wrong idea")
    # the same answer tried without the list (an explicit empty one) is credited as before
    unlisted = api.post(URL, headers=h, json={"question_id": question["id"], "answer": WRONG, "red_flags": []}).json()
    assert unlisted["points"][1]["status"] == "covered" and unlisted["score"] > body["score"]
    # and with question text + key points, the list comes with them
    inline = api.post(URL, headers=h, json={"question": QUESTION, "key_points": POINTS, "red_flags": IDEAS,
                                            "answer": WRONG}).json()
    assert inline["points"] == body["points"]

    for bad in ([f"idea {i}" for i in range(11)], ["x" * 301], [""], "one idea", [42]):
        error = assert_error(api.put(path, headers=h, json={"red_flags": bad}), 422, "VAL_001")
        assert any(e["field"].startswith("red_flags") for e in error["errors"]), (bad, error)
    assert api.get(path.rsplit("/", 1)[0], headers=h).json()[0]["red_flags"] == IDEAS  # nothing half-written

    other = make_tenant("Globex")
    assert api.put(path, headers=auth(other.hr), json={"red_flags": ["x y z"]}).status_code == 404


SUGGEST = "/api/v1/ai/suggest-wrong-ideas"


def test_wrong_ideas_are_suggested_offline_for_bank_questions_only(api):
    from interviewer.services.ai.question_bank import BANK
    from interviewer.services.rubric_playground import NO_OFFLINE_IDEAS

    t = make_tenant()
    h = auth(t.hr)
    bank = BANK[0]
    before = stored_counts()
    r = api.post(SUGGEST, headers=h, json={"question": f"For this role: {bank.text}",
                                           "key_points": list(bank.key_points)})
    assert r.status_code == 200, r.text
    assert r.json()["red_flags"] == list(bank.red_flags) and r.json()["note"] == ""
    assert r.json()["provider"] == "offline"
    other = api.post(SUGGEST, headers=h, json={"question": "How do you plan a team offsite for forty people?",
                                               "key_points": ["Budget: agree it first", "Venue: book early"]})
    assert other.status_code == 200, other.text
    assert other.json() == {**other.json(), "red_flags": [], "note": NO_OFFLINE_IDEAS}
    for bad in ({"question": "", "key_points": ["x"]}, {"question": "Why?", "key_points": []},
                {"question": "Why?", "key_points": [f"p{i}" for i in range(11)]}, {"question": "Why?"},
                {"question": "Why?", "key_points": ["x"], "extra": 1}):
        assert_error(api.post(SUGGEST, headers=h, json=bad), 422, "VAL_001")
    assert stored_counts() == before  # nothing stored, nothing audited
    assert api.post(SUGGEST, headers=auth(t.employee), json={"question": bank.text,
                                                              "key_points": list(bank.key_points)}).status_code == 403


def test_gemini_suggests_wrong_ideas_from_the_redacted_question(app_with_env):
    fake = FakeGemini()
    try:
        api = app_with_env(GEMINI_BASE_URL=fake.base_url)
        t = make_tenant()
        h = auth(t.hr)
        assert api.put("/api/v1/ai/config", headers=h,
                       json={"provider": "gemini", "api_key": "company-key"}).status_code == 200
        fake.push_json({"red_flags": ["An index makes inserts faster too.", "  faster lookups ",
                                      "An index makes inserts faster too.", "Indexes take no disk space at all."]})
        r = api.post(SUGGEST, headers=h, json={"question": f"{INDEX_QUESTION} (from jane.doe@example.org)",
                                               "key_points": INDEX_POINTS})
        assert r.status_code == 200, r.text
        # repeats and a key point said back are dropped; the rest kept in order
        assert r.json()["red_flags"] == ["An index makes inserts faster too.", "Indexes take no disk space at all."]
        assert r.json()["provider"] == "gemini"
        (req,) = fake.requests
        assert "jane.doe@example.org" not in req.text and all(f"- {kp}" in req.text for kp in INDEX_POINTS)
        assert req.generation_config["maxOutputTokens"] == 512
    finally:
        fake.close()
