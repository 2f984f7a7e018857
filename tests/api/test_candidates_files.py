"""Candidates REST API: resumes, invitations, bulk delete, CSV import endpoints and job metrics."""

from __future__ import annotations

import csv
import io
import uuid

import pytest
from sqlmodel import func, select

from interviewer.core.config import get_settings
from interviewer.core.redis import get_redis
from interviewer.db import session_scope
from interviewer.jobs.tasks import METRICS_KEY
from interviewer.models import Candidate, EmailMessage, ImportJob, User, UserRole
from tests.ai.fixtures_gen import docx_with_table, pdf_image_only, pdf_single_column
from tests.factories import auth, make_candidate, make_tenant, make_user

URL = "/api/v1/candidates"


@pytest.fixture(autouse=True)
def private_data_dir(tmp_path, monkeypatch):
    """Uploads go to a per-test directory, never the checkout's var/."""
    monkeypatch.setattr(get_settings(), "DATA_DIR", tmp_path)


@pytest.fixture
def acme():
    return make_tenant("Acme")


@pytest.fixture
def globex():
    return make_tenant("Globex")


def _count(model, *where) -> int:
    with session_scope() as s:
        return s.exec(select(func.count()).select_from(model).where(*where)).one()


# --------------------------------------------------------------------------- resumes

@pytest.mark.parametrize("filename,data,media", [
    ("cv.pdf", pdf_single_column(["Ada Lovelace", "Senior Python engineer, PostgreSQL"]), "application/pdf"),
    ("cv.docx", docx_with_table(["Ada Lovelace"], [["Skills", "Python engineer"]], ["PostgreSQL"]),
     "application/vnd.openxmlformats-officedocument.wordprocessingml.document"),
    ("notes", b"Ada Lovelace\nPython engineer, PostgreSQL\n", "text/plain; charset=utf-8"),
])
def test_resume_upload_extract_download(api, acme, run_jobs, filename, data, media):
    h = auth(acme.hr)
    cid = make_candidate(acme.company.id).id
    r = api.post(f"{URL}/{cid}/resume", headers=h, files={"file": (filename, data, "application/octet-stream")})
    assert r.status_code == 202, r.text
    assert r.json()["has_resume"] is True and r.json()["resume_text"] is None
    with session_scope() as s:
        key = s.get(Candidate, cid).resume_url
    assert key.startswith(f"resumes/{acme.company.id}/") and filename not in key  # generated name
    stored = get_settings().upload_dir / key
    assert stored.read_bytes() == data
    run_jobs()
    text = api.get(f"{URL}/{cid}", headers=h).json()["resume_text"]
    assert "Python engineer" in text
    dl = api.get(f"{URL}/{cid}/resume", headers=h)
    assert dl.status_code == 200 and dl.content == data and dl.headers["content-type"] == media
    assert "attachment" in dl.headers["content-disposition"]
    assert get_redis().hget(METRICS_KEY, "extract_resume|finished") == "1"


def test_resume_wrong_type_too_large_and_unreadable(api, acme, run_jobs):
    h = auth(acme.hr)
    cid = make_candidate(acme.company.id).id
    png = b"\x89PNG\r\n\x1a\n" + b"\x00" * 100
    r = api.post(f"{URL}/{cid}/resume", headers=h, files={"file": ("cv.pdf", png, "application/pdf")})
    assert r.status_code == 422 and r.json()["error_code"] == "FILE_003"  # as the ATS check: "this .pdf is damaged"
    r = api.post(f"{URL}/{cid}/resume", headers=h, files={"file": ("image.png", png, "image/png")})
    assert r.status_code == 415 and r.json()["error_code"] == "FILE_001"
    big = b"%PDF-1.4\n" + b"a" * (10 * 1024 * 1024)
    r = api.post(f"{URL}/{cid}/resume", headers=h, files={"file": ("cv.pdf", big, "application/pdf")})
    assert r.status_code == 413
    zipped = io.BytesIO()
    import zipfile
    with zipfile.ZipFile(zipped, "w") as zf:
        zf.writestr("hello.txt", "hi")
    r = api.post(f"{URL}/{cid}/resume", headers=h, files={"file": ("cv.docx", zipped.getvalue(), "x/y")})
    assert r.status_code == 415
    assert not (get_settings().upload_dir / "resumes").exists()  # refused before anything was stored
    # a scanned PDF is stored, but its text cannot be extracted: the job finishes without text
    r = api.post(f"{URL}/{cid}/resume", headers=h, files={"file": ("scan.pdf", pdf_image_only(), "application/pdf")})
    assert r.status_code == 202
    run_jobs()
    assert api.get(f"{URL}/{cid}", headers=h).json()["resume_text"] is None
    assert api.get(f"{URL}/{cid}/resume", headers=h).status_code == 200


