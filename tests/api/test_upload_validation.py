"""Uploads are validated the same way at every entry point before anything is stored (issue 12):
the resume store (REST and the UI's upload event) refuses corrupt, password-protected, zip-bomb,
over-long and disguised documents exactly as the ATS check does, with the same status, code and
message (one function: services.ai.extract.validate_document)."""

from __future__ import annotations

import asyncio

import pytest

from interviewer.core.config import get_settings
from interviewer.db import session_scope
from interviewer.models import Candidate, UserRole
from interviewer.services import auth as auth_service
from interviewer.services.ai.extract import MAX_PAGES, ExtractionError, validate_document
from tests.ai import fixtures_gen as gen
from tests.factories import auth, make_candidate, make_tenant, make_user, token_for

LINES = ["Jane Doe", "Backend Engineer", "Built payment APIs in Python"]
BAD_FILES = {
    "corrupt_pdf": ("cv.pdf", b"%PDF-1.7\n1 0 obj << /Type /Catalog /Pages 9 0 R >>\n\x00\xff garbage", "FILE_003"),
    "encrypted_pdf": ("cv.pdf", gen.pdf_encrypted(LINES), "FILE_004"),
    "docx_zip_bomb": ("cv.docx", gen.docx_zip_bomb(member_mb=20), "FILE_007"),
    "docx_too_many_members": ("cv.docx", gen.zip_with_many_members(1500), "FILE_007"),
    "too_many_pages": ("cv.pdf", gen.pdf_single_column(["Page text"], pages=MAX_PAGES + 1), "FILE_008"),
    "text_named_pdf": ("cv.pdf", b"just some words pretending to be a PDF", "FILE_003"),
    "legacy_doc": ("cv.doc", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 600, "FILE_001"),
}


@pytest.fixture(autouse=True)
def private_data_dir(tmp_path, monkeypatch):
    monkeypatch.setattr(get_settings(), "DATA_DIR", tmp_path)


def _stored_files() -> list[str]:
    root = get_settings().upload_dir
    return sorted(str(p.relative_to(root)) for p in root.rglob("*") if p.is_file()) if root.exists() else []


@pytest.mark.parametrize("case", sorted(BAD_FILES))
def test_resume_store_refuses_what_the_ats_check_refuses(api, case):
    filename, data, code = BAD_FILES[case]
    candidate_user = make_user(UserRole.CANDIDATE, None, "casey@example.test", name="Casey Candidate")
    ats = api.post("/api/v1/ai/ats-check", headers=auth(candidate_user), files={"resume": (filename, data, "x/y")})
    acme = make_tenant("Acme")
    cid = make_candidate(acme.company.id).id
    store = api.post(f"/api/v1/candidates/{cid}/resume", headers=auth(acme.hr), files={"file": (filename, data, "x/y")})
    assert ats.json()["error_code"] == code, ats.text
    # the same answer, word for word, from both entry points
    assert (store.status_code, store.json()["error_code"], store.json()["detail"]) == \
        (ats.status_code, ats.json()["error_code"], ats.json()["detail"])
    assert set(store.json()) == {"detail", "error_code", "timestamp"}
    assert _stored_files() == []  # refused before anything was written, by either
    with session_scope() as s:
        assert s.get(Candidate, cid).resume_url is None


def test_valid_documents_still_pass():
    assert validate_document(gen.pdf_single_column(LINES), "cv.pdf") == "pdf"
    assert validate_document(gen.docx_with_table(["Jane"], [["Skills", "Python"]], []), "cv.docx") == "docx"
    assert validate_document(b"Jane Doe\nPython\n", "cv.txt") == "txt"
    # a scanned PDF is a sound document: it may be stored (the text job marks it unreadable)
    assert validate_document(gen.pdf_image_only(), "scan.pdf") == "pdf"


def test_ui_resume_upload_refuses_like_the_ats_check():
    """The candidate page's upload event (CandidateFilesState.upload_resume) runs the same check."""
    from interviewer.state.candidates_files_state import CandidateFilesState

    acme = make_tenant("Acme")
    cid = make_candidate(acme.company.id).id
    token = token_for(acme.hr)
    filename, data, code = BAD_FILES["encrypted_pdf"]
    with pytest.raises(ExtractionError) as expected:
        validate_document(data, filename)

    class Upload:
        def __init__(self):
            self.filename = filename

        async def read(self, _n):
            return data

    class FakeFilesState:
        resume_error, uploading, candidate_id = "", False, str(cid)
        router = None

        def _rate_limited(self, _action):
            return ""

        def _call(self, work):
            with session_scope() as session:
                actor, _ = auth_service.authenticate_access_token(session, token)
                return work(session, actor)

    state = FakeFilesState()

    async def run():
        async for _ in CandidateFilesState.upload_resume.fn(state, [Upload()]):
            pass

    asyncio.run(run())
    assert state.resume_error == expected.value.message and "password" in state.resume_error
    assert expected.value.code == code
    assert not state.uploading and _stored_files() == []
