"""The OpenAPI document tells the truth (issue 12): every operation documents the project's error
format and the error statuses it can answer with, and a bounded fuzz run over every operation
finds no 5xx and no answer the document does not describe (tests/api/contract.py).

``FUZZ_CASES`` (default 3 per operation) sets the budget; bench/bench_fuzz_api.py runs it larger."""

from __future__ import annotations

import os
import re
from datetime import timedelta

import pytest

from interviewer.api.openapi import ERROR_SCHEMA_NAME
from interviewer.core.security import utcnow
from interviewer.db import session_scope
from interviewer.models import Interview, InterviewStatus, JobTemplate, Question, UserRole
from interviewer.services.interviews import issue_link_token
from tests.api.contract import check_answer, fuzz, Report, schema_errors
from tests.factories import make_admin, make_candidate, make_tenant, make_user, token_for

ERROR_REF = {"$ref": f"#/components/schemas/{ERROR_SCHEMA_NAME}"}


@pytest.fixture
def fuzz_api(app_with_env, tmp_path):
    # No rate limits or sign-in delays: the fuzzer would otherwise mostly meet 429s.
    app_with_env(RATE_LIMIT_ENABLED="false", DATA_DIR=str(tmp_path), LOGIN_FREE_FAILURES="100000")
    from fastapi.testclient import TestClient

    from interviewer.api.app import create_api

    with TestClient(create_api(), raise_server_exceptions=False) as client:  # a 500 is an answer to count
        yield client


def _spec(client) -> dict:
    r = client.get("/api/v1/openapi.json")
    assert r.status_code == 200
    return r.json()


def test_every_operation_documents_the_error_format_and_statuses(fuzz_api):
    spec = _spec(fuzz_api)
    text = str(spec)
    assert "HTTPValidationError" not in text  # FastAPI's own 422 body is never sent
    error = spec["components"]["schemas"][ERROR_SCHEMA_NAME]
    assert set(error["required"]) == {"detail", "error_code", "timestamp"}
    count = 0
    for path, item in spec["paths"].items():
        for method, op in item.items():
            count += 1
            responses = op["responses"]
            expected = {"400", "422", "429"}
            if op.get("security"):
                expected |= {"401", "403"}
            if method in ("post", "put", "patch", "delete"):
                expected.add("409")
            if "{" in path:
                expected.add("404")
            if op.get("requestBody"):
                expected.add("413")
                if "multipart/form-data" in op["requestBody"]["content"]:
                    expected.add("415")
            assert expected <= set(responses), (method, path, expected - set(responses))
            for status, entry in responses.items():
                if status.startswith(("4", "5")):
                    assert entry["content"]["application/json"]["schema"] == ERROR_REF, (method, path, status)
    assert count >= 90


def test_documented_errors_match_real_answers(fuzz_api):
    """Hand-picked answers of each error status checked against the document."""
    spec = _spec(fuzz_api)
    tenant = make_tenant("Acme")
    hr = {"Authorization": f"Bearer {token_for(tenant.hr)}"}
    dev = {"Authorization": f"Bearer {token_for(tenant.employee)}"}
    report = Report()
    cand = make_candidate(tenant.company.id, "robin@example.test", name="Robin Park")
    with session_scope() as s:
        job = JobTemplate(company_id=tenant.company.id, title="Backend Engineer")
        s.add(job)
        s.flush()
        now = utcnow()
        interview = Interview(company_id=tenant.company.id, candidate_id=cand.id, job_template_id=job.id,
                              scheduled_at=now, duration_minutes=30, expires_at=now + timedelta(days=7))
        issue_link_token(interview)
        s.add(interview)
        s.flush()
        pending = str(interview.id)
    cases = [
        # a read with a state conflict of its own: no letter before the interview has a report (409)
        ("/api/v1/interviews/{interview_id}/feedback-letter", "get", {"headers": hr}, {"interview_id": pending}),
        ("/api/v1/candidates", "get", {}, {}),  # 401
        ("/api/v1/candidates/{candidate_id}", "get", {"headers": hr}, {"candidate_id": "not-a-uuid"}),  # 422
        ("/api/v1/candidates/{candidate_id}", "get", {"headers": hr}, {"candidate_id": "7" * 8 + "-1111-2222-3333-" + "4" * 12}),  # 404
        ("/api/v1/users", "post", {"headers": dev, "json": {"email": "x@acme.test", "name": "X", "role": "HR"}}, {}),  # 403
        ("/api/v1/candidates", "post", {"headers": {**hr, "Content-Type": "application/json"}, "content": b"{bad"}, {}),  # 400
        ("/api/v1/candidates", "post", {"headers": hr, "json": {"name": "A\u0000", "email": "a@example.test"}}, {}),
    ]
    statuses = set()
    for path, method, kwargs, values in cases:
        url = path
        for k, v in values.items():
            url = url.replace("{" + k + "}", v)
        response = fuzz_api.request(method.upper(), url, **kwargs)
        statuses.add(response.status_code)
        check_answer(spec, path, method, spec["paths"][path][method], response, report)
    assert {400, 401, 403, 404, 409, 422} <= statuses
    assert report.violations == [] and report.server_errors == []


