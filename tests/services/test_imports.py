"""CSV import service: file checks, header aliases, row rules, skip/update, re-runs and crash resume."""

from __future__ import annotations

import csv
import io

import pytest
from sqlmodel import func, select

from interviewer.core import errors as E
from interviewer.core.config import get_settings
from interviewer.db import session_scope
from interviewer.models import (
    Candidate,
    CandidateStatus,
    CandidateStatusHistory,
    ImportJob,
    ImportMode,
    ImportStatus,
    JobTemplate,
)
from interviewer.services import imports, imports_run, storage
from interviewer.services.authz import actor_for
from tests.factories import make_candidate, make_tenant


@pytest.fixture(autouse=True)
def private_data_dir(tmp_path, monkeypatch):
    monkeypatch.setattr(get_settings(), "DATA_DIR", tmp_path)


@pytest.fixture
def tenant():
    return make_tenant()


def _actor(user):
    with session_scope() as s:
        return actor_for(s, s.get(type(user), user.id))


def run(tenant, content: str | bytes, mode=ImportMode.SKIP, **kw) -> ImportJob:
    data = content.encode() if isinstance(content, str) else content
    with session_scope() as s:
        job, _ = imports.start_import(s, _actor(tenant.hr), data, "people.csv", mode)
    with session_scope() as s:
        return imports_run.run_import(s, job.id, **kw)


def report(job: ImportJob) -> list[dict]:
    return list(csv.DictReader(io.StringIO(storage.read(imports.report_key(job)).decode())))


def candidates(company_id) -> dict[str, Candidate]:
    with session_scope() as s:
        return {c.email: c for c in s.exec(select(Candidate).where(Candidate.company_id == company_id))}


def test_header_aliases_are_case_insensitive():
    columns, ignored = imports.map_header(["\ufeffE-MAIL Address", "First_Name", "LAST NAME", "Mobile", "Stage",
                                           "Job Title", "Lead Source", "Salary"])
    assert columns == {"email": 0, "first_name": 1, "last_name": 2, "phone": 3, "status": 4, "job": 5, "source": 6}
    assert ignored == ["Salary"]
    assert imports.map_header(["Full Name", "email"])[0] == {"name": 0, "email": 1}


def test_inspect_counts_rows_and_reports_line_numbers():
    layout, _ = imports.inspect(b"email,name\n\na@example.test,A\r\nb@example.test,\"B\nSecond line\"\n")
    assert layout.total_rows == 2
    text = "email,name\n\na@example.test,A\nb@example.test,\"B\nx\"\nc@example.test,C\n"
    assert [line for line, _ in imports.iter_records(text)] == [1, 3, 4, 6]
    with pytest.raises(E.ValidationError) as exc:
        imports.inspect(b"email,name\n" + "a@example.test,Zo\xeb\n".encode("latin-1"))
    assert exc.value.code == "IMPORT_423" and "line 2" in exc.value.message


def test_bom_first_last_names_and_row_errors(tenant):
    with session_scope() as s:
        s.add(JobTemplate(company_id=tenant.company.id, title="Data Engineer"))
    content = ("\ufeffEMAIL,First Name,Last Name,Status,Job,Phone\n"
               "Ada@Example.test,Ada,Lovelace,Screening,data engineer,+44\n"
               "not-an-email,Bob,,,,\n"
               ",Carl,,,,\n"
               "dan@example.test,,,,,\n"
               "eve@example.test,Eve,,hired-ish,,\n"
               "fay@example.test,Fay,,,Astronaut,\n"
               f"gus@example.test,Gus,,,,{'9' * 51}\n"
               "ADA@example.test,Ada Again,,,,\n")
    job = run(tenant, content)
    assert (job.status, job.created_count, job.error_count, job.processed_rows) == (ImportStatus.COMPLETED, 1, 7, 8)
    errors = {e["row"]: e["error"] for e in job.errors}
    assert set(errors) == {2, 3, 4, 5, 6, 7, 8}
    assert "invalid email" in errors[2] and "email is missing" in errors[3] and "name is missing" in errors[4]
    assert "unknown status 'hired_ish'" in errors[5] and "no job titled 'Astronaut'" in errors[6]
    assert "phone is longer than 50" in errors[7] and "duplicate email: already in row 1" in errors[8]
    assert job.errors[0]["line"] == job.errors[0]["row"] + 1
    ada = candidates(tenant.company.id)["ada@example.test"]
    assert (ada.name, ada.status, ada.phone, ada.source) == ("Ada Lovelace", CandidateStatus.SCREENING, "+44",
                                                              "CSV import")
    assert ada.job_template_id is not None
    with session_scope() as s:
        [hist] = s.exec(select(CandidateStatusHistory).where(CandidateStatusHistory.candidate_id == ada.id)).all()
    assert (hist.from_status, hist.to_status, hist.note) == (None, CandidateStatus.SCREENING, "CSV import")
    assert [r["result"] for r in report(job)] == ["created"] + ["error"] * 7
    # The report lists candidates' emails: only the app's user may read it, like every stored file.
    assert storage.path_for(imports.report_key(job)).stat().st_mode & 0o777 == 0o600