def test_resume_access_rules(api, acme):
    cid = make_candidate(acme.company.id, assigned_to=acme.employee.id).id
    other = make_candidate(acme.company.id, "other@example.test").id
    h = auth(acme.hr)
    assert api.get(f"{URL}/{cid}/resume", headers=h).status_code == 404  # none yet
    api.post(f"{URL}/{cid}/resume", headers=h, files={"file": ("cv.txt", b"Go developer", "text/plain")})
    api.post(f"{URL}/{other}/resume", headers=h, files={"file": ("cv.txt", b"Go developer", "text/plain")})
    emp = auth(acme.employee)
    assert api.get(f"{URL}/{cid}/resume", headers=emp).status_code == 200
    assert api.get(f"{URL}/{other}/resume", headers=emp).status_code == 404
    assert api.post(f"{URL}/{cid}/resume", headers=emp, files={"file": ("cv.txt", b"x", "text/plain")}).status_code == 403
    assert api.get(f"{URL}/{cid}/resume").status_code == 401


def test_replacing_and_deleting_removes_old_files(api, acme):
    h = auth(acme.hr)
    cid = make_candidate(acme.company.id).id
    api.post(f"{URL}/{cid}/resume", headers=h, files={"file": ("a.txt", b"first resume", "text/plain")})
    with session_scope() as s:
        first = get_settings().upload_dir / s.get(Candidate, cid).resume_url
    api.post(f"{URL}/{cid}/resume", headers=h, files={"file": ("b.txt", b"second resume", "text/plain")})
    assert not first.exists()
    with session_scope() as s:
        second = get_settings().upload_dir / s.get(Candidate, cid).resume_url
    assert second.read_bytes() == b"second resume"
    assert api.delete(f"{URL}/{cid}", headers=h).status_code == 204
    assert not second.exists()


# --------------------------------------------------------------------------- invitations

def test_invite_creates_account_and_emails_link(api, acme):
    h = auth(acme.hr)
    cid = make_candidate(acme.company.id, "new.person@example.test", name="New Person").id
    r = api.post(f"{URL}/{cid}/invite", headers=h)
    assert r.status_code == 200 and r.json()["outcome"] == "invited"
    with session_scope() as s:
        user = s.get(User, uuid.UUID(r.json()["user_id"]))
        assert user.role == UserRole.CANDIDATE and user.email == "new.person@example.test"
        assert user.password_hash.startswith("!") and s.get(Candidate, cid).user_id == user.id
        mails = s.exec(select(EmailMessage).where(EmailMessage.to_address == user.email)).all()
    assert len(mails) == 1 and "/set-password?token=" in mails[0].body_text
    again = api.post(f"{URL}/{cid}/invite", headers=h)
    assert again.json() == {"user_id": r.json()["user_id"], "outcome": "resent"}
    assert api.post(f"{URL}/{cid}/invite", headers=auth(acme.employee)).status_code == 403


def test_invite_links_existing_candidate_user_and_refuses_staff_email(api, acme, globex):
    h = auth(acme.hr)
    existing = make_user(UserRole.CANDIDATE, None, "known@example.test")
    cid = make_candidate(acme.company.id, "known@example.test").id
    r = api.post(f"{URL}/{cid}/invite", headers=h)
    assert r.json() == {"user_id": str(existing.id), "outcome": "linked"}
    assert _count(EmailMessage) == 0
    users_before = _count(User)
    # Another company's staff address: HR gets the ordinary answer (enumeration-safe, issue 12);
    # no candidate login is made and the address's owner is told by email.
    staff = make_candidate(acme.company.id, globex.hr.email).id
    r = api.post(f"{URL}/{staff}/invite", headers=h)
    assert r.status_code == 200 and r.json()["outcome"] == "invited"
    fresh = api.post(f"{URL}/{make_candidate(acme.company.id, 'nobody@example.test').id}/invite", headers=h)
    assert fresh.status_code == 200 and set(fresh.json()) == set(r.json()) and fresh.json()["outcome"] == "invited"
    with session_scope() as s:
        assert s.get(Candidate, staff).user_id is None
        assert s.exec(select(User).where(User.email == globex.hr.email)).one().role == UserRole.HR
        notice = s.exec(select(EmailMessage).where(EmailMessage.to_address == globex.hr.email)).one()
    assert notice.kind == "account_exists" and _count(User) == users_before + 1  # only nobody@ got an account


# --------------------------------------------------------------------------- bulk delete

def test_bulk_delete_is_tenant_checked(api, acme, globex):
    mine = [make_candidate(acme.company.id, f"m{i}@example.test").id for i in range(3)]
    theirs = make_candidate(globex.company.id, "t@example.test").id
    ids = [str(i) for i in mine] + [str(theirs), str(uuid.uuid4()), str(mine[0])]
    r = api.request("DELETE", f"{URL}/bulk-delete", headers=auth(acme.hr), json={"ids": ids})
    assert r.status_code == 200 and r.json() == {"deleted": 3, "not_found": 2}
    assert _count(Candidate, Candidate.company_id == acme.company.id) == 0
    assert _count(Candidate, Candidate.id == theirs) == 1
    assert api.request("DELETE", f"{URL}/bulk-delete", headers=auth(acme.employee),
                       json={"ids": [str(theirs)]}).status_code == 403
    too_many = [str(uuid.uuid4()) for _ in range(1001)]
    assert api.request("DELETE", f"{URL}/bulk-delete", headers=auth(acme.hr), json={"ids": too_many}).status_code == 422
    assert api.request("DELETE", f"{URL}/bulk-delete", headers=auth(acme.hr), json={"ids": []}).status_code == 422
    assert api.request("DELETE", f"{URL}/bulk-delete", json={"ids": ids}).status_code == 401


