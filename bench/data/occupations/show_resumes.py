"""Print resumes [start, stop) of resumes_dev.csv for labelling: id and text, not the category.

Usage (from the repository root): python bench/data/occupations/show_resumes.py START STOP
"""
import csv
import sys
from pathlib import Path

DATA = Path(__file__).resolve().parents[4] / "shared" / "data"
rows = list(csv.DictReader(open(DATA / "resumes_dev.csv", encoding="utf-8")))
for r in rows[int(sys.argv[1]):int(sys.argv[2])]:
    print(f"\n######## resume_id {r['resume_id']}\n{r['resume_text'][:6000]}")
