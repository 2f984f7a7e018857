"""Resume text extraction for PDF, DOCX and plain-text uploads.

``extract_text(data, filename, content_type)`` returns an :class:`ExtractedDocument` or raises
:class:`ExtractionError` with a stable code (``FILE_001`` .. ``FILE_008``) and a message that can be
shown to the candidate as is.

* The format is decided by the file's magic bytes; the extension and content type only matter for
  plain text (which has no magic) and produce a warning when they disagree with the content.
* Every input is bounded before it is parsed: file size, PDF page count, DOCX zip member count and
  uncompressed size/ratio, lines per page, total text length. pypdf's own configuration limits
  (decompression output, content-stream parsing budget, XObject recursion) apply underneath.
* PDF text comes from pypdf's layout mode, which renders each page onto a character grid whose
  columns mirror x positions; :func:`reorder_columns` then puts side-by-side columns into reading
  order (left column first) instead of interleaving their lines.
"""

from __future__ import annotations

import io
import re
import zipfile
from dataclasses import dataclass, field
from pathlib import PurePath
from typing import Literal

from interviewer.core.errors import ValidationError
from interviewer.core.wording import noun

MAX_FILE_BYTES = 10 * 1024 * 1024
MAX_PAGES = 50
MAX_TEXT_CHARS = 200_000
MAX_LINES_PER_PAGE = 400
MAX_LINE_CHARS = 400
DOCX_MAX_MEMBERS = 1_000
DOCX_MAX_UNCOMPRESSED = 50 * 1024 * 1024
DOCX_MAX_RATIO = 100  # applied to members whose uncompressed size exceeds DOCX_RATIO_MIN_SIZE
DOCX_RATIO_MIN_SIZE = 1024 * 1024

UNSUPPORTED_TYPE = "FILE_001"
TOO_LARGE = "FILE_002"
CORRUPT = "FILE_003"
ENCRYPTED = "FILE_004"
NO_TEXT = "FILE_005"
IMAGE_ONLY = "FILE_006"
ZIP_BOMB = "FILE_007"
TOO_MANY_PAGES = "FILE_008"

_STATUS_BY_CODE = {UNSUPPORTED_TYPE: 415, TOO_LARGE: 413}

Format = Literal["pdf", "docx", "txt"]


class ExtractionError(ValidationError):
    """A resume file that cannot be turned into text. ``message`` is safe to show the candidate."""

    def __init__(self, code: str, message: str):
        super().__init__(message, code=code)
        self.status_code = _STATUS_BY_CODE.get(code, 422)


@dataclass(frozen=True)
class ExtractedDocument:
    text: str
    page_count: int | None  # None when the format has no pages (TXT) or DOCX omits the figure
    format: Format
    warnings: list[str] = field(default_factory=list)


def _open_document(data: bytes, filename: str, content_type: str | None) -> tuple[Format, object]:
    """The checks every uploaded document passes before anything is stored or parsed further:
    size, emptiness, format by magic bytes, then the container itself (a PDF that opens, is not
    password-protected and has 1..MAX_PAGES pages; a DOCX whose zip is no bomb and which opens).
    Returns the format and the opened document (a pypdf reader, a python-docx document + its
    archive, or None for text)."""
    if len(data) > MAX_FILE_BYTES:
        raise ExtractionError(TOO_LARGE, f"The file is larger than {MAX_FILE_BYTES // (1024 * 1024)} MB. "
                              "Please upload a smaller PDF, DOCX or TXT file.")
    if not data.strip():
        raise ExtractionError(NO_TEXT, "The file is empty. Please upload a resume that contains text.")
    fmt = _detect_format(data, filename, content_type)
    if fmt == "pdf":
        return fmt, _open_pdf(data)
    if fmt == "docx":
        return fmt, _open_docx(data)
    return fmt, None


