"""Private file storage for uploads (resumes, CSV imports and their reports).

Files live under ``settings.DATA_DIR / "uploads"``, which is never served by the web server; they
are read back only through endpoints that check the tenant. Names are generated here (a random
UUID plus an extension chosen from the sniffed content), so nothing a user sends ever becomes part
of a path. The database stores the *key* (a relative POSIX path such as
``resumes/<company>/<uuid>.pdf``), never an absolute path, so the data directory can move.
"""

from __future__ import annotations

import logging
import os
import re
import uuid
from pathlib import Path

from sqlalchemy import event
from sqlmodel import Session

from interviewer.core import errors as E
from interviewer.core.config import get_settings

log = logging.getLogger("interviewer.storage")

KINDS = ("resumes", "imports", "checks")
_KEY_RE = re.compile(r"^(resumes|imports|checks)/[0-9a-f-]{36}/[0-9a-f]{32}(\.[a-z0-9]{1,8}){1,2}$")
_BINARY_MAGIC = (b"\x89PNG", b"\xff\xd8\xff", b"GIF8", b"II*\x00", b"MM\x00*", b"\x1f\x8b", b"Rar!",
                 b"7z\xbc\xaf", b"\x7fELF", b"MZ", b"\xd0\xcf\x11\xe0")
RESUME_TYPES = {
    "pdf": "application/pdf",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "txt": "text/plain; charset=utf-8",
}


def root() -> Path:
    return get_settings().upload_dir


def path_for(key: str) -> Path:
    """The absolute path of a stored key; anything that is not a key we generated is refused."""
    if not _KEY_RE.match(key or ""):
        raise E.NotFoundError("File not found.", code="FILE_404")
    base = root().resolve()
    path = (base / key).resolve()
    if base not in path.parents:
        raise E.NotFoundError("File not found.", code="FILE_404")
    return path


def save(data: bytes, *, kind: str, company_id: uuid.UUID, ext: str) -> str:
    """Write ``data`` atomically (temp file + rename) under a generated name; returns its key."""
    if kind not in KINDS or not re.fullmatch(r"[a-z0-9]{1,8}", ext):
        raise ValueError(f"bad storage kind/extension: {kind!r} {ext!r}")
    key = f"{kind}/{company_id}/{uuid.uuid4().hex}.{ext}"
    path = path_for(key)
    path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    tmp = path.with_name(path.name + ".part")
    with open(tmp, "wb") as fh:
        fh.write(data)
        fh.flush()
        os.fsync(fh.fileno())
    os.chmod(tmp, 0o600)
    os.replace(tmp, path)
    return key


def derived_key(key: str, suffix: str) -> str:
    """A sibling key (e.g. an import's ``.report.csv``) that passes :func:`path_for`."""
    return f"{key.rsplit('.', 1)[0]}.{suffix}"


def read(key: str) -> bytes:
    path = path_for(key)
    if not path.is_file():
        raise E.NotFoundError("File not found.", code="FILE_404")
    return path.read_bytes()


def exists(key: str | None) -> bool:
    try:
        return bool(key) and path_for(key).is_file()
    except E.NotFoundError:
        return False


def delete(key: str | None) -> None:
    if not key:
        return
    try:
        path_for(key).unlink(missing_ok=True)
    except (E.NotFoundError, OSError) as exc:
        log.warning("could not delete stored file %s: %s", key, exc)


def delete_after_commit(session: Session, keys: list[str]) -> None:
    """Remove files once the rows pointing at them are gone for good (nothing on rollback)."""
    keys = [k for k in keys if k]
    if not keys:
        return

    def _after_commit(_session) -> None:
        for key in keys:
            delete(key)

    event.listen(session, "after_commit", _after_commit, once=True)


def delete_after_rollback(session: Session, key: str) -> None:
    """A file written for a transaction that then fails must not linger."""
    event.listen(session, "after_soft_rollback", lambda _s, _t: delete(key), once=True)


# --------------------------------------------------------------------------- content sniffing

def looks_binary(data: bytes) -> bool:
    sample = data[:8192]
    return sample.startswith(_BINARY_MAGIC) or b"\x00" in sample


def sniff_resume(data: bytes, filename: str = "", content_type: str | None = None) -> str:
    """``pdf`` / ``docx`` / ``txt`` decided by the bytes (magic numbers), after the same checks the
    ATS endpoint applies (``ai.extract.validate_document``: size 413, type 415, and corrupt,
    password-protected, zip-bomb or over-long documents 422), so nothing refused there is stored."""
    from interviewer.services.ai.extract import validate_document

    limit = get_settings().MAX_UPLOAD_BYTES
    if len(data) > limit:
        raise E.PayloadTooLargeError(f"The file is larger than {limit // 1_048_576} MB.", code="FILE_002")
    return validate_document(data, filename, content_type)
