"""CSV bulk import of candidates, part 2: the rows (run by the ``bulk_import`` job).

Fast: the company's existing emails are loaded once into a dict; rows are written in chunks
(multi-row INSERT ... ON CONFLICT DO NOTHING, executemany UPDATE by primary key), and every chunk
commits together with the job's counters, so the UI sees progress.

Idempotent: ``processed_rows`` is committed atomically with the chunk it counts, so a re-run after
a crash resumes after the last committed chunk (earlier rows are only re-validated to rebuild the
"first occurrence wins" set) and the report file is cut back to the committed rows. A completed
import is never run again; the unique (company_id, email) constraint is the last line of defence.
"""

from __future__ import annotations

import csv
import io
import os
import logging
import uuid
from dataclasses import dataclass

from email_validator import EmailNotValidError, validate_email
from sqlalchemy import update
from sqlalchemy.dialects import postgresql, sqlite
from sqlmodel import Session, col, select

from interviewer.core import errors as E
from interviewer.core.security import utcnow
from interviewer.models import Candidate, CandidateStatus, CandidateStatusHistory, ImportJob, ImportMode, ImportStatus
from interviewer.models.job import JobTemplate
from interviewer.services import audit, pipeline, storage
from interviewer.services.imports import Layout, inspect, iter_records, report_key

log = logging.getLogger("interviewer.imports")

CHUNK_ROWS = 1000
MAX_STORED_ERRORS = 100
REPORT_HEADER = ["row", "line", "email", "result", "error"]
IMPORT_NOTE = "CSV import"
_LIMITS = {"name": 255, "phone": 50, "source": 100}


@dataclass
class Row:
    row: int
    line: int
    email: str
    values: dict  # name, phone, source, status, job_template_id: only what the file provides
    result: str = ""
    error: str = ""


def _cell(values: list[str], layout: Layout, name: str) -> str:
    index = layout.columns.get(name)
    return values[index].strip() if index is not None and index < len(values) else ""


def parse_row(number: int, line: int, values: list[str], layout: Layout, jobs: dict[str, uuid.UUID]) -> Row:
    """One data row -> Row with ``error`` set when it is invalid (pure: no database)."""
    raw_email = _cell(values, layout, "email")
    row = Row(number, line, raw_email.lower(), {})
    name = _cell(values, layout, "name") or " ".join(
        p for p in (_cell(values, layout, "first_name"), _cell(values, layout, "last_name")) if p)
    problems = []
    if not raw_email:
        problems.append("email is missing")
    elif len(raw_email) > 255:
        problems.append("email is longer than 255 characters")
    else:
        try:
            row.email = validate_email(raw_email, check_deliverability=False, test_environment=True).normalized.lower()
        except EmailNotValidError as exc:
            problems.append(f"invalid email: {exc}")
    if not name:
        problems.append("name is missing")
    row.values["name"] = name
    for key in ("phone", "source"):
        if key in layout.columns:
            row.values[key] = _cell(values, layout, key) or None
    for key, limit in _LIMITS.items():
        if len(row.values.get(key) or "") > limit:
            problems.append(f"{key} is longer than {limit} characters")
    status = _cell(values, layout, "status").lower().replace(" ", "_").replace("-", "_")
    if status:
        try:
            row.values["status"] = CandidateStatus(status)
        except ValueError:
            problems.append(f"unknown status {status!r} (use one of: {', '.join(s.value for s in CandidateStatus)})")
    title = _cell(values, layout, "job")
    if title:
        job_id = jobs.get(title.lower())
        if job_id is None:
            problems.append(f"no job titled {title[:100]!r} in this company")
        row.values["job_template_id"] = job_id
    if problems:
        row.result, row.error = "error", "; ".join(problems)
    return row


def _safe_cell(value: str) -> str:
    """Spreadsheet formula injection guard for values that came from the uploaded file."""
    return "'" + value if value[:1] in ("=", "+", "-", "@", "\t", "\r") else value


