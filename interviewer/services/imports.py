"""CSV bulk import of candidates, part 1: checking the file and managing import jobs.

``start_import`` refuses a file that cannot be a usable candidate list (empty, binary, not UTF-8,
the wrong delimiter, no email or name column) *before* anything is written - no ImportJob row,
no stored file. A good file is stored privately, an ``ImportJob`` (queued) is created and the
``bulk_import`` job (``imports_run.run_import``) does the rows in chunks.

Row numbers: ``row`` is the 1-based data row (the header is not counted); ``line`` is the line of
the file on which that record starts (the header is line 1), which differs only when quoted values
span lines.
"""

from __future__ import annotations

import csv
import io
import re
import uuid
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import PurePath

from sqlmodel import Session, col, func, select

from interviewer.core import errors as E
from interviewer.core.config import get_settings
from interviewer.jobs.queue import enqueue_after_commit
from interviewer.models import ImportJob, ImportMode, ImportStatus
from interviewer.services import audit, storage
from interviewer.services.authz import Actor, get_in_tenant

MAX_ROWS = 50_000
IMPORT_NOT_FOUND = "IMPORT_404"
IMPORT_REPORT_NOT_READY = "IMPORT_409"
IMPORT_EMPTY = "IMPORT_421"
IMPORT_BINARY = "IMPORT_422"
IMPORT_ENCODING = "IMPORT_423"
IMPORT_DELIMITER = "IMPORT_424"
IMPORT_NO_EMAIL = "IMPORT_425"
IMPORT_NO_NAME = "IMPORT_426"
IMPORT_TOO_MANY_ROWS = "IMPORT_427"
IMPORT_MALFORMED = "IMPORT_428"
IMPORT_AMBIGUOUS = "IMPORT_429"

# Normalised header (lower case; '-', '_', '.' as spaces) -> field.
ALIASES: dict[str, str] = {
    **dict.fromkeys(("email", "e mail", "email address", "e mail address", "mail", "email id"), "email"),
    **dict.fromkeys(("name", "full name", "fullname", "candidate name", "candidate"), "name"),
    **dict.fromkeys(("first name", "firstname", "given name", "forename"), "first_name"),
    **dict.fromkeys(("last name", "lastname", "surname", "family name"), "last_name"),
    **dict.fromkeys(("phone", "phone number", "telephone", "tel", "mobile", "mobile phone", "cell"), "phone"),
    **dict.fromkeys(("source", "lead source", "channel"), "source"),
    **dict.fromkeys(("status", "stage", "pipeline status"), "status"),
    **dict.fromkeys(("job", "job title", "position", "job template"), "job"),
}


@dataclass
class Layout:
    """What the header says: field -> column index, plus the data row count."""

    columns: dict[str, int]
    total_rows: int
    ignored: list[str] = field(default_factory=list)


def normalize_header(value: str) -> str:
    return " ".join(re.sub(r"[-_.]", " ", value.replace("\ufeff", "").strip().strip('"').lower()).split())


def _invalid(message: str, code: str) -> E.ValidationError:
    return E.ValidationError(message, code=code)


def decode(data: bytes) -> str:
    """UTF-8 (with or without BOM) text, or 422 with what is wrong and where."""
    if not data.strip(b" \t\r\n") or data.strip(b" \t\r\n") == b"\xef\xbb\xbf":
        raise _invalid("The file is empty.", IMPORT_EMPTY)
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise _invalid("The file is UTF-16 encoded; save it as CSV UTF-8 and upload it again.", IMPORT_ENCODING)
    if storage.looks_binary(data):
        raise _invalid("This is not a text CSV file (it looks binary, e.g. an Excel workbook); "
                       "export it as CSV UTF-8 and upload it again.", IMPORT_BINARY)
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data[:exc.start].count(b"\n") + 1
        raise _invalid(f"The file is not UTF-8 encoded (first bad byte on line {line}); "
                       "save it as CSV UTF-8 and upload it again.", IMPORT_ENCODING) from None


def iter_records(text: str) -> Iterator[tuple[int, list[str]]]:
    """(start line, values) per non-blank record; csv errors become 422 with the line."""
    reader = csv.reader(io.StringIO(text, newline=""), strict=False)
    start = 1
    try:
        for values in reader:
            line, start = start, reader.line_num + 1
            if any(v.strip() for v in values):
                yield line, values
    except csv.Error as exc:
        raise _invalid(f"The CSV is malformed near line {reader.line_num}: {exc}.", IMPORT_MALFORMED) from None