def test_fuzz_findings_are_fixed(fuzz_api):
    """5xx the fuzzer found: an admin creating a role for a company that does not exist (a foreign
    key violation, now 404 from the service), and the database's own refusals as a net."""
    from sqlalchemy import exc as sa_exc

    from interviewer.api.errors import _constraint

    admin = {"Authorization": f"Bearer {token_for(make_admin())}"}
    r = fuzz_api.post("/api/v1/roles", params={"company_id": "7" * 8 + "-1111-2222-3333-" + "4" * 12},
                      headers=admin, json={"name": "Reviewer", "permissions": ["candidates:read"]})
    assert r.status_code == 404 and set(r.json()) == {"detail", "error_code", "timestamp"}, r.text

    class Orig(Exception):
        def __init__(self, state):
            super().__init__("x")
            self.sqlstate = state

    assert _constraint(sa_exc.IntegrityError("insert", {}, Orig("23503"))) == "foreign_key"
    assert _constraint(sa_exc.IntegrityError("insert", {}, Orig("23505"))) == "unique"
    assert _constraint(sa_exc.IntegrityError("insert", {}, Exception("FOREIGN KEY constraint failed"))) == "foreign_key"


def test_schema_checker_finds_disagreements():
    spec = {"components": {"schemas": {"E": {"type": "object", "required": ["a"],
                                              "properties": {"a": {"type": "integer"}}}}}}
    assert schema_errors(spec, {"$ref": "#/components/schemas/E"}, {"a": 1}) == []
    assert schema_errors(spec, {"$ref": "#/components/schemas/E"}, {"a": "x"})
    assert schema_errors(spec, {"$ref": "#/components/schemas/E"}, {})
    assert schema_errors(spec, {"anyOf": [{"type": "string"}, {"type": "null"}]}, 3)


def seed_fuzz_data() -> tuple[dict[str, str | None], dict[str, list[str]]]:
    """Two companies with staff, candidates, a job with questions and an interview: tokens per
    role and ids the fuzzer mixes into path parameters and bodies."""
    acme, globex = make_tenant("Acme"), make_tenant("Globex")
    admin = make_admin()
    cand_user = make_user(UserRole.CANDIDATE, None, "casey@example.test", name="Casey Candidate")
    candidate = make_candidate(acme.company.id, "ana@example.test", name="Ana Example")
    other = make_candidate(globex.company.id, "zed@example.test", name="Zed Other")
    with session_scope() as s:
        job = JobTemplate(company_id=acme.company.id, title="Backend Engineer", description="Python APIs")
        s.add(job)
        s.flush()
        question = Question(job_template_id=job.id, text="What is a stack?", position=0, key_points=["LIFO"])
        s.add(question)
        interview = Interview(company_id=acme.company.id, candidate_id=candidate.id, job_template_id=job.id,
                              token="0" * 64, status=InterviewStatus.SCHEDULED, scheduled_at=utcnow(),
                              expires_at=utcnow() + timedelta(days=2), duration_minutes=20)
        s.add(interview)
        s.flush()
        ids = {"company": [str(acme.company.id), str(globex.company.id)],
               "user": [str(acme.hr.id), str(acme.employee.id), str(globex.hr.id)],
               "candidate": [str(candidate.id), str(other.id)], "job": [str(job.id)],
               "question": [str(question.id)], "interview": [str(interview.id)]}
    tokens = {"none": None, "garbage": "not.a.token", "hr": token_for(acme.hr), "employee": token_for(acme.employee),
              "admin": token_for(admin), "candidate": token_for(cand_user), "other_hr": token_for(globex.hr)}
    return tokens, ids


def test_bounded_fuzz_finds_no_5xx_and_no_contract_violation(fuzz_api):
    spec = _spec(fuzz_api)
    tokens, ids = seed_fuzz_data()
    cases = int(os.environ.get("FUZZ_CASES", "3"))
    report = fuzz(fuzz_api, spec, tokens=tokens, ids=ids, cases_per_operation=cases,
                  seed=int(os.environ.get("FUZZ_SEED", "12")), skip=re.compile(r"^GET /api/v1/openapi"))
    print("\nfuzz:", report.summary())
    assert report.requests >= 90 * cases
    assert report.server_errors == [], report.server_errors[:10]
    assert report.violations == [], report.violations[:20]