def validate_document(data: bytes, filename: str, content_type: str | None = None) -> Format:
    """Validate an uploaded resume/document exactly as the ATS check does, without extracting its
    text: every entry point that stores such a file (candidate resumes via the API and the UI, ATS
    checks) calls this (or :func:`extract_text`, which runs the same checks) before storing.
    Raises :class:`ExtractionError` (413 FILE_002, 415 FILE_001, 422 FILE_003/004/005/007/008)."""
    return _open_document(data, filename, content_type)[0]


def extract_text(data: bytes, filename: str, content_type: str | None = None) -> ExtractedDocument:
    """Extract the text of a resume upload, raising :class:`ExtractionError` when impossible."""
    fmt, opened = _open_document(data, filename, content_type)
    warnings: list[str] = []
    ext = PurePath(filename or "").suffix.lower().lstrip(".")
    if ext in ("pdf", "docx", "txt") and ext != fmt:
        warnings.append(f"The file is named .{ext} but its content is {fmt.upper()}; it was read as {fmt.upper()}.")
    if fmt == "pdf":
        text, pages = _extract_pdf(opened, warnings)
    elif fmt == "docx":
        text, pages = _extract_docx(opened)
    else:
        text, pages = _decode_text(data, warnings), None
    text = clean_text(text)
    if len(text) > MAX_TEXT_CHARS:
        text = text[:MAX_TEXT_CHARS]
        warnings.append(f"Only the first {MAX_TEXT_CHARS:,} characters were kept.")
    if not text.strip():
        raise ExtractionError(NO_TEXT, "We could not find any text in this file. "
                              "Please upload a resume that contains selectable text.")
    return ExtractedDocument(text=text, page_count=pages, format=fmt, warnings=warnings)


# --------------------------------------------------------------------------- format detection

_TEXT_EXTS = {"", "txt", "text", "md"}
_BINARY_MAGIC = (b"\x89PNG", b"\xff\xd8\xff", b"GIF8", b"II*\x00", b"MM\x00*", b"{\\rtf", b"\x1f\x8b",
                 b"Rar!", b"7z\xbc\xaf", b"\x7fELF", b"MZ")
_OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"


def _detect_format(data: bytes, filename: str, content_type: str | None) -> Format:
    if b"%PDF-" in data[:1024]:
        return "pdf"
    if data.startswith(b"PK\x03\x04"):
        return "docx"  # confirmed (or rejected as another zip type) once the archive is inspected
    if data.startswith(_OLE_MAGIC):
        raise ExtractionError(UNSUPPORTED_TYPE, "Legacy Word (.doc) files are not supported. "
                              "Please save your resume as PDF or DOCX and upload it again.")
    ext = PurePath(filename or "").suffix.lower().lstrip(".")
    ctype = (content_type or "").split(";")[0].strip().lower()
    if not data.startswith(_BINARY_MAGIC) and _looks_like_text(data):
        if ext in _TEXT_EXTS or ctype.startswith("text/"):
            return "txt"
        if ext in ("pdf", "docx"):
            raise ExtractionError(CORRUPT, f"This .{ext} file is damaged or is not really a {ext.upper()} "
                                  "file. Please export it again and re-upload.")
    elif ext in ("pdf", "docx"):
        raise ExtractionError(CORRUPT, f"This .{ext} file is damaged and could not be opened. "
                              "Please export it again and re-upload.")
    raise ExtractionError(UNSUPPORTED_TYPE, "Unsupported file type. Please upload your resume as PDF, DOCX or TXT.")


def _looks_like_text(data: bytes) -> bool:
    sample = data[:8192]
    if sample.startswith((b"\xff\xfe", b"\xfe\xff")):
        return True
    if b"\x00" in sample:
        return False
    control = sum(1 for b in sample if b < 32 and b not in (9, 10, 12, 13))
    return control <= len(sample) * 0.02