def test_skip_then_update_and_rerun_creates_no_duplicates(tenant):
    make_candidate(tenant.company.id, "old@example.test", name="Old Name", phone="1")
    content = "email,name,phone,status\nold@example.test,New Name,2,screening\nnew@example.test,New,,\n"
    first = run(tenant, content)
    assert (first.created_count, first.skipped_count, first.updated_count) == (1, 1, 0)
    assert candidates(tenant.company.id)["old@example.test"].name == "Old Name"
    again = run(tenant, content)
    assert (again.created_count, again.skipped_count) == (0, 2)
    assert len(candidates(tenant.company.id)) == 2
    updated = run(tenant, content, ImportMode.UPDATE)
    assert (updated.created_count, updated.updated_count, updated.skipped_count) == (0, 2, 0)
    old = candidates(tenant.company.id)["old@example.test"]
    assert (old.name, old.phone, old.status) == ("New Name", "2", CandidateStatus.SCREENING)
    assert len(candidates(tenant.company.id)) == 2
    with session_scope() as s:
        rows = s.exec(select(CandidateStatusHistory).where(CandidateStatusHistory.candidate_id == old.id)).all()
    assert [(r.from_status, r.to_status) for r in rows] == [(CandidateStatus.NEW, CandidateStatus.SCREENING)]


def test_update_mode_respects_the_pipeline(tenant):
    make_candidate(tenant.company.id, "h@example.test", status=CandidateStatus.HIRED)
    job = run(tenant, "email,name,status\nh@example.test,H,new\n", ImportMode.UPDATE)
    assert job.error_count == 1 and "status cannot change from hired to new" in job.errors[0]["error"]
    assert candidates(tenant.company.id)["h@example.test"].status == CandidateStatus.HIRED


def test_completed_job_is_not_run_twice(tenant):
    job = run(tenant, "email,name\na@example.test,A\n")
    with session_scope() as s:
        again = imports_run.run_import(s, job.id)
    assert again.created_count == 1 and again.status == ImportStatus.COMPLETED
    assert len(report(again)) == 1


def test_crash_midway_then_rerun_resumes_without_duplicates(tenant, monkeypatch):
    rows = "".join(f"user{i}@example.test,User {i}\n" for i in range(10)) + "user3@example.test,Dup\n"
    with session_scope() as s:
        job, _ = imports.start_import(s, _actor(tenant.hr), f"email,name\n{rows}".encode(), "p.csv")
    real = imports_run._Run.write_chunk
    calls = {"n": 0}

    def crashing(self, batch, report_fh):
        calls["n"] += 1
        if calls["n"] == 3:  # the third chunk writes its report lines, then dies before committing
            csv.writer(report_fh).writerows([[r.row, r.line, r.email, "created", ""] for r in batch])
            report_fh.flush()
            raise RuntimeError("worker killed")
        return real(self, batch, report_fh)

    monkeypatch.setattr(imports_run._Run, "write_chunk", crashing)
    with pytest.raises(RuntimeError), session_scope() as s:
        imports_run.run_import(s, job.id, chunk_rows=3)
    with session_scope() as s:
        imports_run.mark_failed(s, job.id, "RuntimeError: worker killed")
        half = s.get(ImportJob, job.id)
        assert (half.status, half.processed_rows, half.created_count) == (ImportStatus.FAILED, 6, 6)
    monkeypatch.setattr(imports_run._Run, "write_chunk", real)
    with session_scope() as s:
        done = imports_run.run_import(s, job.id, chunk_rows=3)
    assert (done.status, done.created_count, done.error_count, done.processed_rows) == (ImportStatus.COMPLETED, 10, 1, 11)
    assert done.failure_reason is None
    assert len(candidates(tenant.company.id)) == 10
    lines = report(done)
    assert [int(r["row"]) for r in lines] == list(range(1, 12))
    assert lines[-1]["result"] == "error" and "already in row 4" in lines[-1]["error"]
    with session_scope() as s:
        assert s.exec(select(func.count()).select_from(CandidateStatusHistory)).one() == 10


def test_concurrently_created_email_counts_as_skipped(tenant, monkeypatch):
    with session_scope() as s:
        job, _ = imports.start_import(s, _actor(tenant.hr), b"email,name\nrace@example.test,R\n", "p.csv")
    real_init = imports_run._Run.__init__

    def init_then_someone_inserts(self, *a, **kw):
        real_init(self, *a, **kw)
        make_candidate(tenant.company.id, "race@example.test")

    monkeypatch.setattr(imports_run._Run, "__init__", init_then_someone_inserts)
    with session_scope() as s:
        done = imports_run.run_import(s, job.id)
    assert (done.created_count, done.skipped_count) == (0, 1)
    assert len(candidates(tenant.company.id)) == 1


def test_missing_file_fails_the_job_cleanly(tenant):
    with session_scope() as s:
        job, _ = imports.start_import(s, _actor(tenant.hr), b"email,name\na@example.test,A\n", "p.csv")
    storage.delete(job.file_path)
    with session_scope() as s:
        failed = imports_run.run_import(s, job.id)
    assert failed.status == ImportStatus.FAILED and failed.failure_reason == "File not found."
