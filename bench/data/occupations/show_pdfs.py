"""Print the text of the shared PDF resumes (the product's extractor) for labelling, without the folder.

Usage (from the repository root): .venv/bin/python bench/data/occupations/show_pdfs.py
"""
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[3]
sys.path.insert(0, str(ROOT))
from interviewer.services.ai.extract import extract_text  # noqa: E402

for pdf in sorted((ROOT.parent / "shared" / "data" / "resume_pdfs").glob("*/*.pdf"), key=lambda p: p.name):
    text = extract_text(pdf.read_bytes(), pdf.name, "application/pdf").text
    print(f"\n######## pdf {pdf.name}\n{text[:6000]}")
