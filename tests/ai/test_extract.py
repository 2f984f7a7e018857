"""Tests for resume text extraction (interviewer.services.ai.extract), on generated files only."""

from __future__ import annotations

import pytest

from interviewer.core.errors import ValidationError
from interviewer.services.ai.extract import (
    MAX_FILE_BYTES,
    MAX_PAGES,
    ExtractionError,
    clean_text,
    extract_text,
    reorder_columns,
)
from tests.ai import fixtures_gen as gen

RESUME_LINES = ["Jane Doe", "Backend Engineer", "Experience", "Built payment APIs in Python", "Education",
                "BSc Computer Science, 2018"]


def _error(data: bytes, filename: str, content_type: str | None = None) -> ExtractionError:
    with pytest.raises(ExtractionError) as info:
        extract_text(data, filename, content_type)
    return info.value


# ----------------------------------------------------------------------------- PDF


def test_single_column_pdf_keeps_line_order():
    doc = extract_text(gen.pdf_single_column(RESUME_LINES), "cv.pdf", "application/pdf")
    assert doc.format == "pdf" and doc.page_count == 1 and doc.warnings == []
    positions = [doc.text.index(line) for line in RESUME_LINES]
    assert positions == sorted(positions)
    assert doc.text.splitlines()[0] == "Jane Doe"


def test_two_column_pdf_reads_left_column_before_right_column():
    left = [f"Left column line {i} about Python services" for i in range(8)]
    right = [f"Right column line {i} about Kubernetes" for i in range(5)]
    data = gen.pdf_two_columns(["Jane Doe", "jane@example.com"], left, right, ["Education", "BSc 2018"])
    lines = extract_text(data, "cv.pdf").text.splitlines()
    index = {line: i for i, line in enumerate(lines)}
    assert all(line in index for line in left + right), lines  # no line merged with its neighbour
    assert max(index[x] for x in left) < min(index[x] for x in right)
    assert [index[x] for x in left] == sorted(index[x] for x in left)
    assert [index[x] for x in right] == sorted(index[x] for x in right)
    assert index["Jane Doe"] < index[left[0]] and index["Education"] > index[right[-1]]


def test_reorder_columns_splits_a_grid_but_not_right_aligned_dates_or_labels():
    grid = ["Python          Docker", "Go              Kubernetes", "SQL             Terraform"]
    assert [x for x in reorder_columns(grid) if x] == ["Python", "Go", "SQL", "Docker", "Kubernetes", "Terraform"]
    dated = ["Acme Corp                 Jan 2020 - Present", "Senior Engineer              Berlin, Germany"]
    assert [x for x in reorder_columns(dated) if x] == ["Acme Corp | Jan 2020 - Present",
                                                         "Senior Engineer | Berlin, Germany"]
    labels = ["Email:      jane@example.com", "Phone:      +1 555 0100", "Location:   Berlin"]
    assert reorder_columns(labels)[0].startswith("Email:") and "jane@example.com" in reorder_columns(labels)[0]


def test_reorder_columns_keeps_heading_after_table_outside_left_column():
    lines = ["Skills", "Python          Docker", "Go              Kubernetes", "Experience",
             "Led a team of five engineers building the billing platform for enterprise customers"]
    out = [x for x in reorder_columns(lines) if x]
    assert out == ["Skills", "Python", "Go", "Docker", "Kubernetes", "Experience", lines[-1]]


def test_encrypted_pdf_is_rejected():
    err = _error(gen.pdf_encrypted(RESUME_LINES), "cv.pdf")
    assert err.code == "FILE_004" and err.status_code == 422 and "password" in err.message


def test_corrupt_pdf_is_rejected():
    assert _error(b"%PDF-1.7\n1 0 obj << /Type /Catalog /Pages 9 0 R >>\n\x00\xff garbage", "cv.pdf").code == "FILE_003"
    assert _error(b"\x00\x01\x02\x03" * 100, "cv.pdf").code == "FILE_003"


def test_image_only_pdf_asks_for_text_based_pdf():
    err = _error(gen.pdf_image_only(), "scan.pdf")
    assert err.code == "FILE_006" and "text-based PDF" in err.message