def _decode_text(data: bytes, warnings: list[str]) -> str:
    if data.startswith(b"\xef\xbb\xbf"):
        return data[3:].decode("utf-8", errors="replace")
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return data.decode("utf-16", errors="replace")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        pass
    try:
        text = data.decode("cp1252")
    except UnicodeDecodeError:
        text = data.decode("latin-1")
    warnings.append("The text file is not UTF-8; it was read as Windows-1252/Latin-1.")
    return text


# --------------------------------------------------------------------------- PDF


def _open_pdf(data: bytes):  # noqa: ANN202 - pypdf PdfReader, imported lazily
    from pypdf import PdfReader  # imported lazily: only PDF uploads pay for it

    try:
        reader = PdfReader(io.BytesIO(data), strict=False)
        if reader.is_encrypted:
            try:
                unlocked = bool(reader.decrypt(""))  # owner-password-only PDFs open without a password
            except Exception:  # noqa: BLE001 - unsupported cipher counts as locked
                unlocked = False
            if not unlocked:
                raise ExtractionError(ENCRYPTED, "This PDF is password-protected. Please remove the "
                                      "password (or print it to a new PDF) and upload it again.")
        page_count = len(reader.pages)
    except ExtractionError:
        raise
    except Exception as exc:  # noqa: BLE001 - pypdf raises many types on malformed input
        raise ExtractionError(CORRUPT, "This PDF is damaged and could not be opened. "
                              "Please export it again and re-upload.") from exc
    if page_count == 0:
        raise ExtractionError(CORRUPT, "This PDF has no pages. Please export it again and re-upload.")
    if page_count > MAX_PAGES:
        raise ExtractionError(TOO_MANY_PAGES, f"This PDF has {page_count} pages; a resume may have at most "
                              f"{MAX_PAGES}. Please upload a shorter document.")
    return reader


def _extract_pdf(reader, warnings: list[str]) -> tuple[str, int]:  # noqa: ANN001 - pypdf PdfReader
    page_count = len(reader.pages)
    texts: list[str] = []
    pictured: list[int] = []
    total = 0
    for number, page in enumerate(reader.pages, start=1):
        text = _page_text(page)
        if not text.strip():
            if _page_has_graphics(page):
                pictured.append(number)
            continue
        texts.append(text)
        total += len(text)
        if total > MAX_TEXT_CHARS:
            if number < page_count:
                warnings.append(f"Text extraction stopped after page {number} because the document is very long.")
            break
    if not texts:
        if pictured:
            raise ExtractionError(IMAGE_ONLY, "This PDF contains only images (it looks scanned), so its text "
                                  "cannot be read. Please upload a text-based PDF, e.g. exported from Word "
                                  "or Google Docs.")
        raise ExtractionError(NO_TEXT, "This PDF contains no text. Please upload a text-based PDF.")
    if pictured:
        pages = ", ".join(map(str, pictured))
        warnings.append(f"{noun(len(pictured), 'Page', 'Pages')} {pages} "
                        f"{noun(len(pictured), 'contains', 'contain')} no selectable text (possibly scanned images) "
                        f"and {noun(len(pictured), 'was', 'were')} skipped.")
    return "\n\n".join(texts), page_count


def _page_text(page) -> str:  # noqa: ANN001 - pypdf PageObject
    try:
        raw = page.extract_text(extraction_mode="layout")
    except Exception:  # noqa: BLE001 - layout mode is stricter than plain mode; fall back
        raw = ""
    if raw.strip():
        lines = [line[:MAX_LINE_CHARS].rstrip() for line in raw.splitlines()[:MAX_LINES_PER_PAGE]]
        return "\n".join(reorder_columns(lines))
    try:
        return page.extract_text() or ""
    except Exception:  # noqa: BLE001
        return ""


_PAINT_OPS_RE = re.compile(rb"(?:^|\s)(?:re|f\*?|F|S|s|B\*?|b\*?|Do|BI|sh)(?=\s|$)")