# --------------------------------------------------------------------------- CSV import endpoints

def _upload(api, headers, content: bytes, mode: str | None = None, name: str = "people.csv"):
    data = {"mode": mode} if mode else {}
    return api.post(f"{URL}/bulk-import", headers=headers, files={"file": (name, content, "text/csv")}, data=data)


def test_import_flow_status_report_and_list(api, acme, globex, run_jobs):
    h = auth(acme.hr)
    make_candidate(acme.company.id, "old@example.test")
    content = ("\ufeffE-Mail,Full Name,Phone Number,Notes\n"
               "ada@example.test,Ada,+1,x\n"
               "bad-email,Bob,,\n"
               "old@example.test,Old,,\n"
               "=cmd@example.test,,,\n").encode()
    r = _upload(api, h, content)
    assert r.status_code == 202, r.text
    job = r.json()
    assert job["status"] == "queued" and job["total_rows"] == 4 and job["mode"] == "skip"
    assert job["ignored_columns"] == ["Notes"] and job["progress"] == 0
    assert api.get(f"{URL}/imports/{job['id']}/report.csv", headers=h).status_code == 409  # not finished
    run_jobs()
    done = api.get(f"{URL}/imports/{job['id']}", headers=h).json()
    assert (done["status"], done["progress"], done["created_count"], done["skipped_count"], done["error_count"]) == \
        ("completed", 100, 1, 1, 2)
    assert [(e["row"], e["line"]) for e in done["errors"]] == [(2, 3), (4, 5)]
    report = api.get(f"{URL}/imports/{job['id']}/report.csv", headers=h)
    assert report.status_code == 200 and report.headers["content-type"].startswith("text/csv")
    assert "attachment" in report.headers["content-disposition"]
    rows = list(csv.DictReader(io.StringIO(report.text)))
    assert [(r["row"], r["result"]) for r in rows] == [("1", "created"), ("2", "error"), ("3", "skipped"),
                                                        ("4", "error")]
    assert rows[3]["email"].startswith("'=")  # no spreadsheet formula injection
    listed = api.get(f"{URL}/imports", headers=h).json()
    assert listed["total"] == 1 and listed["imports"][0]["id"] == job["id"]
    other = auth(globex.hr)
    assert api.get(f"{URL}/imports/{job['id']}", headers=other).status_code == 404
    assert api.get(f"{URL}/imports/{job['id']}/report.csv", headers=other).status_code == 404
    assert api.get(f"{URL}/imports", headers=other).json()["total"] == 0
    assert api.get(f"{URL}/imports", headers=auth(acme.employee)).status_code == 403
    assert get_redis().hget(METRICS_KEY, "bulk_import|finished") == "1"


@pytest.mark.parametrize("content,code", [
    (b"", "IMPORT_421"),
    (b"\xef\xbb\xbf\n\n", "IMPORT_421"),
    (b"email,name\n", "IMPORT_421"),
    (b"PK\x03\x04\x14\x00\x00\x00binary-xlsx\x00\x00", "IMPORT_422"),
    ("email,name\nzoë@example.test,Zoë\n".encode("latin-1"), "IMPORT_423"),
    ("email,name\n".encode("utf-16"), "IMPORT_423"),
    (b"email;name\na@example.test;A\n", "IMPORT_424"),
    (b"email\tname\na@example.test\tA\n", "IMPORT_424"),
    (b"name,phone\nA,1\n", "IMPORT_425"),
    (b"email,phone\na@example.test,1\n", "IMPORT_426"),
    (b"email,first name\na@example.test,A\n", "IMPORT_426"),
    (b"email,e-mail,name\na@example.test,b@example.test,A\n", "IMPORT_429"),
])
def test_malformed_files_are_rejected_before_any_write(api, acme, content, code):
    r = _upload(api, auth(acme.hr), content)
    assert r.status_code == 422, r.text
    assert r.json()["error_code"] == code and r.json()["detail"]
    assert _count(ImportJob) == 0 and _count(Candidate) == 0
    assert not (get_settings().upload_dir / "imports").exists()


def test_import_requires_hr_and_valid_mode(api, acme):
    ok = b"email,name\na@example.test,A\n"
    assert _upload(api, auth(acme.employee), ok).status_code == 403
    assert api.post(f"{URL}/bulk-import", files={"file": ("a.csv", ok, "text/csv")}).status_code == 401
    assert _upload(api, auth(acme.hr), ok, mode="merge").status_code == 422
    assert api.post(f"{URL}/bulk-import", headers=auth(acme.hr)).status_code == 422  # no file
    big = b"email,name\n" + b"a@example.test,A\n" * (11 * 1024 * 1024 // 17)
    assert _upload(api, auth(acme.hr), big).status_code == 413
    assert _count(ImportJob) == 0