def test_blank_pdf_is_empty_not_scanned():
    assert _error(gen.pdf_single_column([]), "blank.pdf").code == "FILE_005"


def test_too_many_pages():
    err = _error(gen.pdf_single_column(["Page text"], pages=MAX_PAGES + 1), "long.pdf")
    assert err.code == "FILE_008" and str(MAX_PAGES) in err.message


def test_multi_page_pdf_reports_page_count():
    doc = extract_text(gen.pdf_single_column(RESUME_LINES, pages=3), "cv.pdf")
    assert doc.page_count == 3 and doc.text.count("Jane Doe") == 3


# ----------------------------------------------------------------------------- DOCX


def test_docx_walks_paragraphs_and_tables_in_order():
    data = gen.docx_with_table(["Jane Doe", "Summary paragraph before the table"],
                               [["Python", "Docker"], ["Go", "Kubernetes"]],
                               ["Experience after the table"], bullets=["Cut latency by 40%"])
    doc = extract_text(data, "cv.docx")
    assert doc.format == "docx"
    order = ["Jane Doe", "Summary paragraph before the table", "Python", "Docker", "Go", "Kubernetes",
             "Experience after the table", "• Cut latency by 40%"]
    positions = [doc.text.index(x) for x in order]
    assert positions == sorted(positions)


def test_pdf_extension_with_docx_content_is_read_as_docx():
    data = gen.docx_with_table(["Jane Doe"], [["Python", "SQL"]], ["Berlin"])
    doc = extract_text(data, "cv.pdf", "application/pdf")
    assert doc.format == "docx" and "Python" in doc.text
    assert any(".pdf" in w and "DOCX" in w for w in doc.warnings)


def test_docx_zip_bomb_is_rejected_before_parsing():
    assert _error(gen.docx_zip_bomb(member_mb=20), "cv.docx").code == "FILE_007"
    assert _error(gen.docx_zip_bomb(member_mb=60), "cv.docx").code == "FILE_007"  # total size cap too
    assert _error(gen.zip_with_many_members(1500), "cv.docx").code == "FILE_007"


def test_zip_that_is_not_a_word_document_is_unsupported():
    import io
    import zipfile

    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("xl/workbook.xml", "<workbook/>")
    err = _error(buffer.getvalue(), "cv.docx")
    assert err.code == "FILE_001" and err.status_code == 415


# ----------------------------------------------------------------------------- TXT and generic errors


def test_txt_with_utf8_bom():
    doc = extract_text("\ufeffJosé Núñez\nSkills: Python".encode("utf-8-sig"), "cv.txt", "text/plain")
    assert doc.format == "txt" and doc.text.startswith("José Núñez") and doc.page_count is None


def test_txt_cp1252_fallback():
    doc = extract_text("Résumé – “Senior” engineer, 5 years".encode("cp1252"), "cv.txt")
    assert doc.text == "Résumé – “Senior” engineer, 5 years"
    assert doc.warnings and "Windows-1252" in doc.warnings[0]


def test_empty_and_whitespace_files():
    assert _error(b"", "cv.pdf").code == "FILE_005"
    assert _error(b"  \n\t\n", "cv.txt").code == "FILE_005"


def test_too_large_file():
    err = _error(b"%PDF-1.4\n" + b"0" * MAX_FILE_BYTES, "big.pdf")
    assert err.code == "FILE_002" and err.status_code == 413


def test_unsupported_types():
    png = _error(b"\x89PNG\r\n\x1a\n" + b"\x00" * 64, "photo.png")
    assert png.code == "FILE_001" and png.status_code == 415
    assert _error(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 64, "cv.doc").code == "FILE_001"
    assert _error(b"plain text but an executable name", "cv.exe").code == "FILE_001"


def test_extraction_error_is_a_domain_validation_error():
    err = ExtractionError("FILE_005", "No text")
    assert isinstance(err, ValidationError) and err.code == "FILE_005" and err.message == "No text"
    assert err.status_code == 422


def test_clean_text_repairs_mojibake_and_invisible_characters():
    assert clean_text("Company Name â€“ City") == "Company Name – City"
    assert clean_text("inÂ English\u00a0and\u200b of\ufb01ce\n\n\n\nNext") == "in English and office\n\nNext"