def _page_has_graphics(page) -> bool:  # noqa: ANN001 - pypdf PageObject
    """True when a text-less page still paints something (images, vector art): a scan, not a blank page."""
    try:
        resources = page.get("/Resources") or {}
        if resources.get("/XObject"):
            return True
        contents = page.get_contents()
        return bool(contents is not None and _PAINT_OPS_RE.search(contents.get_data()[:1_000_000]))
    except Exception:  # noqa: BLE001
        return False


# --------------------------------------------------------------------------- column reordering

MIN_GAP = 3  # blank character cells that separate two columns on pypdf's layout grid
_SPAN_RE = re.compile(rf"\S+(?: {{1,{MIN_GAP - 1}}}\S+)*")
_MAX_SPANS = 16  # lines with more gaps than this are treated as unsplittable table rows
_WORK_BUDGET = 200_000  # span comparisons per page before reordering gives up (adversarial input)


def reorder_columns(lines: list[str]) -> list[str]:
    """Return layout-mode ``lines`` in reading order, emitting side-by-side columns one after another.

    A *column block* is a run of consecutive lines that all leave one vertical strip (the gutter, at
    least ``MIN_GAP`` cells wide) blank, where at least two lines have text on both sides of the strip
    and the right-hand texts start at the same cell (a column's aligned left edge; right-aligned
    dates or a lone wide gap do not qualify). The block ends at its last line with text right of the
    gutter, so a heading that follows a two-column table is not swallowed into the left column. Rows
    that look like ``Label:  value`` pairs stay row-major. Each side of a block is reordered
    recursively (three-column grids), and the sides are separated by a blank line.
    """
    budget = [_WORK_BUDGET]
    spans = [_spans(line) for line in lines]
    return [line.strip() for line in _reorder(lines, spans, budget)]


def _spans(line: str) -> list[tuple[int, int]]:
    found = [(m.start(), m.end()) for m in _SPAN_RE.finditer(line)]
    return found if len(found) <= _MAX_SPANS else [(0, len(line))]


def _reorder(lines: list[str], spans: list[list[tuple[int, int]]], budget: list[int]) -> list[str]:
    out: list[str] = []
    i = 0
    while i < len(lines):
        block = _find_block(lines, spans, i, budget) if budget[0] > 0 else None
        if block is None:
            out.append(re.sub(rf" {{{MIN_GAP},}}", " | ", lines[i].strip()))
            i += 1
            continue
        end, cut = block
        left = [line[:cut] for line in lines[i:end]]
        right = [line[cut:] for line in lines[i:end]]
        out += _reorder(left, [_spans(x) for x in left], budget)
        out.append("")
        out += _reorder(right, [_spans(x) for x in right], budget)
        out.append("")
        i = end
    return out


def _find_block(lines: list[str], spans: list[list[tuple[int, int]]], start: int,
                budget: list[int]) -> tuple[int, int] | None:
    """Find a column block starting at line ``start``: return (end line, cut column) or None."""
    seed = spans[start]
    for k in range(min(len(seed) - 1, 4)):
        lo, hi = seed[k][1], seed[k + 1][0]
        supports = [(hi, lines[start][:hi].rstrip().endswith(":"))]
        last, cut, last_lo = start, hi, lo
        for j in range(start + 1, len(spans)):
            budget[0] -= len(spans[j]) + 1
            has_left = has_right = False
            for a, b in spans[j]:
                if b <= lo:
                    has_left = True
                elif a >= hi:
                    has_right = True
                elif a <= lo:
                    lo = b  # a longer left-column line narrows the gutter from the left
                    has_left = True
                elif b >= hi:
                    hi = a  # a right-column line that starts further left narrows it from the right
                    has_right = True
                else:
                    lo = hi  # text in the middle of the gutter: no column here
            if hi - lo < MIN_GAP or budget[0] <= 0:
                break
            if has_right:
                last, cut, last_lo = j, hi, lo
                if has_left:
                    first_right = next(a for a, _ in spans[j] if a >= hi)
                    supports.append((first_right, lines[j][:hi].rstrip().endswith(":")))
        last = _extend_left_tail(lines, spans, start, last, last_lo)
        aligned = sum(1 for a, _ in supports if a - cut <= 1)
        labels = sum(1 for _, is_label in supports if is_label)
        if len(supports) >= 2 and aligned >= max(2, len(supports) / 2) and labels * 2 < len(supports):
            return last + 1, cut
    return None


