"""Questions of a job template: ordering, reorder, validation, tenancy."""

from __future__ import annotations

import uuid

from tests.api.test_interviews_support import World, make_job

JOBS = "/api/v1/jobs"


def _add(api, w, job_id, text, **extra):
    r = api.post(f"{JOBS}/{job_id}/questions", json={"text": text, **extra}, headers=w.hr)
    assert r.status_code == 201, r.text
    return r.json()


def _texts(api, w, job_id):
    items = api.get(f"{JOBS}/{job_id}/questions", headers=w.hr).json()
    assert [q["position"] for q in items] == list(range(len(items)))  # always dense
    return [q["text"] for q in items]


def test_add_insert_move_delete_keep_a_dense_order(api):
    w = World()
    job = w.job.id
    a = _add(api, w, job, "A?", weight=3, key_points=["idempotency", "retries"])
    assert (a["weight"], a["position"], a["key_points"]) == (3, 0, ["idempotency", "retries"])
    b = _add(api, w, job, "B?")
    assert b["weight"] == 1 and b["key_points"] == []
    c = _add(api, w, job, "C?", position=0)  # insert at the front
    assert _texts(api, w, job) == ["C?", "A?", "B?"]
    moved = api.put(f"{JOBS}/{job}/questions/{c['id']}", json={"position": 99, "text": "C2?"}, headers=w.hr)
    assert moved.status_code == 200 and moved.json()["position"] == 2
    assert _texts(api, w, job) == ["A?", "B?", "C2?"]
    assert api.delete(f"{JOBS}/{job}/questions/{a['id']}", headers=w.hr).status_code == 204
    assert _texts(api, w, job) == ["B?", "C2?"]
    upd = api.put(f"{JOBS}/{job}/questions/{b['id']}", json={"weight": 10, "key_points": ["x"]}, headers=w.hr)
    assert upd.json()["weight"] == 10 and upd.json()["key_points"] == ["x"] and upd.json()["text"] == "B?"
    assert api.get(f"{JOBS}/{job}", headers=w.hr).json()["question_count"] == 2


def test_reorder_requires_exactly_the_jobs_ids(api):
    w = World()
    job = w.job.id
    ids = [_add(api, w, job, f"Q{i}?")["id"] for i in range(3)]
    r = api.post(f"{JOBS}/{job}/questions/reorder", json={"ids": list(reversed(ids))}, headers=w.hr)
    assert r.status_code == 200 and [q["id"] for q in r.json()] == list(reversed(ids))
    assert _texts(api, w, job) == ["Q2?", "Q1?", "Q0?"]

    other = make_job(w.acme.company.id, "Other")
    foreign = _add(api, w, other.id, "Elsewhere?")["id"]
    for bad in (ids[:2], ids + [foreign], [ids[0], ids[0], ids[1]], ids[:2] + [foreign], []):
        r = api.post(f"{JOBS}/{job}/questions/reorder", json={"ids": bad}, headers=w.hr)
        assert r.status_code == 422 and r.json()["error_code"] == "QUESTION_422", bad
    assert api.post(f"{JOBS}/{job}/questions/reorder", json={"ids": ["nope"]}, headers=w.hr).status_code == 422
    assert _texts(api, w, job) == ["Q2?", "Q1?", "Q0?"]  # unchanged by the refused requests


def test_question_validation(api):
    w = World()
    url = f"{JOBS}/{w.job.id}/questions"
    bad_bodies = [
        {"text": ""},
        {"text": "x" * 2001},
        {"text": "ok", "weight": 0},
        {"text": "ok", "weight": 11},
        {"text": "ok", "key_points": [f"p{i}" for i in range(11)]},
        {"text": "ok", "key_points": ["p" * 301]},
        {"text": "ok", "key_points": [""]},
        {"text": "ok", "position": -1},
        {"text": "ok", "extra": True},
    ]
    for body in bad_bodies:
        r = api.post(url, json=body, headers=w.hr)
        assert r.status_code == 422, (body, r.text)
    assert api.post(url, json={"text": "x" * 2000, "key_points": ["k" * 300] * 10}, headers=w.hr).status_code == 201
    q = api.get(url, headers=w.hr).json()[0]
    assert api.put(f"{url}/{q['id']}", json={"weight": 42}, headers=w.hr).status_code == 422
    assert api.put(f"{url}/not-a-uuid", json={"weight": 2}, headers=w.hr).status_code == 422


def test_question_ids_are_scoped_to_their_job_and_tenant(api):
    w = World()
    mine = _add(api, w, w.job.id, "Mine?")
    other_job = make_job(w.acme.company.id, "Other")
    # A question id used under the wrong job is 404, even within the company.
    for method, body in (("PUT", {"text": "hijack"}), ("DELETE", None)):
        r = api.request(method, f"{JOBS}/{other_job.id}/questions/{mine['id']}", json=body, headers=w.hr)
        assert r.status_code == 404 and r.json()["error_code"] == "QUESTION_404"
    # Another company cannot reach it through either job id.
    for job_id in (w.job.id, w.g_job.id):
        r = api.put(f"{JOBS}/{job_id}/questions/{mine['id']}", json={"text": "hijack"}, headers=w.g_hr)
        assert r.status_code == 404
    assert api.delete(f"{JOBS}/{w.job.id}/questions/{uuid.uuid4()}", headers=w.hr).status_code == 404
    assert _texts(api, w, w.job.id) == ["Mine?"]


def test_deleting_a_job_deletes_its_questions(api):
    w = World()
    job = make_job(w.acme.company.id, "Temp")
    q = _add(api, w, job.id, "Gone?")
    assert api.delete(f"{JOBS}/{job.id}", headers=w.hr).status_code == 204
    assert api.get(f"{JOBS}/{job.id}/questions", headers=w.hr).status_code == 404
    assert api.put(f"{JOBS}/{job.id}/questions/{q['id']}", json={"text": "x"}, headers=w.hr).status_code == 404