class _Run:
    def __init__(self, session: Session, job: ImportJob, layout: Layout):
        self.session, self.job, self.layout = session, job, layout
        self.now = utcnow()
        existing = session.exec(select(Candidate.email, Candidate.id, Candidate.status)
                                .where(Candidate.company_id == job.company_id))
        self.existing: dict[str, tuple[uuid.UUID, CandidateStatus]] = {e: (i, s) for e, i, s in existing}
        titles = session.exec(select(JobTemplate.title, JobTemplate.id).where(JobTemplate.company_id == job.company_id)
                              .order_by(col(JobTemplate.created_at)))
        self.jobs: dict[str, uuid.UUID] = {}
        for title, job_id in titles:
            self.jobs.setdefault(title.strip().lower(), job_id)
        self.seen: dict[str, int] = {}

    def classify(self, row: Row) -> None:
        """Decide a valid row's fate: duplicate in file, skip, update or create."""
        if row.result:
            return
        first = self.seen.get(row.email)
        if first is not None:
            row.result, row.error = "error", f"duplicate email: already in row {first} of this file"
            return
        self.seen[row.email] = row.row
        current = self.existing.get(row.email)
        if current is None:
            row.result = "created"
        elif self.job.mode == ImportMode.SKIP:
            row.result, row.error = "skipped", "a candidate with this email already exists"
        else:
            target = row.values.get("status")
            if target is not None and target != current[1] and not pipeline.can_transition(current[1], target):
                row.result, row.error = "error", (f"status cannot change from {current[1].value} to {target.value}; "
                                                  f"allowed: {', '.join(s.value for s in pipeline.allowed_next(current[1]))}")
            else:
                row.result = "updated"

    def _insert(self, rows: list[Row]) -> set[str]:
        table = Candidate.__table__
        dialect = self.session.get_bind().dialect.name
        insert = postgresql.insert if dialect == "postgresql" else sqlite.insert
        params = [{"id": uuid.uuid4(), "company_id": self.job.company_id, "email": r.email, "name": r.values["name"],
                   "phone": r.values.get("phone"), "source": r.values.get("source") or IMPORT_NOTE,
                   "status": r.values.get("status") or CandidateStatus.NEW,
                   "job_template_id": r.values.get("job_template_id"), "created_at": self.now} for r in rows]
        stmt = insert(table).on_conflict_do_nothing(index_elements=["company_id", "email"]).returning(
            table.c.id, table.c.email, table.c.status)
        inserted = self.session.execute(stmt, params).all() if params else []
        history = [{"id": uuid.uuid4(), "candidate_id": i, "from_status": None, "to_status": s, "changed_by": None,
                    "note": IMPORT_NOTE, "created_at": self.now} for i, _e, s in inserted]
        if history:
            self.session.execute(CandidateStatusHistory.__table__.insert(), history)
        for cand_id, email, status in inserted:
            self.existing[email] = (cand_id, CandidateStatus(status))
        return {e for _i, e, _s in inserted}

    def _update(self, rows: list[Row]) -> None:
        changes, history = [], []
        for r in rows:
            cand_id, current = self.existing[r.email]
            values = {k: v for k, v in r.values.items() if v is not None and k != "status"}
            target = r.values.get("status")
            if target is not None and target != current:
                values["status"] = target
                history.append({"id": uuid.uuid4(), "candidate_id": cand_id, "from_status": current,
                                "to_status": target, "changed_by": None, "note": IMPORT_NOTE, "created_at": self.now})
                self.existing[r.email] = (cand_id, target)
            changes.append({"id": cand_id, "updated_at": self.now, **values})
        by_keys: dict[tuple, list[dict]] = {}
        for change in changes:  # executemany needs one parameter shape per statement
            by_keys.setdefault(tuple(sorted(change)), []).append(change)
        for group in by_keys.values():
            self.session.execute(update(Candidate), group)
        if history:
            self.session.execute(CandidateStatusHistory.__table__.insert(), history)

    def write_chunk(self, rows: list[Row], report: io.TextIOBase) -> None:
        created = [r for r in rows if r.result == "created"]
        inserted = self._insert(created)
        for r in created:
            if r.email not in inserted:  # inserted by someone else since we loaded the emails
                r.result, r.error = "skipped", "a candidate with this email already exists"
        self._update([r for r in rows if r.result == "updated"])
        job = self.job
        counts = {k: sum(1 for r in rows if r.result == k) for k in ("created", "updated", "skipped", "error")}
        job.created_count += counts["created"]
        job.updated_count += counts["updated"]
        job.skipped_count += counts["skipped"]
        job.error_count += counts["error"]
        job.processed_rows = rows[-1].row
        room = MAX_STORED_ERRORS - len(job.errors)
        if room > 0 and counts["error"]:
            job.errors = job.errors + [{"row": r.row, "line": r.line, "email": r.email[:255], "error": r.error}
                                       for r in rows if r.result == "error"][:room]
        self.session.add(job)
        writer = csv.writer(report)
        writer.writerows([r.row, r.line, _safe_cell(r.email[:255]), r.result, _safe_cell(r.error)] for r in rows)
        report.flush()
        self.session.commit()  # rows, history, counters and progress together