_HEADING_RE = re.compile(r"(?i)^\s*(professional |work |career |employment )?(summary|profile|objective|experience|"
                         r"history|education|skills|projects|certifications?|awards|languages|interests|"
                         r"references|publications|highlights|accomplishments)\s*:?\s*$")


def _extend_left_tail(lines: list[str], spans: list[list[tuple[int, int]]], start: int, last: int, lo: int) -> int:
    """Extend a block over the left column's tail when it is longer than the right one: following
    lines with text only left of the gutter, no less indented than the column, up to the next blank
    line or a resume section heading (which starts the next full-width section)."""
    indent = min((s[0][0] for s in spans[start:last + 1] if s and s[0][1] <= lo), default=0)
    j = last + 1
    while (j < len(spans) and spans[j] and spans[j][0][0] >= indent and spans[j][-1][1] <= lo
           and not _HEADING_RE.match(lines[j])):
        j += 1
    return j - 1


# --------------------------------------------------------------------------- DOCX

_W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"


def _check_zip(data: bytes) -> zipfile.ZipFile:
    """Open the archive and reject zip bombs from the central directory, before anything is inflated.

    ``zipfile`` never inflates more than a member's declared size (it stops and fails the CRC), so
    checking the declared sizes bounds the work python-docx can be made to do.
    """
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        members = archive.infolist()
    except (zipfile.BadZipFile, ValueError, OSError) as exc:
        raise ExtractionError(CORRUPT, "This DOCX file is damaged and could not be opened. "
                              "Please save it again and re-upload.") from exc
    bomb = ExtractionError(ZIP_BOMB, "This DOCX file expands to an unsafe size and was rejected. "
                           "Please save your resume again (or as PDF) and re-upload.")
    if len(members) > DOCX_MAX_MEMBERS:
        raise bomb
    if sum(m.file_size for m in members) > DOCX_MAX_UNCOMPRESSED:
        raise bomb
    for m in members:
        if m.file_size > DOCX_RATIO_MIN_SIZE and m.file_size > DOCX_MAX_RATIO * max(m.compress_size, 1):
            raise bomb
    if "word/document.xml" not in archive.namelist():
        raise ExtractionError(UNSUPPORTED_TYPE, "This archive is not a Word document. "
                              "Please upload your resume as PDF, DOCX or TXT.")
    return archive


def _open_docx(data: bytes):  # noqa: ANN202 - (python-docx Document, ZipFile)
    import docx  # python-docx, imported lazily

    archive = _check_zip(data)
    try:
        document = docx.Document(io.BytesIO(data))
    except Exception as exc:  # noqa: BLE001 - python-docx/lxml raise many types on malformed input
        raise ExtractionError(CORRUPT, "This DOCX file is damaged and could not be opened. "
                              "Please save it again and re-upload.") from exc
    return document, archive


def _extract_docx(opened) -> tuple[str, int | None]:  # noqa: ANN001 - (_open_docx's pair)
    document, archive = opened
    lines: list[str] = []
    seen_headers: set[str] = set()
    for section in document.sections:
        for part in (section.header, section.first_page_header):
            if part.is_linked_to_previous:
                continue
            text = "\n".join(_walk_blocks(part._element))
            if text.strip() and text not in seen_headers:
                seen_headers.add(text)
                lines.append(text)
    lines += _walk_blocks(document.element.body)
    return "\n".join(lines), _docx_pages(archive)


