"""Generators for resume test files (PDF, DOCX, zip archives), built in memory from text we write.

Nothing here copies real resumes: each helper renders the lines it is given, so tests can assert on
exact content and reading order.
"""

from __future__ import annotations

import io
import zipfile

PAGE_W, PAGE_H = 612, 792  # US Letter in points


def _canvas(buffer: io.BytesIO):
    from reportlab.pdfgen import canvas

    return canvas.Canvas(buffer, pagesize=(PAGE_W, PAGE_H), invariant=1)


def pdf_single_column(lines: list[str], pages: int = 1, font_size: int = 10) -> bytes:
    """A text PDF with ``lines`` drawn top to bottom at the left margin, repeated on each page."""
    buffer = io.BytesIO()
    c = _canvas(buffer)
    for _ in range(pages):
        c.setFont("Helvetica", font_size)
        y = PAGE_H - 60
        for line in lines:
            c.drawString(50, y, line)
            y -= font_size * 1.4
        c.showPage()
    c.save()
    return buffer.getvalue()


def pdf_two_columns(header: list[str], left: list[str], right: list[str], footer: list[str] = ()) -> bytes:
    """A full-width header, then two columns whose lines share baselines (so naive row-by-row
    extraction interleaves them), then full-width footer lines below both columns."""
    buffer = io.BytesIO()
    c = _canvas(buffer)
    c.setFont("Helvetica", 10)
    y = PAGE_H - 60
    for line in header:
        c.drawString(50, y, line)
        y -= 14
    y -= 10
    top = y
    for column_x, column in ((50, left), (330, right)):
        y = top
        for line in column:
            c.drawString(column_x, y, line)
            y -= 14
    y = top - 14 * max(len(left), len(right)) - 20
    for line in footer:
        c.drawString(50, y, line)
        y -= 14
    c.showPage()
    c.save()
    return buffer.getvalue()


def pdf_image_only() -> bytes:
    """A 'scanned' page: a filled rectangle and a raster image, no text operators at all."""
    from PIL import Image
    from reportlab.lib.utils import ImageReader

    image = Image.new("RGB", (120, 40), (200, 200, 200))
    buffer = io.BytesIO()
    c = _canvas(buffer)
    c.rect(50, 600, 300, 100, fill=1)
    c.drawImage(ImageReader(image), 50, 400, width=240, height=80)
    c.showPage()
    c.save()
    return buffer.getvalue()


def pdf_encrypted(lines: list[str], password: str = "s3cret") -> bytes:
    """A text PDF protected with a user password (RC4-128, which pypdf writes without extras)."""
    from pypdf import PdfReader, PdfWriter

    writer = PdfWriter()
    for page in PdfReader(io.BytesIO(pdf_single_column(lines))).pages:
        writer.add_page(page)
    writer.encrypt(user_password=password, owner_password=password + "-owner", algorithm="RC4-128")
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def docx_with_table(before: list[str], rows: list[list[str]], after: list[str], bullets: list[str] = ()) -> bytes:
    """A DOCX with paragraphs, then a table (``rows`` of cell texts), then more paragraphs and
    optional list-bullet paragraphs."""
    import docx

    document = docx.Document()
    for text in before:
        document.add_paragraph(text)
    table = document.add_table(rows=len(rows), cols=max(len(r) for r in rows))
    for r, row in enumerate(rows):
        for col, text in enumerate(row):
            table.cell(r, col).text = text
    for text in after:
        document.add_paragraph(text)
    for text in bullets:
        document.add_paragraph(text, style="List Bullet")
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def docx_zip_bomb(member_mb: int = 20) -> bytes:
    """A zip laid out like a DOCX whose extra member is ``member_mb`` MB of zeros (ratio ~1000:1)."""
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", '<?xml version="1.0"?><Types/>')
        archive.writestr("word/document.xml", '<?xml version="1.0"?><document/>')
        archive.writestr("word/media/filler.bin", b"\0" * (member_mb * 1024 * 1024))
    return out.getvalue()


def zip_with_many_members(count: int) -> bytes:
    """A small zip with ``count`` tiny members (member-count cap)."""
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", compression=zipfile.ZIP_STORED) as archive:
        archive.writestr("word/document.xml", "<document/>")
        for i in range(count):
            archive.writestr(f"word/x{i}.xml", "x")
    return out.getvalue()