def map_header(header: list[str]) -> tuple[dict[str, int], list[str]]:
    if len(header) == 1:
        for delim, label in ((";", "semicolons"), ("\t", "tabs"), ("|", "pipes")):
            if delim in header[0]:
                raise _invalid(f"The columns are separated by {label}, not commas; save the file as "
                               "comma-separated CSV and upload it again.", IMPORT_DELIMITER)
    columns: dict[str, int] = {}
    ignored: list[str] = []
    for index, raw in enumerate(header):
        name = ALIASES.get(normalize_header(raw))
        if name is None:
            if raw.strip():
                ignored.append(raw.strip()[:100])
            continue
        if name in columns:
            raise _invalid(f"Two columns mean the same thing ({header[columns[name]]!r} and {raw!r}); "
                           "keep one of them.", IMPORT_AMBIGUOUS)
        columns[name] = index
    if "email" not in columns:
        raise _invalid("No email column: the header needs a column named 'email' (or 'e-mail', "
                       "'email address').", IMPORT_NO_EMAIL)
    if "name" not in columns and not {"first_name", "last_name"} <= set(columns):
        raise _invalid("No name column: the header needs 'name' (or 'full name'), or both "
                       "'first name' and 'last name'.", IMPORT_NO_NAME)
    return columns, ignored


def inspect(data: bytes) -> tuple[Layout, str]:
    """Validate the file as a whole; returns its layout and text."""
    text = decode(data)
    records = iter_records(text)
    first = next(records, None)
    if first is None:
        raise _invalid("The file is empty.", IMPORT_EMPTY)
    columns, ignored = map_header(first[1])
    total = sum(1 for _ in records)
    if total == 0:
        raise _invalid("The file has a header but no data rows.", IMPORT_EMPTY)
    if total > MAX_ROWS:
        raise _invalid(f"The file has {total:,} rows; at most {MAX_ROWS:,} can be imported at once. "
                       "Split it into smaller files.", IMPORT_TOO_MANY_ROWS)
    return Layout(columns=columns, total_rows=total, ignored=ignored), text


# --------------------------------------------------------------------------- import jobs

def _company_for(actor: Actor, company_id: uuid.UUID | None) -> uuid.UUID:
    target = actor.company_param(company_id)
    if target is None:
        raise E.ValidationError("company_id is required.", code="CAND_424")
    return target


def _safe_filename(filename: str | None) -> str:
    name = PurePath((filename or "").replace("\\", "/")).name
    name = re.sub(r"[^\w.\- ()]+", "_", name).strip() or "import.csv"
    return name[:255]


def start_import(session: Session, actor: Actor, data: bytes, filename: str | None,
                 mode: ImportMode = ImportMode.SKIP, *, company_id: uuid.UUID | None = None) -> tuple[ImportJob, Layout]:
    actor.require("candidates:write")
    target = _company_for(actor, company_id)
    limit = get_settings().MAX_UPLOAD_BYTES
    if len(data) > limit:
        raise E.PayloadTooLargeError(f"The file is larger than {limit // 1_048_576} MB.", code="FILE_002")
    layout, _text = inspect(data)  # raises before anything is written
    key = storage.save(data, kind="imports", company_id=target, ext="csv")
    storage.delete_after_rollback(session, key)
    job = ImportJob(company_id=target, created_by=actor.id, filename=_safe_filename(filename), file_path=key,
                    mode=mode, status=ImportStatus.QUEUED, total_rows=layout.total_rows)
    session.add(job)
    session.flush()
    enqueue_after_commit(session, "bulk_import", str(job.id), job_id=f"import-{job.id}")
    audit.record(session, actor=actor, action="candidate.import", entity_type="import_job", entity_id=job.id,
                 company_id=target, details={"filename": job.filename, "rows": layout.total_rows,
                                             "mode": mode.value, "ignored_columns": layout.ignored})
    return job, layout


def get_import(session: Session, actor: Actor, import_id: uuid.UUID) -> ImportJob:
    actor.require("candidates:write")
    return get_in_tenant(session, ImportJob, import_id, actor, what="Import", code=IMPORT_NOT_FOUND)


def list_imports(session: Session, actor: Actor, *, page: int = 1, per_page: int = 20,
                 company_id: uuid.UUID | None = None) -> tuple[list[ImportJob], int]:
    actor.require("candidates:write")
    filters = [] if actor.is_admin and not company_id else [ImportJob.company_id == _company_for(actor, company_id)]
    total = session.exec(select(func.count()).select_from(ImportJob).where(*filters)).one()
    rows = session.exec(select(ImportJob).where(*filters).order_by(col(ImportJob.created_at).desc(),
                                                                    col(ImportJob.id))
                        .offset((page - 1) * per_page).limit(per_page)).all()
    return list(rows), total


def report_key(job: ImportJob) -> str:
    return storage.derived_key(job.file_path, "report.csv")


def read_report(session: Session, actor: Actor, import_id: uuid.UUID) -> tuple[bytes, str]:
    """The per-row report (row, line, email, result, error) once the import has finished."""
    job = get_import(session, actor, import_id)
    if job.status not in (ImportStatus.COMPLETED, ImportStatus.FAILED) or not storage.exists(report_key(job)):
        raise E.ConflictError("The report is available once the import has finished.", code=IMPORT_REPORT_NOT_READY)
    stem = PurePath(job.filename).stem or "import"
    return storage.read(report_key(job)), f"{stem}-report.csv"