def _walk_blocks(container) -> list[str]:  # noqa: ANN001 - lxml element
    """Text of a body/cell/header in document order: paragraphs, tables (row by row, cell by cell,
    nested tables included), content controls and text boxes anchored in paragraphs."""
    out: list[str] = []
    for child in container.iterchildren():
        tag = child.tag
        if tag == f"{_W}p":
            out.append(_paragraph_text(child))
            for box in child.iter(f"{_W}txbxContent"):
                out += _walk_blocks(box)
        elif tag == f"{_W}tbl":
            for row in child.iterchildren(f"{_W}tr"):
                for cell in row.iterchildren(f"{_W}tc"):
                    out += _walk_blocks(cell)
            out.append("")
        elif tag == f"{_W}sdt":
            for content in child.iterchildren(f"{_W}sdtContent"):
                out += _walk_blocks(content)
    return out


def _paragraph_text(p) -> str:  # noqa: ANN001 - lxml element
    parts: list[str] = []
    for el in p.iter(f"{_W}t", f"{_W}tab", f"{_W}br", f"{_W}cr", f"{_W}txbxContent"):
        if any(anc.tag == f"{_W}txbxContent" for anc in el.iterancestors()) or el.tag == f"{_W}txbxContent":
            continue  # text-box content is emitted as its own blocks
        parts.append(el.text or "" if el.tag == f"{_W}t" else ("\t" if el.tag == f"{_W}tab" else "\n"))
    text = "".join(parts)
    style = p.find(f"{_W}pPr/{_W}pStyle")
    is_list = p.find(f"{_W}pPr/{_W}numPr") is not None or (
        style is not None and re.search(r"(?i)list|bullet", style.get(f"{_W}val", "")) is not None)
    return f"• {text}" if is_list and text.strip() else text


def _docx_pages(archive: zipfile.ZipFile) -> int | None:
    try:
        app = archive.read("docProps/app.xml")[:65536].decode("utf-8", errors="ignore")
    except KeyError:
        return None
    match = re.search(r"<(?:\w+:)?Pages>(\d+)<", app)
    return int(match.group(1)) if match else None


# --------------------------------------------------------------------------- text clean-up

_MOJIBAKE_RE = re.compile("\u00c2(?= )|[\u00c2-\u00f4][\u0080-\u00bf\u0152\u0153\u0160\u0161\u0178\u017d\u017e"
                          "\u0192\u02c6\u02dc\u2013\u2014\u2018-\u201e\u2020-\u2022\u2026\u2030\u2039"
                          "\u203a\u20ac\u2122]{1,3}")
_REPLACEMENTS = str.maketrans({"\u00a0": " ", "\u00ad": None, "\u200b": None, "\ufeff": None,
                               "\ufb00": "ff", "\ufb01": "fi", "\ufb02": "fl", "\ufb03": "ffi", "\ufb04": "ffl",
                               "\r": None, "\x0c": "\n"})


def _fix_mojibake(match: re.Match[str]) -> str:
    if match.group(0) == "\u00c2":
        return ""  # the lead byte of a UTF-8 no-break space whose second byte became a plain space
    try:
        return match.group(0).encode("cp1252").decode("utf-8")
    except UnicodeError:
        return match.group(0)


def clean_text(text: str) -> str:
    """Repair UTF-8-read-as-cp1252 mojibake, normalise invisible characters and ligatures, drop
    control characters, strip trailing spaces and collapse runs of blank lines."""
    text = _MOJIBAKE_RE.sub(_fix_mojibake, text).translate(_REPLACEMENTS)
    text = re.sub(r"[\x00-\x08\x0b\x0e-\x1f\x7f]", "", text)
    text = re.sub(r"[ \t]+\n", "\n", text)
    return re.sub(r"\n{3,}", "\n\n", text).strip()