def _private_writer(path) -> io.TextIOBase:
    """A text file only the app's user can read (0600, like every stored upload): the report
    holds candidates' emails."""
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    os.fchmod(fd, 0o600)  # an older report may exist with wider permissions
    return open(fd, "w", encoding="utf-8", newline="")


def _open_report(path, keep_rows: int) -> io.TextIOBase:
    """The report file positioned after ``keep_rows`` data rows (a resumed run drops the rest)."""
    if keep_rows == 0 or not path.exists():
        fh = _private_writer(path)
        csv.writer(fh).writerow(REPORT_HEADER)
        return fh
    with open(path, encoding="utf-8", newline="") as old:
        kept = list(csv.reader(old))[: keep_rows + 1]
    fh = _private_writer(path)
    csv.writer(fh).writerows(kept)
    return fh


def run_import(session: Session, import_id: uuid.UUID, *, chunk_rows: int = CHUNK_ROWS) -> ImportJob | None:
    """Process an import job; safe to call again for the same job (see the module docstring)."""
    job = session.get(ImportJob, import_id)
    if job is None or job.status == ImportStatus.COMPLETED:
        return job
    try:
        layout, text = inspect(storage.read(job.file_path))
    except E.DomainError as exc:  # the stored file vanished or changed: retrying cannot help
        job.status, job.failure_reason, job.finished_at = ImportStatus.FAILED, exc.message, utcnow()
        session.commit()
        return job
    job.status, job.started_at, job.failure_reason = ImportStatus.RUNNING, job.started_at or utcnow(), None
    job.total_rows = layout.total_rows
    session.commit()
    resume_from = job.processed_rows
    run = _Run(session, job, layout)
    records = iter_records(text)
    next(records)  # the header
    batch: list[Row] = []
    with _open_report(storage.path_for(report_key(job)), resume_from) as report:
        for number, (line, values) in enumerate(records, start=1):
            row = parse_row(number, line, values, layout, run.jobs)
            if number <= resume_from:
                if not row.result:  # rebuild "first occurrence wins" exactly as the first run saw it
                    run.seen.setdefault(row.email, number)
                continue
            run.classify(row)
            batch.append(row)
            if len(batch) >= chunk_rows:
                run.write_chunk(batch, report)
                batch = []
        if batch:
            run.write_chunk(batch, report)
    job.status, job.finished_at = ImportStatus.COMPLETED, utcnow()
    job.processed_rows = layout.total_rows
    audit.record(session, actor=None, action="candidate.import_done", entity_type="import_job", entity_id=job.id,
                 company_id=job.company_id, details={"created": job.created_count, "updated": job.updated_count,
                                                     "skipped": job.skipped_count, "errors": job.error_count})
    session.commit()
    return job


def mark_failed(session: Session, import_id: uuid.UUID, reason: str) -> None:
    """Record a crash (the job may still be retried and then resumes where it stopped)."""
    job = session.get(ImportJob, import_id)
    if job is not None and job.status != ImportStatus.COMPLETED:
        job.status, job.failure_reason, job.finished_at = ImportStatus.FAILED, reason[:2000], utcnow()
        session.commit()
